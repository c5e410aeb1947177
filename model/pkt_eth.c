/* Ethernet II / 802.1Q codec. */
#include "pkt_eth.h"

#include <string.h>

pkt_err pkt_eth_parse(const uint8_t *frame, size_t caplen, pkt_eth_view *v) {
  memset(v, 0, sizeof *v);
  if (caplen < PKT_ETH_HDR_LEN) return PKT_ERR_TRUNCATED_ETH_HDR;
  v->dst = frame;
  v->src = frame + 6;
  size_t off = 12; /* offset of the current type/TPID field */
  uint16_t type = pkt_rd16(frame + off);
  while (pkt_eth_is_vlan_tpid(type)) {
    if (v->vlan_count == PKT_ETH_MAX_VLAN) return PKT_ERR_VLAN_LIMIT;
    /* A tag is TPID(2) TCI(2) followed by the next type field (2). */
    if (caplen < off + PKT_ETH_VLAN_LEN + 2) return PKT_ERR_TRUNCATED_VLAN_TAG;
    v->vlan[v->vlan_count].tpid = type;
    v->vlan[v->vlan_count].tci = pkt_rd16(frame + off + 2);
    v->vlan_count++;
    off += PKT_ETH_VLAN_LEN;
    type = pkt_rd16(frame + off);
  }
  v->ethertype = type;
  v->hdr_len = off + 2;
  v->payload = frame + v->hdr_len;
  v->payload_len = caplen - v->hdr_len;
  return PKT_OK;
}

pkt_err pkt_eth_build(uint8_t *out, size_t cap, const pkt_eth_fields *f, size_t *written) {
  if (f->vlan_count > PKT_ETH_MAX_VLAN) return PKT_ERR_BAD_FIELD;
  for (unsigned i = 0; i < f->vlan_count; i++)
    if (!pkt_eth_is_vlan_tpid(f->vlan[i].tpid)) return PKT_ERR_BAD_FIELD;
  if (pkt_eth_is_vlan_tpid(f->ethertype)) return PKT_ERR_BAD_FIELD;
  size_t len = PKT_ETH_HDR_LEN + PKT_ETH_VLAN_LEN * f->vlan_count;
  if (cap < len) return PKT_ERR_NO_SPACE;
  memcpy(out, f->dst, 6);
  memcpy(out + 6, f->src, 6);
  size_t off = 12;
  for (unsigned i = 0; i < f->vlan_count; i++) {
    pkt_wr16(out + off, f->vlan[i].tpid);
    pkt_wr16(out + off + 2, f->vlan[i].tci);
    off += PKT_ETH_VLAN_LEN;
  }
  pkt_wr16(out + off, f->ethertype);
  *written = len;
  return PKT_OK;
}
