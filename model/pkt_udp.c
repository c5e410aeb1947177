/* UDP codec, RFC 768; IPv6 pseudo-header per RFC 8200 8.1. */
#include "pkt_udp.h"

#include <string.h>

#include "checksum.h"

pkt_err pkt_udp_parse(const uint8_t *udp, size_t ip_payload_len, pkt_udp_view *v) {
  memset(v, 0, sizeof *v);
  if (ip_payload_len < PKT_UDP_HDR_LEN) return PKT_ERR_TRUNCATED_UDP_HDR;
  uint16_t len = pkt_rd16(udp + 4);
  if (len < PKT_UDP_HDR_LEN) return PKT_ERR_BAD_UDP_LEN;
  if (len > ip_payload_len) return PKT_ERR_UDP_LEN_EXCEEDS_IP_PAYLOAD;
  v->hdr = udp;
  v->src_port = pkt_rd16(udp);
  v->dst_port = pkt_rd16(udp + 2);
  v->length = len;
  v->checksum = pkt_rd16(udp + 6);
  v->payload = udp + PKT_UDP_HDR_LEN;
  v->payload_len = len - PKT_UDP_HDR_LEN;
  return PKT_OK;
}

/* Sum of the datagram with its checksum field taken as zero. */
static uint64_t sum_datagram(uint64_t sum, const uint8_t *udp, size_t udp_len) {
  sum = csum_add(sum, udp, 6);
  return csum_add(sum, udp + 8, udp_len - 8);
}

static uint16_t finish_nonzero(uint64_t sum) {
  uint16_t c = csum_finish(sum);
  return c ? c : 0xFFFFu; /* 0 is reserved for "no checksum" (RFC 768) */
}

static uint64_t pseudo_v4(uint32_t src, uint32_t dst, size_t udp_len) {
  uint64_t s = 0;
  s = csum_add16(s, (uint16_t)(src >> 16));
  s = csum_add16(s, (uint16_t)src);
  s = csum_add16(s, (uint16_t)(dst >> 16));
  s = csum_add16(s, (uint16_t)dst);
  s = csum_add16(s, PKT_PROTO_UDP);
  return csum_add16(s, (uint16_t)udp_len);
}

static uint64_t pseudo_v6(const uint8_t *src, const uint8_t *dst, size_t udp_len) {
  uint64_t s = csum_add(0, src, 16);
  s = csum_add(s, dst, 16);
  s += (uint64_t)udp_len; /* 32-bit upper-layer length; added as a whole, folded later */
  return csum_add16(s, PKT_PROTO_UDP);
}

uint16_t pkt_udp_checksum_v4(uint32_t src, uint32_t dst, const uint8_t *udp, size_t udp_len) {
  return finish_nonzero(sum_datagram(pseudo_v4(src, dst, udp_len), udp, udp_len));
}

uint16_t pkt_udp_checksum_v6(const uint8_t *src, const uint8_t *dst, const uint8_t *udp,
                             size_t udp_len) {
  return finish_nonzero(sum_datagram(pseudo_v6(src, dst, udp_len), udp, udp_len));
}

pkt_udp_csum_status pkt_udp_verify_v4(uint32_t src, uint32_t dst, const pkt_udp_view *v) {
  if (v->checksum == 0) return PKT_UDP_CSUM_NONE;
  uint64_t s = csum_add(pseudo_v4(src, dst, v->length), v->hdr, v->length);
  return csum_fold(s) == 0xFFFFu ? PKT_UDP_CSUM_OK : PKT_UDP_CSUM_BAD;
}

pkt_udp_csum_status pkt_udp_verify_v6(const uint8_t *src, const uint8_t *dst,
                                      const pkt_udp_view *v) {
  if (v->checksum == 0) return PKT_UDP_CSUM_BAD; /* mandatory over IPv6 (RFC 8200 8.1) */
  uint64_t s = csum_add(pseudo_v6(src, dst, v->length), v->hdr, v->length);
  return csum_fold(s) == 0xFFFFu ? PKT_UDP_CSUM_OK : PKT_UDP_CSUM_BAD;
}

pkt_err pkt_udp_build(uint8_t *out, size_t cap, const pkt_udp_fields *f, size_t *written) {
  if (f->payload_len > 65535u - PKT_UDP_HDR_LEN) return PKT_ERR_BAD_FIELD;
  if ((f->csum == PKT_UDP_CSUM_V6) && (!f->v6_src || !f->v6_dst)) return PKT_ERR_BAD_FIELD;
  size_t len = PKT_UDP_HDR_LEN + f->payload_len;
  if (cap < len) return PKT_ERR_NO_SPACE;
  pkt_wr16(out, f->src_port);
  pkt_wr16(out + 2, f->dst_port);
  pkt_wr16(out + 4, (uint16_t)len);
  uint16_t c = 0;
  if (f->csum == PKT_UDP_CSUM_V4)
    c = pkt_udp_checksum_v4(f->v4_src, f->v4_dst, out, len);
  else if (f->csum == PKT_UDP_CSUM_V6)
    c = pkt_udp_checksum_v6(f->v6_src, f->v6_dst, out, len);
  pkt_wr16(out + 6, c);
  *written = PKT_UDP_HDR_LEN;
  return PKT_OK;
}
