// Every throughput limit emerges from its owning parameter: changing the parameter moves the
// measured ceiling to the closed-form value (computed here from the parameter, not by the
// model) within 1%, the owning resource is >= 99% busy and owns every drop, and the other
// resources stay put (no drops, unchanged closed-form ceilings).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "asic_test_util.h"

// owner_drop_metrics: every drop counter of the owning resource (a slice owns its tail drops
// and the backpressure drops at its port groups' input queues).
static void expect_owner_only_drops(const AsicRun &r, const std::vector<std::string> &owner_drop_metrics) {
  double owned = 0;
  for (const auto &m : owner_drop_metrics) owned += r.m(m);
  EXPECT_GT(owned, 0) << owner_drop_metrics[0];
  // every block's window drops: the owner's must be all of them
  double all = 0;
  for (uint32_t i = 0; i < r.sc.world.n_flows; i++) all += r.m("flow." + std::string(r.sc.world.flows[i].name) + ".drops.total");
  EXPECT_DOUBLE_EQ(all, owned);
  EXPECT_TRUE(r.balanced) << r.conservation;
}
static void expect_owner_only_drops(const AsicRun &r, const std::string &owner_drop_metric) {
  expect_owner_only_drops(r, std::vector<std::string>{owner_drop_metric});
}

TEST(Limits, PortLineRate100and400) {
  auto a = asic_run(scenario_path("port_bound"));
  ASSERT_TRUE(a->loaded) << a->err;
  EXPECT_NEAR(a->m("r0.port.et-0/0/2.tx.l1_gbps"), 100.0, 1.0);
  EXPECT_GE(a->m("r0.port.et-0/0/2.tx.util"), 0.99);
  expect_owner_only_drops(*a, "r0.port.et-0/0/2.tx.drops.port_tx_queue_full");
  // 400GE: 4 x 400GE mode, ports 0 and 1 (PG0, PG1 of slice 0) at 90% into port 2 (slice 1).
  // A 400GE port fills its 400G port group, and PG egress sits upstream of the MAC, so the
  // PG is raised to let the port's own line rate bind.
  auto b = asic_run(scenario_path("port_bound"), {"platform.port_mode=4x400GE", "portgroup.pg_bw=800Gbps"});
  ASSERT_TRUE(b->loaded) << b->err;
  EXPECT_NEAR(b->m("r0.port.et-0/0/2.tx.l1_gbps"), 400.0, 4.0);
  EXPECT_GE(b->m("r0.port.et-0/0/2.tx.util"), 0.99);
  expect_owner_only_drops(*b, "r0.port.et-0/0/2.tx.drops.port_tx_queue_full");
}

TEST(Limits, PortGroupBandwidth) {
  for (double bw : {300.0, 250.0}) {
    auto r = asic_run(scenario_path("pg_bound"), {"portgroup.pg_bw=" + std::to_string((int)bw) + "Gbps"});
    ASSERT_TRUE(r->loaded) << r->err;
    // counted on frame + 20 B, so the L1 ceiling is the parameter itself
    EXPECT_NEAR(r->m("r0.asic0.slice0.pg0.in.l1_gbps"), bw, bw * 0.01) << bw;
    EXPECT_NEAR(r->m("r0.asic0.slice0.pg0.in.mpps"), bw * 1e3 / (8 * 1538), bw * 1e3 / (8 * 1538) * 0.01);
    EXPECT_GE(r->m("r0.asic0.slice0.pg0.in.util"), 0.99);
    expect_owner_only_drops(*r, "r0.asic0.slice0.pg0.in.drops.pg_in_queue_full");
    // the others stay put: the slice and the egress ports keep their ceilings
    EXPECT_NEAR(r->m("analytic.r0.asic0.slice0.in.ceiling_l1_gbps"), 800.0, 1e-6);
    EXPECT_NEAR(r->m("analytic.r0.port.et-0/0/4.tx.ceiling_l1_gbps"), 100.0, 1e-6);
    EXPECT_LT(r->m("r0.asic0.slice0.in.util"), 0.99);
  }
}

TEST(Limits, SliceBandwidth) {
  for (double bw : {600.0, 500.0}) {
    auto r = asic_run(scenario_path("slice_bound"), {"pfe.slice_bw=" + std::to_string((int)bw) + "Gbps"});
    ASSERT_TRUE(r->loaded) << r->err;
    EXPECT_NEAR(r->m("r0.asic0.slice0.in.l1_gbps"), bw, bw * 0.01) << bw;
    EXPECT_GE(r->m("r0.asic0.slice0.in.util"), 0.99);
    // the port groups are held back by the slice's credits: its queues never overflow and
    // every drop is a backpressure drop at the PG input queues, owned by the slice
    expect_owner_only_drops(*r, "r0.asic0.slice0.in.drops.slice_backpressure");
    EXPECT_EQ(r->m("r0.asic0.slice0.in.drops.slice_in_queue_full"), 0);
    EXPECT_DOUBLE_EQ(r->m("r0.asic0.slice0.in.drops.slice_backpressure"),
                     r->m("r0.asic0.slice0.pg0.in.drops.slice_backpressure") +
                         r->m("r0.asic0.slice0.pg1.in.drops.slice_backpressure"));
    EXPECT_NEAR(r->m("analytic.r0.asic0.slice0.pg0.in.ceiling_l1_gbps"), 400.0, 1e-6);
    // each PG carries its half of the slice, not its own 400 G ceiling
    EXPECT_NEAR(r->m("r0.asic0.slice0.pg0.in.l1_gbps"), bw / 2, bw / 2 * 0.01);
    EXPECT_LT(r->m("r0.asic0.slice0.pg0.in.util"), 0.99);
  }
}

TEST(Limits, SliceBoundByFabricTrafficFromOtherSliceAndAsic) {
  auto r = asic_run(scenario_path("slice_fabric_bound"));
  ASSERT_TRUE(r->loaded) << r->err;
  EXPECT_NEAR(r->m("r0.asic0.slice1.in.l1_gbps"), 800.0, 8.0);
  EXPECT_GE(r->m("r0.asic0.slice1.in.util"), 0.99);
  // fabric arrivals (other heaps, no credits) tail-drop at slice.in; the slice's own port
  // groups are held back and drop at their input queues: both are the slice's
  expect_owner_only_drops(*r, std::vector<std::string>{"r0.asic0.slice1.in.drops.slice_in_queue_full",
                                                       "r0.asic0.slice1.in.drops.slice_backpressure"});
  EXPECT_GT(r->m("r0.asic0.slice1.in.drops.slice_in_queue_full"), 0);
  EXPECT_GT(r->m("r0.asic0.slice1.in.drops.slice_backpressure"), 0);
  // DRR weights by input speed: PG0 and PG1 4 (400G), fabric 10 (1000G), all backlogged, so a
  // PG gets 800 x 4 / 18 and each of its four 100GE streams (wan8..15) a quarter of that
  for (int i = 8; i < 16; i++)
    EXPECT_NEAR(r->m("flow.wan" + std::to_string(i) + ".rx_l1_gbps"), 800.0 * 4 / 18 / 4, 800.0 / 18 * 0.01) << i;
  EXPECT_GT(r->m("r0.asic1.slice1.fabric.pkts"), 0);  // traffic from the other ASIC
  EXPECT_GT(r->m("r0.asic0.slice0.fabric.pkts"), 0);  // and from the other slice
}

TEST(Limits, LookupRate) {
  for (int cycles : {2000, 2400}) {
    auto r = asic_run(scenario_path("lookup_bound"), {"pfe.lookup_cycles=" + std::to_string(cycles)});
    ASSERT_TRUE(r->loaded) << r->err;
    double mpps = 1600.0 / (cycles * 833333e-15) / 1e6;  // threads / (cycles x rounded period)
    EXPECT_NEAR(r->m("r0.asic0.slice0.lookup.mpps"), mpps, mpps * 0.01) << cycles;
    EXPECT_GE(r->m("r0.asic0.slice0.lookup.util"), 0.99);
    expect_owner_only_drops(*r, "r0.asic0.slice0.lookup.drops.lookup_queue_full");
    EXPECT_NEAR(r->m("analytic.r0.asic0.slice0.in.ceiling_mpps"), 800e3 / (8 * 84), 1e-6);
  }
  // the default occupancy (1280 cycles: 1500 Mpps) does not bind at 64 B line rate
  auto d = asic_run(scenario_path("lookup_bound"), {"pfe.lookup_cycles=1280"});
  ASSERT_TRUE(d->loaded) << d->err;
  EXPECT_NEAR(d->m("r0.asic0.slice0.lookup.mpps"), 800e3 / (8 * 84), 800e3 / (8 * 84) * 0.01);
  EXPECT_EQ(d->m("r0.asic0.slice0.lookup.drops.lookup_queue_full"), 0);
  EXPECT_LT(d->m("r0.asic0.slice0.lookup.util"), 0.85);
}

TEST(Limits, FabricBandwidth) {
  for (double bw : {300.0, 250.0}) {
    auto r = asic_run(scenario_path("fabric_bound"), {"fabric.fabric_bw=" + std::to_string((int)bw) + "Gbps"});
    ASSERT_TRUE(r->loaded) << r->err;
    double l1 = bw * 1538.0 / 1534.0;  // counted on frame + 16 B of fabric header
    EXPECT_NEAR(r->m("r0.asic0.slice0.fabric.l1_gbps"), l1, l1 * 0.01) << bw;
    EXPECT_GE(r->m("r0.asic0.slice0.fabric.util"), 0.99);
    expect_owner_only_drops(*r, "r0.asic0.slice0.fabric.drops.fabric_queue_full");
    EXPECT_NEAR(r->m("analytic.r0.asic0.slice0.pg0.in.ceiling_l1_gbps"), 400.0, 1e-6);
  }
}

TEST(Model, DeterministicAndSeedSensitive) {
  auto a = asic_run(scenario_path("port_bound"), {"seed=3"});
  auto b = asic_run(scenario_path("port_bound"), {"seed=3"});
  auto c = asic_run(scenario_path("port_bound"), {"seed=4"});
  ASSERT_TRUE(a->loaded && b->loaded && c->loaded);
  EXPECT_EQ(a->json(), b->json());
  EXPECT_NE(a->json(), c->json());  // Poisson gaps depend on the seed
}

TEST(Model, ConservationCountsEveryPacket) {
  auto r = asic_run(scenario_path("slice_fabric_bound"));
  ASSERT_TRUE(r->loaded) << r->err;
  EXPECT_TRUE(r->balanced) << r->conservation;
  uint64_t sent = 0, recv = 0, drops = 0;
  for (uint32_t i = 0; i < r->sc.world.n_flows; i++) {
    const asic_flow &f = r->sc.world.flows[i];
    sent += f.tot_sent, recv += f.tot_recv;
    for (int d = 0; d < DROP_N; d++) drops += f.tot_drops[d];
  }
  EXPECT_GT(drops, 0u);
  EXPECT_EQ(sent, recv + drops);
}

TEST(Model, FlowsSpreadOverRoutesByDestination) {
  // `flows: 4` from 10.0.1.254: .254 and .255 match 10.0.1.0/24, 10.0.2.0 and .1 the /24 of
  // et-0/0/2: half the packets to each port.
  std::string y =
      "version: 1\nplatform: {preset: MX304}\n"
      "routes:\n  - {prefix: 10.0.1.0/24, via: et-0/0/1}\n  - {prefix: 10.0.2.0/24, via: et-0/0/2}\n"
      "traffic:\n  - {name: z, port: et-0/0/0, rate: 50%, frame: 256B, flows: 4, dst: 10.0.1.254}\n"
      "phases: {warmup: 1us, measure: 20us}\n";
  auto r = asic_run(write_temp_yaml("spread", y));
  ASSERT_TRUE(r->loaded) << r->err;
  double a = r->m("r0.port.et-0/0/1.tx.pkts"), b = r->m("r0.port.et-0/0/2.tx.pkts");
  EXPECT_GT(a, 200);  // 50G of 256 B for 20 us = 453 packets
  EXPECT_NEAR(a, b, 2);
  EXPECT_EQ(r->m("flow.z.drops.total"), 0);
}

TEST(Model, NoRouteIsDroppedAtTheLookupWithItsReason) {
  std::string y =
      "version: 1\nplatform: {preset: MX304}\nroutes:\n  - {prefix: 10.0.1.0/24, via: et-0/0/1}\n"
      "traffic:\n  - {name: z, port: et-0/0/0, rate: 10%, frame: 64B, dst: 192.0.2.1}\n"
      "phases: {warmup: 1us, measure: 10us}\n";
  auto r = asic_run(write_temp_yaml("noroute", y));
  ASSERT_TRUE(r->loaded) << r->err;
  EXPECT_GT(r->m("flow.z.drops.no_route"), 0);
  EXPECT_EQ(r->m("flow.z.drops.no_route"), r->m("r0.asic0.slice0.lookup.drops.no_route"));
  EXPECT_EQ(r->m("flow.z.rx_pkts"), 0);
  EXPECT_TRUE(r->balanced) << r->conservation;
}

TEST(Model, ResolvedConfigurationReloadsToTheSameRun) {
  for (const char *name : {"two_routers", "line_rate_100ge", "port_bound"}) {
    auto a = asic_run(scenario_path(name), {"phases.measure=50us", "pfe.lookup_cycles=1300"});
    ASSERT_TRUE(a->loaded) << a->err;
    std::string text = a->resolved();
    auto b = asic_run(write_temp_yaml(std::string("resolved_") + name, text));
    ASSERT_TRUE(b->loaded) << b->err << "\n" << text;
    EXPECT_EQ(a->json(), b->json()) << name;
    // every key of the input kept (expect: too), in the units a person writes
    EXPECT_NE(text.find("us, measure: 50us}"), std::string::npos) << text;
    EXPECT_NE(text.find("pg_bw: 400Gbps, pg_in_queue: 256KiB"), std::string::npos) << text;
    EXPECT_NE(text.find("\nexpect:\n  - {metric: "), std::string::npos) << text;
    EXPECT_NE(text.find("    interfaces:\n      - {name: et-0/0/"), std::string::npos) << text;
  }
}

TEST(Model, ResolvedConfigurationKeepsInterfacesAsWritten) {
  const char *y =
      "version: 1\nplatform: {preset: MX304}\ninterfaces:\n"
      "  - {name: et-0/0/4, address: 10.0.4.1/24, description: 'to \"core\" \\\\ a'}\n"
      "  - {name: et-0/0/6, speed: 40Gbps}\n"
      "routes:\n  - {prefix: 10.2.0.0/16, via: et-0/0/4}\n"
      "traffic:\n  - {name: z, port: et-0/0/0, rate: 10%, frame: 64B, dst: 10.2.0.1}\n"
      "phases: {warmup: 1us, measure: 10us}\n";
  auto a = asic_run(write_temp_yaml("resolved_ifaces", y));
  ASSERT_TRUE(a->loaded) << a->err;
  std::string text = a->resolved();
  EXPECT_NE(text.find("    interfaces:\n"
                      "      - {name: et-0/0/4, address: \"10.0.4.1/24\", description: \"to \\\"core\\\" \\\\\\\\ a\"}\n"
                      "      - {name: et-0/0/6, speed: 40Gbps}\n"
                      "    routes:\n"
                      "      - {prefix: \"10.2.0.0/16\", via: et-0/0/4}\n"),
            std::string::npos)
      << text;
  auto b = asic_run(write_temp_yaml("resolved_ifaces2", text));
  ASSERT_TRUE(b->loaded) << b->err << "\n" << text;
  EXPECT_EQ(a->json(), b->json());
}

TEST(Fairness, PortGroupSharesItsBandwidthEquallyBetweenPorts) {
  // Four 100GE ports offer 100% each into a 300 Gbit/s port group: each port's ingress
  // queue is served by deficit round robin, so each stream gets 300 / 4 = 75 Gbit/s L1.
  for (double bw : {300.0, 250.0}) {
    auto r = asic_run(scenario_path("pg_bound"), {"portgroup.pg_bw=" + std::to_string((int)bw) + "Gbps"});
    ASSERT_TRUE(r->loaded) << r->err;
    for (const char *f : {"p0", "p1", "p2", "p3"}) {
      EXPECT_NEAR(r->m(std::string("flow.") + f + ".rx_l1_gbps"), bw / 4, bw / 4 * 0.01) << f << " at " << bw;
      EXPECT_GT(r->m(std::string("flow.") + f + ".drops.pg_in_queue_full"), 0) << f;
    }
    EXPECT_GT(r->m("r0.asic0.slice0.pg0.in.input.et-0/0/3.drops.pg_in_queue_full"), 0);
    EXPECT_TRUE(r->balanced) << r->conservation;
  }
}

TEST(Fairness, SliceSharesItsBandwidthBetweenPortGroupsAndPortsWithBackpressure) {
  // Closed form (max-min fair, DRR weighted by input speed): slice.in carries slice_bw L1;
  // its two PG inputs have equal weight and each offers 400 > slice_bw / 2, so each PG gets
  // slice_bw / 2; inside a PG the four 100GE inputs have equal weight and each offers
  // 100 > slice_bw / 8, so each stream gets slice_bw / 8 (75 Gbit/s at 600, 62.5 at 500).
  // This needs backpressure: the slice's credits hold the PG back so the excess waits in the
  // PG's per-port queues, where DRR is fair; tail drop into the slice's queue gave 63-81.
  for (double bw : {600.0, 500.0}) {
    auto r = asic_run(scenario_path("slice_bound"), {"pfe.slice_bw=" + std::to_string((int)bw) + "Gbps"});
    ASSERT_TRUE(r->loaded) << r->err;
    double pg0 = 0, pg1 = 0;
    for (int i = 0; i < 8; i++) {
      std::string f = "flow.p" + std::to_string(i);
      double v = r->m(f + ".rx_l1_gbps");
      (i < 4 ? pg0 : pg1) += v;
      EXPECT_NEAR(v, bw / 8, bw / 8 * 0.01) << "p" << i << " at " << bw;
      EXPECT_GT(r->m(f + ".drops.slice_backpressure"), 0) << "p" << i;
      EXPECT_EQ(r->m(f + ".drops.pg_in_queue_full"), 0) << "p" << i;
    }
    EXPECT_NEAR(pg0, bw / 2, bw / 2 * 0.01);
    EXPECT_NEAR(pg1, bw / 2, bw / 2 * 0.01);
    EXPECT_GE(r->m("r0.asic0.slice0.in.util"), 0.99);
    EXPECT_GT(r->m("r0.asic0.slice0.pg1.in.input.et-0/0/7.drops.slice_backpressure"), 0);
    EXPECT_TRUE(r->balanced) << r->conservation;
  }
}
