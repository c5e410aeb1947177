// Per-input queues with a deficit-round-robin arbiter (portgroup/ingress_arb): straight
// through without contention, equal and weighted byte shares when every input saturates the
// server (closed form: server rate x weight / sum of weights), per-input tail drop, and at
// most one dispatch per queued packet. Driven by a small event loop written here.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

extern "C" {
#include "portgroup/ingress_arb.h"
}

namespace {
struct Src {
  uint32_t bytes;
  sim_fs period, first;
};

struct Result {
  std::vector<uint64_t> served_bytes, drops;
  uint64_t dispatches = 0, served = 0, queued = 0;
};

// Inputs send fixed-size frames every `period` from `first` until `end`; the server has
// rate `rate` on frame + 20 B. Counts bytes served per input by departure before `end`.
Result drive(const std::vector<Src> &src, const std::vector<uint32_t> &weights, uint64_t rate, sim_fs end,
             uint64_t cap_bytes = 64 * 1024) {
  ingress_arb a;
  bw_server s;
  EXPECT_TRUE(ingress_arb_init(&a, (uint32_t)src.size(), weights.data(), 2048, cap_bytes, 1024));
  EXPECT_TRUE(bw_server_init(&s, rate, 20, 0, UINT64_MAX, 2));
  ingress_arb_window(&a, 0, end);
  bw_server_window(&s, 0, end);
  Result r;
  r.served_bytes.assign(src.size(), 0);
  // key (t, kind, input): arrivals (kind 0) before a dispatch (kind 1) at equal times
  std::map<std::tuple<sim_fs, int, uint32_t>, bool> ev;
  for (uint32_t i = 0; i < src.size(); i++) ev[{src[i].first, 0, i}] = true;
  auto served = [&](uint32_t input, sim_fs depart, uint32_t bytes) {
    if (depart <= end) r.served_bytes[input] += bytes;
  };
  while (!ev.empty()) {
    auto [t, kind, i] = ev.begin()->first;
    ev.erase(ev.begin());
    if (t > end) break;
    sim_fs x;
    if (kind == 0) {
      sim_pkt p{};
      p.bytes = (uint16_t)src[i].bytes;
      switch (ingress_arb_arrive(&a, &s, i, t, &p, i, &x)) {
        case ARB_SERVED: r.served++, served(i, x, p.bytes); break;
        case ARB_QUEUED_SCHEDULE: r.queued++, ev[{x, 1, 0}] = true; break;
        case ARB_QUEUED: r.queued++; break;
        case ARB_DROPPED:
        case ARB_DROPPED_HELD: break;
      }
      ev[{t + src[i].period, 0, i}] = true;
    } else {
      arb_item it;
      sim_fs next;
      EXPECT_TRUE(ingress_arb_dispatch(&a, &s, t, &it, &x, &next));
      r.dispatches++;
      served(it.aux, x, it.pkt.bytes);
      if (next != SIM_FS_NEVER) ev[{next, 1, 0}] = true;
    }
  }
  for (uint32_t i = 0; i < src.size(); i++) r.drops.push_back(a.in[i].tot_drops);
  ingress_arb_free(&a);
  bw_server_free(&s);
  return r;
}

const sim_fs k1518at100G = 123040000;  // 1538 B x 8 / 100e9 s
}  // namespace

TEST(IngressArb, UncontendedPacketIsServedOnArrival) {
  ingress_arb a;
  bw_server s;
  uint32_t w[2] = {1, 1};
  ASSERT_TRUE(ingress_arb_init(&a, 2, w, 2048, 1 << 16, 64));
  ASSERT_TRUE(bw_server_init(&s, 100000000000ull, 20, 0, UINT64_MAX, 2));
  sim_pkt p{};
  p.bytes = 1518;
  sim_fs x = 0;
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 1, 1000, &p, 0, &x), ARB_SERVED);
  EXPECT_EQ(x, 1000 + k1518at100G);
  // the next arrival while the server is busy waits, and asks for one dispatch when it frees
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, 2000, &p, 7, &x), ARB_QUEUED_SCHEDULE);
  EXPECT_EQ(x, 1000 + k1518at100G);
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 1, 3000, &p, 8, &x), ARB_QUEUED);
  arb_item it;
  sim_fs d, next;
  ASSERT_TRUE(ingress_arb_dispatch(&a, &s, 1000 + k1518at100G, &it, &d, &next));
  EXPECT_EQ(it.aux, 7u);  // round robin starts at input 0
  EXPECT_EQ(d, 1000 + 2 * k1518at100G);
  EXPECT_EQ(next, d);
  ASSERT_TRUE(ingress_arb_dispatch(&a, &s, next, &it, &d, &next));
  EXPECT_EQ(it.aux, 8u);
  EXPECT_EQ(next, SIM_FS_NEVER);
  ingress_arb_free(&a);
  bw_server_free(&s);
}

TEST(IngressArb, LockstepInputsShareEqually) {
  // four 100G inputs, same phase, into 300G: each gets 75G (a FIFO gave one of them 0)
  std::vector<Src> src(4, Src{1518, k1518at100G, 0});
  const sim_fs end = 200000000000ull;  // 200 us
  Result r = drive(src, {1, 1, 1, 1}, 300000000000ull, end);
  double expect = 300e9 * 200e-6 / 4 / 8 * 1518 / 1538;  // bytes of frames per input
  for (int i = 0; i < 4; i++) {
    EXPECT_NEAR((double)r.served_bytes[i], expect, expect * 0.01) << i;
    EXPECT_GT(r.drops[i], 0u) << i;
  }
  EXPECT_GT(r.queued, 0u);
  EXPECT_LE(r.dispatches, r.queued);  // at most one dispatch event per queued packet
}

TEST(IngressArb, WeightsSplitBytesInProportion) {
  // weights 1:3, both inputs offer 200G into 100G: bytes split 25:75
  std::vector<Src> src(2, Src{1518, k1518at100G / 2, 0});
  const sim_fs end = 200000000000ull;
  Result r = drive(src, {1, 3}, 100000000000ull, end);
  double total = (double)(r.served_bytes[0] + r.served_bytes[1]);
  EXPECT_NEAR(r.served_bytes[0] / total, 0.25, 0.0025);
  EXPECT_NEAR(r.served_bytes[1] / total, 0.75, 0.0075);
}

TEST(IngressArb, DeficitRoundRobinIsFairInBytesNotPackets) {
  // equal weights, 256 B frames against 1518 B frames, both saturating 100G: equal frame
  // bytes within a quantum-sized error (DRR), not equal packets
  std::vector<Src> src = {{256, 276 * 8 * 5000, 0}, {1518, k1518at100G / 2, 0}};  // 200G offered each
  const sim_fs end = 200000000000ull;
  Result r = drive(src, {1, 1}, 100000000000ull, end);
  double a = (double)r.served_bytes[0], b = (double)r.served_bytes[1];
  EXPECT_GT(a, 0);
  // DRR equalises frame bytes (the quantum counts frames); the 20 B L1 overhead per 64 B frame
  // makes the 256 B input's share of the wire larger, not its share of frame bytes
  EXPECT_NEAR(a / b, 1.0, 0.01);
  EXPECT_GT(r.served_bytes[0] / 256, 5 * (r.served_bytes[1] / 1518));  // ~6x the packets
}

TEST(IngressArb, TailDropIsPerInput) {
  // input 0 overloads (200G into 100G); input 1 offers 10G: only input 0 drops
  std::vector<Src> src = {{1518, k1518at100G / 2, 0}, {1518, k1518at100G * 10, 7}};
  Result r = drive(src, {1, 1}, 100000000000ull, 100000000000ull, 16 * 1024);
  EXPECT_GT(r.drops[0], 0u);
  EXPECT_EQ(r.drops[1], 0u);
}

TEST(IngressArb, CreditBackpressureKeepsTheDownstreamQueueAndTheInputsFair) {
  // Four 100G inputs in lockstep into a 400G arbiter whose output feeds a 300G downstream
  // FIFO of 32 KiB, flow-controlled by credits (returned when the downstream starts a frame).
  // Closed form: the downstream carries 300G, so each input gets 300 / 4 = 75G; the
  // downstream queue never holds more than its capacity; every drop happens at the inputs
  // while held (ARB_DROPPED_HELD); every scheduled dispatch serves a packet.
  const uint32_t n = 4, bytes = 1518;
  const uint64_t down_cap = 32 * 1024, down_rate = 300000000000ull;
  const sim_fs end = 200000000000ull;  // 200 us
  ingress_arb a;
  bw_server s;
  std::vector<uint32_t> w(n, 1);
  ASSERT_TRUE(ingress_arb_init(&a, n, w.data(), 2048, 16 * 1024, 1024));
  ASSERT_TRUE(bw_server_init(&s, 400000000000ull, 20, 0, UINT64_MAX, 2));
  ingress_arb_set_credit(&a, down_cap, 1024);
  ingress_arb_window(&a, 0, end);
  bw_server_window(&s, 0, end);
  // events (t, kind, input): 0 arrival, 1 dispatch, 2 credit return
  std::map<std::tuple<sim_fs, int, uint32_t>, bool> ev;
  for (uint32_t i = 0; i < n; i++) ev[{0, 0, i}] = true;
  std::vector<uint64_t> got(n, 0);
  std::vector<std::pair<sim_fs, uint32_t>> down;  // downstream queue: (start of service, bytes)
  sim_fs down_free = 0;
  uint64_t held_drops = 0, plain_drops = 0, queued = 0, dispatches = 0, down_max = 0;
  auto to_downstream = [&](uint32_t input, sim_fs d) {
    while (!down.empty() && down.front().first <= d) down.erase(down.begin());
    sim_fs start = std::max(d, down_free);
    down_free = start + (sim_fs)((bytes + 20) * 8 * 1000000000000000ull / down_rate);
    down.push_back({start, bytes});
    uint64_t occ = 0;
    for (auto &q : down) occ += q.second;
    down_max = std::max(down_max, occ);
    if (start < end) got[input] += bytes;
    ev[{start, 2, input}] = true;
  };
  while (!ev.empty()) {
    auto [t, kind, i] = ev.begin()->first;
    ev.erase(ev.begin());
    if (t > end) break;
    sim_fs x;
    if (kind == 0) {
      sim_pkt p{};
      p.bytes = bytes;
      switch (ingress_arb_arrive(&a, &s, i, t, &p, i, &x)) {
        case ARB_SERVED: to_downstream(i, x); break;
        case ARB_QUEUED_SCHEDULE: queued++, ev[{x, 1, 0}] = true; break;
        case ARB_QUEUED: queued++; break;
        case ARB_DROPPED: plain_drops++; break;
        case ARB_DROPPED_HELD: held_drops++; break;
      }
      ev[{t + k1518at100G, 0, i}] = true;
    } else if (kind == 1) {
      arb_item it;
      sim_fs next;
      EXPECT_TRUE(ingress_arb_dispatch(&a, &s, t, &it, &x, &next));
      dispatches++;
      to_downstream(it.aux, x);
      if (next != SIM_FS_NEVER) ev[{next, 1, 0}] = true;
    } else if (ingress_arb_credit_return(&a, &s, bytes, t, &x)) {
      EXPECT_GE(x, t);
      ev[{x, 1, 0}] = true;
    }
  }
  double expect = 300e9 * 200e-6 / 4 / 8 * 1518 / 1538;  // frame bytes per input
  for (uint32_t k = 0; k < n; k++) EXPECT_NEAR((double)got[k], expect, expect * 0.01) << k;
  EXPECT_LE(down_max, down_cap);
  EXPECT_GT(down_max, down_cap - 2 * (bytes + 0ull));  // the downstream queue did fill
  EXPECT_GT(held_drops, 0u);
  EXPECT_EQ(plain_drops, 0u);
  EXPECT_EQ(a.tot_held_drops, held_drops);
  EXPECT_LE(dispatches, queued);  // at most one dispatch event per queued packet
  ingress_arb_free(&a);
  bw_server_free(&s);
}

TEST(IngressArb, HeldPacketWaitsForItsCreditsAndOversizeFramesPassUnchecked) {
  // credits for two 1518 B frames (a 4 KiB downstream queue): the third frame waits, with no
  // dispatch event, until a credit comes back
  ingress_arb a;
  bw_server s;
  ASSERT_TRUE(ingress_arb_init(&a, 1, nullptr, 2048, 1 << 16, 64));
  ASSERT_TRUE(bw_server_init(&s, 100000000000ull, 20, 0, UINT64_MAX, 2));
  ingress_arb_set_credit(&a, 4096, 2);
  sim_pkt p{};
  p.bytes = 1518;
  sim_fs x = 0;
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, 0, &p, 0, &x), ARB_SERVED);
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, k1518at100G, &p, 0, &x), ARB_SERVED);
  // two frames in flight: no credit left for a third, which waits with no dispatch scheduled
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, 2 * k1518at100G, &p, 0, &x), ARB_QUEUED);
  EXPECT_TRUE(a.held);
  // one credit back at t: the held packet goes when the server is free (now)
  ASSERT_TRUE(ingress_arb_credit_return(&a, &s, 1518, 3 * k1518at100G, &x));
  EXPECT_EQ(x, 3 * k1518at100G);
  arb_item it;
  sim_fs d, next;
  ASSERT_TRUE(ingress_arb_dispatch(&a, &s, x, &it, &d, &next));
  EXPECT_EQ(d, 4 * k1518at100G);
  EXPECT_EQ(next, SIM_FS_NEVER);
  // a frame larger than the whole downstream queue is not flow-controlled
  p.bytes = 9000;
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, 5 * k1518at100G, &p, 0, &x), ARB_SERVED);
  EXPECT_FALSE(ingress_arb_credit_return(&a, &s, 9000, 6 * k1518at100G, &x));
  ingress_arb_free(&a);
  bw_server_free(&s);
}
