// Issue 9's two timing defects, each against its closed form:
// a. The deficit-round-robin arbiters (PG.in, slice.in) charge what their bandwidth charges,
//    frame + 20 B, so inputs of equal speed get equal L1 shares whatever their frame sizes
//    (charging frame bytes only gave a 64 B and a 1518 B stream about 56/44).
// b. A router's own pfe.lookup_cycles applies to traffic that entered at another router.
#include <gtest/gtest.h>

#include "asic_test_util.h"

namespace {
const char kTwoSizes[] =
    "version: 1\nplatform: {preset: MX304}\nparams: {PARAMS}\n"
    "interfaces:\n  - {name: IF_A, address: 10.0.4.1/24}\n  - {name: IF_B, address: 10.0.5.1/24}\n"
    "traffic:\n"
    "  - {name: small, port: PORT_A, rate: 100%, frame: 64B, dst: 10.0.4.2}\n"
    "  - {name: big, port: PORT_B, rate: 100%, frame: 1518B, dst: 10.0.5.2}\n"
    "phases: {warmup: 50us, measure: 500us}\n";

std::string fill(std::string y, const std::vector<std::pair<std::string, std::string>> &subs) {
  for (const auto &s : subs) y.replace(y.find(s.first), s.first.size(), s.second);
  return y;
}
}  // namespace

// Two 100GE ports of PG0 share a 100 Gbit/s port group: DRR weights are equal (same speed),
// so each gets 100 / 2 = 50 Gbit/s L1.
TEST(DrrCharge, EqualSpeedPortsShareAPortGroupEquallyInL1) {
  auto r = asic_run(write_temp_yaml("drr_pg", fill(kTwoSizes, {{"PARAMS", "portgroup: {pg_bw: 100Gbps}"},
                                                               {"IF_A", "et-0/0/4"}, {"IF_B", "et-0/0/5"},
                                                               {"PORT_A", "et-0/0/0"}, {"PORT_B", "et-0/0/1"}})));
  ASSERT_TRUE(r->loaded) << r->err;
  EXPECT_NEAR(r->m("r0.asic0.slice0.pg0.in.l1_gbps"), 100.0, 0.5);
  EXPECT_NEAR(r->m("flow.small.rx_l1_gbps"), 50.0, 0.5);
  EXPECT_NEAR(r->m("flow.big.rx_l1_gbps"), 50.0, 0.5);
}

// PG0 (64 B) and PG1 (1518 B) share a 100 Gbit/s slice.in: equal PG weights, 50 / 50 in L1.
TEST(DrrCharge, PortGroupsShareASliceEquallyInL1) {
  auto r = asic_run(write_temp_yaml("drr_slice", fill(kTwoSizes, {{"PARAMS", "pfe: {slice_bw: 100Gbps}"},
                                                                  {"IF_A", "et-0/0/2"}, {"IF_B", "et-0/0/6"},
                                                                  {"PORT_A", "et-0/0/0"}, {"PORT_B", "et-0/0/4"}})));
  ASSERT_TRUE(r->loaded) << r->err;
  EXPECT_NEAR(r->m("r0.asic0.slice0.in.l1_gbps"), 100.0, 0.5);
  EXPECT_NEAR(r->m("flow.small.rx_l1_gbps"), 50.0, 0.5);
  EXPECT_NEAR(r->m("flow.big.rx_l1_gbps"), 50.0, 0.5);
}

// scenarios/two_routers.yaml: stream `east` enters at r1 (1280 cycles) and crosses r2, whose
// own lookup takes 1500 cycles. Its zero-load latency (measured and closed form) exceeds the
// one with r2 at 1280 cycles by 220 cycles of r2's 1.2 GHz clock (833333 fs, rounded once).
TEST(LookupCycles, EachRouterUsesItsOwnOccupancy) {
  auto heavy = asic_run(scenario_path("two_routers"));
  auto light = asic_run(scenario_path("two_routers"), {"r2.pfe.lookup_cycles=1280"});
  ASSERT_TRUE(heavy->loaded && light->loaded) << heavy->err << light->err;
  const double extra = 220.0 * 833333.0;
  EXPECT_EQ(heavy->m("flow.east.latency_lifo.min") - light->m("flow.east.latency_lifo.min"), extra);
  EXPECT_EQ(heavy->m("flow.east.latency_lifo.max"), heavy->m("analytic.flow.east.zero_load_lifo_fs"));
  EXPECT_EQ(heavy->m("analytic.flow.east.zero_load_lifo_fs") - light->m("analytic.flow.east.zero_load_lifo_fs"), extra);
  // a stream's own lookup_cycles still applies at its ingress router only: r1 at 2000 moves
  // east by 720 cycles, r2 stays at its 1500
  auto own = asic_run(scenario_path("two_routers"), {"r1.pfe.lookup_cycles=2000"});
  ASSERT_TRUE(own->loaded) << own->err;
  EXPECT_EQ(own->m("flow.east.latency_lifo.min") - heavy->m("flow.east.latency_lifo.min"), 720.0 * 833333.0);
}
