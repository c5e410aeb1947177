// Encrypt rules (domain.md E1-E7, G1-G5, T1-T7): each output is opened with OpenSSL EVP
// directly and its fields compared with values computed by hand from the RFCs.
#include <gtest/gtest.h>

#include "esp_test_util.h"

using namespace esptest;

namespace {

struct Enc : ::testing::Test {
  sa_db db;
  Keys k = keys128();
  void SetUp() override { ASSERT_TRUE(sa_db_init(&db, nullptr)); }
  void TearDown() override { sa_db_free(&db); }
  sa *add(const sa_config &c) {
    char why[256];
    EXPECT_TRUE(sa_db_add(&db, &c, why, sizeof why)) << why;
    return db.sas[db.n - 1];
  }
  Bytes encrypt(const Bytes &in, esp_reason want = ESP_R_OK, esp_info *info = nullptr) {
    Bytes out(in.size() + ESP_MAX_OVERHEAD);
    size_t n = 0;
    EXPECT_EQ(esp_encrypt(&db, in.data(), in.size(), 0, out.data(), out.size(), &n, info), want);
    out.resize(n);
    return out;
  }
  // Opens the ESP part at `off` with EVP; returns the plaintext (empty on tag failure).
  Bytes open(const Bytes &o, size_t off, const Keys &kk, bool esn, uint32_t seq_high = 0) {
    return esp_open(kk, &o[off], o.size() - off, esn, seq_high);
  }
};

}  // namespace

// E2, E5, E6, E7, G2-G4, T1, T2, T3, T4, T5: IPv4 in IPv4, AES-128.
TEST_F(Enc, Ipv4InIpv4FieldsByHand) {
  add(make_cfg("out", SA_OUTBOUND, 0x1001, k, "192.0.2.1", "198.51.100.1"));
  Bytes in = ipv4_udp(46, /*tos*/ (34 << 2) | 2, /*df*/ true);  // AF41, ECT(0)
  esp_info info;
  Bytes o = encrypt(in, ESP_R_OK, &info);
  // E7: 46-byte inner -> 20 + 8 + 8 + 46 + pad 0 + 2 + 16 = 100
  ASSERT_EQ(o.size(), 100u);
  EXPECT_EQ(o[0], 0x45);
  EXPECT_EQ(o[1], (34 << 2) | 2);          // T3 DSCP copied, T4 ECN copied (RFC 6040)
  EXPECT_EQ(get16(&o[2]), 100);
  EXPECT_EQ(get16(&o[4]), 0);              // ID: per-SA counter from 0
  EXPECT_EQ(get16(&o[6]), 0);              // T5: DF clear (default), no fragment
  EXPECT_EQ(o[8], 64);                     // T2: outer TTL 64
  EXPECT_EQ(o[9], 50);
  EXPECT_EQ(csum(o.data(), 20), 0);        // header checksum valid
  EXPECT_EQ(Bytes(&o[12], &o[16]), v4addr("192.0.2.1"));
  EXPECT_EQ(Bytes(&o[16], &o[20]), v4addr("198.51.100.1"));
  EXPECT_EQ(get32(&o[20]), 0x1001u);       // SPI
  EXPECT_EQ(get32(&o[24]), 1u);            // E2: first packet carries 1
  EXPECT_EQ(get32(&o[28]), 0u);            // IV = 64-bit seq
  EXPECT_EQ(get32(&o[32]), 1u);
  Bytes pt = open(o, 20, k, false);
  ASSERT_EQ(pt.size(), 48u);
  EXPECT_EQ(Bytes(pt.begin(), pt.begin() + 46), in);
  EXPECT_EQ(pt[46], 0);                    // pad length 0: (46 + 2) % 4 == 0
  EXPECT_EQ(pt[47], 4);                    // E6: next header 4
  EXPECT_EQ(info.aad_len, 8u);             // G4: SPI || seq
  EXPECT_EQ(info.seq, 1u);
  const uint8_t nonce[12] = {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0, 0, 0, 0, 1};  // G3
  EXPECT_EQ(0, memcmp(info.nonce, nonce, 12));
  // Second packet: seq 2, ID 1.
  Bytes o2 = encrypt(in);
  EXPECT_EQ(get32(&o2[24]), 2u);
  EXPECT_EQ(get16(&o2[4]), 1);
}

// E5: pad 1, 2, 3 for each residue; E7: 1500-byte inner -> 1556 (pad 2).
TEST_F(Enc, PaddingOneTwoThree) {
  add(make_cfg("out", SA_OUTBOUND, 0x1001, k, "192.0.2.1", "198.51.100.1"));
  for (size_t len : {1500u, 45u, 44u, 43u, 42u}) {
    Bytes in = ipv4_udp(len);
    Bytes o = encrypt(in);
    size_t pad = (4 - (len + 2) % 4) % 4;
    ASSERT_EQ(o.size(), 20 + 8 + 8 + len + pad + 2 + 16) << len;
    if (len == 1500) { EXPECT_EQ(o.size(), 1556u); }
    Bytes pt = open(o, 20, k, false);
    ASSERT_EQ(pt.size(), len + pad + 2);
    for (size_t i = 0; i < pad; i++) EXPECT_EQ(pt[len + i], i + 1);
    EXPECT_EQ(pt[len + pad], pad);
  }
}

// T6, T7, E6: IPv4 in IPv6 (flow label from the named hash) and IPv6 in IPv4/IPv6, AES-256.
TEST_F(Enc, CrossFamilyAndFlowLabel) {
  Keys k2 = keys256();
  sa_config c6 = make_cfg("o6", SA_OUTBOUND, 0x2002, k2, "2001:db8::a", "2001:db8::b");
  c6.has_selector = true;
  sa_parse_addr("10.1.0.0", &c6.selector);
  c6.selector_len = 16;
  add(c6);
  sa_config c4 = make_cfg("o4", SA_OUTBOUND, 0x2003, k2, "192.0.2.1", "198.51.100.1");
  add(c4);  // no selector: everything else (the IPv6 inner packets)
  Bytes v4in = ipv4_udp(100, 0xb8);        // EF
  Bytes o = encrypt(v4in);
  ASSERT_EQ(o.size(), 40 + 8 + 8 + 100 + 2 + 2 + 16u);  // (100+2)%4 = 2 -> pad 2
  EXPECT_EQ(o[0] >> 4, 6);
  EXPECT_EQ(((o[0] & 0xf) << 4) | (o[1] >> 4), 0xb8);  // traffic class = inner TOS
  EXPECT_EQ(get16(&o[4]), o.size() - 40);
  EXPECT_EQ(o[6], 50);
  EXPECT_EQ(o[7], 64);
  // Flow label = FNV-1a 32 over src(4) dst(4) proto sport dport, folded to 20 bits.
  uint32_t h = 2166136261u;
  Bytes t = {10, 0, 0, 1, 10, 1, 0, 1, 17, 0x04, 0xd2, 0x16, 0x2e};
  for (uint8_t b : t) h = (h ^ b) * 16777619u;
  uint32_t fl = (uint32_t)(o[1] & 0xf) << 16 | get16(&o[2]);
  EXPECT_EQ(fl, (h ^ (h >> 20)) & 0xfffff);
  Bytes pt = open(o, 40, k2, false);
  ASSERT_FALSE(pt.empty());
  EXPECT_EQ(pt.back(), 4);
  // IPv6 inner through the IPv4 SA: next header 41, outer TOS = inner traffic class.
  Bytes v6in = ipv6_udp(120, 0x2e);
  Bytes o4 = encrypt(v6in);
  EXPECT_EQ(o4[0], 0x45);
  EXPECT_EQ(o4[1], 0x2e);
  Bytes pt4 = open(o4, 20, k2, false);
  ASSERT_FALSE(pt4.empty());
  EXPECT_EQ(pt4.back(), 41);
  EXPECT_EQ(Bytes(pt4.begin(), pt4.begin() + 120), v6in);
}

TEST_F(Enc, Ipv6InnerFlowLabelCopied) {
  add(make_cfg("o6", SA_OUTBOUND, 0x2002, k, "2001:db8::a", "2001:db8::b"));
  Bytes o = encrypt(ipv6_udp(80, 0, 0xabcde));
  EXPECT_EQ((uint32_t)(o[1] & 0xf) << 16 | get16(&o[2]), 0xabcdeu);
}

// T5: DF modes on an IPv4 outer header.
TEST_F(Enc, DfModes) {
  sa_config c = make_cfg("o", SA_OUTBOUND, 0x3000, k, "192.0.2.1", "198.51.100.1");
  c.df = SA_DF_SET;
  sa *s = add(c);
  EXPECT_EQ(get16(&encrypt(ipv4_udp(60))[6]), 0x4000);
  s->cfg.df = SA_DF_COPY;
  EXPECT_EQ(get16(&encrypt(ipv4_udp(60, 0, true))[6]), 0x4000);
  EXPECT_EQ(get16(&encrypt(ipv4_udp(60, 0, false))[6]), 0);
  EXPECT_EQ(get16(&encrypt(ipv6_udp(60))[6]), 0);  // copy with an IPv6 inner: DF 0
  s->cfg.df = SA_DF_CLEAR;
  EXPECT_EQ(get16(&encrypt(ipv4_udp(60, 0, true))[6]), 0);
}

// E3: without ESN the counter stops at 2^32-1; the next packet is dropped and counted.
TEST_F(Enc, SequenceExhaustedNoEsn) {
  sa_config c = make_cfg("o", SA_OUTBOUND, 0x3000, k, "192.0.2.1", "198.51.100.1");
  c.initial_seq = 0xFFFFFFFD;
  sa *s = add(c);
  EXPECT_EQ(get32(&encrypt(ipv4_udp(60))[24]), 0xFFFFFFFEu);
  EXPECT_EQ(get32(&encrypt(ipv4_udp(60))[24]), 0xFFFFFFFFu);
  encrypt(ipv4_udp(60), ESP_R_SEQ_EXHAUSTED);
  encrypt(ipv4_udp(60), ESP_R_SEQ_EXHAUSTED);
  EXPECT_EQ(ipsec_counter_get(&s->ctr, IPSEC_CTR_SEQ_EXHAUSTED), 2u);
  EXPECT_EQ(ipsec_counter_get(&s->ctr, IPSEC_CTR_ENC_PKTS), 2u);
}

// E4: with ESN the wire goes ...FFFF -> 0 and the AAD carries the high word 1.
TEST_F(Enc, EsnWrapsOnTheWire) {
  sa_config c = make_cfg("o", SA_OUTBOUND, 0x3000, k, "192.0.2.1", "198.51.100.1", true);
  c.initial_seq = 0xFFFFFFFF;
  add(c);
  esp_info info;
  Bytes o = encrypt(ipv4_udp(60), ESP_R_OK, &info);
  EXPECT_EQ(get32(&o[24]), 0u);
  EXPECT_EQ(get32(&o[28]), 1u);            // IV high word = 1
  EXPECT_EQ(info.aad_len, 12u);
  EXPECT_EQ(get32(&info.aad[4]), 1u);
  EXPECT_FALSE(open(o, 20, k, true, 1).empty());
  EXPECT_TRUE(open(o, 20, k, true, 0).empty());   // wrong high bits fail the tag
}

// UDP encapsulation basics: NAT-T 4500/4500 checksum 0 over IPv4; multipath source port in
// 49152..65535 and a valid checksum over IPv6.
TEST_F(Enc, UdpEncapsulation) {
  sa_config c = make_cfg("o", SA_OUTBOUND, 0x3000, k, "192.0.2.1", "198.51.100.1");
  c.udp = SA_UDP_NATT;
  c.udp_dst_port = 4500;
  sa *s = add(c);
  Bytes o = encrypt(ipv4_udp(60));
  EXPECT_EQ(o[9], 17);
  EXPECT_EQ(get16(&o[20]), 4500);
  EXPECT_EQ(get16(&o[22]), 4500);
  EXPECT_EQ(get16(&o[24]), o.size() - 20);
  EXPECT_EQ(get16(&o[26]), 0);
  EXPECT_FALSE(open(o, 28, k, false).empty());
  s->cfg.local.family = 6;  // rebuild as IPv6 multipath
  sa_parse_addr("2001:db8::1", &s->cfg.local);
  sa_parse_addr("2001:db8::2", &s->cfg.remote);
  s->cfg.udp = SA_UDP_MULTIPATH;
  s->cfg.udp_dst_port = 5000;
  Bytes o6 = encrypt(ipv4_udp(60));
  EXPECT_EQ(o6[6], 17);
  uint16_t sport = get16(&o6[40]);
  EXPECT_GE(sport, 49152);
  EXPECT_EQ(get16(&o6[42]), 5000);
  // IPv6 UDP checksum over the pseudo-header (RFC 8200 s8.1) must verify to 0.
  Bytes ph(o6.begin() + 8, o6.begin() + 40);
  Bytes len4 = {0, 0, 0, 0}; put32(len4.data(), (uint32_t)(o6.size() - 40));
  ph.insert(ph.end(), len4.begin(), len4.end());
  ph.insert(ph.end(), {0, 0, 0, 17});
  ph.insert(ph.end(), o6.begin() + 40, o6.end());
  EXPECT_EQ(csum(ph.data(), ph.size()), 0);
}

// Selector choice: the longest prefix wins; no match and no default -> no_sa.
TEST_F(Enc, SelectorsAndNoSa) {
  sa_config a = make_cfg("a", SA_OUTBOUND, 0x3001, k, "192.0.2.1", "198.51.100.1");
  a.has_selector = true; sa_parse_addr("10.0.0.0", &a.selector); a.selector_len = 8;
  sa_config b = make_cfg("b", SA_OUTBOUND, 0x3002, k, "192.0.2.1", "198.51.100.2");
  b.has_selector = true; sa_parse_addr("10.1.0.0", &b.selector); b.selector_len = 16;
  add(a);
  add(b);
  EXPECT_EQ(get32(&encrypt(ipv4_udp(60, 0, false, "1.1.1.1", "10.1.2.3"))[20]), 0x3002u);
  EXPECT_EQ(get32(&encrypt(ipv4_udp(60, 0, false, "1.1.1.1", "10.2.2.3"))[20]), 0x3001u);
  encrypt(ipv4_udp(60, 0, false, "1.1.1.1", "11.0.0.1"), ESP_R_NO_SA);
  encrypt(ipv6_udp(60), ESP_R_NO_SA);
  EXPECT_EQ(ipsec_counter_get(&db.global, IPSEC_CTR_NO_SA), 2u);
}

TEST_F(Enc, EncryptedBytesCountClearSide) {
  sa *s = add(make_cfg("o", SA_OUTBOUND, 0x3000, k, "192.0.2.1", "198.51.100.1"));
  Bytes in = ipv4_udp(238);
  in.resize(250, 0);  // link padding after the IP packet is not encrypted nor counted
  Bytes o = encrypt(in);
  EXPECT_EQ(o.size(), 238u + 54u);         // the seed's 238 -> 292 bytes per packet
  EXPECT_EQ(ipsec_counter_get(&s->ctr, IPSEC_CTR_ENC_BYTES), 238u);
  EXPECT_EQ(ipsec_counter_get(&db.global, IPSEC_CTR_ENC_BYTES), 238u);
}
