// Histogram: exact count/min/max/mean, quantiles within the documented bound (x <= q < x +
// x/64) of the exact nearest-rank quantile computed by sorting.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

extern "C" {
#include "model/stats.h"
}

namespace {

struct Hist {
  stats_registry *r = stats_create();
  stats_hist *h = stats_hist_add(r, "h", "fs", "");
  ~Hist() { stats_destroy(r); }
};

TEST(StatsHist, Empty) {
  Hist t;
  EXPECT_EQ(stats_hist_count(t.h), 0u);
  EXPECT_EQ(stats_hist_quantile(t.h, 0.5), 0u);
  EXPECT_EQ(stats_hist_mean(t.h), 0.0);
}

TEST(StatsHist, SmallValuesAreExact) {
  Hist t;
  for (uint64_t v = 100; v >= 1; v--) stats_hist_record(t.h, v);
  EXPECT_EQ(stats_hist_count(t.h), 100u);
  EXPECT_EQ(stats_hist_min(t.h), 1u);
  EXPECT_EQ(stats_hist_max(t.h), 100u);
  EXPECT_EQ(stats_hist_mean(t.h), 50.5);
  EXPECT_EQ(stats_hist_quantile(t.h, 0.5), 50u);
  EXPECT_EQ(stats_hist_quantile(t.h, 0.99), 99u);
  EXPECT_EQ(stats_hist_quantile(t.h, 0.999), 100u);  // rank ceil(99.9) = 100
  EXPECT_EQ(stats_hist_quantile(t.h, 0.01), 1u);
  EXPECT_EQ(stats_hist_quantile(t.h, 0.0), 1u);
  EXPECT_EQ(stats_hist_quantile(t.h, 1.0), 100u);
}

TEST(StatsHist, BucketBoundsByHand) {
  // 1000 is in [512, 1024): 64 sub-buckets of width 8; 1000 = 125 * 8, bucket [1000, 1007].
  Hist a;
  stats_hist_record(a.h, 1000);
  stats_hist_record(a.h, 5000);
  EXPECT_EQ(stats_hist_quantile(a.h, 0.5), 1007u);
  // 128 opens the first sub-bucketed range: width 2, bucket [128, 129].
  Hist b;
  stats_hist_record(b.h, 128);
  stats_hist_record(b.h, 200);
  EXPECT_EQ(stats_hist_quantile(b.h, 0.5), 129u);
  // Clamped to max: a single value comes back exactly.
  Hist c;
  stats_hist_record(c.h, 1000);
  EXPECT_EQ(stats_hist_quantile(c.h, 0.5), 1000u);
}

TEST(StatsHist, ExtremeValuesAndExactSum) {
  Hist t;
  stats_hist_record(t.h, UINT64_MAX);
  stats_hist_record(t.h, UINT64_MAX);
  stats_hist_record(t.h, 0);
  EXPECT_EQ(stats_hist_min(t.h), 0u);
  EXPECT_EQ(stats_hist_max(t.h), UINT64_MAX);
  // Sum 2^65 - 2 (does not fit 64 bits), mean (2^65 - 2) / 3.
  EXPECT_DOUBLE_EQ(stats_hist_mean(t.h), std::ldexp(2.0, 64) / 3.0);
  EXPECT_EQ(stats_hist_quantile(t.h, 0.5), UINT64_MAX);
  EXPECT_EQ(stats_hist_quantile(t.h, 0.3), 0u);
}

// Nearest-rank quantile at q = k / 10000 with integer arithmetic: sorted[ceil(k n / 10000) - 1].
uint64_t exact_quantile(const std::vector<uint64_t> &sorted, uint64_t k) {
  uint64_t n = sorted.size(), rank = (k * n + 9999) / 10000;
  return sorted[std::max<uint64_t>(rank, 1) - 1];
}

void check_accuracy(const std::vector<uint64_t> &values) {
  Hist t;
  long double sum = 0;
  for (uint64_t v : values) {
    stats_hist_record(t.h, v);
    sum += v;
  }
  std::vector<uint64_t> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(stats_hist_count(t.h), sorted.size());
  EXPECT_EQ(stats_hist_min(t.h), sorted.front());
  EXPECT_EQ(stats_hist_max(t.h), sorted.back());
  EXPECT_NEAR(stats_hist_mean(t.h), static_cast<double>(sum / values.size()),
              1e-12 * static_cast<double>(sum / values.size()));
  for (uint64_t k : {1, 10, 100, 1000, 2500, 5000, 7500, 9000, 9900, 9990, 9999}) {
    uint64_t x = exact_quantile(sorted, k), got = stats_hist_quantile(t.h, k / 10000.0);
    EXPECT_GE(got, x) << "q=" << k / 10000.0;
    EXPECT_LT(got - x, std::max<uint64_t>(x / 64, 1)) << "q=" << k / 10000.0 << " x=" << x;
    EXPECT_LE(got, sorted.back());
  }
}

TEST(StatsHist, QuantilesWithinOneSixtyFourthLogUniform) {
  std::mt19937_64 rng(20261127);
  std::uniform_real_distribution<double> exp10(0.0, 15.0);  // 1 fs .. 1 s
  std::vector<uint64_t> v(100000);
  for (auto &x : v) x = static_cast<uint64_t>(std::pow(10.0, exp10(rng)));
  check_accuracy(v);
}

TEST(StatsHist, QuantilesWithinOneSixtyFourthNarrowBand) {
  // Latency-like: 2 us +- a few ns in fs, where every sample shares one power-of-two range.
  std::mt19937_64 rng(7);
  std::normal_distribution<double> lat(2e9, 3e6);
  std::vector<uint64_t> v(100000);
  for (auto &x : v) x = static_cast<uint64_t>(std::max(0.0, lat(rng)));
  check_accuracy(v);
}

TEST(StatsHist, QuantilesWithinOneSixtyFourthFullRange) {
  std::mt19937_64 rng(99);
  std::vector<uint64_t> v(100000);
  for (auto &x : v) x = rng() >> (rng() % 64);
  check_accuracy(v);
}

}  // namespace
