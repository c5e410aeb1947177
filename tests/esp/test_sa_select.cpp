// Outbound SA selection (ipsec_engine/sa_select.h): longest-prefix match checked against a
// brute-force scan on random prefixes (IPv4 and IPv6, nested on purpose), exact duplicates,
// and "can never be chosen" checked against an exhaustive search over a small address range.
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <cstring>
#include <random>
#include <vector>

extern "C" {
#include "ipsec_engine/sa_select.h"
}

namespace {

struct Prefix {
  uint8_t family;
  uint8_t b[16];
  unsigned len;
};

bool matches(const Prefix &p, uint8_t family, const uint8_t *a) {
  if (p.family != family) return false;
  for (unsigned bit = 0; bit < p.len; bit++) {
    const unsigned byte = bit / 8, shift = 7 - bit % 8;
    if (((p.b[byte] >> shift) & 1) != ((a[byte] >> shift) & 1)) return false;
  }
  return true;
}

// The reference: scan every prefix, keep the longest match; -1 = the catch-all / none.
int brute(const std::vector<Prefix> &ps, uint8_t family, const uint8_t *a) {
  int best = -1;
  for (size_t i = 0; i < ps.size(); i++)
    if (matches(ps[i], family, a) && (best < 0 || ps[i].len > ps[best].len)) best = (int)i;
  return best;
}

struct Sel {
  sa_select *t = sa_select_new();
  ~Sel() { sa_select_free(t); }
};

Prefix v4(const char *text, unsigned len) {
  Prefix p{4, {0}, len};
  inet_pton(AF_INET, text, p.b);
  return p;
}
Prefix v6(const char *text, unsigned len) {
  Prefix p{6, {0}, len};
  inet_pton(AF_INET6, text, p.b);
  return p;
}

}  // namespace

TEST(SaSelect, RandomPrefixesMatchBruteForce) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 10; round++) {
    Sel s;
    std::vector<Prefix> ps;
    const bool with_default = round % 2;
    // Addresses drawn from a few /8s (IPv4) and /16s (IPv6) so prefixes nest and collide.
    auto random_addr = [&](uint8_t family, uint8_t *b) {
      std::memset(b, 0, 16);
      const unsigned n = family == 4 ? 4 : 16;
      for (unsigned i = 0; i < n; i++) b[i] = (uint8_t)rng();
      if (family == 4) b[0] = (uint8_t)(10 + rng() % 3);
      else { b[0] = 0x20; b[1] = (uint8_t)(rng() % 3); }
    };
    for (int i = 0; i < 300; i++) {
      Prefix p{};
      p.family = rng() % 2 ? 4 : 6;
      random_addr(p.family, p.b);
      p.len = p.family == 4 ? rng() % 33 : rng() % 129;
      uint32_t clash = 0;
      sa_select_rc rc = sa_select_add(s.t, p.family, p.b, p.len, (uint32_t)ps.size(), &clash);
      // A prefix equal to an earlier one (after masking) must be refused naming it.
      const Prefix *dup = nullptr;
      for (const Prefix &q : ps)
        if (q.family == p.family && q.len == p.len && matches(q, p.family, p.b)) dup = &q;
      if (dup) {
        ASSERT_EQ(rc, SA_SELECT_DUPLICATE);
        ASSERT_EQ(clash, (uint32_t)(dup - ps.data()));
        continue;
      }
      ASSERT_EQ(rc, SA_SELECT_OK);
      ps.push_back(p);
    }
    if (with_default) { ASSERT_EQ(sa_select_add_default(s.t, 9999, nullptr), SA_SELECT_OK); }
    ASSERT_EQ(sa_select_count(s.t), ps.size());
    for (int k = 0; k < 10000; k++) {
      uint8_t a[16];
      const uint8_t family = k % 2 ? 4 : 6;
      random_addr(family, a);
      if (k % 5 == 0 && !ps.empty()) {  // an address inside a stored prefix, often deep
        const Prefix &p = ps[rng() % ps.size()];
        if (p.family == family) std::memcpy(a, p.b, 16);
      }
      const int want = brute(ps, family, a);
      uint32_t got = 0;
      const bool found = sa_select_lookup(s.t, family, a, &got);
      if (want >= 0) {
        ASSERT_TRUE(found);
        ASSERT_EQ(got, (uint32_t)want) << "round " << round << " lookup " << k;
      } else {
        ASSERT_EQ(found, with_default);
        if (found) { ASSERT_EQ(got, 9999u); }
      }
    }
  }
}

TEST(SaSelect, HostBitsIgnoredAndExactFind) {
  Sel s;
  Prefix a = v4("10.1.2.3", 16);
  ASSERT_EQ(sa_select_add(s.t, 4, a.b, 16, 7, nullptr), SA_SELECT_OK);
  Prefix b = v4("10.1.0.0", 16);
  uint32_t clash = 0, v = 0;
  EXPECT_EQ(sa_select_add(s.t, 4, b.b, 16, 8, &clash), SA_SELECT_DUPLICATE);
  EXPECT_EQ(clash, 7u);
  EXPECT_TRUE(sa_select_find(s.t, 4, b.b, 16, &v));
  EXPECT_EQ(v, 7u);
  EXPECT_FALSE(sa_select_find(s.t, 4, b.b, 17, &v));
  EXPECT_FALSE(sa_select_find(s.t, 0, b.b, 0, &v));  // no catch-all yet
  EXPECT_EQ(sa_select_add(s.t, 4, b.b, 33, 1, nullptr), SA_SELECT_BAD);
  EXPECT_EQ(sa_select_add(s.t, 6, b.b, 129, 1, nullptr), SA_SELECT_BAD);
  EXPECT_EQ(sa_select_add_default(s.t, 1, nullptr), SA_SELECT_OK);
  EXPECT_EQ(sa_select_add_default(s.t, 2, &clash), SA_SELECT_DUPLICATE);
  EXPECT_EQ(clash, 1u);
  EXPECT_EQ(sa_select_lengths(s.t, 4), 1u);
  EXPECT_EQ(sa_select_lengths(s.t, 6), 0u);
}

namespace {
// Adds the prefixes (value = position) and returns {victim, witness} or {-1, -1}.
std::pair<int, int> unreachable(const std::vector<Prefix> &ps, bool with_default) {
  Sel s;
  for (size_t i = 0; i < ps.size(); i++)
    EXPECT_EQ(sa_select_add(s.t, ps[i].family, ps[i].b, ps[i].len, (uint32_t)i, nullptr), SA_SELECT_OK);
  if (with_default) sa_select_add_default(s.t, 100, nullptr);
  uint32_t victim = 0, witness = 0;
  if (!sa_select_unreachable(s.t, &victim, &witness)) return {-1, -1};
  return {(int)victim, (int)witness};
}
}  // namespace

TEST(SaSelect, NeverChosenClosedCases) {
  // 10/8 with both halves (/9) present: no address picks the /8.
  EXPECT_EQ(unreachable({v4("10.0.0.0", 8), v4("10.0.0.0", 9), v4("10.128.0.0", 9)}, false),
            std::make_pair(0, 1));
  // One half missing: the /8 still serves 10.128/9.
  EXPECT_EQ(unreachable({v4("10.0.0.0", 8), v4("10.0.0.0", 9)}, false), std::make_pair(-1, -1));
  // Deeper cover: 10/8 = 10.0/9 + 10.128/10 + 10.192/10.
  EXPECT_EQ(unreachable({v4("10.192.0.0", 10), v4("10.0.0.0", 8), v4("10.0.0.0", 9),
                         v4("10.128.0.0", 10)}, false).first, 1);
  // The catch-all beside 0.0.0.0/0 alone still carries IPv6.
  EXPECT_EQ(unreachable({v4("0.0.0.0", 0)}, true), std::make_pair(-1, -1));
  // ... and with ::/0 too it can never be chosen.
  EXPECT_EQ(unreachable({v4("0.0.0.0", 0), v6("::", 0)}, true), std::make_pair(100, 0));
  // Two /1 halves cover IPv4 like a /0; ::/1 + 8000::/1 cover IPv6.
  EXPECT_EQ(unreachable({v4("0.0.0.0", 1), v4("128.0.0.0", 1), v6("::", 1), v6("8000::", 1)}, true).first,
            100);
  EXPECT_EQ(unreachable({v4("0.0.0.0", 1), v6("::", 1), v6("8000::", 1)}, true).first, -1);
  // The IPv6 space covered at /128 leaves nothing for a /127.
  EXPECT_EQ(unreachable({v6("2001:db8::", 127), v6("2001:db8::", 128), v6("2001:db8::1", 128)}, false).first, 0);
  EXPECT_EQ(unreachable({v4("255.255.255.254", 31), v4("255.255.255.255", 32), v4("255.255.255.254", 32)}, false).first, 0);
}

// Exhaustive reference on a 256-address range: an entry is reachable iff some address of
// 192.0.2.0/24 selects it.
TEST(SaSelect, NeverChosenMatchesExhaustiveSearch) {
  std::mt19937 rng(777);
  int seen_unreachable = 0;
  for (int round = 0; round < 300; round++) {
    std::vector<Prefix> ps;
    Sel s;
    const int n = 2 + (int)(rng() % 12);
    for (int i = 0; i < n; i++) {
      Prefix p = v4("192.0.2.0", 24 + rng() % 4);  // lengths 24..27: overlaps are frequent
      p.b[3] = (uint8_t)(rng() & (0xFF << (32 - p.len)));
      uint32_t clash;
      if (sa_select_add(s.t, 4, p.b, p.len, (uint32_t)ps.size(), &clash) != SA_SELECT_OK) continue;
      ps.push_back(p);
    }
    std::vector<bool> reachable(ps.size(), false);
    for (unsigned host = 0; host < 256; host++) {
      uint8_t a[16] = {192, 0, 2, (uint8_t)host};
      const int w = brute(ps, 4, a);
      if (w >= 0) reachable[w] = true;
    }
    int first_unreachable = -1;
    for (size_t i = 0; i < ps.size() && first_unreachable < 0; i++)
      if (!reachable[i]) first_unreachable = (int)i;
    uint32_t victim = 0, witness = 0;
    const bool found = sa_select_unreachable(s.t, &victim, &witness);
    ASSERT_EQ(found, first_unreachable >= 0) << "round " << round;
    if (found) {
      seen_unreachable++;
      ASSERT_EQ((int)victim, first_unreachable);
      ASSERT_GT(ps[witness].len, ps[victim].len);  // the witness is a longer, covering prefix
      ASSERT_TRUE(matches(ps[victim], 4, ps[witness].b));
    }
  }
  EXPECT_GT(seen_unreachable, 20);  // the random sets exercise both outcomes
}

// The hash must spread keys that differ only in a few bits of an IPv4 address (the top 32
// bits of the 128-bit key): 2000 /32 selectors 10.0.x.y, the bench_sa_select set, in a table
// kept at most half full. Linear probing at load a = 2000/4096 expects (1 + 1/(1 - a)) / 2
// = 1.48 reads per successful lookup (Knuth, TAOCP 6.4); the old multiply-only hash left the
// low three bits zero and averaged 2.46.
TEST(SaSelect, HashSpreadsIpv4HostSelectors) {
  sa_select *t = sa_select_new();
  ASSERT_NE(t, nullptr);
  for (uint32_t i = 0; i < 2000; i++) {
    const uint8_t a[4] = {10, 0, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
    ASSERT_EQ(sa_select_add(t, 4, a, 32, i, nullptr), SA_SELECT_OK);
  }
  const double a = 2000.0 / 4096.0, expected = (1 + 1 / (1 - a)) / 2;
  EXPECT_LT(sa_select_mean_probes(t), expected + 0.25);
  EXPECT_GE(sa_select_mean_probes(t), 1.0);
  sa_select_free(t);
}
