// model/occ_series: queue occupancy per time bucket against hand-computed areas and peaks,
// and the histogram's bucket walk (model/stats_hist.c) against its documented bounds.
#include <gtest/gtest.h>

extern "C" {
#include "model/occ_series.h"
#include "model/stats.h"
}

namespace {

TEST(OccSeries, SpanSplitsOverBucketsByOverlap) {
  occ_series s;
  ASSERT_TRUE(occ_series_init(&s, 1000, 100, 4));  // buckets [1000,1100) .. [1300,1400)
  occ_series_span(&s, 1050, 1250, 3, 300);         // 50 fs in bucket 0, 100 in 1, 50 in 2
  occ_series_span(&s, 900, 1010, 2, 0);            // before t0: only [1000,1010) counts
  occ_series_span(&s, 1390, 5000, 1, 64);          // past the end: only [1390,1400)
  EXPECT_DOUBLE_EQ(s.area_pkts[0], 3.0 * 50 + 2.0 * 10);
  EXPECT_DOUBLE_EQ(s.area_pkts[1], 3.0 * 100);
  EXPECT_DOUBLE_EQ(s.area_pkts[2], 3.0 * 50);
  EXPECT_DOUBLE_EQ(s.area_pkts[3], 1.0 * 10);
  EXPECT_DOUBLE_EQ(s.area_bytes[1], 300.0 * 100);
  EXPECT_DOUBLE_EQ(occ_series_mean_pkts(&s, 1), 3.0);
  EXPECT_DOUBLE_EQ(occ_series_mean_bytes(&s, 3), 64.0 * 10 / 100);
  occ_series_free(&s);
}

TEST(OccSeries, PeakKeepsTheMaximumPerBucketInsideTheBuckets) {
  occ_series s;
  ASSERT_TRUE(occ_series_init(&s, 0, 10, 3));
  occ_series_peak(&s, 5, 4, 400);
  occ_series_peak(&s, 9, 2, 900);  // fewer packets, more bytes: each maximum on its own
  occ_series_peak(&s, 10, 7, 70);  // first instant of bucket 1
  occ_series_peak(&s, 30, 99, 99); // past the last bucket: ignored
  EXPECT_EQ(s.max_pkts[0], 4u);
  EXPECT_EQ(s.max_bytes[0], 900u);
  EXPECT_EQ(s.max_pkts[1], 7u);
  EXPECT_EQ(s.max_pkts[2], 0u);
  occ_series_free(&s);
}

TEST(StatsHistBuckets, WalkGivesNonEmptyBucketsWithTheirBounds) {
  stats_registry *r = stats_create();
  stats_hist *h = stats_hist_add(r, "lat", "fs", "test");
  ASSERT_NE(h, nullptr);
  for (int i = 0; i < 5; i++) stats_hist_record(h, 7);  // exact below 128
  stats_hist_record(h, 1000000);                         // 2^19 <= v < 2^20: width 2^13
  stats_hist_record(h, 1000001);                         // same bucket
  size_t it = 0;
  uint64_t lo, hi, n;
  ASSERT_TRUE(stats_hist_next_bucket(h, &it, &lo, &hi, &n));
  EXPECT_EQ(lo, 7u);
  EXPECT_EQ(hi, 7u);
  EXPECT_EQ(n, 5u);
  ASSERT_TRUE(stats_hist_next_bucket(h, &it, &lo, &hi, &n));
  const uint64_t w = 1u << 13;
  EXPECT_EQ(lo, 1000000u / w * w);
  EXPECT_EQ(hi, lo + w - 1);
  EXPECT_EQ(n, 2u);
  EXPECT_FALSE(stats_hist_next_bucket(h, &it, &lo, &hi, &n));
  stats_destroy(r);
}

}  // namespace
