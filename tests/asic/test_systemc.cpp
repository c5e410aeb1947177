// The SystemC driver (one SC_METHOD per slice heap, windows of one lookahead) processes the
// same events as the plain C driver: identical statistics, and far fewer kernel activations
// than packets. SystemC elaborates once per process, so this binary holds one SystemC run.
#include <gtest/gtest.h>

#include "asic_test_util.h"

extern "C" {
#include "asic/asic_sc.h"
}

TEST(SystemC, SameResultsAsTheCDriverWithFewKernelEvents) {
  const std::vector<std::string> sets = {"phases.measure=200us"};
  auto c = asic_run(scenario_path("slice_fabric_bound"), sets);
  ASSERT_TRUE(c->loaded) << c->err;
  auto s = asic_run(scenario_path("slice_fabric_bound"), sets, false);
  ASSERT_TRUE(s->loaded) << s->err;
  unsigned long long act = asic_sc_run(&s->sc.world, false);
  char msg[256];
  EXPECT_TRUE(asic_sim_conservation(&s->sc.world, msg, sizeof msg)) << msg;
  asic_report_publish(&s->sc);
  EXPECT_EQ(c->json(), s->json());
  uint64_t sent = 0;
  for (uint32_t i = 0; i < s->sc.world.n_flows; i++) sent += s->sc.world.flows[i].tot_sent;
  EXPECT_GT(sent, 30000u);
  EXPECT_LT(act, sent / 4);  // windows of one lookahead, not one activation per packet
  EXPECT_GT(act, 0u);
}
