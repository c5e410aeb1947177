// pcap I/O: write-then-read round trips, file header bytes checked against the pcap format
// (magic, LINKTYPE_* values), error messages for bad files, and a pcap written by Scapy.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fstream>
#include <string>
#include <vector>

extern "C" {
#include "model/pcap_io.h"
#include "model/pkt_eth.h"
#include "model/pkt_ipv4.h"
#include "model/pkt_udp.h"
}

static std::string tmp_path(const std::string &name) {
  const char *base = getenv("TMPDIR");
  std::string dir = base ? base : "/tmp";
  return dir + "/ipsecsim_pcapio_" + std::to_string(getpid()) + "_" + name;
}

static std::vector<uint8_t> slurp(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), {});
}

static void spit(const std::string &path, const std::vector<uint8_t> &b) {
  std::ofstream f(path, std::ios::binary);
  f.write((const char *)b.data(), (std::streamsize)b.size());
}

static uint32_t le32(const std::vector<uint8_t> &b, size_t at) {
  return b[at] | b[at + 1] << 8 | b[at + 2] << 16 | (uint32_t)b[at + 3] << 24;
}

static void write_three(const std::string &path, pcapio_link link, bool ns) {
  pcapio_err err{};
  pcapio_writer *w = pcapio_open_write(path.c_str(), link, ns, 0, &err);
  ASSERT_NE(w, nullptr) << err.msg;
  std::vector<uint8_t> a(60, 0x11), b(1514, 0x22), c(9014, 0x33);
  ASSERT_TRUE(pcapio_write(w, a.data(), 60, 0, 1700000000123456789ull, &err)) << err.msg;
  ASSERT_TRUE(pcapio_write(w, b.data(), 1514, 0, 1700000000123457000ull, &err));
  ASSERT_TRUE(pcapio_write(w, c.data(), 100, 9014, 1700000001000000001ull, &err));
  ASSERT_TRUE(pcapio_close_write(w, &err)) << err.msg;
}

TEST(PcapIo, NanosecondRoundTrip) {
  std::string path = tmp_path("ns.pcap");
  write_three(path, PCAPIO_LINK_ETHERNET, true);
  auto bytes = slurp(path);
  ASSERT_GE(bytes.size(), 24u);
  EXPECT_EQ(le32(bytes, 0), 0xa1b23c4du); // nanosecond magic
  EXPECT_EQ(le32(bytes, 20), 1u);         // LINKTYPE_ETHERNET
  pcapio_err err{};
  pcapio_reader *r = pcapio_open_read(path.c_str(), &err);
  ASSERT_NE(r, nullptr) << err.msg;
  EXPECT_EQ(pcapio_reader_link(r), PCAPIO_LINK_ETHERNET);
  pcapio_packet p;
  ASSERT_EQ(pcapio_next(r, &p, &err), 1);
  EXPECT_EQ(p.caplen, 60u);
  EXPECT_EQ(p.origlen, 60u);
  EXPECT_EQ(p.ts_ns, 1700000000123456789ull);
  EXPECT_EQ(p.index, 1u);
  EXPECT_EQ(p.data[59], 0x11);
  ASSERT_EQ(pcapio_next(r, &p, &err), 1);
  EXPECT_EQ(p.caplen, 1514u);
  EXPECT_EQ(p.ts_ns, 1700000000123457000ull);
  ASSERT_EQ(pcapio_next(r, &p, &err), 1);
  EXPECT_EQ(p.caplen, 100u);
  EXPECT_EQ(p.origlen, 9014u);
  EXPECT_EQ(p.ts_ns, 1700000001000000001ull);
  EXPECT_EQ(p.data[99], 0x33);
  EXPECT_EQ(pcapio_next(r, &p, &err), 0);
  pcapio_close_read(r);
  remove(path.c_str());
}

TEST(PcapIo, MicrosecondFileTruncatesToMicroseconds) {
  std::string path = tmp_path("us.pcap");
  write_three(path, PCAPIO_LINK_ETHERNET, false);
  auto bytes = slurp(path);
  EXPECT_EQ(le32(bytes, 0), 0xa1b2c3d4u);
  EXPECT_EQ(le32(bytes, 24), 1700000000u); // first record: seconds
  EXPECT_EQ(le32(bytes, 28), 123456u);     // microseconds
  pcapio_err err{};
  pcapio_reader *r = pcapio_open_read(path.c_str(), &err);
  ASSERT_NE(r, nullptr) << err.msg;
  pcapio_packet p;
  ASSERT_EQ(pcapio_next(r, &p, &err), 1);
  EXPECT_EQ(p.ts_ns, 1700000000123456000ull);
  pcapio_close_read(r);
  remove(path.c_str());
}

TEST(PcapIo, LinkTypesOnDisk) {
  struct { pcapio_link link; uint32_t file_value; } cases[] = {
      {PCAPIO_LINK_RAW, 101}, {PCAPIO_LINK_IPV4, 228}, {PCAPIO_LINK_IPV6, 229}};
  for (auto c : cases) {
    std::string path = tmp_path(std::string(pcapio_link_name(c.link)) + ".pcap");
    write_three(path, c.link, true);
    auto bytes = slurp(path);
    EXPECT_EQ(le32(bytes, 20), c.file_value) << pcapio_link_name(c.link);
    pcapio_err err{};
    pcapio_reader *r = pcapio_open_read(path.c_str(), &err);
    ASSERT_NE(r, nullptr) << err.msg;
    EXPECT_EQ(pcapio_reader_link(r), c.link);
    pcapio_close_read(r);
    remove(path.c_str());
  }
}

TEST(PcapIo, OversizedRecordRefused) {
  std::string path = tmp_path("snap.pcap");
  pcapio_err err{};
  pcapio_writer *w = pcapio_open_write(path.c_str(), PCAPIO_LINK_RAW, true, 128, &err);
  ASSERT_NE(w, nullptr);
  std::vector<uint8_t> big(129, 0);
  EXPECT_FALSE(pcapio_write(w, big.data(), 129, 0, 0, &err));
  EXPECT_NE(std::string(err.msg).find("snaplen 128"), std::string::npos) << err.msg;
  EXPECT_TRUE(pcapio_close_write(w, &err));
  remove(path.c_str());
}

static void expect_one_line_naming(const pcapio_err &err, const std::string &path,
                                   const std::string &what) {
  std::string m = err.msg;
  EXPECT_EQ(m.rfind(path + ": ", 0), 0u) << m;
  EXPECT_NE(m.find(what), std::string::npos) << m;
  EXPECT_EQ(m.find('\n'), std::string::npos) << m;
}

TEST(PcapIo, GarbageMissingAndUnsupportedFiles) {
  pcapio_err err{};
  std::string garbage = tmp_path("garbage.pcap");
  spit(garbage, std::vector<uint8_t>(100, 0x5a));
  EXPECT_EQ(pcapio_open_read(garbage.c_str(), &err), nullptr);
  expect_one_line_naming(err, garbage, "not a readable pcap file");
  remove(garbage.c_str());

  std::string missing = tmp_path("does_not_exist.pcap");
  EXPECT_EQ(pcapio_open_read(missing.c_str(), &err), nullptr);
  expect_one_line_naming(err, missing, "No such file");

  std::string empty = tmp_path("empty.pcap");
  spit(empty, {});
  EXPECT_EQ(pcapio_open_read(empty.c_str(), &err), nullptr);
  expect_one_line_naming(err, empty, "not a readable pcap file");
  remove(empty.c_str());

  // Hand-written global header: magic a1b2c3d4, v2.4, snaplen 65535, LINKTYPE 105 (802.11).
  std::vector<uint8_t> hdr = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
                              0,    0,    0,    0,    0xff, 0xff, 0, 0, 105, 0, 0, 0};
  std::string wifi = tmp_path("wifi.pcap");
  spit(wifi, hdr);
  EXPECT_EQ(pcapio_open_read(wifi.c_str(), &err), nullptr);
  expect_one_line_naming(err, wifi, "unsupported link type");
  remove(wifi.c_str());
}

TEST(PcapIo, TruncatedRecordIsAnErrorNamingThePacket) {
  std::string path = tmp_path("trunc.pcap");
  write_three(path, PCAPIO_LINK_ETHERNET, true);
  auto bytes = slurp(path);
  // Keep the first record whole and cut the second in its data.
  size_t first_end = 24 + 16 + 60;
  bytes.resize(first_end + 16 + 10);
  spit(path, bytes);
  pcapio_err err{};
  pcapio_reader *r = pcapio_open_read(path.c_str(), &err);
  ASSERT_NE(r, nullptr) << err.msg;
  pcapio_packet p;
  ASSERT_EQ(pcapio_next(r, &p, &err), 1);
  EXPECT_EQ(pcapio_next(r, &p, &err), -1);
  expect_one_line_naming(err, path, "packet 2: truncated");
  pcapio_close_read(r);
  // Cut inside the second record header.
  bytes.resize(first_end + 7);
  spit(path, bytes);
  r = pcapio_open_read(path.c_str(), &err);
  ASSERT_NE(r, nullptr) << err.msg;
  ASSERT_EQ(pcapio_next(r, &p, &err), 1);
  EXPECT_EQ(pcapio_next(r, &p, &err), -1);
  expect_one_line_naming(err, path, "packet 2:");
  pcapio_close_read(r);
  remove(path.c_str());
}

TEST(PcapIo, ReadsAPcapWrittenByScapy) {
  std::string path = tmp_path("scapy.pcap");
  std::string cmd =
      "/usr/bin/python3 -c 'import sys\n"
      "from scapy.all import Ether, IP, UDP, Raw, wrpcap\n"
      "p = Ether(dst=\"02:00:00:00:00:02\", src=\"02:00:00:00:00:01\")/"
      "IP(src=\"192.0.2.1\", dst=\"198.51.100.2\")/UDP(sport=4500, dport=4500)/Raw(b\"x\" * 11)\n"
      "p.time = 1700000000.25\n"
      "wrpcap(sys.argv[1], [p, p])' " + path + " 2>/dev/null";
  if (system(cmd.c_str()) != 0) GTEST_SKIP() << "no /usr/bin/python3 with scapy";
  pcapio_err err{};
  pcapio_reader *r = pcapio_open_read(path.c_str(), &err);
  ASSERT_NE(r, nullptr) << err.msg;
  EXPECT_EQ(pcapio_reader_link(r), PCAPIO_LINK_ETHERNET);
  pcapio_packet p;
  int n = 0;
  while (pcapio_next(r, &p, &err) == 1) {
    n++;
    EXPECT_EQ(p.ts_ns, 1700000000250000000ull);
    EXPECT_EQ(p.caplen, 14u + 20u + 8u + 11u);
    pkt_eth_view e;
    pkt_ipv4_view ip;
    pkt_udp_view u;
    ASSERT_EQ(pkt_eth_parse(p.data, p.caplen, &e), PKT_OK);
    ASSERT_EQ(pkt_ipv4_parse(e.payload, e.payload_len, &ip), PKT_OK);
    EXPECT_TRUE(ip.checksum_ok);
    ASSERT_EQ(pkt_udp_parse(ip.payload, ip.payload_len, &u), PKT_OK);
    EXPECT_EQ(u.dst_port, 4500);
    EXPECT_EQ(u.payload_len, 11u);
    EXPECT_EQ(pkt_udp_verify_v4(ip.src, ip.dst, &u), PKT_UDP_CSUM_OK);
  }
  EXPECT_EQ(n, 2);
  pcapio_close_read(r);
  remove(path.c_str());
}

// Issue 10: a record claiming more captured bytes than the packet had (caplen > len) is
// refused with one line naming the record, on the mapped path and through libpcap (FIFO).
TEST(PcapIo, CaplenAboveLenRefusedNamingTheRecord) {
  std::string path = tmp_path("caplen.pcap");
  write_three(path, PCAPIO_LINK_ETHERNET, true);
  auto bytes = slurp(path);
  const size_t rec2 = 24 + 16 + 60;           // second record: caplen 1514
  bytes[rec2 + 12] = 0xE8; bytes[rec2 + 13] = 0x03; bytes[rec2 + 14] = 0; bytes[rec2 + 15] = 0;  // len 1000
  spit(path, bytes);
  const std::string want = path + ": packet 2: caplen 1514 is greater than len 1000 (allowed: caplen <= len)";
  pcapio_err err{};
  pcapio_reader *r = pcapio_open_read(path.c_str(), &err);
  ASSERT_NE(r, nullptr) << err.msg;
  pcapio_packet p;
  ASSERT_EQ(pcapio_next(r, &p, &err), 1);
  EXPECT_EQ(pcapio_next(r, &p, &err), -1);
  EXPECT_EQ(std::string(err.msg), want);
  pcapio_close_read(r);
  remove(path.c_str());
}

// The mapped path (regular file) and libpcap (a FIFO) give the same records.
TEST(PcapIo, FifoThroughLibpcapReadsLikeTheMappedFile) {
  std::string path = tmp_path("same.pcap"), fifo = tmp_path("same.fifo");
  write_three(path, PCAPIO_LINK_RAW, false);
  auto bytes = slurp(path);
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // the writer end
    FILE *f = fopen(fifo.c_str(), "wb");
    if (f) { fwrite(bytes.data(), 1, bytes.size(), f); fclose(f); }
    _exit(0);
  }
  pcapio_err err{};
  pcapio_reader *a = pcapio_open_read(path.c_str(), &err);
  pcapio_reader *b = pcapio_open_read(fifo.c_str(), &err);
  ASSERT_NE(a, nullptr) << err.msg;
  ASSERT_NE(b, nullptr) << err.msg;
  EXPECT_EQ(pcapio_reader_link(a), pcapio_reader_link(b));
  for (int i = 0; i < 3; i++) {
    pcapio_packet x, y;
    ASSERT_EQ(pcapio_next(a, &x, &err), 1);
    ASSERT_EQ(pcapio_next(b, &y, &err), 1) << err.msg;
    EXPECT_EQ(x.caplen, y.caplen);
    EXPECT_EQ(x.origlen, y.origlen);
    EXPECT_EQ(x.ts_ns, y.ts_ns);
    EXPECT_EQ(x.index, y.index);
    EXPECT_EQ(memcmp(x.data, y.data, x.caplen), 0);
  }
  pcapio_packet z;
  EXPECT_EQ(pcapio_next(a, &z, &err), 0);
  EXPECT_EQ(pcapio_next(b, &z, &err), 0);
  pcapio_close_read(a);
  pcapio_close_read(b);
  int st;
  waitpid(child, &st, 0);
  remove(path.c_str());
  remove(fifo.c_str());
}
