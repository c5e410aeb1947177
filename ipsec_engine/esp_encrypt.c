/* Outbound: inner IP packet -> outer IP [+ UDP] + ESP (RFC 4303 s3.3, RFC 4106, RFC 4301
 * s5.1.2 tunnel header, RFC 6040 normal-mode ECN copy). */
#include <stdlib.h>
#include <string.h>

#include "esp_transform.h"
#include "model/pkt_esp.h"
#include "model/pkt_ipv4.h"
#include "model/pkt_ipv6.h"
#include "model/pkt_udp.h"

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)(v >> 32)); put32(p + 4, (uint32_t)v); }
static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

typedef struct inner_info {
  uint8_t family;
  uint8_t tos;          /* DSCP + ECN */
  bool df;
  uint32_t flow_label;  /* IPv6 inner only */
  const uint8_t *dst;
  size_t len;           /* the IP packet's own length (link padding excluded) */
} inner_info;

static bool parse_inner(const uint8_t *in, size_t in_len, inner_info *ii) {
  if (in_len < 1) return false;
  if (in[0] >> 4 == 4) {
    pkt_ipv4_view v;
    if (pkt_ipv4_parse(in, in_len, &v) != PKT_OK) return false;
    *ii = (inner_info){4, v.tos, v.df, 0, in + 16, v.total_len};
    return true;
  }
  if (in[0] >> 4 == 6) {
    pkt_ipv6_view v;
    if (pkt_ipv6_parse(in, in_len, &v) != PKT_OK) return false;
    *ii = (inner_info){6, v.tclass, false, v.flow_label, v.dst, PKT_IPV6_HDR_LEN + v.payload_len};
    return true;
  }
  return false;
}

static esp_reason finish(sa_db *db, sa *s, esp_reason r, esp_info *info) {
  esp_count(db, s, r);
  if (info) info->reason = r;
  return r;
}

esp_reason esp_encrypt(sa_db *db, const uint8_t *in, size_t in_len, uint64_t now_ns,
                       uint8_t *out, size_t out_cap, size_t *out_len, esp_info *info) {
  *out_len = 0;
  if (info) memset(info, 0, sizeof *info);
  esp_clock(db, now_ns);
  inner_info ii;
  if (!parse_inner(in, in_len, &ii)) return finish(db, NULL, ESP_R_INNER_INVALID, info);
  sa *s = sa_db_find_outbound(db, ii.family, ii.dst);
  if (!s) return finish(db, NULL, ESP_R_NO_SA, info);
  if (info) info->sa = s;
  const sa_config *c = &s->cfg;

  /* RFC 4303 s3.3.3: the counter never cycles; an exhausted SA stops (rekey is overdue). */
  const uint64_t seq_max = c->esn ? UINT64_MAX : UINT32_MAX;
  if (s->seq >= seq_max) {
    s->seq_exhausted = true;
    return finish(db, s, ESP_R_SEQ_EXHAUSTED, info);
  }
  const size_t L = ii.len;
  const size_t pad = pkt_esp_pad_len(L, 4);            /* (L + pad + 2) % 4 == 0 */
  const size_t outer_hdr = c->local.family == 4 ? PKT_IPV4_MIN_HDR : PKT_IPV6_HDR_LEN;
  const size_t udp = c->udp != SA_UDP_NONE ? PKT_UDP_HDR_LEN : 0;
  const size_t esp_len = PKT_ESP_HDR_LEN + ESP_IV_LEN + L + pad + 2 + ESP_ICV_LEN;
  const size_t total = outer_hdr + udp + esp_len;
  /* Issue 4 adds pre-fragmentation and ICMP here; until then an oversize packet is dropped. */
  if (total > c->tunnel_mtu || total > 65535 + (c->local.family == 6 ? PKT_IPV6_HDR_LEN : 0))
    return finish(db, s, ESP_R_EXCEEDS_MTU, info);
  if (total > out_cap) return finish(db, s, ESP_R_EXCEEDS_MTU, info);
  if (!esp_lifetime_ok(s, now_ns, L)) return finish(db, s, ESP_R_LIFETIME_EXPIRED, info);

  const uint64_t seq = ++s->seq;
  uint8_t *esp = out + outer_hdr + udp;
  put32(esp, c->spi);
  put32(esp + 4, (uint32_t)seq);
  uint8_t *iv = esp + PKT_ESP_HDR_LEN;
  put64(iv, seq);                                      /* IV = 64-bit sequence number */
  uint8_t *pt = iv + ESP_IV_LEN;
  memcpy(pt, in, L);
  size_t tw;
  pkt_esp_trailer_write(pt + L, pad + 2, pad, ii.family == 4 ? 4 : 41, &tw);
  uint8_t nonce[12], aad[12];
  memcpy(nonce, c->salt, SA_SALT_LEN);
  memcpy(nonce + SA_SALT_LEN, iv, ESP_IV_LEN);
  size_t aad_len = 8;
  put32(aad, c->spi);
  if (c->esn) {                                        /* RFC 4106 s5: SPI, seq high, seq low */
    put32(aad + 4, (uint32_t)(seq >> 32));
    put32(aad + 8, (uint32_t)seq);
    aad_len = 12;
  } else {
    put32(aad + 4, (uint32_t)seq);
  }
  const size_t ct_len = L + pad + 2;
  uint8_t *tag = pt + ct_len;
  if (!gcm_encrypt(s->gcm, nonce, aad, aad_len, pt, ct_len, pt, tag)) abort();

  /* Outer header (RFC 4301 s5.1.2.1): DSCP copied, ECN copied (RFC 6040 normal mode). */
  const size_t ip_payload = udp + esp_len;
  if (c->local.family == 4) {
    bool df = c->df == SA_DF_SET || (c->df == SA_DF_COPY && ii.family == 4 && ii.df);
    pkt_ipv4_fields f = {.dscp = ii.tos >> 2, .ecn = ii.tos & 3u, .id = s->ipv4_id++, .df = df,
                         .ttl = c->outer_ttl, .proto = udp ? PKT_PROTO_UDP : PKT_PROTO_ESP,
                         .src = get32(c->local.b), .dst = get32(c->remote.b),
                         .payload_len = ip_payload};
    size_t w;
    pkt_ipv4_build(out, outer_hdr, &f, &w);
  } else {
    pkt_ipv6_fields f = {.dscp = ii.tos >> 2, .ecn = ii.tos & 3u,
                         .flow_label = ii.family == 6 ? ii.flow_label
                                                      : esp_flow_label(esp_flow_hash(in, L)),
                         .payload_len = (uint16_t)ip_payload,
                         .next_header = udp ? PKT_PROTO_UDP : PKT_PROTO_ESP,
                         .hop_limit = c->outer_ttl};
    memcpy(f.src, c->local.b, 16);
    memcpy(f.dst, c->remote.b, 16);
    size_t w;
    pkt_ipv6_build(out, outer_hdr, &f, &w);
  }
  if (udp) {
    /* NAT-T: 4500 -> 4500 (RFC 3948). Multipath: source port from the inner flow hash. */
    uint16_t sport = c->udp == SA_UDP_NATT ? SA_NATT_PORT
                                           : (uint16_t)(49152u + esp_flow_hash(in, L) % 16384u);
    /* IPv4: checksum 0 (RFC 3948 s2.1); IPv6: a real one, written after the tag. */
    pkt_udp_fields uf = {.src_port = sport, .dst_port = c->udp_dst_port, .payload_len = esp_len,
                         .csum = c->local.family == 4 ? PKT_UDP_CSUM_ZERO : PKT_UDP_CSUM_V6,
                         .v6_src = c->local.b, .v6_dst = c->remote.b};
    size_t w;
    pkt_udp_build(out + outer_hdr, udp + esp_len, &uf, &w);
  }
  *out_len = total;
  s->life_bytes += L;
  (*db->global.v[IPSEC_CTR_ENC_PKTS])++;
  (*s->ctr.v[IPSEC_CTR_ENC_PKTS])++;
  *db->global.v[IPSEC_CTR_ENC_BYTES] += L;
  *s->ctr.v[IPSEC_CTR_ENC_BYTES] += L;
  if (info) {
    info->seq = seq;
    info->has_crypto = true;
    memcpy(info->iv, iv, ESP_IV_LEN);
    memcpy(info->nonce, nonce, sizeof nonce);
    memcpy(info->aad, aad, aad_len);
    info->aad_len = aad_len;
    memcpy(info->icv, tag, ESP_ICV_LEN);
    info->payload_len = L;
  }
  return finish(db, s, ESP_R_OK, info);
}
