// Hex helpers shared by the tests (on model/hexutil.h, so a bad literal fails the test).
#ifndef IPSECSIM_TESTS_TEST_HEX_H
#define IPSECSIM_TESTS_TEST_HEX_H

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

extern "C" {
#include "model/hexutil.h"
}

inline std::vector<uint8_t> unhex(const std::string &s) {
  std::vector<uint8_t> b(s.size() / 2 + 1);
  size_t n = 0;
  EXPECT_EQ(hex_decode(s.data(), s.size(), b.data(), b.size(), &n, nullptr), HEX_OK) << s;
  b.resize(n);
  return b;
}

inline std::string tohex(const uint8_t *p, size_t n) {
  static const char *d = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; i++) s += d[p[i] >> 4], s += d[p[i] & 15];
  return s;
}

#endif
