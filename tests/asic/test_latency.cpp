// Latency exactness in femtoseconds: one packet at zero load equals the closed-form sum of
// serialization, port-group and slice service, lookup occupancy and fabric, written out here
// term by term from the default parameters; a burst into a resource of known service time
// gives the exact D/D/1 sequence.
#include <gtest/gtest.h>

#include "asic_test_util.h"

// Defaults: PG 400G, slice 800G (frame + 20 B), lookup 1280 cycles x 833333 fs, fabric
// 1000G on frame + 16 B, 200 ns to the other slice, 500 ns to another ASIC.
static const sim_fs kPg64 = 1680000;       // 84 B x 8 / 400e9 s
static const sim_fs kSlice64 = 840000;     // 84 B x 8 / 800e9 s
static const sim_fs kLookup = 1280ull * 833333ull;
static const sim_fs kFab64 = 640000;       // 80 B x 8 / 1000e9 s
static const sim_fs kWire64at100 = 5760000;  // preamble+SFD+frame = 72 B x 8 / 100e9 s

static std::string one_flow(const std::string &platform, const std::string &dst_port, const std::string &extra = "") {
  return "version: 1\nplatform: " + platform + "\n" + extra + "interfaces:\n  - {name: " + dst_port +
         ", address: 10.9.0.1/24}\ntraffic:\n  - {name: z, port: et-0/0/0, rate: 1%, frame: 64B, dst: 10.9.0.2}\n"
         "phases: {warmup: 0us, measure: 50us}\n";
}

static void expect_all_equal(const AsicRun &r, sim_fs lifo) {
  ASSERT_GT(r.m("flow.z.latency_lifo.count"), 50);
  EXPECT_EQ((sim_fs)r.m("flow.z.latency_lifo.min"), lifo);
  EXPECT_EQ((sim_fs)r.m("flow.z.latency_lifo.max"), lifo);
  EXPECT_EQ((sim_fs)r.m("flow.z.latency_fifo.max"), lifo + kWire64at100);
  EXPECT_EQ((sim_fs)r.m("analytic.flow.z.zero_load_lifo_fs"), lifo);  // the report's closed form agrees
}

TEST(Latency, ZeroLoadSamePortGroup) {
  auto r = asic_run(write_temp_yaml("zl_pg", one_flow("{preset: MX304}", "et-0/0/1")));
  ASSERT_TRUE(r->loaded) << r->err;
  expect_all_equal(*r, kPg64 + kSlice64 + kLookup + kSlice64 + kPg64);
}

TEST(Latency, ZeroLoadOtherSliceOverFabric) {
  auto r = asic_run(write_temp_yaml("zl_sl", one_flow("{preset: MX304}", "et-0/0/8")));
  ASSERT_TRUE(r->loaded) << r->err;
  sim_fs fabric = kFab64 + 200 * SIM_FS_PER_NS + kSlice64 + kSlice64;
  expect_all_equal(*r, kPg64 + kSlice64 + kLookup + kSlice64 + fabric + kPg64);
}

TEST(Latency, ZeroLoadOtherAsic) {
  auto r = asic_run(write_temp_yaml("zl_as", one_flow("{preset: MX304, lmics: 2}", "et-0/1/5")));
  ASSERT_TRUE(r->loaded) << r->err;
  sim_fs fabric = kFab64 + 500 * SIM_FS_PER_NS + kSlice64 + kSlice64;
  expect_all_equal(*r, kPg64 + kSlice64 + kLookup + kSlice64 + fabric + kPg64);
}

TEST(Latency, ZeroLoadFollowsTheClockAndOccupancy) {
  // 1.1 GHz -> period 909091 fs (rounded once); 1000 cycles
  auto r = asic_run(write_temp_yaml("zl_clk", one_flow("{preset: MX304}", "et-0/0/1",
                                                       "params: {pfe: {lookup_clock: 1.1GHz, lookup_cycles: 1000}}\n")));
  ASSERT_TRUE(r->loaded) << r->err;
  expect_all_equal(*r, kPg64 + kSlice64 + 1000ull * 909091ull + kSlice64 + kPg64);
}

TEST(Latency, BurstIntoSlowPortGroupIsExactDD1) {
  // pg_bw 50G: PG service S = 1538 B at 50G; the burst arrives every A = 1538 B at 100G.
  const sim_fs A = 123040000, S = 246080000, sl = 15380000;  // 1538 B x 8 / 800e9
  const int n = 20;
  std::string y =
      "version: 1\nplatform: {preset: MX304}\nparams: {portgroup: {pg_bw: 50Gbps}}\n"
      "interfaces:\n  - {name: et-0/0/1, address: 10.9.0.1/24}\n"
      "traffic:\n  - {name: z, port: et-0/0/0, rate: 1%, frame: 1518B, burst: 20, dst: 10.9.0.2}\n"
      "phases: {warmup: 0us, measure: 100us}\n";
  auto r = asic_run(write_temp_yaml("dd1", y));
  ASSERT_TRUE(r->loaded) << r->err;
  const sim_fs l0 = S + sl + kLookup + sl + S;  // PG.out sees arrivals every S: no wait there
  ASSERT_EQ(r->m("flow.z.latency_lifo.count"), n);
  EXPECT_EQ((sim_fs)r->m("flow.z.latency_lifo.min"), l0);
  EXPECT_EQ((sim_fs)r->m("flow.z.latency_lifo.max"), l0 + (n - 1) * (S - A));
  EXPECT_DOUBLE_EQ(r->m("flow.z.latency_lifo.mean"), (double)l0 + (n - 1) * (double)(S - A) / 2);
  EXPECT_EQ(r->m("r0.asic0.slice0.pg0.in.queue_max_pkts"), 11);  // ceil(n (1 - A/S)) + 1 in queue at the peak
}
