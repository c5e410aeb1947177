/* ESP header and trailer codec, RFC 4303. */
#include "pkt_esp.h"

#include <string.h>

pkt_err pkt_esp_parse(const uint8_t *esp, size_t len, pkt_esp_view *v) {
  memset(v, 0, sizeof *v);
  if (len < PKT_ESP_HDR_LEN) return PKT_ERR_TRUNCATED_ESP_HDR;
  uint32_t spi = pkt_rd32(esp);
  if (spi == 0) return PKT_ERR_ESP_SPI_ZERO;
  v->hdr = esp;
  v->spi = spi;
  v->seq = pkt_rd32(esp + 4);
  v->body = esp + PKT_ESP_HDR_LEN;
  v->body_len = len - PKT_ESP_HDR_LEN;
  return PKT_OK;
}

pkt_err pkt_esp_build_hdr(uint8_t *out, size_t cap, uint32_t spi, uint32_t seq,
                          size_t *written) {
  if (spi == 0) return PKT_ERR_BAD_FIELD;
  if (cap < PKT_ESP_HDR_LEN) return PKT_ERR_NO_SPACE;
  pkt_wr32(out, spi);
  pkt_wr32(out + 4, seq);
  *written = PKT_ESP_HDR_LEN;
  return PKT_OK;
}

pkt_err pkt_esp_trailer_parse(const uint8_t *plaintext, size_t len, bool check_pad,
                              pkt_esp_trailer *t) {
  memset(t, 0, sizeof *t);
  if (len < PKT_ESP_TRAILER_MIN) return PKT_ERR_TRUNCATED_ESP_TRAILER;
  uint8_t pad = plaintext[len - 2];
  if ((size_t)pad > len - PKT_ESP_TRAILER_MIN) return PKT_ERR_ESP_PAD_EXCEEDS_PAYLOAD;
  size_t payload_len = len - PKT_ESP_TRAILER_MIN - pad;
  if (check_pad) {
    for (size_t i = 0; i < pad; i++)
      if (plaintext[payload_len + i] != (uint8_t)(i + 1)) return PKT_ERR_ESP_BAD_PAD_BYTES;
  }
  t->pad_len = pad;
  t->next_header = plaintext[len - 1];
  t->payload_len = payload_len;
  return PKT_OK;
}

size_t pkt_esp_pad_len(size_t payload_len, size_t align) {
  if (align < 4) align = 4;
  size_t used = (payload_len + PKT_ESP_TRAILER_MIN) % align;
  return used ? align - used : 0;
}

pkt_err pkt_esp_trailer_write(uint8_t *out, size_t cap, size_t pad_len, uint8_t next_header,
                              size_t *written) {
  if (pad_len > 255) return PKT_ERR_BAD_FIELD;
  if (cap < pad_len + PKT_ESP_TRAILER_MIN) return PKT_ERR_NO_SPACE;
  for (size_t i = 0; i < pad_len; i++) out[i] = (uint8_t)(i + 1);
  out[pad_len] = (uint8_t)pad_len;
  out[pad_len + 1] = next_header;
  *written = pad_len + PKT_ESP_TRAILER_MIN;
  return PKT_OK;
}
