// Decrypt rules (E6, E8, R2-R4, T3, T4) on ESP built by the test's own EVP encoder, and for
// every fault the change of every counter: +1 on exactly one, +0 on all others (global and
// per SA), +0 delivered.
#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <set>
#include <string>

#include "esp_test_util.h"

using namespace esptest;

namespace {

const char *LOCAL = "192.0.2.1", *PEER = "198.51.100.1";
constexpr uint32_t SPI = 0x5001;

using Snap = std::array<uint64_t, IPSEC_CTR_COUNT>;
Snap snap(const ipsec_counters &c) {
  Snap s{};
  for (int i = 0; i < IPSEC_CTR_COUNT; i++) s[i] = *c.v[i];
  return s;
}

struct Dec : ::testing::Test {
  sa_db db;
  Keys k = keys128();
  sa *in_sa = nullptr;
  void SetUp() override {
    ASSERT_TRUE(sa_db_init(&db, nullptr));
    in_sa = add(make_cfg("in", SA_INBOUND, SPI, k, LOCAL, PEER));
  }
  void TearDown() override { sa_db_free(&db); }
  sa *add(const sa_config &c) {
    char why[256];
    EXPECT_TRUE(sa_db_add(&db, &c, why, sizeof why)) << why;
    return db.sas[db.n - 1];
  }
  esp_reason decrypt(const Bytes &pkt, Bytes *inner = nullptr, uint64_t now = 0) {
    Bytes out(pkt.size() + 16);
    size_t n = 0;
    esp_reason r = esp_decrypt(&db, pkt.data(), pkt.size(), now, out.data(), out.size(), &n, nullptr);
    out.resize(n);
    if (inner) *inner = out;
    return r;
  }
  Bytes pkt(uint64_t seq, const Bytes &plain, uint8_t tos = 0, uint32_t spi = SPI) {
    return outer_v4(esp_seal(k, spi, seq, false, plain), PEER, LOCAL, 50, tos);
  }
  // The fault must move exactly counter `which` by one, globally and (if attributable) on
  // the SA, and deliver nothing.
  void expect_fault(const Bytes &p, esp_reason want, ipsec_ctr which, bool on_sa = true,
                    uint64_t now = 0) {
    Snap g0 = snap(db.global), s0 = snap(in_sa->ctr);
    Bytes inner;
    EXPECT_EQ(decrypt(p, &inner, now), want) << esp_reason_name(want);
    EXPECT_TRUE(inner.empty());
    Snap g1 = snap(db.global), s1 = snap(in_sa->ctr);
    for (int i = 0; i < IPSEC_CTR_COUNT; i++) {
      EXPECT_EQ(g1[i] - g0[i], i == (int)which ? 1u : 0u) << "global " << ipsec_ctr_name((ipsec_ctr)i);
      EXPECT_EQ(s1[i] - s0[i], on_sa && i == (int)which ? 1u : 0u) << "sa " << ipsec_ctr_name((ipsec_ctr)i);
    }
  }
};

}  // namespace

TEST_F(Dec, RestoresInnerByteExact) {
  Bytes inner = ipv4_udp(100, 0x28);
  Bytes p = pkt(1, esp_plain(inner, 4));
  Bytes got;
  ASSERT_EQ(decrypt(p, &got), ESP_R_OK);
  EXPECT_EQ(got, inner);  // pure transform: TTL and checksum untouched
  EXPECT_EQ(ipsec_counter_get(&in_sa->ctr, IPSEC_CTR_DEC_PKTS), 1u);
  EXPECT_EQ(ipsec_counter_get(&in_sa->ctr, IPSEC_CTR_DEC_BYTES), p.size());  // ESP side
}

TEST_F(Dec, Ipv6InIpv6WithEsnAcrossBoundary) {
  Keys k2 = keys256();
  sa_config c = make_cfg("in6", SA_INBOUND, 0x6006, k2, "2001:db8::1", "2001:db8::2", true);
  c.initial_seq = 0xFFFFFFF0;
  c.replay_window = 1024;
  add(c);
  Bytes inner = ipv6_udp(90, 0x02);
  for (uint64_t seq : {UINT64_C(0x100000003), UINT64_C(0xFFFFFFFA), UINT64_C(0x100000000)}) {
    Bytes p = outer_v6(esp_seal(k2, 0x6006, seq, true, esp_plain(inner, 41)), "2001:db8::2", "2001:db8::1");
    Bytes got;
    ASSERT_EQ(decrypt(p, &got), ESP_R_OK) << std::hex << seq;
    EXPECT_EQ(got, inner);
  }
}

// E8 / R3: a forged ICV does not move the window; the genuine packet with the same number
// is then accepted; a replay of it is a duplicate.
TEST_F(Dec, ForgedThenGenuine) {
  Bytes plain = esp_plain(ipv4_udp(60), 4);
  Bytes good = pkt(1000, plain);
  Bytes bad = good;
  bad[bad.size() - 1] ^= 1;
  expect_fault(bad, ESP_R_ICV_MISMATCH, IPSEC_CTR_ESP_AUTH_FAIL);
  EXPECT_EQ(in_sa->replay.top, 0u);
  EXPECT_EQ(decrypt(good), ESP_R_OK);
  expect_fault(good, ESP_R_REPLAY_DUPLICATE, IPSEC_CTR_REPLAY);
  expect_fault(pkt(936, plain), ESP_R_REPLAY_TOO_OLD, IPSEC_CTR_REPLAY);  // 1000 - 64
  EXPECT_EQ(decrypt(pkt(937, plain)), ESP_R_OK);
}

TEST_F(Dec, FaultsChangeExactlyOneCounter) {
  Bytes inner = ipv4_udp(60);
  Bytes plain = esp_plain(inner, 4);
  uint64_t seq = 1;
  // bad headers
  Bytes p = pkt(seq++, plain);
  Bytes trunc(p.begin(), p.begin() + 19);
  expect_fault(trunc, ESP_R_OUTER_MALFORMED, IPSEC_CTR_BAD_HEADERS, false);
  Bytes badsum = pkt(seq++, plain);
  badsum[10] ^= 0xff;
  expect_fault(badsum, ESP_R_OUTER_MALFORMED, IPSEC_CTR_BAD_HEADERS, false);
  expect_fault(outer_v4(esp_seal(k, SPI, seq++, false, plain), PEER, LOCAL, 50, 0, 0x2000),
               ESP_R_OUTER_FRAGMENT, IPSEC_CTR_BAD_HEADERS, false);
  expect_fault(outer_v4(esp_seal(k, SPI, seq++, false, plain), PEER, LOCAL, 6),
               ESP_R_NOT_ESP, IPSEC_CTR_BAD_HEADERS, false);
  Bytes u = udp_wrap(4500, 4500, esp_seal(k, SPI, seq++, false, plain));
  expect_fault(outer_v4(u, PEER, LOCAL, 17), ESP_R_UDP_ENCAP_MISMATCH, IPSEC_CTR_BAD_HEADERS);
  Bytes ubad = u;
  put16(&ubad[6], 0x1234);  // wrong non-zero IPv4 UDP checksum
  expect_fault(outer_v4(ubad, PEER, LOCAL, 17), ESP_R_UDP_MALFORMED, IPSEC_CTR_BAD_HEADERS, false);
  expect_fault(outer_v4(Bytes{0, 0, 0x50, 1, 0, 0, 0}, PEER, LOCAL), ESP_R_ESP_HDR_TRUNCATED,
               IPSEC_CTR_BAD_HEADERS, false);
  expect_fault(pkt(seq++, plain, 0, 0x9999), ESP_R_UNKNOWN_SPI, IPSEC_CTR_BAD_HEADERS, false);
  expect_fault(outer_v4(esp_seal(k, SPI, seq++, false, plain), PEER, "192.0.2.99"),
               ESP_R_DESTINATION_MISMATCH, IPSEC_CTR_BAD_HEADERS);
  // decryption failure: SPI, seq, IV and a 16-byte ICV but no room for the trailer
  Bytes shortb = esp_seal(k, SPI, seq++, false, plain);
  shortb.resize(8 + 8 + 1 + 16);
  expect_fault(outer_v4(shortb, PEER, LOCAL), ESP_R_BODY_TOO_SHORT, IPSEC_CTR_ESP_DECRYPT_FAIL);
  // bad trailers (authentic packets)
  expect_fault(pkt(seq++, esp_plain(ipv4_udp(61), 4, 1, 7)), ESP_R_BAD_PAD, IPSEC_CTR_BAD_TRAILERS);
  Bytes bpl = esp_plain(inner, 4);
  bpl[bpl.size() - 2] = 200;  // pad length beyond the plaintext
  expect_fault(pkt(seq++, bpl), ESP_R_BAD_PAD_LENGTH, IPSEC_CTR_BAD_TRAILERS);
  expect_fault(pkt(seq++, esp_plain(inner, 6)), ESP_R_BAD_NEXT_HEADER, IPSEC_CTR_BAD_TRAILERS);
  // own counters
  expect_fault(pkt(seq++, esp_plain(inner, 59)), ESP_R_DUMMY, IPSEC_CTR_DUMMY);
  expect_fault(pkt(seq++, esp_plain(ipv4_udp(60, 0 /*Not-ECT*/), 4), 3 /*CE*/),
               ESP_R_ECN_CE_NOT_ECT, IPSEC_CTR_ECN_CE_NOT_ECT);
  expect_fault(pkt(seq++, esp_plain(ipv6_udp(60), 4)), ESP_R_INNER_INVALID, IPSEC_CTR_INNER_INVALID);
  Bytes ka = udp_wrap(4500, 4500, Bytes{0xff});
  expect_fault(outer_v4(ka, PEER, LOCAL, 17), ESP_R_HOST_KEEPALIVE, IPSEC_CTR_HOST_KEEPALIVE, false);
  Bytes ike = udp_wrap(4500, 4500, Bytes{0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});
  expect_fault(outer_v4(ike, PEER, LOCAL, 17), ESP_R_HOST_IKE, IPSEC_CTR_HOST_IKE, false);
  expect_fault(outer_v4(udp_wrap(500, 500, Bytes(40, 1)), PEER, LOCAL, 17), ESP_R_HOST_IKE,
               IPSEC_CTR_HOST_IKE, false);
  // Nothing above aged the SA: a fresh packet is still accepted.
  EXPECT_EQ(decrypt(pkt(seq++, plain)), ESP_R_OK);
}

// RFC 6040 s4.2 decapsulation table (inner x outer), and copy-outer-dscp.
TEST_F(Dec, EcnTableAndCopyOuterDscp) {
  const int NOT = 0, E1 = 1, E0 = 2, CE = 3;
  const int table[4][4] = {  // [inner][outer] -> result, -1 = drop
      /* Not-ECT */ {NOT, NOT, NOT, -1},
      /* ECT(1)  */ {E1, E1, E1, CE},
      /* ECT(0)  */ {E0, E1, E0, CE},
      /* CE      */ {CE, CE, CE, CE}};
  uint64_t seq = 1;
  for (int i = 0; i < 4; i++)
    for (int o = 0; o < 4; o++) {
      Bytes inner = ipv4_udp(60, (uint8_t)(10 << 2 | i));
      Bytes got;
      esp_reason r = decrypt(pkt(seq++, esp_plain(inner, 4), (uint8_t)(46 << 2 | o)), &got);
      if (table[i][o] < 0) { EXPECT_EQ(r, ESP_R_ECN_CE_NOT_ECT); continue; }
      ASSERT_EQ(r, ESP_R_OK);
      EXPECT_EQ(got[1], 10 << 2 | table[i][o]) << i << "," << o;  // DSCP kept
      EXPECT_EQ(csum(got.data(), 20), 0);                          // checksum updated
    }
  in_sa->cfg.copy_outer_dscp = true;
  Bytes got;
  ASSERT_EQ(decrypt(pkt(seq++, esp_plain(ipv4_udp(60, 10 << 2), 4), 46 << 2), &got), ESP_R_OK);
  EXPECT_EQ(got[1], 46 << 2);  // EF from the outer header
  EXPECT_EQ(csum(got.data(), 20), 0);
  Bytes in6 = ipv6_udp(70, 10 << 2 | 2);  // ECT(0) under CE -> CE
  ASSERT_EQ(decrypt(pkt(seq++, esp_plain(in6, 41), 46 << 2 | 3), &got), ESP_R_OK);
  EXPECT_EQ(((got[0] & 0xf) << 4) | (got[1] >> 4), 46 << 2 | 3);
}

TEST_F(Dec, LifetimeSecondsAndKilobytes) {
  in_sa->cfg.lifetime_seconds = 10;
  Bytes plain = esp_plain(ipv4_udp(60), 4);
  EXPECT_EQ(decrypt(pkt(1, plain), nullptr, 5000000000ull), ESP_R_OK);   // time zero = 5 s
  EXPECT_EQ(decrypt(pkt(2, plain), nullptr, 14999999999ull), ESP_R_OK);
  expect_fault(pkt(3, plain), ESP_R_LIFETIME_EXPIRED, IPSEC_CTR_LIFETIME_EXPIRED, true,
               15000000000ull);
}

TEST_F(Dec, LifetimeKilobytesDropsTheCrossingPacket) {
  in_sa->cfg.lifetime_kilobytes = 1;  // 1024 clear bytes
  Bytes plain = esp_plain(ipv4_udp(498), 4);
  EXPECT_EQ(decrypt(pkt(1, plain)), ESP_R_OK);
  EXPECT_EQ(decrypt(pkt(2, plain)), ESP_R_OK);  // 996 bytes
  EXPECT_TRUE(in_sa->soft_expired);             // 82% of 1024 = 840 passed
  expect_fault(pkt(3, plain), ESP_R_LIFETIME_EXPIRED, IPSEC_CTR_LIFETIME_EXPIRED);
  // The SA expired for good: even a packet that would fit the remaining 28 bytes is dropped.
  expect_fault(pkt(4, esp_plain(ipv4_udp(28), 4)), ESP_R_LIFETIME_EXPIRED, IPSEC_CTR_LIFETIME_EXPIRED);
}

// Encrypt-side faults: exactly one counter each, nothing emitted.
TEST_F(Dec, EncryptFaultsChangeExactlyOneCounter) {
  sa_config c = make_cfg("out", SA_OUTBOUND, 0x7007, k, LOCAL, PEER);
  c.tunnel_mtu = 600;
  c.lifetime_kilobytes = 1;
  c.has_selector = true;
  sa_parse_addr("10.1.0.0", &c.selector);
  c.selector_len = 16;
  sa *o = add(c);
  auto fault = [&](const Bytes &in, esp_reason want, ipsec_ctr which, bool on_sa) {
    Snap g0 = snap(db.global), s0 = snap(o->ctr);
    Bytes out(in.size() + ESP_MAX_OVERHEAD);
    size_t n = 99;
    EXPECT_EQ(esp_encrypt(&db, in.data(), in.size(), 0, out.data(), out.size(), &n, nullptr), want);
    EXPECT_EQ(n, 0u);
    Snap g1 = snap(db.global), s1 = snap(o->ctr);
    for (int i = 0; i < IPSEC_CTR_COUNT; i++) {
      EXPECT_EQ(g1[i] - g0[i], i == (int)which ? 1u : 0u) << ipsec_ctr_name((ipsec_ctr)i);
      EXPECT_EQ(s1[i] - s0[i], on_sa && i == (int)which ? 1u : 0u) << ipsec_ctr_name((ipsec_ctr)i);
    }
  };
  fault(Bytes{0x45, 0, 0}, ESP_R_INNER_INVALID, IPSEC_CTR_INNER_INVALID, false);
  fault(ipv4_udp(60, 0, false, "10.0.0.1", "11.0.0.1"), ESP_R_NO_SA, IPSEC_CTR_NO_SA, false);
  fault(ipv4_udp(600), ESP_R_EXCEEDS_MTU, IPSEC_CTR_EXCEEDS_MTU, true);  // 600 + 54 > 600
  Bytes out(700);
  size_t n;
  ASSERT_EQ(esp_encrypt(&db, ipv4_udp(500).data(), 500, 0, out.data(), out.size(), &n, nullptr), ESP_R_OK);
  ASSERT_EQ(esp_encrypt(&db, ipv4_udp(500).data(), 500, 0, out.data(), out.size(), &n, nullptr), ESP_R_OK);
  fault(ipv4_udp(500), ESP_R_LIFETIME_EXPIRED, IPSEC_CTR_LIFETIME_EXPIRED, true);
  o->cfg.lifetime_kilobytes = 0;
  o->seq = UINT32_MAX;
  fault(ipv4_udp(60), ESP_R_SEQ_EXHAUSTED, IPSEC_CTR_SEQ_EXHAUSTED, true);
}

// Round trip through the engine both ways for every family mix and both key sizes.
TEST_F(Dec, RoundTripMatrix) {
  const char *v4[2] = {"192.0.2.10", "192.0.2.20"}, *v6[2] = {"2001:db8::10", "2001:db8::20"};
  uint32_t spi = 0x8000;
  for (int outer6 = 0; outer6 < 2; outer6++)
    for (int big = 0; big < 2; big++)
      for (int esn = 0; esn < 2; esn++) {
        Keys kk = big ? keys256() : keys128();
        const char **a = outer6 ? v6 : v4;
        sa_db d;
        ASSERT_TRUE(sa_db_init(&d, nullptr));
        char why[200];
        sa_config co = make_cfg("o", SA_OUTBOUND, spi, kk, a[0], a[1], esn);
        co.initial_seq = esn ? 0xFFFFFFFEu : 0;
        sa_config ci = make_cfg("i", SA_INBOUND, spi, kk, a[1], a[0], esn);
        ci.initial_seq = co.initial_seq;
        ASSERT_TRUE(sa_db_add(&d, &co, why, sizeof why)) << why;
        ASSERT_TRUE(sa_db_add(&d, &ci, why, sizeof why)) << why;
        for (int inner6 = 0; inner6 < 2; inner6++)
          for (int i = 0; i < 3; i++) {
            Bytes in = inner6 ? ipv6_udp(64 + i * 333) : ipv4_udp(64 + i * 333);
            Bytes e(in.size() + ESP_MAX_OVERHEAD), back(in.size() + ESP_MAX_OVERHEAD);
            size_t ne, nb;
            ASSERT_EQ(esp_encrypt(&d, in.data(), in.size(), 0, e.data(), e.size(), &ne, nullptr), ESP_R_OK);
            ASSERT_EQ(esp_decrypt(&d, e.data(), ne, 0, back.data(), back.size(), &nb, nullptr), ESP_R_OK);
            back.resize(nb);
            EXPECT_EQ(back, in);
          }
        sa_db_free(&d);
      }
}

// UDP encapsulation end to end: NAT-T over IPv4 (checksum 0) and multipath over IPv6 (real
// checksum, written after the tag); a multipath-port packet with an unknown SPI is IKE.
TEST_F(Dec, UdpEncapsulationRoundTrip) {
  for (int v6 = 0; v6 < 2; v6++) {
    sa_db d;
    ASSERT_TRUE(sa_db_init(&d, nullptr));
    const char *a = v6 ? "2001:db8::1" : "192.0.2.1", *b = v6 ? "2001:db8::2" : "198.51.100.1";
    sa_config co = make_cfg("o", SA_OUTBOUND, 0x4444, k, a, b);
    co.udp = v6 ? SA_UDP_MULTIPATH : SA_UDP_NATT;
    co.udp_dst_port = v6 ? 5000 : 4500;
    sa_config ci = make_cfg("i", SA_INBOUND, 0x4444, k, b, a);
    ci.udp = co.udp;
    ci.udp_dst_port = co.udp_dst_port;
    char why[200];
    ASSERT_TRUE(sa_db_add(&d, &co, why, sizeof why)) << why;
    ASSERT_TRUE(sa_db_add(&d, &ci, why, sizeof why)) << why;
    Bytes in = ipv4_udp(333), e(400 + ESP_MAX_OVERHEAD), back(800);
    size_t ne, nb;
    ASSERT_EQ(esp_encrypt(&d, in.data(), in.size(), 0, e.data(), e.size(), &ne, nullptr), ESP_R_OK);
    ASSERT_EQ(esp_decrypt(&d, e.data(), ne, 0, back.data(), back.size(), &nb, nullptr), ESP_R_OK);
    back.resize(nb);
    EXPECT_EQ(back, in);
    if (v6) {
      e[ne - 1] ^= 0x55;  // any change after the UDP checksum was written breaks it
      EXPECT_EQ(esp_decrypt(&d, e.data(), ne, 0, back.data(), back.size(), &nb, nullptr), ESP_R_UDP_MALFORMED);
      Bytes ike = outer_v6(udp_wrap(40000, 5000, Bytes(40, 7)), a, b, 17);
      // checksum for the hand-built datagram (mandatory over IPv6)
      Bytes ph(ike.begin() + 8, ike.begin() + 40);
      Bytes l = {0, 0, 0, 48, 0, 0, 0, 17};
      ph.insert(ph.end(), l.begin(), l.end());
      ph.insert(ph.end(), ike.begin() + 40, ike.end());
      put16(&ike[46], csum(ph.data(), ph.size()));
      EXPECT_EQ(esp_decrypt(&d, ike.data(), ike.size(), 0, back.data(), back.size(), &nb, nullptr), ESP_R_HOST_IKE);
    } else {
      // plain ESP to an SA that expects NAT-T is a bad header
      Bytes plain(e.begin() + 28, e.begin() + (long)ne);
      Bytes p = outer_v4(plain, a, b);
      EXPECT_EQ(esp_decrypt(&d, p.data(), p.size(), 0, back.data(), back.size(), &nb, nullptr), ESP_R_UDP_ENCAP_MISMATCH);
    }
    sa_db_free(&d);
  }
}

// DESIGN: time zero is SA install = the run's first packet, whichever SA it hits.
TEST_F(Dec, LifetimeStartsAtTheRunsFirstPacket) {
  sa_config c = make_cfg("in2", SA_INBOUND, 0x5002, k, LOCAL, PEER);
  c.lifetime_seconds = 10;
  add(c);
  Bytes plain = esp_plain(ipv4_udp(60), 4);
  EXPECT_EQ(decrypt(pkt(1, plain), nullptr, 1000000000ull), ESP_R_OK);  // SA "in" at 1 s
  EXPECT_EQ(decrypt(pkt(1, plain, 0, 0x5002), nullptr, 10999999999ull), ESP_R_OK);
  EXPECT_EQ(decrypt(pkt(2, plain, 0, 0x5002), nullptr, 11000000000ull), ESP_R_LIFETIME_EXPIRED);
}

// IPv6 outer faults: truncated header, a Fragment header (no reassembly), a wrong next header.
TEST_F(Dec, Ipv6OuterFaults) {
  sa *s6 = add(make_cfg("in6", SA_INBOUND, 0x6001, k, "2001:db8::1", "2001:db8::2"));
  Bytes esp = esp_seal(k, 0x6001, 1, false, esp_plain(ipv4_udp(60), 4));
  Bytes good = outer_v6(esp, "2001:db8::2", "2001:db8::1");
  Bytes trunc(good.begin(), good.begin() + 39);
  Bytes frag = esp;
  Bytes fh = {50, 0, 0, 0, 0, 0, 0, 1};  // next header ESP, offset 0, M=0, id 1
  frag.insert(frag.begin(), fh.begin(), fh.end());
  Bytes fragp = outer_v6(frag, "2001:db8::2", "2001:db8::1", 44);
  Bytes tcp = outer_v6(esp, "2001:db8::2", "2001:db8::1", 6);
  struct { const Bytes *p; esp_reason r; } cases[] = {
      {&trunc, ESP_R_OUTER_MALFORMED}, {&fragp, ESP_R_OUTER_FRAGMENT}, {&tcp, ESP_R_NOT_ESP}};
  for (auto &c : cases) {
    Snap g0 = snap(db.global);
    EXPECT_EQ(decrypt(*c.p), c.r) << esp_reason_name(c.r);
    Snap g1 = snap(db.global);
    for (int i = 0; i < IPSEC_CTR_COUNT; i++)
      EXPECT_EQ(g1[i] - g0[i], i == IPSEC_CTR_BAD_HEADERS ? 1u : 0u) << ipsec_ctr_name((ipsec_ctr)i);
  }
  Bytes inner;
  EXPECT_EQ(decrypt(good, &inner), ESP_R_OK);
  EXPECT_EQ(inner, ipv4_udp(60));
  EXPECT_EQ(ipsec_counter_get(&s6->ctr, IPSEC_CTR_BAD_HEADERS), 0u);
}

// G4: the IV is not in the AAD, but it is the nonce: a flipped IV byte fails the ICV.
TEST_F(Dec, FlippedIvFailsTheIcv) {
  Bytes p = pkt(7, esp_plain(ipv4_udp(60), 4));
  p[20 + 8 + 7] ^= 0x01;
  expect_fault(p, ESP_R_ICV_MISMATCH, IPSEC_CTR_ESP_AUTH_FAIL);
}

// Every drop reason maps to exactly one error/event counter, never to the packet or byte
// counters, and names are unique.
TEST(Reasons, MapToOneEventCounterEach) {
  std::set<std::string> names;
  EXPECT_EQ(esp_reason_counter(ESP_R_OK), IPSEC_CTR_COUNT);
  for (int r = 1; r < ESP_R_COUNT; r++) {
    ipsec_ctr c = esp_reason_counter((esp_reason)r);
    EXPECT_GE((int)c, (int)IPSEC_CTR_REPLAY) << esp_reason_name((esp_reason)r);
    EXPECT_LT((int)c, (int)IPSEC_CTR_COUNT) << esp_reason_name((esp_reason)r);
    EXPECT_TRUE(names.insert(esp_reason_name((esp_reason)r)).second) << esp_reason_name((esp_reason)r);
  }
  EXPECT_EQ(esp_reason_counter(ESP_R_ICV_MISMATCH), IPSEC_CTR_ESP_AUTH_FAIL);
  EXPECT_EQ(esp_reason_counter(ESP_R_BODY_TOO_SHORT), IPSEC_CTR_ESP_DECRYPT_FAIL);
  EXPECT_EQ(esp_reason_counter(ESP_R_UNKNOWN_SPI), IPSEC_CTR_BAD_HEADERS);
  EXPECT_EQ(esp_reason_counter(ESP_R_BAD_NEXT_HEADER), IPSEC_CTR_BAD_TRAILERS);
  EXPECT_EQ(esp_reason_counter(ESP_R_REPLAY_TOO_OLD), IPSEC_CTR_REPLAY);
}

// An output buffer too small for the decrypted body is the caller's error, not the packet's:
// ESP_R_OUTPUT_TOO_SMALL, no counter moves, the SA is untouched (the same packet then
// decrypts with a large enough buffer, so the replay window did not move either).
TEST_F(Dec, OutputBufferTooSmallCountsNothing) {
  Bytes inner = ipv4_udp(100);
  Bytes p = pkt(1, esp_plain(inner, 4));
  const size_t ct_len = p.size() - 20 - 8 - 8 - 16;  // outer IPv4, SPI/seq, IV, ICV
  Snap g0 = snap(db.global), s0 = snap(in_sa->ctr);
  Bytes out(ct_len - 1);
  size_t n = 99;
  esp_info info;
  EXPECT_EQ(esp_decrypt(&db, p.data(), p.size(), 0, out.data(), out.size(), &n, &info),
            ESP_R_OUTPUT_TOO_SMALL);
  EXPECT_EQ(info.reason, ESP_R_OUTPUT_TOO_SMALL);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(snap(db.global), g0);
  EXPECT_EQ(snap(in_sa->ctr), s0);
  EXPECT_EQ(esp_reason_counter(ESP_R_OUTPUT_TOO_SMALL), IPSEC_CTR_COUNT);
  EXPECT_STREQ(esp_reason_name(ESP_R_OUTPUT_TOO_SMALL), "output_buffer_too_small");
  out.assign(ct_len, 0);  // exactly the body: enough
  EXPECT_EQ(esp_decrypt(&db, p.data(), p.size(), 0, out.data(), out.size(), &n, nullptr), ESP_R_OK);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + (long)n), inner);
}
