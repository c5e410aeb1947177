/* UDP codec (RFC 768) with checksums over the IPv4 (RFC 768) and IPv6 (RFC 8200 8.1)
 * pseudo-headers. */
#ifndef IPSECSIM_PKT_UDP_H
#define IPSECSIM_PKT_UDP_H

#include <stdbool.h>
#include "pkt_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PKT_UDP_HDR_LEN 8u
#define PKT_PROTO_UDP 17u

typedef struct pkt_udp_view {
  const uint8_t *hdr;
  uint16_t src_port, dst_port;
  uint16_t length;        /* UDP length field (header + data) */
  uint16_t checksum;      /* as stored */
  const uint8_t *payload; /* hdr + 8 */
  size_t payload_len;     /* length - 8; IP payload bytes beyond `length` are ignored */
} pkt_udp_view;

/* ip_payload_len = bytes of the IP payload available from udp onwards. */
pkt_err pkt_udp_parse(const uint8_t *udp, size_t ip_payload_len, pkt_udp_view *v);

/* Checksum of a UDP datagram (header + data, udp_len bytes, its checksum field counted as
 * stored). Returns the value to store, with 0 mapped to 0xFFFF (RFC 768), computed with the
 * checksum field treated as zero. Addresses: IPv4 in host order, IPv6 as 16 bytes. */
uint16_t pkt_udp_checksum_v4(uint32_t src, uint32_t dst, const uint8_t *udp, size_t udp_len);
uint16_t pkt_udp_checksum_v6(const uint8_t *src, const uint8_t *dst, const uint8_t *udp,
                             size_t udp_len);

typedef enum pkt_udp_csum_status {
  PKT_UDP_CSUM_OK,
  PKT_UDP_CSUM_NONE, /* IPv4 only: field 0 means not computed */
  PKT_UDP_CSUM_BAD,  /* mismatch, or 0 over IPv6 where it is mandatory */
} pkt_udp_csum_status;

pkt_udp_csum_status pkt_udp_verify_v4(uint32_t src, uint32_t dst, const pkt_udp_view *v);
pkt_udp_csum_status pkt_udp_verify_v6(const uint8_t *src, const uint8_t *dst,
                                      const pkt_udp_view *v);

typedef enum pkt_udp_csum_mode { PKT_UDP_CSUM_ZERO, PKT_UDP_CSUM_V4, PKT_UDP_CSUM_V6 } pkt_udp_csum_mode;

typedef struct pkt_udp_fields {
  uint16_t src_port, dst_port;
  size_t payload_len;         /* the payload must already sit at out + 8 */
  pkt_udp_csum_mode csum;     /* ZERO writes 0 (IPv4 "no checksum") */
  uint32_t v4_src, v4_dst;    /* for PKT_UDP_CSUM_V4, host order */
  const uint8_t *v6_src, *v6_dst; /* for PKT_UDP_CSUM_V6 */
} pkt_udp_fields;

/* Writes the 8-byte header in front of a payload already at out + 8 and computes the
 * checksum over it. cap must cover header + payload. *written = 8. */
pkt_err pkt_udp_build(uint8_t *out, size_t cap, const pkt_udp_fields *f, size_t *written);

#ifdef __cplusplus
}
#endif
#endif
