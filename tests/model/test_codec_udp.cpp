// UDP codec and checksums over IPv4 and IPv6 pseudo-headers. Expected checksums made
// offline with Scapy 2.5.0 (commands in the comments) or computed by hand.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "test_hex.h"

extern "C" {
#include "model/hexutil.h"
#include "model/pkt_eth.h"
#include "model/pkt_ipv4.h"
#include "model/pkt_ipv6.h"
#include "model/pkt_udp.h"
}


// Ether(...)/Dot1Q(vlan=100, prio=5)/IP(src="192.0.2.1", dst="198.51.100.2", id=0x1234,
// ttl=64, flags="DF", tos=0xb8)/UDP(sport=1234, dport=4500)/Raw(b"hello")
static const char *kFrame4 =
    "0200000000020200000000018100a064080045b800211234400040113ba9c0000201c633640204d2"
    "1194000db96468656c6c6f";
// IPv6(src="2001:db8::1", dst="2001:db8::2", tc=0xb9, fl=0x12345, hlim=64)/
// UDP(sport=50000, dport=4500)/Raw(b"IPsec-UDP!")  -> UDP checksum 0x0a28
static const char *kUdp6 =
    "6b9123450012114020010db800000000000000000000000120010db8000000000000000000000002"
    "c350119400120a2849507365632d55445021";
// IPv6(src="fe80::1", dst="ff02::1:2", hlim=1)/UDP(sport=546, dport=547)/Raw(b"\x01\x02\x03")
// -> odd length, UDP checksum 0xfa09
static const char *kUdp6Odd =
    "60000000000b1101fe800000000000000000000000000001ff020000000000000000000000010002"
    "02220223000bfa09010203";
// HBH/Routing(addresses=["2001:db8::3"], segleft=1)/Fragment/UDP(7 -> 9)/"abc": Scapy uses
// the final destination (the Routing header's last address) in the pseudo-header
// (RFC 8200 8.1) -> 0xdfef.
static const char *kChain6 =
    "600000000033004020010db800000000000000000000000120010db8000000000000000000000002"
    "2b000104000000002c0200010000000020010db8000000000000000000000003"
    "11000001deadbeef00070009000bdfef616263";

// Parses Ethernet -> IPv4 -> UDP the way a receiver does; returns the first error.
static pkt_err parse_frame(const uint8_t *f, size_t n, pkt_udp_view *u) {
  pkt_eth_view e;
  pkt_ipv4_view ip;
  pkt_err r = pkt_eth_parse(f, n, &e);
  if (r != PKT_OK) return r;
  r = pkt_ipv4_parse(e.payload, e.payload_len, &ip);
  if (r != PKT_OK) return r;
  return pkt_udp_parse(ip.payload, ip.payload_len, u);
}

TEST(Udp, FrameOverIpv4ParsesAndVerifies) {
  auto f = unhex(kFrame4);
  pkt_udp_view u;
  ASSERT_EQ(parse_frame(f.data(), f.size(), &u), PKT_OK);
  EXPECT_EQ(u.src_port, 1234);
  EXPECT_EQ(u.dst_port, 4500);
  EXPECT_EQ(u.length, 13);
  EXPECT_EQ(u.checksum, 0xb964);
  EXPECT_EQ(u.payload_len, 5u);
  EXPECT_EQ(memcmp(u.payload, "hello", 5), 0);
  EXPECT_EQ(pkt_udp_verify_v4(0xc0000201u, 0xc6336402u, &u), PKT_UDP_CSUM_OK);
  EXPECT_EQ(pkt_udp_verify_v4(0xc0000202u, 0xc6336402u, &u), PKT_UDP_CSUM_BAD);
  EXPECT_EQ(pkt_udp_checksum_v4(0xc0000201u, 0xc6336402u, u.hdr, u.length), 0xb964);
  f[f.size() - 1] ^= 0x20;
  EXPECT_EQ(pkt_udp_verify_v4(0xc0000201u, 0xc6336402u, &u), PKT_UDP_CSUM_BAD);
  f[44] = f[45] = 0; // checksum field 0: none over IPv4
  ASSERT_EQ(parse_frame(f.data(), f.size(), &u), PKT_OK);
  EXPECT_EQ(pkt_udp_verify_v4(0xc0000201u, 0xc6336402u, &u), PKT_UDP_CSUM_NONE);
}

TEST(Udp, WholeFrameTruncatedAtEveryOffset) {
  auto f = unhex(kFrame4);
  ASSERT_EQ(f.size(), 51u);
  for (size_t n = 0; n < f.size(); n++) {
    std::vector<uint8_t> cut(f.begin(), f.begin() + n);
    pkt_err want = n < 14   ? PKT_ERR_TRUNCATED_ETH_HDR
                   : n < 18 ? PKT_ERR_TRUNCATED_VLAN_TAG
                   : n < 38 ? PKT_ERR_TRUNCATED_IPV4_HDR
                            : PKT_ERR_TOTLEN_EXCEEDS_CAPTURE;
    pkt_udp_view u;
    EXPECT_EQ(parse_frame(cut.data(), n, &u), want) << "n=" << n;
  }
}

TEST(Udp, DatagramTruncatedAtEveryOffset) {
  auto f = unhex(kFrame4);
  std::vector<uint8_t> udp(f.begin() + 38, f.end());
  ASSERT_EQ(udp.size(), 13u);
  for (size_t n = 0; n < udp.size(); n++) {
    std::vector<uint8_t> cut(udp.begin(), udp.begin() + n);
    pkt_udp_view u;
    pkt_err want = n < 8 ? PKT_ERR_TRUNCATED_UDP_HDR : PKT_ERR_UDP_LEN_EXCEEDS_IP_PAYLOAD;
    EXPECT_EQ(pkt_udp_parse(cut.data(), n, &u), want) << "n=" << n;
  }
  udp[4] = 0;
  udp[5] = 7;
  pkt_udp_view u;
  EXPECT_EQ(pkt_udp_parse(udp.data(), udp.size(), &u), PKT_ERR_BAD_UDP_LEN);
}

static void check_v6(const char *hex, const uint8_t *final_dst, uint16_t want) {
  auto p = unhex(hex);
  pkt_ipv6_view ip;
  ASSERT_EQ(pkt_ipv6_parse(p.data(), p.size(), &ip), PKT_OK);
  ASSERT_EQ(ip.chain.upper_proto, PKT_PROTO_UDP);
  pkt_udp_view u;
  ASSERT_EQ(pkt_udp_parse(ip.upper, ip.upper_len, &u), PKT_OK);
  const uint8_t *dst = final_dst ? final_dst : ip.dst;
  EXPECT_EQ(u.checksum, want);
  EXPECT_EQ(pkt_udp_checksum_v6(ip.src, dst, u.hdr, u.length), want);
  EXPECT_EQ(pkt_udp_verify_v6(ip.src, dst, &u), PKT_UDP_CSUM_OK);
  EXPECT_EQ(pkt_udp_verify_v6(ip.src, ip.src, &u), PKT_UDP_CSUM_BAD);
}

TEST(Udp, Ipv6ChecksumsMatchScapy) {
  check_v6(kUdp6, nullptr, 0x0a28);
  check_v6(kUdp6Odd, nullptr, 0xfa09);
  auto chain = unhex(kChain6);
  check_v6(kChain6, chain.data() + 56, 0xdfef); // Routing header's address
}

TEST(Udp, ZeroChecksumIsInvalidOverIpv6) {
  auto p = unhex(kUdp6);
  p[46] = p[47] = 0;
  pkt_udp_view u;
  ASSERT_EQ(pkt_udp_parse(p.data() + 40, 18, &u), PKT_OK);
  EXPECT_EQ(pkt_udp_verify_v6(p.data() + 8, p.data() + 24, &u), PKT_UDP_CSUM_BAD);
}

TEST(Udp, ComputedZeroIsSentAsFfff) {
  // Hand computed: addresses 0.0.0.0, proto 17, length 10 (pseudo) + ports 0, length 10,
  // payload word W: sum = 0x11 + 0x0a + 0x0a + W = 0x25 + W. W = 0xffda makes it 0xffff, whose
  // complement 0 must go on the wire as 0xffff (RFC 768).
  uint8_t d[10] = {0, 0, 0, 0, 0, 10, 0, 0, 0xff, 0xda};
  EXPECT_EQ(pkt_udp_checksum_v4(0, 0, d, 10), 0xffff);
  d[6] = d[7] = 0xff;
  pkt_udp_view u;
  ASSERT_EQ(pkt_udp_parse(d, 10, &u), PKT_OK);
  EXPECT_EQ(pkt_udp_verify_v4(0, 0, &u), PKT_UDP_CSUM_OK);
}

TEST(Udp, BuildMatchesScapyOverBothFamilies) {
  auto f4 = unhex(kFrame4);
  uint8_t buf[64] = {};
  memcpy(buf + 8, "hello", 5);
  pkt_udp_fields uf{};
  uf.src_port = 1234;
  uf.dst_port = 4500;
  uf.payload_len = 5;
  uf.csum = PKT_UDP_CSUM_V4;
  uf.v4_src = 0xc0000201u;
  uf.v4_dst = 0xc6336402u;
  size_t w = 0;
  ASSERT_EQ(pkt_udp_build(buf, sizeof buf, &uf, &w), PKT_OK);
  EXPECT_EQ(w, 8u);
  EXPECT_EQ(memcmp(buf, f4.data() + 38, 13), 0);
  EXPECT_EQ(pkt_udp_build(buf, 12, &uf, &w), PKT_ERR_NO_SPACE);
  uf.csum = PKT_UDP_CSUM_ZERO;
  ASSERT_EQ(pkt_udp_build(buf, sizeof buf, &uf, &w), PKT_OK);
  EXPECT_EQ(buf[6] | buf[7], 0);

  auto p6 = unhex(kUdp6);
  memset(buf, 0, sizeof buf);
  memcpy(buf + 8, "IPsec-UDP!", 10);
  uf = pkt_udp_fields{};
  uf.src_port = 50000;
  uf.dst_port = 4500;
  uf.payload_len = 10;
  uf.csum = PKT_UDP_CSUM_V6;
  uf.v6_src = p6.data() + 8;
  uf.v6_dst = p6.data() + 24;
  ASSERT_EQ(pkt_udp_build(buf, sizeof buf, &uf, &w), PKT_OK);
  EXPECT_EQ(memcmp(buf, p6.data() + 40, 18), 0);
  uf.v6_dst = nullptr;
  EXPECT_EQ(pkt_udp_build(buf, sizeof buf, &uf, &w), PKT_ERR_BAD_FIELD);
}
