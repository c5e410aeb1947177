/* Error codes shared by every packet codec (Ethernet, IPv4, IPv6, UDP, ESP) plus the
 * small big-endian load/store helpers they use. Every parser checks each length against
 * the captured bytes and returns one of these codes instead of reading past the end. */
#ifndef IPSECSIM_PKT_ERR_H
#define IPSECSIM_PKT_ERR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pkt_err {
  PKT_OK = 0,
  /* builders and arguments */
  PKT_ERR_NO_SPACE,            /* output buffer capacity too small */
  PKT_ERR_BAD_FIELD,           /* a builder field out of its range */
  /* Ethernet */
  PKT_ERR_TRUNCATED_ETH_HDR,   /* fewer than 14 bytes */
  PKT_ERR_TRUNCATED_VLAN_TAG,  /* 802.1Q tag cut short */
  PKT_ERR_VLAN_LIMIT,          /* more than PKT_ETH_MAX_VLAN tags */
  /* IPv4 */
  PKT_ERR_TRUNCATED_IPV4_HDR,  /* fewer than 20 bytes */
  PKT_ERR_BAD_IP_VERSION,      /* version nibble not 4 (resp. 6) */
  PKT_ERR_BAD_IHL,             /* IHL < 5 */
  PKT_ERR_TRUNCATED_IPV4_OPTIONS, /* IHL*4 beyond the captured bytes */
  PKT_ERR_BAD_TOTLEN,          /* total length < header length */
  PKT_ERR_TOTLEN_EXCEEDS_CAPTURE,
  /* IPv6 */
  PKT_ERR_TRUNCATED_IPV6_HDR,  /* fewer than 40 bytes */
  PKT_ERR_PAYLEN_EXCEEDS_CAPTURE,
  PKT_ERR_TRUNCATED_EXTHDR,    /* extension header's fixed part cut short */
  PKT_ERR_EXTHDR_EXCEEDS_PACKET, /* extension header length runs past the packet */
  PKT_ERR_EXTHDR_LIMIT,        /* more than PKT_IPV6_MAX_EXTHDRS headers */
  PKT_ERR_HBH_NOT_FIRST,       /* Hop-by-Hop not right after the fixed header (RFC 8200 4.1) */
  /* UDP */
  PKT_ERR_TRUNCATED_UDP_HDR,   /* fewer than 8 bytes */
  PKT_ERR_BAD_UDP_LEN,         /* UDP length < 8 */
  PKT_ERR_UDP_LEN_EXCEEDS_IP_PAYLOAD,
  /* ESP */
  PKT_ERR_TRUNCATED_ESP_HDR,   /* fewer than 8 bytes (SPI + sequence) */
  PKT_ERR_ESP_SPI_ZERO,        /* SPI 0 never appears on the wire (RFC 4303 2.1) */
  PKT_ERR_TRUNCATED_ESP_TRAILER, /* plaintext shorter than pad length + next header */
  PKT_ERR_ESP_PAD_EXCEEDS_PAYLOAD,
  PKT_ERR_ESP_BAD_PAD_BYTES,   /* pad not 1, 2, 3, ... (RFC 4303 2.4) */
  PKT_ERR_COUNT_
} pkt_err;

/* Stable lower-case name, e.g. "truncated_ipv4_hdr"; "unknown" outside the enum. */
const char *pkt_err_str(pkt_err e);

static inline uint16_t pkt_rd16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t pkt_rd32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void pkt_wr16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}
static inline void pkt_wr32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}
static inline void pkt_wr64(uint8_t *p, uint64_t v) {
  pkt_wr32(p, (uint32_t)(v >> 32));
  pkt_wr32(p + 4, (uint32_t)v);
}

#ifdef __cplusplus
}
#endif
#endif
