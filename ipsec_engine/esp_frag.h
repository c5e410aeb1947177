/* Tunnel edge of the outbound transform: pre-fragmentation of inner IPv4 (RFC 4459 s3.1,
 * RFC 791), ICMP fragmentation-needed / ICMPv6 Packet Too Big to the host path, DF modes
 * (RFC 4301 s8.1), all in esp_encrypt_burst. DESIGN rules:
 * - tunnel_mtu bounds each outer (ESP) IP packet; sa_max_inner(c) is the largest inner packet;
 * - df_bit clear: outer DF 0 and inner IPv4 (DF 1 too) is always pre-fragmented to fit;
 *   set: outer DF 1; copy: outer DF = inner DF (0 for IPv6 inner). With set or copy an inner
 *   IPv4 with DF 1 that does not fit gets ICMP type 3 code 4 (next-hop MTU = sa_max_inner)
 *   instead; an inner IPv6 that does not fit gets ICMPv6 Packet Too Big (MTU = sa_max_inner);
 * - fragmentation is maximal-first: every fragment but the last is as large as fits with a
 *   payload that is a multiple of 8 bytes; same ID, DF 0, MF 1 except on the last (which keeps
 *   the original MF), offsets added to the original's, options repeated only when their copy
 *   flag is set (first fragment: all options), header checksums recomputed;
 * - flow label and multipath source port are computed once per inner datagram, before
 *   fragmentation, so every fragment carries the same ones. */
#ifndef IPSECSIM_ESP_FRAG_H
#define IPSECSIM_ESP_FRAG_H

#include "ipsec_engine/esp_transform.h"
#include "model/pkt_ipv4.h"

#ifdef __cplusplus
extern "C" {
#endif

/* At tunnel_mtu 576 with IPv6 outer, UDP and a 60-byte copied header a 65535-byte datagram
 * needs 152 fragments. */
#define ESP_BURST_MAX 160u
#define ESP_BURST_OUT_CAP (65535u + ESP_BURST_MAX * (ESP_MAX_OVERHEAD + PKT_IPV4_MAX_HDR))
#define ESP_HOST_CAP 1280u /* an ICMPv6 PTB is at most 1280 bytes, an ICMPv4 one 576 */

typedef struct esp_burst {
  size_t n;                         /* ESP packets written to out */
  size_t off[ESP_BURST_MAX], len[ESP_BURST_MAX];
  bool fragmented;                  /* the inner datagram was pre-fragmented (n >= 2) */
  size_t host_len;                  /* ICMP / ICMPv6 packet in host, 0 = none */
} esp_burst;

/* One inner datagram in; ESP packets to out (out_cap >= ESP_BURST_OUT_CAP is always enough),
 * an ICMP error to host (host_cap >= ESP_HOST_CAP) for the exception path. infos: NULL or
 * ESP_BURST_MAX entries, one per ESP packet (infos[0] carries the reason of a drop).
 * Returns ESP_R_OK when every ESP packet was written. */
esp_reason esp_encrypt_burst(sa_db *db, const uint8_t *in, size_t in_len, uint64_t now_ns,
                             uint8_t *out, size_t out_cap, uint8_t *host, size_t host_cap,
                             esp_burst *b, esp_info *infos);

/* The same on a given outbound SA s of db (no selector lookup): the ASIC model binds the SA
 * by its route (st0.N) before the engine sees the packet. */
esp_reason esp_encrypt_burst_on(sa_db *db, sa *s, const uint8_t *in, size_t in_len, uint64_t now_ns,
                                uint8_t *out, size_t out_cap, uint8_t *host, size_t host_cap,
                                esp_burst *b, esp_info *infos);

/* Pre-fragmentation plan of an IPv4 datagram v whose fragments may be at most max_len bytes. */
typedef struct esp_frag_plan {
  size_t n;                         /* fragments */
  size_t first_data, rest_data;     /* payload bytes of a non-last fragment (multiples of 8) */
  size_t rest_hl;                   /* header length of fragments after the first */
  uint8_t rest_opts[40];            /* options with the copy flag, EOL-padded to rest_hl - 20 */
} esp_frag_plan;

/* false when the datagram cannot be split into at most ESP_BURST_MAX fragments of max_len
 * (malformed options, or fewer than 8 payload bytes per fragment). */
bool esp_frag_plan_make(const pkt_ipv4_view *v, size_t max_len, esp_frag_plan *p);
/* Header of fragment i into hdr (<= 60 bytes, checksum set); its payload is
 * v->payload + *data_off, *data_len bytes. Returns the header length. */
size_t esp_frag_header(const pkt_ipv4_view *v, const esp_frag_plan *p, size_t i, uint8_t *hdr,
                       size_t *data_off, size_t *data_len);

#ifdef __cplusplus
}
#endif
#endif
