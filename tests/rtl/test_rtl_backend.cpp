// The Verilated GCM backend (gcm_backend_rtl.hpp) against the `c` backend: two engines with the
// same parameters get the same offers (encrypt SAs and one decrypt SA with replayed sequence
// numbers, so some starts are refused by anti-replay), out_ready toggles; one runs on the C
// model of the core, the other on the RTL's lanes, dispatcher and reorder. Every outcome must
// be equal (kind, drop reason, lane, start, first output and release time), and every packet's
// ciphertext and tag out of the RTL must equal OpenSSL's. Control: one cycle more overhead on
// the RTL side must be reported.
#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <map>

#include "gcm_backend_rtl.hpp"
#include "rtl_test_util.hpp"
#include "tests/engine/engine_test_util.h"
extern "C" {
#define _Static_assert static_assert
#define _Alignas(n) alignas(n)
#include "ipsec_engine/engine_internal.h"
#undef _Alignas
#undef _Static_assert
}

using namespace enginetest;

namespace {

// The engine still reads lane, start and first pop from its job pool, which the `c` backend
// writes (gcm_backend.h: "what still bypasses it"); this shim writes them from the RTL's report.
struct Shim {
  engine *e;
  std::map<uint32_t, std::deque<GcmRtlPacket>> sent;  // job ids are reused after release
};
bool shim_start(void *ctx, uint32_t id, uint64_t cycle, uint32_t lane)
{
  Shim *sh = static_cast<Shim *>(ctx);
  engine *e = sh->e;
  if (!engine_start_hook(e, id, cycle, lane)) {
    sh->sent[id].pop_back();  // refused (the id's latest packet): its bytes never reach a lane
    return false;
  }
  engine_job *j = &e->jobs[id];
  j->state = JOB_IN_LANE;
  j->lane = lane;
  j->start = cycle;
  return true;
}
void shim_complete(void *ctx, uint32_t id, uint64_t cycle)
{
  engine_complete_hook(static_cast<Shim *>(ctx)->e, id, cycle);
}

std::string same(const engine_out &a, const engine_out &b)
{
  auto f = [](const char *what, uint64_t x, uint64_t y) {
    return std::string(what) + " c " + std::to_string(x) + ", rtl " + std::to_string(y);
  };
  if (a.kind != b.kind) return f("kind", a.kind, b.kind);
  if (a.reason != b.reason) return f("reason", a.reason, b.reason);
  if (a.lane != b.lane) return f("lane", a.lane, b.lane);
  if (a.start_fs != b.start_fs) return f("start_fs", a.start_fs, b.start_fs);
  if (a.first_out_fs != b.first_out_fs) return f("first_out_fs", a.first_out_fs, b.first_out_fs);
  if (a.release_fs != b.release_fs) return f("release_fs", a.release_fs, b.release_fs);
  if (a.seq != b.seq) return f("seq", a.seq, b.seq);
  return "";
}

std::string run_round(unsigned lanes, uint64_t seed, int n_pkts, unsigned skew_overhead = 0,
                      uint64_t *refusals = nullptr)
{
  Lcg rnd{seed};
  engine_params p = random_engine_params(lanes, rnd);
  const uint32_t n_enc = 1 + (uint32_t)rnd(5);
  std::vector<engine_sa> sas(n_enc, out_sa(4, SA_UDP_NONE, 2000));
  engine_sa din = in_sa(4, 64);  // SA n_enc: decrypt, anti-replay at dispatch
  din.tunnel_mtu = 2000;
  sas.push_back(din);
  Rec rc(p, sas), rr(p, sas);
  EXPECT_TRUE(rc.e && rr.e) << rc.why;
  if (!rc.e || !rr.e) return "no engine";
  const sim_fs T = engine_period_fs(rc.e);

  std::mt19937_64 rng(seed);
  std::vector<RtlKey> keys;
  std::vector<std::vector<uint8_t>> key_bytes;
  for (size_t s = 0; s < sas.size(); s++) {
    keys.push_back({rtl_random_bytes(rng, rnd(2) ? 32 : 16), (unsigned)s});
    key_bytes.push_back(keys.back().key);
  }
  GcmBackendRtlConfig cfg;
  cfg.lanes = lanes;
  cfg.overhead_cycles = (unsigned)p.overhead_cycles + skew_overhead;
  cfg.out_fifo_depth = (unsigned)p.out_fifo_depth;
  cfg.reorder_depth = (unsigned)p.reorder_depth;
  cfg.pin = p.sa_dispatch == ENGINE_PIN;
  cfg.period_fs = T;
  cfg.n_sas = (unsigned)sas.size();
  cfg.window_from = &rr.e->w0;
  cfg.window_to = &rr.e->w1;
  Shim shim{rr.e, {}};
  std::map<uint32_t, std::deque<GcmRtlPacket>> &sent = shim.sent;
  const gcm_backend_hooks hooks = {&shim, shim_start, shim_complete, nullptr};
  std::string err;
  std::unique_ptr<GcmBackendRtl> be = GcmBackendRtl::create(cfg, hooks, key_bytes, err);
  EXPECT_TRUE(be) << err;
  if (!be) return "no backend";
  rr.e->be_ops = GcmBackendRtl::ops();
  rr.e->be = be.get();
  engine *re = rr.e;
  be->on_first_pop = [re](uint32_t id, uint64_t c) { re->jobs[id].first_pop = c; };
  be->fill_data = [&](uint32_t id, GcmRtlPacket &pk) {
    const GcmRtlPacket r = rtl_random_packet(rng, keys[pk.sa], id, pk.aad.size(), pk.text.size(),
                                             false, true);
    std::memcpy(pk.iv, r.iv, 12);
    pk.aad = r.aad;
    pk.text = r.text;
    sent[id].push_back(pk);
  };
  be->keep_results = true;

  sim_fs t = 0;
  bool ready = true;
  uint32_t seq = 0;
  for (int i = 0; i < n_pkts; i++) {
    t += rnd(3) == 0 ? 0 : rnd(60 * T);
    if (rnd(25) == 0) {
      ready = !ready;
      engine_set_out_ready(rc.e, t, ready);
      engine_set_out_ready(rr.e, t, ready);
    }
    const uint32_t frame = 64 + (uint32_t)rnd(1900);
    engine_desc d;
    if (rnd(4) == 0) {  // decrypt; every 5th repeats an earlier sequence number (replay)
      seq = rnd(5) == 0 && seq > 2 ? seq - 2 : seq + 1;
      d = dec(sas[n_enc], n_enc, frame, seq, true, (uint64_t)i);
    } else {
      d = enc((uint32_t)rnd(n_enc), frame, (uint64_t)i);
    }
    const engine_out_kind kc = engine_offer(rc.e, t, &d), kr = engine_offer(rr.e, t, &d);
    if (kc != kr) return "offer " + std::to_string(i) + " outcome differs";
  }
  if (!ready) {
    t += 1000 * T;
    engine_set_out_ready(rc.e, t, true);
    engine_set_out_ready(rr.e, t, true);
  }
  rc.drain();
  rr.drain();
  const std::string where = std::to_string(lanes) + " lanes, seed " + std::to_string(seed) + ", O " +
                            std::to_string(p.overhead_cycles) + ", R " + std::to_string(p.reorder_depth) +
                            ", D " + std::to_string(p.out_fifo_depth) + (cfg.pin ? ", pin" : ", spray");
  EXPECT_EQ(rc.out.size(), (size_t)n_pkts) << where;
  if (rc.out.size() != rr.out.size()) return where + ": outcome counts differ";
  std::map<uint64_t, engine_out> by_user;
  for (const engine_out &o : rr.out) by_user[o.user] = o;
  unsigned refused = 0;
  for (const engine_out &o : rc.out) {
    if (!by_user.count(o.user)) return where + ": packet " + std::to_string(o.user) + " missing";
    const std::string d = same(o, by_user[o.user]);
    if (!d.empty()) return where + ", packet " + std::to_string(o.user) + ": " + d;
    refused += o.kind != ENGINE_OUT_PACKET;
  }
  EXPECT_LE(be->driver().refused, refused) << where;  // replays refused at dispatch (others: at offer)
  if (refusals) *refusals += be->driver().refused;
  EXPECT_EQ(be->driver().sched_overflows, 0u);
  EXPECT_EQ(be->driver().fifo_overflows, 0u);
  EXPECT_EQ(be->results.size(), (size_t)n_pkts - be->driver().refused) << where;
  for (const GcmRtlDone &d : be->results) {
    std::deque<GcmRtlPacket> &q = sent[(uint32_t)d.id];
    if (q.empty()) return where + ": result without a packet";
    const GcmRtlPacket pk = q.front();
    q.pop_front();
    if (!d.protocol_error.empty()) return where + ": " + d.protocol_error;
    const std::string e = rtl_check(keys[pk.sa], pk, d);
    if (!e.empty()) return where + ", job " + std::to_string(d.id) + ": " + e;
  }
  return "";
}

void equal_rounds(unsigned lanes)
{
  uint64_t refusals = 0;
  for (uint64_t s = 1; s <= 4; s++) EXPECT_EQ(run_round(lanes, 10 * lanes + s, 150, 0, &refusals), "");
  EXPECT_GT(refusals, 0u) << "no start was refused: the refusal path went untested";
}
TEST(RtlBackend, OneLaneEqualsC) { equal_rounds(1); }
TEST(RtlBackend, TwoLanesEqualC) { equal_rounds(2); }
TEST(RtlBackend, FourLanesEqualC) { equal_rounds(4); }
TEST(RtlBackend, ControlIsCaught) { EXPECT_NE(run_round(2, 21, 150, 1), ""); }

}  // namespace
