/* IPv4 pre-fragmentation arithmetic and fragment headers (RFC 791 s3.2, RFC 4459 s3.1). */
#include "esp_frag.h"

#include <string.h>

bool esp_frag_plan_make(const pkt_ipv4_view *v, size_t max_len, esp_frag_plan *p) {
  memset(p, 0, sizeof *p);
  /* RFC 791 s3.1: options with the copy flag (bit 0x80 of the type) are repeated in every
   * fragment; EOL ends the list, NOP (copy flag 0) is not repeated. */
  size_t olen = 0;
  for (size_t i = 0; i < v->options_len;) {
    const uint8_t t = v->options[i];
    if (t == 0) break;
    if (t == 1) { i++; continue; }
    if (i + 1 >= v->options_len) return false;
    const size_t l = v->options[i + 1];
    if (l < 2 || i + l > v->options_len) return false;
    if (t & 0x80) {
      memcpy(p->rest_opts + olen, v->options + i, l);
      olen += l;
    }
    i += l;
  }
  while (olen % 4) p->rest_opts[olen++] = 0;
  p->rest_hl = PKT_IPV4_MIN_HDR + olen;
  if (max_len < v->hdr_len + 8 || max_len < p->rest_hl + 8) return false;
  p->first_data = (max_len - v->hdr_len) & ~(size_t)7;
  p->rest_data = (max_len - p->rest_hl) & ~(size_t)7;
  const size_t total = v->payload_len;
  if (total <= p->first_data) {
    p->n = 1;
  } else {
    p->n = 1 + (total - p->first_data + p->rest_data - 1) / p->rest_data;
  }
  return p->n <= ESP_BURST_MAX;
}

size_t esp_frag_header(const pkt_ipv4_view *v, const esp_frag_plan *p, size_t i, uint8_t *hdr,
                       size_t *data_off, size_t *data_len) {
  size_t hl;
  if (i == 0) {
    hl = v->hdr_len;
    memcpy(hdr, v->hdr, hl);
    *data_off = 0;
  } else {
    hl = p->rest_hl;
    memcpy(hdr, v->hdr, PKT_IPV4_MIN_HDR);
    memcpy(hdr + PKT_IPV4_MIN_HDR, p->rest_opts, hl - PKT_IPV4_MIN_HDR);
    hdr[0] = (uint8_t)(0x40 | hl / 4);
    *data_off = p->first_data + (i - 1) * p->rest_data;
  }
  const bool last = i + 1 == p->n;
  const size_t chunk = i == 0 ? p->first_data : p->rest_data;
  *data_len = last ? v->payload_len - *data_off : chunk;
  const size_t total = hl + *data_len;
  hdr[2] = (uint8_t)(total >> 8);
  hdr[3] = (uint8_t)total;
  /* DF cleared (the datagram is being fragmented), MF on all but the last fragment, whose MF
   * is the original's (the datagram may itself be a fragment); offsets in 8-byte units. */
  const uint32_t off8 = (uint32_t)((v->frag_offset + *data_off) / 8);
  const uint16_t flags = (!last || v->mf) ? PKT_IPV4_FLAG_MF : 0;
  const uint16_t w = (uint16_t)(flags | (off8 & 0x1FFFu));
  hdr[6] = (uint8_t)(w >> 8);
  hdr[7] = (uint8_t)w;
  pkt_ipv4_update_checksum(hdr, hl);
  return hl;
}
