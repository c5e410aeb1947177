// The sweep plan (tools/sweep_plan.h): value lists and A..B/STEP ranges, CSIT frame names,
// the cross product's order and ids, seeds that depend on a point's values only; and the
// CSIT IMIX_v4_1 mix of the scenario loader (28 x 64 + 16 x 570 + 4 x 1518 per 48 frames).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "asic/scenario.h"
#include "tools/sweep_plan.h"

namespace {

std::vector<std::string> values(const sweep_plan &p, size_t a) {
  std::vector<std::string> v;
  for (size_t i = 0; i < p.axes[a].n; i++) v.push_back(p.axes[a].values[i]);
  return v;
}

struct Plan {
  sweep_plan p{};
  ~Plan() { sweep_plan_free(&p); }
  bool add(const char *spec, std::string *err = nullptr) {
    char e[512] = "";
    bool ok = sweep_plan_add_axis(&p, spec, e, sizeof e);
    if (err) *err = e;
    return ok;
  }
};

TEST(SweepPlan, RangesExpandWithTheirUnit) {
  Plan x;
  ASSERT_TRUE(x.add("traffic.rate=10%..100%/10%"));
  EXPECT_EQ(values(x.p, 0), (std::vector<std::string>{"10%", "20%", "30%", "40%", "50%", "60%", "70%", "80%", "90%", "100%"}));
  ASSERT_TRUE(x.add("engine.lanes=1..4/1,8"));
  EXPECT_EQ(values(x.p, 1), (std::vector<std::string>{"1", "2", "3", "4", "8"}));
  ASSERT_TRUE(x.add("phases.measure=0.1us..0.3us/0.1us"));  // 0.1 + 2 x 0.1 is 0.3, not 0.30000000000000004
  EXPECT_EQ(values(x.p, 2), (std::vector<std::string>{"0.1us", "0.2us", "0.3us"}));
}

TEST(SweepPlan, FrameAxisTakesCsitNames) {
  Plan x;
  ASSERT_TRUE(x.add("traffic.frame=64,78,1518,9000,IMIX_v4_1,imix,594B"));
  EXPECT_EQ(values(x.p, 0), (std::vector<std::string>{"64B", "78B", "1518B", "9000B", "IMIX_v4_1", "imix", "594B"}));
}

TEST(SweepPlan, BadAxesSayWhy) {
  Plan x;
  std::string e;
  EXPECT_FALSE(x.add("traffic.rate=1%..5%/0%", &e));
  EXPECT_EQ(e, "--axis traffic.rate: range '1%..5%/0%': empty range (allowed: A..B/STEP, same unit on all three, A <= B, "
               "STEP > 0, up to 1024 values, e.g. 10%..100%/10%)");
  EXPECT_FALSE(x.add("traffic.rate=1%..5000%/1%", &e));
  EXPECT_NE(e.find("too many values"), std::string::npos);
  EXPECT_FALSE(x.add("traffic.frame=64,,1518", &e));
  EXPECT_EQ(e, "--axis traffic.frame: value '' empty (allowed: 1..47 characters)");
  EXPECT_FALSE(x.add("=64", &e));
  EXPECT_EQ(e, "--axis: key '' missing (allowed: a --set key, e.g. traffic.rate)");
}

TEST(SweepPlan, CrossProductLastAxisFastest) {
  Plan x;
  ASSERT_TRUE(x.add("traffic.frame=64,1518"));
  ASSERT_TRUE(x.add("traffic.rate=50%,75%,100%"));
  ASSERT_EQ(sweep_plan_points(&x.p), 6u);
  const char *v[SWEEP_MAX_AXES];
  sweep_plan_values(&x.p, 4, v);
  EXPECT_STREQ(v[0], "1518B");
  EXPECT_STREQ(v[1], "75%");
  char id[16], key[256];
  sweep_plan_id(4, id, sizeof id);
  sweep_plan_key(&x.p, 4, key, sizeof key);
  EXPECT_STREQ(id, "p0004");
  EXPECT_STREQ(key, "traffic.frame=1518B;traffic.rate=75%");
}

TEST(SweepPlan, SeedDependsOnBaseAndValuesOnly) {
  Plan a, b;
  a.p.base_seed = b.p.base_seed = 7;
  ASSERT_TRUE(a.add("traffic.frame=64,1518"));
  ASSERT_TRUE(b.add("traffic.frame=9000,1518,64"));
  EXPECT_EQ(sweep_plan_seed(&a.p, 0), sweep_plan_seed(&b.p, 2));  // 64B in both
  EXPECT_EQ(sweep_plan_seed(&a.p, 1), sweep_plan_seed(&b.p, 1));  // 1518B
  EXPECT_NE(sweep_plan_seed(&a.p, 0), sweep_plan_seed(&a.p, 1));
  Plan c, d;  // the order of the axes does not matter either
  ASSERT_TRUE(c.add("traffic.frame=64,1518"));
  ASSERT_TRUE(c.add("traffic.rate=50%,100%"));
  ASSERT_TRUE(d.add("traffic.rate=50%,100%"));
  ASSERT_TRUE(d.add("traffic.frame=64,1518"));
  EXPECT_EQ(sweep_plan_seed(&c.p, 1), sweep_plan_seed(&d.p, 2));  // 64B, 100%
  b.p.base_seed = 8;
  EXPECT_NE(sweep_plan_seed(&a.p, 1), sweep_plan_seed(&b.p, 1));
}

TEST(SweepPlan, ImixV41IsCsitsMixSpreadEvenly) {
  asic_flow f{};
  ASSERT_TRUE(scenario_frame_mix("IMIX_v4_1", &f));
  ASSERT_EQ(f.n_sizes, 48u);
  int n64 = 0, n570 = 0, n1518 = 0;
  for (uint32_t i = 0; i < f.n_sizes; i++) {
    n64 += f.sizes[i] == 64, n570 += f.sizes[i] == 570, n1518 += f.sizes[i] == 1518;
    if (i % 12 == 11) {  // every quarter of the cycle carries a quarter of the mix (7, 4, 1)
      EXPECT_EQ(n64, 7 * (int)(i + 1) / 12) << i;
      EXPECT_EQ(n570, 4 * (int)(i + 1) / 12) << i;
      EXPECT_EQ(n1518, 1 * (int)(i + 1) / 12) << i;
    }
  }
  EXPECT_EQ(n64 + n570 + n1518, 48);
  EXPECT_FALSE(scenario_frame_mix("IMIX_v4_2", &f));
}

}  // namespace
