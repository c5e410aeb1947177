// Engine flow control and metrics (issue 11): the output-FIFO credit rule under downstream
// backpressure (gcm_timing.h item 3), input tail drop owned by the engine, window counters
// and gauges (mpps, L1, util, queue maximum).
#include "engine_test_util.h"

using namespace enginetest;

namespace {

// Contract item 3 with D = 200 beats and 1518-byte packets (95 output beats): out_ready 0
// from t = 0. Two packets per lane reserve 190 beats; the fifth cannot start. out_ready 1 at
// cycle 1000: lane 0 pops packet 0's beats in 1000..1094; the fifth needs 190 + 95 - 200 = 85
// beats popped, so it starts at 1000 + 85 = 1085; packet 0 is released at 1095 * T.
TEST(EngineFlow, BackpressureFollowsTheFifoCreditRule) {
  engine_params p = defaults();
  p.out_fifo_depth = 200;
  engine_sa s = out_sa(4, SA_UDP_NONE, 1600);  // largest packet 1560 text bytes: 99 beats
  Rec r(p, {s});
  ASSERT_TRUE(r.e) << r.why;
  engine_set_out_ready(r.e, 0, false);
  for (uint64_t u = 0; u < 6; u++) {
    engine_desc d = enc(0, 1518, u);
    ASSERT_EQ(engine_offer(r.e, 0, &d), ENGINE_OUT_PACKET);
  }
  EXPECT_EQ(engine_next_event_time(r.e), 102u * T12);  // packets 2 and 3 at cycle 102
  engine_advance(r.e, 102 * T12);
  EXPECT_EQ(engine_next_event_time(r.e), SIM_FS_NEVER);  // nothing until downstream takes beats
  EXPECT_TRUE(r.out.empty());
  engine_set_out_ready(r.e, 1000 * T12, true);
  r.drain();
  ASSERT_EQ(r.out.size(), 6u);
  EXPECT_EQ(r.by_user(2)->start_fs, 102u * T12);
  EXPECT_EQ(r.by_user(2)->lane, 0u);
  EXPECT_EQ(r.by_user(4)->start_fs, 1085u * T12);
  EXPECT_EQ(r.by_user(4)->lane, 0u);
  EXPECT_EQ(r.by_user(5)->start_fs, 1085u * T12);
  EXPECT_EQ(r.by_user(0)->release_fs, 1095u * T12);
  EXPECT_EQ(r.by_user(2)->release_fs, 1190u * T12);  // its beats pop right after: 1095..1189
  expect_conserved(r);
}

// With out_ready 1, D = beats + GCM_PIPE_CYCLES never delays a dispatch; one beat less does,
// by exactly one cycle (at cycle 102 the previous packet still has 20 beats unpopped).
TEST(EngineFlow, FifoNeverBindsAtBeatsPlusPipeline) {
  for (uint64_t depth : {115u, 114u}) {
    engine_params p = defaults();
    p.out_fifo_depth = depth;
    Rec r(p, {out_sa(4, SA_UDP_NONE, 1556)});  // largest packet: exactly 1518-byte frames
    ASSERT_TRUE(r.e) << r.why;
    for (uint64_t u = 0; u < 3; u++) {
      engine_desc d = enc(0, 1518, u);
      engine_offer(r.e, 0, &d);
    }
    r.drain();
    EXPECT_EQ(gcm_out_fifo_never_binds(depth, 1504), depth == 115);
    EXPECT_EQ(r.by_user(2)->start_fs, (depth == 115 ? 102u : 103u) * T12) << depth;
  }
}

// in_queue 16384 B of frames: at t = 0 two 1518-byte frames start at once, ten wait
// (15180 B), the 13th, 14th and 15th do not fit: engine_queue_full, owned by the engine.
TEST(EngineFlow, InputTailDrop) {
  engine_params p = defaults();
  p.in_queue = 16384;
  Rec r(p, {out_sa()});
  ASSERT_TRUE(r.e) << r.why;
  int dropped = 0;
  for (uint64_t u = 0; u < 15; u++) {
    engine_desc d = enc(0, 1518, u);
    dropped += engine_offer(r.e, 0, &d) == ENGINE_OUT_DROP;
  }
  EXPECT_EQ(dropped, 3);
  EXPECT_EQ(drops(r, ENGINE_DROP_QUEUE_FULL), 3u);
  EXPECT_EQ(r.by_user(12)->reason, ENGINE_DROP_QUEUE_FULL);
  EXPECT_EQ(r.by_user(12)->release_fs, 0u);
  r.drain();
  EXPECT_EQ(r.packets().size(), 12u);
  EXPECT_EQ(engine_sa_next_seq(r.e, 0), 12u);  // dropped packets took no sequence number
  engine_metrics m;
  engine_metrics_of(r.e, &m);
  EXPECT_EQ(m.queue_max_pkts, 10u);
  expect_conserved(r);
}

// Window counters and gauges: one second of 1518-byte frames offered at 10 Mpps (below the
// 23.53 Mpps ceiling) gives 10 Mpps out, util = 10e6 * 102 * T / 2, L1 = 10e6 * 1594 * 8.
TEST(EngineFlow, WindowMetrics) {
  engine_params p = defaults();
  Rec r(p, {out_sa()});
  ASSERT_TRUE(r.e) << r.why;
  engine_set_window(r.e, 0, SIM_FS_PER_MS);
  for (uint64_t u = 0; u < 10000; u++) {
    engine_desc d = enc(0, 1518, u);
    engine_offer(r.e, u * 100000000, &d);  // every 100 ns
  }
  r.drain();
  engine_advance(r.e, SIM_FS_PER_MS);
  engine_metrics m;
  engine_metrics_of(r.e, &m);
  // released inside the 1 ms window: all but those after 1 ms (the last leaves at
  // 999.9 us + 122 cycles > 1 ms: released packets = 9999)
  EXPECT_EQ(*engine_counters_of(r.e)->done_pkts, 9999u);
  EXPECT_NEAR(m.mpps, 9.999, 1e-9);
  EXPECT_NEAR(m.l1_gbps, 9999 * 1594 * 8 / 1e-3 / 1e9, 1e-6);
  EXPECT_NEAR(m.util, 10000 * 102 * 833333e-15 / 2 / 1e-3, 1e-9);
  EXPECT_EQ(m.queue_max_pkts, 1u);
}

// Saturated (1000 x 1518 B queued at t = 0: 1000 x 102 / 2 = 51000 cycles = 42.5 us of work),
// a window of [0, 40 us) sees both lanes busy all the time: util 1.0, and the released rate
// is the ceiling (300.047 Gbit/s WAN L1) up to the first releases' pipeline delay.
TEST(EngineFlow, UtilIsOneAtSaturation) {
  engine_params p = defaults();
  p.in_queue = 1 << 21;
  Rec r(p, {out_sa()});
  ASSERT_TRUE(r.e) << r.why;
  engine_set_window(r.e, 0, 40 * SIM_FS_PER_US);
  for (uint64_t u = 0; u < 1000; u++) {
    engine_desc d = enc(0, 1518, u);
    engine_offer(r.e, 0, &d);
  }
  engine_advance(r.e, 40 * SIM_FS_PER_US);
  engine_metrics m;
  engine_metrics_of(r.e, &m);
  EXPECT_DOUBLE_EQ(m.util, 1.0);
  // released in [0, 40 us): group k of two at (122 + 102 k) cycles: k <= (48000 - 122) / 102
  EXPECT_EQ(*engine_counters_of(r.e)->done_pkts, 2u * (1 + (48000 - 122 - 1) / 102));
  EXPECT_EQ(m.queue_max_pkts, 998u);
  r.drain();
}

}  // namespace
