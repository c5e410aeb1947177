/* ESP header codec (RFC 4303 2): SPI and low 32 bits of the sequence number, plus helpers
 * for the trailer (pad, pad length, next header) that the ESP transform reads from the
 * decrypted plaintext and writes before encryption. IV and ICV sizes belong to the
 * transform (AES-GCM: 8-byte IV, 16-byte ICV) and are not assumed here. */
#ifndef IPSECSIM_PKT_ESP_H
#define IPSECSIM_PKT_ESP_H

#include <stdbool.h>
#include "pkt_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PKT_ESP_HDR_LEN 8u
#define PKT_ESP_TRAILER_MIN 2u /* pad length + next header */

typedef struct pkt_esp_view {
  const uint8_t *hdr;
  uint32_t spi;
  uint32_t seq;           /* low 32 bits; the high half (ESN) is never on the wire */
  const uint8_t *body;    /* hdr + 8: IV, ciphertext, ICV */
  size_t body_len;
} pkt_esp_view;

/* len = bytes of the ESP packet (IP payload or UDP payload after NAT-T). */
pkt_err pkt_esp_parse(const uint8_t *esp, size_t len, pkt_esp_view *v);

pkt_err pkt_esp_build_hdr(uint8_t *out, size_t cap, uint32_t spi, uint32_t seq,
                          size_t *written);

/* Trailer of a decrypted plaintext (payload | pad | pad_len | next_header). */
typedef struct pkt_esp_trailer {
  uint8_t pad_len;
  uint8_t next_header;
  size_t payload_len;     /* plaintext bytes before the pad */
} pkt_esp_trailer;

/* Reads the trailer from the end of plaintext[0..len). With check_pad the pad bytes must be
 * 1, 2, 3, ... (RFC 4303 2.4, the default pad this project writes). */
pkt_err pkt_esp_trailer_parse(const uint8_t *plaintext, size_t len, bool check_pad,
                              pkt_esp_trailer *t);

/* Pad length so that payload + pad + 2 is a multiple of align (a power of two, >= 4;
 * RFC 4303 2.4 requires the result to end 4-byte aligned). */
size_t pkt_esp_pad_len(size_t payload_len, size_t align);

/* Writes pad 1,2,3,...,pad_len, then pad_len and next_header at out[0..): the bytes that
 * follow a payload. *written = pad_len + 2. pad_len <= 255. */
pkt_err pkt_esp_trailer_write(uint8_t *out, size_t cap, size_t pad_len, uint8_t next_header,
                              size_t *written);

#ifdef __cplusplus
}
#endif
#endif
