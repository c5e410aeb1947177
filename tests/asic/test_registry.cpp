// The resource registry is the only list of resources: a dummy resource added through the
// registry alone (asic_registry_add, nothing else touched) gets its measurement window, is
// in the conservation census (packets held, drops owned), gets its stats names and report
// figures, and is a name expect: accepts. So do a dummy arbiter with named inputs and a
// dummy packet holder (a block's buffers: no server of its own).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

extern "C" {
#include "asic/asic_analytic.h"
#include "asic/asic_report.h"
#include "asic/scenario.h"
}

namespace {

// One default MX304 router "r0", built (no flows, no routes).
void build_world(scenario *sc) {
  auto *rt = static_cast<asic_router *>(calloc(1, sizeof(asic_router)));
  std::strcpy(rt->name, "r0");
  size_t nb;
  const asic_param_block *b = asic_param_blocks(&nb);
  cfg_err cerr{};
  for (size_t i = 0; i < nb; i++)
    ASSERT_TRUE(cfg_apply_defaults(b[i].table, b[i].n, asic_param_block_base(&b[i], &rt->p, &rt->plat), &cerr)) << cerr.msg;
  char err[256];
  ASSERT_TRUE(asic_world_build(&sc->world, rt, 1, err, sizeof err)) << err;
  route_init(&sc->world.routers[0].routes);
}

// The line of the run summary that starts with `name` followed by a space ("" if none).
std::string summary_line(scenario *sc, const std::string &name) {
  char *buf = nullptr;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  asic_report_summary(sc, fp);
  fclose(fp);
  std::string s(buf, len), line;
  free(buf);
  size_t at = s.find("\n" + name + " ");
  if (at == std::string::npos) return "";
  return s.substr(at + 1, s.find('\n', at + 1) - at - 1);
}

// A block's packet buffers as the census sees them.
struct dummy_buffers {
  uint64_t held, drops;
  sim_fs asked_at;
};
void dummy_census(const asic_world *, void *ctx, uint32_t index, sim_fs t, uint64_t *held, uint64_t *drops) {
  auto *d = static_cast<dummy_buffers *>(ctx);
  EXPECT_EQ(index, 7u);
  d->asked_at = t;
  *held += d->held;
  *drops += d->drops;
}

// A block's own figures beside its resource's: published after every resource's.
void dummy_figures(const asic_world *, void *ctx, uint32_t index, stats_registry *r) {
  EXPECT_EQ(index, 5u);
  double *g = stats_gauge_add(r, "r0.dummy.rx_l1_gbps", "Gbps", "dummy receive side");
  if (g) *g = *static_cast<double *>(ctx);
}

}  // namespace

TEST(Registry, DummyResourceIsEverywhere) {
  auto *rt = static_cast<asic_router *>(calloc(1, sizeof(asic_router)));
  std::strcpy(rt->name, "r0");
  size_t nb;
  const asic_param_block *b = asic_param_blocks(&nb);
  cfg_err cerr{};
  for (size_t i = 0; i < nb; i++)
    ASSERT_TRUE(cfg_apply_defaults(b[i].table, b[i].n, asic_param_block_base(&b[i], &rt->p, &rt->plat), &cerr)) << cerr.msg;
  scenario sc{};
  asic_world *w = &sc.world;
  char err[256];
  ASSERT_TRUE(asic_world_build(w, rt, 1, err, sizeof err)) << err;
  route_init(&w->routers[0].routes);
  bw_server dummy;
  ASSERT_TRUE(bw_server_init(&dummy, 10000000000ull, 20, 0, 1 << 20, 3));  // room for 3 packets
  asic_res r{};
  std::strcpy(r.name, "r0.dummy");
  r.kind = RES_BW;
  r.bw = &dummy;
  r.reason = DROP_PG_OUT;
  double rx = 12.5;
  r.publish_figures = dummy_figures;
  r.ctx = &rx;
  r.index = 5;
  ASSERT_TRUE(asic_registry_add(w, &r));
  const sim_fs us = SIM_FS_PER_US;
  ASSERT_TRUE(asic_world_start(w, 10 * us, 100 * us, 1, err, sizeof err)) << err;
  // window
  EXPECT_EQ(dummy.w0, 10 * us);
  EXPECT_EQ(dummy.w1, 110 * us);
  // stats naming: its window counters are registered and the server counts into them
  ASSERT_NE(stats_find_counter(w->stats, "r0.dummy.pkts"), nullptr);
  for (int i = 0; i < 4; i++) bw_server_offer(&dummy, 20 * us, 1000);  // the 4th is dropped
  EXPECT_EQ(*stats_find_counter(w->stats, "r0.dummy.pkts"), 3u);
  EXPECT_EQ(*stats_find_counter(w->stats, "r0.dummy.drops.pg_out_queue_full"), 1u);
  // census at 20 us: 3 held, 1 drop owned (nothing else of the world has seen a packet)
  uint64_t held = 0, drops = 0;
  asic_registry_census(w, 20 * us, &held, &drops);
  EXPECT_EQ(held, 3u);
  EXPECT_EQ(drops, 1u);
  // report figures: 3 x 1020 B at 10 Gbit/s served inside the window
  asic_report_publish(&sc);
  const double *util = stats_find_gauge(w->stats, "r0.dummy.util");
  ASSERT_NE(util, nullptr);
  EXPECT_DOUBLE_EQ(*util, 3.0 * sim_ser_fs(1020, 10000000000ull) / (100.0 * us));
  const double *fig = stats_find_gauge(w->stats, "r0.dummy.rx_l1_gbps");  // its own figures
  ASSERT_NE(fig, nullptr);
  EXPECT_EQ(*fig, 12.5);
  // expect: names
  scenario_expect x[2]{};
  std::strcpy(x[0].metric, "r0.dummy.rx_l1_gbps");
  std::strcpy(x[0].where, "t.yaml:1:1");
  sc.expects = x;
  sc.n_expects = 1;
  EXPECT_TRUE(asic_expect_check_names(&sc, &cerr)) << cerr.msg;
  std::strcpy(x[1].metric, "r0.dummy.rx_l1_gbs");
  std::strcpy(x[1].where, "t.yaml:2:1");
  sc.n_expects = 2;
  EXPECT_FALSE(asic_expect_check_names(&sc, &cerr));
  EXPECT_STREQ(cerr.msg, "t.yaml:2:1: expect[1].metric: unknown metric 'r0.dummy.rx_l1_gbs' (did you mean 'r0.dummy.rx_l1_gbps'?)");
  sc.expects = nullptr;
  sc.n_expects = 0;
  asic_world_free(w);  // the registry frees the dummy's storage too
  EXPECT_EQ(dummy.ring, nullptr);
}

TEST(Registry, DummyArbiterInputsAndHolderAreEverywhere) {
  scenario sc{};
  build_world(&sc);
  asic_world *w = &sc.world;
  // an arbitrated stage: inputs "alpha" and "beta" (2 packets each) before a 10 Gbit/s server
  bw_server srv;
  ingress_arb arb;
  ASSERT_TRUE(bw_server_init(&srv, 10000000000ull, 20, 0, 1 << 20, 8));
  const uint32_t weights[2] = {1, 1};
  ASSERT_TRUE(ingress_arb_init(&arb, 2, weights, 2048, 1 << 20, 2));
  static const char labels[2][ASIC_INPUT_LABEL] = {"alpha", "beta"};
  asic_res a{};
  std::strcpy(a.name, "r0.dummyarb");
  a.kind = RES_BW;
  a.bw = &srv;
  a.arb = &arb;
  a.reason = DROP_PG_IN;
  a.inputs = labels;
  ASSERT_TRUE(asic_registry_add(w, &a));
  // a packet holder: 5 packets in its buffers, 2 drops of its own, a window drop counter
  dummy_buffers buf{5, 2, 0};
  stats_counter own_drops = 0, *win_drops = &own_drops;
  asic_res h{};
  std::strcpy(h.name, "r0.dummyblk");
  h.kind = RES_HOLDER;
  h.census = dummy_census;
  h.ctx = &buf;
  h.index = 7;
  h.publish = true;
  h.extra_drops = &win_drops;
  h.extra_reason = DROP_PG_OUT;
  ASSERT_TRUE(asic_registry_add(w, &h));
  const sim_fs us = SIM_FS_PER_US;
  char err[256];
  ASSERT_TRUE(asic_world_start(w, 10 * us, 100 * us, 1, err, sizeof err)) << err;
  EXPECT_EQ(win_drops, stats_find_counter(w->stats, "r0.dummyblk.drops.pg_out_queue_full"));
  EXPECT_NE(win_drops, &own_drops);
  EXPECT_EQ(arb.w0, 10 * us);  // window
  EXPECT_EQ(arb.w1, 110 * us);
  // per-input stats names; 4 on alpha: one into service, two queued, one tail drop; 1 on beta
  for (const char *m : {"r0.dummyarb.input.alpha.pkts", "r0.dummyarb.input.beta.pkts",
                        "r0.dummyarb.input.alpha.drops.pg_in_queue_full", "r0.dummyarb.pkts"})
    ASSERT_NE(stats_find_counter(w->stats, m), nullptr) << m;
  sim_pkt p{};
  p.bytes = 1000;
  sim_fs out;
  for (int i = 0; i < 4; i++) {
    p.pid = (uint64_t)i;
    ingress_arb_arrive(&arb, &srv, 0, 20 * us, &p, 0, &out);
  }
  p.pid = 4;
  ingress_arb_arrive(&arb, &srv, 1, 20 * us, &p, 0, &out);
  EXPECT_EQ(*stats_find_counter(w->stats, "r0.dummyarb.input.alpha.pkts"), 3u);
  EXPECT_EQ(*stats_find_counter(w->stats, "r0.dummyarb.input.alpha.drops.pg_in_queue_full"), 1u);
  EXPECT_EQ(*stats_find_counter(w->stats, "r0.dummyarb.input.beta.pkts"), 1u);
  EXPECT_EQ(*stats_find_counter(w->stats, "r0.dummyarb.pkts"), 4u);
  // census at 20 us: 1 in service + 3 waiting + the holder's 5; drops: 1 + the holder's 2
  uint64_t held = 0, drops = 0;
  asic_registry_census(w, 20 * us, &held, &drops);
  EXPECT_EQ(held, 1u + 3u + 5u);
  EXPECT_EQ(drops, 1u + 2u);
  EXPECT_EQ(buf.asked_at, 20 * us);
  char msg[256];
  // conservation counts at the final time, when the served packet has left the server: the
  // 3 waiting (never dispatched) + the holder's 5 (no flow sent them: does not balance)
  EXPECT_FALSE(asic_sim_conservation(w, msg, sizeof msg));
  EXPECT_STREQ(msg, "sent 0, received 0, dropped 3 (blocks) / 0 (flows), in queues 8: DOES NOT BALANCE");
  // report: the holder's census when the run ended; the stage's line in the summary
  asic_report_publish(&sc);
  const double *hp = stats_find_gauge(w->stats, "r0.dummyblk.held_pkts");
  ASSERT_NE(hp, nullptr);
  EXPECT_EQ(*hp, 5.0);
  const stats_counter *hd = stats_find_counter(w->stats, "r0.dummyblk.run_drops");
  ASSERT_NE(hd, nullptr);
  EXPECT_EQ(*hd, 2u);
  std::string line = summary_line(&sc, "r0.dummyarb");
  EXPECT_NE(line.find(" 1 pg_in_queue_full"), std::string::npos) << line;
  EXPECT_EQ(summary_line(&sc, "r0.dummyblk"), "");  // a holder is no resource line
  // expect: names
  scenario_expect x[3]{};
  std::strcpy(x[0].metric, "r0.dummyarb.input.beta.drops.pg_in_queue_full");
  std::strcpy(x[1].metric, "r0.dummyblk.held_pkts");
  std::strcpy(x[1].ref, "r0.dummyblk.drops.pg_out_queue_full");
  std::strcpy(x[2].metric, "r0.dummyarb.input.alpah.pkts");
  for (int i = 0; i < 3; i++) std::snprintf(x[i].where, sizeof x[i].where, "t.yaml:%d:1", i + 1);
  sc.expects = x;
  sc.n_expects = 2;
  cfg_err cerr{};
  EXPECT_TRUE(asic_expect_check_names(&sc, &cerr)) << cerr.msg;
  sc.n_expects = 3;
  EXPECT_FALSE(asic_expect_check_names(&sc, &cerr));
  EXPECT_STREQ(cerr.msg, "t.yaml:3:1: expect[2].metric: unknown metric 'r0.dummyarb.input.alpah.pkts' "
                         "(did you mean 'r0.dummyarb.input.alpha.pkts'?)");
  sc.expects = nullptr;
  sc.n_expects = 0;
  asic_world_free(w);  // the registry frees the stage's storage too
  EXPECT_EQ(arb.in, nullptr);
  EXPECT_EQ(srv.ring, nullptr);
}

// The world's own holders: an event left in a slice's heap is in the census.
TEST(Registry, SliceHeapIsAHolder) {
  scenario sc{};
  build_world(&sc);
  asic_world *w = &sc.world;
  char err[256];
  ASSERT_TRUE(asic_world_start(w, 0, 10 * SIM_FS_PER_US, 1, err, sizeof err)) << err;
  uint64_t held = 0, drops = 0;
  asic_registry_census(w, 0, &held, &drops);
  EXPECT_EQ(held, 0u);
  sim_event ev{};
  ev.t = 5;
  ev.kind = SIM_EV(SIM_EVC_SLICE, 0);
  ASSERT_GE(w->n_slices, 2u);
  sim_heap_push(&w->slices[1].heap, &ev);
  asic_registry_census(w, 0, &held, &drops);
  EXPECT_EQ(held, 1u);
  EXPECT_EQ(drops, 0u);
  asic_world_free(w);
}

// Each port's receive side comes from its registered MAC (its publish_figures), one per port:
// a world's report has ROUTER.port.NAME.rx_l1_gbps for every port and no other.
TEST(Registry, PortReceiveSideFromTheRegistry) {
  scenario sc{};
  build_world(&sc);
  asic_world *w = &sc.world;
  char err[256];
  ASSERT_TRUE(asic_world_start(w, 0, 10 * SIM_FS_PER_US, 1, err, sizeof err)) << err;
  size_t hooks = 0;
  for (size_t k = 0; k < w->n_res; k++) hooks += w->res[k].publish_figures != nullptr;
  EXPECT_EQ(hooks, w->n_ports);
  w->ports[3].rx_pkts = 10, w->ports[3].rx_bytes = 10 * 1230;  // 10 x 1250 B L1 in 10 us
  asic_report_publish(&sc);
  size_t rx = 0;
  for (size_t i = 0, n = stats_count(w->stats); i < n; i++) {
    std::string name = stats_at(w->stats, i).name;
    if (name.size() > 11 && name.compare(name.size() - 11, 11, ".rx_l1_gbps") == 0 && name.find(".port.") != std::string::npos) rx++;
  }
  EXPECT_EQ(rx, w->n_ports);
  char n3[96];
  std::snprintf(n3, sizeof n3, "r0.port.%s.rx_l1_gbps", w->ports[3].name);
  const double *g = stats_find_gauge(w->stats, n3);
  ASSERT_NE(g, nullptr);
  EXPECT_DOUBLE_EQ(*g, 10 * 1250 * 8 / 10e-6 / 1e9);
  asic_world_free(w);
}
