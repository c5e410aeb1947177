// One test per remaining scenario / expect error message (test_scenario_errors.cpp has the
// first ones): the exact one-line text with file, line, column (1-based, of the offending YAML
// node, counted by hand from the text below), field and what is allowed.
#include <gtest/gtest.h>

#include "asic_test_util.h"

namespace {
const std::string kHead =
    "version: 1\n"
    "platform: {preset: MX304}\n"
    "interfaces:\n"
    "  - {name: et-0/0/1, address: 10.9.0.1/24}\n";
const std::string kFlow = "  - {name: z, port: et-0/0/0, rate: 10%, frame: 64B, dst: 10.9.0.2}\n";
const std::string kBase = kHead + "traffic:\n" + kFlow;  // lines 1-6; extra lines start at 7

std::string sub(std::string s, const std::string &from, const std::string &to) {
  size_t i = s.find(from);
  EXPECT_NE(i, std::string::npos) << from;
  if (i != std::string::npos) s.replace(i, from.size(), to);
  return s;
}

void expect_error(const std::string &name, const std::string &yaml, const std::string &msg,
                  const std::vector<std::string> &sets = {}) {
  std::string path = write_temp_yaml("err2_" + name, yaml);
  auto r = asic_run(path, sets, false);
  EXPECT_FALSE(r->loaded);
  EXPECT_EQ(r->err, msg.rfind("--set", 0) == 0 ? msg : path + ":" + msg);
}
}  // namespace

TEST(ScenarioErrors2, ExpectedAMap) { expect_error("map", kBase + "phases: 5\n", "7:9: phases: expected a map (allowed: a map)"); }
TEST(ScenarioErrors2, UnknownKeyListsAllowed) {
  expect_error("allowed", kBase + "phases: {zzzzzzzz: 1us}\n", "7:10: phases.zzzzzzzz: unknown key (allowed: warmup, measure)");
}
TEST(ScenarioErrors2, RoutesNotAList) {
  expect_error("routes_list", kBase + "routes: 5\n", "7:9: routes: expected a list (allowed: a list of maps)");
}
TEST(ScenarioErrors2, RouteMissingVia) {
  expect_error("via", kBase + "routes: [{prefix: 10.0.0.0/8}]\n", "7:10: routes: missing key 'via'");
}
TEST(ScenarioErrors2, RouteNoPort) {
  expect_error("route_port", kBase + "routes: [{prefix: 10.0.0.0/8, via: et-0/0/16}]\n",
               "7:36: routes: no port 'et-0/0/16' on r0 (allowed: et-0/0/0 .. et-0/0/15)");
}
TEST(ScenarioErrors2, RouteMissingPrefix) {
  expect_error("prefix", kBase + "routes: [{via: et-0/0/1}]\n", "7:10: routes: missing key 'prefix'");
}
TEST(ScenarioErrors2, NotAPrefix) {
  expect_error("notprefix", kBase + "routes: [{prefix: 10.0.0.300/8, via: et-0/0/1}]\n",
               "7:19: routes: '10.0.0.300/8' is not a prefix (allowed: A.B.C.D/LEN or IPv6/LEN)");
}
TEST(ScenarioErrors2, LinksNotAList) {
  expect_error("links_list", kBase + "links: 5\n", "7:8: links: expected a list (allowed: a list of maps)");
}
TEST(ScenarioErrors2, LinkMissingEnd) {
  expect_error("link_b", kBase + "links: [{a: r0:et-0/0/2}]\n", "7:9: links.b: missing key (allowed: ROUTER:et-F/P/N)");
}
TEST(ScenarioErrors2, LinkNoPort) {
  expect_error("link_port", kBase + "links: [{a: r0:et-0/0/99, b: r0:et-0/0/3}]\n",
               "7:13: links.a: no port 'r0:et-0/0/99' (allowed: ROUTER:et-F/P/N of a declared router)");
}
TEST(ScenarioErrors2, AlreadyLinked) {
  expect_error("linked", kBase + "links: [{a: r0:et-0/0/2, b: r0:et-0/0/3}, {a: r0:et-0/0/2, b: r0:et-0/0/4}]\n",
               "7:47: links.a: port 'r0:et-0/0/2' is already linked");
}
TEST(ScenarioErrors2, SetWithoutEquals) {
  expect_error("set_eq", kBase, "--set pfe.lookup_cycles: expected KEY=VALUE", {"pfe.lookup_cycles"});
}
TEST(ScenarioErrors2, SetSeedNotAnInteger) { expect_error("set_seed", kBase, "--set seed: not an integer", {"seed=abc"}); }
TEST(ScenarioErrors2, SetFrameOutOfRange) {
  expect_error("set_frame", kBase, "--set traffic.frame: '40B' is out of range (allowed: 64B..9600B)", {"traffic.frame=40B"});
}
TEST(ScenarioErrors2, NotAMap) {
  expect_error("notmap", "- 1\n", "1:1: a scenario is a map (allowed: version, traffic, ...)");
}
TEST(ScenarioErrors2, VersionMissing) {
  expect_error("nover", sub(kBase, "version: 1\n", ""), "1:1: version: missing (allowed: 1)");
}
TEST(ScenarioErrors2, RoutersEmpty) {
  expect_error("routers_empty", kBase + "routers: []\n",
               "7:10: routers: expected a non-empty list (allowed: a list of maps with name, platform, ...)");
}
TEST(ScenarioErrors2, TopLevelKeyWithRouters) {
  expect_error("toplevel", kBase + "routers: [{name: a}]\n",
               "2:11: platform: not allowed at the top level with routers: (allowed: inside each router)");
}
static const std::string kRouters = "version: 1\nrouters:\n";
static const std::string kTail = "traffic:\n  - {router: a, port: et-0/0/0, dst: 10.0.0.1}\n";
TEST(ScenarioErrors2, RouterNameMissing) {
  expect_error("rname", kRouters + "  - {platform: {preset: MX304}}\n" + kTail, "3:5: routers[].name: missing");
}
TEST(ScenarioErrors2, RouterBadName) {
  expect_error("rbad", kRouters + "  - {name: a.b}\n" + kTail,
               "3:12: routers[].name: bad name 'a.b' (allowed: up to 31 characters of a-z 0-9 _ -)");
}
TEST(ScenarioErrors2, DuplicateRouter) {
  expect_error("rdup", kRouters + "  - {name: a}\n  - {name: a}\n" + kTail, "4:12: routers[].name: duplicate router 'a'");
}
TEST(ScenarioErrors2, TrafficMissing) {
  expect_error("notraffic", kHead, "1:1: traffic: missing (allowed: a list of traffic streams)");
}
TEST(ScenarioErrors2, TrafficEmpty) {
  expect_error("traffic_empty", kHead + "traffic: []\n",
               "5:10: traffic: expected a non-empty list (allowed: a list of traffic streams)");
}
TEST(ScenarioErrors2, FrameEmptyList) {
  expect_error("frame_list", sub(kBase, "frame: 64B", "frame: []"), "6:49: traffic[].frame: list of 0 sizes (allowed: 1..64)");
}
TEST(ScenarioErrors2, FrameUnknownForm) {
  expect_error("frame_form", sub(kBase, "frame: 64B", "frame: {foo: 1}"),
               "6:49: traffic[].frame: unknown frame form (allowed: 64B, [64B, 1518B], imix, IMIX_v4_1, {uniform: [64B, 1518B]})");
}
TEST(ScenarioErrors2, UniformNotAPair) {
  expect_error("uniform_pair", sub(kBase, "frame: 64B", "frame: {uniform: 64B}"),
               "6:59: traffic[].frame.uniform: expected [MIN, MAX]");
}
TEST(ScenarioErrors2, UniformMinAboveMax) {
  expect_error("uniform_minmax", sub(kBase, "frame: 64B", "frame: {uniform: [1518B, 64B]}"),
               "6:59: traffic[].frame.uniform: MIN > MAX");
}
TEST(ScenarioErrors2, StreamBadName) {
  expect_error("sname", sub(kBase, "name: z", "name: a.b"),
               "6:12: traffic[].name: bad name 'a.b' (allowed: up to 47 characters of a-z 0-9 _ - / :)");
}
// Upper-case names are refused at load: the metric names built from them would be refused by
// the stats registry (the run crashed on such a name before).
TEST(ScenarioErrors2, StreamUpperCaseName) {
  expect_error("supper", sub(kBase, "name: z", "name: Vpn1"),
               "6:12: traffic[].name: bad name 'Vpn1' (allowed: up to 47 characters of a-z 0-9 _ - / :)");
}
TEST(ScenarioErrors2, RouterUpperCaseName) {
  expect_error("rupper", kRouters + "  - {name: R1}\n" + kTail,
               "3:12: routers[].name: bad name 'R1' (allowed: up to 31 characters of a-z 0-9 _ -)");
}
TEST(ScenarioErrors2, DuplicateStream) {
  expect_error("sdup", kBase + "  - {name: z, port: et-0/0/1, dst: 10.9.0.2}\n", "7:12: traffic[].name: duplicate stream 'z'");
}
TEST(ScenarioErrors2, NoRouter) {
  expect_error("norouter", kBase + "  - {router: q, port: et-0/0/1, dst: 10.9.0.2}\n", "7:14: traffic[].router: no router 'q'");
}
TEST(ScenarioErrors2, PortMissing) {
  expect_error("noport", kBase + "  - {dst: 10.9.0.2}\n", "7:5: traffic[].port: missing (allowed: et-F/P/N)");
}
TEST(ScenarioErrors2, DstNotAnAddress) {
  expect_error("dstpfx", sub(kBase, "dst: 10.9.0.2", "dst: 10.9.0.0/24"),
               "6:59: traffic[].dst: '10.9.0.0/24' is not an address (allowed: IPv4 or IPv6 address)");
}
TEST(ScenarioErrors2, SrcNotAnAddress) {
  expect_error("srcpfx", kBase + "  - {port: et-0/0/1, src: 10.9.0.0/24, dst: 10.9.0.2}\n",
               "7:27: traffic[].src: '10.9.0.0/24' is not an address (allowed: IPv4 or IPv6 address)");
}
TEST(ScenarioErrors2, SrcFamilyDiffersFromDst) {
  expect_error("srcfam", kBase + "  - {port: et-0/0/1, src: 2001:db8::1, dst: 10.9.0.2}\n",
               "7:27: traffic[].src: '2001:db8::1' is IPv6 but dst is IPv4 (allowed: an address of dst's family)");
}
TEST(ScenarioErrors2, IpDoesNotMatchDst) {
  expect_error("ipfam", kBase + "  - {port: et-0/0/1, dst: 10.9.0.2, ip: ipv6}\n",
               "7:41: traffic[].ip: does not match the dst address family");
}
TEST(ScenarioErrors2, FlowsOutOfRange) {
  expect_error("flows", kBase + "  - {port: et-0/0/1, dst: 10.9.0.2, flows: 0}\n",
               "7:44: traffic[].flows: '0' is out of range (allowed: 1..65536)");
}
// A plain YAML scalar may span lines (libyaml folds the break): the unknown-metric message,
// formatted outside cfg_fail, still comes out as one line (found by fuzz_scenario).
TEST(ScenarioErrors2, MultiLineMetricNameGivesOneLine) {
  expect_error("mlmetric", kBase + "expect:\n  - {metric: run.se\n\n    nt, eq: 1}\n",
               "8:14: expect[0].metric: unknown metric 'run.se nt' (did you mean 'run.sent'?)");
}
TEST(ScenarioErrors2, ExpectNotAList) {
  expect_error("exp_list", kBase + "expect: 5\n", "7:9: expect: expected a list (allowed: a list of {metric, OP: value})");
}
TEST(ScenarioErrors2, ExpectMetricMissing) {
  expect_error("exp_metric", kBase + "expect: [{ge: 1}]\n",
               "7:10: expect[].metric: missing (allowed: a stats name such as flow.f1.rx_l1_gbps)");
}
TEST(ScenarioErrors2, ExpectMoreThanOneComparison) {
  expect_error("exp_two", kBase + "expect: [{metric: flow.z.rx_pkts, ge: 1, le: 2}]\n",
               "7:10: expect[]: more than one comparison (allowed: one of approx, eq, ge, gt, le, lt)");
}
TEST(ScenarioErrors2, ExpectNoComparison) {
  expect_error("exp_none", kBase + "expect: [{metric: flow.z.rx_pkts}]\n",
               "7:10: expect[]: no comparison (allowed: one of approx, eq, ge, gt, le, lt)");
}
TEST(ScenarioErrors2, ExpectTolOnlyWithApprox) {
  expect_error("exp_tol", kBase + "expect: [{metric: flow.z.rx_pkts, ge: 1, tol: 1%}]\n", "7:47: expect[].tol: only with approx");
}
// unknown metric names are refused before the run (exit 2), with a did-you-mean
TEST(ScenarioErrors2, ExpectUnknownMetric) {
  expect_error("exp_unknown", kBase + "expect: [{metric: flow.z.rx_l1_gbs, ge: 1}]\n",
               "7:19: expect[0].metric: unknown metric 'flow.z.rx_l1_gbs' (did you mean 'flow.z.rx_l1_gbps'?)");
}
TEST(ScenarioErrors2, ExpectUnknownAnalyticReference) {
  expect_error("exp_unknown_ref",
               kBase + "expect:\n  - {metric: flow.z.rx_pkts, gt: 0}\n"
                       "  - {metric: flow.z.rx_l1_gbps, approx: analytic.flow.z.expected_l1_gbp}\n",
               "9:14: expect[1].value: unknown metric 'analytic.flow.z.expected_l1_gbp' (did you mean "
               "'analytic.flow.z.expected_l1_gbps'?)");
}
TEST(ScenarioErrors2, ExpectKnownNamesOfEveryKindLoad) {
  // counters, histogram statistics, gauges published after the run, resources, ports, analytic
  auto r = asic_run(write_temp_yaml("exp_known", kBase + "expect:\n"
                                                         "  - {metric: flow.z.drops.pg_in_queue_full, eq: 0}\n"
                                                         "  - {metric: flow.z.latency_lifo.p99.9, gt: 0}\n"
                                                         "  - {metric: r0.asic0.slice0.pg0.in.util, le: 1}\n"
                                                         "  - {metric: r0.port.et-0/0/1.rx_l1_gbps, gt: 0}\n"
                                                         "  - {metric: run.sent, approx: analytic.r0.asic0.slice0.in.offered_mpps}\n"),
                    {}, false);
  EXPECT_TRUE(r->loaded) << r->err;
}
// field parsers behind the remaining call sites: each names its field and what is allowed
static const std::string kOne = "version: 1\ninterfaces:\n  - {name: et-0/0/1, address: 10.9.0.1/24}\ntraffic:\n";
static std::string one(const std::string &extra) { return kOne + "  - {port: et-0/0/0, dst: 10.9.0.2, " + extra + "}\n"; }
TEST(ScenarioErrors2, RateNotANumber) {
  expect_error("rate_text", one("rate: fast"),
               "5:43: traffic[].rate: 'fast' is not a number with a unit (allowed: bps, Kbps, Mbps, Gbps, Tbps)");
}
TEST(ScenarioErrors2, IpUnknownValue) {
  expect_error("ip_val", one("ip: ipv5"), "5:41: traffic[].ip: unknown value 'ipv5', did you mean 'ipv4'? (allowed: ipv4, ipv6)");
}
TEST(ScenarioErrors2, ArrivalUnknownValue) {
  expect_error("arrival", one("arrival: burst"), "5:46: traffic[].arrival: unknown value 'burst' (allowed: cbr, poisson)");
}
TEST(ScenarioErrors2, StartMissingUnit) {
  expect_error("start", one("start: 5"), "5:44: traffic[].start: missing unit in '5' (allowed: fs, ps, ns, us, ms, s)");
}
TEST(ScenarioErrors2, SeedNotAnInteger) {
  expect_error("seed", sub(one("ip: ipv4"), "version: 1\n", "version: 1\nseed: abc\n"),
               "2:7: seed: 'abc' is not an unsigned integer (allowed: decimal or 0x hex)");
}
TEST(ScenarioErrors2, TolOutOfRange) {
  expect_error("tol_range", one("ip: ipv4") + "expect: [{metric: run.sent, approx: 1, tol: 200%}]\n",
               "6:45: expect[].tol: '200%' is out of range (allowed: 0%..100%)");
}
