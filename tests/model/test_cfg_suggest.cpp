// cfg_did_you_mean (model/cfg_table.c): the cut-off search (length bound, early exit) must
// pick exactly what the plain rule picks: the earliest candidate at the smallest
// case-insensitive OSA distance d with d <= max(2, len/3) and d < len. The reference below
// is that rule written directly (full distance matrix, every candidate).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "cfg.h"

namespace {

size_t reference_osa(const std::string &a, const std::string &b) {
  static size_t d[130][130];  // words here are shorter than 128
  for (size_t i = 0; i <= a.size(); i++) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); j++) d[0][j] = j;
  auto lo = [](char c) { return std::tolower(static_cast<unsigned char>(c)); };
  for (size_t i = 1; i <= a.size(); i++)
    for (size_t j = 1; j <= b.size(); j++) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (lo(a[i - 1]) != lo(b[j - 1]))});
      if (i > 1 && j > 1 && lo(a[i - 1]) == lo(b[j - 2]) && lo(a[i - 2]) == lo(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

const char *reference_pick(const std::string &w, const std::vector<const char *> &cands) {
  if (w.empty() || w.size() >= 128) return nullptr;
  size_t limit = std::max<size_t>(2, w.size() / 3), best_d = SIZE_MAX;
  const char *best = nullptr;
  for (const char *c : cands) {
    if (!c || std::string(c).size() >= 128) continue;
    size_t d = reference_osa(w, c);
    if (d <= limit && d < w.size() && d < best_d) best_d = d, best = c;
  }
  return best;
}

}  // namespace

TEST(CfgSuggest, ClosedFormCases) {
  const char *cands[] = {"clock", "lanes", "sas", nullptr, "pg0.out.bytes", "PG0.in.bytes"};
  EXPECT_STREQ(cfg_did_you_mean("clok", cands, 6), "clock");      // one deletion
  EXPECT_STREQ(cfg_did_you_mean("lnaes", cands, 6), "lanes");     // one swap of neighbours
  EXPECT_STREQ(cfg_did_you_mean("SAS", cands, 6), "sas");         // case ignored, d = 0
  EXPECT_STREQ(cfg_did_you_mean("pg0.in.bytes", cands, 6), "PG0.in.bytes");
  EXPECT_EQ(cfg_did_you_mean("x", cands, 6), nullptr);            // would change every character
  EXPECT_EQ(cfg_did_you_mean("zzzzzzzz", cands, 6), nullptr);     // nothing within 2 edits
  EXPECT_EQ(cfg_did_you_mean("", cands, 6), nullptr);
  const char *ties[] = {"abcd", "abce"};                          // both at d = 1: earlier wins
  EXPECT_STREQ(cfg_did_you_mean("abcf", ties, 2), "abcd");
}

TEST(CfgSuggest, SameChoiceAsThePlainRuleOnRandomWords) {
  std::mt19937 rng(12345);
  const char alphabet[] = "abcdeABCDE._0";
  auto word = [&](size_t len) {
    std::string s;
    for (size_t i = 0; i < len; i++) s += alphabet[rng() % (sizeof alphabet - 1)];
    return s;
  };
  std::vector<std::string> pool;
  for (int i = 0; i < 120; i++) pool.push_back(word(1 + rng() % 24));
  std::vector<const char *> cands;
  for (const auto &s : pool) cands.push_back(s.c_str());
  size_t found = 0;
  for (int t = 0; t < 1200; t++) {
    std::string w;
    if (t % 2) {  // a mutated candidate, so many words have a suggestion
      w = pool[rng() % pool.size()];
      for (int e = 0, n = 1 + static_cast<int>(rng() % 3); e < n && !w.empty(); e++) {
        size_t at = rng() % w.size();
        switch (rng() % 3) {
        case 0: w.erase(at, 1); break;
        case 1: w.insert(at, 1, alphabet[rng() % (sizeof alphabet - 1)]); break;
        default: if (at + 1 < w.size()) std::swap(w[at], w[at + 1]);
        }
      }
    } else {
      w = word(1 + rng() % 24);
    }
    const char *want = reference_pick(w, cands);
    const char *got = cfg_did_you_mean(w.c_str(), cands.data(), cands.size());
    ASSERT_EQ(got, want) << "word '" << w << "'";
    found += got != nullptr;
  }
  EXPECT_GT(found, 400u);  // the comparison covered suggestions, not only NULLs
}
