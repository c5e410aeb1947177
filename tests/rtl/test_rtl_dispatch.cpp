// The core's own dispatcher and per-SA reorder (gcm_core sched_en = 1, gcm_sched.v) against
// the C engine (ipsec_engine/engine*.c through its `c` backend): the same ESP packet sequence
// (SA, AAD and text lengths from engine_esp_shape_of, ready cycle from the offer time), the same
// lanes, overhead, output-FIFO depth, reorder depth, spray/pin and out_ready toggles. Every
// packet's dispatch cycle, lane and release cycle must be equal, and every packet's text and
// tag must equal OpenSSL's (the data really went through the lane the core chose).
#include <gtest/gtest.h>

#include <map>

#include "rtl_test_util.hpp"
#include "tests/engine/engine_test_util.h"

using namespace enginetest;

namespace {

struct Toggle {
  uint64_t cycle;
  bool ready;
};

bool ready_at(const std::vector<Toggle> &tg, uint64_t c)
{
  bool r = true;
  for (const Toggle &t : tg)
    if (t.cycle <= c) r = t.ready;
  return r;
}

// A deliberate difference on the RTL side (controls: the comparison must see it).
struct Skew {
  unsigned overhead = 0, reorder = 0;
  bool flip_pin = false;
};

// "" when the RTL and the engine agree on every dispatch, lane and release, else the first
// difference. Crypto, overflow and count checks are assertions.
std::string run_round(unsigned lanes, uint64_t seed, int n_pkts, Skew skew = {})
{
  std::string diff;
  Lcg rnd{seed};
  engine_params p = random_engine_params(lanes, rnd);
  const uint32_t mtu = 2000;  // largest packet: text 1948 B, 122 + 1 beats
  const uint32_t n_sas = 1 + (uint32_t)rnd(6);
  std::vector<engine_sa> sas(n_sas, out_sa(4, SA_UDP_NONE, mtu));
  for (auto &s : sas) s.esn = rnd(2);
  Rec r(p, sas);
  EXPECT_TRUE(r.e) << r.why;
  if (!r.e) return "no engine";
  const sim_fs T = engine_period_fs(r.e);

  std::unique_ptr<GcmRtlDriver> drv = gcm_rtl_make_driver(lanes, nullptr);
  EXPECT_TRUE(drv) << lanes << " lanes not built";
  if (!drv) return "no model";
  drv->core_dispatch = true;
  drv->pin_mode = (p.sa_dispatch == ENGINE_PIN) != skew.flip_pin;
  drv->reorder_depth = (unsigned)p.reorder_depth + skew.reorder;
  drv->out_fifo_credit = (unsigned)p.out_fifo_depth;
  drv->overhead_cycles = (unsigned)p.overhead_cycles + skew.overhead;
  drv->keep_done = true;
  drv->reset();
  std::mt19937_64 rng(seed);
  std::vector<RtlKey> keys;
  for (uint32_t s = 0; s < n_sas; s++) {  // one key slot per SA, installed before the traffic
    keys.push_back({rtl_random_bytes(rng, rnd(2) ? 32 : 16), s % drv->key_slots()});
    drv->load_key(keys.back().slot, keys.back().key.data(), keys.back().key.size());
  }
  EXPECT_TRUE(drv->run_until_idle(10000));
  const uint64_t base = drv->cycle();  // engine cycle c = RTL cycle base + c

  std::vector<Toggle> toggles;
  std::map<uint64_t, GcmRtlPacket> sent;
  sim_fs t = 0;
  bool ready = true;
  for (int i = 0; i < n_pkts; i++) {
    t += rnd(3) == 0 ? 0 : rnd(60 * T);
    if (rnd(25) == 0) {  // downstream stops or resumes
      ready = !ready;
      engine_set_out_ready(r.e, t, ready);
      toggles.push_back({gcm_ready_cycle(t, T), ready});
    }
    const uint32_t sa = (uint32_t)rnd(n_sas);
    const uint32_t frame = 64 + (uint32_t)rnd(2000 - 64 + 18 - 54 + 1 - 2);  // fits the MTU
    const engine_esp_shape sh = engine_esp_shape_of(&sas[sa], frame - ENGINE_ETH_OVERHEAD);
    engine_desc d = enc(sa, frame, (uint64_t)i);
    EXPECT_EQ(engine_offer(r.e, t, &d), ENGINE_OUT_PACKET);
    GcmRtlPacket pk = rtl_random_packet(rng, keys[sa], (uint64_t)i, sh.aad_bytes, sh.text_bytes,
                                        false, true);
    pk.sa = sa;
    pk.ready_cycle = base + gcm_ready_cycle(t, T);
    drv->submit(pk);
    sent[(uint64_t)i] = pk;
  }
  if (!ready) {  // let everything out
    t += 1000 * T;
    engine_set_out_ready(r.e, t, true);
    toggles.push_back({gcm_ready_cycle(t, T), true});
  }
  r.drain();
  EXPECT_EQ(r.out.size(), (size_t)n_pkts);

  drv->out_ready_fn = [&](unsigned, uint64_t c) { return c < base || ready_at(toggles, c - base); };
  EXPECT_TRUE(drv->run_until_idle(50000000ull));
  EXPECT_EQ(drv->sched_overflows, 0u);
  EXPECT_EQ(drv->fifo_overflows, 0u);
  EXPECT_EQ(drv->starts.size(), (size_t)n_pkts);
  EXPECT_EQ(drv->releases.size(), (size_t)n_pkts);
  std::map<uint64_t, GcmRtlEvent> st, rel;
  for (const GcmRtlEvent &e : drv->starts) st[e.id] = e;
  for (const GcmRtlEvent &e : drv->releases) rel[e.id] = e;
  const std::string where = std::to_string(lanes) + " lanes, seed " + std::to_string(seed) +
                            ", O " + std::to_string(p.overhead_cycles) + ", R " +
                            std::to_string(p.reorder_depth) + ", D " +
                            std::to_string(p.out_fifo_depth) + (drv->pin_mode ? ", pin" : ", spray");
  for (const engine_out &o : r.out) {
    EXPECT_EQ(o.kind, ENGINE_OUT_PACKET);
    const std::string at = where + ", packet " + std::to_string(o.user);
    if (!st.count(o.user) || !rel.count(o.user)) return at + ": not dispatched or released";
    if (st[o.user].cycle - base != o.start_fs / T)
      return at + ": start " + std::to_string(st[o.user].cycle - base) + ", engine " +
             std::to_string(o.start_fs / T);
    if (st[o.user].lane != o.lane)
      return at + ": lane " + std::to_string(st[o.user].lane) + ", engine " + std::to_string(o.lane);
    if (rel[o.user].cycle - base + 1 != o.release_fs / T)
      return at + ": release " + std::to_string(rel[o.user].cycle - base) + ", engine " +
             std::to_string(o.release_fs / T - 1);
  }
  EXPECT_EQ(drv->done.size(), (size_t)n_pkts);
  for (const GcmRtlDone &d : drv->done) {
    const GcmRtlPacket &pk = sent.at(d.id);
    EXPECT_EQ(d.lane, st[d.id].lane);
    const std::string err = rtl_check(keys[pk.sa], pk, d);
    EXPECT_TRUE(err.empty()) << where << ", packet " << d.id << ": " << err;
    if (!err.empty()) return "crypto";
  }
  return diff;
}

void equal_rounds(unsigned lanes)
{
  for (uint64_t s = 1; s <= 8; s++) EXPECT_EQ(run_round(lanes, 1000 * lanes + s, 150), "");
}
TEST(RtlDispatch, OneLaneEqualsEngine) { equal_rounds(1); }
TEST(RtlDispatch, TwoLanesEqualEngine) { equal_rounds(2); }
TEST(RtlDispatch, ThreeLanesEqualEngine) { equal_rounds(3); }
TEST(RtlDispatch, FourLanesEqualEngine) { equal_rounds(4); }

// Controls: one cycle more overhead, one more reorder slot, or pin/spray swapped on the RTL
// side only must each be reported (seeds whose rounds are sensitive to it: R small, 2+ SAs).
TEST(RtlDispatch, ControlsAreCaught)
{
  Skew o;
  o.overhead = 1;
  EXPECT_NE(run_round(2, 2001, 150, o), "");
  bool seen_r = false, seen_pin = false;
  for (uint64_t s = 1; s <= 8 && !(seen_r && seen_pin); s++) {
    Skew r, p;
    r.reorder = 1;
    p.flip_pin = true;
    seen_r = seen_r || run_round(4, 4000 + s, 150, r) != "";
    seen_pin = seen_pin || run_round(4, 4000 + s, 150, p) != "";
  }
  EXPECT_TRUE(seen_r) << "a reorder_depth one larger went unnoticed in 8 rounds";
  EXPECT_TRUE(seen_pin) << "pin/spray swapped went unnoticed in 8 rounds";
}

}  // namespace
