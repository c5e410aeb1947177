// The resource registry is the only list of resources: a dummy resource added through the
// registry alone (asic_registry_add, nothing else touched) gets its measurement window, is
// in the conservation census (packets held, drops owned), gets its stats names and report
// figures, and is a name expect: accepts.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

extern "C" {
#include "asic/asic_analytic.h"
#include "asic/asic_report.h"
#include "asic/scenario.h"
}

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
  // expect: names
  scenario_expect x[2]{};
  std::strcpy(x[0].metric, "r0.dummy.l1_gbps");
  std::strcpy(x[0].where, "t.yaml:1:1");
  sc.expects = x;
  sc.n_expects = 1;
  EXPECT_TRUE(asic_expect_check_names(&sc, &cerr)) << cerr.msg;
  std::strcpy(x[1].metric, "r0.dummy.l1_gbs");
  std::strcpy(x[1].where, "t.yaml:2:1");
  sc.n_expects = 2;
  EXPECT_FALSE(asic_expect_check_names(&sc, &cerr));
  EXPECT_STREQ(cerr.msg, "t.yaml:2:1: expect[1].metric: unknown metric 'r0.dummy.l1_gbs' (did you mean 'r0.dummy.l1_gbps'?)");
  sc.expects = nullptr;
  sc.n_expects = 0;
  asic_world_free(w);  // the registry frees the dummy's storage too
  EXPECT_EQ(dummy.ring, nullptr);
}
