// The run summary (asic_report_summary) as a new user reads it: a flow whose packets all hit
// no_route shows its drops on the lookup line that owns them, "-" for latencies it has none
// of, and 0 in the as-if-alone column ("alone L1": min(offered, path ceiling), 0 unroutable).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "asic_test_util.h"

namespace {
std::string summary_of(AsicRun *r) { return r->summary(); }
std::string line_starting(const std::string &text, const std::string &prefix) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (l.rfind(prefix, 0) == 0) return l;
  return "";
}
}  // namespace

TEST(Summary, NoRouteFlowReadsAsLost) {
  auto r = asic_run(write_temp_yaml("noroute_sum",
                                    "version: 1\ninterfaces:\n  - {name: et-0/0/1, address: 10.9.0.1/24}\n"
                                    "traffic:\n  - {name: z, port: et-0/0/0, rate: 10%, dst: 10.9.0.2}\n"
                                    "  - {name: lost, port: et-0/0/2, rate: 10%, dst: 10.77.0.2}\n"));
  ASSERT_TRUE(r->loaded) << r->err;
  std::string s = summary_of(r.get());
  EXPECT_NE(line_starting(s, "flow ").find("alone L1"), std::string::npos) << s;
  // 10% of 100GE at 64 B for the 200 us window: 14.88 Mpps x 200 us = 2976 packets
  std::string lost = line_starting(s, "lost ");
  EXPECT_NE(lost.find(" 0.000      2976          -          -          -          -          -"), std::string::npos) << lost;
  EXPECT_NE(line_starting(s, "r0.asic0.slice0.lookup ").find(" 2976 no_route"), std::string::npos) << s;
  std::string z = line_starting(s, "z ");
  EXPECT_EQ(z.find(" - "), std::string::npos) << z;  // a delivered flow has latencies
}
