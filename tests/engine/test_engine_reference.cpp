// The event-driven engine against an independent cycle-by-cycle model of the contract
// (gcm_timing.h items 1-4) written here from the contract text: every cycle, first dispatch
// (FIFO head to the lowest-index lane that is free, has the credit and whose SA has a reorder
// slot), then beats leave the lanes into their FIFOs, then each FIFO pops one beat while
// out_ready; a popped tag completes its packet and releases what its SA can release. Random
// traffic, lane counts, FIFO depths, reorder depths, pin/spray and out_ready toggles; start
// and release times must agree to the femtosecond, and a second engine fed the same calls
// must give the same outcomes in the same order.
#include <algorithm>
#include <deque>
#include <map>

#include "engine_test_util.h"

using namespace enginetest;

namespace {

struct Pkt {
  uint32_t sa, frame;
  sim_fs offer;
  uint64_t ready, aad, text, beats, start = UINT64_MAX, release = UINT64_MAX;
  bool done = false;
};

struct Ref {
  uint64_t lanes, O, D, R;
  bool pin;
  std::vector<Pkt> &pk;
  std::vector<std::pair<uint64_t, bool>> toggles;  // (cycle, out_ready from then on)
  Ref(const engine_params &p, std::vector<Pkt> &v)
      : lanes(p.lanes), O(p.overhead_cycles), D(p.out_fifo_depth), R(p.reorder_depth),
        pin(p.sa_dispatch == ENGINE_PIN), pk(v) {}
  bool ready_at(uint64_t c) const {
    bool r = true;
    for (auto &t : toggles)
      if (t.first <= c) r = t.second;
    return r;
  }
  void run() {
    struct Beat { uint64_t enter; size_t pkt; bool tag; };
    std::vector<uint64_t> free_at(lanes, 0), reserved(lanes, 0);
    std::vector<std::deque<Beat>> fifo(lanes), pending(lanes);
    std::map<uint32_t, std::deque<size_t>> inflight;
    size_t head = 0, left = pk.size();
    for (uint64_t c = 0; left; c++) {
      while (head < pk.size() && pk[head].ready <= c) {  // dispatch, in FIFO order
        Pkt &x = pk[head];
        if (inflight[x.sa].size() >= R) break;
        uint64_t l = pin ? x.sa % lanes : 0, end = pin ? l + 1 : lanes;
        for (; l < end; l++)
          if (free_at[l] <= c && reserved[l] + x.beats <= D) break;
        if (l == end) break;
        x.start = c;
        free_at[l] = c + O + gcm_cycles_per_packet(x.aad, x.text, 128);
        reserved[l] += x.beats;
        const uint64_t first = c + O + 1 + gcm_timing_blocks(x.aad) + GCM_PIPE_CYCLES;
        for (uint64_t b = 0; b < x.beats; b++) pending[l].push_back({first + b, head, b + 1 == x.beats});
        inflight[x.sa].push_back(head);
        head++;
      }
      for (uint64_t l = 0; l < lanes; l++) {  // beats leave the lane into its FIFO
        while (!pending[l].empty() && pending[l].front().enter == c) {
          fifo[l].push_back(pending[l].front());
          pending[l].pop_front();
        }
      }
      if (!ready_at(c)) continue;
      for (uint64_t l = 0; l < lanes; l++) {  // one pop per lane per cycle
        if (fifo[l].empty()) continue;
        const Beat b = fifo[l].front();
        fifo[l].pop_front();
        reserved[l]--;
        if (!b.tag) continue;
        pk[b.pkt].done = true;
        auto &q = inflight[pk[b.pkt].sa];
        while (!q.empty() && pk[q.front()].done) {
          pk[q.front()].release = c;
          q.pop_front();
          left--;
        }
      }
    }
  }
};

TEST(EngineReference, RandomTrafficAgreesWithCycleModel) {
  uint64_t x = 99;
  auto rnd = [&x](uint64_t n) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return (x >> 33) % n;
  };
  for (int round = 0; round < 80; round++) {
    engine_params p = defaults();
    p.lanes = 1 + rnd(4);
    p.overhead_cycles = rnd(12);
    p.reorder_depth = 1 + rnd(10);
    p.sa_dispatch = rnd(3) == 0 ? ENGINE_PIN : ENGINE_SPRAY;
    p.in_queue = 1ull << 30;
    const uint32_t mtu = 2000;  // largest packet: text 1948 B, 122 + 1 beats
    p.out_fifo_depth = rnd(4) == 0 ? 1024 : 123 + rnd(300);
    const uint32_t n_sas = 1 + (uint32_t)rnd(6);
    std::vector<engine_sa> sas(n_sas, out_sa(4, SA_UDP_NONE, mtu));
    for (auto &s : sas) s.esn = rnd(2);
    Rec r(p, sas);
    ASSERT_TRUE(r.e) << r.why;
    const sim_fs T = engine_period_fs(r.e);
    std::vector<Pkt> pk;
    Ref ref(p, pk);
    sim_fs t = 0;
    bool ready = true;
    const int n = 400;
    struct Call {
      sim_fs t;
      bool toggle, ready;
      engine_desc d;
    };
    std::vector<Call> calls;  // replayed into a second engine: same inputs, same outputs
    for (int i = 0; i < n; i++) {
      t += rnd(3) == 0 ? 0 : rnd(60 * T);
      if (rnd(25) == 0) {  // downstream stops or resumes
        ready = !ready;
        engine_set_out_ready(r.e, t, ready);
        ref.toggles.push_back({gcm_ready_cycle(t, T), ready});
        calls.push_back({t, true, ready, {}});
      }
      Pkt k{};
      k.sa = (uint32_t)rnd(n_sas);
      k.frame = 64 + (uint32_t)rnd(2000 - 64 + 18 - 54 + 1 - 2);  // fits the tunnel MTU
      k.offer = t;
      k.ready = gcm_ready_cycle(t, T);
      const engine_esp_shape sh = engine_esp_shape_of(&sas[k.sa], k.frame - ENGINE_ETH_OVERHEAD);
      ASSERT_LE(sh.esp_ip_bytes, mtu);
      k.aad = sh.aad_bytes;
      k.text = sh.text_bytes;
      k.beats = gcm_out_beats(sh.text_bytes);
      engine_desc d = enc(k.sa, k.frame, (uint64_t)i);
      ASSERT_EQ(engine_offer(r.e, t, &d), ENGINE_OUT_PACKET);
      calls.push_back({t, false, false, d});
      pk.push_back(k);
    }
    if (!ready) {  // let everything out
      t += 1000 * T;
      engine_set_out_ready(r.e, t, true);
      ref.toggles.push_back({gcm_ready_cycle(t, T), true});
      calls.push_back({t, true, true, {}});
    }
    r.drain();
    Rec again(p, sas);
    for (const Call &c : calls) {
      if (c.toggle) engine_set_out_ready(again.e, c.t, c.ready);
      else engine_offer(again.e, c.t, &c.d);
    }
    again.drain();
    ASSERT_EQ(again.out.size(), r.out.size());
    for (size_t i = 0; i < r.out.size(); i++) {
      const engine_out &a = r.out[i], &b = again.out[i];
      ASSERT_TRUE(a.user == b.user && a.kind == b.kind && a.lane == b.lane && a.seq == b.seq &&
                  a.start_fs == b.start_fs && a.first_out_fs == b.first_out_fs &&
                  a.release_fs == b.release_fs && a.ip_bytes == b.ip_bytes)
          << "round " << round << " outcome " << i;
    }
    ref.run();
    ASSERT_EQ(r.out.size(), (size_t)n);
    if (getenv("ENGINE_REF_DEBUG") && round == atoi(getenv("ENGINE_REF_DEBUG"))) {
      printf("lanes %llu O %llu R %llu D %llu pin %d sas %u\n", (unsigned long long)p.lanes,
             (unsigned long long)p.overhead_cycles, (unsigned long long)p.reorder_depth,
             (unsigned long long)p.out_fifo_depth, p.sa_dispatch, n_sas);
      for (auto &tg : ref.toggles) printf("toggle %llu %d\n", (unsigned long long)tg.first, tg.second);
      for (auto &o : r.out) {
        const Pkt &k = pk[o.user];
        printf("%3llu sa %u beats %3llu ready %6llu | eng start %6llu lane %u rel %6llu | ref start %6llu rel %6llu\n",
               (unsigned long long)o.user, k.sa, (unsigned long long)k.beats, (unsigned long long)k.ready,
               (unsigned long long)(o.start_fs / T), o.lane, (unsigned long long)(o.release_fs / T - 1),
               (unsigned long long)k.start, (unsigned long long)k.release);
      }
    }
    for (auto &o : r.out) {
      ASSERT_EQ(o.kind, ENGINE_OUT_PACKET);
      const Pkt &k = pk[o.user];
      ASSERT_EQ(o.start_fs, k.start * T) << "round " << round << " packet " << o.user;
      ASSERT_EQ(o.release_fs, (k.release + 1) * T) << "round " << round << " packet " << o.user;
    }
  }
}

}  // namespace
