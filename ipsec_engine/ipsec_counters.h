/* IPsec counters as in the seed's `show security ipsec statistics`, global and per SA, plus
 * the events kept outside the seed's six error counters, and the finer named drop
 * reason of every packet. Each reason maps to exactly one counter (a fault changes exactly
 * one counter). Byte counters follow the seed's own numbers: its example shows Decrypted
 * bytes - Encrypted bytes = 54 per packet (= IPv4 outer 20 + SPI/seq 8 + IV 8 + pad length and
 * next header 2 + ICV 16), so Encrypted bytes count the clear (inner) IP packet going into
 * encryption and Decrypted bytes the ESP (outer) IP packet going into decryption. */
#ifndef IPSECSIM_IPSEC_COUNTERS_H
#define IPSECSIM_IPSEC_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model/stats.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ipsec_ctr {
  IPSEC_CTR_ENC_BYTES,        /* ESP Statistics: Encrypted bytes */
  IPSEC_CTR_DEC_BYTES,        /* Decrypted bytes */
  IPSEC_CTR_ENC_PKTS,         /* Encrypted packets */
  IPSEC_CTR_DEC_PKTS,         /* Decrypted packets */
  IPSEC_CTR_AH_IN_BYTES,      /* AH Statistics (AH is not supported: always 0) */
  IPSEC_CTR_AH_OUT_BYTES,
  IPSEC_CTR_AH_IN_PKTS,
  IPSEC_CTR_AH_OUT_PKTS,
  IPSEC_CTR_AH_AUTH_FAIL,     /* Errors: the seed's six */
  IPSEC_CTR_REPLAY,
  IPSEC_CTR_ESP_AUTH_FAIL,
  IPSEC_CTR_ESP_DECRYPT_FAIL,
  IPSEC_CTR_BAD_HEADERS,
  IPSEC_CTR_BAD_TRAILERS,
  IPSEC_CTR_DUMMY,            /* events outside the six error counters */
  IPSEC_CTR_SEQ_EXHAUSTED,
  IPSEC_CTR_LIFETIME_EXPIRED,
  IPSEC_CTR_ECN_CE_NOT_ECT,
  IPSEC_CTR_NO_SA,
  IPSEC_CTR_EXCEEDS_MTU,
  IPSEC_CTR_HOST_IKE,
  IPSEC_CTR_HOST_KEEPALIVE,
  IPSEC_CTR_INNER_INVALID,
  IPSEC_CTR_MTU_FRAGMENTED,   /* inner datagrams pre-fragmented to fit (RFC 4459 s3.1) */
  IPSEC_CTR_MTU_ICMP,         /* dropped above tunnel MTU, ICMP / ICMPv6 PTB sent to the host path */
  IPSEC_CTR_SOFT_LIFETIME,    /* SAs past their soft lifetime: rekey events */
  IPSEC_CTR_CAPTURE_TRUNCATED,/* `esp` input: pcap records cut by the snaplen, not processed */
  IPSEC_CTR_COUNT
} ipsec_ctr;

typedef enum esp_reason {
  ESP_R_OK = 0,
  /* bad headers */
  ESP_R_OUTER_MALFORMED,      /* outer IP header unparsable or checksum wrong */
  ESP_R_OUTER_FRAGMENT,       /* no reassembly before decryption */
  ESP_R_NOT_ESP,              /* outer protocol neither ESP nor UDP */
  ESP_R_UDP_MALFORMED,        /* UDP header/length/checksum wrong */
  ESP_R_UDP_ENCAP_MISMATCH,   /* ESP in UDP on an SA without it, or plain ESP on one with it */
  ESP_R_ESP_HDR_TRUNCATED,    /* fewer than 8 bytes of SPI + sequence */
  ESP_R_UNKNOWN_SPI,
  ESP_R_DESTINATION_MISMATCH, /* known SPI for another outer destination */
  /* decryption failures */
  ESP_R_BODY_TOO_SHORT,       /* cannot hold IV, trailer and ICV */
  /* replay */
  ESP_R_REPLAY_DUPLICATE,
  ESP_R_REPLAY_TOO_OLD,
  /* authentication */
  ESP_R_ICV_MISMATCH,
  /* bad trailers */
  ESP_R_BAD_PAD_LENGTH,       /* pad length beyond the plaintext */
  ESP_R_BAD_PAD,              /* pad bytes not 1, 2, 3, ... */
  ESP_R_BAD_NEXT_HEADER,      /* not 4, 41 (or 59) */
  /* own counters */
  ESP_R_DUMMY,                /* next header 59: discarded silently */
  ESP_R_SEQ_EXHAUSTED,
  ESP_R_LIFETIME_EXPIRED,
  ESP_R_ECN_CE_NOT_ECT,       /* RFC 6040 s4.2: outer CE over inner Not-ECT */
  ESP_R_NO_SA,                /* no outbound SA or selector matches */
  ESP_R_EXCEEDS_MTU,          /* above tunnel MTU, neither fragmented nor answered by ICMP */
  ESP_R_HOST_IKE,             /* UDP 4500 with a zero non-ESP marker, or IKE on the multipath port */
  ESP_R_HOST_KEEPALIVE,       /* NAT keepalive, a single 0xFF byte */
  ESP_R_INNER_INVALID,        /* encrypt: input is not an IP packet; decrypt: payload is not the
                                 IP version the next header names */
  ESP_R_MTU_ICMP_SENT,        /* above tunnel MTU and not fragmentable: ICMP sent */
  ESP_R_MTU_ICMP_RATE_LIMITED,/* the same, ICMP suppressed by the token bucket */
  ESP_R_CAPTURE_TRUNCATED,    /* `esp` input record with caplen < len (snaplen): not a packet
                                 fault of the wire, never processed */
  ESP_R_SA_DELETED,           /* bad headers: ESP for an inbound SPI whose SA was deleted (an
                                 `events:` delete or a rekey's grace over), not unknown_spi */
  ESP_R_COUNT,
  /* Not a packet outcome and never counted: the caller's output buffer cannot hold the
   * result (an API misuse; `esp` always passes a large enough buffer). */
  ESP_R_OUTPUT_TOO_SMALL = ESP_R_COUNT + 1
} esp_reason;

/* Counter a reason increments (ESP_R_OK, ESP_R_OUTPUT_TOO_SMALL: none, IPSEC_CTR_COUNT). */
ipsec_ctr esp_reason_counter(esp_reason r);
const char *esp_reason_name(esp_reason r);
const char *ipsec_ctr_name(ipsec_ctr c); /* registry leaf name, e.g. "replay_errors" */
const char *ipsec_ctr_doc(ipsec_ctr c);  /* its one-line description (registry, reports) */

typedef struct ipsec_counters {
  stats_counter *v[IPSEC_CTR_COUNT];  /* into the registry, or into own[] without one */
  stats_counter own[IPSEC_CTR_COUNT];
} ipsec_counters;

/* Registers "<prefix>.<name>" for every counter when reg is not NULL. false on a clash. */
bool ipsec_counters_init(ipsec_counters *c, stats_registry *reg, const char *prefix);
static inline uint64_t ipsec_counter_get(const ipsec_counters *c, ipsec_ctr i) { return *c->v[i]; }

/* The statistics block in the seed's layout, then the extra counters, one per line. */
void ipsec_counters_print(const ipsec_counters *c, FILE *fp);

#ifdef __cplusplus
}
#endif
#endif
