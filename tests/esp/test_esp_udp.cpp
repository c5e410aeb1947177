// UDP encapsulation (issue 4): the multipath source port (closed form from the README's
// esp-flow-hash, chi-square spread, stability per flow and across fragments), the
// demultiplexing of ports 500 and 4500 (IKE, NAT keepalive, ESP, unknown SPI) with exactly
// one counter per packet, the seed's inbound drop rules, and NAT-T precedence at load.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <set>

#include "edges_test_util.h"

extern "C" {
#include "ipsec_engine/sa_load.h"
}

using namespace esptest;

namespace {

const char *A = "192.0.2.1", *B = "198.51.100.1";

// README: esp-flow-hash = FNV-1a 32 over inner source, destination, protocol and the two
// ports (zeros for fragments and port-less protocols). Written here from the README.
uint32_t fnv(const Bytes &b) {
  uint32_t h = 2166136261u;
  for (uint8_t x : b) h = (h ^ x) * 16777619u;
  return h;
}
uint16_t expected_port(const Bytes &ip, bool ports) {
  Bytes t(ip.begin() + 12, ip.begin() + 20);
  t.push_back(ip[9]);
  for (int i = 0; i < 4; i++) t.push_back(ports ? ip[20 + i] : 0);
  return (uint16_t)(49152 + fnv(t) % 16384);
}

using Snap = std::array<uint64_t, IPSEC_CTR_COUNT>;
Snap snap(const ipsec_counters &c) {
  Snap s{};
  for (int i = 0; i < IPSEC_CTR_COUNT; i++) s[i] = *c.v[i];
  return s;
}

struct Udp : ::testing::Test {
  sa_db db;
  Keys k = keys128();
  void SetUp() override { ASSERT_TRUE(sa_db_init(&db, nullptr)); }
  void TearDown() override { sa_db_free(&db); }
  sa *add(const char *name, sa_dir dir, uint32_t spi, sa_udp_mode udp, uint16_t port,
          uint32_t mtu = 9000) {
    sa_config c = make_cfg(name, dir, spi, k, dir == SA_OUTBOUND ? A : B, dir == SA_OUTBOUND ? B : A);
    c.udp = udp;
    c.udp_dst_port = port;
    c.tunnel_mtu = mtu;
    char why[256];
    EXPECT_TRUE(sa_db_add(&db, &c, why, sizeof why)) << why;
    return db.sas[db.n - 1];
  }
  Bytes enc(const Bytes &in) {
    Bytes out(in.size() + ESP_MAX_OVERHEAD);
    size_t n = 0;
    EXPECT_EQ(esp_encrypt(&db, in.data(), in.size(), 0, out.data(), out.size(), &n, nullptr), ESP_R_OK);
    out.resize(n);
    return out;
  }
  // Decrypts and checks that exactly counter `which` moved (none for ok).
  void expect(const Bytes &p, esp_reason want, ipsec_ctr which) {
    Snap g0 = snap(db.global);
    Bytes out(p.size() + 16);
    size_t n;
    EXPECT_EQ(esp_decrypt(&db, p.data(), p.size(), 0, out.data(), out.size(), &n, nullptr), want)
        << esp_reason_name(want);
    Snap g1 = snap(db.global);
    for (int i = 0; i < IPSEC_CTR_COUNT; i++) {
      uint64_t d = g1[i] - g0[i];
      if (want == ESP_R_OK && (i == IPSEC_CTR_DEC_PKTS)) EXPECT_EQ(d, 1u);
      else if (want == ESP_R_OK && i == IPSEC_CTR_DEC_BYTES) EXPECT_EQ(d, p.size());
      else EXPECT_EQ(d, i == (int)which ? 1u : 0u) << ipsec_ctr_name((ipsec_ctr)i);
    }
  }
};

}  // namespace

// U5: 10^5 distinct flows over the 16384 ports: Pearson chi-square below the p = 0.01
// critical value (Wilson-Hilferty, 16383 degrees of freedom), each port the closed form.
TEST_F(Udp, MultipathSourcePortChiSquare) {
  add("o", SA_OUTBOUND, 0x3000, SA_UDP_MULTIPATH, 500);
  std::vector<uint32_t> bins(16384, 0);
  uint64_t x = 88172645463325252ull;
  auto rnd = [&]() { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
  const int N = 100000;
  Bytes in = ipv4_udp(40);
  for (int i = 0; i < N; i++) {
    uint64_t r = rnd();
    put32(&in[12], 0x0a000000u | (uint32_t)(r & 0xffffff));
    put16(&in[20], (uint16_t)(r >> 24));
    put16(&in[22], (uint16_t)(r >> 40));
    put16(&in[10], 0);
    put16(&in[10], csum(in.data(), 20));
    Bytes o = enc(in);
    uint16_t sport = get16(&o[20]);
    ASSERT_GE(sport, 49152);
    if (i < 1000) {
      ASSERT_EQ(sport, expected_port(in, true)) << i;
    }
    bins[sport - 49152]++;
  }
  const double E = (double)N / 16384, df = 16383, z = 2.3263478740;
  double chi = 0;
  for (uint32_t o : bins) chi += (o - E) * (o - E) / E;
  const double crit = df * std::pow(1 - 2 / (9 * df) + z * std::sqrt(2 / (9 * df)), 3);
  RecordProperty("chi_square", std::to_string(chi));
  std::printf("chi-square %.1f over 16383 degrees of freedom, p = 0.01 critical value %.1f\n", chi, crit);
  EXPECT_LT(chi, crit) << "chi-square " << chi << " critical " << crit;
  EXPECT_GT(chi, df * 0.9);  // sanity: not suspiciously uniform either
}

// DESIGN: one port per inner flow, for every packet and every fragment; fragments and
// port-less packets hash the 3-tuple (source, destination, protocol).
TEST_F(Udp, SourcePortStablePerFlowAndAcrossFragments) {
  add("o", SA_OUTBOUND, 0x3000, SA_UDP_MULTIPATH, 500, 1500);
  Bytes small = ipv4_udp(100), big = ipv4_udp(4000);
  const uint16_t p5 = expected_port(small, true);
  EXPECT_EQ(get16(&enc(small)[20]), p5);
  EXPECT_EQ(get16(&enc(ipv4_udp(700))[20]), p5);
  Burst b = run_burst(&db, big);  // pre-fragmented: the port is the datagram's 5-tuple one
  ASSERT_EQ(b.esp.size(), 3u);
  for (auto &e : b.esp) EXPECT_EQ(get16(&e[20]), p5);
  // Inner fragments (first with MF, and a later one) and ICMP: the 3-tuple.
  Bytes f0 = ipv4_udp(600), f1 = ipv4_udp(600), icmp = ipv4_udp(100);
  put16(&f0[6], 0x2000);
  put16(&f1[6], 72);
  icmp[9] = 1;
  for (Bytes *p : {&f0, &f1, &icmp}) { put16(&(*p)[10], 0); put16(&(*p)[10], csum(p->data(), 20)); }
  const uint16_t p3 = expected_port(f0, false);
  EXPECT_EQ(get16(&enc(f0)[20]), p3);
  EXPECT_EQ(get16(&enc(f1)[20]), p3);
  EXPECT_NE(p3, p5);
  EXPECT_EQ(get16(&enc(icmp)[20]), expected_port(icmp, false));
}

// U1-U3 and DESIGN demultiplexing on 4500 and on the multipath port 500; each packet moves
// exactly one counter (IKE and keepalives are host-path events, never errors).
TEST_F(Udp, Demultiplex4500And500) {
  add("on", SA_OUTBOUND, 0x4500, SA_UDP_NATT, 4500);
  add("in", SA_INBOUND, 0x4500, SA_UDP_NATT, 4500);
  sa_config mo = make_cfg("om", SA_OUTBOUND, 0x5000, k, A, B);
  mo.udp = SA_UDP_MULTIPATH;
  mo.udp_dst_port = 500;
  mo.has_selector = true;
  sa_parse_addr("10.7.0.0", &mo.selector);
  mo.selector_len = 16;
  char why[200];
  ASSERT_TRUE(sa_db_add(&db, &mo, why, sizeof why)) << why;
  add("im", SA_INBOUND, 0x5000, SA_UDP_MULTIPATH, 500);
  auto v4udp = [&](uint16_t sp, uint16_t dp, const Bytes &pl) { return outer_v4(udp_wrap(sp, dp, pl), A, B, 17); };
  Bytes ike = {0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0x21, 0x20, 0x22, 0x08};
  expect(v4udp(4500, 4500, {0xff}), ESP_R_HOST_KEEPALIVE, IPSEC_CTR_HOST_KEEPALIVE);
  expect(v4udp(4500, 4500, ike), ESP_R_HOST_IKE, IPSEC_CTR_HOST_IKE);
  Bytes natt = enc(ipv4_udp(200));
  // the outbound SA's packet goes A -> B, where the inbound SA (local B) receives it
  Bytes esp_natt(natt.begin() + 28, natt.end());
  expect(v4udp(4500, 4500, esp_natt), ESP_R_OK, IPSEC_CTR_COUNT);
  Bytes unknown = esp_natt;
  put32(&unknown[0], 0x9999);
  expect(v4udp(4500, 4500, unknown), ESP_R_UNKNOWN_SPI, IPSEC_CTR_BAD_HEADERS);
  // RFC 3948 s2.1: the receiver does not depend on a zero checksum: a valid one is accepted
  Bytes sealed = outer_v4(esp_seal(k, 0x4500, 2, false, esp_plain(ipv4_udp(64), 4)), A, B, 50);
  Bytes ck = v4udp(4500, 4500, Bytes(sealed.begin() + 20, sealed.end()));
  {
    Bytes ph = v4addr(A), d = v4addr(B);
    ph.insert(ph.end(), d.begin(), d.end());
    ph.insert(ph.end(), {0, 17, (uint8_t)((ck.size() - 20) >> 8), (uint8_t)(ck.size() - 20)});
    ph.insert(ph.end(), ck.begin() + 20, ck.end());
    put16(&ck[26], csum(ph.data(), ph.size()));
    ASSERT_NE(get16(&ck[26]), 0);
  }
  expect(ck, ESP_R_OK, IPSEC_CTR_COUNT);
  // Port 500: an installed multipath SPI is ESP, anything else IKE for the host.
  Bytes mp = enc(ipv4_udp(200, 0, false, "10.0.0.1", "10.7.0.9"));
  EXPECT_EQ(get16(&mp[22]), 500);
  expect(v4udp(get16(&mp[20]), 500, Bytes(mp.begin() + 28, mp.end())), ESP_R_OK, IPSEC_CTR_COUNT);
  expect(v4udp(500, 500, ike), ESP_R_HOST_IKE, IPSEC_CTR_HOST_IKE);
  Bytes ike_like = Bytes(mp.begin() + 28, mp.end());
  put32(&ike_like[0], 0x12345678);  // not an installed SPI: IKE (initiator SPI bytes)
  expect(v4udp(50000, 500, ike_like), ESP_R_HOST_IKE, IPSEC_CTR_HOST_IKE);
  // Seed drop rules: wrong destination port, UDP missing, UDP header truncated.
  expect(v4udp(4500, 4501, esp_natt), ESP_R_UDP_ENCAP_MISMATCH, IPSEC_CTR_BAD_HEADERS);
  expect(outer_v4(esp_natt, A, B, 50), ESP_R_UDP_ENCAP_MISMATCH, IPSEC_CTR_BAD_HEADERS);
  expect(outer_v4(Bytes{0x11, 0x94, 0x11}, A, B, 17), ESP_R_UDP_MALFORMED, IPSEC_CTR_BAD_HEADERS);
  // NAT-T SA's SPI on the multipath port, and the multipath SPI on 4500: wrong encapsulation
  expect(v4udp(4500, 4500, Bytes(mp.begin() + 28, mp.end())), ESP_R_UDP_ENCAP_MISMATCH,
         IPSEC_CTR_BAD_HEADERS);
  // Outer fragments are not reassembled before decryption.
  expect(outer_v4(udp_wrap(4500, 4500, esp_natt), A, B, 17, 0, 0x2000), ESP_R_OUTER_FRAGMENT,
         IPSEC_CTR_BAD_HEADERS);
  EXPECT_EQ(*db.global.v[IPSEC_CTR_HOST_IKE], 3u);
  EXPECT_EQ(*db.global.v[IPSEC_CTR_HOST_KEEPALIVE], 1u);
}

// Loader: NAT-T detected takes precedence over multipath; configured ports 1025..65535
// except 4500, unconfigured multipath means 500.
TEST_F(Udp, NatDetectedOverridesMultipathAndPortRules) {
  auto yaml = [](const std::string &udp, const std::string &extra) {
    return "sas:\n  - name: o\n    direction: outbound\n    spi: 4096\n    algorithm: aes-128-gcm\n"
           "    key: 0x000102030405060708090a0b0c0d0e0f01020304\n    local: 192.0.2.1\n"
           "    remote: 198.51.100.1\n    udp_encap: " + udp + "\n" + extra;
  };
  cfg_err err;
  std::string t = yaml("multipath", "    nat_detected: true\n");
  ASSERT_TRUE(sa_load_buffer(&db, "sa.yaml", t.data(), t.size(), &err)) << err.msg;
  EXPECT_EQ(db.sas[0]->cfg.udp, SA_UDP_NATT);
  EXPECT_EQ(db.sas[0]->cfg.udp_dst_port, 4500);
  Bytes o = enc(ipv4_udp(64));
  EXPECT_EQ(get16(&o[20]), 4500);
  EXPECT_EQ(get16(&o[22]), 4500);
  for (const char *bad : {"{dst_port: 500}", "{dst_port: 4500}", "{dst_port: 1024}", "{dst_port: 65536}"}) {
    sa_db d;
    ASSERT_TRUE(sa_db_init(&d, nullptr));
    std::string b = yaml(bad, "");
    EXPECT_FALSE(sa_load_buffer(&d, "sa.yaml", b.data(), b.size(), &err)) << bad;
    EXPECT_NE(std::string(err.msg).find("udp_encap.dst_port"), std::string::npos) << err.msg;
    sa_db_free(&d);
  }
  sa_db d;
  ASSERT_TRUE(sa_db_init(&d, nullptr));
  std::string m = yaml("multipath", "");
  ASSERT_TRUE(sa_load_buffer(&d, "sa.yaml", m.data(), m.size(), &err)) << err.msg;
  EXPECT_EQ(d.sas[0]->cfg.udp_dst_port, 500);
  sa_db_free(&d);
}

// DESIGN: on the multipath port a packet whose first 4 bytes match an installed inbound SPI
// is ESP; when that SA is not multipath on this port, the encapsulation is wrong: a bad
// header (udp_encap_mismatch), never IKE for the host. A NAT keepalive (one 0xFF byte) on
// port 500 is not ESP, so it is IKE for the host ("anything else is IKE").
TEST_F(Udp, MultipathPortInstalledSpiOfOtherSaIsEncapMismatch) {
  add("im", SA_INBOUND, 0x5000, SA_UDP_MULTIPATH, 500);
  add("in", SA_INBOUND, 0x4500, SA_UDP_NATT, 4500);
  add("ip", SA_INBOUND, 0x6000, SA_UDP_NONE, 0);
  add("i2", SA_INBOUND, 0x7000, SA_UDP_MULTIPATH, 2000);
  auto v4udp = [&](uint16_t dp, const Bytes &pl) { return outer_v4(udp_wrap(50000, dp, pl), A, B, 17); };
  auto sealed = [&](uint32_t spi) { return esp_seal(k, spi, 1, false, esp_plain(ipv4_udp(64), 4)); };
  expect(v4udp(500, sealed(0x5000)), ESP_R_OK, IPSEC_CTR_COUNT);
  for (uint32_t spi : {0x4500u, 0x6000u, 0x7000u})
    expect(v4udp(500, sealed(spi)), ESP_R_UDP_ENCAP_MISMATCH, IPSEC_CTR_BAD_HEADERS);
  expect(v4udp(2000, sealed(0x7000)), ESP_R_OK, IPSEC_CTR_COUNT);
  expect(v4udp(2000, sealed(0x5000)), ESP_R_UDP_ENCAP_MISMATCH, IPSEC_CTR_BAD_HEADERS);
  expect(v4udp(500, {0xff}), ESP_R_HOST_IKE, IPSEC_CTR_HOST_IKE);
  expect(v4udp(2000, {0xff}), ESP_R_HOST_IKE, IPSEC_CTR_HOST_IKE);
  EXPECT_EQ(*db.global.v[IPSEC_CTR_HOST_KEEPALIVE], 0u);
}

// The same demultiplexing over an IPv6 outer header (UDP checksum mandatory, RFC 8200 s8.1).
TEST_F(Udp, Demultiplex4500And500OverIpv6) {
  const char *A6 = "2001:db8::1", *B6 = "2001:db8:1::1";
  auto add6 = [&](const char *name, uint32_t spi, sa_udp_mode udp, uint16_t port) {
    sa_config c = make_cfg(name, SA_INBOUND, spi, k, B6, A6);
    c.udp = udp;
    c.udp_dst_port = port;
    char why[256];
    ASSERT_TRUE(sa_db_add(&db, &c, why, sizeof why)) << why;
  };
  add6("n6", 0x4600, SA_UDP_NATT, 4500);
  add6("m6", 0x5600, SA_UDP_MULTIPATH, 500);
  auto v6udp = [&](uint16_t dp, const Bytes &pl) {
    Bytes u = udp_wrap(50000, dp, pl), ph = v6addr(A6), d = v6addr(B6);
    ph.insert(ph.end(), d.begin(), d.end());
    ph.insert(ph.end(), {0, 0, (uint8_t)(u.size() >> 8), (uint8_t)u.size(), 0, 0, 0, 17});
    ph.insert(ph.end(), u.begin(), u.end());
    uint16_t c = csum(ph.data(), ph.size());
    put16(&u[6], c ? c : 0xffff);
    return outer_v6(u, A6, B6, 17);
  };
  auto sealed = [&](uint32_t spi) { return esp_seal(k, spi, 1, false, esp_plain(ipv6_udp(64), 41)); };
  Bytes ike = {0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0x21, 0x20, 0x22, 0x08};
  expect(v6udp(4500, {0xff}), ESP_R_HOST_KEEPALIVE, IPSEC_CTR_HOST_KEEPALIVE);
  expect(v6udp(4500, ike), ESP_R_HOST_IKE, IPSEC_CTR_HOST_IKE);
  expect(v6udp(4500, sealed(0x4600)), ESP_R_OK, IPSEC_CTR_COUNT);
  expect(v6udp(4500, sealed(0x9999)), ESP_R_UNKNOWN_SPI, IPSEC_CTR_BAD_HEADERS);
  expect(v6udp(4500, sealed(0x5600)), ESP_R_UDP_ENCAP_MISMATCH, IPSEC_CTR_BAD_HEADERS);
  expect(v6udp(500, sealed(0x5600)), ESP_R_OK, IPSEC_CTR_COUNT);
  Bytes ike_like = ike;
  put32(&ike_like[0], 0x12345678);
  expect(v6udp(500, ike), ESP_R_HOST_IKE, IPSEC_CTR_HOST_IKE);
  expect(v6udp(500, ike_like), ESP_R_HOST_IKE, IPSEC_CTR_HOST_IKE);
  expect(v6udp(500, {0xff}), ESP_R_HOST_IKE, IPSEC_CTR_HOST_IKE);
  expect(v6udp(500, sealed(0x4600)), ESP_R_UDP_ENCAP_MISMATCH, IPSEC_CTR_BAD_HEADERS);
  expect(outer_v6(sealed(0x4600), A6, B6, 50), ESP_R_UDP_ENCAP_MISMATCH, IPSEC_CTR_BAD_HEADERS);
}
