// Route table: longest-prefix match, IPv4 and IPv6, prefix parsing.
#include <gtest/gtest.h>

extern "C" {
#include "pfe/route.h"
}

static int32_t look(const route_table *t, const char *a) {
  uint8_t fam, addr[16], len;
  EXPECT_TRUE(route_parse_prefix(a, &fam, addr, &len));
  return route_lookup(t, fam, addr);
}

TEST(Route, LongestPrefixWins) {
  route_table t;
  route_init(&t);
  const char *pfx[] = {"0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.128/25", "2001:db8::/32", "2001:db8:1::/48"};
  for (int i = 0; i < 7; i++) {
    uint8_t fam, addr[16], len;
    ASSERT_TRUE(route_parse_prefix(pfx[i], &fam, addr, &len));
    ASSERT_TRUE(route_add(&t, fam, addr, len, i));
  }
  EXPECT_EQ(look(&t, "192.0.2.1"), 0);
  EXPECT_EQ(look(&t, "10.9.9.9"), 1);
  EXPECT_EQ(look(&t, "10.1.9.9"), 2);
  EXPECT_EQ(look(&t, "10.1.2.127"), 3);
  EXPECT_EQ(look(&t, "10.1.2.128"), 4);
  EXPECT_EQ(look(&t, "2001:db8:2::1"), 5);
  EXPECT_EQ(look(&t, "2001:db8:1::1"), 6);
  EXPECT_EQ(look(&t, "2001:db9::1"), -1);  // no IPv6 default
  route_free(&t);
}

TEST(Route, RejectsBadPrefixes) {
  uint8_t fam, addr[16], len;
  EXPECT_FALSE(route_parse_prefix("10.0.0.0/33", &fam, addr, &len));
  EXPECT_FALSE(route_parse_prefix("2001:db8::/129", &fam, addr, &len));
  EXPECT_FALSE(route_parse_prefix("10.0.0/8", &fam, addr, &len));
  EXPECT_FALSE(route_parse_prefix("10.0.0.0/", &fam, addr, &len));
  EXPECT_TRUE(route_parse_prefix("10.0.0.1", &fam, addr, &len));
  EXPECT_EQ(len, 32);
}
