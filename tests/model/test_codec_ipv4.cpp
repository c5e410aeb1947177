// IPv4 codec. Expected bytes made offline with Scapy 2.5.0 (commands in each comment).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "test_hex.h"

extern "C" {
#include "model/hexutil.h"
#include "model/pkt_ipv4.h"
}


// IP(src="192.0.2.1", dst="198.51.100.2", id=0x1234, ttl=64, flags="DF", tos=0xb8)/
// UDP(sport=1234, dport=4500)/Raw(b"hello")
static const char *kUdp4 = "45b800211234400040113ba9c0000201c633640204d21194000db96468656c6c6f";
// IP(src="10.0.0.1", dst="10.0.0.2", id=7, ttl=255, options=[IPOption_Router_Alert()])/
// UDP(sport=1, dport=2)/Raw(b"x")
static const char *kOpts4 = "4600002100070000ff1112be0a0000010a0000029404000000010002000973d678";

TEST(Ipv4, ParsesScapyPacket) {
  auto p = unhex(kUdp4);
  pkt_ipv4_view v;
  ASSERT_EQ(pkt_ipv4_parse(p.data(), p.size(), &v), PKT_OK);
  EXPECT_EQ(v.hdr_len, 20u);
  EXPECT_EQ(v.tos, 0xb8);
  EXPECT_EQ(pkt_ipv4_dscp(&v), 46);
  EXPECT_EQ(pkt_ipv4_ecn(&v), 0);
  EXPECT_EQ(v.total_len, 33);
  EXPECT_EQ(v.id, 0x1234);
  EXPECT_TRUE(v.df);
  EXPECT_FALSE(v.mf);
  EXPECT_FALSE(pkt_ipv4_is_fragment(&v));
  EXPECT_EQ(v.ttl, 64);
  EXPECT_EQ(v.proto, 17);
  EXPECT_EQ(v.checksum, 0x3ba9);
  EXPECT_TRUE(v.checksum_ok);
  EXPECT_EQ(v.src, 0xc0000201u);
  EXPECT_EQ(v.dst, 0xc6336402u);
  EXPECT_EQ(v.options_len, 0u);
  EXPECT_EQ(v.payload, p.data() + 20);
  EXPECT_EQ(v.payload_len, 13u);
}

TEST(Ipv4, BadChecksumIsReportedNotFatal) {
  auto p = unhex(kUdp4);
  p[11] ^= 0x01;
  pkt_ipv4_view v;
  ASSERT_EQ(pkt_ipv4_parse(p.data(), p.size(), &v), PKT_OK);
  EXPECT_FALSE(v.checksum_ok);
}

TEST(Ipv4, OptionsAndTruncationAtEveryOffset) {
  auto p = unhex(kOpts4);
  ASSERT_EQ(p.size(), 33u);
  for (size_t n = 0; n < p.size(); n++) {
    std::vector<uint8_t> cut(p.begin(), p.begin() + n);
    pkt_ipv4_view v;
    pkt_err want = n < 20 ? PKT_ERR_TRUNCATED_IPV4_HDR
                 : n < 24 ? PKT_ERR_TRUNCATED_IPV4_OPTIONS
                          : PKT_ERR_TOTLEN_EXCEEDS_CAPTURE;
    EXPECT_EQ(pkt_ipv4_parse(cut.data(), n, &v), want) << "n=" << n;
  }
  // Link padding after total length is allowed and not part of the payload.
  p.resize(46, 0);
  pkt_ipv4_view v;
  ASSERT_EQ(pkt_ipv4_parse(p.data(), p.size(), &v), PKT_OK);
  EXPECT_EQ(v.hdr_len, 24u);
  EXPECT_EQ(v.options_len, 4u);
  EXPECT_EQ(v.options[0], 0x94); // Router Alert, RFC 2113
  EXPECT_EQ(v.payload_len, 9u);
  EXPECT_TRUE(v.checksum_ok);
  EXPECT_EQ(v.ttl, 255);
}

TEST(Ipv4, HeaderFieldErrors) {
  auto p = unhex(kUdp4);
  pkt_ipv4_view v;
  auto q = p;
  q[0] = 0x65;
  EXPECT_EQ(pkt_ipv4_parse(q.data(), q.size(), &v), PKT_ERR_BAD_IP_VERSION);
  q = p;
  q[0] = 0x44;
  EXPECT_EQ(pkt_ipv4_parse(q.data(), q.size(), &v), PKT_ERR_BAD_IHL);
  q = p;
  q[0] = 0x4f; // 60-byte header in a 33-byte packet
  EXPECT_EQ(pkt_ipv4_parse(q.data(), q.size(), &v), PKT_ERR_TRUNCATED_IPV4_OPTIONS);
  q = p;
  q[2] = 0;
  q[3] = 19;
  EXPECT_EQ(pkt_ipv4_parse(q.data(), q.size(), &v), PKT_ERR_BAD_TOTLEN);
}

TEST(Ipv4, FragmentFields) {
  // IP(src="10.1.1.1", dst="10.2.2.2", id=0xabcd, flags="MF", frag=185, ttl=17, proto=50,
  //    len=1500): header only, so capture it inside a 1500-byte buffer.
  auto h = unhex("450005dcabcd20b91132c0640a0101010a020202");
  std::vector<uint8_t> p(1500, 0);
  memcpy(p.data(), h.data(), h.size());
  pkt_ipv4_view v;
  ASSERT_EQ(pkt_ipv4_parse(p.data(), p.size(), &v), PKT_OK);
  EXPECT_TRUE(v.mf);
  EXPECT_FALSE(v.df);
  EXPECT_EQ(v.frag_offset, 1480u);
  EXPECT_TRUE(pkt_ipv4_is_fragment(&v));
  EXPECT_TRUE(v.checksum_ok);

  pkt_ipv4_fields f{};
  f.id = 0xabcd;
  f.mf = true;
  f.frag_offset = 1480;
  f.ttl = 17;
  f.proto = 50;
  f.src = 0x0a010101u;
  f.dst = 0x0a020202u;
  f.payload_len = 1480;
  uint8_t out[20];
  size_t w = 0;
  ASSERT_EQ(pkt_ipv4_build(out, sizeof out, &f, &w), PKT_OK);
  EXPECT_EQ(w, 20u);
  EXPECT_EQ(memcmp(out, h.data(), 20), 0);
}

TEST(Ipv4, BuildMatchesScapy) {
  pkt_ipv4_fields f{};
  f.dscp = 46;
  f.id = 0x1234;
  f.df = true;
  f.ttl = 64;
  f.proto = 17;
  f.src = 0xc0000201u;
  f.dst = 0xc6336402u;
  f.payload_len = 13;
  uint8_t out[24];
  size_t w = 0;
  ASSERT_EQ(pkt_ipv4_build(out, sizeof out, &f, &w), PKT_OK);
  ASSERT_EQ(w, 20u);
  EXPECT_EQ(memcmp(out, unhex(kUdp4).data(), 20), 0);

  const uint8_t ra[4] = {0x94, 0x04, 0x00, 0x00};
  pkt_ipv4_fields g{};
  g.id = 7;
  g.ttl = 255;
  g.proto = 17;
  g.src = 0x0a000001u;
  g.dst = 0x0a000002u;
  g.options = ra;
  g.options_len = 4;
  g.payload_len = 9;
  ASSERT_EQ(pkt_ipv4_build(out, sizeof out, &g, &w), PKT_OK);
  ASSERT_EQ(w, 24u);
  EXPECT_EQ(memcmp(out, unhex(kOpts4).data(), 24), 0);
}

TEST(Ipv4, BuildRejectsBadFieldsAndSmallBuffers) {
  pkt_ipv4_fields f{};
  uint8_t out[64];
  size_t w = 0;
  EXPECT_EQ(pkt_ipv4_build(out, 19, &f, &w), PKT_ERR_NO_SPACE);
  f.dscp = 64;
  EXPECT_EQ(pkt_ipv4_build(out, sizeof out, &f, &w), PKT_ERR_BAD_FIELD);
  f.dscp = 0;
  f.ecn = 4;
  EXPECT_EQ(pkt_ipv4_build(out, sizeof out, &f, &w), PKT_ERR_BAD_FIELD);
  f.ecn = 0;
  f.frag_offset = 7;
  EXPECT_EQ(pkt_ipv4_build(out, sizeof out, &f, &w), PKT_ERR_BAD_FIELD);
  f.frag_offset = 0;
  const uint8_t opt[44] = {};
  f.options = opt;
  f.options_len = 3;
  EXPECT_EQ(pkt_ipv4_build(out, sizeof out, &f, &w), PKT_ERR_BAD_FIELD);
  f.options_len = 44;
  EXPECT_EQ(pkt_ipv4_build(out, sizeof out, &f, &w), PKT_ERR_BAD_FIELD);
  f.options_len = 0;
  f.payload_len = 65516;
  EXPECT_EQ(pkt_ipv4_build(out, sizeof out, &f, &w), PKT_ERR_BAD_FIELD);
  f.payload_len = 65515;
  EXPECT_EQ(pkt_ipv4_build(out, sizeof out, &f, &w), PKT_OK);
}

TEST(Ipv4, InPlaceRewritesMatchScapy) {
  // Same header as kUdp4 with ttl=63 / tos=0xbb / tos=10<<2, each made by Scapy.
  auto p = unhex(kUdp4);
  auto q = p;
  pkt_ipv4_set_ttl(q.data(), 63);
  EXPECT_EQ(memcmp(q.data(), unhex("45b80021123440003f113ca9c0000201c6336402").data(), 20), 0);
  q = p;
  pkt_ipv4_set_ecn(q.data(), 3);
  EXPECT_EQ(memcmp(q.data(), unhex("45bb00211234400040113ba6c0000201c6336402").data(), 20), 0);
  q = p;
  pkt_ipv4_set_dscp(q.data(), 10);
  EXPECT_EQ(memcmp(q.data(), unhex("452800211234400040113c39c0000201c6336402").data(), 20), 0);
}

// RFC 1624 s3: a computed checksum is never -0 (0xFFFF). This header's words other than the
// checksum sum to -0 (id chosen for it), so both 0x0000 (the computed value) and 0xFFFF
// verify; only 0x0000 is canonical and the builder writes it. (Found by fuzz_codecs.)
static const char *kNegZero4 = "450000148ea200004011ffffc0000201c6336402";

TEST(Ipv4, NegativeZeroChecksumVerifiesButBuildsAsPositiveZero) {
  auto p = unhex(kNegZero4);
  pkt_ipv4_view v;
  ASSERT_EQ(pkt_ipv4_parse(p.data(), p.size(), &v), PKT_OK);
  EXPECT_EQ(v.checksum, 0xFFFF);
  EXPECT_TRUE(v.checksum_ok);
  EXPECT_FALSE(v.checksum_canonical);
  pkt_ipv4_fields f = {};
  f.id = v.id;
  f.ttl = v.ttl;
  f.proto = v.proto;
  f.src = v.src;
  f.dst = v.dst;
  uint8_t out[PKT_IPV4_MAX_HDR];
  size_t w = 0;
  ASSERT_EQ(pkt_ipv4_build(out, sizeof out, &f, &w), PKT_OK);
  ASSERT_EQ(w, 20u);
  EXPECT_EQ(tohex(out, w), "450000148ea200004011" "0000" "c0000201c6336402");
  pkt_ipv4_view b;
  ASSERT_EQ(pkt_ipv4_parse(out, w, &b), PKT_OK);
  EXPECT_TRUE(b.checksum_ok);
  EXPECT_TRUE(b.checksum_canonical);
}

TEST(Ipv4, OrdinaryHeadersAreCanonicalAndBadOnesAreNot) {
  auto p = unhex(kUdp4);
  pkt_ipv4_view v;
  ASSERT_EQ(pkt_ipv4_parse(p.data(), p.size(), &v), PKT_OK);
  EXPECT_TRUE(v.checksum_canonical);
  p[11] ^= 1;
  ASSERT_EQ(pkt_ipv4_parse(p.data(), p.size(), &v), PKT_OK);
  EXPECT_FALSE(v.checksum_ok);
  EXPECT_FALSE(v.checksum_canonical);
}

// The incremental update (RFC 1624 eqn. 3) lands on +0, not -0, when a rewrite makes the
// other words sum to -0: TTL 65 -> 64 on the header above gives the computed 0x0000.
TEST(Ipv4, IncrementalUpdateIntoNegativeZeroSumGivesPositiveZero) {
  auto p = unhex(kNegZero4);
  p[10] = p[11] = 0;
  p[8] = 65;
  pkt_ipv4_update_checksum(p.data(), 20);
  ASSERT_EQ(p[10] << 8 | p[11], 0xFEFF);  // ~(0xFFFF + 0x0100) folded = ~0x0100
  pkt_ipv4_set_ttl(p.data(), 64);
  EXPECT_EQ(p[10] << 8 | p[11], 0x0000);
  pkt_ipv4_view v;
  ASSERT_EQ(pkt_ipv4_parse(p.data(), p.size(), &v), PKT_OK);
  EXPECT_TRUE(v.checksum_canonical);
}
