/* IPv6 codec (RFC 8200): fixed header plus a bounded walk over the extension headers
 * Hop-by-Hop (0), Routing (43), Fragment (44), Destination Options (60) and AH (51).
 * Any other next-header value ends the walk as the upper-layer protocol (TCP, UDP, ESP 50,
 * ICMPv6 58, No Next Header 59, or anything unknown). */
#ifndef IPSECSIM_PKT_IPV6_H
#define IPSECSIM_PKT_IPV6_H

#include <stdbool.h>
#include "pkt_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PKT_IPV6_HDR_LEN 40u
#define PKT_IPV6_FRAG_HDR_LEN 8u
#define PKT_IPV6_MAX_EXTHDRS 16u /* a longer chain is refused, so no chain can hang a walk */
#define PKT_PROTO_HOPOPTS 0u
#define PKT_PROTO_ROUTING 43u
#define PKT_PROTO_FRAGMENT 44u
#define PKT_PROTO_ESP 50u
#define PKT_PROTO_AH 51u
#define PKT_PROTO_NONE 59u
#define PKT_PROTO_DSTOPTS 60u

typedef struct pkt_ipv6_frag_info {
  bool present;
  size_t hdr_offset;  /* of the Fragment header, from the start of the IPv6 header */
  uint32_t offset;    /* fragment offset in bytes */
  bool mf;
  uint32_t id;
} pkt_ipv6_frag_info;

/* Result of the extension-header walk. Offsets are from the start of the IPv6 header. */
typedef struct pkt_ipv6_chain {
  uint8_t upper_proto;     /* next header that ended the walk */
  size_t upper_offset;     /* where that upper-layer header starts */
  size_t nh_field_offset;  /* byte holding upper_proto (6 = fixed header's field) */
  unsigned exthdr_count;
  bool ah_present;         /* an AH was walked over (callers that refuse AH must check) */
  size_t ah_offset;        /* of the first AH */
  pkt_ipv6_frag_info frag; /* if a Fragment header was seen; a non-first fragment (offset
                              != 0) ends the walk at the Fragment header's next header */
} pkt_ipv6_chain;

/* Walks headers in pkt[start..end), the first of type first_nh, whose next-header byte is
 * at nh_field_offset. Exposed on its own so callers (and tests) can bound any region. */
pkt_err pkt_ipv6_walk(const uint8_t *pkt, size_t end, uint8_t first_nh, size_t start,
                      size_t nh_field_offset, pkt_ipv6_chain *c);

typedef struct pkt_ipv6_view {
  const uint8_t *hdr;
  uint8_t tclass;          /* DSCP(6) ECN(2) */
  uint32_t flow_label;     /* 20 bits */
  uint16_t payload_len;
  uint8_t next_header;     /* first next header (fixed header's field) */
  uint8_t hop_limit;
  const uint8_t *src, *dst; /* 16 bytes each */
  const uint8_t *payload;  /* hdr + 40 */
  pkt_ipv6_chain chain;
  const uint8_t *upper;    /* hdr + chain.upper_offset */
  size_t upper_len;        /* 40 + payload_len - chain.upper_offset */
} pkt_ipv6_view;

/* Parses the fixed header and walks the extension headers within 40 + payload_len.
 * Jumbograms (payload length 0 with a Jumbo option) are not supported: payload length 0
 * means an empty payload. Bytes after 40 + payload_len are link padding. */
pkt_err pkt_ipv6_parse(const uint8_t *pkt, size_t caplen, pkt_ipv6_view *v);

static inline uint8_t pkt_ipv6_dscp(const pkt_ipv6_view *v) { return v->tclass >> 2; }
static inline uint8_t pkt_ipv6_ecn(const pkt_ipv6_view *v) { return v->tclass & 3u; }

typedef struct pkt_ipv6_fields {
  uint8_t dscp, ecn;       /* 0..63, 0..3 */
  uint32_t flow_label;     /* < 2^20 */
  uint16_t payload_len;
  uint8_t next_header;
  uint8_t hop_limit;
  uint8_t src[16], dst[16];
} pkt_ipv6_fields;

pkt_err pkt_ipv6_build(uint8_t *out, size_t cap, const pkt_ipv6_fields *f, size_t *written);

/* Fragment header builder (RFC 8200 4.5): offset in bytes, multiple of 8. */
pkt_err pkt_ipv6_build_frag(uint8_t *out, size_t cap, uint8_t next_header, uint32_t offset,
                            bool mf, uint32_t id, size_t *written);

/* In-place rewrites of the fixed header (IPv6 has no header checksum). */
void pkt_ipv6_set_tclass(uint8_t *hdr, uint8_t tclass);
void pkt_ipv6_set_dscp(uint8_t *hdr, uint8_t dscp);
void pkt_ipv6_set_ecn(uint8_t *hdr, uint8_t ecn);
void pkt_ipv6_set_flow_label(uint8_t *hdr, uint32_t label);

#ifdef __cplusplus
}
#endif
#endif
