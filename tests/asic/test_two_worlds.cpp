// No process-global state in the model: two worlds in one process, stepped alternately
// window by window, give exactly the reports each gives alone.
#include <gtest/gtest.h>

#include "asic_test_util.h"

TEST(TwoWorlds, InterleavedStepsGiveTheSameReports) {
  auto a = asic_run(scenario_path("slice_fabric_bound"), {"phases.measure=20us"}, false);
  auto b = asic_run(scenario_path("two_routers"), {"phases.measure=20us"}, false);
  ASSERT_TRUE(a->loaded && b->loaded) << a->err << b->err;
  // both alive at once; advance each by one lookahead window of every heap in turn
  asic_world *wa = &a->sc.world, *wb = &b->sc.world;
  for (sim_fs t = 0;; t += wa->lookahead < wb->lookahead ? wa->lookahead : wb->lookahead) {
    bool left = false;
    for (asic_world *w : {wa, wb})
      for (uint32_t h = 0; h < w->n_slices; h++) {
        asic_sim_step(w, h, t);
        left |= !sim_heap_empty(&w->slices[h].heap);
      }
    if (!left) break;
  }
  asic_report_publish(&a->sc);
  asic_report_publish(&b->sc);
  auto a1 = asic_run(scenario_path("slice_fabric_bound"), {"phases.measure=20us"});
  auto b1 = asic_run(scenario_path("two_routers"), {"phases.measure=20us"});
  EXPECT_EQ(a->json(), a1->json());
  EXPECT_EQ(b->json(), b1->json());
  EXPECT_GT(a1->m("run.received"), 0);
}
