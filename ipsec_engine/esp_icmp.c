/* ICMP fragmentation-needed and ICMPv6 Packet Too Big for the host path, rate limited. */
#include "esp_icmp.h"

#include <string.h>

#include "model/pkt_err.h"

#include "model/checksum.h"
#include "model/pkt_ipv4.h"
#include "model/pkt_ipv6.h"

#define E9 UINT64_C(1000000000)

bool esp_icmp_bucket_take(icmp_bucket *b, uint64_t now_ns) {
  const uint64_t full = b->burst * E9;
  if (!b->primed) {
    b->primed = true;
    b->tokens_e9 = full;
    b->last_ns = now_ns;
  }
  if (now_ns > b->last_ns) {
    const uint64_t dt = now_ns - b->last_ns;
    if (b->rate_per_s && dt >= full / b->rate_per_s + 1) b->tokens_e9 = full;
    else b->tokens_e9 = b->tokens_e9 + dt * b->rate_per_s > full ? full : b->tokens_e9 + dt * b->rate_per_s;
    b->last_ns = now_ns;
  }
  if (b->tokens_e9 < E9) return false;
  b->tokens_e9 -= E9;
  return true;
}

bool esp_icmp_permitted(const uint8_t *in, size_t len) {
  if (len >= 1 && in[0] >> 4 == 4) {
    pkt_ipv4_view v;
    if (pkt_ipv4_parse(in, len, &v) != PKT_OK || v.frag_offset != 0) return false;
    const uint8_t a = (uint8_t)(v.src >> 24);
    if (a == 0 || a == 127 || a >= 224) return false; /* 0/8, loopback, multicast, class E */
    /* ICMP errors: unreachable, source quench, redirect, time exceeded, parameter problem */
    if (v.proto == 1 && v.payload_len >= 1) {
      const uint8_t t = v.payload[0];
      if (t == 3 || t == 4 || t == 5 || t == 11 || t == 12) return false;
    }
    return true;
  }
  if (len >= 1 && in[0] >> 4 == 6) {
    pkt_ipv6_view v;
    if (pkt_ipv6_parse(in, len, &v) != PKT_OK) return false;
    static const uint8_t zero[16], loop[16] = {[15] = 1};
    if (v.src[0] == 0xFF || !memcmp(v.src, zero, 16) || !memcmp(v.src, loop, 16)) return false;
    if (v.chain.upper_proto == 58 && v.upper_len >= 1 && v.upper[0] < 128) return false;
    return true;
  }
  return false;
}


size_t esp_icmp4_frag_needed(const sa_config *c, const uint8_t *in, size_t len, uint16_t mtu,
                             uint8_t *out, size_t cap) {
  const size_t quote = len < ESP_ICMP4_MAX - 28 ? len : ESP_ICMP4_MAX - 28;
  if (cap < 28 + quote || len < PKT_IPV4_MIN_HDR) return 0;
  uint8_t *icmp = out + PKT_IPV4_MIN_HDR;
  memset(icmp, 0, 8);
  icmp[0] = 3;  /* destination unreachable */
  icmp[1] = 4;  /* fragmentation needed and DF set */
  icmp[6] = (uint8_t)(mtu >> 8);
  icmp[7] = (uint8_t)mtu;
  memcpy(icmp + 8, in, quote);
  const uint16_t cs = csum_compute(icmp, 8 + quote);
  icmp[2] = (uint8_t)(cs >> 8);
  icmp[3] = (uint8_t)cs;
  pkt_ipv4_fields f = {.ttl = 64, .proto = 1,
                       .src = c->local.family == 4 ? pkt_rd32(c->local.b) : pkt_rd32(in + 16),
                       .dst = pkt_rd32(in + 12), .payload_len = 8 + quote};
  size_t w;
  if (pkt_ipv4_build(out, cap, &f, &w) != PKT_OK) return 0;
  return 28 + quote;
}

size_t esp_icmp6_packet_too_big(const sa_config *c, const uint8_t *in, size_t len, uint32_t mtu,
                                uint8_t *out, size_t cap) {
  const size_t quote = len < ESP_ICMP6_MAX - 48 ? len : ESP_ICMP6_MAX - 48;
  if (cap < 48 + quote || len < PKT_IPV6_HDR_LEN) return 0;
  pkt_ipv6_fields f = {.payload_len = (uint16_t)(8 + quote), .next_header = 58, .hop_limit = 64};
  memcpy(f.src, c->local.family == 6 ? c->local.b : in + 24, 16);
  memcpy(f.dst, in + 8, 16);
  size_t w;
  if (pkt_ipv6_build(out, cap, &f, &w) != PKT_OK) return 0;
  uint8_t *icmp = out + PKT_IPV6_HDR_LEN;
  memset(icmp, 0, 8);
  icmp[0] = 2;  /* packet too big, code 0 */
  icmp[4] = (uint8_t)(mtu >> 24);
  icmp[5] = (uint8_t)(mtu >> 16);
  icmp[6] = (uint8_t)(mtu >> 8);
  icmp[7] = (uint8_t)mtu;
  memcpy(icmp + 8, in, quote);
  /* RFC 4443 s2.3: checksum over the RFC 8200 s8.1 pseudo-header and the message. */
  uint8_t ph[8] = {0, 0, (uint8_t)((8 + quote) >> 8), (uint8_t)(8 + quote), 0, 0, 0, 58};
  uint64_t sum = csum_add(0, f.src, 16);
  sum = csum_add(sum, f.dst, 16);
  sum = csum_add(sum, ph, 8);
  sum = csum_add(sum, icmp, 8 + quote);
  const uint16_t cs = csum_finish(sum);
  icmp[2] = (uint8_t)(cs >> 8);
  icmp[3] = (uint8_t)cs;
  return 48 + quote;
}
