// Engine ordering and state (issue 11): per-SA order and the reorder bound under spray,
// sequence numbers per ESP packet at dispatch, anti-replay checked at dispatch and committed
// in per-SA order (a duplicate in flight on another lane is delivered once), ESN, named
// refusals, conservation. Flow control and metrics: test_engine_flow.cpp.
#include <algorithm>
#include <map>

#include "engine_test_util.h"

using namespace enginetest;

namespace {

// A 9000-byte packet on lane 0, then small ones: lane 1 completes three 64-byte packets
// before the big one, they wait (reorder occupancy 3), and with reorder_depth 4 the fifth
// packet of the SA may not start until the big one is released.
TEST(EngineOrder, ReorderDepthStallsDispatchAndKeepsOrder) {
  engine_params p = defaults();
  p.reorder_depth = 4;
  Rec r(p, {out_sa(4, SA_UDP_NONE, 9100)});  // a 9000-byte frame needs a tunnel MTU above 9000
  ASSERT_TRUE(r.e) << r.why;
  engine_desc big = enc(0, 9000, 0);
  ASSERT_EQ(engine_offer(r.e, 0, &big), ENGINE_OUT_PACKET);
  for (uint64_t u = 1; u <= 6; u++) {
    engine_desc d = enc(0, 64, u);
    ASSERT_EQ(engine_offer(r.e, 0, &d), ENGINE_OUT_PACKET);
  }
  r.drain();
  auto pk = r.packets();
  ASSERT_EQ(pk.size(), 7u);
  for (size_t i = 0; i < pk.size(); i++) EXPECT_EQ(pk[i].seq, i + 1);  // per-SA order kept
  // 9000 B: IP 8982, P 8984 (562 blocks): 1 + 562 + 2 + 5 = 570 cycles, tag at 589, release
  // visible from 590. 64 B: 11 cycles on lane 1 at 0, 11, 22; the 4th small (5th packet)
  // waits for the big one's slot: starts at 590.
  EXPECT_EQ(pk[0].release_fs, 590u * T12);
  EXPECT_EQ(pk[1].release_fs, 590u * T12);  // waited
  EXPECT_EQ(pk[4].start_fs, 590u * T12);
  EXPECT_EQ(r.max_outstanding, 4u);
  engine_metrics m;
  engine_metrics_of(r.e, &m);
  EXPECT_EQ(m.reorder_max_pkts, 3u);
  EXPECT_EQ(pk[1].first_out_fs, pk[1].release_fs);  // waited: no cut-through
  expect_conserved(r);
}

// Random sizes on spray over 3 lanes and 5 SAs: order per SA, the bound never exceeded.
TEST(EngineOrder, RandomMixKeepsPerSaOrderWithinBound) {
  engine_params p = defaults();
  p.lanes = 3;
  p.reorder_depth = 8;
  p.in_queue = 1 << 24;
  std::vector<engine_sa> sas(5, out_sa(4, SA_UDP_NONE, 9100));
  Rec r(p, sas);
  ASSERT_TRUE(r.e) << r.why;
  uint64_t x = 12345;
  sim_fs t = 0;
  for (uint64_t u = 0; u < 3000; u++) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const uint32_t frame = 64 + (uint32_t)((x >> 33) % 8937);
    engine_desc d = enc((uint32_t)((x >> 20) % 5), frame, u);
    t += (x >> 40) % 40000;  // bursts and gaps
    ASSERT_EQ(engine_offer(r.e, t, &d), ENGINE_OUT_PACKET);
    r.sample();
  }
  r.drain();
  std::map<uint32_t, uint64_t> last;
  uint64_t n = 0;
  for (auto &o : r.packets()) {
    EXPECT_EQ(o.seq, last[o.sa] + 1) << "sa " << o.sa;
    last[o.sa] = o.seq;
    n++;
  }
  EXPECT_EQ(n, 3000u);
  EXPECT_EQ(r.max_outstanding, 8u);  // reached, never exceeded
  engine_metrics m;
  engine_metrics_of(r.e, &m);
  EXPECT_LE(m.reorder_max_pkts, 5u * 7u);
  EXPECT_GT(m.reorder_max_pkts, 0u);  // the case was exercised
  expect_conserved(r);
}

// reorder_depth 1: an SA's next packet starts in the cycle after the previous one's release
// (1518 B: tag at 121, release visible from 122).
TEST(EngineOrder, ReorderDepthOneSerializesAnSa) {
  engine_params p = defaults();
  p.reorder_depth = 1;
  Rec r(p, {out_sa()});
  ASSERT_TRUE(r.e) << r.why;
  for (uint64_t u = 0; u < 2; u++) {
    engine_desc d = enc(0, 1518, u);
    engine_offer(r.e, 0, &d);
  }
  r.drain();
  EXPECT_EQ(r.by_user(1)->start_fs, 122u * T12);
  EXPECT_EQ(r.by_user(1)->lane, 0u);  // both lanes free: lowest index
}

// Pre-fragmentation at tunnel MTU 1400: sa_max_inner = ((1400 - 54 + 2) & ~3) - 2 = 1346, so a
// 1518-byte frame (IP 1500) becomes fragments of 20 + 1320 (a multiple of 8) and 20 + 160
// bytes, ESP IP 54 + 1340 + pad 2 = 1396 and 54 + 180 + 2 = 236, each its own lane
// operation with its own sequence number, in order; the clear frame counts once.
TEST(EngineOrder, FragmentsTakeOneSequenceNumberEach) {
  Rec r(defaults(), {out_sa(4, SA_UDP_NONE, 1400)});
  ASSERT_TRUE(r.e) << r.why;
  engine_desc d = enc(0, 1518, 7);
  ASSERT_EQ(engine_offer(r.e, 0, &d), ENGINE_OUT_PACKET);
  r.drain();
  auto pk = r.packets();
  ASSERT_EQ(pk.size(), 2u);
  EXPECT_EQ(pk[0].ip_bytes, 1396u);
  EXPECT_EQ(pk[1].ip_bytes, 236u);
  EXPECT_EQ(pk[0].seq, 1u);
  EXPECT_EQ(pk[1].seq, 2u);
  EXPECT_EQ(pk[0].frag_count, 2u);
  EXPECT_EQ(pk[1].frag_index, 1u);
  EXPECT_EQ(pk[0].lane, 0u);
  EXPECT_EQ(pk[1].lane, 1u);
  EXPECT_EQ(engine_sa_next_seq(r.e, 0), 2u);
  engine_counters *c = engine_counters_of(r.e);
  EXPECT_EQ(*c->pkts, 1u);
  EXPECT_EQ(*c->done_pkts, 2u);
  EXPECT_EQ(*c->clear_l1_bytes, 1538u);
  EXPECT_EQ(*c->wan_l1_bytes, (1396u + 18 + 20) + (236u + 18 + 20));
  expect_conserved(r);
}

// Anti-replay: two copies of sequence 1 in flight on two lanes: both pass the check at
// dispatch, the first commits, the second is dropped at its commit (delivered once). A forged
// copy of 2 (ICV fails) does not age the window: the genuine 2 behind it is delivered. A copy
// of 1 arriving after the commit is dropped at dispatch, without a lane.
TEST(EngineOrder, DuplicateInFlightIsDeliveredOnce) {
  const engine_sa in = in_sa();
  Rec r(defaults(), {in});
  ASSERT_TRUE(r.e) << r.why;
  engine_desc a = dec(in, 0, 1518, 1, true, 1), b = dec(in, 0, 1518, 1, true, 2);
  engine_desc f = dec(in, 0, 1518, 2, false, 3), g = dec(in, 0, 1518, 2, true, 4);
  for (engine_desc *d : {&a, &b, &f, &g}) ASSERT_EQ(engine_offer(r.e, 0, d), ENGINE_OUT_PACKET);
  r.drain();
  engine_desc late = dec(in, 0, 1518, 1, true, 5);
  ASSERT_EQ(engine_offer(r.e, 1000000000, &late), ENGINE_OUT_PACKET);
  r.drain();
  ASSERT_EQ(r.out.size(), 5u);
  EXPECT_EQ(r.by_user(1)->kind, ENGINE_OUT_PACKET);
  EXPECT_EQ(r.by_user(1)->lane, 0u);
  EXPECT_EQ(r.by_user(2)->lane, 1u);  // in flight beside the first
  EXPECT_EQ(r.by_user(2)->start_fs, 0u);
  EXPECT_EQ(r.by_user(2)->kind, ENGINE_OUT_DROP);
  EXPECT_EQ(r.by_user(2)->reason, ENGINE_DROP_REPLAY_DUPLICATE);
  EXPECT_EQ(r.by_user(2)->release_fs, 122u * T12);  // at its commit, after the ICV
  EXPECT_EQ(r.by_user(3)->reason, ENGINE_DROP_ICV_MISMATCH);
  EXPECT_EQ(r.by_user(4)->kind, ENGINE_OUT_PACKET);
  EXPECT_EQ(r.by_user(4)->seq, 2u);
  EXPECT_EQ(r.by_user(5)->reason, ENGINE_DROP_REPLAY_DUPLICATE);
  EXPECT_EQ(r.by_user(5)->lane, UINT32_MAX);
  EXPECT_EQ(drops(r, ENGINE_DROP_REPLAY_DUPLICATE), 2u);
  EXPECT_EQ(drops(r, ENGINE_DROP_ICV_MISMATCH), 1u);
  EXPECT_EQ(*engine_counters_of(r.e)->decrypt_pkts, 2u);
  expect_conserved(r);
}

// Left of the window (W = 64, top 100): sequence 36 is too old at dispatch; 37 is inside.
TEST(EngineOrder, ReplayTooOldAtDispatch) {
  const engine_sa in = in_sa();
  Rec r(defaults(), {in});
  ASSERT_TRUE(r.e) << r.why;
  engine_desc top = dec(in, 0, 64, 100, true, 1);
  engine_offer(r.e, 0, &top);
  r.drain();
  engine_desc old = dec(in, 0, 64, 36, true, 2), edge = dec(in, 0, 64, 37, true, 3);
  engine_offer(r.e, 1000000000, &old);
  engine_offer(r.e, 1000000000, &edge);
  r.drain();
  EXPECT_EQ(r.by_user(2)->reason, ENGINE_DROP_REPLAY_TOO_OLD);
  EXPECT_EQ(r.by_user(3)->kind, ENGINE_OUT_PACKET);
}




// Sequence space (RFC 4303 s3.3.3): a 32-bit SA whose last sent number is 2^32 - 2 sends one
// more packet (2^32 - 1), then every packet is refused at the input as seq_exhausted.
TEST(EngineOrder, SequenceExhaustionAtAdmission) {
  engine_sa s = out_sa();
  s.initial_seq = 0xFFFFFFFEull;
  Rec r(defaults(), {s});
  ASSERT_TRUE(r.e) << r.why;
  for (uint64_t u = 0; u < 3; u++) {
    engine_desc d = enc(0, 64, u);
    EXPECT_EQ(engine_offer(r.e, 0, &d), u == 0 ? ENGINE_OUT_PACKET : ENGINE_OUT_DROP);
  }
  r.drain();
  EXPECT_EQ(r.by_user(0)->seq, 0xFFFFFFFFull);
  EXPECT_EQ(r.by_user(1)->reason, ENGINE_DROP_SEQ_EXHAUSTED);
  EXPECT_EQ(r.by_user(2)->reason, ENGINE_DROP_SEQ_EXHAUSTED);
  EXPECT_EQ(r.by_user(1)->lane, UINT32_MAX);
  expect_conserved(r);
}

// A datagram of n ESP packets needs n numbers up front (as the ESP transform): with fewer
// left, counting those the SA's queued packets hold, it is refused whole (one DROP, no
// number used), and the numbers that are left still go to smaller datagrams behind it.
TEST(EngineOrder, SequenceExhaustionRefusesTheWholeDatagram) {
  engine_sa s = out_sa(4, SA_UDP_NONE, 1400);
  engine_esp_plan plan;
  ASSERT_EQ(engine_esp_plan_encrypt(&s, 4, false, 4000, &plan), ENGINE_PLAN_OK);
  const uint32_t n = plan.n;
  ASSERT_GE(n, 2u);
  s.initial_seq = 0xFFFFFFFFull - n;  // n numbers left
  engine_params p = defaults();
  p.sa_dispatch = ENGINE_PIN;  // one lane: the second packet waits in the input FIFO
  Rec r(p, {s});
  ASSERT_TRUE(r.e) << r.why;
  engine_desc a = enc(0, 64, 1), b = enc(0, 64, 2), big = enc(0, 4000 + ENGINE_ETH_OVERHEAD, 3);
  EXPECT_EQ(engine_offer(r.e, 0, &a), ENGINE_OUT_PACKET);  // starts at once: n - 1 left
  EXPECT_EQ(engine_offer(r.e, 0, &b), ENGINE_OUT_PACKET);  // queued: holds one of them
  EXPECT_EQ(engine_sa_next_seq(r.e, 0), 0xFFFFFFFFull - n + 1);
  EXPECT_EQ(engine_offer(r.e, 0, &big), ENGINE_OUT_DROP);  // needs n, n - 2 are free
  ASSERT_NE(r.by_user(3), nullptr);
  EXPECT_EQ(r.by_user(3)->reason, ENGINE_DROP_SEQ_EXHAUSTED);
  EXPECT_EQ(r.by_user(3)->frag_count, 1u);
  EXPECT_EQ(r.by_user(3)->lane, UINT32_MAX);
  for (uint64_t u = 4; u < 4 + (n - 2); u++) {  // exactly the n - 2 numbers still free
    engine_desc d = enc(0, 64, u);
    EXPECT_EQ(engine_offer(r.e, 0, &d), ENGINE_OUT_PACKET) << u;
  }
  engine_desc last = enc(0, 64, 99);
  EXPECT_EQ(engine_offer(r.e, 0, &last), ENGINE_OUT_DROP);
  r.drain();
  EXPECT_EQ(r.packets().size(), (size_t)n);
  EXPECT_EQ(r.packets().back().seq, 0xFFFFFFFFull);
  EXPECT_EQ(engine_sa_next_seq(r.e, 0), 0xFFFFFFFFull);
  size_t drops = 0;
  for (auto &o : r.out) drops += o.kind == ENGINE_OUT_DROP;
  EXPECT_EQ(drops, 2u);  // one per refused datagram, not one per fragment
  EXPECT_EQ(*engine_counters_of(r.e)->drops[ENGINE_DROP_SEQ_EXHAUSTED], 2u);
  expect_conserved(r);
}

// Inputs the engine cannot carry, each with its named outcome.
TEST(EngineOrder, RefusedInputsAreNamed) {
  engine_sa strict = out_sa(4, SA_UDP_NONE, 1400);
  strict.df = SA_DF_SET;
  const engine_sa in = in_sa();
  Rec r(defaults(), {strict, in});
  ASSERT_TRUE(r.e) << r.why;
  engine_desc df = enc(0, 1518, 1);
  df.inner_df = true;  // does not fit 1400, may not be fragmented: ICMP via the host path
  EXPECT_EQ(engine_offer(r.e, 0, &df), ENGINE_OUT_HOST);
  engine_desc v6 = enc(0, 1518, 2);
  v6.inner_family = 6;
  EXPECT_EQ(engine_offer(r.e, 0, &v6), ENGINE_OUT_HOST);
  engine_desc nosa = enc(7, 64, 3);
  EXPECT_EQ(engine_offer(r.e, 0, &nosa), ENGINE_OUT_DROP);
  EXPECT_EQ(r.by_user(3)->reason, ENGINE_DROP_BAD_DESC);
  engine_desc shorty = dec(in, 1, 64, 1, true, 4);
  shorty.ip_bytes = 20 + 8 + 8 + 16 + 1;  // cannot hold IV, trailer and ICV
  EXPECT_EQ(engine_offer(r.e, 0, &shorty), ENGINE_OUT_DROP);
  EXPECT_EQ(r.by_user(4)->reason, ENGINE_DROP_BODY_TOO_SHORT);
  engine_desc pad = dec(in, 1, 594, 1, true, 5);
  pad.clear_ip_bytes = 600;  // more than the ESP text holds
  EXPECT_EQ(engine_offer(r.e, 0, &pad), ENGINE_OUT_PACKET);
  r.drain();
  EXPECT_EQ(r.by_user(5)->reason, ENGINE_DROP_BAD_PAD_LENGTH);  // found after the ICV
  EXPECT_EQ(*engine_counters_of(r.e)->host_pkts, 2u);
  expect_conserved(r);
}

// ESN (RFC 4303 A2.2): the window infers the high half; the AAD is 12 bytes (still one block).
TEST(EngineOrder, EsnDecryptInfersTheHighHalf) {
  engine_sa in = in_sa();
  in.esn = true;
  in.initial_seq = 0x1FFFFFFF0ull;  // right edge just below an epoch boundary
  Rec r(defaults(), {in});
  ASSERT_TRUE(r.e) << r.why;
  engine_desc d = dec(in, 0, 1518, 0x00000003u, true, 1);  // wraps into epoch 2
  engine_offer(r.e, 0, &d);
  r.drain();
  ASSERT_EQ(r.out[0].kind, ENGINE_OUT_PACKET);
  EXPECT_EQ(r.out[0].seq, 0x200000003ull);
  EXPECT_EQ(r.out[0].release_fs, 122u * T12);  // A = 12: ceil(12/16) = 1 block, as for 8
}

}  // namespace
