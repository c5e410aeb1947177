/* Ethernet II header codec with up to two 802.1Q / 802.1ad VLAN tags.
 * The captured frame carries no FCS (as in pcap). */
#ifndef IPSECSIM_PKT_ETH_H
#define IPSECSIM_PKT_ETH_H

#include <stdbool.h>
#include "pkt_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PKT_ETH_HDR_LEN 14u
#define PKT_ETH_VLAN_LEN 4u
#define PKT_ETH_MAX_VLAN 2u
#define PKT_ETHERTYPE_IPV4 0x0800u
#define PKT_ETHERTYPE_IPV6 0x86DDu
#define PKT_ETHERTYPE_VLAN 0x8100u /* 802.1Q C-tag */
#define PKT_ETHERTYPE_QINQ 0x88A8u /* 802.1ad S-tag */

typedef struct pkt_eth_vlan {
  uint16_t tpid; /* 0x8100 or 0x88A8 */
  uint16_t tci;  /* PCP(3) DEI(1) VID(12) */
} pkt_eth_vlan;

/* Parsed view; pointers point into the caller's buffer. */
typedef struct pkt_eth_view {
  const uint8_t *dst;   /* 6 bytes */
  const uint8_t *src;   /* 6 bytes */
  unsigned vlan_count;
  pkt_eth_vlan vlan[PKT_ETH_MAX_VLAN];
  uint16_t ethertype;   /* the one after the last tag */
  size_t hdr_len;       /* offset of the payload: 14 + 4 * vlan_count */
  const uint8_t *payload;
  size_t payload_len;   /* captured bytes after the header (may include padding) */
} pkt_eth_view;

static inline bool pkt_eth_is_vlan_tpid(uint16_t t) {
  return t == PKT_ETHERTYPE_VLAN || t == PKT_ETHERTYPE_QINQ;
}
static inline uint16_t pkt_eth_vlan_vid(const pkt_eth_vlan *v) { return v->tci & 0x0FFFu; }
static inline uint8_t pkt_eth_vlan_pcp(const pkt_eth_vlan *v) { return (uint8_t)(v->tci >> 13); }

pkt_err pkt_eth_parse(const uint8_t *frame, size_t caplen, pkt_eth_view *v);

/* What the builder writes. */
typedef struct pkt_eth_fields {
  uint8_t dst[6];
  uint8_t src[6];
  unsigned vlan_count; /* 0..PKT_ETH_MAX_VLAN */
  pkt_eth_vlan vlan[PKT_ETH_MAX_VLAN];
  uint16_t ethertype;
} pkt_eth_fields;

/* Writes the header into out[0..cap); *written = header length. */
pkt_err pkt_eth_build(uint8_t *out, size_t cap, const pkt_eth_fields *f, size_t *written);

#ifdef __cplusplus
}
#endif
#endif
