// cfg_load_file_pruned: only the subtrees its paths name are kept ("*" any key), the rest is
// parsed (syntax errors still fail) but neither stored nor counted: a file far past the whole-
// file input limit and CFG_MAX_NODES loads when what is kept is small.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <unistd.h>

extern "C" {
#include "model/cfg.h"
}

namespace {

struct TmpFile {
  std::string path;
  explicit TmpFile(const std::string &text) {
    char p[] = "/tmp/cfg_pruned_XXXXXX";
    const int fd = mkstemp(p);
    EXPECT_GE(fd, 0);
    path = p;
    EXPECT_EQ(write(fd, text.data(), text.size()), (ssize_t)text.size());
    close(fd);
  }
  ~TmpFile() { unlink(path.c_str()); }
};

const char *scalar(const cfg_node *n) { return n && n->kind == CFG_SCALAR ? n->value : nullptr; }

TEST(CfgPruned, KeepsOnlyTheNamedPathsWithWildcards) {
  TmpFile f("{\"ports\": [{\"port\": \"et-0/0/0\"}, {\"port\": \"et-0/0/1\"}],\n"
            " \"stats\": {\"sa\": {\"r1\": {\"t.0\": {\"in\": {\"rx\": {\"value\": 7, \"unit\": \"packets\"}}}},\n"
            "                    \"r2\": {\"t.0\": {\"in\": {\"rx\": {\"value\": 9, \"unit\": \"packets\"}}}}},\n"
            "           \"run\": {\"end_ns\": {\"value\": 1500, \"desc\": \"end\"}, \"sent\": {\"value\": 3}}},\n"
            " \"flow\": [1, 2, 3]}\n");
  const char *const sa[] = {"stats", "sa", "r1", "*", "*", "*", "value", nullptr};
  const char *const end[] = {"stats", "run", "end_ns", "value", nullptr};
  const char *const ports[] = {"ports", nullptr};
  const char *const *const keep[] = {sa, end, ports, nullptr};
  cfg_err err{};
  cfg_doc *d = cfg_load_file_pruned(f.path.c_str(), keep, &err);
  ASSERT_NE(d, nullptr) << err.msg;
  const cfg_node *r = cfg_root(d);
  ASSERT_EQ(r->kind, CFG_MAP);
  EXPECT_EQ(r->n, 2u); // ports, stats (flow gone)
  const cfg_node *p = cfg_get(r, "ports");
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->n, 2u); // a sequence is kept whole
  EXPECT_STREQ(scalar(cfg_get(p->items[1], "port")), "et-0/0/1");
  const cfg_node *st = cfg_get(r, "stats");
  const cfg_node *rx = cfg_get(cfg_get(cfg_get(cfg_get(cfg_get(st, "sa"), "r1"), "t.0"), "in"), "rx");
  ASSERT_NE(rx, nullptr);
  EXPECT_EQ(rx->n, 1u); // unit dropped
  EXPECT_STREQ(scalar(cfg_get(rx, "value")), "7");
  EXPECT_EQ(cfg_get(cfg_get(st, "sa"), "r2"), nullptr);
  const cfg_node *run = cfg_get(st, "run");
  EXPECT_EQ(run->n, 1u); // sent dropped
  EXPECT_STREQ(scalar(cfg_get(cfg_get(run, "end_ns"), "value")), "1500");
  EXPECT_EQ(cfg_get(cfg_get(run, "end_ns"), "desc"), nullptr);
  cfg_free(d);
}

// 1.2 M skipped scalars (past CFG_MAX_NODES) and ~20 MB (past the 16 MiB whole-file limit).
TEST(CfgPruned, SkippedPartsAreNotCountedOrBounded) {
  std::string t = "{\"keep\": {\"value\": 1}, \"big\": [";
  for (int i = 0; i < 1200000; i++) t += i ? ", \"xxxxxxxxxxxxx\"" : "\"x\"";
  t += "]}\n";
  ASSERT_GT(t.size(), 16u << 20);
  TmpFile f(t);
  const char *const k[] = {"keep", nullptr};
  const char *const *const keep[] = {k, nullptr};
  cfg_err err{};
  cfg_doc *d = cfg_load_file_pruned(f.path.c_str(), keep, &err);
  ASSERT_NE(d, nullptr) << err.msg;
  EXPECT_STREQ(scalar(cfg_get(cfg_get(cfg_root(d), "keep"), "value")), "1");
  EXPECT_EQ(cfg_get(cfg_root(d), "big"), nullptr);
  cfg_free(d);
  // the same document whole is refused (the node limit)
  cfg_doc *w = cfg_load_buffer("w.yaml", t.data(), t.size(), &err);
  EXPECT_EQ(w, nullptr);
  EXPECT_NE(std::string(err.msg).find("more than 1000000 nodes"), std::string::npos) << err.msg;
}

TEST(CfgPruned, ErrorsInSkippedPartsStillFailAndMissingFilesAreNamed) {
  TmpFile f("{\"keep\": 1, \"skip\": {\"a\": [1, 2}\n");
  const char *const k[] = {"keep", nullptr};
  const char *const *const keep[] = {k, nullptr};
  cfg_err err{};
  EXPECT_EQ(cfg_load_file_pruned(f.path.c_str(), keep, &err), nullptr);
  EXPECT_NE(std::string(err.msg).find("YAML syntax error"), std::string::npos) << err.msg;
  EXPECT_EQ(cfg_load_file_pruned("/nonexistent/report.json", keep, &err), nullptr);
  EXPECT_STREQ(err.msg, "/nonexistent/report.json: cannot open file (No such file or directory)");
  EXPECT_EQ(cfg_load_file_pruned("/tmp", keep, &err), nullptr);
  EXPECT_STREQ(err.msg, "/tmp: cannot read file (Is a directory)");
}

// Skipped containers count for depth: a deep skipped part fails at 64 levels (libyaml's own
// stacks would otherwise grow with a hostile file's nesting).
TEST(CfgPruned, DepthLimitHoldsInSkippedParts) {
  std::string t = "{\"keep\": 1, \"skip\": " + std::string(100, '[') + std::string(100, ']') + "}\n";
  const char *const k[] = {"keep", nullptr};
  const char *const *const keep[] = {k, nullptr};
  FILE *fp = fmemopen(t.data(), t.size(), "r");
  ASSERT_NE(fp, nullptr);
  cfg_err err{};
  EXPECT_EQ(cfg_load_stream_pruned("deep.json", fp, keep, &err), nullptr);
  fclose(fp);
  EXPECT_NE(std::string(err.msg).find("nesting deeper than 64 levels"), std::string::npos) << err.msg;
  std::string ok = "{\"keep\": 1, \"skip\": " + std::string(60, '[') + std::string(60, ']') + "}\n";
  fp = fmemopen(ok.data(), ok.size(), "r");
  cfg_doc *d = cfg_load_stream_pruned("ok.json", fp, keep, &err);
  fclose(fp);
  ASSERT_NE(d, nullptr) << err.msg;
  EXPECT_STREQ(scalar(cfg_get(cfg_root(d), "keep")), "1");
  cfg_free(d);
}

// Keys of skipped values give their arena bytes back; an alias key or an anchored key does not
// (nothing of the kept tree may be released with it).
TEST(CfgPruned, SkippedKeysFreeTheirBytesKeptNodesStay) {
  std::string t = "{k: &a 1, *a : 5, keep: {x: 1}, &b drop: 2, y: *a, keep2: 3}\n";
  const char *const k1[] = {"keep", nullptr}, *const k2[] = {"keep2", nullptr}, *const k3[] = {"k", nullptr};
  const char *const *const keep[] = {k1, k2, k3, nullptr};
  FILE *fp = fmemopen(t.data(), t.size(), "r");
  cfg_err err{};
  cfg_doc *d = cfg_load_stream_pruned("a.yaml", fp, keep, &err);
  fclose(fp);
  ASSERT_NE(d, nullptr) << err.msg;
  const cfg_node *r = cfg_root(d);
  EXPECT_EQ(r->n, 3u);
  EXPECT_STREQ(scalar(cfg_get(r, "k")), "1");
  EXPECT_STREQ(scalar(cfg_get(cfg_get(r, "keep"), "x")), "1");
  EXPECT_STREQ(scalar(cfg_get(r, "keep2")), "3");
  cfg_free(d);
  // many skipped keys: the tree stays as small as what is kept (run under ASan: no reuse bug)
  std::string big = "{";
  for (int i = 0; i < 200000; i++) big += "k" + std::to_string(i) + ": " + std::to_string(i) + ", ";
  big += "keep: {x: 7}}\n";
  fp = fmemopen(big.data(), big.size(), "r");
  d = cfg_load_stream_pruned("big.yaml", fp, keep, &err);
  fclose(fp);
  ASSERT_NE(d, nullptr) << err.msg;
  EXPECT_EQ(cfg_root(d)->n, 1u);
  EXPECT_STREQ(scalar(cfg_get(cfg_get(cfg_root(d), "keep"), "x")), "7");
  cfg_free(d);
}

}  // namespace
