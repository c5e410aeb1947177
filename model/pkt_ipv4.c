/* IPv4 codec, RFC 791; checksum per RFC 1071, updates per RFC 1624. */
#include "pkt_ipv4.h"

#include <string.h>

#include "checksum.h"

pkt_err pkt_ipv4_parse(const uint8_t *pkt, size_t caplen, pkt_ipv4_view *v) {
  memset(v, 0, sizeof *v);
  if (caplen < PKT_IPV4_MIN_HDR) return PKT_ERR_TRUNCATED_IPV4_HDR;
  if ((pkt[0] >> 4) != 4) return PKT_ERR_BAD_IP_VERSION;
  size_t hl = (size_t)(pkt[0] & 0x0Fu) * 4u;
  if (hl < PKT_IPV4_MIN_HDR) return PKT_ERR_BAD_IHL;
  if (hl > caplen) return PKT_ERR_TRUNCATED_IPV4_OPTIONS;
  uint16_t tot = pkt_rd16(pkt + 2);
  if (tot < hl) return PKT_ERR_BAD_TOTLEN;
  if (tot > caplen) return PKT_ERR_TOTLEN_EXCEEDS_CAPTURE;
  uint16_t ff = pkt_rd16(pkt + 6);
  v->hdr = pkt;
  v->hdr_len = hl;
  v->tos = pkt[1];
  v->total_len = tot;
  v->id = pkt_rd16(pkt + 4);
  v->reserved_flag = (ff & PKT_IPV4_FLAG_RESERVED) != 0;
  v->df = (ff & PKT_IPV4_FLAG_DF) != 0;
  v->mf = (ff & PKT_IPV4_FLAG_MF) != 0;
  v->frag_offset = (uint32_t)(ff & 0x1FFFu) * 8u;
  v->ttl = pkt[8];
  v->proto = pkt[9];
  v->checksum = pkt_rd16(pkt + 10);
  v->checksum_ok = csum_verify(pkt, hl) != 0;
  v->checksum_canonical = v->checksum_ok && v->checksum != 0xFFFFu; /* RFC 1624 s3 */
  v->src = pkt_rd32(pkt + 12);
  v->dst = pkt_rd32(pkt + 16);
  v->options = pkt + PKT_IPV4_MIN_HDR;
  v->options_len = hl - PKT_IPV4_MIN_HDR;
  v->payload = pkt + hl;
  v->payload_len = tot - hl;
  return PKT_OK;
}

pkt_err pkt_ipv4_build(uint8_t *out, size_t cap, const pkt_ipv4_fields *f, size_t *written) {
  if (f->dscp > 63 || f->ecn > 3) return PKT_ERR_BAD_FIELD;
  if (f->options_len % 4 || f->options_len > PKT_IPV4_MAX_HDR - PKT_IPV4_MIN_HDR)
    return PKT_ERR_BAD_FIELD;
  if (f->options_len && !f->options) return PKT_ERR_BAD_FIELD;
  if (f->frag_offset % 8 || f->frag_offset / 8 > 0x1FFFu) return PKT_ERR_BAD_FIELD;
  size_t hl = PKT_IPV4_MIN_HDR + f->options_len;
  if (f->payload_len > 65535u - hl) return PKT_ERR_BAD_FIELD;
  if (cap < hl) return PKT_ERR_NO_SPACE;
  out[0] = (uint8_t)(0x40u | (hl / 4));
  out[1] = (uint8_t)((f->dscp << 2) | f->ecn);
  pkt_wr16(out + 2, (uint16_t)(hl + f->payload_len));
  pkt_wr16(out + 4, f->id);
  uint16_t ff = (uint16_t)(f->frag_offset / 8);
  if (f->df) ff |= PKT_IPV4_FLAG_DF;
  if (f->mf) ff |= PKT_IPV4_FLAG_MF;
  pkt_wr16(out + 6, ff);
  out[8] = f->ttl;
  out[9] = f->proto;
  pkt_wr32(out + 12, f->src);
  pkt_wr32(out + 16, f->dst);
  if (f->options_len) memcpy(out + PKT_IPV4_MIN_HDR, f->options, f->options_len);
  pkt_ipv4_update_checksum(out, hl);
  *written = hl;
  return PKT_OK;
}

void pkt_ipv4_update_checksum(uint8_t *hdr, size_t hdr_len) {
  pkt_wr16(hdr + 10, 0);
  pkt_wr16(hdr + 10, csum_compute(hdr, hdr_len));
}

/* The TOS byte shares a 16-bit word with version/IHL, TTL with protocol. */
static void rewrite_byte(uint8_t *hdr, size_t at, uint8_t val) {
  size_t w = at & ~(size_t)1;
  uint16_t old_word = pkt_rd16(hdr + w);
  hdr[at] = val;
  uint16_t new_word = pkt_rd16(hdr + w);
  pkt_wr16(hdr + 10, csum_update16(pkt_rd16(hdr + 10), old_word, new_word));
}

void pkt_ipv4_set_dscp(uint8_t *hdr, uint8_t dscp) {
  rewrite_byte(hdr, 1, (uint8_t)(((dscp & 0x3Fu) << 2) | (hdr[1] & 3u)));
}

void pkt_ipv4_set_ecn(uint8_t *hdr, uint8_t ecn) {
  rewrite_byte(hdr, 1, (uint8_t)((hdr[1] & 0xFCu) | (ecn & 3u)));
}

void pkt_ipv4_set_ttl(uint8_t *hdr, uint8_t ttl) { rewrite_byte(hdr, 8, ttl); }
