/* ICMP errors the transform sends to the exception (host) path when an inner packet does not
 * fit the tunnel MTU and may not be fragmented: ICMP Destination Unreachable /
 * fragmentation needed (type 3 code 4, next-hop MTU in bytes 6-7, RFC 1191 s4) and ICMPv6
 * Packet Too Big (type 2 code 0, 32-bit MTU, RFC 4443 s3.2). DESIGN: source = the SA's
 * `local` address (when the inner family differs from the tunnel's, the SA has no address
 * of that family and the inner packet's destination is used), destination = the inner
 * source, TTL / hop limit 64, IPv4 ID 0 and DF 0, TOS 0; the quote is as much of the inner
 * packet as fits in 576 bytes for ICMPv4 (RFC 1812 s4.3.2.3) and 1280 for ICMPv6 (RFC 4443
 * s2.4(c)). A token bucket on packet time limits them (default 100 per second, burst 10). */
#ifndef IPSECSIM_ESP_ICMP_H
#define IPSECSIM_ESP_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec_engine/sa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ESP_ICMP4_MAX 576u
#define ESP_ICMP6_MAX 1280u

/* Takes one token at now_ns; false when the bucket is empty. The first call fills it. */
bool esp_icmp_bucket_take(icmp_bucket *b, uint64_t now_ns);

/* Whether an ICMP error may answer this inner packet: not for ICMP errors themselves,
 * non-initial fragments, or unspecified / loopback / multicast / broadcast sources
 * (RFC 1812 s4.3.2.7, RFC 4443 s2.4(e)). len = the inner IP packet's own length. */
bool esp_icmp_permitted(const uint8_t *in, size_t len);

/* Build the error into out (cap >= ESP_ICMP4_MAX / ESP_ICMP6_MAX); return its length. */
size_t esp_icmp4_frag_needed(const sa_config *c, const uint8_t *in, size_t len, uint16_t mtu,
                             uint8_t *out, size_t cap);
size_t esp_icmp6_packet_too_big(const sa_config *c, const uint8_t *in, size_t len, uint32_t mtu,
                                uint8_t *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
