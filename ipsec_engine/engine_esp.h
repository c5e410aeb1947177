/* ESP packet shapes for the engine's timing (payload none): what a clear datagram becomes on
 * an outbound SA, what an inbound ESP packet costs, in the same lengths as the ESP transform
 * (esp_encrypt.c): outer IPv4 20 / IPv6 40, UDP 8 (NAT-T or multipath), SPI + sequence 8,
 * IV 8, pad to a 4-byte boundary (pkt_esp_pad_len), pad length + next header 2, ICV 16;
 * AAD = SPI || seq, 8 bytes, or 12 with ESN (RFC 4106 s5); the lane's text P = L + pad + 2.
 * Pre-fragmentation at the tunnel MTU: the fragment plan is esp_frag_plan_make's (every
 * fragment is its own ESP packet); with df set/copy an inner IPv4 with DF 1, or an inner IPv6,
 * that does not fit is not carried (the transform sends ICMP to the host path instead).
 * Frames: the engine sees IP packets; a frame is the IP packet + 14 (Ethernet II) + 4 (FCS),
 * at least 64 bytes (RFC 2544 sizes include the FCS). Tests cross-check these lengths
 * against esp_encrypt_burst on real packets. */
#ifndef IPSECSIM_ENGINE_ESP_H
#define IPSECSIM_ENGINE_ESP_H

#include <stdbool.h>
#include <stdint.h>

#include "ipsec_engine/sa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENGINE_ETH_OVERHEAD 18u /* Ethernet II header 14 + FCS 4 */
#define ENGINE_MIN_FRAME 64u
#define ENGINE_L1_OVERHEAD 20u  /* preamble + SFD + inter-frame gap */

typedef enum engine_dir { ENGINE_ENCRYPT = 0, ENGINE_DECRYPT = 1 } engine_dir;

/* What the engine's timing needs of an SA (no key material). */
typedef struct engine_sa {
  engine_dir dir;          /* outbound SA: encrypt; inbound: decrypt */
  uint8_t outer_family;    /* 4 or 6 */
  sa_udp_mode udp;
  bool esn;
  uint32_t replay_window;  /* inbound */
  uint32_t tunnel_mtu;     /* bounds the outer (ESP) IP packet */
  sa_df_mode df;
  uint64_t initial_seq;    /* outbound: last sent; inbound: window right edge */
  uint16_t key_bits;       /* 128 or 256 (0: 128): the SA cache's fill cost (gcm_timing.h 6) */
} engine_sa;

void engine_sa_from_config(const sa_config *c, engine_sa *out);

/* Store-and-forward on the engine's output: decrypt (the ICV decides), and encrypt with an
 * IPv6 outer UDP header (its checksum covers the ICV, written after the tag). */
bool engine_sa_store_and_forward(const engine_sa *s);

static inline uint32_t engine_frame_bytes(uint32_t ip_bytes) {
  const uint32_t f = ip_bytes + ENGINE_ETH_OVERHEAD;
  return f < ENGINE_MIN_FRAME ? ENGINE_MIN_FRAME : f;
}

/* One ESP packet. */
typedef struct engine_esp_shape {
  uint32_t inner_bytes;    /* L: the inner IP packet (or fragment) it carries */
  uint32_t esp_ip_bytes;   /* the outer IP packet */
  uint32_t aad_bytes;      /* A */
  uint32_t text_bytes;     /* P = L + pad + 2 */
} engine_esp_shape;

/* Bytes of an ESP packet besides L and the pad: outer IP, UDP, SPI/seq, IV, trailer, ICV. */
uint32_t engine_esp_fixed_bytes(const engine_sa *s);
/* The shape of one ESP packet carrying L inner bytes. */
engine_esp_shape engine_esp_shape_of(const engine_sa *s, uint32_t inner_bytes);

/* What one clear datagram becomes: n ESP packets, the first, the middle ones (all alike) and
 * the last (all three equal when n == 1). */
typedef struct engine_esp_plan {
  uint32_t n;
  engine_esp_shape first, middle, last;
} engine_esp_plan;

typedef enum engine_plan_result {
  ENGINE_PLAN_OK = 0,
  ENGINE_PLAN_NEEDS_ICMP,  /* does not fit and may not be fragmented: ICMP to the host path */
  ENGINE_PLAN_UNFIT        /* cannot be split within ESP_BURST_MAX fragments */
} engine_plan_result;

/* inner_family 4 or 6; inner_df: the inner IPv4 DF bit; inner_ip_bytes >= 20 (IPv4, no
 * options) or >= 40 (IPv6). */
engine_plan_result engine_esp_plan_encrypt(const engine_sa *s, uint8_t inner_family, bool inner_df,
                                           uint32_t inner_ip_bytes, engine_esp_plan *plan);
static inline const engine_esp_shape *engine_plan_at(const engine_esp_plan *p, uint32_t i) {
  return i == 0 ? &p->first : i + 1 == p->n ? &p->last : &p->middle;
}

/* Largest clear datagram one ESP packet of this SA carries (sa_max_inner). */
uint32_t engine_sa_max_inner(const engine_sa *s);
/* Largest lane text P any packet of this SA may have (ESP IP packet <= tunnel_mtu). */
uint32_t engine_sa_max_text(const engine_sa *s);

#ifdef __cplusplus
}
#endif
#endif
