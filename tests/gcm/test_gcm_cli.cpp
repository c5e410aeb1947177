// `ipsecsim gcm` end to end: summary line, exit codes, a one-bit tag flip, unusable files.
#include <gtest/gtest.h>

#include <cctype>
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

// Copy a file and flip the lowest bit of the first tag digit of its first IV-96 record that
// is not a FAIL record (so the record must now fail, whichever engine runs it).
static std::string flipped_copy(const std::string &name) {
  std::ifstream in(kDir + name);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  size_t count = text.find("Count = ", text.find("[IVlen = 96]"));
  for (;;) {
    const size_t next = text.find("Count = ", count + 1);
    const size_t fail = text.find("FAIL", count);
    if (fail == std::string::npos || fail > next) break;
    count = next;
  }
  const size_t pos = text.find("Tag = ", count) + 6;  // first hex digit of the tag
  const std::string digits = "0123456789abcdef";
  const size_t v = digits.find((char)std::tolower((unsigned char)text[pos]));
  EXPECT_NE(v, std::string::npos);
  text[pos] = digits[v ^ 1];
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
