// model/out_file: an output is never an input (links and spellings included), is written to a
// temporary and renamed on success, is 0600 when it holds key material, and fails with one
// line naming the file and the errno text.
#include <dirent.h>
#include <gtest/gtest.h>

#include "test_paths.h"
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

extern "C" {
#include "model/out_file.h"
}

namespace {

const std::string kDir = test_work_path("model/out_file_work");

std::string p(const std::string &name) { return kDir + "/" + name; }
void spit(const std::string &path, const std::string &data) { std::ofstream(path, std::ios::binary) << data; }
std::string slurp(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}
bool exists(const std::string &path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}
unsigned mode_of(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? (unsigned)(st.st_mode & 0777) : 01000;
}
size_t entries(const std::string &dir) {  // files in dir, "." and ".." excluded
  size_t n = 0;
  if (DIR *d = opendir(dir.c_str())) {
    while (dirent *e = readdir(d)) n += std::string(e->d_name) != "." && std::string(e->d_name) != "..";
    closedir(d);
  }
  return n;
}

class OutFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::system(("rm -rf " + kDir + " && mkdir -p " + kDir + "/sub").c_str());
    spit(p("in.pcap"), "input bytes");
  }
};

TEST_F(OutFile, SameFileByInodeLinksAndSpellings) {
  ASSERT_EQ(symlink("in.pcap", p("soft.pcap").c_str()), 0);
  ASSERT_EQ(link(p("in.pcap").c_str(), p("hard.pcap").c_str()), 0);
  EXPECT_TRUE(out_same_file(p("in.pcap").c_str(), p("soft.pcap").c_str()));
  EXPECT_TRUE(out_same_file(p("in.pcap").c_str(), p("hard.pcap").c_str()));
  EXPECT_TRUE(out_same_file(p("in.pcap").c_str(), (kDir + "/./sub/../in.pcap").c_str()));
  EXPECT_TRUE(out_same_file(p("new.pcap").c_str(), (kDir + "/sub/../new.pcap").c_str()));  // neither exists yet
  EXPECT_FALSE(out_same_file(p("in.pcap").c_str(), p("new.pcap").c_str()));
  EXPECT_FALSE(out_same_file(p("a.pcap").c_str(), p("b.pcap").c_str()));
  EXPECT_FALSE(out_same_file("/dev/null", "/dev/null"));  // devices destroy nothing
}

TEST_F(OutFile, CheckDistinctNamesBothEntries) {
  const std::string spelled = kDir + "/sub/../in.pcap";
  const out_role outs[] = {{"--out", spelled.c_str()}, {"--vectors", nullptr}};
  const std::string in = p("in.pcap");
  const out_role ins[] = {{"--in", in.c_str()}, {"--sa", nullptr}};
  char err[1024];
  EXPECT_FALSE(out_check_distinct(outs, 2, ins, 2, err, sizeof err));
  EXPECT_EQ(std::string(err), "--out " + spelled + ": is the same file as --in " + in +
                                  " (allowed: an output that is none of the inputs and no other output)");
  const std::string o = p("o.pcap");
  const out_role two[] = {{"--out", o.c_str()}, {"--exceptions", o.c_str()}};
  EXPECT_FALSE(out_check_distinct(two, 2, ins, 2, err, sizeof err));
  EXPECT_EQ(std::string(err), "--exceptions " + o + ": is the same file as --out " + o +
                                  " (allowed: an output that is none of the inputs and no other output)");
  const out_role fine[] = {{"--out", o.c_str()}};
  EXPECT_TRUE(out_check_distinct(fine, 1, ins, 2, err, sizeof err));
}

TEST_F(OutFile, FinalNameAppearsOnlyOnCommit) {
  spit(p("o.txt"), "old");
  out_file o;
  char err[512];
  ASSERT_TRUE(out_begin(&o, p("o.txt").c_str(), OUT_MODE_NORMAL, err, sizeof err)) << err;
  std::fputs("new contents", o.fp);
  std::fflush(o.fp);
  EXPECT_EQ(slurp(p("o.txt")), "old");  // untouched while writing
  EXPECT_EQ(std::string(o.write_path).rfind(kDir + "/.o.txt.tmp-", 0), 0u) << o.write_path;
  ASSERT_TRUE(out_commit(&o, err, sizeof err)) << err;
  EXPECT_EQ(slurp(p("o.txt")), "new contents");
  EXPECT_EQ(entries(kDir), 3u);  // in.pcap, sub, o.txt: no temporary left
}

TEST_F(OutFile, AbortLeavesTheOldFileAndNoTemporary) {
  spit(p("o.txt"), "old");
  out_file o;
  char err[512];
  ASSERT_TRUE(out_begin(&o, p("o.txt").c_str(), OUT_MODE_NORMAL, err, sizeof err));
  std::fputs("half", o.fp);
  out_abort(&o);
  EXPECT_EQ(slurp(p("o.txt")), "old");
  EXPECT_EQ(entries(kDir), 3u);
  ASSERT_TRUE(out_begin(&o, p("fresh.txt").c_str(), OUT_MODE_NORMAL, err, sizeof err));
  out_abort(&o);
  EXPECT_FALSE(exists(p("fresh.txt")));
}

TEST_F(OutFile, ModesSecretAndNormal) {
  const mode_t old = umask(022);
  out_file o;
  char err[512];
  ASSERT_TRUE(out_begin(&o, p("vectors.jsonl").c_str(), OUT_MODE_SECRET, err, sizeof err));
  ASSERT_TRUE(out_commit(&o, err, sizeof err));
  EXPECT_EQ(mode_of(p("vectors.jsonl")), 0600u);
  spit(p("was_public.jsonl"), "x");
  chmod(p("was_public.jsonl").c_str(), 0644);
  ASSERT_TRUE(out_begin(&o, p("was_public.jsonl").c_str(), OUT_MODE_SECRET, err, sizeof err));
  ASSERT_TRUE(out_commit(&o, err, sizeof err));
  EXPECT_EQ(mode_of(p("was_public.jsonl")), 0600u);  // an old world-readable file is replaced
  ASSERT_TRUE(out_begin(&o, p("report.json").c_str(), OUT_MODE_NORMAL, err, sizeof err));
  ASSERT_TRUE(out_commit(&o, err, sizeof err));
  EXPECT_EQ(mode_of(p("report.json")), 0644u);  // 0666 less the umask, as fopen
  umask(old);
}

TEST_F(OutFile, SymlinkOutputKeepsTheLink) {
  spit(p("sub/target.txt"), "old");
  ASSERT_EQ(symlink("sub/target.txt", p("link.txt").c_str()), 0);
  out_file o;
  char err[512];
  ASSERT_TRUE(out_begin(&o, p("link.txt").c_str(), OUT_MODE_NORMAL, err, sizeof err));
  std::fputs("via link", o.fp);
  ASSERT_TRUE(out_commit(&o, err, sizeof err));
  struct stat st;
  ASSERT_EQ(lstat(p("link.txt").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_EQ(slurp(p("sub/target.txt")), "via link");
}

TEST_F(OutFile, DevicesAreWrittenInPlaceAndFullIsAnError) {
  out_file o;
  char err[512];
  ASSERT_TRUE(out_begin(&o, "/dev/null", OUT_MODE_SECRET, err, sizeof err));
  EXPECT_STREQ(o.write_path, "/dev/null");
  std::fputs("gone", o.fp);
  EXPECT_TRUE(out_commit(&o, err, sizeof err)) << err;
  ASSERT_TRUE(out_begin(&o, "/dev/full", OUT_MODE_NORMAL, err, sizeof err));
  std::fputs("no room", o.fp);
  EXPECT_FALSE(out_commit(&o, err, sizeof err));
  EXPECT_STREQ(err, "/dev/full: cannot write (No space left on device)");
}

TEST_F(OutFile, OpenErrorsNameTheFinalPath) {
  out_file o;
  char err[1024];
  EXPECT_FALSE(out_begin(&o, p("nodir/o.pcap").c_str(), OUT_MODE_NORMAL, err, sizeof err));
  EXPECT_EQ(std::string(err), p("nodir/o.pcap") + ": cannot open for writing (No such file or directory)");
  EXPECT_FALSE(out_begin(&o, p("sub").c_str(), OUT_MODE_NORMAL, err, sizeof err));
  EXPECT_EQ(std::string(err), p("sub") + ": cannot open for writing (Is a directory)");
}

TEST_F(OutFile, FixMessageNamesTheFinalPathAndAddsErrno) {
  out_file o;
  char err[512];
  ASSERT_TRUE(out_begin(&o, p("o.pcap").c_str(), OUT_MODE_NORMAL, err, sizeof err));
  char msg[OUT_PATH_MAX + 64];
  std::snprintf(msg, sizeof msg, "%s: write failed", o.write_path);
  out_fix_message(&o, msg, sizeof msg, ENOSPC);
  EXPECT_EQ(std::string(msg), p("o.pcap") + ": write failed (No space left on device)");
  out_fix_message(&o, msg, sizeof msg, ENOSPC);  // the errno text only once
  EXPECT_EQ(std::string(msg), p("o.pcap") + ": write failed (No space left on device)");
  out_abort(&o);
}

}  // namespace
