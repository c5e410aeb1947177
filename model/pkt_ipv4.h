/* IPv4 header codec (RFC 791): options kept as raw bytes, header checksum verified and
 * computed, DSCP/ECN/TTL rewrites with incremental checksum update (RFC 1624). */
#ifndef IPSECSIM_PKT_IPV4_H
#define IPSECSIM_PKT_IPV4_H

#include <stdbool.h>
#include "pkt_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PKT_IPV4_MIN_HDR 20u
#define PKT_IPV4_MAX_HDR 60u
#define PKT_IPV4_FLAG_DF 0x4000u
#define PKT_IPV4_FLAG_MF 0x2000u
#define PKT_IPV4_FLAG_RESERVED 0x8000u

typedef struct pkt_ipv4_view {
  const uint8_t *hdr;      /* start of the header */
  size_t hdr_len;          /* IHL * 4 */
  uint8_t tos;             /* DSCP(6) ECN(2) */
  uint16_t total_len;
  uint16_t id;
  bool df, mf, reserved_flag;
  uint32_t frag_offset;    /* in bytes (field * 8) */
  uint8_t ttl;
  uint8_t proto;
  uint16_t checksum;       /* as stored */
  bool checksum_ok;        /* header sums to 0xFFFF (RFC 1071 verification) */
  /* checksum_ok and the stored field is the one a full computation gives, i.e. not -0
   * (0xFFFF). RFC 1624 s3: a computed checksum is never -0, but a header whose other words
   * sum to -0 also verifies with 0xFFFF in place of the computed +0 (0x0000). Such a header
   * is accepted (checksum_ok) but is not canonical: pkt_ipv4_build writes 0x0000. */
  bool checksum_canonical;
  uint32_t src, dst;       /* host byte order */
  const uint8_t *options;  /* hdr + 20, options_len bytes */
  size_t options_len;
  const uint8_t *payload;  /* hdr + hdr_len */
  size_t payload_len;      /* total_len - hdr_len (bytes after total_len are padding) */
} pkt_ipv4_view;

/* Parses the header at pkt (caplen captured bytes). A bad checksum is NOT an error: it is
 * reported in v->checksum_ok so the caller counts it where it belongs. */
pkt_err pkt_ipv4_parse(const uint8_t *pkt, size_t caplen, pkt_ipv4_view *v);

static inline uint8_t pkt_ipv4_dscp(const pkt_ipv4_view *v) { return v->tos >> 2; }
static inline uint8_t pkt_ipv4_ecn(const pkt_ipv4_view *v) { return v->tos & 3u; }
static inline bool pkt_ipv4_is_fragment(const pkt_ipv4_view *v) {
  return v->mf || v->frag_offset != 0;
}

typedef struct pkt_ipv4_fields {
  uint8_t dscp;            /* 0..63 */
  uint8_t ecn;             /* 0..3 */
  uint16_t id;
  bool df, mf;
  uint32_t frag_offset;    /* bytes, multiple of 8, < 65536 */
  uint8_t ttl;
  uint8_t proto;
  uint32_t src, dst;       /* host byte order */
  const uint8_t *options;  /* copied verbatim; options_len a multiple of 4, <= 40 */
  size_t options_len;
  size_t payload_len;      /* total_len = header + payload_len, must be <= 65535 */
} pkt_ipv4_fields;

/* Writes the header (with checksum) into out[0..cap); *written = header length. The
 * checksum is always the computed one, never -0 (see checksum_canonical). */
pkt_err pkt_ipv4_build(uint8_t *out, size_t cap, const pkt_ipv4_fields *f, size_t *written);

/* Recomputes the checksum of a header in place (hdr_len bytes). */
void pkt_ipv4_update_checksum(uint8_t *hdr, size_t hdr_len);

/* In-place field rewrites on a parsed-valid header, checksum updated incrementally. */
void pkt_ipv4_set_dscp(uint8_t *hdr, uint8_t dscp);
void pkt_ipv4_set_ecn(uint8_t *hdr, uint8_t ecn);
void pkt_ipv4_set_ttl(uint8_t *hdr, uint8_t ttl);

#ifdef __cplusplus
}
#endif
#endif
