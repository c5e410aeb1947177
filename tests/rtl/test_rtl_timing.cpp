// The 1-lane core against gcm_timing.h on isolated packets: for every text length 0..2048, both
// key sizes and AAD 0, 8, 12, the cycles from DESC accepted to tag accepted equal
// gcm_latency_cycles() and the lane accepts the packet's beats on consecutive cycles. The same
// on the 2-, 3- and 4-lane builds, each packet on the next lane in turn.
#include <gtest/gtest.h>

#include "rtl_test_util.hpp"

extern "C" {
#include "ipsec_engine/gcm_timing.h"
}

TEST(RtlTiming, IsolatedPacketLatencyEqualsContract) {
  std::mt19937_64 rng(11);
  auto drv = gcm_rtl_make_driver(1, nullptr);
  RtlKey k128{rtl_random_bytes(rng, 16), 0}, k256{rtl_random_bytes(rng, 32), 1};
  drv->load_key(0, k128.key.data(), 16);
  drv->load_key(1, k256.key.data(), 32);
  ASSERT_TRUE(drv->run_until_idle(100));
  size_t checked = 0;
  for (size_t len = 0; len <= 2048; len++) {
    for (const RtlKey *k : {&k128, &k256}) {
      for (size_t aad : {0, 8, 12}) {
        GcmRtlPacket p = rtl_random_packet(rng, *k, checked, aad, len, len & 1, true);
        drv->done.clear();
        drv->submit(p);
        ASSERT_TRUE(drv->run_until_idle(10000));
        ASSERT_EQ(drv->done.size(), 1u);
        const GcmRtlDone &d = drv->done[0];
        const unsigned bits = 8 * (unsigned)k->key.size();
        ASSERT_EQ(d.end_cycle - d.desc_cycle + 1, gcm_cycles_per_packet(aad, len, bits))
            << "len " << len << " aad " << aad << " key " << bits;
        ASSERT_EQ(d.tag_cycle - d.desc_cycle, gcm_latency_cycles(aad, len, bits))
            << "len " << len << " aad " << aad << " key " << bits;
        ASSERT_EQ(rtl_check(*k, p, d), "");
        checked++;
      }
    }
  }
  EXPECT_EQ(checked, 2049u * 2 * 3);
}

// 2, 3, 4 lanes: every text length 0..2048 once, on lane len mod N, the key size alternating
// and AAD cycling 0, 8, 12 (so every lane sees both key sizes and every AAD class).
class RtlTimingLanes : public ::testing::TestWithParam<unsigned> {};

TEST_P(RtlTimingLanes, IsolatedPacketLatencyOnEveryLane) {
  const unsigned lanes = GetParam();
  std::mt19937_64 rng(11 + lanes);
  auto drv = gcm_rtl_make_driver(lanes, nullptr);
  ASSERT_TRUE(drv);
  RtlKey k128{rtl_random_bytes(rng, 16), 0}, k256{rtl_random_bytes(rng, 32), 1};
  drv->load_key(0, k128.key.data(), 16);
  drv->load_key(1, k256.key.data(), 32);
  ASSERT_TRUE(drv->run_until_idle(100));
  std::vector<size_t> per_lane(lanes, 0);
  const size_t aad_class[3] = {0, 8, 12};
  for (size_t len = 0; len <= 2048; len++) {
    const RtlKey &k = ((len / lanes) & 1) ? k256 : k128;
    const size_t aad = aad_class[(len / lanes) % 3];
    GcmRtlPacket p = rtl_random_packet(rng, k, len, aad, len, len & 2, true);
    p.lane = (unsigned)(len % lanes);
    drv->done.clear();
    drv->submit(p);
    ASSERT_TRUE(drv->run_until_idle(10000));
    ASSERT_EQ(drv->done.size(), 1u);
    const GcmRtlDone &d = drv->done[0];
    const unsigned bits = 8 * (unsigned)k.key.size();
    ASSERT_EQ(d.lane, p.lane);
    ASSERT_EQ(d.end_cycle - d.desc_cycle + 1, gcm_cycles_per_packet(aad, len, bits))
        << "lanes " << lanes << " lane " << p.lane << " len " << len << " aad " << aad;
    ASSERT_EQ(d.tag_cycle - d.desc_cycle, gcm_latency_cycles(aad, len, bits))
        << "lanes " << lanes << " lane " << p.lane << " len " << len << " aad " << aad;
    ASSERT_EQ(rtl_check(k, p, d), "");
    per_lane[p.lane]++;
  }
  for (unsigned l = 0; l < lanes; l++) EXPECT_EQ(per_lane[l], (2049 + lanes - 1 - l) / lanes);
}

INSTANTIATE_TEST_SUITE_P(Lanes, RtlTimingLanes, ::testing::Values(2u, 3u, 4u),
                         [](const auto &i) { return std::to_string(i.param) + "Lanes"; });

// Closed-form spot values of the contract itself (hand computed).
TEST(RtlTiming, ContractFormula) {
  EXPECT_EQ(gcm_cycles_per_packet(0, 0, 128), 2u);       // DESC + END
  EXPECT_EQ(gcm_cycles_per_packet(8, 1500, 256), 97u);   // 1 + 94 + 1 + 1
  EXPECT_EQ(gcm_cycles_per_packet(12, 16, 128), 4u);
  EXPECT_EQ(gcm_latency_cycles(8, 1500, 128), 96u + 20u);
  const uint64_t free_from[4] = {30, 12, 12, 40};
  EXPECT_EQ(gcm_dispatch_lane(free_from, 4), 1u);
  EXPECT_EQ(gcm_reorder_depth_bound(4, 130, 3), 3u * 50u);
}
