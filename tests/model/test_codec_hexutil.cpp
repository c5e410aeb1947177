// Hex encode/decode against hand-written strings.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

extern "C" {
#include "model/hexutil.h"
}

TEST(Hex, Encode) {
  const uint8_t b[] = {0x00, 0x01, 0xab, 0xff, 0x7f};
  char out[11];
  EXPECT_EQ(hex_encode(b, 5, out, sizeof out), 10u);
  EXPECT_STREQ(out, "0001abff7f");
  EXPECT_EQ(hex_encode(b, 5, out, 10), 0u); // no room for the NUL
  EXPECT_STREQ(out, "");
  EXPECT_EQ(hex_encode(b, 0, out, 1), 0u);
  EXPECT_STREQ(out, "");
}

TEST(Hex, Decode) {
  uint8_t out[4];
  size_t n = 0, pos = 99;
  ASSERT_EQ(hex_decode("DEadBe", 6, out, sizeof out, &n, &pos), HEX_OK);
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(out[0], 0xde);
  EXPECT_EQ(out[1], 0xad);
  EXPECT_EQ(out[2], 0xbe);
  ASSERT_EQ(hex_decode("0x0a0B", 6, out, sizeof out, &n, &pos), HEX_OK);
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(out[1], 0x0b);
  EXPECT_EQ(hex_decode("abc", 3, out, sizeof out, &n, &pos), HEX_ERR_ODD_LENGTH);
  EXPECT_EQ(hex_decode("ab g0", 5, out, sizeof out, &n, &pos), HEX_ERR_BAD_CHAR);
  EXPECT_EQ(pos, 2u);
  EXPECT_EQ(hex_decode("0011223344", 10, out, sizeof out, &n, &pos), HEX_ERR_TOO_LONG);
  EXPECT_EQ(hex_decode("", 0, out, sizeof out, &n, &pos), HEX_OK);
  EXPECT_EQ(n, 0u);
  EXPECT_STREQ(hex_err_str(HEX_ERR_BAD_CHAR), "not a hex digit");
}

TEST(Hex, DecodeExact) {
  uint8_t key[16];
  EXPECT_TRUE(hex_decode_exact("000102030405060708090a0b0c0d0e0f", key, 16));
  EXPECT_EQ(key[15], 0x0f);
  EXPECT_FALSE(hex_decode_exact("000102030405060708090a0b0c0d0e", key, 16));
  EXPECT_FALSE(hex_decode_exact("000102030405060708090a0b0c0d0e0f00", key, 16));
  EXPECT_FALSE(hex_decode_exact("zz0102030405060708090a0b0c0d0e0f", key, 16));
}

TEST(Hex, RoundTripAllByteValues) {
  uint8_t b[256], back[256];
  for (int i = 0; i < 256; i++) b[i] = (uint8_t)i;
  char s[513];
  ASSERT_EQ(hex_encode(b, 256, s, sizeof s), 512u);
  EXPECT_EQ(std::string(s, 6), "000102");
  EXPECT_EQ(std::string(s + 506), "fdfeff");
  size_t n = 0;
  ASSERT_EQ(hex_decode(s, 512, back, sizeof back, &n, nullptr), HEX_OK);
  EXPECT_EQ(memcmp(b, back, 256), 0);
}
