// ESP header and trailer codec; expected bytes written by hand from RFC 4303 2 and 2.4.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

extern "C" {
#include "model/pkt_esp.h"
}

TEST(Esp, ParsesSpiAndSequence) {
  const uint8_t p[] = {0x00, 0x00, 0x10, 0x01, 0x00, 0x00, 0x00, 0x05, 0xaa, 0xbb, 0xcc};
  pkt_esp_view v;
  ASSERT_EQ(pkt_esp_parse(p, sizeof p, &v), PKT_OK);
  EXPECT_EQ(v.spi, 0x1001u);
  EXPECT_EQ(v.seq, 5u);
  EXPECT_EQ(v.body, p + 8);
  EXPECT_EQ(v.body_len, 3u);
  for (size_t n = 0; n < 8; n++) {
    std::vector<uint8_t> cut(p, p + n);
    EXPECT_EQ(pkt_esp_parse(cut.data(), n, &v), PKT_ERR_TRUNCATED_ESP_HDR) << n;
  }
  std::vector<uint8_t> eight(p, p + 8);
  ASSERT_EQ(pkt_esp_parse(eight.data(), 8, &v), PKT_OK);
  EXPECT_EQ(v.body_len, 0u);
  const uint8_t zero_spi[8] = {0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(pkt_esp_parse(zero_spi, 8, &v), PKT_ERR_ESP_SPI_ZERO);
}

TEST(Esp, BuildHeader) {
  uint8_t out[8];
  size_t w = 0;
  ASSERT_EQ(pkt_esp_build_hdr(out, sizeof out, 0xdeadbeef, 0x01020304, &w), PKT_OK);
  const uint8_t want[8] = {0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4};
  EXPECT_EQ(memcmp(out, want, 8), 0);
  EXPECT_EQ(w, 8u);
  EXPECT_EQ(pkt_esp_build_hdr(out, 7, 1, 1, &w), PKT_ERR_NO_SPACE);
  EXPECT_EQ(pkt_esp_build_hdr(out, 8, 0, 1, &w), PKT_ERR_BAD_FIELD);
}

TEST(Esp, TrailerParse) {
  // "inner" | pad 01 02 03 | pad length 3 | next header 4 (IPv4)
  const uint8_t pt[] = {'i', 'n', 'n', 'e', 'r', 1, 2, 3, 3, 4};
  pkt_esp_trailer t;
  ASSERT_EQ(pkt_esp_trailer_parse(pt, sizeof pt, true, &t), PKT_OK);
  EXPECT_EQ(t.pad_len, 3);
  EXPECT_EQ(t.next_header, 4);
  EXPECT_EQ(t.payload_len, 5u);

  uint8_t bad[sizeof pt];
  memcpy(bad, pt, sizeof pt);
  bad[6] = 9; // pad not 1, 2, 3
  EXPECT_EQ(pkt_esp_trailer_parse(bad, sizeof bad, true, &t), PKT_ERR_ESP_BAD_PAD_BYTES);
  EXPECT_EQ(pkt_esp_trailer_parse(bad, sizeof bad, false, &t), PKT_OK);

  const uint8_t no_pad[] = {0x45, 0, 41};
  ASSERT_EQ(pkt_esp_trailer_parse(no_pad, 3, true, &t), PKT_OK);
  EXPECT_EQ(t.payload_len, 1u);
  EXPECT_EQ(t.next_header, 41);

  const uint8_t exact[] = {1, 2, 2, 4}; // pad uses everything: empty payload
  ASSERT_EQ(pkt_esp_trailer_parse(exact, 4, true, &t), PKT_OK);
  EXPECT_EQ(t.payload_len, 0u);

  const uint8_t over[] = {1, 2, 3, 4}; // pad length 3 but only 2 bytes before it
  EXPECT_EQ(pkt_esp_trailer_parse(over, 4, true, &t), PKT_ERR_ESP_PAD_EXCEEDS_PAYLOAD);
  EXPECT_EQ(pkt_esp_trailer_parse(over, 1, true, &t), PKT_ERR_TRUNCATED_ESP_TRAILER);
  EXPECT_EQ(pkt_esp_trailer_parse(over, 0, true, &t), PKT_ERR_TRUNCATED_ESP_TRAILER);
}

TEST(Esp, PadLengthAndTrailerWrite) {
  // payload + pad + 2 must be a multiple of 4 (RFC 4303 2.4).
  EXPECT_EQ(pkt_esp_pad_len(7, 4), 3u);  // 7 + 3 + 2 = 12
  EXPECT_EQ(pkt_esp_pad_len(2, 4), 0u);  // 2 + 0 + 2 = 4
  EXPECT_EQ(pkt_esp_pad_len(100, 4), 2u);
  EXPECT_EQ(pkt_esp_pad_len(1500, 4), 2u);
  EXPECT_EQ(pkt_esp_pad_len(1, 16), 13u); // a 16-byte block cipher alignment
  EXPECT_EQ(pkt_esp_pad_len(5, 1), 1u);   // alignment below 4 is raised to 4

  uint8_t out[8];
  size_t w = 0;
  ASSERT_EQ(pkt_esp_trailer_write(out, sizeof out, 3, 4, &w), PKT_OK);
  const uint8_t want[5] = {1, 2, 3, 3, 4};
  EXPECT_EQ(w, 5u);
  EXPECT_EQ(memcmp(out, want, 5), 0);
  EXPECT_EQ(pkt_esp_trailer_write(out, 4, 3, 4, &w), PKT_ERR_NO_SPACE);
  EXPECT_EQ(pkt_esp_trailer_write(out, sizeof out, 256, 4, &w), PKT_ERR_BAD_FIELD);
}
