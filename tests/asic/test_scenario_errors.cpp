// One test per scenario error: the exact one-line message naming file, line, column and
// field, and what is allowed.
#include <gtest/gtest.h>

#include "asic_test_util.h"

static const std::string kBase =
    "version: 1\n"
    "platform: {preset: MX304}\n"
    "interfaces:\n"
    "  - {name: et-0/0/1, address: 10.9.0.1/24}\n"
    "traffic:\n"
    "  - {name: z, port: et-0/0/0, rate: 10%, frame: 64B, dst: 10.9.0.2}\n";

static std::string replace(std::string s, const std::string &from, const std::string &to) {
  size_t i = s.find(from);
  if (i != std::string::npos) s.replace(i, from.size(), to);
  return s;
}

static void expect_error(const std::string &name, const std::string &yaml, const std::string &msg,
                         const std::vector<std::string> &sets = {}) {
  std::string path = write_temp_yaml("err_" + name, yaml);
  auto r = asic_run(path, sets, false);
  EXPECT_FALSE(r->loaded);
  EXPECT_EQ(r->err, msg.rfind("--set", 0) == 0 ? msg : path + ":" + msg);
}

TEST(ScenarioErrors, BaseLoads) {
  auto r = asic_run(write_temp_yaml("err_base", kBase), {}, false);
  EXPECT_TRUE(r->loaded) << r->err;
}
TEST(ScenarioErrors, UnknownKeyDidYouMean) {
  expect_error("unknown", replace(kBase, "traffic:", "trafic:"), "5:1: trafic: unknown key (did you mean 'traffic'?)");
}
TEST(ScenarioErrors, UnknownParameterDidYouMean) {
  expect_error("param", kBase + "params: {pfe: {lookup_cycle: 10}}\n",
               "7:16: params.pfe.lookup_cycle: unknown key (did you mean 'lookup_cycles'?)");
}
TEST(ScenarioErrors, Version) {
  expect_error("version", replace(kBase, "version: 1", "version: 2"), "1:10: version: unsupported version '2' (allowed: 1)");
}
TEST(ScenarioErrors, MissingUnit) {
  expect_error("unit", kBase + "params: {portgroup: {pg_bw: 300}}\n",
               "7:29: params.portgroup.pg_bw: missing unit in '300' (allowed: bps, Kbps, Mbps, Gbps, Tbps)");
}
TEST(ScenarioErrors, OutOfRange) {
  expect_error("range", kBase + "params: {pfe: {lookup_cycles: 0}}\n",
               "7:31: params.pfe.lookup_cycles: '0' is out of range (allowed: 1..1000000)");
}
TEST(ScenarioErrors, WrongType) {
  expect_error("type", kBase + "phases: {warmup: [1us]}\n",
               "7:18: phases.warmup: expected a scalar, found a sequence (allowed: a scalar)");
}
TEST(ScenarioErrors, UnknownPort) {
  expect_error("port", replace(kBase, "port: et-0/0/0", "port: et-0/0/99"),
               "6:21: traffic[].port: no port 'et-0/0/99' on r0 (allowed: et-0/0/0 .. et-0/0/15)");
}
TEST(ScenarioErrors, RateAboveLineRate) {
  expect_error("rate", replace(kBase, "rate: 10%", "rate: 150Gbps"),
               "6:37: traffic[].rate: '150Gbps' is above the port's line rate (allowed: 1Kbps..100Gbps L1, the port's "
               "line rate, or 1e-07%..100%)");
}
// issue 10: a negative rate states the real range (0 is refused too)
TEST(ScenarioErrors, RateNegativeOrZero) {
  const std::string allowed = " (allowed: 1Kbps..100Gbps L1, the port's line rate, or 1e-07%..100%)";
  expect_error("rate_neg", replace(kBase, "rate: 10%", "rate: -5Gbps"), "6:37: traffic[].rate: '-5Gbps' is negative" + allowed);
  expect_error("rate_negp", replace(kBase, "rate: 10%", "rate: -5%"), "6:37: traffic[].rate: '-5%' is negative" + allowed);
  expect_error("rate_zero", replace(kBase, "rate: 10%", "rate: 0Gbps"), "6:37: traffic[].rate: '0Gbps' is out of range" + allowed);
  expect_error("rate_zerop", replace(kBase, "rate: 10%", "rate: 0%"), "6:37: traffic[].rate: '0%' is out of range" + allowed);
}
// issue 10: a 20-digit flows: states the key's range, not uint64's
TEST(ScenarioErrors, FlowsTwentyDigits) {
  expect_error("flows20", replace(kBase, "dst: 10.9.0.2", "dst: 10.9.0.2, flows: 99999999999999999999"),
               "6:76: traffic[].flows: '99999999999999999999' is out of range (allowed: 1..65536)");
}
// issue 10: an empty scenario (or comments only) names the field it lacks
TEST(ScenarioErrors, EmptyFileNamesAField) {
  expect_error("empty", "", "1:1: version: missing, the file is empty (allowed: a scenario map, version: 1 first)");
  expect_error("comments", "# nothing yet\n", "1:1: version: missing, the file is empty (allowed: a scenario map, version: 1 first)");
}
// issue 10: a unit in an expect: value says values are unitless numbers
TEST(ScenarioErrors, ExpectValueWithUnit) {
  expect_error("unit", kBase + "expect:\n  - {metric: flow.z.rx_l1_gbps, approx: 10Gbps}\n",
               "8:41: expect[].value: '10Gbps': values are unitless numbers in the metric's unit (allowed: a number "
               "such as 10, or a metric name)");
}
TEST(ScenarioErrors, FrameTooSmall) {
  expect_error("frame", replace(kBase, "frame: 64B", "frame: 40B"),
               "6:49: traffic[].frame: '40B' is out of range (allowed: 64B..9600B)");
}
TEST(ScenarioErrors, UnknownPreset) {
  expect_error("preset", replace(kBase, "MX304", "MX305"),
               "2:20: platform.preset: unknown value 'MX305', did you mean 'MX304'? (allowed: MX304, MX10K-LC4800, MX10K-LC9600)");
}
TEST(ScenarioErrors, MissingDestination) {
  expect_error("dst", replace(kBase, ", dst: 10.9.0.2", ""), "6:5: traffic[].dst: missing (allowed: an IPv4 or IPv6 address)");
}
TEST(ScenarioErrors, SetUnknownKey) {
  expect_error("set1", kBase,
               "--set zzz: unknown key (allowed: BLOCK.PARAM, ROUTER.BLOCK.PARAM, platform.KEY, phases.warmup, "
               "phases.measure, seed, traffic.frame, traffic.rate, traffic.flows, ipsec.tunnels.NAME.count)",
               {"zzz=3"});
}
// issue 10: did-you-mean from the parameter tables, and a router that does not exist
TEST(ScenarioErrors, SetUnknownKeyDidYouMean) {
  expect_error("set1b", kBase, "--set pfe.lookup_cycle: unknown key (did you mean 'pfe.lookup_cycles'?)", {"pfe.lookup_cycle=3"});
  expect_error("set1c", kBase, "--set portgroup.pg_bwx: unknown key (did you mean 'portgroup.pg_bw'?)",
               {"portgroup.pg_bwx=1Gbps"});
  expect_error("set1d", kBase, "--set r0.pfe.lookup_cycle: unknown key (did you mean 'r0.pfe.lookup_cycles'?)",
               {"r0.pfe.lookup_cycle=3000"});
  expect_error("set1e", kBase, "--set phases.warmp: unknown key (did you mean 'phases.warmup'?)", {"phases.warmp=3us"});
}
TEST(ScenarioErrors, SetUnknownRouter) {
  expect_error("set1f", kBase, "--set r9.pfe.lookup_cycles: no router 'r9' (routers: r0)", {"r9.pfe.lookup_cycles=3000"});
}
TEST(ScenarioErrors, SetBadValue) {
  expect_error("set2", kBase, "--set pfe.slice_bw: missing unit in '3' (allowed: bps, Kbps, Mbps, Gbps, Tbps)",
               {"pfe.slice_bw=3"});
}
TEST(ScenarioErrors, LinkBetweenDifferentSpeeds) {
  std::string y =
      "version: 1\nrouters:\n  - {name: a, platform: {preset: MX304}}\n"
      "  - {name: b, platform: {preset: MX304, port_mode: 4x400GE}}\n"
      "links:\n  - {a: a:et-0/0/1, b: b:et-0/0/0}\n"
      "traffic:\n  - {router: a, port: et-0/0/0, dst: 10.0.0.1}\n";
  expect_error("link", y, "6:5: links: ports of different speeds (allowed: same speed at both ends)");
}
