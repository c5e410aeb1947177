// Closed forms of the slices' IPsec engines for a scenario's offered mix (asic_analytic.h):
// which flows reach which engine (route via a tunnel, the peer's decrypt, esp_of streams),
// weights by offered datagram rate, per-SA shape, spray vs pin. Expected values are worked by
// hand below (lane cycles, rounded period), never the code's own output.
//
// Shapes (engine_esp.h): a 1518 B clear frame is a 1500 B IP datagram L; IPv4 outer, no UDP:
// ESP IP = 20 + 8 (SPI, seq) + 8 (IV) + L + pad + 2 + 16 (ICV) with (L + pad + 2) % 4 == 0:
// pad 2, ESP IP 1556 B, ESP frame 1574 B, 1594 B at L1. Lane text P = 1504 B = 94 blocks,
// AAD 8 B = 1 block, + 2 (DESC, END) + 5 overhead = 102 cycles.
// A 64 B frame: L = 46, pad 0, P = 48 = 3 blocks: 5 + 1 + 3 + 2 = 11 cycles; ESP IP 100 B,
// frame 118 B (L1 138 B). With UDP (NAT-T) the ESP frame grows 8 B, the cycles do not.
// Period: 1e15 / 1.2e9 = 833333.33 -> 833333 fs (rounded once).
#include <gtest/gtest.h>

#include "asic_test_util.h"

extern "C" {
#include "asic/asic_analytic.h"
}

namespace {
const std::string kScenario =
    "version: 1\nplatform: {preset: MX304}\n"
    "interfaces:\n  - {name: et-0/0/5, address: 10.5.0.1/24}\n"
    "traffic:\n"
    "  - {name: enc, port: et-0/0/4, rate: 100Gbps, frame: 1518B, dst: 10.7.0.1}\n"
    "  - {name: dec, port: et-0/0/6, rate: 10Gbps, frame: 64B, dst: 10.5.0.9}\n"
    "  - {name: clear, port: et-0/0/8, rate: 50Gbps, frame: 1518B, dst: 10.5.0.2}\n"
    "phases: {warmup: 10us, measure: 100us}\n";

asic_tunnel tunnel(const char *name, uint32_t slice, uint32_t peer, sa_udp_mode udp) {
  asic_tunnel t{};
  snprintf(t.name, sizeof t.name, "%s", name);
  snprintf(t.bind, sizeof t.bind, "st0.%s", name);
  t.slice = slice;
  t.peer = peer;
  for (sa_config *c : {&t.out, &t.in}) {
    c->local.family = c->remote.family = 4;
    c->udp = udp;
    c->tunnel_mtu = 9000;
    c->df = SA_DF_CLEAR;
    c->replay_window = 64;
  }
  t.out.dir = SA_OUTBOUND;
  t.in.dir = SA_INBOUND;
  return t;
}

struct World {
  std::unique_ptr<AsicRun> run;
  asic_world *w;
  explicit World(const std::vector<std::string> &sets = {}) : run(asic_run(write_temp_yaml("aneng", kScenario), sets, false)) {
    w = &run->sc.world;
  }
  void add(const asic_tunnel &t) {
    char why[256];
    ASSERT_TRUE(asic_ipsec_add_tunnel(w, &t, why, sizeof why)) << why;
  }
  void route_into(uint32_t flow, uint32_t t) { asic_world_set_next_hop(w, w->flows[flow].first_key, 0, SLICE_NH_TUNNEL(t)); }
  asic_engine_cf cf(uint32_t slice) {
    asic_engine_cf c{};
    char why[256] = "";
    EXPECT_TRUE(asic_engine_ceiling(w, slice, &c, why, sizeof why)) << why;
    return c;
  }
};

TEST(AnalyticEngine, EncryptAt1518SprayIs300G) {
  World x;
  ASSERT_TRUE(x.run->loaded) << x.run->err;
  x.add(tunnel("a", 0, ASIC_NONE, SA_UDP_NONE));
  x.route_into(0, 0);
  asic_engine_cf c = x.cf(0);
  ASSERT_TRUE(c.loaded);
  // 2 lanes / (102 x 833333 fs) = 2e15 / 84999966 = 23.529421 Mpps
  EXPECT_NEAR(c.c.mpps, 23.529421, 1e-5);
  EXPECT_NEAR(c.c.datagram_mpps, 23.529421, 1e-5);
  EXPECT_NEAR(c.c.cycles_per_datagram, 102.0, 1e-9);
  EXPECT_NEAR(c.c.l1_gbps, 300.0472, 1e-3);        // x 1594 x 8
  EXPECT_NEAR(c.c.clear_l1_gbps, 289.5060, 1e-3);  // x 1538 x 8
  // offered: 100 Gbit/s of 1518 B = 100e9 / (8 x 1538) = 8.127438 M datagrams/s
  EXPECT_NEAR(c.offered_dgram_mpps, 8.127438, 1e-5);
  EXPECT_NEAR(c.offered_l1_gbps, 100e9 / (8 * 1538.0) * 1594 * 8 / 1e9, 1e-6);  // 103.641 G WAN side
  EXPECT_FALSE(x.cf(1).loaded);  // nothing anchored on slice 1
}

TEST(AnalyticEngine, PinHalvesOneSa) {
  World x({"engine.sa_dispatch=pin"});
  ASSERT_TRUE(x.run->loaded) << x.run->err;
  x.add(tunnel("a", 0, ASIC_NONE, SA_UDP_NONE));
  x.route_into(0, 0);
  asic_engine_cf c = x.cf(0);
  // one SA, one lane: 1e15 / 84999966 = 11.764711 Mpps, x 1594 x 8 = 150.0236 Gbit/s
  EXPECT_NEAR(c.c.mpps, 11.764711, 1e-5);
  EXPECT_NEAR(c.c.l1_gbps, 150.0236, 1e-3);
}

TEST(AnalyticEngine, EncryptPlusEspOfMixWeightsByDatagramRate) {
  World x;
  ASSERT_TRUE(x.run->loaded) << x.run->err;
  x.add(tunnel("a", 0, ASIC_NONE, SA_UDP_NONE));
  x.route_into(0, 0);
  x.w->flows[1].esp_of = 0;  // "dec": the ESP of 64 B inner frames, decrypted on a's inbound SA
  asic_engine_cf c = x.cf(0);
  // datagram rates: enc 100e9 / (8 x 1538) = 8127438.2/s; dec: the esp_of source paces its
  // ESP frames (118 B, L1 138 B) at the stream's rate: 10e9 / (8 x 138) = 9057971.0/s;
  // mean cycles = (8127438.2 x 102 + 9057971.0 x 11) / 17185409.2 = 54.036326;
  // rate = 2 / (54.036326 x 833333e-15) = 44.414584 M datagrams/s (one ESP packet each);
  // WAN L1 = rate x (8127438.2 x 1594 + 9057971.0 x 138) / 17185409.2 x 8 = 293.6981 G;
  // clear L1 = rate x (8127438.2 x 1538 + 9057971.0 x 84) / 17185409.2 x 8 = 274.1749 G
  EXPECT_NEAR(c.c.cycles_per_datagram, 54.036326, 1e-5);
  EXPECT_NEAR(c.c.mpps, 44.414584, 1e-4);
  EXPECT_NEAR(c.c.l1_gbps, 293.6981, 1e-3);
  EXPECT_NEAR(c.c.clear_l1_gbps, 274.1749, 1e-3);
  EXPECT_NEAR(c.offered_dgram_mpps, 17.185409, 1e-5);
}

TEST(AnalyticEngine, PeerDecryptsOnItsAnchorAndUdpGrowsOnlyTheFrame) {
  World x;
  ASSERT_TRUE(x.run->loaded) << x.run->err;
  x.add(tunnel("a", 0, 1, SA_UDP_NATT));  // encrypt on slice 0
  x.add(tunnel("b", 1, 0, SA_UDP_NATT));  // its peer decrypts on slice 1
  x.route_into(0, 0);
  for (uint32_t s : {0u, 1u}) {
    asic_engine_cf c = x.cf(s);
    ASSERT_TRUE(c.loaded) << s;
    // still 102 cycles: 23.529421 Mpps; ESP frame 1574 + 8 (UDP) = 1582, L1 1602 B:
    // 23.529421e6 x 1602 x 8 = 301.5531 G
    EXPECT_NEAR(c.c.mpps, 23.529421, 1e-5) << s;
    EXPECT_NEAR(c.c.l1_gbps, 301.5531, 1e-3) << s;
  }
}

TEST(AnalyticEngine, ParamsMoveTheClosedForm) {
  // 1 lane: 11.764711 Mpps; 0.9 GHz: period 1111111 fs, 2e15 / (102 x 1111111) = 17.647061
  // Mpps = 225.0353 G; overhead 10: 107 cycles, 2e15 / (107 x 833333) = 22.429916 Mpps =
  // 286.0263 G
  struct Case { const char *set; double mpps, gbps; } cases[] = {
      {"engine.lanes=1", 11.764711, 150.0236},
      {"engine.clock=0.9GHz", 17.647061, 225.0353},
      {"engine.overhead_cycles=10", 22.429916, 286.0263}};
  for (const Case &k : cases) {
    World x({k.set});
    ASSERT_TRUE(x.run->loaded) << x.run->err;
    x.add(tunnel("a", 0, ASIC_NONE, SA_UDP_NONE));
    x.route_into(0, 0);
    asic_engine_cf c = x.cf(0);
    EXPECT_NEAR(c.c.mpps, k.mpps, 1e-5) << k.set;
    EXPECT_NEAR(c.c.l1_gbps, k.gbps, 1e-3) << k.set;
  }
}

TEST(AnalyticEngine, PublishedUnderTheSliceName) {
  World x;
  ASSERT_TRUE(x.run->loaded) << x.run->err;
  x.add(tunnel("a", 1, ASIC_NONE, SA_UDP_NONE));
  x.route_into(0, 0);
  asic_report_publish(&x.run->sc);
  EXPECT_NEAR(x.run->m("analytic.r0.asic0.slice1.engine.ceiling_l1_gbps"), 300.0472, 1e-3);
  EXPECT_NEAR(x.run->m("analytic.r0.asic0.slice1.engine.ceiling_clear_l1_gbps"), 289.5060, 1e-3);
  EXPECT_NEAR(x.run->m("analytic.r0.asic0.slice1.engine.ceiling_mpps"), 23.529421, 1e-5);
  EXPECT_TRUE(std::isnan(x.run->m("analytic.r0.asic0.slice0.engine.ceiling_mpps")));
  // the summary's line: 97 = 1 + 94 + 2 GCM cycles beside the overhead of 5
  char *buf = nullptr;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  asic_analytic_engine_summary(x.w, fp);
  fclose(fp);
  std::string line(buf, len);
  free(buf);
  EXPECT_EQ(line.rfind("engine r0.asic0.slice1: 2 lanes x 1.2 GHz / (5+97) cycles at 1518 B = 23.53 Mpps = "
                       "300.0 Gbit/s WAN L1 (289.5 clear), measured ", 0), 0u) << line;
}
}  // namespace

namespace {
// Pre-fragmentation at tunnel MTU 1400 (maximal-first, 8-byte multiples, df clear): a 1500 B
// datagram -> L + pad <= 1400 - 54 = 1346: first fragment 20 + 1320 data = 1340 (pad 2,
// P 1344 = 84 blocks, 92 cycles, ESP frame 1414, L1 1434), last 20 + 160 = 180 (pad 2, P 184
// = 12 blocks, 20 cycles, ESP frame 254, L1 274): 112 cycles per datagram, 2 ESP packets;
// 2e15 / (112 x 833333) = 21.428580 M datagrams/s, 42.857160 M ESP/s, x 1708 x 8 = 292.8001 G.
TEST(AnalyticEngine, PreFragmentationAt1400) {
  World x;
  ASSERT_TRUE(x.run->loaded) << x.run->err;
  asic_tunnel t = tunnel("a", 0, ASIC_NONE, SA_UDP_NONE);
  t.out.tunnel_mtu = t.in.tunnel_mtu = 1400;
  x.add(t);
  x.route_into(0, 0);
  asic_engine_cf c = x.cf(0);
  EXPECT_NEAR(c.c.datagram_mpps, 21.428580, 1e-5);
  EXPECT_NEAR(c.c.mpps, 42.857160, 1e-5);
  EXPECT_NEAR(c.c.cycles_per_datagram, 112.0, 1e-9);
  EXPECT_NEAR(c.c.l1_gbps, 292.8001, 1e-3);
  EXPECT_NEAR(c.c.clear_l1_gbps, 21.428580 * 1538 * 8 / 1e3, 1e-3);  // 263.6572 G
  // decrypted, the clear side is the two fragments: frames 1340 + 18 and 180 + 18, L1 1378 +
  // 218 = 1596 B: 21.428580e6 x 1596 x 8 = 273.6001 G (the WAN side is the same 292.8001 G)
  x.w->flows[1].esp_of = 0;
  x.w->flows[1].sizes[0] = 1518;
  asic_world_set_next_hop(x.w, x.w->flows[0].first_key, 0, 0);  // encrypt flow out of the mix
  asic_engine_cf d = x.cf(0);
  EXPECT_NEAR(d.c.l1_gbps, 292.8001, 1e-3);
  EXPECT_NEAR(d.c.clear_l1_gbps, 273.6001, 1e-3);
}

// 9000 B with tunnel MTU 9100: L = 8982, pad 0, P 8984 = 562 blocks: 570 cycles, ESP IP 9036,
// frame 9054 (L1 9074): 2e15 / (570 x 833333) = 4.210528 Mpps = 305.6506 G WAN, 303.8317 G
// clear. With the default MTU 9000 the datagram is pre-fragmented (2 ESP packets).
TEST(AnalyticEngine, JumboOneEspPacketWithMtu9100) {
  World x;
  ASSERT_TRUE(x.run->loaded) << x.run->err;
  asic_tunnel t = tunnel("a", 0, ASIC_NONE, SA_UDP_NONE);
  t.out.tunnel_mtu = t.in.tunnel_mtu = 9100;
  x.add(t);
  x.route_into(0, 0);
  x.w->flows[0].sizes[0] = 9000;
  asic_engine_cf c = x.cf(0);
  EXPECT_NEAR(c.c.mpps, 4.210528, 1e-5);
  EXPECT_NEAR(c.c.l1_gbps, 305.6506, 1e-3);
  EXPECT_NEAR(c.c.clear_l1_gbps, 303.8317, 1e-3);
  x.w->tunnels[0].out.tunnel_mtu = 9000;
  EXPECT_NEAR(x.cf(0).c.mpps / x.cf(0).c.datagram_mpps, 2.0, 1e-12);
}
}  // namespace
