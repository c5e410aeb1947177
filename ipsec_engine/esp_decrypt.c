/* Inbound: outer IP [+ UDP] + ESP -> inner IP packet (RFC 4303 s3.4). Order: outer header
 * checks, SA by SPI, size, anti-replay check, ICV, hard lifetime (time), trailer, inner
 * packet, RFC 6040 ECN decapsulation, lifetime (kilobytes and soft), window update,
 * copy-outer-dscp. Lifetimes are evaluated only for authenticated, non-replayed packets, so
 * forged or replayed packets never age an SA, never raise the rekey event and never expire
 * it (DESIGN); they change only their own counter. An authenticated packet dropped because
 * the SA is past its hard lifetime does not move the replay window (the SA is dead; the
 * packet was not accepted); every other authenticated packet does, even when its trailer or
 * inner packet is then rejected (the sender did send that sequence number). */
#include <string.h>

#include "model/pkt_err.h"

#include "esp_transform.h"
#include "model/pkt_esp.h"
#include "model/pkt_ipv4.h"
#include "model/pkt_ipv6.h"
#include "model/pkt_udp.h"


typedef struct outer_info {
  uint8_t family;
  uint8_t tos;
  const uint8_t *dst;     /* 4 or 16 bytes */
  size_t ip_len;          /* outer IP packet length */
  bool udp;
  uint16_t udp_dport;
  const uint8_t *esp;
  size_t esp_len;
} outer_info;

/* Outer IP and UDP checks; ESP_R_OK when o->esp holds an ESP packet to look up. */
static esp_reason parse_outer(const sa_db *db, const uint8_t *in, size_t in_len, outer_info *o) {
  uint8_t proto;
  const uint8_t *l4;
  size_t l4_len;
  const uint8_t *src;
  if (in_len >= 1 && in[0] >> 4 == 4) {
    pkt_ipv4_view v;
    if (pkt_ipv4_parse(in, in_len, &v) != PKT_OK || !v.checksum_ok) return ESP_R_OUTER_MALFORMED;
    if (pkt_ipv4_is_fragment(&v)) return ESP_R_OUTER_FRAGMENT;
    *o = (outer_info){.family = 4, .tos = v.tos, .dst = in + 16, .ip_len = v.total_len};
    proto = v.proto;
    l4 = v.payload;
    l4_len = v.payload_len;
    src = in + 12;
  } else if (in_len >= 1 && in[0] >> 4 == 6) {
    pkt_ipv6_view v;
    if (pkt_ipv6_parse(in, in_len, &v) != PKT_OK) return ESP_R_OUTER_MALFORMED;
    if (v.chain.frag.present) return ESP_R_OUTER_FRAGMENT;
    *o = (outer_info){.family = 6, .tos = v.tclass, .dst = v.dst,
                      .ip_len = PKT_IPV6_HDR_LEN + v.payload_len};
    proto = v.chain.upper_proto;
    l4 = v.upper;
    l4_len = v.upper_len;
    src = v.src;
  } else {
    return ESP_R_OUTER_MALFORMED;
  }
  if (proto == PKT_PROTO_ESP) {
    o->esp = l4;
    o->esp_len = l4_len;
    return ESP_R_OK;
  }
  if (proto != PKT_PROTO_UDP) return ESP_R_NOT_ESP;
  pkt_udp_view u;
  if (pkt_udp_parse(l4, l4_len, &u) != PKT_OK) return ESP_R_UDP_MALFORMED;
  pkt_udp_csum_status cs = o->family == 4 ? pkt_udp_verify_v4(pkt_rd32(src), pkt_rd32(o->dst), &u)
                                          : pkt_udp_verify_v6(src, o->dst, &u);
  if (cs == PKT_UDP_CSUM_BAD) return ESP_R_UDP_MALFORMED;
  o->udp = true;
  o->udp_dport = u.dst_port;
  o->esp = u.payload;
  o->esp_len = u.payload_len;
  if (u.dst_port == SA_NATT_PORT) {
    /* RFC 3948 s2.2/2.3: a single 0xFF is a NAT keepalive, a zero marker is IKE. */
    if (u.payload_len == 1 && u.payload[0] == 0xFF) return ESP_R_HOST_KEEPALIVE;
    if (u.payload_len >= 4 && pkt_rd32(u.payload) == 0) return ESP_R_HOST_IKE;
    return ESP_R_OK;
  }
  /* Any other port (the multipath one is shared with IKE on 500): a packet whose first 4
   * bytes match an installed inbound SPI is ESP (DESIGN); when that SA is not multipath on
   * this port, the SA's encapsulation check then counts udp_encap_mismatch. */
  if (u.payload_len >= 4 && sa_db_find_inbound(db, pkt_rd32(u.payload))) return ESP_R_OK;
  for (size_t i = 0; i < db->n; i++) {
    const sa_config *c = &db->sas[i]->cfg;
    if (c->dir == SA_INBOUND && c->udp == SA_UDP_MULTIPATH && c->udp_dst_port == u.dst_port)
      return ESP_R_HOST_IKE;
  }
  if (u.dst_port == SA_MULTIPATH_DEFAULT_PORT) return ESP_R_HOST_IKE; /* IKE's own port */
  return ESP_R_UDP_ENCAP_MISMATCH;
}

static esp_reason finish(sa_db *db, sa *s, esp_reason r, esp_info *info) {
  esp_count(db, s, r);
  if (info) info->reason = r;
  return r;
}

/* An authenticated packet the SA accepts: the window records its number (RFC 4303 s3.4.3). */
static esp_reason accepted(sa_db *db, sa *s, uint64_t seq, esp_reason r, esp_info *info) {
  replay_update(&s->replay, seq);
  return finish(db, s, r, info);
}

/* RFC 6040 s4.2 decapsulation: returns false for outer CE over inner Not-ECT (drop). */
static bool ecn_decap(uint8_t inner, uint8_t outer, uint8_t *result) {
  enum { NOT_ECT = 0, ECT1 = 1, ECT0 = 2, CE = 3 };
  *result = inner;
  if (inner == NOT_ECT) return outer != CE;
  if (outer == CE) *result = CE;
  else if (outer == ECT1 && inner == ECT0) *result = ECT1;
  return true;
}

esp_reason esp_decrypt(sa_db *db, const uint8_t *in, size_t in_len, uint64_t now_ns,
                       uint8_t *out, size_t out_cap, size_t *out_len, esp_info *info) {
  *out_len = 0;
  if (info) memset(info, 0, sizeof *info);
  esp_clock(db, now_ns);
  outer_info o;
  esp_reason r = parse_outer(db, in, in_len, &o);
  if (r != ESP_R_OK) return finish(db, NULL, r, info);
  if (o.esp_len < PKT_ESP_HDR_LEN) return finish(db, NULL, ESP_R_ESP_HDR_TRUNCATED, info);
  const uint32_t spi = pkt_rd32(o.esp), seq_low = pkt_rd32(o.esp + 4);
  sa *s = sa_db_find_inbound(db, spi);
  if (!s) return finish(db, NULL, ESP_R_UNKNOWN_SPI, info);
  if (info) info->sa = s;
  const sa_config *c = &s->cfg;
  if (c->local.family != o.family || memcmp(c->local.b, o.dst, o.family == 4 ? 4 : 16) != 0)
    return finish(db, s, ESP_R_DESTINATION_MISMATCH, info);
  if (o.udp != (c->udp != SA_UDP_NONE) || (o.udp && o.udp_dport != c->udp_dst_port))
    return finish(db, s, ESP_R_UDP_ENCAP_MISMATCH, info);
  if (o.esp_len < PKT_ESP_HDR_LEN + ESP_IV_LEN + 2 + ESP_ICV_LEN)
    return finish(db, s, ESP_R_BODY_TOO_SHORT, info);
  const size_t ct_len = o.esp_len - PKT_ESP_HDR_LEN - ESP_IV_LEN - ESP_ICV_LEN;
  if (ct_len > out_cap) { /* the caller's buffer, not the packet: no counter, no state */
    if (info) info->reason = ESP_R_OUTPUT_TOO_SMALL;
    return ESP_R_OUTPUT_TOO_SMALL;
  }

  /* RFC 4303 s3.4.3: replay check before the ICV (cheap rejection), update after it. */
  uint64_t seq;
  replay_verdict rv = replay_check(&s->replay, seq_low, &seq);
  if (info) info->seq = seq;
  if (rv == REPLAY_DUPLICATE) return finish(db, s, ESP_R_REPLAY_DUPLICATE, info);
  if (rv == REPLAY_TOO_OLD) return finish(db, s, ESP_R_REPLAY_TOO_OLD, info);

  const uint8_t *iv = o.esp + PKT_ESP_HDR_LEN, *ct = iv + ESP_IV_LEN, *tag = ct + ct_len;
  uint8_t nonce[12], aad[12];
  const size_t aad_len = esp_nonce_aad(c, iv, seq, nonce, aad); /* seq's low half = seq_low */
  if (info) esp_info_crypto(info, iv, nonce, aad, aad_len, tag);
  if (!gcm_decrypt(s->gcm, nonce, aad, aad_len, ct, ct_len, out, tag, ESP_ICV_LEN))
    return finish(db, s, ESP_R_ICV_MISMATCH, info);
  /* Authenticated from here on. A hard-expired SA drops it without moving the window. */
  if (!esp_lifetime_alive(s, now_ns)) return finish(db, s, ESP_R_LIFETIME_EXPIRED, info);

  pkt_esp_trailer t;
  pkt_err te = pkt_esp_trailer_parse(out, ct_len, true, &t);
  if (te == PKT_ERR_ESP_BAD_PAD_BYTES) return accepted(db, s, seq, ESP_R_BAD_PAD, info);
  if (te != PKT_OK) return accepted(db, s, seq, ESP_R_BAD_PAD_LENGTH, info);
  if (t.next_header == PKT_PROTO_NONE) return accepted(db, s, seq, ESP_R_DUMMY, info);
  if (t.next_header != 4 && t.next_header != 41)
    return accepted(db, s, seq, ESP_R_BAD_NEXT_HEADER, info);

  /* Tunnel mode: the payload is exactly one IP packet of the version the next header names. */
  const size_t L = t.payload_len;
  uint8_t inner_ecn, dscp;
  if (t.next_header == 4) {
    pkt_ipv4_view v;
    if (L < 1 || out[0] >> 4 != 4 || pkt_ipv4_parse(out, L, &v) != PKT_OK || v.total_len != L)
      return accepted(db, s, seq, ESP_R_INNER_INVALID, info);
    inner_ecn = v.tos & 3u;
    dscp = v.tos >> 2;
  } else {
    pkt_ipv6_view v;
    if (L < 1 || out[0] >> 4 != 6 || pkt_ipv6_parse(out, L, &v) != PKT_OK ||
        PKT_IPV6_HDR_LEN + v.payload_len != L)
      return accepted(db, s, seq, ESP_R_INNER_INVALID, info);
    inner_ecn = v.tclass & 3u;
    dscp = v.tclass >> 2;
  }
  uint8_t ecn;
  if (!ecn_decap(inner_ecn, o.tos & 3u, &ecn))
    return accepted(db, s, seq, ESP_R_ECN_CE_NOT_ECT, info);
  /* Kilobytes (this packet's clear bytes) and the soft limits; may expire the SA. */
  if (!esp_lifetime_ok(db, s, now_ns, L)) return finish(db, s, ESP_R_LIFETIME_EXPIRED, info);
  replay_update(&s->replay, seq);
  if (c->copy_outer_dscp) dscp = o.tos >> 2;
  if (t.next_header == 4) {
    if (ecn != inner_ecn) pkt_ipv4_set_ecn(out, ecn);
    if (c->copy_outer_dscp) pkt_ipv4_set_dscp(out, dscp);
  } else {
    pkt_ipv6_set_tclass(out, (uint8_t)(dscp << 2 | ecn));
  }
  *out_len = L;
  s->life_bytes += L;
  (*db->global.v[IPSEC_CTR_DEC_PKTS])++;
  (*s->ctr.v[IPSEC_CTR_DEC_PKTS])++;
  *db->global.v[IPSEC_CTR_DEC_BYTES] += o.ip_len;
  *s->ctr.v[IPSEC_CTR_DEC_BYTES] += o.ip_len;
  if (info) info->payload_len = L;
  return finish(db, s, ESP_R_OK, info);
}
