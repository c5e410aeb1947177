// Ethernet / 802.1Q codec. Expected bytes made offline with Scapy 2.5.0:
//   Ether(dst="02:00:00:00:00:02", src="02:00:00:00:00:01")/Dot1Q(vlan=100, prio=5)/
//   IP(src="192.0.2.1", dst="198.51.100.2", id=0x1234, ttl=64, flags="DF", tos=0xb8)/
//   UDP(sport=1234, dport=4500)/Raw(b"hello")
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "test_hex.h"

extern "C" {
#include "model/hexutil.h"
#include "model/pkt_eth.h"
}


static const char *kP1 =
    "0200000000020200000000018100a064080045b800211234400040113ba9c0000201c633640204d2"
    "1194000db96468656c6c6f";

TEST(Eth, ParsesScapyVlanFrame) {
  auto f = unhex(kP1);
  pkt_eth_view v;
  ASSERT_EQ(pkt_eth_parse(f.data(), f.size(), &v), PKT_OK);
  const uint8_t dst[6] = {2, 0, 0, 0, 0, 2}, src[6] = {2, 0, 0, 0, 0, 1};
  EXPECT_EQ(memcmp(v.dst, dst, 6), 0);
  EXPECT_EQ(memcmp(v.src, src, 6), 0);
  ASSERT_EQ(v.vlan_count, 1u);
  EXPECT_EQ(v.vlan[0].tpid, 0x8100);
  EXPECT_EQ(pkt_eth_vlan_vid(&v.vlan[0]), 100);
  EXPECT_EQ(pkt_eth_vlan_pcp(&v.vlan[0]), 5);
  EXPECT_EQ(v.ethertype, PKT_ETHERTYPE_IPV4);
  EXPECT_EQ(v.hdr_len, 18u);
  EXPECT_EQ(v.payload, f.data() + 18);
  EXPECT_EQ(v.payload_len, f.size() - 18);
}

TEST(Eth, UntaggedFrame) {
  auto f = unhex("ffffffffffff0000000000aa86dd");
  pkt_eth_view v;
  ASSERT_EQ(pkt_eth_parse(f.data(), f.size(), &v), PKT_OK);
  EXPECT_EQ(v.vlan_count, 0u);
  EXPECT_EQ(v.ethertype, PKT_ETHERTYPE_IPV6);
  EXPECT_EQ(v.hdr_len, 14u);
  EXPECT_EQ(v.payload_len, 0u);
}

// QinQ: S-tag 88a8 vid 10, C-tag 8100 vid 20, then IPv4.
static const char *kQinQ = "02000000000202000000000188a8000a810000140800";

TEST(Eth, TruncatedAtEveryOffset) {
  auto f = unhex(kQinQ);
  ASSERT_EQ(f.size(), 22u);
  for (size_t n = 0; n <= f.size(); n++) {
    std::vector<uint8_t> cut(f.begin(), f.begin() + n); // exact-size copy: ASan sees overreads
    pkt_eth_view v;
    pkt_err want = n < 14 ? PKT_ERR_TRUNCATED_ETH_HDR
                 : n < 22 ? PKT_ERR_TRUNCATED_VLAN_TAG
                          : PKT_OK;
    EXPECT_EQ(pkt_eth_parse(cut.data(), n, &v), want) << "n=" << n;
  }
  pkt_eth_view v;
  ASSERT_EQ(pkt_eth_parse(f.data(), f.size(), &v), PKT_OK);
  EXPECT_EQ(v.vlan_count, 2u);
  EXPECT_EQ(v.vlan[0].tpid, 0x88a8);
  EXPECT_EQ(pkt_eth_vlan_vid(&v.vlan[0]), 10);
  EXPECT_EQ(pkt_eth_vlan_vid(&v.vlan[1]), 20);
  EXPECT_EQ(v.hdr_len, 22u);
}

TEST(Eth, ThreeTagsExceedLimit) {
  auto f = unhex("0200000000020200000000018100000181000002810000030800");
  pkt_eth_view v;
  EXPECT_EQ(pkt_eth_parse(f.data(), f.size(), &v), PKT_ERR_VLAN_LIMIT);
}

TEST(Eth, BuildMatchesScapy) {
  pkt_eth_fields f{};
  const uint8_t dst[6] = {2, 0, 0, 0, 0, 2}, src[6] = {2, 0, 0, 0, 0, 1};
  memcpy(f.dst, dst, 6);
  memcpy(f.src, src, 6);
  f.vlan_count = 1;
  f.vlan[0] = {0x8100, (uint16_t)(5u << 13 | 100u)};
  f.ethertype = PKT_ETHERTYPE_IPV4;
  uint8_t out[18];
  size_t w = 0;
  ASSERT_EQ(pkt_eth_build(out, sizeof out, &f, &w), PKT_OK);
  ASSERT_EQ(w, 18u);
  auto want = unhex(kP1);
  EXPECT_EQ(memcmp(out, want.data(), 18), 0);
  EXPECT_EQ(pkt_eth_build(out, 17, &f, &w), PKT_ERR_NO_SPACE);
  f.vlan[0].tpid = 0x0800;
  EXPECT_EQ(pkt_eth_build(out, sizeof out, &f, &w), PKT_ERR_BAD_FIELD);
  f.vlan[0].tpid = 0x8100;
  f.vlan_count = 3;
  EXPECT_EQ(pkt_eth_build(out, sizeof out, &f, &w), PKT_ERR_BAD_FIELD);
}

TEST(Eth, ErrorNamesAreDistinct) {
  std::set<std::string> names;
  for (int e = 0; e < PKT_ERR_COUNT_; e++) {
    std::string s = pkt_err_str((pkt_err)e);
    EXPECT_NE(s, "unknown") << e;
    EXPECT_TRUE(names.insert(s).second) << s;
  }
  EXPECT_STREQ(pkt_err_str(PKT_ERR_TRUNCATED_IPV4_HDR), "truncated_ipv4_hdr");
  EXPECT_STREQ(pkt_err_str((pkt_err)9999), "unknown");
}
