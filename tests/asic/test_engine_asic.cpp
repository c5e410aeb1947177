// The IPsec engine inside the ASIC model (issue 11 section 2): packets really pass through
// `ipsecsim run`'s world: encrypted on one router and decrypted at its peer over a link, an
// esp_of stream decrypted, the SPI demux, unknown SPI, a remote anchor over the fabric,
// backpressure from PG0.in, pre-fragmentation, and 2000 tunnels.
#include <gtest/gtest.h>

#include <cmath>

#include "engine_asic_util.h"

namespace {
const sim_fs kUs = SIM_FS_PER_US;
}  // namespace

TEST(EngineAsic, EncryptOnOneRouterDecryptAtThePeer) {
  TwoRouters x;
  ASSERT_TRUE(x.start()) << x.err;
  ASSERT_TRUE(x.run()) << x.err;
  const asic_flow &f = x.flow(x.clear);
  EXPECT_GT(f.tot_sent, 600u);  // 50 Gbit/s of 1020 B L1 for 110 us: 674 packets
  EXPECT_EQ(f.tot_recv, f.tot_sent);
  // inside the window: what r0 encrypted, r1 decrypted; the inner frames leave at their size
  double tx = x.m("tunnel.r0.vpn.tx_pkts"), rx = x.m("tunnel.r1.vpn-b.rx_pkts");
  EXPECT_GT(tx, 550);  // 100 us: 612
  EXPECT_NEAR(rx, tx, 2);
  EXPECT_EQ(x.m("r0.asic0.slice0.engine.encrypt_pkts"), tx);
  EXPECT_EQ(x.m("r0.asic0.slice0.engine.decrypt_pkts"), 0);
  EXPECT_EQ(x.m("r1.asic0.slice0.engine.decrypt_pkts"), rx);
  EXPECT_NEAR(x.m("flow.clear.rx_l1_gbps"), 50.0, 0.5);
  // WAN side: 1000 B clear = 982 B IP -> ESP IP 20 + 8 + 8 + 982 + 2 pad + 2 + 16 = 1038 -> 1056 B frame
  EXPECT_NEAR(x.m("tunnel.r0.vpn.l1_gbps"), 50.0 * (1056 + 20) / (1000 + 20), 0.5);
  EXPECT_NEAR(x.m("r0.asic0.slice0.engine.l1_gbps"), x.m("tunnel.r0.vpn.l1_gbps"), 1e-9);
  EXPECT_GT(x.m("r0.asic0.slice0.engine.util"), 0.0);
  EXPECT_EQ(x.m("flow.clear.drops.total"), 0);
}

TEST(EngineAsic, EspOfStreamIsDecrypted) {
  IpsecWorld x(1);
  uint32_t t = x.tunnel(0, "vpn", 0, "16.1.1.1", "16.1.1.2", 0x100, 0x200);
  x.route(0, "10.3.0.0/24", (int32_t)x.port(0, "et-0/0/6"));
  uint32_t f = x.stream("esp", x.port(0, "et-0/0/5"), "10.3.0.1", 1518, 50, t);
  ASSERT_TRUE(x.start()) << x.err;
  ASSERT_TRUE(x.run()) << x.err;
  EXPECT_GT(x.flow(f).tot_sent, 400u);  // 50 Gbit/s of 1594 B L1 for 110 us: 431
  EXPECT_EQ(x.flow(f).tot_recv, x.flow(f).tot_sent);
  EXPECT_NEAR(x.m("tunnel.r0.vpn.rx_pkts"), x.m("flow.esp.tx_pkts"), 2);
  EXPECT_EQ(x.m("tunnel.r0.vpn.tx_pkts"), 0);
  // the stream's L1 rate counts the ESP frames on the wire: 1518 B inner = 1500 B IP -> ESP IP
  // 1556 -> 1574 B frames at 50 Gbit/s L1; the inner frames leave at 1518 B
  EXPECT_NEAR(x.m("flow.esp.rx_l1_gbps"), 50.0 * (1518 + 20) / (1574 + 20), 0.5);
}

TEST(EngineAsic, SpiDemuxTwoTunnelsOneGatewayAndUnknownSpi) {
  IpsecWorld x(1);
  uint32_t a = x.tunnel(0, "a", 0, "16.1.1.1", "16.1.1.2", 0x100, 0x200);
  uint32_t b = x.tunnel(0, "b", 1, "16.1.1.1", "16.1.1.3", 0x101, 0x201);  // same gateway, other slice
  x.route(0, "10.3.0.0/24", (int32_t)x.port(0, "et-0/0/6"));
  uint32_t fa = x.stream("ea", x.port(0, "et-0/0/5"), "10.3.0.1", 1000, 10, a);
  uint32_t fb = x.stream("eb", x.port(0, "et-0/0/7"), "10.3.0.2", 1000, 20, b);
  uint32_t fu = x.stream("eu", x.port(0, "et-0/0/8"), "10.3.0.3", 1000, 5, a);
  ASSERT_TRUE(x.start()) << x.err;
  x.w->flows[fu].esp_spi = 0x999;  // nobody's SPI on that gateway
  ASSERT_TRUE(x.run()) << x.err;
  EXPECT_NEAR(x.m("tunnel.r0.a.rx_pkts"), x.m("flow.ea.tx_pkts"), 2);
  EXPECT_NEAR(x.m("tunnel.r0.b.rx_pkts"), x.m("flow.eb.tx_pkts"), 2);
  EXPECT_EQ(x.flow(fa).tot_recv, x.flow(fa).tot_sent);
  EXPECT_EQ(x.flow(fb).tot_recv, x.flow(fb).tot_sent);
  EXPECT_EQ(x.m("r0.asic0.slice1.engine.decrypt_pkts"), x.m("tunnel.r0.b.rx_pkts"));
  // unknown SPI: the lookup's drop, every packet of the stream but its first (made at start,
  // before the test changed the SPI: it is a's and decrypts)
  // (a's engine drops it as a replay: ea sent sequence number 1 first)
  EXPECT_EQ(x.flow(fu).tot_recv + x.flow(fu).tot_drops[DROP_ENGINE_ESP], 1u);
  EXPECT_EQ(x.flow(fu).tot_drops[DROP_UNKNOWN_SPI], x.flow(fu).tot_sent - 1);
  EXPECT_NEAR(x.m("flow.eu.drops.unknown_spi"), x.m("flow.eu.tx_pkts"), 1);  // window edges
  double lk = x.m("r0.asic0.slice1.lookup.drops.unknown_spi") + x.m("r0.asic0.slice0.lookup.drops.unknown_spi");
  EXPECT_NEAR(lk, x.m("flow.eu.tx_pkts"), 2);
}

TEST(EngineAsic, NonEspToALocalGatewayGoesToTheHost) {
  IpsecWorld x(1);
  x.tunnel(0, "vpn", 0, "16.1.1.1", "16.1.1.2", 0x100, 0x200);
  uint32_t f = x.stream("ping", x.port(0, "et-0/0/5"), "16.1.1.1", 100, 1);
  ASSERT_TRUE(x.start()) << x.err;
  ASSERT_TRUE(x.run()) << x.err;
  EXPECT_GT(x.flow(f).tot_sent, 0u);
  EXPECT_EQ(x.flow(f).tot_drops[DROP_HOST_PATH], x.flow(f).tot_sent);
  EXPECT_EQ(x.m("r0.asic0.slice0.lookup.host_pkts"), x.m("flow.ping.tx_pkts"));
  // the exception path is no drop: its own flow metric, outside drops.total
  EXPECT_GT(x.m("flow.ping.host_pkts"), 0);
  EXPECT_EQ(x.m("flow.ping.host_pkts"), x.m("r0.asic0.slice0.lookup.host_pkts"));
  EXPECT_EQ(x.m("flow.ping.drops.total"), 0);
  EXPECT_TRUE(std::isnan(x.m("flow.ping.drops.host_path")));
  char msg[512];
  ASSERT_TRUE(asic_sim_conservation(x.w, msg, sizeof msg)) << msg;
  const unsigned long long n = x.flow(f).tot_sent;
  char want[160];
  snprintf(want, sizeof want, "sent %llu, received 0, dropped 0 (blocks) / 0 (flows), to the host path %llu, in queues 0: balanced",
           n, n);
  EXPECT_STREQ(msg, want);
}

TEST(EngineAsic, RemoteAnchorCrossesTheFabricCounted) {
  IpsecWorld x(2);
  // the clear stream enters slice 1 of r0 (et-0/0/12); its tunnel is anchored on slice 0
  uint32_t t0 = x.tunnel(0, "vpn", x.w->routers[0].first_asic_slice, "16.1.1.1", "16.1.1.2", 0x100, 0x200);
  x.tunnel(1, "vpn-b", x.w->routers[1].first_asic_slice + 1, "16.1.1.2", "16.1.1.1", 0x200, 0x100);
  x.route(0, "10.2.0.0/24", SLICE_NH_TUNNEL(t0));
  x.route(0, "16.1.1.2/32", (int32_t)x.port(0, "et-0/0/13"));
  x.route(1, "10.2.0.0/24", (int32_t)x.port(1, "et-0/0/6"));
  x.link(x.port(0, "et-0/0/13"), x.port(1, "et-0/0/5"));  // r1 receives on slice 0, anchor on slice 1
  uint32_t f = x.stream("clear", x.port(0, "et-0/0/12"), "10.2.0.1", 1000, 10);
  ASSERT_TRUE(x.start()) << x.err;
  ASSERT_TRUE(x.run()) << x.err;
  EXPECT_EQ(x.flow(f).tot_recv, x.flow(f).tot_sent);
  double sent = x.m("flow.clear.tx_pkts");
  EXPECT_NEAR(x.m("r0.asic0.slice1.fabric.to_engine_pkts"), sent, 2);  // r0: slice 1 -> slice 0's engine
  EXPECT_NEAR(x.m("r1.asic0.slice0.fabric.to_engine_pkts"), sent, 2);  // r1: slice 0 -> slice 1's engine
  EXPECT_EQ(x.m("r0.asic0.slice0.fabric.to_engine_pkts"), 0);
  EXPECT_NEAR(x.m("r1.asic0.slice1.engine.decrypt_pkts"), sent, 2);
}

// PG0.in holds credits for one returned frame only (pg_in_queue 2000 B) and is overloaded by
// four 100GE clear streams on PG0's own ports: the engine's returns wait for their DRR turn,
// PG0.in refuses the next one and the engine holds its output until the credit comes back.
// The IPsec streams (4 x 10 Gbit/s, below the block's share) lose nothing.
TEST(EngineAsic, BackpressureFromPg0InHoldsWithoutLoss) {
  IpsecWorld x(1);
  x.params(0).pg_in_queue = 2000;
  uint32_t t = x.tunnel(0, "vpn", 0, "16.1.1.1", "16.1.1.2", 0x100, 0x200);
  x.route(0, "10.2.0.0/16", SLICE_NH_TUNNEL(t));
  x.route(0, "16.1.1.2/32", (int32_t)x.port(0, "et-0/0/9"));
  const char *in[] = {"et-0/0/4", "et-0/0/5", "et-0/0/6", "et-0/0/7"};
  for (int i = 0; i < 4; i++) x.stream(std::string("s").append(1, char('0' + i)).c_str(), x.port(0, in[i]), "10.2.0.1", 1518, 10);
  x.route(0, "10.9.0.0/24", (int32_t)x.port(0, "et-0/0/12"));
  const char *pg0[] = {"et-0/0/0", "et-0/0/1", "et-0/0/2", "et-0/0/3"};
  for (int i = 0; i < 4; i++) x.stream(std::string("c").append(1, char('0' + i)).c_str(), x.port(0, pg0[i]), "10.9.0.1", 1518, 100);
  ASSERT_TRUE(x.start()) << x.err;
  ASSERT_TRUE(x.run()) << x.err;
  EXPECT_GT(engine_pg_blocked_count(x.w->ipsec->eng[0]), 10u);
  for (uint32_t i = 0; i < 4; i++) {
    EXPECT_GT(x.flow(i).tot_sent, 80u);  // 10 Gbit/s of 1538 B L1 for 110 us: 89
    EXPECT_EQ(x.flow(i).tot_recv, x.flow(i).tot_sent) << i;
  }
}

// tunnel_mtu 1400: a 1518 B frame (1500 B IP) becomes two ESP packets, each its own packet
// through the rest of the path; the peer decrypts each into an inner fragment. Conservation:
// sent + made (one extra ESP packet per datagram) == received + drops + in queues.
TEST(EngineAsic, PreFragmentationConserves) {
  TwoRouters x(1518, 50, 1400);
  ASSERT_TRUE(x.start()) << x.err;
  ASSERT_TRUE(x.run()) << x.err;
  const asic_flow &f = x.flow(x.clear);
  EXPECT_GT(f.tot_sent, 400u);  // 50 Gbit/s of 1538 B L1 for 110 us: 447
  EXPECT_EQ(f.tot_recv, 2 * f.tot_sent);
  EXPECT_EQ(asic_ipsec_made(x.w), f.tot_sent);
  EXPECT_NEAR(x.m("tunnel.r0.vpn.tx_pkts"), 2 * x.m("flow.clear.tx_pkts"), 4);
  EXPECT_NEAR(x.m("tunnel.r1.vpn-b.rx_pkts"), x.m("tunnel.r0.vpn.tx_pkts"), 4);
}

TEST(EngineAsic, TwoThousandTunnelsBuildAndRun) {
  IpsecWorld x(1);
  char local[32], remote[32], name[32];
  for (uint32_t i = 0; i < 2000; i++) {
    snprintf(local, sizeof local, "16.%u.%u.1", i / 250, i % 250);
    snprintf(remote, sizeof remote, "17.%u.%u.1", i / 250, i % 250);
    snprintf(name, sizeof name, "vpn-%u", i);
    x.tunnel(0, name, i % 2, local, remote, 0x1000 + i, 0x9000 + i);
  }
  ASSERT_EQ(x.w->n_tunnels, 2000u) << x.err;
  x.route(0, "10.2.0.0/24", SLICE_NH_TUNNEL(1999));
  x.route(0, "17.0.0.0/8", (int32_t)x.port(0, "et-0/0/9"));
  x.route(0, "10.3.0.0/24", (int32_t)x.port(0, "et-0/0/6"));
  uint32_t c = x.stream("clear", x.port(0, "et-0/0/4"), "10.2.0.1", 1518, 20);
  uint32_t e = x.stream("esp", x.port(0, "et-0/0/5"), "10.3.0.1", 1518, 20, 1234);
  ASSERT_TRUE(x.start(5 * kUs, 20 * kUs)) << x.err;
  ASSERT_TRUE(x.run()) << x.err;
  EXPECT_EQ(x.flow(c).tot_recv, x.flow(c).tot_sent);
  EXPECT_EQ(x.flow(e).tot_recv, x.flow(e).tot_sent);
  EXPECT_NEAR(x.m("tunnel.r0.vpn-1999.tx_pkts"), x.m("flow.clear.tx_pkts"), 2);
  EXPECT_NEAR(x.m("tunnel.r0.vpn-1234.rx_pkts"), x.m("flow.esp.tx_pkts"), 2);
  // the 2001st is refused on the router
  x.tunnel(0, "one-more", 0, "16.9.9.1", "17.9.9.1", 1, 2);
  EXPECT_EQ(x.err, "tunnel one-more: more than 2000 tunnels on router r0 (the chassis limit)");
}

