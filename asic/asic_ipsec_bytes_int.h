/* Private to the byte path of the IPsec engines (asic_ipsec_bytes.c: the transforms and the
 * esp_of peers' ESP; asic_ipsec_bytes_db.c: the SA databases). Keys stay in the sa_config
 * entries of the databases. */
#ifndef IPSECSIM_ASIC_IPSEC_BYTES_INT_H
#define IPSECSIM_ASIC_IPSEC_BYTES_INT_H

#include "asic_ipsec_bytes.h"
#include "ipsec_engine/esp_frag.h"

typedef struct asic_ipsec_bytes {
  sa_db *db;            /* [n_routers] */
  sa **out_sa, **in_sa; /* [n_stats] in their router's database: tunnel t's declared pair at
                           t, `events:` generation k >= 1 at its stats index (gen_stats) */
  uint32_t n_sa;        /* n_stats of the run-time state (asic_ipsec_rt.h) */
  sa_db **out_db, **in_db; /* [n_stats] the databases holding out_sa / in_sa: their router's,
                           or one of the router's extra ones when another SA of that direction
                           there has the same SPI (another local gateway or peer: the demux
                           and the routes tell them apart, asic_ipsec_rt.h) */
  sa_db **xdb;          /* [n_xdb] the extra databases, each of one router (its ICMP limiter
                           is the router's: copied in and out around each encryption) */
  uint32_t *xdb_router, n_xdb;
  uint32_t *link;       /* [pool handles] next buffer of an output chain */
  uint32_t n_link;
  uint8_t *scratch;     /* ESP_BURST_OUT_CAP: one datagram's ESP packets */
  uint8_t host[ESP_HOST_CAP];
  engine_gcm_input gcm[ENGINE_GCM_INPUTS_MAX]; /* co-simulation: the last transform's GCM inputs */
  uint8_t *gcm_text;    /* ESP_BURST_OUT_CAP (allocated at the first use): their texts */
  sa_db *peer;          /* [n_flows] esp_of: the remote peer's mirror SAs, one per generation
                           (NULL db where none) */
  uint32_t *peer_cur;   /* [n_flows] the mirror the peer sends on (index into peer[fi].sas) */
  uint32_t *peer_next;  /* [n_flows] the datagram's ESP packets not sent yet (a chain) */
  uint64_t pending;
  /* TEST ONLY (environment IPSECSIM_TEST_ONLY_CORRUPT_DECRYPTED_EVERY=N): one byte of every
   * N-th packet the engines decrypt is flipped after decryption, so that the sinks' check can
   * be shown to count exactly those packets; 0 = off */
  uint64_t test_corrupt_every, decrypted, test_corrupted;
} asic_ipsec_bytes;

/* The ESP header's offset in an outer IPv4 / IPv6 packet (UDP-encapsulated or not), 0 when
 * the bytes hold no ESP header (asic_ipsec_bytes.c). */
size_t asic_bytes_esp_offset(const uint8_t *ip, size_t n);
/* asic_ipsec_bytes_gcm.c: the GCM inputs of one ESP packet (outer IP onwards) on SA s; the
 * high half of its sequence number from seq_hint (encrypt: the number; decrypt: the window's
 * top, or one below). text: its plaintext (ESP payload and trailer). false when the bytes are
 * not an ESP packet of s or its ICV does not verify. */
bool asic_bytes_gcm_input(const sa *s, const uint8_t *ip, size_t n, uint64_t seq_hint, engine_gcm_input *g,
                          uint8_t *text);

#endif
