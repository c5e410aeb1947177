// The C API of the Verilated core (gcm_rtl.h) as `ipsecsim gcm --engine rtl` uses it:
// results against OpenSSL (gcm.h), cycles against gcm_timing.h, refused inputs, and the
// waveform option (written only in -DIPSECSIM_RTL_TRACE=ON builds).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "gcm_rtl.h"
#include "ipsec_engine/gcm.h"
#include "ipsec_engine/gcm_engine_rtl.h"
#include "ipsec_engine/gcm_timing.h"
}

TEST(RtlApi, CryptMatchesOpenSslAndTheContract) {
  gcm_rtl *r = gcm_rtl_new(1, nullptr);
  ASSERT_NE(r, nullptr);
  uint8_t key[32], iv[12] = {1, 2, 3}, aad[12] = {9}, pt[100], ct[100], back[100], tag[16], etag[16];
  for (int i = 0; i < 32; i++) key[i] = (uint8_t)(i * 7 + 1);
  for (int i = 0; i < 100; i++) pt[i] = (uint8_t)i;
  for (size_t kl : {16, 32}) {
    uint64_t cycles = 0;
    ASSERT_TRUE(gcm_rtl_crypt(r, key, kl, iv, aad, 12, pt, 100, ct, tag, false, nullptr, 0, nullptr, &cycles));
    EXPECT_EQ(cycles, gcm_latency_cycles(12, 100, 8 * (unsigned)kl));
    gcm_ctx *c = gcm_new(key, kl);
    uint8_t oct[100], otag[16];
    ASSERT_TRUE(gcm_encrypt(c, iv, aad, 12, pt, 100, oct, otag));
    gcm_free(c);
    EXPECT_EQ(0, std::memcmp(ct, oct, 100));
    EXPECT_EQ(0, std::memcmp(tag, otag, 16));
    bool match = false;
    ASSERT_TRUE(gcm_rtl_crypt(r, key, kl, iv, aad, 12, ct, 100, back, etag, true, otag, 16, &match, nullptr));
    EXPECT_TRUE(match);
    EXPECT_EQ(0, std::memcmp(back, pt, 100));
    otag[15] ^= 1;  // outside the first 12 bytes: a 12-byte compare still matches
    ASSERT_TRUE(gcm_rtl_crypt(r, key, kl, iv, aad, 12, ct, 100, back, etag, true, otag, 12, &match, nullptr));
    EXPECT_TRUE(match);
    ASSERT_TRUE(gcm_rtl_crypt(r, key, kl, iv, aad, 12, ct, 100, back, etag, true, otag, 16, &match, nullptr));
    EXPECT_FALSE(match);
  }
  EXPECT_FALSE(gcm_rtl_crypt(r, key, 24, iv, aad, 12, pt, 100, ct, tag, false, nullptr, 0, nullptr, nullptr));
  EXPECT_FALSE(gcm_rtl_crypt(r, key, 16, iv, aad, 12, pt, 100, ct, tag, true, tag, 0, nullptr, nullptr));
  EXPECT_GT(gcm_rtl_cycles(r), 0u);
  gcm_rtl_free(r);
  EXPECT_EQ(gcm_rtl_new(5, nullptr), nullptr);  // built: 1, 2, 3, 4 lanes
  EXPECT_EQ(gcm_rtl_new(0, nullptr), nullptr);  // the fault build is not reachable from C
}

TEST(RtlApi, WaveformOnlyInTraceBuilds) {
  const std::string path = std::string(IPSECSIM_BINARY_DIR) + "/tests/rtl/rtl_api_trace.fst";
  std::remove(path.c_str());
  gcm_engine e{};
  char err[256] = "";
  const bool opened = gcm_engine_rtl_open(&e, 1, path.c_str(), err, sizeof err);
  EXPECT_EQ(opened, gcm_rtl_trace_available()) << err;
  if (!opened) {
    EXPECT_NE(std::string(err).find("IPSECSIM_RTL_TRACE"), std::string::npos) << err;
    return;
  }
  uint8_t key[16] = {1}, iv[12] = {}, tag[16];
  ASSERT_TRUE(e.encrypt(e.state, key, 16, iv, nullptr, 0, nullptr, 0, nullptr, tag));
  gcm_engine_rtl_close(&e);
  FILE *f = std::fopen(path.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  std::fseek(f, 0, SEEK_END);
  EXPECT_GT(std::ftell(f), 100);
  std::fclose(f);
}
