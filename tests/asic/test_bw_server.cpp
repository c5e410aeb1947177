// FIFO bandwidth resource (portgroup/bw_server) and lookup thread pool (pfe/lookup):
// exact D/D/1 sequences, tail drop, occupancy, and M/D/1 under Poisson arrivals.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

extern "C" {
#include "model/sim_rng.h"
#include "pfe/lookup.h"
#include "portgroup/bw_server.h"
}

// 1518 B + 20 B at 100 Gbit/s = 12304 bits = 123.04 ns = 123040000 fs (exact).
static const sim_fs kS1518at100G = 123040000;

TEST(BwServer, SerializationIsExactInFemtoseconds) {
  EXPECT_EQ(sim_ser_fs(1538, 100000000000ull), kS1518at100G);
  EXPECT_EQ(sim_ser_fs(84, 400000000000ull), 1680000u);  // 64 B + 20 at 400G = 1.68 ns
  EXPECT_EQ(sim_ser_fs(84, 800000000000ull), 840000u);
  EXPECT_EQ(sim_ser_fs(1, 300000000000ull), 26667u);     // 8/300e9 s = 26666.67 fs, rounded up
  EXPECT_EQ(sim_period_fs(1.2e9), 833333u);               // rounded once, to nearest
}

TEST(BwServer, BackToBackBurstIsExactDD1) {
  bw_server s;
  ASSERT_TRUE(bw_server_init(&s, 100000000000ull, 20, 0, 1 << 20, 1000));
  bw_server_window(&s, 0, SIM_FS_NEVER);
  const int n = 50;
  for (int k = 0; k < n; k++) {  // all arrive at t = 1000 fs
    sim_fs d = bw_server_offer(&s, 1000, 1518);
    EXPECT_EQ(d, 1000 + (sim_fs)(k + 1) * kS1518at100G) << k;
    EXPECT_EQ(s.last_start, 1000 + (sim_fs)k * kS1518at100G);
  }
  EXPECT_EQ(bw_server_census(&s, 1000 + 10 * kS1518at100G), (uint32_t)(n - 10));
  bw_server_free(&s);
}

TEST(BwServer, ArrivalsSlowerThanServiceNeverWait) {
  bw_server s;
  ASSERT_TRUE(bw_server_init(&s, 400000000000ull, 20, 5000, 1 << 20, 1000));
  for (int k = 0; k < 100; k++) {
    sim_fs t = (sim_fs)k * 2 * sim_ser_fs(84, 400000000000ull);
    EXPECT_EQ(bw_server_offer(&s, t, 64), t + 1680000 + 5000);
  }
  bw_server_free(&s);
}

TEST(BwServer, TailDropByBytesAndByDescriptors) {
  bw_server s;
  ASSERT_TRUE(bw_server_init(&s, 100000000000ull, 20, 0, 3 * 1518, 1000));
  for (int k = 0; k < 3; k++) EXPECT_NE(bw_server_offer(&s, 0, 1518), SIM_FS_NEVER);
  EXPECT_EQ(bw_server_offer(&s, 0, 1518), SIM_FS_NEVER);  // 4th does not fit in bytes
  EXPECT_EQ(s.tot_drops, 1u);
  // one departure at S frees room for exactly one more
  EXPECT_NE(bw_server_offer(&s, kS1518at100G, 1518), SIM_FS_NEVER);
  EXPECT_EQ(bw_server_offer(&s, kS1518at100G, 1518), SIM_FS_NEVER);
  bw_server_free(&s);
  ASSERT_TRUE(bw_server_init(&s, 100000000000ull, 20, 0, 1 << 30, 2));
  EXPECT_NE(bw_server_offer(&s, 0, 64), SIM_FS_NEVER);
  EXPECT_NE(bw_server_offer(&s, 0, 64), SIM_FS_NEVER);
  EXPECT_EQ(bw_server_offer(&s, 0, 64), SIM_FS_NEVER);
  bw_server_free(&s);
}

TEST(BwServer, OccupancyAndUtilizationOfABurst) {
  // n packets at t=0, window [0, n*S): occupancy n, n-1, ..., 1 each for S -> mean (n+1)/2
  bw_server s;
  const int n = 10;
  ASSERT_TRUE(bw_server_init(&s, 100000000000ull, 20, 0, 1 << 20, 100));
  bw_server_window(&s, 0, n * kS1518at100G);
  for (int k = 0; k < n; k++) bw_server_offer(&s, 0, 1518);
  bw_server_advance(&s, SIM_FS_NEVER - 1);
  EXPECT_DOUBLE_EQ(bw_server_mean_pkts(&s), (n + 1) / 2.0);
  EXPECT_DOUBLE_EQ(bw_server_util(&s), 1.0);
  EXPECT_EQ(s.max_pkts, (uint32_t)n);
  EXPECT_EQ(*s.c.dep_pkts, (uint64_t)n - 1);  // the n-th departs exactly at w1 (outside)
  bw_server_free(&s);
}

// M/D/1 fed by Poisson arrivals: p99 of the sojourn time strictly increases with load, and
// the mean wait matches Pollaczek-Khinchine W = rho*S / (2(1-rho)) within a few percent.
TEST(BwServer, PoissonP99IncreasesWithLoadAndMatchesMD1Mean) {
  const double loads[] = {0.50, 0.80, 0.90, 0.95, 0.98};
  const int samples = 1000000;
  sim_fs prev_p99 = 0;
  for (double rho : loads) {
    bw_server s;
    ASSERT_TRUE(bw_server_init(&s, 100000000000ull, 20, 0, 1ull << 40, 1 << 20));
    sim_rng r;
    sim_rng_seed(&r, 7, (uint64_t)(rho * 100));
    std::vector<sim_fs> soj(samples);
    double t = 0, wait_sum = 0, mean_gap = (double)kS1518at100G / rho;
    for (int k = 0; k < samples; k++) {
      t += sim_rng_exp(&r, mean_gap);
      sim_fs a = (sim_fs)t;
      sim_fs d = bw_server_offer(&s, a, 1518);
      ASSERT_NE(d, SIM_FS_NEVER);
      soj[k] = d - a;
      wait_sum += (double)(d - a - kS1518at100G);
    }
    std::nth_element(soj.begin(), soj.begin() + samples * 99 / 100, soj.end());
    sim_fs p99 = soj[samples * 99 / 100];
    EXPECT_GT(p99, prev_p99) << "rho " << rho;
    prev_p99 = p99;
    double w_pk = rho * kS1518at100G / (2 * (1 - rho));
    double tol = rho < 0.96 ? 0.03 : 0.10;  // heavier load converges slower
    EXPECT_NEAR(wait_sum / samples / w_pk, 1.0, tol) << "rho " << rho;
    bw_server_free(&s);
  }
}

TEST(Lookup, ThreadPoolServesInWavesOfThreads) {
  lookup_pool p;
  ASSERT_TRUE(lookup_init(&p, 1600, 1.2e9, 100000));
  const sim_fs occ = 1280ull * 833333ull;
  for (int k = 0; k < 5000; k++) {
    sim_fs done = lookup_offer(&p, 0, 1280);
    EXPECT_EQ(done, (sim_fs)(k / 1600 + 1) * occ) << k;
  }
  EXPECT_EQ(lookup_census(&p, 0), 5000u - 1600u);
  lookup_free(&p);
}

TEST(Lookup, MixedOccupancyUsesEarliestFreeThread) {
  lookup_pool p;
  ASSERT_TRUE(lookup_init(&p, 2, 1e9, 100));  // period 1e6 fs
  EXPECT_EQ(lookup_offer(&p, 0, 10), 10000000u);  // thread A until 10 ns
  EXPECT_EQ(lookup_offer(&p, 0, 3), 3000000u);    // thread B until 3 ns (switches to heap)
  EXPECT_EQ(lookup_offer(&p, 0, 3), 6000000u);    // B again (earliest free), not A
  EXPECT_EQ(lookup_offer(&p, 0, 1), 7000000u);    // B at 6 ns
  EXPECT_EQ(lookup_offer(&p, 0, 1), 8000000u);
  lookup_free(&p);
}

TEST(Lookup, QueueFullDrops) {
  lookup_pool p;
  ASSERT_TRUE(lookup_init(&p, 1, 1e9, 2));
  EXPECT_NE(lookup_offer(&p, 0, 5), SIM_FS_NEVER);  // on the thread
  EXPECT_NE(lookup_offer(&p, 0, 5), SIM_FS_NEVER);  // waiting 1
  EXPECT_NE(lookup_offer(&p, 0, 5), SIM_FS_NEVER);  // waiting 2
  EXPECT_EQ(lookup_offer(&p, 0, 5), SIM_FS_NEVER);
  EXPECT_EQ(p.tot_drops, 1u);
  lookup_free(&p);
}
