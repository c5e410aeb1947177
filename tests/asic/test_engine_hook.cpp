// The IPsec engine attachment point at PG0 of a slice: a route to the engine sends packets
// through slice.out and PG0's egress bandwidth to engine->accept(); the engine's output
// re-enters through PG0's ingress bandwidth and takes a second lookup. Here a loopback
// "engine" hands every packet back 1 us later as another stream bound for a port.
#include <gtest/gtest.h>

#include "asic_test_util.h"

namespace {
struct Loopback {
  asic_world *w;
  uint32_t back_flow;
  uint64_t seen = 0;
  sim_fs first_at = 0;
};

void accept(void *ctx, uint32_t slice, sim_fs t, const sim_pkt *pkt) {
  auto *lb = static_cast<Loopback *>(ctx);
  if (!lb->seen++) lb->first_at = t;
  sim_pkt p = *pkt;
  p.flow = lb->back_flow;
  asic_sim_engine_return(lb->w, slice, t + SIM_FS_PER_US, &p);
}
}  // namespace

TEST(EngineHook, Pg0CarriesEngineTrafficBothWays) {
  std::string y =
      "version: 1\nplatform: {preset: MX304}\n"
      "interfaces:\n  - {name: et-0/0/5, address: 10.5.0.1/24}\n"
      "traffic:\n"
      "  - {name: in, port: et-0/0/4, rate: 50%, frame: 1518B, dst: 10.7.0.1}\n"    // PG1 -> engine
      "  - {name: out, port: et-0/0/4, rate: 1%, frame: 1518B, dst: 10.5.0.2, start: 1s}\n"  // returns
      "phases: {warmup: 10us, measure: 100us}\n";
  auto r = asic_run(write_temp_yaml("engine", y), {}, false);
  ASSERT_TRUE(r->loaded) << r->err;
  asic_world *w = &r->sc.world;
  w->flows[0].egress[0] = ASIC_NH_ENGINE;  // what a route to an si- interface resolves to
  Loopback lb{w, 1};
  w->engine = {&lb, accept};
  asic_sim_run_c(w);
  char msg[256];
  uint64_t sent = w->flows[0].tot_sent;
  EXPECT_EQ(lb.seen, sent);
  EXPECT_EQ(w->flows[1].tot_recv, sent);  // every packet came back and left on et-0/0/5
  EXPECT_EQ(w->flows[1].tot_sent, 0u);
  // zero load: the engine sees the packet after PG1.in, slice in, lookup, slice out, PG0.out
  const sim_fs pg = 30760000, sl = 15380000;  // 1538 B at 400G / 800G
  EXPECT_EQ(lb.first_at, sim_ser_fs(8 + 1518, 100000000000ull) + pg + sl + 1280ull * 833333ull + sl + pg);
  asic_report_publish(&r->sc);
  // PG0 of slice 0 carried the engine traffic in both directions though none of its ports did
  double pkts = r->m("flow.in.tx_pkts");
  EXPECT_GT(pkts, 400);  // 50 Gbit/s of 1518 B for 100 us = 406 packets
  EXPECT_NEAR(r->m("r0.asic0.slice0.pg0.out.done_pkts"), pkts, 2);
  EXPECT_NEAR(r->m("r0.asic0.slice0.pg0.in.done_pkts"), pkts, 2);
  EXPECT_NEAR(r->m("r0.asic0.slice0.pg0.out.l1_gbps"), 50.0, 0.5);
  EXPECT_TRUE(asic_sim_conservation(w, msg, sizeof msg)) << msg;
}
