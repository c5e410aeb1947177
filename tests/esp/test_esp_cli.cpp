// `ipsecsim esp` end to end: unusable inputs give exit 2 and one asserted line on stderr;
// a round trip through encrypt and decrypt restores the packets, prints the seed's layout,
// and the vectors never contain the key or salt.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <vector>

#include "esp_test_util.h"

using namespace esptest;

namespace {

const std::string BIN = std::string(IPSECSIM_BINARY_DIR) + "/ipsecsim";
const std::string DIR = std::string(IPSECSIM_BINARY_DIR) + "/tests/esp/cli_work";
const char *KEYHEX = "00112233445566778899aabbccddeeff0badcafe";

struct Result { int rc; std::string out, err; };

std::string slurp(const std::string &p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}
void spit(const std::string &p, const std::string &data) {
  std::ofstream f(p, std::ios::binary);
  f << data;
}

Result run(const std::string &args) {
  std::string cmd = BIN + " esp " + args + " >" + DIR + "/stdout 2>" + DIR + "/stderr";
  int st = std::system(cmd.c_str());
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, slurp(DIR + "/stdout"), slurp(DIR + "/stderr")};
}

void le32(std::string &s, uint32_t v) { for (int i = 0; i < 4; i++) s += (char)(v >> (8 * i)); }
void le16(std::string &s, uint16_t v) { for (int i = 0; i < 2; i++) s += (char)(v >> (8 * i)); }

// A little-endian microsecond pcap written by hand (libpcap file format).
std::string pcap(uint32_t linktype, const std::vector<Bytes> &pkts) {
  std::string s;
  le32(s, 0xa1b2c3d4); le16(s, 2); le16(s, 4); le32(s, 0); le32(s, 0); le32(s, 65535); le32(s, linktype);
  uint32_t t = 1;
  for (const Bytes &p : pkts) {
    le32(s, t++); le32(s, 0); le32(s, (uint32_t)p.size()); le32(s, (uint32_t)p.size());
    s.append(p.begin(), p.end());
  }
  return s;
}

// Records of a pcap written by the tool (either timestamp precision, little-endian host).
std::vector<Bytes> records(const std::string &file) {
  std::string s = slurp(file);
  std::vector<Bytes> v;
  for (size_t off = 24; off + 16 <= s.size();) {
    uint32_t cap = (uint8_t)s[off + 8] | (uint8_t)s[off + 9] << 8 | (uint8_t)s[off + 10] << 16 |
                   (uint32_t)(uint8_t)s[off + 11] << 24;
    v.emplace_back(s.begin() + (long)off + 16, s.begin() + (long)(off + 16 + cap));
    off += 16 + cap;
  }
  return v;
}

std::string sa_file() {
  return std::string("sas:\n") +
         "  - {name: out, direction: outbound, spi: 0x1001, algorithm: aes-128-gcm, key: " + KEYHEX +
         ", local: 192.0.2.1, remote: 198.51.100.1}\n"
         "  - {name: in, direction: inbound, spi: 0x1001, algorithm: aes-128-gcm, key: " + KEYHEX +
         ", local: 198.51.100.1, remote: 192.0.2.1, udp_encap: none}\n";
}

struct Cli : ::testing::Test {
  void SetUp() override {
    mkdir(DIR.c_str(), 0755);
    spit(DIR + "/sa.yaml", sa_file());
    spit(DIR + "/raw.pcap", pcap(101, {ipv4_udp(60), ipv6_udp(300), ipv4_udp(1500)}));
  }
  std::string p(const char *f) { return DIR + "/" + f; }
  void one_line_error(const std::string &args, const std::string &want) {
    Result r = run(args);
    EXPECT_EQ(r.rc, 2) << args;
    EXPECT_EQ(r.err, want + "\n") << args;
  }
};

}  // namespace

TEST_F(Cli, UnusableInputsExit2WithOneLine) {
  std::string sa_path = p("sa.yaml"), in = p("raw.pcap"), out = p("o.pcap");
  one_line_error("frob", "ipsecsim esp: unknown operation 'frob' (allowed: encrypt, decrypt) (usage: "
                 "ipsecsim esp encrypt|decrypt --sa SA.yaml --in IN.pcap --out OUT.pcap "
                 "[--vectors OUT.jsonl] [--exceptions HOST.pcap] [--export-sas DIR])");
  Result r = run("encrypt --in " + in + " --out " + out);
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err.rfind("ipsecsim esp: missing --sa (usage:", 0), 0u) << r.err;
  one_line_error("encrypt --sa " + sa_path + " --in " + p("none.pcap") + " --out " + out,
                 p("none.pcap") + ": not a readable pcap file: " + p("none.pcap") + ": No such file or directory");
  spit(p("garbage.pcap"), "this is not a capture file at all");
  one_line_error("encrypt --sa " + sa_path + " --in " + p("garbage.pcap") + " --out " + out,
                 p("garbage.pcap") + ": not a readable pcap file: unknown file format");
  std::string trunc = pcap(101, {ipv4_udp(60)});
  trunc.resize(trunc.size() - 40);
  spit(p("trunc.pcap"), trunc);
  one_line_error("decrypt --sa " + sa_path + " --in " + p("trunc.pcap") + " --out " + out,
                 p("trunc.pcap") + ": packet 1: truncated dump file; tried to read 60 captured bytes, only got 20");
  spit(p("link.pcap"), pcap(147, {ipv4_udp(60)}));
  one_line_error("encrypt --sa " + sa_path + " --in " + p("link.pcap") + " --out " + out,
                 p("link.pcap") + ": unsupported link type 147 (?) (allowed: EN10MB, RAW, IPV4, IPV6)");
  one_line_error("encrypt --sa " + sa_path + " --in " + in + " --out " + DIR + "/nodir/o.pcap",
                 DIR + "/nodir/o.pcap: cannot open for writing (No such file or directory)");
  one_line_error("encrypt --sa " + p("none.yaml") + " --in " + in + " --out " + out,
                 p("none.yaml") + ": cannot open file (No such file or directory)");
  spit(p("syntax.yaml"), "sas:\n  - name: [1\n");
  one_line_error("encrypt --sa " + p("syntax.yaml") + " --in " + in + " --out " + out,
                 p("syntax.yaml") + ":3:1: YAML syntax error: did not find expected ',' or ']' "
                 "(while parsing a flow sequence at line 2 col 11)");
  std::string bad = sa_file();
  bad.replace(bad.find("udp_encap: none"), 15, "udp_encap: gre");
  spit(p("bad.yaml"), bad);
  one_line_error("decrypt --sa " + p("bad.yaml") + " --in " + in + " --out " + out,
                 p("bad.yaml") + ":3:171: sas[1].udp_encap: 'gre' is not an encapsulation (allowed: none, "
                 "nat-t, multipath, or a map with dst_port)");
  std::string ah = sa_file();
  ah.replace(ah.find("udp_encap: none"), 15, "protocol: ah");
  spit(p("ah.yaml"), ah);
  one_line_error("decrypt --sa " + p("ah.yaml") + " --in " + in + " --out " + out,
                 p("ah.yaml") + ":3:170: sas[1].protocol: AH is not supported (allowed: esp)");
}

TEST_F(Cli, RoundTripVectorsAndLayout) {
  Result e = run("encrypt --sa " + p("sa.yaml") + " --in " + p("raw.pcap") + " --out " + p("enc.pcap") +
                 " --vectors " + p("enc.jsonl"));
  ASSERT_EQ(e.rc, 0) << e.err;
  EXPECT_NE(e.out.find("ESP Statistics:\n  Encrypted bytes:             1860\n"), std::string::npos) << e.out;
  EXPECT_NE(e.out.find("  Encrypted packets:              3\n"), std::string::npos) << e.out;
  EXPECT_NE(e.out.find("  Bad headers: 0, Bad trailers: 0\n"), std::string::npos) << e.out;
  std::vector<Bytes> enc = records(p("enc.pcap"));
  ASSERT_EQ(enc.size(), 3u);
  EXPECT_EQ(enc[0].size(), 60u + 54u + 2u);  // pad 2: (60 + 2) % 4 == 2
  EXPECT_EQ(enc[2].size(), 1556u);
  std::string vec = slurp(p("enc.jsonl"));
  EXPECT_NE(vec.find("{\"packet\":1,\"op\":\"encrypt\",\"sa\":\"out\",\"spi\":4097,\"esn\":false,"
                     "\"algorithm\":\"aes-128-gcm\",\"seq\":1,\"iv\":\"0000000000000001\","
                     "\"nonce\":\"0badcafe0000000000000001\",\"aad\":\"0000100100000001\""),
            std::string::npos) << vec;
  EXPECT_EQ(vec.find("00112233445566778899aabbccddeeff"), std::string::npos);  // never the key
  EXPECT_EQ(e.out.find("00112233"), std::string::npos);
  Result d = run("decrypt --sa " + p("sa.yaml") + " --in " + p("enc.pcap") + " --out " + p("dec.pcap") +
                 " --vectors " + p("dec.jsonl"));
  ASSERT_EQ(d.rc, 0) << d.err;
  std::vector<Bytes> dec = records(p("dec.pcap"));
  ASSERT_EQ(dec.size(), 3u);
  EXPECT_EQ(dec[0], ipv4_udp(60));
  EXPECT_EQ(dec[1], ipv6_udp(300));
  EXPECT_EQ(dec[2], ipv4_udp(1500));
  EXPECT_NE(d.out.find("  Decrypted packets:              3\n"), std::string::npos) << d.out;
  // Decrypted bytes count the ESP side: 116 + 356 + 1556 (54 + pad 2 each).
  EXPECT_NE(d.out.find("  Decrypted bytes:             2028\n"), std::string::npos) << d.out;
  // A replayed capture: every packet is a replay error, each with its named reason.
  spit(p("twice.pcap"), pcap(101, {enc[0], enc[0]}));
  Result t = run("decrypt --sa " + p("sa.yaml") + " --in " + p("twice.pcap") + " --out " + p("t.pcap") +
                 " --vectors " + p("t.jsonl"));
  ASSERT_EQ(t.rc, 0);
  EXPECT_NE(t.out.find("Replay errors: 1\n"), std::string::npos) << t.out;
  EXPECT_NE(slurp(p("t.jsonl")).find("\"verdict\":\"drop\",\"reason\":\"replay_duplicate\""), std::string::npos);
}

TEST_F(Cli, EthernetLinkAndHostPath) {
  Bytes eth = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
  Bytes f1 = eth, f2 = eth;
  Bytes in6 = ipv6_udp(100);
  f1.insert(f1.end(), in6.begin(), in6.end());
  f1[12] = 0x86; f1[13] = 0xdd;
  Bytes ka = outer_v4(udp_wrap(4500, 4500, Bytes{0xff}), "192.0.2.1", "198.51.100.1", 17);
  f2.insert(f2.end(), ka.begin(), ka.end());
  spit(p("eth.pcap"), pcap(1, {f1}));
  ASSERT_EQ(run("encrypt --sa " + p("sa.yaml") + " --in " + p("eth.pcap") + " --out " + p("eenc.pcap")).rc, 0);
  std::vector<Bytes> enc = records(p("eenc.pcap"));
  ASSERT_EQ(enc.size(), 1u);
  EXPECT_EQ(enc[0][12], 0x08);  // IPv6 inside IPv4: ethertype follows the outer header
  EXPECT_EQ(enc[0][14], 0x45);
  Bytes both = enc[0];
  spit(p("eesp.pcap"), pcap(1, {both, f2}));
  Result d = run("decrypt --sa " + p("sa.yaml") + " --in " + p("eesp.pcap") + " --out " + p("edec.pcap") +
                 " --exceptions " + p("host.pcap"));
  ASSERT_EQ(d.rc, 0) << d.err;
  std::vector<Bytes> dec = records(p("edec.pcap")), host = records(p("host.pcap"));
  ASSERT_EQ(dec.size(), 1u);
  EXPECT_EQ(dec[0], f1);
  ASSERT_EQ(host.size(), 1u);
  EXPECT_EQ(host[0], f2);
  EXPECT_NE(d.out.find("host_nat_keepalive: 1\n"), std::string::npos) << d.out;
}

// Issue 4 on the command line: fragments become one output frame each (L2 header repeated),
// ICMP errors go to --exceptions only, back to the inner source with the MACs swapped.
TEST_F(Cli, PreFragmentationAndIcmpToExceptions) {
  spit(p("mtu.yaml"), std::string("sas:\n  - {name: out, direction: outbound, spi: 0x1001, "
                                   "algorithm: aes-128-gcm, key: ") + KEYHEX +
                          ", local: 192.0.2.1, remote: 198.51.100.1, tunnel_mtu: 1500, df_bit: set}\n");
  Bytes eth = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
  auto frame = [&](const Bytes &ip) {
    Bytes f = eth;
    if ((ip[0] >> 4) == 6) { f[12] = 0x86; f[13] = 0xdd; }
    f.insert(f.end(), ip.begin(), ip.end());
    return f;
  };
  spit(p("big.pcap"), pcap(1, {frame(ipv4_udp(1500)), frame(ipv4_udp(1500, 0, true)), frame(ipv6_udp(1500))}));
  Result e = run("encrypt --sa " + p("mtu.yaml") + " --in " + p("big.pcap") + " --out " + p("big_enc.pcap") +
                 " --exceptions " + p("big_host.pcap") + " --vectors " + p("big.jsonl"));
  ASSERT_EQ(e.rc, 0) << e.err;
  std::vector<Bytes> enc = records(p("big_enc.pcap")), host = records(p("big_host.pcap"));
  ASSERT_EQ(enc.size(), 2u);
  EXPECT_EQ(enc[0].size(), 14u + 1500);
  EXPECT_EQ(enc[1].size(), 14u + 132);
  EXPECT_EQ(Bytes(enc[1].begin(), enc[1].begin() + 14), eth);
  EXPECT_EQ(enc[1][14 + 6] & 0x40, 0x40);  // df_bit set
  ASSERT_EQ(host.size(), 2u);
  EXPECT_EQ(Bytes(host[0].begin(), host[0].begin() + 6), Bytes(eth.begin() + 6, eth.begin() + 12));
  EXPECT_EQ(host[0].size(), 14u + 576);
  EXPECT_EQ(host[0][14 + 20], 3);
  EXPECT_EQ(host[1][12], 0x86);
  EXPECT_EQ(host[1].size(), 14u + 1280);
  EXPECT_EQ(host[1][14 + 40], 2);
  EXPECT_NE(e.out.find("exceeds_tunnel_mtu_fragmented: 1\n"), std::string::npos) << e.out;
  EXPECT_NE(e.out.find("exceeds_tunnel_mtu_icmp_sent: 2\n"), std::string::npos) << e.out;
  EXPECT_NE(e.out.find("  lifetime: live\n"), std::string::npos) << e.out;
  std::string vec = slurp(p("big.jsonl"));
  EXPECT_NE(vec.find("{\"packet\":1,\"op\":\"encrypt\",\"fragment\":1,"), std::string::npos) << vec;
  EXPECT_NE(vec.find("\"reason\":\"exceeds_tunnel_mtu_icmp_sent\""), std::string::npos) << vec;
}

// A pcap record with caplen < len (cut by the snaplen) is not processed and counts under its
// own name, capture_truncated, outside the seed's six error counters; the summary says so.
TEST_F(Cli, SnaplenTruncatedRecordCountedByName) {
  spit(DIR + "/sa.yaml", sa_file());
  Bytes a = ipv4_udp(200), b = ipv4_udp(300);
  std::string s = pcap(101, {a});
  le32(s, 9); le32(s, 0); le32(s, 100); le32(s, (uint32_t)b.size());  // 100 of 300 bytes
  s.append(b.begin(), b.begin() + 100);
  spit(DIR + "/trunc.pcap", s);
  Result r = run("encrypt --sa " + DIR + "/sa.yaml --in " + DIR + "/trunc.pcap --out " + DIR +
                 "/trunc_out.pcap --vectors " + DIR + "/trunc.jsonl");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(records(DIR + "/trunc_out.pcap").size(), 1u);
  // seed layout: value right-aligned to column 35, only the 200-byte packet encrypted
  EXPECT_NE(r.out.find("Global:\nESP Statistics:\n  Encrypted bytes:" + std::string(14, ' ') +
                       "200\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  Bad headers: 0, Bad trailers: 0\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  inner_invalid: 0\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  capture_truncated: 1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nNote: 1 input records were cut short by the capture's snaplen (caplen < "
                       "len) and were not processed (capture_truncated).\n"),
            std::string::npos) << r.out;
  std::string v = slurp(DIR + "/trunc.jsonl");
  EXPECT_NE(v.find("{\"packet\":2,\"op\":\"encrypt\",\"in_len\":100,\"out_len\":0,\"verdict\":\"drop\","
                   "\"reason\":\"capture_truncated\"}"),
            std::string::npos) << v;
}
