// A classic pcap read through model/pcap_map (the fast path of model/pcap_io): records that
// straddle the read buffer come back whole, and a file truncated while it is being read (the
// deterministic equivalent of another process rewriting the capture mid-run) ends with one
// line naming the packet that was cut, never a crash. With the former mmap reader the same
// test died of SIGBUS on the first record past the new end of the file.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "model/pcap_io.h"
#include "model/pcap_map.h"

namespace {

std::string tmp_path(const std::string &name) {
  const char *base = getenv("TMPDIR");
  return std::string(base ? base : "/tmp") + "/ipsecsim_pcaptrunc_" + std::to_string(getpid()) +
         "_" + name;
}

void put32(std::vector<uint8_t> &b, uint32_t v) {
  for (int i = 0; i < 4; i++) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// Little-endian microsecond pcap, Ethernet; record i holds sizes[i] bytes of (i + k) & 0xff.
std::vector<uint8_t> make_pcap(const std::vector<uint32_t> &sizes) {
  std::vector<uint8_t> b;
  put32(b, 0xa1b2c3d4u);
  put32(b, 0x00040002u); // version 2.4
  put32(b, 0);
  put32(b, 0);
  put32(b, 262144);
  put32(b, 1);
  for (size_t i = 0; i < sizes.size(); i++) {
    put32(b, 1700000000u + static_cast<uint32_t>(i));
    put32(b, 0);
    put32(b, sizes[i]);
    put32(b, sizes[i]);
    for (uint32_t k = 0; k < sizes[i]; k++) b.push_back(static_cast<uint8_t>(i + k));
  }
  return b;
}

void write_file(const std::string &path, const std::vector<uint8_t> &b) {
  FILE *f = fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(fwrite(b.data(), 1, b.size(), f), b.size());
  fclose(f);
}

bool record_ok(const pcapio_packet &p, size_t i, uint32_t size) {
  if (p.caplen != size || p.index != i + 1) return false;
  for (uint32_t k = 0; k < size; k++)
    if (p.data[k] != static_cast<uint8_t>(i + k)) return false;
  return true;
}

} // namespace

TEST(PcapTruncate, RecordsAcrossBufferRefillsComeBackWhole) {
  std::mt19937 rng(7);
  std::vector<uint32_t> sizes;
  size_t total = 24;
  while (total < 3 * PCAP_MAP_BUF) { // three refills at least
    sizes.push_back(1 + rng() % 9100);
    total += 16 + sizes.back();
  }
  sizes.push_back(PCAP_MAP_MAX_CAPLEN); // the largest record still fits the buffer
  const std::string path = tmp_path("refill.pcap");
  write_file(path, make_pcap(sizes));
  pcapio_err err{};
  pcapio_reader *r = pcapio_open_read(path.c_str(), &err);
  ASSERT_NE(r, nullptr) << err.msg;
  pcapio_packet p;
  for (size_t i = 0; i < sizes.size(); i++) {
    ASSERT_EQ(pcapio_next(r, &p, &err), 1) << "record " << i + 1 << ": " << err.msg;
    ASSERT_TRUE(record_ok(p, i, sizes[i])) << "record " << i + 1;
  }
  EXPECT_EQ(pcapio_next(r, &p, &err), 0);
  pcapio_close_read(r);
  remove(path.c_str());
}

TEST(PcapTruncate, FileTruncatedWhileReadEndsWithOneLine) {
  const uint32_t rec = 1500, stride = 16 + rec;
  // Records well past the first two buffer loads, so the cut lands in bytes not yet read.
  const size_t n = 3 * PCAP_MAP_BUF / stride + 1, cut_after = 2 * PCAP_MAP_BUF / stride;
  const std::string path = tmp_path("shrink.pcap");
  write_file(path, make_pcap(std::vector<uint32_t>(n, rec)));
  pcapio_err err{};
  pcapio_reader *r = pcapio_open_read(path.c_str(), &err);
  ASSERT_NE(r, nullptr) << err.msg;
  pcapio_packet p;
  ASSERT_EQ(pcapio_next(r, &p, &err), 1);
  // Another writer cuts the capture 700 data bytes into record cut_after + 1.
  ASSERT_EQ(truncate(path.c_str(), static_cast<off_t>(24 + cut_after * stride + 16 + 700)), 0);
  for (size_t i = 1; i < cut_after; i++) {
    ASSERT_EQ(pcapio_next(r, &p, &err), 1) << "record " << i + 1 << ": " << err.msg;
    ASSERT_TRUE(record_ok(p, i, rec)) << "record " << i + 1;
  }
  EXPECT_EQ(pcapio_next(r, &p, &err), -1);
  EXPECT_EQ(std::string(err.msg), path + ": packet " + std::to_string(cut_after + 1) +
                                      ": truncated dump file; tried to read 1500 captured "
                                      "bytes, only got 700");
  pcapio_close_read(r);
  remove(path.c_str());
}
