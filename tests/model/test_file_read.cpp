// model/file_read: bounded whole-file reads of regular files, devices and pipes; the limit and
// its environment variable; exact error lines.
#include <fcntl.h>
#include <gtest/gtest.h>

#include "test_paths.h"
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

extern "C" {
#include "model/file_read.h"
}

namespace {

const std::string kDir = test_work_path("model/file_read_work");

struct Env {  // sets IPSECSIM_MAX_INPUT for one test, restores "unset" after
  explicit Env(const char *v) { setenv(FILE_READ_ENV, v, 1); }
  ~Env() { unsetenv(FILE_READ_ENV); }
};

std::string make_file(const std::string &name, const std::string &data) {
  mkdir(kDir.c_str(), 0777);
  const std::string p = kDir + "/" + name;
  std::ofstream(p, std::ios::binary) << data;
  return p;
}

struct Read {
  bool ok;
  std::string text, err;
};

Read read_all(const std::string &path) {
  char *text = nullptr, err[512] = "";
  size_t len = 0;
  const bool ok = file_read_all(path.c_str(), &text, &len, err, sizeof err);
  Read r{ok, ok ? std::string(text, len) : "", err};
  if (ok) {
    EXPECT_EQ(text[len], '\0');  // NUL-terminated for text parsers
  }
  std::free(text);
  return r;
}

std::string too_large(const std::string &path, const std::string &limit_text, uint64_t limit) {
  return path + ": input size: larger than the limit of " + limit_text + " (allowed: up to " + std::to_string(limit) +
         " bytes; raise it with IPSECSIM_MAX_INPUT=SIZE, e.g. IPSECSIM_MAX_INPUT=64MiB)";
}

TEST(FileReadSize, ParsesBytesAndBinarySuffixes) {
  uint64_t v = 0;
  EXPECT_TRUE(file_read_parse_size("4096", &v));
  EXPECT_EQ(v, 4096u);
  EXPECT_TRUE(file_read_parse_size("64MiB", &v));
  EXPECT_EQ(v, 64u << 20);
  EXPECT_TRUE(file_read_parse_size("2G", &v));
  EXPECT_EQ(v, 2ull << 30);
  EXPECT_TRUE(file_read_parse_size("1TiB", &v));
  EXPECT_EQ(v, 1ull << 40);
  EXPECT_TRUE(file_read_parse_size("1", &v));
  EXPECT_EQ(v, 1u);
  for (const char *bad : {"", "0", "0MiB", "-1", "abc", "12XB", "1.5MiB", "1025GiB", "1099511627777",
                          "18446744073709551616", " 1", "1 MiB"})
    EXPECT_FALSE(file_read_parse_size(bad, &v)) << bad;
}

TEST(FileReadLimit, DefaultAndEnvironment) {
  unsetenv(FILE_READ_ENV);
  uint64_t limit = 0;
  char err[256] = "";
  ASSERT_TRUE(file_read_limit(&limit, err, sizeof err));
  EXPECT_EQ(limit, 16u << 20);
  {
    Env e("64MiB");
    ASSERT_TRUE(file_read_limit(&limit, err, sizeof err));
    EXPECT_EQ(limit, 64u << 20);
  }
  Env e("lots");
  EXPECT_FALSE(file_read_limit(&limit, err, sizeof err));
  EXPECT_STREQ(err, "IPSECSIM_MAX_INPUT: 'lots' is not a size (allowed: 1..1099511627776 bytes, optional suffix KiB, MiB, GiB, TiB)");
  const Read r = read_all(make_file("any.txt", "x"));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.err, err);
}

TEST(FileRead, RegularFileUpToTheLimitExactly) {
  Env e("100");
  const std::string data(100, 'a');
  Read r = read_all(make_file("hundred.txt", data));
  ASSERT_TRUE(r.ok) << r.err;
  EXPECT_EQ(r.text, data);
  const std::string p = make_file("hundred_one.txt", data + "b");
  r = read_all(p);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.err, too_large(p, "100 bytes", 100));
  r = read_all(make_file("empty.txt", ""));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.text, "");
  r = read_all(make_file("nul.txt", std::string("a\0b", 3)));  // NUL bytes kept for the caller to judge
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.text, std::string("a\0b", 3));
}

TEST(FileRead, DevZeroStopsOneByteAfterTheLimit) {
  Read r = read_all("/dev/zero");  // the default limit: 16 MiB
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.err, too_large("/dev/zero", "16 MiB", 16u << 20));
  Env e("3KiB");
  r = read_all("/dev/zero");
  EXPECT_EQ(r.err, too_large("/dev/zero", "3 KiB", 3072));
}

TEST(FileRead, PipeWithinAndBeyondTheLimit) {
  Env e("1000");
  for (size_t n : {size_t(10), size_t(1000), size_t(1001), size_t(5000)}) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const std::string data(n, 'p');
    ASSERT_EQ(write(fds[1], data.data(), n), (ssize_t)n);  // fits the pipe buffer
    close(fds[1]);
    const std::string path = "/proc/self/fd/" + std::to_string(fds[0]);
    const Read r = read_all(path);
    close(fds[0]);
    if (n <= 1000) {
      ASSERT_TRUE(r.ok) << r.err;
      EXPECT_EQ(r.text, data);
    } else {
      EXPECT_FALSE(r.ok);
      EXPECT_EQ(r.err, too_large(path, "1000 bytes", 1000));
    }
  }
}

TEST(FileRead, MissingFileAndDirectory) {
  Read r = read_all("/nonexistent/x.yaml");
  EXPECT_EQ(r.err, "/nonexistent/x.yaml: cannot open file (No such file or directory)");
  mkdir(kDir.c_str(), 0777);
  r = read_all(kDir);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.err, kDir + ": cannot read file (Is a directory)");
}

}  // namespace
