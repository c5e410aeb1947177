// Tunnel edges (issue 4): RFC 4459 pre-fragmentation with byte-exact fragment headers, DF
// modes, ICMP fragmentation-needed and ICMPv6 Packet Too Big (closed-form MTU values,
// independent checksums), the ICMP token bucket, and the IPv6 tunnel-MTU floor at load.
// Every ESP packet is opened with the test's own EVP code; fragments are reassembled by the
// test's own RFC 791 code.
#include <gtest/gtest.h>

#include <array>
#include <map>

#include "edges_test_util.h"

using namespace esptest;

namespace {

const char *LOCAL = "192.0.2.1", *PEER = "198.51.100.1";

struct Frag : ::testing::Test {
  sa_db db;
  Keys k = keys128();
  void SetUp() override { ASSERT_TRUE(sa_db_init(&db, nullptr)); }
  void TearDown() override { sa_db_free(&db); }
  sa *add(uint32_t mtu, sa_df_mode df = SA_DF_CLEAR, bool v6 = false, const char *sel = nullptr,
          sa_udp_mode udp = SA_UDP_NONE) {
    sa_config c = make_cfg("out", SA_OUTBOUND, 0x1001, k, v6 ? "2001:db8::1" : LOCAL,
                           v6 ? "2001:db8::2" : PEER);
    c.tunnel_mtu = mtu;
    c.df = df;
    c.udp = udp;
    c.udp_dst_port = udp == SA_UDP_NATT ? 4500 : 500;
    if (sel) {
      c.has_selector = true;
      sa_parse_addr(sel, &c.selector);
      c.selector_len = 8;
    }
    char why[256];
    EXPECT_TRUE(sa_db_add(&db, &c, why, sizeof why)) << why;
    return db.sas[db.n - 1];
  }
  uint64_t ctr(ipsec_ctr c) { return *db.global.v[c]; }
};

// The original with DF cleared and its checksum recomputed: what reassembly must give back.
Bytes without_df(Bytes p) {
  size_t hl = (p[0] & 0xf) * 4u;
  p[6] &= 0xbf;
  put16(&p[10], 0);
  put16(&p[10], csum(p.data(), hl));
  return p;
}

bool outer_df(const Bytes &o) { return (o[6] & 0x40) != 0; }

// IPv4 / UDP packet with IPv4 options (hl = 20 + opts.size(), opts a multiple of 4).
Bytes ipv4_opts(size_t len, const Bytes &opts, bool df = false) {
  Bytes p = ipv4_udp(len, 0, df);
  Bytes q(p.begin(), p.begin() + 20);
  q.insert(q.end(), opts.begin(), opts.end());
  q.insert(q.end(), p.begin() + 20, p.end() - (long)opts.size());
  q[0] = (uint8_t)(0x40 | (20 + opts.size()) / 4);
  put16(&q[10], 0);
  put16(&q[10], csum(q.data(), 20 + opts.size()));
  return q;
}

}  // namespace

// F2/F3: 1500-byte inner, tunnel MTU 1500, IPv4 outer: the largest inner packet is
// 1500 - 54 = 1446 (pad 2 makes the ESP packet exactly 1500), so the first fragment carries
// floor8(1446 - 20) = 1424 payload bytes and the second the remaining 56.
TEST_F(Frag, MaximalFirstTwoFragmentsByHand) {
  add(1500);
  Bytes in = ipv4_udp(1500, 0x2a, true);  // DF 1 is ignored under df_bit clear (F4)
  Burst b = run_burst(&db, in);
  ASSERT_EQ(b.reason, ESP_R_OK);
  ASSERT_EQ(b.esp.size(), 2u);
  EXPECT_TRUE(b.host.empty());
  EXPECT_EQ(b.esp[0].size(), 1500u);
  EXPECT_EQ(b.esp[1].size(), 20u + 8 + 8 + 76 + 2 + 2 + 16);
  Bytes f0 = open_inner(k, b.esp[0]), f1 = open_inner(k, b.esp[1]);
  ASSERT_EQ(f0.size(), 1444u);
  ASSERT_EQ(f1.size(), 76u);
  EXPECT_EQ(get16(&f0[2]), 1444);
  EXPECT_EQ(get16(&f0[6]), 0x2000);        // MF, offset 0, DF cleared
  EXPECT_EQ(get16(&f1[6]), 1424 / 8);      // offset 178, last
  EXPECT_EQ(get16(&f0[4]), 0x1234);
  EXPECT_EQ(get16(&f1[4]), 0x1234);
  EXPECT_EQ(csum(f0.data(), 20), 0);
  EXPECT_EQ(csum(f1.data(), 20), 0);
  EXPECT_EQ(f1[1], 0x2a);
  EXPECT_EQ(f1[8], 64);
  EXPECT_EQ(reassemble({f1, f0}), without_df(in));
  // Outer: own sequence numbers and IDs, DF 0, DSCP/ECN copied.
  EXPECT_EQ(get32(&b.esp[0][24]), 1u);
  EXPECT_EQ(get32(&b.esp[1][24]), 2u);
  EXPECT_EQ(get16(&b.esp[0][4]), 0);
  EXPECT_EQ(get16(&b.esp[1][4]), 1);
  EXPECT_FALSE(outer_df(b.esp[0]));
  EXPECT_EQ(b.esp[1][1], 0x2a);
  EXPECT_EQ(ctr(IPSEC_CTR_MTU_FRAGMENTED), 1u);
  EXPECT_EQ(ctr(IPSEC_CTR_ENC_PKTS), 2u);
  EXPECT_EQ(ctr(IPSEC_CTR_ENC_BYTES), 1520u);
  EXPECT_EQ(ctr(IPSEC_CTR_EXCEEDS_MTU), 0u);
}

// Tunnel MTU 576 (IPv4-only SA): largest inner 522, fragments of 496 payload bytes.
TEST_F(Frag, ThreeFragmentsAtMtu576) {
  add(576, SA_DF_CLEAR, false, "10.0.0.0");
  Bytes in = ipv4_udp(1500);
  Burst b = run_burst(&db, in);
  ASSERT_EQ(b.esp.size(), 3u);
  std::vector<Bytes> f;
  for (auto &e : b.esp) {
    EXPECT_LE(e.size(), 576u);
    f.push_back(open_inner(k, e));
  }
  EXPECT_EQ(f[0].size(), 516u);
  EXPECT_EQ(f[1].size(), 516u);
  EXPECT_EQ(f[2].size(), 20u + 1480 - 992);
  EXPECT_EQ(get16(&f[1][6]), 0x2000 | 62);
  EXPECT_EQ(get16(&f[2][6]), 124);
  EXPECT_EQ(reassemble(f), in);
}

// F3: the first fragment keeps every option; later ones only those with the copy flag
// (LSRR 0x83 yes, NOP and record route 0x07 no), EOL-padded to a 4-byte boundary.
TEST_F(Frag, OptionsWithCopyFlagRepeated) {
  add(1500);
  Bytes opts = {0x01, 0x83, 7, 4, 10, 9, 8, 7, 0x07, 3, 4, 0x00};
  Bytes in = ipv4_opts(3000, opts);
  Burst b = run_burst(&db, in);
  ASSERT_EQ(b.esp.size(), 3u);
  Bytes f0 = open_inner(k, b.esp[0]), f1 = open_inner(k, b.esp[1]), f2 = open_inner(k, b.esp[2]);
  EXPECT_EQ(f0[0], 0x48);
  EXPECT_EQ(Bytes(f0.begin() + 20, f0.begin() + 32), opts);
  EXPECT_EQ(f0.size(), 32u + 1408);        // floor8(1446 - 32)
  EXPECT_EQ(f1[0], 0x47);
  EXPECT_EQ(Bytes(f1.begin() + 20, f1.begin() + 28), (Bytes{0x83, 7, 4, 10, 9, 8, 7, 0}));
  EXPECT_EQ(f1.size(), 28u + 1416);        // floor8(1446 - 28)
  EXPECT_EQ(get16(&f1[6]), 0x2000 | 1408 / 8);
  EXPECT_EQ(get16(&f2[6]), (1408 + 1416) / 8);
  EXPECT_EQ(csum(f1.data(), 28), 0);
  EXPECT_EQ(csum(f2.data(), 28), 0);
  EXPECT_EQ(reassemble({f0, f1, f2}), in);
}

// An inner packet that is itself a fragment: offsets add up, the last keeps its MF.
TEST_F(Frag, InnerFragmentIsRefragmented) {
  add(1500);
  Bytes in = ipv4_udp(1500);
  put16(&in[6], 0x2000 | 100);  // MF, offset 800
  put16(&in[10], 0);
  put16(&in[10], csum(in.data(), 20));
  Burst b = run_burst(&db, in);
  ASSERT_EQ(b.esp.size(), 2u);
  Bytes f0 = open_inner(k, b.esp[0]), f1 = open_inner(k, b.esp[1]);
  EXPECT_EQ(get16(&f0[6]), 0x2000 | 100);
  EXPECT_EQ(get16(&f1[6]), 0x2000 | (100 + 178));
}

// The largest datagram at the smallest MTU: every ESP packet fits, the whole comes back.
TEST_F(Frag, Largest65535AtMtu576) {
  add(576, SA_DF_CLEAR, false, "10.0.0.0");
  Bytes in = ipv4_udp(65535);
  Burst b = run_burst(&db, in);
  ASSERT_EQ(b.reason, ESP_R_OK);
  EXPECT_EQ(b.esp.size(), 1u + (65515 - 496 + 495) / 496);
  std::vector<Bytes> f;
  for (auto &e : b.esp) {
    EXPECT_LE(e.size(), 576u);
    f.push_back(open_inner(k, e));
  }
  EXPECT_EQ(reassemble(f), in);
}

// DESIGN DF table: mode x inner DF x fit. Fit: one packet, outer DF 0 / 1 / inner DF.
// Not fit: clear and DF-0 inner fragment (outer DF per mode); set/copy with DF 1 -> ICMP.
TEST_F(Frag, DfModeByInnerDfByFit) {
  const sa_df_mode modes[] = {SA_DF_CLEAR, SA_DF_SET, SA_DF_COPY};
  for (sa_df_mode m : modes)
    for (int idf = 0; idf < 2; idf++)
      for (int fit = 0; fit < 2; fit++) {
        SCOPED_TRACE(::testing::Message() << "mode " << m << " inner DF " << idf << " fit " << fit);
        sa_db_free(&db);
        ASSERT_TRUE(sa_db_init(&db, nullptr));
        add(1500, m);
        Bytes in = ipv4_udp(fit ? 1446 : 1447, 0, idf != 0);
        Burst b = run_burst(&db, in);
        const bool want_df = m == SA_DF_SET || (m == SA_DF_COPY && idf);
        if (!fit && idf && m != SA_DF_CLEAR) {
          EXPECT_EQ(b.reason, ESP_R_MTU_ICMP_SENT);
          EXPECT_TRUE(b.esp.empty());
          ASSERT_EQ(b.host.size(), 576u);
          EXPECT_EQ(b.host[20], 3);
          EXPECT_EQ(b.host[21], 4);
          EXPECT_EQ(get16(&b.host[26]), 1446);
          EXPECT_EQ(ctr(IPSEC_CTR_MTU_ICMP), 1u);
          continue;
        }
        ASSERT_EQ(b.reason, ESP_R_OK);
        EXPECT_TRUE(b.host.empty());
        ASSERT_EQ(b.esp.size(), fit ? 1u : 2u);
        for (auto &e : b.esp) {
          EXPECT_LE(e.size(), 1500u);
          EXPECT_EQ(outer_df(e), want_df);
        }
        if (fit) {
          EXPECT_EQ(open_inner(k, b.esp[0]), in);
        } else {
          EXPECT_EQ(reassemble({open_inner(k, b.esp[0]), open_inner(k, b.esp[1])}), without_df(in));
        }
        EXPECT_EQ(ctr(IPSEC_CTR_MTU_FRAGMENTED), fit ? 0u : 1u);
      }
}

// DESIGN DF table for an IPv6 inner packet (IPv4 outer, tunnel MTU 1500, overhead 54):
// never fragmented, whatever the DF mode: Packet Too Big (MTU 1446) when it does not fit;
// when it fits, outer DF is clear 0, set 1, copy 0 (IPv6 has no DF to copy).
TEST_F(Frag, DfModeIpv6InnerByFit) {
  const sa_df_mode modes[] = {SA_DF_CLEAR, SA_DF_SET, SA_DF_COPY};
  for (sa_df_mode m : modes)
    for (int fit = 0; fit < 2; fit++) {
      SCOPED_TRACE(::testing::Message() << "mode " << m << " fit " << fit);
      sa_db_free(&db);
      ASSERT_TRUE(sa_db_init(&db, nullptr));
      add(1500, m);
      Bytes in = ipv6_udp(fit ? 1446 : 1447);
      Burst b = run_burst(&db, in);
      EXPECT_EQ(ctr(IPSEC_CTR_MTU_FRAGMENTED), 0u);
      if (!fit) {
        EXPECT_EQ(b.reason, ESP_R_MTU_ICMP_SENT);
        EXPECT_TRUE(b.esp.empty());
        ASSERT_EQ(b.host.size(), 1280u);
        EXPECT_EQ(b.host[0] >> 4, 6);
        EXPECT_EQ(b.host[40], 2);  // ICMPv6 Packet Too Big
        EXPECT_EQ(get32(&b.host[44]), 1446u);
        EXPECT_EQ(ctr(IPSEC_CTR_MTU_ICMP), 1u);
        EXPECT_EQ(ctr(IPSEC_CTR_ENC_PKTS), 0u);
        continue;
      }
      ASSERT_EQ(b.reason, ESP_R_OK);
      EXPECT_TRUE(b.host.empty());
      ASSERT_EQ(b.esp.size(), 1u);
      EXPECT_EQ(b.esp[0].size(), 1500u);
      EXPECT_EQ(outer_df(b.esp[0]), m == SA_DF_SET);
      EXPECT_EQ(open_inner(k, b.esp[0]), in);
      EXPECT_EQ(ctr(IPSEC_CTR_MTU_ICMP), 0u);
    }
}

// F6 (RFC 1191, RFC 1812): ICMP fragmentation needed, every byte by hand.
TEST_F(Frag, IcmpFragNeededByHand) {
  sa *s = add(1500, SA_DF_SET);
  Bytes in = ipv4_udp(1500, 0, true, "10.0.0.7", "10.1.0.1");
  Burst b = run_burst(&db, in);
  ASSERT_EQ(b.reason, ESP_R_MTU_ICMP_SENT);
  const Bytes &h = b.host;
  ASSERT_EQ(h.size(), 576u);  // RFC 1812 s4.3.2.3: as much as fits in 576
  EXPECT_EQ(h[0], 0x45);
  EXPECT_EQ(get16(&h[2]), 576);
  EXPECT_EQ(h[8], 64);
  EXPECT_EQ(h[9], 1);
  EXPECT_EQ(Bytes(h.begin() + 12, h.begin() + 16), v4addr(LOCAL));   // the SA's local
  EXPECT_EQ(Bytes(h.begin() + 16, h.begin() + 20), v4addr("10.0.0.7"));
  EXPECT_EQ(csum(h.data(), 20), 0);
  EXPECT_EQ(h[20], 3);
  EXPECT_EQ(h[21], 4);
  EXPECT_EQ(get16(&h[24]), 0);
  EXPECT_EQ(get16(&h[26]), 1446);  // next-hop MTU = tunnel MTU - ESP overhead
  EXPECT_EQ(csum(&h[20], 556), 0);
  EXPECT_EQ(Bytes(h.begin() + 28, h.end()), Bytes(in.begin(), in.begin() + 548));
  EXPECT_EQ(s->seq, 0u);
  EXPECT_EQ(ctr(IPSEC_CTR_ENC_PKTS), 0u);
  EXPECT_EQ(ctr(IPSEC_CTR_MTU_ICMP), 1u);
}

// F5 (RFC 4443 s3.2): Packet Too Big MTU = tunnel MTU - overhead: 1446 for IPv6 in IPv4 at
// 1500, 1426 in IPv6, 1418 in IPv6 with UDP; the message is 1280 bytes with a 1232-byte quote.
TEST_F(Frag, PacketTooBigClosedForm) {
  struct Case { bool v6; sa_udp_mode udp; uint32_t mtu; } cases[] = {
      {false, SA_UDP_NONE, 1446}, {true, SA_UDP_NONE, 1426}, {true, SA_UDP_MULTIPATH, 1418}};
  for (const Case &c : cases) {
    sa_db_free(&db);
    ASSERT_TRUE(sa_db_init(&db, nullptr));
    add(1500, SA_DF_COPY, c.v6, nullptr, c.udp);
    Bytes in = ipv6_udp(c.mtu + 1);
    Burst fits = run_burst(&db, ipv6_udp(c.mtu));
    ASSERT_EQ(fits.esp.size(), 1u);
    EXPECT_EQ(fits.esp[0].size(), 1500u);
    if (!c.v6) {
      EXPECT_FALSE(outer_df(fits.esp[0]));  // copy with IPv6 inner: outer DF 0
    }
    Burst b = run_burst(&db, in);
    ASSERT_EQ(b.reason, ESP_R_MTU_ICMP_SENT);
    const Bytes &h = b.host;
    ASSERT_EQ(h.size(), 1280u);
    EXPECT_EQ(h[0] >> 4, 6);
    EXPECT_EQ(get16(&h[4]), 1240);
    EXPECT_EQ(h[6], 58);
    EXPECT_EQ(Bytes(h.begin() + 8, h.begin() + 24),
              c.v6 ? v6addr("2001:db8::1") : v6addr("2001:db8:2::1"));  // local, else inner dst
    EXPECT_EQ(Bytes(h.begin() + 24, h.begin() + 40), v6addr("2001:db8:1::1"));
    EXPECT_EQ(h[40], 2);
    EXPECT_EQ(h[41], 0);
    EXPECT_EQ(get32(&h[44]), c.mtu);
    EXPECT_EQ(Bytes(h.begin() + 48, h.end()), Bytes(in.begin(), in.begin() + 1232));
    Bytes ph(h.begin() + 8, h.begin() + 40);  // pseudo-header (RFC 8200 s8.1)
    Bytes tail = {0, 0, 0x04, 0xd8, 0, 0, 0, 58};
    ph.insert(ph.end(), tail.begin(), tail.end());
    ph.insert(ph.end(), h.begin() + 40, h.end());
    EXPECT_EQ(csum(ph.data(), ph.size()), 0);
  }
}

// Token bucket on packet time: burst 10, then 1 per 10 ms (100/s); suppressed ICMP counts
// exceeds_tunnel_mtu, sent ICMP exceeds_tunnel_mtu_icmp_sent.
TEST_F(Frag, IcmpRateLimitOnPacketTime) {
  add(1500, SA_DF_SET);
  Bytes in = ipv4_udp(1500, 0, true);
  auto sent_at = [&](uint64_t t) { return run_burst(&db, in, t).reason == ESP_R_MTU_ICMP_SENT; };
  for (int i = 0; i < 10; i++) EXPECT_TRUE(sent_at(1000)) << i;
  EXPECT_FALSE(sent_at(1000));
  EXPECT_FALSE(sent_at(1000 + 9999999));
  EXPECT_TRUE(sent_at(1000 + 10000000));
  EXPECT_FALSE(sent_at(1000 + 10000000));
  int n = 0;
  for (int i = 0; i < 20; i++) n += sent_at(5000000000ull);
  EXPECT_EQ(n, 10);
  EXPECT_EQ(ctr(IPSEC_CTR_MTU_ICMP), 21u);
  EXPECT_EQ(ctr(IPSEC_CTR_EXCEEDS_MTU), 13u);
  EXPECT_EQ(run_burst(&db, in, 5000000000ull).reason, ESP_R_MTU_ICMP_RATE_LIMITED);
}

// RFC 1812 s4.3.2.7: no ICMP error about an ICMP error or from a multicast source.
TEST_F(Frag, NoIcmpAboutIcmpErrors) {
  add(1500, SA_DF_SET);
  Bytes err = ipv4_udp(1500, 0, true);
  err[9] = 1;
  err[20] = 3;  // destination unreachable
  put16(&err[10], 0);
  put16(&err[10], csum(err.data(), 20));
  Burst b = run_burst(&db, err);
  EXPECT_EQ(b.reason, ESP_R_EXCEEDS_MTU);
  EXPECT_TRUE(b.host.empty());
  Burst m = run_burst(&db, ipv4_udp(1500, 0, true, "224.0.0.5"));
  EXPECT_EQ(m.reason, ESP_R_EXCEEDS_MTU);
  EXPECT_EQ(ctr(IPSEC_CTR_MTU_ICMP), 0u);
}

// DESIGN: a tunnel MTU below 1280 + overhead (1336 IPv4 outer, 1356 IPv6, +8 with UDP) is
// refused for an SA that may carry IPv6 (no selector or an IPv6 one); an IPv4 selector
// declares an IPv4-only SA.
TEST_F(Frag, Ipv6FloorRefusedAtLoad) {
  struct Case { bool v6; bool udp; const char *sel; uint32_t min; } cases[] = {
      {false, false, nullptr, 1336}, {true, false, nullptr, 1356}, {false, true, nullptr, 1344},
      {true, true, nullptr, 1364}, {false, false, "2001:db8::", 1336}};
  for (const Case &c : cases) {
    for (uint32_t mtu : {c.min - 1, c.min}) {
      sa_config cfg = make_cfg("o", SA_OUTBOUND, 0x2000, k, c.v6 ? "2001:db8::1" : LOCAL,
                               c.v6 ? "2001:db8::2" : PEER);
      cfg.tunnel_mtu = mtu;
      cfg.udp = c.udp ? SA_UDP_NATT : SA_UDP_NONE;
      cfg.udp_dst_port = 4500;
      if (c.sel) { cfg.has_selector = true; sa_parse_addr(c.sel, &cfg.selector); cfg.selector_len = 32; }
      sa_db d;
      ASSERT_TRUE(sa_db_init(&d, nullptr));
      char why[256] = "";
      EXPECT_EQ(sa_db_add(&d, &cfg, why, sizeof why), mtu == c.min) << mtu << " " << why;
      if (mtu != c.min) {
        EXPECT_NE(std::string(why).find(std::to_string(c.min)), std::string::npos) << why;
      }
      sa_db_free(&d);
    }
  }
  add(576, SA_DF_CLEAR, false, "10.0.0.0");  // IPv4-only: accepted at the minimum
}

// Every outcome at the tunnel edge moves its own counter and nothing else (global and SA).
TEST_F(Frag, EdgeOutcomesMoveOneCounterEach) {
  sa *s = add(1500, SA_DF_SET);
  db.icmp.burst = 1;
  auto delta = [&](const Bytes &in, esp_reason want) {
    std::array<uint64_t, IPSEC_CTR_COUNT> g0{}, s0{};
    for (int i = 0; i < IPSEC_CTR_COUNT; i++) { g0[i] = *db.global.v[i]; s0[i] = *s->ctr.v[i]; }
    EXPECT_EQ(run_burst(&db, in).reason, want);
    std::map<int, uint64_t> d;
    for (int i = 0; i < IPSEC_CTR_COUNT; i++) {
      EXPECT_EQ(*db.global.v[i] - g0[i], *s->ctr.v[i] - s0[i]) << ipsec_ctr_name((ipsec_ctr)i);
      if (*db.global.v[i] != g0[i]) d[i] = *db.global.v[i] - g0[i];
    }
    return d;
  };
  using M = std::map<int, uint64_t>;
  EXPECT_EQ(delta(ipv4_udp(1500, 0, true), ESP_R_MTU_ICMP_SENT), (M{{IPSEC_CTR_MTU_ICMP, 1}}));
  EXPECT_EQ(delta(ipv4_udp(1500, 0, true), ESP_R_MTU_ICMP_RATE_LIMITED), (M{{IPSEC_CTR_EXCEEDS_MTU, 1}}));
  EXPECT_EQ(delta(ipv4_udp(1500, 0, false), ESP_R_OK),
            (M{{IPSEC_CTR_ENC_PKTS, 2}, {IPSEC_CTR_ENC_BYTES, 1520}, {IPSEC_CTR_MTU_FRAGMENTED, 1}}));
  EXPECT_EQ(delta(ipv4_udp(1446, 0, true), ESP_R_OK), (M{{IPSEC_CTR_ENC_PKTS, 1}, {IPSEC_CTR_ENC_BYTES, 1446}}));
}
