// Internet checksum against hand-computed values from RFC 1071 and RFC 1624.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

extern "C" {
#include "model/checksum.h"
}

TEST(Checksum, Rfc1071Section3Example) {
  // RFC 1071 3: bytes 00 01 f2 03 f4 f5 f6 f7 have the one's-complement sum ddf2.
  const uint8_t b[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(csum_fold(csum_add(0, b, sizeof b)), 0xddf2);
  EXPECT_EQ(csum_compute(b, sizeof b), 0x220d);
}

TEST(Checksum, ClassicIpv4HeaderB861) {
  // Widely quoted example header (192.168.0.1 -> 192.168.0.199, total length 0x73);
  // its checksum field is b861.
  uint8_t h[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_EQ(csum_compute(h, sizeof h), 0xb861);
  EXPECT_FALSE(csum_verify(h, sizeof h));
  h[10] = 0xb8;
  h[11] = 0x61;
  EXPECT_TRUE(csum_verify(h, sizeof h));
  h[19] ^= 1;
  EXPECT_FALSE(csum_verify(h, sizeof h));
}

TEST(Checksum, OddLengthPadsWithZero) {
  // 0x0102 + 0x0300 = 0x0402 -> checksum 0xfbfd (hand computed).
  const uint8_t b[] = {0x01, 0x02, 0x03};
  EXPECT_EQ(csum_compute(b, 3), 0xfbfd);
}

TEST(Checksum, EndAroundCarryFoldsTwice) {
  // ffff + ffff + 0001 = 1ffff -> ffff + 1 = 10000 -> 0001; checksum fffe.
  const uint8_t b[] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x01};
  EXPECT_EQ(csum_fold(csum_add(0, b, 6)), 0x0001);
  EXPECT_EQ(csum_compute(b, 6), 0xfffe);
}

TEST(Checksum, ChunkedEqualsWhole) {
  std::vector<uint8_t> b(1001);
  for (size_t i = 0; i < b.size(); i++) b[i] = (uint8_t)(i * 37 + 11);
  uint64_t s = csum_add(0, b.data(), 500);
  s = csum_add(s, b.data() + 500, 501);
  EXPECT_EQ(csum_finish(s), csum_compute(b.data(), b.size()));
}

TEST(Checksum, LongBufferOfOnesDoesNotOverflow) {
  // 65536 words of ffff: each adds -0; one's-complement sum stays ffff, checksum 0.
  std::vector<uint8_t> b(131072, 0xff);
  EXPECT_EQ(csum_fold(csum_add(0, b.data(), b.size())), 0xffff);
  EXPECT_EQ(csum_compute(b.data(), b.size()), 0x0000);
}

TEST(Checksum, Rfc1624Section5Example) {
  // RFC 1624 5: HC = 0xDD2F, m = 0x5555 -> m' = 0x3285; eqn. 3 gives 0x0000 (the value a
  // full recomputation gives), where eqn. 2 would give 0xFFFF.
  EXPECT_EQ(csum_update16(0xDD2F, 0x5555, 0x3285), 0x0000);
}

TEST(Checksum, IncrementalMatchesRecomputeOnManyHeaders) {
  uint32_t x = 12345;
  auto rnd = [&x]() { x = x * 1103515245u + 12345u; return (uint16_t)(x >> 12); };
  for (int trial = 0; trial < 5000; trial++) {
    uint8_t h[20];
    for (int i = 0; i < 20; i += 2) {
      uint16_t w = rnd();
      h[i] = (uint8_t)(w >> 8);
      h[i + 1] = (uint8_t)w;
    }
    h[10] = h[11] = 0;
    uint16_t c = csum_compute(h, 20);
    int word = (rnd() % 10) * 2;
    if (word == 10) word = 8;
    uint16_t old_w = (uint16_t)(h[word] << 8 | h[word + 1]);
    uint16_t new_w = rnd();
    h[word] = (uint8_t)(new_w >> 8);
    h[word + 1] = (uint8_t)new_w;
    ASSERT_EQ(csum_update16(c, old_w, new_w), csum_compute(h, 20)) << "trial " << trial;
  }
}

TEST(Checksum, Update32IsTwoWordUpdates) {
  // Address change 192.168.0.1 -> 10.0.0.1 in the classic header: recompute by hand-built
  // header and compare.
  uint8_t h[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                 0x00, 0x00, 0x0a, 0x00, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_EQ(csum_update32(0xb861, 0xc0a80001u, 0x0a000001u), csum_compute(h, sizeof h));
}
