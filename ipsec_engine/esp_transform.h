/* ESP tunnel-mode transform (RFC 4303, AES-GCM per RFC 4106) on byte buffers: an inner IP
 * packet becomes outer IP [+ UDP] + ESP, and back. A pure transform: no routing, no TTL
 * decrement of the inner packet. Every packet ends in one esp_reason; the transform bumps
 * exactly the counter of that reason (global, and the SA's when the SA is known), or on
 * success the packet and byte counters. Implementation-defined fields (chosen here):
 * IV = 64-bit sequence number, pad bytes 1, 2, 3, ..., outer TTL/hop limit = SA outer_ttl,
 * outer IPv4 ID = per-SA counter from 0, IPv6 flow label copied from an IPv6 inner packet
 * else esp_flow_hash (FNV-1a 32 of the inner 5-tuple, folded to 20 bits). */
#ifndef IPSECSIM_ESP_TRANSFORM_H
#define IPSECSIM_ESP_TRANSFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ipsec_engine/ipsec_counters.h"
#include "ipsec_engine/sa.h"
#include "model/pkt_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ESP_IV_LEN 8u
#define ESP_ICV_LEN 16u
/* Largest growth of a packet by encryption: IPv6 outer + UDP + SPI/seq + IV + pad (3) +
 * pad length + next header + ICV. Output buffers need in_len + ESP_MAX_OVERHEAD. */
#define ESP_MAX_OVERHEAD (40u + 8u + 8u + ESP_IV_LEN + 3u + 2u + ESP_ICV_LEN)

/* What the transform did to one packet (for --vectors and tests). Never holds the key. */
typedef struct esp_info {
  esp_reason reason;
  const sa *sa;          /* NULL when no SA was found */
  uint64_t seq;          /* full (ESN-inferred) sequence number, 0 if none */
  bool has_crypto;       /* iv/nonce/aad valid: the GCM operation ran */
  uint8_t iv[ESP_IV_LEN];
  uint8_t nonce[12];     /* salt || IV (RFC 4106 s4) */
  uint8_t aad[12];
  size_t aad_len;        /* 8, or 12 with ESN (RFC 4106 s5) */
  uint8_t icv[ESP_ICV_LEN];
  size_t payload_len;    /* bytes of the inner packet */
} esp_info;

/* in = an IPv4 or IPv6 packet (bytes after its total length are ignored as link padding).
 * out gets the outer IP packet; out_cap >= in_len + ESP_MAX_OVERHEAD. now_ns = packet time
 * (the first packet on an SA starts its lifetime). info may be NULL. One packet in, at most
 * one out: a packet that does not fit tunnel_mtu is dropped as exceeds_tunnel_mtu (the
 * tunnel edge with pre-fragmentation and ICMP is esp_encrypt_burst in esp_frag.h). */
esp_reason esp_encrypt(sa_db *db, const uint8_t *in, size_t in_len, uint64_t now_ns,
                       uint8_t *out, size_t out_cap, size_t *out_len, esp_info *info);

/* in = an outer IP packet carrying ESP (or ESP in UDP). out gets the inner packet;
 * out_cap >= in_len. A smaller out_cap that cannot hold the decrypted body returns
 * ESP_R_OUTPUT_TOO_SMALL without counting anything or touching the SA. */
esp_reason esp_decrypt(sa_db *db, const uint8_t *in, size_t in_len, uint64_t now_ns,
                       uint8_t *out, size_t out_cap, size_t *out_len, esp_info *info);

/* FNV-1a 32 over the inner packet's source and destination addresses, protocol and, for
 * TCP/UDP/SCTP first fragments, the two ports (else 0 and 0). 0 for a non-IP packet. */
uint32_t esp_flow_hash(const uint8_t *inner, size_t len);
/* RFC 6437 flow label from that hash: low 20 bits XOR the high 12. */
static inline uint32_t esp_flow_label(uint32_t h) { return (h ^ (h >> 20)) & 0xFFFFFu; }

/* Shared by encrypt and decrypt (RFC 4106 s4, s5): nonce = salt || IV; AAD = SPI || seq low
 * (8 bytes), or SPI || seq high || seq low (12 bytes) with ESN, the high half never on the
 * wire. Returns the AAD length. */
static inline size_t esp_nonce_aad(const sa_config *c, const uint8_t iv[ESP_IV_LEN], uint64_t seq,
                                   uint8_t nonce[12], uint8_t aad[12]) {
  memcpy(nonce, c->salt, SA_SALT_LEN);
  memcpy(nonce + SA_SALT_LEN, iv, ESP_IV_LEN);
  pkt_wr32(aad, c->spi);
  if (!c->esn) {
    pkt_wr32(aad + 4, (uint32_t)seq);
    return 8;
  }
  pkt_wr32(aad + 4, (uint32_t)(seq >> 32));
  pkt_wr32(aad + 8, (uint32_t)seq);
  return 12;
}

/* Records the GCM operation's inputs in info for --vectors (never the key). */
static inline void esp_info_crypto(esp_info *info, const uint8_t iv[ESP_IV_LEN],
                                   const uint8_t nonce[12], const uint8_t aad[12], size_t aad_len,
                                   const uint8_t icv[ESP_ICV_LEN]) {
  info->has_crypto = true;
  memcpy(info->iv, iv, ESP_IV_LEN);
  memcpy(info->nonce, nonce, 12);
  memcpy(info->aad, aad, aad_len);
  info->aad_len = aad_len;
  memcpy(info->icv, icv, ESP_ICV_LEN);
}

/* Shared by encrypt and decrypt: bump the counter of `r` (or nothing for ESP_R_OK). */
void esp_count(sa_db *db, sa *s, esp_reason r);
/* Lifetime (esp_lifetime.c): time zero is SA install, in `esp` the run's first packet
 * (esp_clock, called by esp_encrypt/esp_decrypt); soft = soft_lifetime_* or 82% of hard,
 * raising one rekey event; at the hard limit the SA expires for good. clear_bytes are the
 * clear-side bytes this packet would add; false = drop (lifetime_expired). */
void esp_clock(sa_db *db, uint64_t now_ns);
bool esp_lifetime_ok(sa_db *db, sa *s, uint64_t now_ns, uint64_t clear_bytes);
/* Hard time limit only (no soft event, no counter): false when the SA is, or now becomes,
 * hard-expired. Decrypt calls it for authenticated packets before the trailer checks. */
bool esp_lifetime_alive(sa *s, uint64_t now_ns);

#ifdef __cplusplus
}
#endif
#endif
