// SA generations on real bytes across routers and gateways (issue 13, asic_ipsec_bytes.c): a
// two-router rekey of both ends in both payload modes (the descriptor run's split exactly, the
// byte path's SA counters at both routers, byte-exact delivery), the same SPI on two local
// gateways of one router (RFC 4301 s4.1), a rekey between the ESP packets of one datagram.
#include "sa_events_util.h"

using namespace sa_events;

TEST(SaEvents, RekeyOfBothEndsAcrossTwoRouters) {
  // tests/asic/data/engine_two_routers.yaml: r1 encrypts into vpn1, r2 decrypts; the event
  // names vpn1 (both routers' tunnel of that name, peers of each other): one change per end
  std::string y;
  {
    FILE *fp = fopen(IPSECSIM_SOURCE_DIR "/tests/asic/data/engine_two_routers.yaml", "r");
    ASSERT_NE(fp, nullptr);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) y.append(buf, n);
    fclose(fp);
  }
  const std::string rekey = "events:\n  - {at: 20us, action: rekey, tunnel: vpn1, grace: 10us}\n";
  double split[2][4] = {};
  for (int m = 0; m < 2; m++) {
    SCOPED_TRACE(std::string("payload ") + kModes[m]);
    const std::string ym = y + "payload: " + kModes[m] + "\n";
    auto base = run_all(std::string("ev_2r0_") + kModes[m], ym);
    auto r = run_all(std::string("ev_2r1_") + kModes[m], ym + rekey);
    ASSERT_TRUE(base->loaded && r->loaded) << base->err << r->err;
    ASSERT_TRUE(r->balanced) << r->conservation;
    const asic_world *w = &r->sc.world, *b = &base->sc.world;
    for (uint32_t f = 0; f < w->n_flows; f++) {
      uint64_t d = 0, db = 0;
      for (int k = 0; k < DROP_N; k++) d += w->flows[f].tot_drops[k], db += b->flows[f].tot_drops[k];
      EXPECT_EQ(d, db) << w->flows[f].name;  // the rekey loses nothing
      EXPECT_EQ(w->flows[f].tot_recv, b->flows[f].tot_recv) << w->flows[f].name;
    }
    // what r1 encrypts on each generation r2 decrypts on the same generation
    const double o0 = r->m(ctr("sa.r1.vpn1.out", IPSEC_CTR_ENC_PKTS)),
                 o1 = r->m(ctr("sa.r1.vpn1.g1.out", IPSEC_CTR_ENC_PKTS));
    EXPECT_GT(o0, 0);
    EXPECT_GT(o1, 0);
    EXPECT_EQ(r->m(ctr("sa.r2.vpn1.in", IPSEC_CTR_DEC_PKTS)), o0);
    EXPECT_EQ(r->m(ctr("sa.r2.vpn1.g1.in", IPSEC_CTR_DEC_PKTS)), o1);
    EXPECT_EQ(o0 + o1, base->m(ctr("sa.r1.vpn1.out", IPSEC_CTR_ENC_PKTS)));
    const double i0 = r->m(ctr("sa.r1.vpn1.in", IPSEC_CTR_DEC_PKTS)),
                 i1 = r->m(ctr("sa.r1.vpn1.g1.in", IPSEC_CTR_DEC_PKTS));
    EXPECT_GT(i1, 0);  // r1's esp_in stream moved to the new inbound SA too
    split[m][0] = o0, split[m][1] = o1, split[m][2] = i0, split[m][3] = i1;
    if (m == 0) continue;
    // payload real: r1's real ESP packets of each generation decrypt at r2 with that
    // generation's key (r2's database), every clear frame delivered byte-exact
    uint32_t t1 = UINT32_MAX, t2 = UINT32_MAX;
    for (uint32_t t = 0; t < w->n_tunnels; t++) (w->tunnels[t].router == 0 ? t1 : t2) = t;
    const asic_events *ev = w->sa_events;
    const uint32_t g1r1 = w->ipsec->gen_stats[ev->first[t1] + 1], g1r2 = w->ipsec->gen_stats[ev->first[t2] + 1];
    EXPECT_EQ(bytes_ctr(*r, t1, false, IPSEC_CTR_ENC_PKTS), o0);
    EXPECT_EQ(bytes_ctr(*r, g1r1, false, IPSEC_CTR_ENC_PKTS), o1);
    EXPECT_EQ(bytes_ctr(*r, t2, true, IPSEC_CTR_DEC_PKTS), o0);
    EXPECT_EQ(bytes_ctr(*r, g1r2, true, IPSEC_CTR_DEC_PKTS), o1);
    EXPECT_EQ(bytes_ctr(*r, g1r1, true, IPSEC_CTR_DEC_PKTS), i1);
    expect_bytes_exact(*r, {"lan1", "lan2", "esp_in"});
  }
  // the old/new split is the descriptor run's, exactly
  for (int k = 0; k < 4; k++) EXPECT_EQ(split[1][k], split[0][k]) << k;
}

TEST(SaEvents, SameSpiOnTwoLocalGatewaysEachOnItsOwnSa) {
  // payload real: two tunnels of r0, from two local gateways to two peers, take the same
  // inbound SPI and the same outbound SPI (RFC 4301 s4.1: an SPI with its destination); the
  // demux binds (gateway, SPI), the routes bind the outbound SA, the byte path transforms on
  // that SA (keys differ: auto keys from the gateways); every frame byte-exact, nothing lost
  std::string y = world("");
  const std::string a = "prefix: 20.1.0.0/24}\n";
  y.replace(y.find(a), a.size(),
            "prefix: 20.1.0.0/24, spi_in: 0x3000, spi_out: 0x4000}\n"
            "    - {name: vpn_b, anchor: si-0/0/0, bind: st0.2, local: 16.1.1.3, remote: 16.1.1.4, prefix: 20.2.0.0/24, "
            "spi_in: 0x3000, spi_out: 0x4000}\n");
  const std::string enc = "  - {name: enc, port: et-0/0/4, rate: 95Gbps, frame: 1518B, dst: 20.1.0.5}\n"
                          "  - {name: dec, port: et-0/0/6, rate: 100Gbps, frame: 1518B, dst: 10.0.4.9, esp_of: vpn_a}\n";
  y.replace(y.find(enc), enc.size(),
            "  - {name: enc, port: et-0/0/4, rate: 40Gbps, frame: 1518B, dst: 20.1.0.5}\n"
            "  - {name: enc_b, port: et-0/0/5, rate: 40Gbps, frame: 1518B, dst: 20.2.0.5}\n"
            "  - {name: dec, port: et-0/0/6, rate: 40Gbps, frame: 1518B, dst: 10.0.4.9, esp_of: vpn_a}\n"
            "  - {name: dec_b, port: et-0/0/8, rate: 40Gbps, frame: 1518B, dst: 10.0.4.10, esp_of: vpn_b}\n");
  y.replace(y.find("payload: none"), 13, "payload: real");
  auto r = run_all("ev_gw_spi", y);
  ASSERT_TRUE(r->loaded) << r->err;
  ASSERT_TRUE(r->balanced) << r->conservation;
  const asic_world *w = &r->sc.world;
  ASSERT_EQ(w->n_tunnels, 2u);
  ASSERT_EQ(w->n_flows, 4u);
  for (uint32_t f = 0; f < w->n_flows; f++) {
    const asic_flow &fl = w->flows[f];
    EXPECT_GT(fl.tot_recv, 0u) << fl.name;
    EXPECT_EQ(fl.tot_recv, fl.tot_sent) << fl.name;  // nothing lost, nothing on the other SA
  }
  for (uint32_t t = 0; t < 2; t++) {
    EXPECT_EQ(asic_ipsec_bytes_sa(w, t, true)->cfg.spi, 0x3000u);
    EXPECT_EQ(asic_ipsec_bytes_sa(w, t, false)->cfg.spi, 0x4000u);
    EXPECT_EQ(bytes_ctr(*r, t, true, IPSEC_CTR_DEC_PKTS), (double)w->flows[t ? 3 : 2].tot_recv) << t;
    EXPECT_EQ(bytes_ctr(*r, t, false, IPSEC_CTR_ENC_PKTS), (double)w->flows[t ? 1 : 0].tot_recv) << t;
    EXPECT_EQ(bytes_ctr(*r, t, true, IPSEC_CTR_ESP_AUTH_FAIL), 0) << t;
  }
  EXPECT_NE(memcmp(asic_ipsec_bytes_sa(w, 0, true)->cfg.key, asic_ipsec_bytes_sa(w, 1, true)->cfg.key, 32), 0);
  EXPECT_NE(memcmp(asic_ipsec_bytes_sa(w, 0, false)->cfg.key, asic_ipsec_bytes_sa(w, 1, false)->cfg.key, 32), 0);
  expect_bytes_exact(*r, {"dec", "dec_b"});
}

TEST(SaEvents, RekeyBetweenTheEspPacketsOfOneDatagramKeepsItOnOneSa) {
  // tunnel_mtu 1400: each 1518 B datagram of dec reaches r0 as two ESP packets; a rekey at
  // 100.1 us or 100.3 us falls between the two of one datagram (found by the run: with the
  // switch per packet, payload real lost that datagram's second packet under icv_mismatch).
  // The peer sends a datagram's ESP packets on one SA, in both modes: nothing lost, the same
  // split, every frame byte-exact
  for (const char *at : {"100.1us", "100.3us"}) {
    double split[2][2] = {};
    for (int m = 0; m < 2; m++) {
      SCOPED_TRACE(std::string(at) + " payload " + kModes[m]);
      std::string y = world(std::string("events:\n  - {at: ") + at + ", action: rekey, tunnel: vpn_a, grace: 20us}\n", "",
                            kModes[m]);
      const std::string decl = "prefix: 20.1.0.0/24}";
      y.replace(y.find(decl), decl.size(), "prefix: 20.1.0.0/24, tunnel_mtu: 1400}");
      auto r = run_all(std::string("ev_frag_") + kModes[m], y);
      ASSERT_TRUE(r->loaded) << r->err;
      ASSERT_TRUE(r->balanced) << r->conservation;
      const asic_flow &dec = r->sc.world.flows[1];
      uint64_t drops = 0;
      for (int k = 0; k < DROP_N; k++) drops += dec.tot_drops[k];
      EXPECT_EQ(drops, 0u);
      split[m][0] = r->m(ctr("sa.r0.vpn_a.in", IPSEC_CTR_DEC_PKTS));
      split[m][1] = r->m(ctr("sa.r0.vpn_a.g1.in", IPSEC_CTR_DEC_PKTS));
      EXPECT_EQ(std::fmod(split[m][0], 2), 0);  // whole datagrams (two ESP packets each) per SA
      EXPECT_GT(split[m][1], 0);
      if (m == 1) expect_bytes_exact(*r, {"dec"});
    }
    EXPECT_EQ(split[1][0], split[0][0]);
    EXPECT_EQ(split[1][1], split[0][1]);
  }
}
