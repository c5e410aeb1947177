/* Outbound: inner IP packet -> outer IP [+ UDP] + ESP (RFC 4303 s3.3, RFC 4106, RFC 4301
 * s5.1.2 tunnel header, RFC 6040 normal-mode ECN copy), with the tunnel edge of esp_frag.h:
 * pre-fragmentation, ICMP to the host path, DF modes. */
#include <stdlib.h>
#include <string.h>

#include "model/pkt_err.h"

#include "esp_frag.h"
#include "esp_icmp.h"
#include "esp_transform.h"
#include "model/pkt_esp.h"
#include "model/pkt_ipv4.h"
#include "model/pkt_ipv6.h"
#include "model/pkt_udp.h"


#ifndef ESP_GATHER_MAX
#define ESP_GATHER_MAX 2048u /* see seal() */
#endif

typedef struct inner_info {
  uint8_t family;
  uint8_t tos;          /* DSCP + ECN */
  bool df;
  uint32_t flow_label;  /* IPv6 inner only */
  const uint8_t *dst;
  size_t len;           /* the IP packet's own length (link padding excluded) */
  pkt_ipv4_view v4;     /* IPv4 inner: for pre-fragmentation */
} inner_info;

static bool parse_inner(const uint8_t *in, size_t in_len, inner_info *ii) {
  if (in_len < 1) return false;
  if (in[0] >> 4 == 4) {
    pkt_ipv4_view v;
    if (pkt_ipv4_parse(in, in_len, &v) != PKT_OK) return false;
    *ii = (inner_info){4, v.tos, v.df, 0, in + 16, v.total_len, v};
    return true;
  }
  if (in[0] >> 4 == 6) {
    pkt_ipv6_view v;
    if (pkt_ipv6_parse(in, in_len, &v) != PKT_OK) return false;
    *ii = (inner_info){.family = 6, .tos = v.tclass, .flow_label = v.flow_label, .dst = v.dst,
                       .len = PKT_IPV6_HDR_LEN + v.payload_len};
    return true;
  }
  return false;
}

static esp_reason finish(sa_db *db, sa *s, esp_reason r, esp_info *info) {
  esp_count(db, s, r);
  if (info) info->reason = r;
  return r;
}

/* Per inner datagram, computed before fragmentation (DESIGN). */
typedef struct datagram_ctx {
  uint8_t inner_family, tos;
  bool outer_df;
  uint16_t sport;
  uint32_t flow_label;
} datagram_ctx;

static size_t esp_packet_len(const sa_config *c, size_t L) {
  return (c->local.family == 4 ? PKT_IPV4_MIN_HDR : PKT_IPV6_HDR_LEN) +
         (c->udp != SA_UDP_NONE ? PKT_UDP_HDR_LEN : 0) + PKT_ESP_HDR_LEN + ESP_IV_LEN + L +
         pkt_esp_pad_len(L, 4) + 2 + ESP_ICV_LEN;
}

/* One ESP packet around the inner packet hdr[0..hl) || data[0..dl) (a whole datagram has
 * dl == 0). The caller checked size, sequence space and lifetime. */
static void seal(sa_db *db, sa *s, const datagram_ctx *d, const uint8_t *hdr, size_t hl,
                 const uint8_t *data, size_t dl, uint8_t *out, size_t *out_len, esp_info *info) {
  const sa_config *c = &s->cfg;
  const size_t L = hl + dl;
  const size_t pad = pkt_esp_pad_len(L, 4);            /* (L + pad + 2) % 4 == 0 */
  const size_t outer_hdr = c->local.family == 4 ? PKT_IPV4_MIN_HDR : PKT_IPV6_HDR_LEN;
  const size_t udp = c->udp != SA_UDP_NONE ? PKT_UDP_HDR_LEN : 0;
  const size_t esp_len = PKT_ESP_HDR_LEN + ESP_IV_LEN + L + pad + 2 + ESP_ICV_LEN;
  const uint64_t seq = ++s->seq;
  uint8_t *esp = out + outer_hdr + udp;
  pkt_wr32(esp, c->spi);
  pkt_wr32(esp + 4, (uint32_t)seq);
  uint8_t *iv = esp + PKT_ESP_HDR_LEN;
  pkt_wr64(iv, seq);                                      /* IV = 64-bit sequence number */
  uint8_t *pt = iv + ESP_IV_LEN;
  /* Up to ESP_GATHER_MAX bytes, the plaintext (inner header, data, trailer) is copied into
   * the ESP payload and encrypted in place by ONE update: an extra EVP update costs more
   * than copying a 1500-byte packet (callgrind: ~350 instructions of EVP/provider dispatch;
   * bench_esp at 1500 B: 1.27x -> 1.20x). For jumbo packets the copy costs more than the
   * update (9000 B: 1.08x -> 1.31x), so GCM reads the parts from the input instead.
   * memmove rather than memcpy: same cost, and no undefined behaviour if buffers overlap. */
  const bool gather = L <= ESP_GATHER_MAX;
  uint8_t trailer[3 + 2];
  size_t tw;
  pkt_esp_trailer_write(gather ? pt + L : trailer, pad + 2, pad, d->inner_family == 4 ? 4 : 41,
                        &tw);
  if (gather) {
    memmove(pt, hdr, hl);
    if (dl) memmove(pt + hl, data, dl);
  }
  uint8_t nonce[12], aad[12];
  const size_t aad_len = esp_nonce_aad(c, iv, seq, nonce, aad);
  const size_t ct_len = L + pad + 2;
  uint8_t *tag = pt + ct_len;
  /* A keyed EVP context fails only on an internal OpenSSL error (no allocation happens per
   * packet); sending an unauthenticated packet would be worse than stopping. */
  const gcm_part parts[3] = {{hdr, hl}, {data, dl}, {trailer, pad + 2}};
  if (!(gather ? gcm_encrypt(s->gcm, nonce, aad, aad_len, pt, ct_len, pt, tag)
               : gcm_encrypt_parts(s->gcm, nonce, aad, aad_len, parts, 3, pt, tag)))
    abort();

  /* Outer header (RFC 4301 s5.1.2.1): DSCP copied, ECN copied (RFC 6040 normal mode). */
  const size_t ip_payload = udp + esp_len;
  if (c->local.family == 4) {
    pkt_ipv4_fields f = {.dscp = d->tos >> 2, .ecn = d->tos & 3u, .id = s->ipv4_id++,
                         .df = d->outer_df, .ttl = c->outer_ttl,
                         .proto = udp ? PKT_PROTO_UDP : PKT_PROTO_ESP,
                         .src = pkt_rd32(c->local.b), .dst = pkt_rd32(c->remote.b),
                         .payload_len = ip_payload};
    size_t w;
    pkt_ipv4_build(out, outer_hdr, &f, &w);
  } else {
    pkt_ipv6_fields f = {.dscp = d->tos >> 2, .ecn = d->tos & 3u, .flow_label = d->flow_label,
                         .payload_len = (uint16_t)ip_payload,
                         .next_header = udp ? PKT_PROTO_UDP : PKT_PROTO_ESP,
                         .hop_limit = c->outer_ttl};
    memcpy(f.src, c->local.b, 16);
    memcpy(f.dst, c->remote.b, 16);
    size_t w;
    pkt_ipv6_build(out, outer_hdr, &f, &w);
  }
  if (udp) {
    /* NAT-T: 4500 -> 4500 (RFC 3948). Multipath: source port from the inner flow hash.
     * IPv4: checksum 0 (RFC 3948 s2.1); IPv6: a real one over the whole datagram, ICV
     * included, so written last. */
    pkt_udp_fields uf = {.src_port = d->sport, .dst_port = c->udp_dst_port, .payload_len = esp_len,
                         .csum = c->local.family == 4 ? PKT_UDP_CSUM_ZERO : PKT_UDP_CSUM_V6,
                         .v6_src = c->local.b, .v6_dst = c->remote.b};
    size_t w;
    pkt_udp_build(out + outer_hdr, udp + esp_len, &uf, &w);
  }
  *out_len = outer_hdr + ip_payload;
  s->life_bytes += L;
  (*db->global.v[IPSEC_CTR_ENC_PKTS])++;
  (*s->ctr.v[IPSEC_CTR_ENC_PKTS])++;
  *db->global.v[IPSEC_CTR_ENC_BYTES] += L;
  *s->ctr.v[IPSEC_CTR_ENC_BYTES] += L;
  if (info) {
    info->reason = ESP_R_OK;
    info->sa = s;
    info->seq = seq;
    esp_info_crypto(info, iv, nonce, aad, aad_len, tag);
    info->payload_len = L;
  }
}

/* The ICMP error for a datagram that does not fit and may not be fragmented. */
static esp_reason send_icmp(sa_db *db, const sa *s, const inner_info *ii, const uint8_t *in,
                            uint64_t now_ns, uint8_t *host, size_t host_cap, esp_burst *b) {
  if (!host || !esp_icmp_permitted(in, ii->len)) return ESP_R_EXCEEDS_MTU;
  if (!esp_icmp_bucket_take(&db->icmp, now_ns)) return ESP_R_MTU_ICMP_RATE_LIMITED;
  const uint32_t mtu = sa_max_inner(&s->cfg);
  b->host_len = ii->family == 4
      ? esp_icmp4_frag_needed(&s->cfg, in, ii->len, (uint16_t)mtu, host, host_cap)
      : esp_icmp6_packet_too_big(&s->cfg, in, ii->len, mtu, host, host_cap);
  return b->host_len ? ESP_R_MTU_ICMP_SENT : ESP_R_EXCEEDS_MTU;
}

/* Over many SAs (spread traffic) the SA's lines miss in L2: ask for the ones this packet
 * writes or reads late (counters, GCM context handle) while the checks below run. */
static void prefetch_sa(const sa *s) {
  __builtin_prefetch(s->gcm);
  __builtin_prefetch(s->ctr.v[IPSEC_CTR_ENC_PKTS], 1);
  __builtin_prefetch(s->ctr.v[IPSEC_CTR_ENC_BYTES], 1);
  __builtin_prefetch((const char *)&s->cfg + 64);
  __builtin_prefetch((const char *)&s->cfg + 128);
  __builtin_prefetch((const char *)&s->cfg + 192);
}

static esp_reason encrypt_datagram(sa_db *db, sa *given, const uint8_t *in, size_t in_len, uint64_t now_ns,
                                   bool edges, uint8_t *out, size_t out_cap, uint8_t *host,
                                   size_t host_cap, esp_burst *b, esp_info *infos) {
  /* Only the scalars: the off/len arrays (2.5 KB) are valid up to n and written before use;
   * clearing them per packet was a measurable share of the per-packet cost. */
  b->n = 0;
  b->fragmented = false;
  b->host_len = 0;
  if (infos) memset(infos, 0, sizeof *infos);
  esp_clock(db, now_ns);
  inner_info ii;
  if (!parse_inner(in, in_len, &ii)) return finish(db, NULL, ESP_R_INNER_INVALID, infos);
  sa *s = given ? given : sa_db_find_outbound(db, ii.family, ii.dst);
  if (!s) return finish(db, NULL, ESP_R_NO_SA, infos);
  prefetch_sa(s);
  if (infos) infos->sa = s;
  const sa_config *c = &s->cfg;
  /* RFC 4303 s3.3.3: the counter never cycles; an exhausted SA stops (rekey is overdue). */
  const uint64_t seq_max = c->esn ? UINT64_MAX : UINT32_MAX;
  if (s->seq >= seq_max) {
    s->seq_exhausted = true;
    return finish(db, s, ESP_R_SEQ_EXHAUSTED, infos);
  }
  if (!esp_lifetime_ok(db, s, now_ns, 0)) return finish(db, s, ESP_R_LIFETIME_EXPIRED, infos);

  /* The hash feeds only the multipath source port and an IPv6 outer flow label for a
   * non-IPv6 inner packet: skip it otherwise (it is a per-packet cost). */
  const bool need_hash = c->udp == SA_UDP_MULTIPATH || (c->local.family == 6 && ii.family != 6);
  const uint32_t h = need_hash ? esp_flow_hash(in, ii.len) : 0;
  datagram_ctx d = {.inner_family = ii.family, .tos = ii.tos,
                    .outer_df = c->df == SA_DF_SET || (c->df == SA_DF_COPY && ii.family == 4 && ii.df),
                    .sport = c->udp == SA_UDP_MULTIPATH ? (uint16_t)(49152u + h % 16384u)
                                                        : (uint16_t)SA_NATT_PORT,
                    .flow_label = ii.family == 6 ? ii.flow_label : esp_flow_label(h)};
  const size_t max_inner = sa_max_inner(c);
  esp_frag_plan plan = {.n = 1};
  if (ii.len > max_inner) {
    if (!edges) return finish(db, s, ESP_R_EXCEEDS_MTU, infos);
    if (ii.family == 6 || (ii.df && c->df != SA_DF_CLEAR))
      return finish(db, s, send_icmp(db, s, &ii, in, now_ns, host, host_cap, b), infos);
    if (!esp_frag_plan_make(&ii.v4, max_inner, &plan)) return finish(db, s, ESP_R_EXCEEDS_MTU, infos);
  }
  /* Room, sequence numbers and lifetime bytes for the whole datagram, before any packet. */
  size_t clear = ii.len, need = esp_packet_len(c, ii.len);
  if (plan.n > 1) {
    clear = need = 0;
    for (size_t i = 0; i < plan.n; i++) {
      const size_t Li = i == 0 ? ii.v4.hdr_len + plan.first_data
                      : plan.rest_hl + (i + 1 < plan.n ? plan.rest_data
                                        : ii.v4.payload_len - plan.first_data - (i - 1) * plan.rest_data);
      clear += Li;
      need += esp_packet_len(c, Li);
    }
  }
  if (need > out_cap) return finish(db, s, ESP_R_EXCEEDS_MTU, infos);
  if (seq_max - s->seq < plan.n) {
    s->seq_exhausted = true;
    return finish(db, s, ESP_R_SEQ_EXHAUSTED, infos);
  }
  if (!esp_lifetime_ok(db, s, now_ns, clear)) return finish(db, s, ESP_R_LIFETIME_EXPIRED, infos);

  size_t at = 0;
  if (plan.n == 1) {
    b->off[0] = 0;
    seal(db, s, &d, in, ii.len, NULL, 0, out, &b->len[0], infos);
    b->n = 1;
    return finish(db, s, ESP_R_OK, infos);
  }
  for (size_t i = 0; i < plan.n; i++) {
    uint8_t fh[PKT_IPV4_MAX_HDR];
    size_t off, dl;
    const size_t hl = esp_frag_header(&ii.v4, &plan, i, fh, &off, &dl);
    b->off[i] = at;
    seal(db, s, &d, fh, hl, ii.v4.payload + off, dl, out + at, &b->len[i], infos ? infos + i : NULL);
    at += b->len[i];
  }
  b->n = plan.n;
  b->fragmented = true;
  (*db->global.v[IPSEC_CTR_MTU_FRAGMENTED])++;
  (*s->ctr.v[IPSEC_CTR_MTU_FRAGMENTED])++;
  return finish(db, s, ESP_R_OK, infos);
}

esp_reason esp_encrypt_burst(sa_db *db, const uint8_t *in, size_t in_len, uint64_t now_ns,
                             uint8_t *out, size_t out_cap, uint8_t *host, size_t host_cap,
                             esp_burst *b, esp_info *infos) {
  return encrypt_datagram(db, NULL, in, in_len, now_ns, true, out, out_cap, host, host_cap, b, infos);
}

esp_reason esp_encrypt_burst_on(sa_db *db, sa *s, const uint8_t *in, size_t in_len, uint64_t now_ns,
                                uint8_t *out, size_t out_cap, uint8_t *host, size_t host_cap,
                                esp_burst *b, esp_info *infos) {
  return encrypt_datagram(db, s, in, in_len, now_ns, true, out, out_cap, host, host_cap, b, infos);
}

esp_reason esp_encrypt(sa_db *db, const uint8_t *in, size_t in_len, uint64_t now_ns,
                       uint8_t *out, size_t out_cap, size_t *out_len, esp_info *info) {
  esp_burst b;
  esp_reason r = encrypt_datagram(db, NULL, in, in_len, now_ns, false, out, out_cap, NULL, 0, &b, info);
  *out_len = r == ESP_R_OK ? b.len[0] : 0;
  return r;
}
