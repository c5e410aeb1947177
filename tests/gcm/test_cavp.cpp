// All IV-96 vectors of the four CAVP GCM files shipped by Debian's python3-cryptography-vectors
// through both GCM paths. Counts were taken with awk over the files, not from our parser:
// 2625 IV-96 vectors per file; FAIL records among them: Decrypt128 1363, Decrypt256 1317.
#include <gtest/gtest.h>

#include "test_paths.h"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <string>

extern "C" {
#include "ipsec_engine/cavp.h"
}

static const std::string kDir = "/usr/lib/python3/dist-packages/cryptography_vectors/ciphers/AES/GCM/";

struct FileCase {
  const char *name;
  cavp_mode mode;
  size_t total, fail_records;
};

class Cavp : public ::testing::TestWithParam<FileCase> {};

TEST_P(Cavp, AllIv96VectorsPassBothEngines) {
  const FileCase fc = GetParam();
  char err[512];
  cavp_file *f = cavp_load((kDir + fc.name).c_str(), err, sizeof err);
  ASSERT_NE(f, nullptr) << err;
  EXPECT_EQ(f->mode, fc.mode);
  EXPECT_EQ(f->n, 7875u);  // 525 sections x 15, all IV lengths
  for (const gcm_engine &e : {gcm_engine_openssl(), gcm_engine_ref()}) {
    const cavp_result r = cavp_run(f, &e);
    EXPECT_EQ(r.passed, fc.total) << e.name;
    EXPECT_EQ(r.failed, 0u) << e.name << " first failure at line " << r.first_failed_line;
    EXPECT_EQ(r.skipped, 7875u - fc.total) << e.name;
    EXPECT_EQ(r.fail_records, fc.fail_records) << e.name;
    EXPECT_FALSE(r.engine_error);
  }
  cavp_free(f);
}

INSTANTIATE_TEST_SUITE_P(Nist, Cavp,
                         ::testing::Values(FileCase{"gcmEncryptExtIV128.rsp", CAVP_ENCRYPT, 2625, 0},
                                           FileCase{"gcmEncryptExtIV256.rsp", CAVP_ENCRYPT, 2625, 0},
                                           FileCase{"gcmDecrypt128.rsp", CAVP_DECRYPT, 2625, 1363},
                                           FileCase{"gcmDecrypt256.rsp", CAVP_DECRYPT, 2625, 1317}));

static std::string write_tmp(const std::string &name, const std::string &text) {
  const std::string dir = test_work_path("gcm/cavp_work");
  mkdir(dir.c_str(), 0777);
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

static std::string load_error(const std::string &name, const std::string &text) {
  char err[512] = "";
  const std::string path = write_tmp(name, text);
  cavp_file *f = cavp_load(path.c_str(), err, sizeof err);
  EXPECT_EQ(f, nullptr);
  cavp_free(f);
  std::string e(err);
  EXPECT_EQ(e.find('\n'), std::string::npos);
  return e.substr(e.rfind('/') + 1);  // drop the directory
}

static const char *kHeader = "[Keylen = 128]\n[IVlen = 96]\n[PTlen = 0]\n[AADlen = 0]\n[Taglen = 128]\n\n";

TEST(CavpErrors, OneLineMessages) {
  EXPECT_EQ(load_error("empty.rsp", ""), "empty.rsp:1: file: empty file");
  EXPECT_EQ(load_error("comments.rsp", "# only comments\n\n"), "comments.rsp:1: file: no GCM test vectors found");
  EXPECT_EQ(load_error("garbage.rsp", "hello world\n"), "garbage.rsp:1: line: expected 'Name = value', got 'hello world'");
  EXPECT_EQ(load_error("binary.rsp", std::string("ab\0cd", 5)), "binary.rsp:1: file: binary data (NUL bytes), not a CAVP .rsp file");
  EXPECT_EQ(load_error("nosect.rsp", "Count = 0\n"), "nosect.rsp:1: Keylen: record before its [Keylen = ...] section header");
  EXPECT_EQ(load_error("badhex.rsp", std::string(kHeader) + "Count = 0\nKey = zz\n"), "badhex.rsp:8: Key: not a hex string (allowed: 0-9 a-f A-F)");
  EXPECT_EQ(load_error("odd.rsp", std::string(kHeader) + "Count = 0\nKey = abc\n"), "odd.rsp:8: Key: odd number of hex digits (3)");
  EXPECT_EQ(load_error("field.rsp", std::string(kHeader) + "Count = 0\nKye = 00\n"), "field.rsp:8: Kye: unknown field (allowed: Count, Key, IV, PT, AAD, CT, Tag, FAIL)");
  EXPECT_EQ(load_error("short.rsp", std::string(kHeader) + "Count = 0\nKey = 00112233445566778899aabbccddeeff\nIV = 000000000000000000000000\nPT = \nAAD = \nCT = \n"),
            "short.rsp:7: Count: record lacks Key, IV, AAD or Tag");
  EXPECT_EQ(load_error("keylen.rsp", std::string(kHeader) + "Count = 0\nKey = 0011\nIV = 000000000000000000000000\nPT = \nAAD = \nCT = \nTag = 00112233445566778899aabbccddeeff\n"),
            "keylen.rsp:7: Key: 16 bits, section says Keylen = 128");
  char err[256];
  EXPECT_EQ(cavp_load("/nonexistent/x.rsp", err, sizeof err), nullptr);
  EXPECT_EQ(std::string(err), "/nonexistent/x.rsp: cannot open file (No such file or directory)");
}

TEST(CavpBits, ComparesOnlyTheFirstBits) {
  const uint8_t a[2] = {0xab, 0xcf}, b[2] = {0xab, 0xc0};
  EXPECT_TRUE(cavp_bits_equal(a, b, 12));
  EXPECT_FALSE(cavp_bits_equal(a, b, 13));
  EXPECT_TRUE(cavp_bits_equal(a, b, 8));
}
