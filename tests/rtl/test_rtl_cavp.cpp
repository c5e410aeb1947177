// All IV-96 NIST CAVP GCM vectors for AES-128 and AES-256 (Debian python3-cryptography-vectors)
// through the 1-, 2-, 3- and 4-lane Verilated cores (keys installed through the core's own key setup) (vectors taken by the lanes in turn), encrypt and decrypt including FAIL records. Counts taken
// with awk over the files: 2625 IV-96 vectors per file (of 7875); FAIL records among them:
// Decrypt128 1363, Decrypt256 1317.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

extern "C" {
#include "ipsec_engine/cavp.h"
#include "ipsec_engine/gcm_engine_rtl.h"
}

static const std::string kDir = "/usr/lib/python3/dist-packages/cryptography_vectors/ciphers/AES/GCM/";

struct FileCase {
  const char *name;
  cavp_mode mode;
  size_t iv96, fail_records;
};

class RtlCavp : public ::testing::TestWithParam<std::tuple<FileCase, unsigned>> {};

TEST_P(RtlCavp, AllIv96VectorsThroughTheCore) {
  const FileCase fc = std::get<0>(GetParam());
  const unsigned lanes = std::get<1>(GetParam());
  char err[512];
  cavp_file *f = cavp_load((kDir + fc.name).c_str(), err, sizeof err);
  ASSERT_NE(f, nullptr) << err;
  ASSERT_EQ(f->n, 7875u);
  gcm_engine e{};
  ASSERT_TRUE(gcm_engine_rtl_open(&e, lanes, nullptr, err, sizeof err)) << err;
  const cavp_result r = cavp_run(f, &e);
  EXPECT_EQ(r.passed, fc.iv96);
  EXPECT_EQ(r.failed, 0u) << "first failure at line " << r.first_failed_line;
  EXPECT_EQ(r.skipped, 7875u - fc.iv96);
  EXPECT_EQ(r.fail_records, fc.fail_records);
  EXPECT_FALSE(r.engine_error);
  gcm_engine_rtl_close(&e);
  cavp_free(f);
}

INSTANTIATE_TEST_SUITE_P(Nist, RtlCavp,
                         ::testing::Combine(::testing::Values(FileCase{"gcmEncryptExtIV128.rsp", CAVP_ENCRYPT, 2625, 0},
                                                              FileCase{"gcmEncryptExtIV256.rsp", CAVP_ENCRYPT, 2625, 0},
                                                              FileCase{"gcmDecrypt128.rsp", CAVP_DECRYPT, 2625, 1363},
                                                              FileCase{"gcmDecrypt256.rsp", CAVP_DECRYPT, 2625, 1317}),
                                            ::testing::Values(1u, 2u, 3u, 4u)));

// The 192-bit files are skipped whole: the core has AES-128 and AES-256 only.
TEST(RtlCavp, Aes192IsSkippedNotFailed) {
  char err[512];
  cavp_file *f = cavp_load((kDir + "gcmEncryptExtIV192.rsp").c_str(), err, sizeof err);
  ASSERT_NE(f, nullptr) << err;
  gcm_engine e{};
  ASSERT_TRUE(gcm_engine_rtl_open(&e, 1, nullptr, err, sizeof err)) << err;
  const cavp_result r = cavp_run(f, &e);
  EXPECT_EQ(r.passed, 0u);
  EXPECT_EQ(r.failed, 0u);
  EXPECT_EQ(r.skipped, 7875u);
  gcm_engine_rtl_close(&e);
  cavp_free(f);
}
