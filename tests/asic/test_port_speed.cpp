// Port line rate as a limit moved by its own parameter alone: `speed:` on an interface
// (a reduced port speed, assumed: the MAC serializes at it) lowers the egress port to 40 or
// 50 Gbit/s with every other parameter at its default. Closed form: the port carries
// speed x (frame + 20) / (frame + 20) L1, i.e. speed / (8 (frame + 20)) frames per second; the
// port owns the drops (its default 1 MiB queue fills within the 200 us warm-up) and is >= 99%
// busy; the ingress port, port groups and slice stay put.
#include <gtest/gtest.h>

#include "asic_test_util.h"

static std::string scen(const std::string &speed, const std::string &frame) {
  return "version: 1\nplatform: {preset: MX304}\ninterfaces:\n"
         "  - {name: et-0/0/5, address: 10.9.0.1/24, speed: " + speed + "}\n"
         "traffic:\n  - {name: z, port: et-0/0/0, rate: 100%, frame: " + frame + ", dst: 10.9.0.2}\n"
         "phases: {warmup: 200us, measure: 100us}\n";
}

class PortSpeed : public ::testing::TestWithParam<std::tuple<double, int>> {};

TEST_P(PortSpeed, EgressCeilingMovesToTheClosedForm) {
  auto [gbps, frame] = GetParam();
  auto r = asic_run(write_temp_yaml("speed", scen(std::to_string((int)gbps) + "Gbps", std::to_string(frame) + "B")));
  ASSERT_TRUE(r->loaded) << r->err;
  EXPECT_TRUE(r->balanced) << r->conservation;
  double mpps = gbps * 1e9 / (8.0 * (frame + 20)) / 1e6;  // closed form
  EXPECT_NEAR(r->m("flow.z.rx_l1_gbps"), gbps, gbps * 0.01);
  EXPECT_NEAR(r->m("flow.z.rx_mpps"), mpps, mpps * 0.01);
  EXPECT_NEAR(r->m("analytic.r0.port.et-0/0/5.tx.ceiling_mpps"), mpps, mpps * 1e-9);
  EXPECT_NEAR(r->m("analytic.flow.z.ceiling_l1_gbps"), gbps, gbps * 1e-9);
  EXPECT_GE(r->m("r0.port.et-0/0/5.tx.util"), 0.99);
  EXPECT_GT(r->m("flow.z.drops.port_tx_queue_full"), 0);
  EXPECT_EQ(r->m("flow.z.drops.total"), r->m("flow.z.drops.port_tx_queue_full"));
  // everything else stays put: the ingress port at 100G line rate, the PG and slice far from busy
  EXPECT_NEAR(r->m("r0.port.et-0/0/0.rx_l1_gbps"), 100.0, 1.0);
  EXPECT_NEAR(r->m("r0.asic0.slice0.pg0.in.l1_gbps"), 100.0, 1.0);
  EXPECT_LT(r->m("r0.asic0.slice0.in.util"), 0.2);
}
INSTANTIATE_TEST_SUITE_P(SpeedsAndFrames, PortSpeed,
                         ::testing::Values(std::make_tuple(40.0, 64), std::make_tuple(50.0, 1518),
                                           std::make_tuple(40.0, 1518)));

TEST(PortSpeedErrors, AboveTheCageSpeedIsRefused) {
  auto r = asic_run(write_temp_yaml("speed_hi", scen("150Gbps", "64B")), {}, false);
  EXPECT_FALSE(r->loaded);
  EXPECT_NE(r->err.find(":4:51: interfaces.speed: '150Gbps' is out of range (allowed: 1Gbps..100Gbps)"), std::string::npos) << r->err;
}

TEST(PortSpeedErrors, ResolvedConfigurationKeepsTheSpeed) {
  auto r = asic_run(write_temp_yaml("speed_res", scen("40Gbps", "64B")), {}, false);
  ASSERT_TRUE(r->loaded) << r->err;
  std::string y = r->resolved();
  EXPECT_NE(y.find("      - {name: et-0/0/5, address: \"10.9.0.1/24\", speed: 40Gbps}"), std::string::npos) << y;
  EXPECT_EQ(y.find("via: et-0/0/5"), std::string::npos) << y; // the connected route stays an interface
  auto again = asic_run(write_temp_yaml("speed_res2", y), {}, false);
  ASSERT_TRUE(again->loaded) << again->err;
  EXPECT_EQ(again->sc.world.ports[5].rate_bps, 40000000000ull);
}
