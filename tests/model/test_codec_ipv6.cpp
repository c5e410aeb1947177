// IPv6 codec and extension-header walk. Expected bytes made offline with Scapy 2.5.0
// (commands in the comments); AH bytes written by hand from RFC 4302 2.2.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "test_hex.h"

extern "C" {
#include "model/hexutil.h"
#include "model/pkt_ipv6.h"
}


// IPv6(src="2001:db8::1", dst="2001:db8::2", tc=0x2e<<2|1, fl=0x12345, hlim=64)/
// UDP(sport=50000, dport=4500)/Raw(b"IPsec-UDP!")
static const char *kUdp6 =
    "6b9123450012114020010db800000000000000000000000120010db8000000000000000000000002"
    "c350119400120a2849507365632d55445021";
// IPv6(src="2001:db8::1", dst="2001:db8::2", hlim=64)/IPv6ExtHdrHopByHop()/
// IPv6ExtHdrRouting(type=0, addresses=["2001:db8::3"], segleft=1)/
// IPv6ExtHdrFragment(offset=0, m=1, id=0xdeadbeef)/UDP(sport=7, dport=9)/Raw(b"abc")
static const char *kChain6 =
    "600000000033004020010db800000000000000000000000120010db8000000000000000000000002"
    "2b000104000000002c0200010000000020010db8000000000000000000000003"
    "11000001deadbeef00070009000bdfef616263";

static std::vector<uint8_t> fixed_hdr(uint8_t nh, size_t payload_len) {
  std::vector<uint8_t> p(40, 0);
  p[0] = 0x60;
  p[4] = (uint8_t)(payload_len >> 8);
  p[5] = (uint8_t)payload_len;
  p[6] = nh;
  p[7] = 64;
  return p;
}

// An 8-byte Destination Options header: next header, length 0, PadN of 4 bytes.
static void add_dstopts(std::vector<uint8_t> &p, uint8_t nh) {
  const uint8_t h[8] = {nh, 0, 1, 4, 0, 0, 0, 0};
  p.insert(p.end(), h, h + 8);
}

static void set_plen(std::vector<uint8_t> &p) {
  p[4] = (uint8_t)((p.size() - 40) >> 8);
  p[5] = (uint8_t)(p.size() - 40);
}

TEST(Ipv6, ParsesScapyUdpPacket) {
  auto p = unhex(kUdp6);
  pkt_ipv6_view v;
  ASSERT_EQ(pkt_ipv6_parse(p.data(), p.size(), &v), PKT_OK);
  EXPECT_EQ(v.tclass, 0xb9);
  EXPECT_EQ(pkt_ipv6_dscp(&v), 46);
  EXPECT_EQ(pkt_ipv6_ecn(&v), 1);
  EXPECT_EQ(v.flow_label, 0x12345u);
  EXPECT_EQ(v.payload_len, 18);
  EXPECT_EQ(v.next_header, 17);
  EXPECT_EQ(v.hop_limit, 64);
  EXPECT_EQ(v.src, p.data() + 8);
  EXPECT_EQ(v.dst[15], 2);
  EXPECT_EQ(v.chain.exthdr_count, 0u);
  EXPECT_EQ(v.chain.upper_proto, 17);
  EXPECT_EQ(v.chain.upper_offset, 40u);
  EXPECT_EQ(v.chain.nh_field_offset, 6u);
  EXPECT_FALSE(v.chain.frag.present);
  EXPECT_EQ(v.upper, p.data() + 40);
  EXPECT_EQ(v.upper_len, 18u);
}

TEST(Ipv6, HbhRoutingFragmentUdpChain) {
  auto p = unhex(kChain6);
  pkt_ipv6_view v;
  ASSERT_EQ(pkt_ipv6_parse(p.data(), p.size(), &v), PKT_OK);
  EXPECT_EQ(v.chain.exthdr_count, 3u);
  EXPECT_FALSE(v.chain.ah_present);
  EXPECT_EQ(v.chain.upper_proto, 17);
  EXPECT_EQ(v.chain.upper_offset, 80u); // 40 + HBH 8 + Routing 24 + Fragment 8
  EXPECT_EQ(v.chain.nh_field_offset, 72u);
  EXPECT_TRUE(v.chain.frag.present);
  EXPECT_EQ(v.chain.frag.hdr_offset, 72u);
  EXPECT_EQ(v.chain.frag.offset, 0u);
  EXPECT_TRUE(v.chain.frag.mf);
  EXPECT_EQ(v.chain.frag.id, 0xdeadbeefu);
  EXPECT_EQ(v.upper_len, 11u);
}

TEST(Ipv6, TruncatedCaptureAtEveryOffset) {
  auto p = unhex(kChain6);
  ASSERT_EQ(p.size(), 91u);
  for (size_t n = 0; n < p.size(); n++) {
    std::vector<uint8_t> cut(p.begin(), p.begin() + n);
    pkt_ipv6_view v;
    pkt_err want = n < 40 ? PKT_ERR_TRUNCATED_IPV6_HDR : PKT_ERR_PAYLEN_EXCEEDS_CAPTURE;
    EXPECT_EQ(pkt_ipv6_parse(cut.data(), n, &v), want) << "n=" << n;
  }
}

TEST(Ipv6, ChainCutAtEveryOffsetWithConsistentPayloadLength) {
  // The payload length is rewritten to match each cut, so only the walk can notice.
  auto p = unhex(kChain6);
  for (size_t n = 40; n <= 80; n++) {
    std::vector<uint8_t> cut(p.begin(), p.begin() + n);
    set_plen(cut);
    pkt_err want = n < 48   ? PKT_ERR_TRUNCATED_EXTHDR      // HBH fixed part
                   : n < 56 ? PKT_ERR_TRUNCATED_EXTHDR      // Routing fixed part
                   : n < 72 ? PKT_ERR_EXTHDR_EXCEEDS_PACKET // Routing says 24 bytes
                   : n < 80 ? PKT_ERR_TRUNCATED_EXTHDR      // Fragment header
                            : PKT_OK;
    pkt_ipv6_view v;
    EXPECT_EQ(pkt_ipv6_parse(cut.data(), n, &v), want) << "n=" << n;
    pkt_ipv6_chain c;
    EXPECT_EQ(pkt_ipv6_walk(cut.data(), n, 0, 40, 6, &c), want) << "walk n=" << n;
  }
}

TEST(Ipv6, ChainLimit) {
  auto ok = fixed_hdr(60, 0);
  for (unsigned i = 0; i < PKT_IPV6_MAX_EXTHDRS; i++)
    add_dstopts(ok, i + 1 < PKT_IPV6_MAX_EXTHDRS ? 60 : 17);
  set_plen(ok);
  pkt_ipv6_view v;
  ASSERT_EQ(pkt_ipv6_parse(ok.data(), ok.size(), &v), PKT_OK);
  EXPECT_EQ(v.chain.exthdr_count, 16u);
  EXPECT_EQ(v.chain.upper_proto, 17);
  EXPECT_EQ(v.upper_len, 0u);

  auto over = fixed_hdr(60, 0);
  for (unsigned i = 0; i < 17; i++) add_dstopts(over, i + 1 < 17 ? 60 : 17);
  set_plen(over);
  EXPECT_EQ(pkt_ipv6_parse(over.data(), over.size(), &v), PKT_ERR_EXTHDR_LIMIT);

  // An endless chain (every header names another) also stops at the limit.
  auto endless = fixed_hdr(60, 0);
  for (unsigned i = 0; i < 4000; i++) add_dstopts(endless, 60);
  set_plen(endless);
  EXPECT_EQ(pkt_ipv6_parse(endless.data(), endless.size(), &v), PKT_ERR_EXTHDR_LIMIT);
}

TEST(Ipv6, UnknownAndNoNextHeaderEndTheWalk) {
  for (uint8_t nh : {253, 59, 58, 50, 6}) {
    auto p = fixed_hdr(60, 0);
    add_dstopts(p, nh);
    p.resize(p.size() + 4, 0xee);
    set_plen(p);
    pkt_ipv6_view v;
    ASSERT_EQ(pkt_ipv6_parse(p.data(), p.size(), &v), PKT_OK) << int(nh);
    EXPECT_EQ(v.chain.upper_proto, nh);
    EXPECT_EQ(v.chain.upper_offset, 48u);
    EXPECT_EQ(v.upper_len, 4u);
  }
}

TEST(Ipv6, HopByHopMustBeFirst) {
  auto p = fixed_hdr(60, 0);
  add_dstopts(p, 0);
  add_dstopts(p, 17);
  set_plen(p);
  pkt_ipv6_view v;
  EXPECT_EQ(pkt_ipv6_parse(p.data(), p.size(), &v), PKT_ERR_HBH_NOT_FIRST);
}

TEST(Ipv6, AuthenticationHeaderLengthIn4ByteUnits) {
  // RFC 4302 2.2: with a 96-bit ICV the Payload Len is 4 ((3 + 3) words - 2): 24 bytes.
  auto p = fixed_hdr(51, 0);
  const uint8_t ah[24] = {17, 4, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 1};
  p.insert(p.end(), ah, ah + 24);
  const uint8_t udp[8] = {0, 7, 0, 9, 0, 8, 0, 0};
  p.insert(p.end(), udp, udp + 8);
  set_plen(p);
  pkt_ipv6_view v;
  ASSERT_EQ(pkt_ipv6_parse(p.data(), p.size(), &v), PKT_OK);
  EXPECT_EQ(v.chain.upper_offset, 64u);
  EXPECT_EQ(v.chain.upper_proto, 17);
  EXPECT_TRUE(v.chain.ah_present);
  EXPECT_EQ(v.chain.ah_offset, 40u);
  // Cut inside the AH: 4-byte units, not 8.
  std::vector<uint8_t> cut(p.begin(), p.begin() + 63);
  set_plen(cut);
  EXPECT_EQ(pkt_ipv6_parse(cut.data(), cut.size(), &v), PKT_ERR_EXTHDR_EXCEEDS_PACKET);
}

TEST(Ipv6, LaterFragmentStopsTheWalk) {
  auto p = fixed_hdr(44, 0);
  uint8_t fh[8];
  size_t w = 0;
  ASSERT_EQ(pkt_ipv6_build_frag(fh, sizeof fh, 60, 1232, false, 77, &w), PKT_OK);
  p.insert(p.end(), fh, fh + 8);
  p.resize(p.size() + 16, 0xff); // fragment data that would be a bad header if walked
  set_plen(p);
  pkt_ipv6_view v;
  ASSERT_EQ(pkt_ipv6_parse(p.data(), p.size(), &v), PKT_OK);
  EXPECT_EQ(v.chain.upper_proto, 60);
  EXPECT_EQ(v.chain.upper_offset, 48u);
  EXPECT_EQ(v.chain.frag.offset, 1232u);
  EXPECT_FALSE(v.chain.frag.mf);
  EXPECT_EQ(v.chain.frag.id, 77u);
}

TEST(Ipv6, BuildMatchesScapy) {
  pkt_ipv6_fields f{};
  f.dscp = 46;
  f.ecn = 1;
  f.flow_label = 0x12345;
  f.payload_len = 18;
  f.next_header = 17;
  f.hop_limit = 64;
  auto want = unhex(kUdp6);
  memcpy(f.src, want.data() + 8, 16);
  memcpy(f.dst, want.data() + 24, 16);
  uint8_t out[40];
  size_t w = 0;
  ASSERT_EQ(pkt_ipv6_build(out, sizeof out, &f, &w), PKT_OK);
  ASSERT_EQ(w, 40u);
  EXPECT_EQ(memcmp(out, want.data(), 40), 0);
  EXPECT_EQ(pkt_ipv6_build(out, 39, &f, &w), PKT_ERR_NO_SPACE);
  f.flow_label = 0x100000;
  EXPECT_EQ(pkt_ipv6_build(out, sizeof out, &f, &w), PKT_ERR_BAD_FIELD);

  uint8_t fh[8];
  ASSERT_EQ(pkt_ipv6_build_frag(fh, sizeof fh, 17, 0, true, 0xdeadbeef, &w), PKT_OK);
  EXPECT_EQ(memcmp(fh, unhex(kChain6).data() + 72, 8), 0);
  EXPECT_EQ(pkt_ipv6_build_frag(fh, sizeof fh, 17, 12, true, 1, &w), PKT_ERR_BAD_FIELD);
  EXPECT_EQ(pkt_ipv6_build_frag(fh, 7, 17, 8, true, 1, &w), PKT_ERR_NO_SPACE);
}

TEST(Ipv6, TrafficClassAndFlowLabelRewrites) {
  auto p = unhex(kUdp6);
  pkt_ipv6_set_dscp(p.data(), 10);
  EXPECT_EQ(p[0], 0x62); // version 6, tclass 0x29 = dscp 10, ecn 1
  EXPECT_EQ(p[1], 0x91);
  pkt_ipv6_set_ecn(p.data(), 3);
  pkt_ipv6_set_flow_label(p.data(), 0xabcde);
  EXPECT_EQ(p[0], 0x62);
  EXPECT_EQ(p[1], 0xba);
  EXPECT_EQ(p[2], 0xbc);
  EXPECT_EQ(p[3], 0xde);
  pkt_ipv6_view v;
  ASSERT_EQ(pkt_ipv6_parse(p.data(), p.size(), &v), PKT_OK);
  EXPECT_EQ(pkt_ipv6_dscp(&v), 10);
  EXPECT_EQ(pkt_ipv6_ecn(&v), 3);
  EXPECT_EQ(v.flow_label, 0xabcdeu);
}

TEST(Ipv6, WrongVersion) {
  auto p = unhex(kUdp6);
  p[0] = 0x4b;
  pkt_ipv6_view v;
  EXPECT_EQ(pkt_ipv6_parse(p.data(), p.size(), &v), PKT_ERR_BAD_IP_VERSION);
}
