// YAML loader: tree shape and positions, aliases (shared, counted, bounded), one-line errors.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

extern "C" {
#include "model/cfg.h"
}

namespace {

const std::string kDataDir = std::string(IPSECSIM_SOURCE_DIR) + "/tests/data/cfg/";

struct Doc {
  cfg_doc *doc = nullptr;
  cfg_err err{};
  explicit Doc(const std::string &text, const char *name = "t.yaml") {
    err.msg[0] = '\0';
    doc = cfg_load_buffer(name, text.data(), text.size(), &err);
  }
  ~Doc() { cfg_free(doc); }
  const cfg_node *root() const { return cfg_root(doc); }
};

std::string load_file_error(const std::string &file) {
  cfg_err err{};
  cfg_doc *doc = cfg_load_file((kDataDir + file).c_str(), &err);
  EXPECT_EQ(doc, nullptr);
  cfg_free(doc);
  return err.msg;
}

TEST(CfgLoad, TreeShapeAndOneBasedPositions) {
  Doc d("engine:\n  clock: 1.2GHz\n  lanes: [1, \"2\"]\n");
  ASSERT_NE(d.doc, nullptr) << d.err.msg;
  const cfg_node *r = d.root();
  ASSERT_EQ(r->kind, CFG_MAP);
  EXPECT_EQ(r->line, 1u);
  EXPECT_EQ(r->col, 1u);
  ASSERT_EQ(r->n, 1u);
  EXPECT_STREQ(r->keys[0], "engine");
  const cfg_node *e = cfg_get(r, "engine");
  ASSERT_NE(e, nullptr);
  ASSERT_EQ(e->kind, CFG_MAP);
  ASSERT_EQ(e->n, 2u);
  EXPECT_EQ(e->key_nodes[0]->line, 2u);  // "clock" at line 2, column 3
  EXPECT_EQ(e->key_nodes[0]->col, 3u);
  const cfg_node *clock = cfg_get(e, "clock");
  EXPECT_STREQ(clock->value, "1.2GHz");
  EXPECT_EQ(clock->line, 2u);
  EXPECT_EQ(clock->col, 10u);
  EXPECT_FALSE(clock->quoted);
  EXPECT_STREQ(clock->file, "t.yaml");
  const cfg_node *lanes = cfg_get(e, "lanes");
  ASSERT_EQ(lanes->kind, CFG_SEQ);
  ASSERT_EQ(lanes->n, 2u);
  EXPECT_STREQ(lanes->items[0]->value, "1");
  EXPECT_EQ(lanes->items[1]->col, 14u);
  EXPECT_TRUE(lanes->items[1]->quoted);
  EXPECT_EQ(cfg_get(e, "absent"), nullptr);
  EXPECT_EQ(cfg_get(clock, "x"), nullptr);  // not a map
}

TEST(CfgLoad, AliasesShareTheAnchoredNode) {
  Doc d("base: &b {mtu: 1500, ttl: 64}\nvpn1: *b\nvpn2: *b\n");
  ASSERT_NE(d.doc, nullptr) << d.err.msg;
  const cfg_node *v1 = cfg_get(d.root(), "vpn1"), *v2 = cfg_get(d.root(), "vpn2");
  ASSERT_NE(v1, nullptr);
  EXPECT_EQ(v1, v2);
  EXPECT_STREQ(cfg_get(v1, "mtu")->value, "1500");
  // An aliased node keeps the position of its definition, which libyaml starts at the '&'.
  EXPECT_EQ(v1->line, 1u);
  EXPECT_EQ(v1->col, 7u);
}

TEST(CfgLoad, MergeKeys) {
  Doc d("defaults: &d {mtu: 1500, ttl: 64, df: copy}\n"
        "extra: &e {ttl: 32, esn: true}\n"
        "vpn: {name: east, <<: [*d, *e], mtu: 9000}\n"
        "literal: {\"<<\": 1}\n");
  ASSERT_NE(d.doc, nullptr) << d.err.msg;
  const cfg_node *v = cfg_get(d.root(), "vpn");
  // Merged pairs take the place of `<<`; explicit keys win, then earlier merged maps.
  ASSERT_EQ(v->n, 5u);
  const char *keys[] = {"name", "ttl", "df", "esn", "mtu"};
  for (size_t i = 0; i < 5; i++) EXPECT_STREQ(v->keys[i], keys[i]);
  EXPECT_STREQ(cfg_get(v, "mtu")->value, "9000");
  EXPECT_STREQ(cfg_get(v, "ttl")->value, "64");
  EXPECT_EQ(cfg_get(v, "ttl")->line, 1u);  // the merged value keeps its own position
  EXPECT_STREQ(cfg_get(v, "esn")->value, "true");
  EXPECT_EQ(cfg_get(v, "<<"), nullptr);
  EXPECT_STREQ(cfg_get(cfg_get(d.root(), "literal"), "<<")->value, "1");  // quoted: a plain key
}

TEST(CfgLoad, MergeKeyErrors) {
  Doc scalar("a: {<<: 5}\n");
  EXPECT_STREQ(scalar.err.msg,
               "t.yaml:1:9: a.<<: merge value must be a map or a sequence of maps (allowed: <<: *a, "
               "<<: [*a, *b])");
  Doc twice("x: &x {a: 1}\ny: {<<: *x, <<: *x}\n");
  EXPECT_STREQ(twice.err.msg, "t.yaml:2:13: y.<<: duplicate key (first at line 2 col 5)");
  Doc seq("x: &x {a: 1}\ny: {<<: [*x, [1]]}\n");
  EXPECT_STREQ(seq.err.msg,
               "t.yaml:2:14: y.<<: merge value must be a map or a sequence of maps (allowed: <<: *a, "
               "<<: [*a, *b])");
}

TEST(CfgLoad, AliasBombIsRefusedQuickly) {
  // 9 levels x 9 aliases = 9^9 "lol" after expansion. Count by hand: root map 1, keys a..f 6,
  // a..f subtrees 10 + 91 + 820 + 7381 + 66430 + 597871, key g 1, seq g 1 -> 672612; the
  // first *f adds 597871 and crosses 1000000 at line 7, column 8.
  auto t0 = std::chrono::steady_clock::now();
  std::string msg = load_file_error("alias_bomb.yaml");
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(msg, kDataDir +
                     "alias_bomb.yaml:7:8: g[0]: document expands to more than 1000000 nodes "
                     "(alias bomb?)");
  EXPECT_LT(secs, 0.5);
}

// Expanded count = root 1 + "a" entry (key 1 + seq 1 + 998 scalars) + "b" entry (key 1 + seq
// 1 + 999 aliases x 999 + m scalars) = 999004 + m.
std::string boundary_doc(int m) {
  std::string s = "a: &a [";
  for (int i = 0; i < 998; i++) s += i ? ",x" : "x";
  s += "]\nb: [";
  for (int i = 0; i < 999; i++) s += i ? ",*a" : "*a";
  for (int i = 0; i < m; i++) s += ",y";
  return s + "]\n";
}

TEST(CfgLoad, NodeLimitIsExactlyCfgMaxNodes) {
  Doc ok(boundary_doc(996));
  EXPECT_NE(ok.doc, nullptr) << ok.err.msg;
  Doc over(boundary_doc(997));
  EXPECT_EQ(over.doc, nullptr);
  // The 997th "y" is item 999 + 996 = 1995 of b, at column 4 + 999 * 3 - 1 + 997 * 2 + 1.
  EXPECT_EQ(std::string(over.err.msg),
            "t.yaml:2:" + std::to_string(4 + 999 * 3 - 1 + 996 * 2 + 2) +
                ": b[1995]: document expands to more than 1000000 nodes (alias bomb?)");
}

TEST(CfgLoad, DepthLimit) {
  std::string ok = std::string(63, '[') + "x" + std::string(63, ']');
  Doc d_ok(ok);
  EXPECT_NE(d_ok.doc, nullptr) << d_ok.err.msg;
  std::string deep = std::string(64, '[') + "x" + std::string(64, ']');
  Doc d(deep, "deep.yaml");
  EXPECT_EQ(d.doc, nullptr);
  std::string path;
  for (int i = 0; i < 64; i++) path += "[0]";
  EXPECT_EQ(std::string(d.err.msg), "deep.yaml:1:65: " + path + ": nesting deeper than 64 levels");
}

TEST(CfgLoad, DepthLimitCountsAliasedSubtrees) {
  // The anchor is 3 levels tall ([[x]] = seq, seq, scalar); used inside n open sequences it
  // reaches depth n + 3.
  auto doc = [](int open) {
    return "[&a [[x]], " + std::string(open - 1, '[') + "*a" + std::string(open - 1, ']') + "]";
  };
  Doc ok(doc(61));
  EXPECT_NE(ok.doc, nullptr) << ok.err.msg;
  Doc bad(doc(62));
  EXPECT_EQ(bad.doc, nullptr);
  EXPECT_NE(std::string(bad.err.msg).find(": nesting deeper than 64 levels"), std::string::npos)
      << bad.err.msg;
}

TEST(CfgLoad, DuplicateKeyNamesTheSecondOne) {
  EXPECT_EQ(load_file_error("duplicate_key.yaml"),
            kDataDir + "duplicate_key.yaml:3:3: ports.et-0/0/0: duplicate key (first at line 2 col 3)");
}

TEST(CfgLoad, DuplicateKeyAmongManyIsFound) {
  std::string s;
  for (int i = 0; i < 5000; i++) s += "k" + std::to_string(i) + ": 1\n";
  s += "k17: 2\n";
  Doc d(s);
  EXPECT_EQ(d.doc, nullptr);
  EXPECT_EQ(std::string(d.err.msg), "t.yaml:5001:1: k17: duplicate key (first at line 18 col 1)");
}

TEST(CfgLoad, MultipleDocumentsAreRefused) {
  EXPECT_EQ(load_file_error("multi_doc.yaml"),
            kDataDir + "multi_doc.yaml:2:1: a second YAML document (one document expected)");
}

TEST(CfgLoad, EmptyDocuments) {
  EXPECT_EQ(load_file_error("empty.yaml"), kDataDir + "empty.yaml:1:1: empty document");
  EXPECT_EQ(load_file_error("comments_only.yaml"), kDataDir + "comments_only.yaml:1:1: empty document");
  Doc d("---\n");
  EXPECT_EQ(d.doc, nullptr);
  std::string m = d.err.msg;
  EXPECT_EQ(m.substr(m.size() - 16), ": empty document") << m;
}

TEST(CfgLoad, SyntaxErrorCarriesLibyamlPosition) {
  // "  lanes: 4: 5": the second ':' is at line 3, column 11.
  EXPECT_EQ(load_file_error("syntax_error.yaml"),
            kDataDir + "syntax_error.yaml:3:11: YAML syntax error: mapping values are not "
                       "allowed in this context");
}

TEST(CfgLoad, UnclosedFlowSequence) {
  Doc d("a: [1, 2\nb: 3\n");
  EXPECT_EQ(d.doc, nullptr);
  EXPECT_EQ(std::string(d.err.msg),
            "t.yaml:2:2: YAML syntax error: did not find expected ',' or ']' (while parsing a flow "
            "sequence at line 1 col 4)");
}

TEST(CfgLoad, AliasErrors) {
  Doc unknown("a: *nope\n");
  EXPECT_EQ(std::string(unknown.err.msg), "t.yaml:1:4: a: unknown anchor '*nope'");
  Doc self("a: &x [1, *x]\n");
  EXPECT_EQ(std::string(self.err.msg), "t.yaml:1:11: a[1]: alias '*x' refers to a node that contains it");
}

TEST(CfgLoad, ComplexKeysAreRefused) {
  Doc d("? [a, b]\n: 1\n");
  EXPECT_EQ(d.doc, nullptr);
  EXPECT_EQ(std::string(d.err.msg), "t.yaml:1:3: map key must be a scalar");
}

TEST(CfgLoad, MissingFile) {
  cfg_err err{};
  EXPECT_EQ(cfg_load_file("/nonexistent/x.yaml", &err), nullptr);
  EXPECT_STREQ(err.msg, "/nonexistent/x.yaml: cannot open file (No such file or directory)");
}

TEST(CfgLoad, CfgFailFormatsOneLine) {
  Doc d("a:\n  b: 7\n");
  ASSERT_NE(d.doc, nullptr);
  cfg_err err{};
  const cfg_node *b = cfg_get(cfg_get(d.root(), "a"), "b");
  EXPECT_FALSE(cfg_fail(&err, b, "a.b", "must be even (allowed: %d..%d)\nsecond line", 0, 8));
  EXPECT_STREQ(err.msg, "t.yaml:2:6: a.b: must be even (allowed: 0..8) second line");
  EXPECT_FALSE(cfg_fail(&err, b, nullptr, "bad"));
  EXPECT_STREQ(err.msg, "t.yaml:2:6: bad");
}

TEST(CfgLoad, NulInScalarIsRefused) {
  Doc d("a: \"x\\0y\"\n");
  EXPECT_EQ(d.doc, nullptr);
  EXPECT_STREQ(d.err.msg, "t.yaml:1:4: a: scalar contains a NUL character");
}

}  // namespace
