// `ipsecsim gcm` end to end: summary line, exit codes, a one-bit tag flip, unusable files.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_run.h"

static const std::string kDir = "/usr/lib/python3/dist-packages/cryptography_vectors/ciphers/AES/GCM/";
TEST(GcmCli, AllFourFilesBothEngines) {
  const std::string files = "--rsp " + kDir + "gcmEncryptExtIV128.rsp --rsp " + kDir + "gcmEncryptExtIV256.rsp --rsp " +
                            kDir + "gcmDecrypt128.rsp --rsp " + kDir + "gcmDecrypt256.rsp";
  for (const char *engine : {"openssl", "ref"}) {
    const CliResult r = run_ipsecsim("gcm " + files + " --engine " + engine);
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_EQ(last_line(r.out), "10500 passed, 0 failed, 21000 skipped") << r.out;
    EXPECT_NE(r.out.find("gcmDecrypt128.rsp: decrypt, engine " + std::string(engine) +
                         ": 2625 passed, 0 failed, 5250 skipped (1363 FAIL records checked as must-reject)"),
              std::string::npos) << r.out;
  }
}

// Copy a file and flip one bit of the tag of its first IV-96, non-FAIL record.
static std::string flipped_copy(const std::string &name) {
  std::ifstream in(kDir + name);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  size_t sect = text.find("[IVlen = 96]");
  size_t tag = text.find("Tag = ", sect);
  size_t pos = tag + 6;  // first hex digit of the tag
  const char c = text[pos];
  text[pos] = c == '0' ? '1' : (c == '1' ? '0' : (char)(c ^ 1));
  const std::string out = std::string(IPSECSIM_BINARY_DIR) + "/tests/gcm/flipped_" + name;
  std::ofstream(out, std::ios::binary) << text;
  return out;
}

TEST(GcmCli, OneFlippedTagBitIsExactlyOneFailure) {
  for (const char *name : {"gcmEncryptExtIV128.rsp", "gcmDecrypt256.rsp"}) {
    const std::string path = flipped_copy(name);
    for (const char *engine : {"openssl", "ref"}) {
      const CliResult r = run_ipsecsim("gcm --rsp " + path + " --engine " + engine);
      EXPECT_EQ(r.status, 1) << r.out;
      EXPECT_EQ(last_line(r.out), "2624 passed, 1 failed, 5250 skipped") << r.out;
    }
  }
}

TEST(GcmCli, UnusableInputExitsTwoWithOneLine) {
  const std::string empty = std::string(IPSECSIM_BINARY_DIR) + "/tests/gcm/cli_empty.rsp";
  std::ofstream(empty).close();
  CliResult r = run_ipsecsim("gcm --rsp " + empty);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, empty + ":1: file: empty file\n");
  const std::string garbage = std::string(IPSECSIM_BINARY_DIR) + "/tests/gcm/cli_garbage.rsp";
  std::ofstream(garbage) << "\x7f" "ELF garbage\n";
  r = run_ipsecsim("gcm --rsp " + garbage);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, garbage + ":1: line: expected 'Name = value', got '\x7f" "ELF garbage'\n");
  r = run_ipsecsim("gcm --rsp " + kDir + "gcmDecrypt128.rsp --engine fast");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "ipsecsim gcm: --engine: unknown engine (allowed: openssl, ref, rtl)");
  r = run_ipsecsim("gcm");
  EXPECT_EQ(r.status, 2);
}
