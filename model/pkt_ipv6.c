/* IPv6 codec, RFC 8200; AH length rule from RFC 4302 2.2. */
#include "pkt_ipv6.h"

#include <string.h>

static bool is_exthdr(uint8_t nh) {
  return nh == PKT_PROTO_HOPOPTS || nh == PKT_PROTO_ROUTING || nh == PKT_PROTO_FRAGMENT ||
         nh == PKT_PROTO_DSTOPTS || nh == PKT_PROTO_AH;
}

pkt_err pkt_ipv6_walk(const uint8_t *pkt, size_t end, uint8_t first_nh, size_t start,
                      size_t nh_field_offset, pkt_ipv6_chain *c) {
  memset(c, 0, sizeof *c);
  uint8_t nh = first_nh;
  size_t off = start, nh_at = nh_field_offset;
  while (is_exthdr(nh)) {
    if (c->exthdr_count == PKT_IPV6_MAX_EXTHDRS) return PKT_ERR_EXTHDR_LIMIT;
    if (nh == PKT_PROTO_HOPOPTS && c->exthdr_count > 0) return PKT_ERR_HBH_NOT_FIRST;
    /* Every extension header here is at least 8 bytes long. */
    if (off > end || end - off < 8) return PKT_ERR_TRUNCATED_EXTHDR;
    size_t len;
    if (nh == PKT_PROTO_FRAGMENT)
      len = PKT_IPV6_FRAG_HDR_LEN;
    else if (nh == PKT_PROTO_AH)
      len = ((size_t)pkt[off + 1] + 2u) * 4u; /* 4-byte units minus 2 (RFC 4302 2.2) */
    else
      len = ((size_t)pkt[off + 1] + 1u) * 8u; /* 8-byte units minus 1 (RFC 8200 4.3) */
    if (len > end - off) return PKT_ERR_EXTHDR_EXCEEDS_PACKET;
    c->exthdr_count++;
    uint8_t next = pkt[off];
    if (nh == PKT_PROTO_AH && !c->ah_present) {
      c->ah_present = true;
      c->ah_offset = off;
    }
    if (nh == PKT_PROTO_FRAGMENT) {
      uint16_t om = pkt_rd16(pkt + off + 2);
      c->frag.present = true;
      c->frag.hdr_offset = off;
      c->frag.offset = (uint32_t)(om >> 3) * 8u;
      c->frag.mf = (om & 1u) != 0;
      c->frag.id = pkt_rd32(pkt + off + 4);
    }
    nh_at = off;
    off += len;
    nh = next;
    /* A later fragment carries no further headers, only fragment data. */
    if (c->frag.present && c->frag.offset != 0) break;
  }
  c->upper_proto = nh;
  c->upper_offset = off;
  c->nh_field_offset = nh_at;
  return PKT_OK;
}

pkt_err pkt_ipv6_parse(const uint8_t *pkt, size_t caplen, pkt_ipv6_view *v) {
  memset(v, 0, sizeof *v);
  if (caplen < PKT_IPV6_HDR_LEN) return PKT_ERR_TRUNCATED_IPV6_HDR;
  if ((pkt[0] >> 4) != 6) return PKT_ERR_BAD_IP_VERSION;
  uint32_t w0 = pkt_rd32(pkt);
  uint16_t plen = pkt_rd16(pkt + 4);
  if ((size_t)plen > caplen - PKT_IPV6_HDR_LEN) return PKT_ERR_PAYLEN_EXCEEDS_CAPTURE;
  v->hdr = pkt;
  v->tclass = (uint8_t)(w0 >> 20);
  v->flow_label = w0 & 0xFFFFFu;
  v->payload_len = plen;
  v->next_header = pkt[6];
  v->hop_limit = pkt[7];
  v->src = pkt + 8;
  v->dst = pkt + 24;
  v->payload = pkt + PKT_IPV6_HDR_LEN;
  size_t end = PKT_IPV6_HDR_LEN + plen;
  pkt_err e = pkt_ipv6_walk(pkt, end, v->next_header, PKT_IPV6_HDR_LEN, 6, &v->chain);
  if (e != PKT_OK) return e;
  v->upper = pkt + v->chain.upper_offset;
  v->upper_len = end - v->chain.upper_offset;
  return PKT_OK;
}

pkt_err pkt_ipv6_build(uint8_t *out, size_t cap, const pkt_ipv6_fields *f, size_t *written) {
  if (f->dscp > 63 || f->ecn > 3 || f->flow_label > 0xFFFFFu) return PKT_ERR_BAD_FIELD;
  if (cap < PKT_IPV6_HDR_LEN) return PKT_ERR_NO_SPACE;
  uint32_t tc = (uint32_t)((f->dscp << 2) | f->ecn);
  pkt_wr32(out, (6u << 28) | (tc << 20) | f->flow_label);
  pkt_wr16(out + 4, f->payload_len);
  out[6] = f->next_header;
  out[7] = f->hop_limit;
  memcpy(out + 8, f->src, 16);
  memcpy(out + 24, f->dst, 16);
  *written = PKT_IPV6_HDR_LEN;
  return PKT_OK;
}

pkt_err pkt_ipv6_build_frag(uint8_t *out, size_t cap, uint8_t next_header, uint32_t offset,
                            bool mf, uint32_t id, size_t *written) {
  if (offset % 8 || offset / 8 > 0x1FFFu) return PKT_ERR_BAD_FIELD;
  if (cap < PKT_IPV6_FRAG_HDR_LEN) return PKT_ERR_NO_SPACE;
  out[0] = next_header;
  out[1] = 0;
  pkt_wr16(out + 2, (uint16_t)((offset / 8) << 3 | (mf ? 1u : 0u)));
  pkt_wr32(out + 4, id);
  *written = PKT_IPV6_FRAG_HDR_LEN;
  return PKT_OK;
}

void pkt_ipv6_set_tclass(uint8_t *hdr, uint8_t tclass) {
  uint32_t w0 = pkt_rd32(hdr);
  w0 = (w0 & 0xF00FFFFFu) | ((uint32_t)tclass << 20);
  pkt_wr32(hdr, w0);
}

void pkt_ipv6_set_dscp(uint8_t *hdr, uint8_t dscp) {
  uint8_t tc = (uint8_t)(pkt_rd32(hdr) >> 20);
  pkt_ipv6_set_tclass(hdr, (uint8_t)(((dscp & 0x3Fu) << 2) | (tc & 3u)));
}

void pkt_ipv6_set_ecn(uint8_t *hdr, uint8_t ecn) {
  uint8_t tc = (uint8_t)(pkt_rd32(hdr) >> 20);
  pkt_ipv6_set_tclass(hdr, (uint8_t)((tc & 0xFCu) | (ecn & 3u)));
}

void pkt_ipv6_set_flow_label(uint8_t *hdr, uint32_t label) {
  uint32_t w0 = pkt_rd32(hdr);
  pkt_wr32(hdr, (w0 & 0xFFF00000u) | (label & 0xFFFFFu));
}
