/* Security associations and the SA database of the inline engine: ESP tunnel mode with
 * AES-128-GCM / AES-256-GCM (RFC 4106) only, IPv4 or IPv6 endpoints, 32- or 64-bit (ESN)
 * sequence numbers, an RFC 6479 replay window. Fields for issue 4 (UDP encapsulation,
 * tunnel MTU, DF mode, lifetimes) are parsed and validated here. The database admits at most
 * SA_MAX_TUNNELS tunnels (the seed's 2000 per chassis, a control-plane limit): per
 * direction at most that many SAs. Keys live only in sa_config.key and the GCM context. */
#ifndef IPSECSIM_SA_H
#define IPSECSIM_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec_engine/gcm.h"
#include "ipsec_engine/ipsec_counters.h"
#include "ipsec_engine/replay.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SA_MAX_TUNNELS 2000u
#define SA_NAME_MAX 64u
#define SA_SALT_LEN 4u
#define SA_DEFAULT_TUNNEL_MTU 9000u
#define SA_DEFAULT_OUTER_TTL 64u
#define SA_NATT_PORT 4500u
#define SA_MULTIPATH_DEFAULT_PORT 500u

typedef enum sa_dir { SA_OUTBOUND, SA_INBOUND } sa_dir;
typedef enum sa_alg { SA_AES128_GCM, SA_AES256_GCM } sa_alg;
typedef enum sa_udp_mode { SA_UDP_NONE, SA_UDP_NATT, SA_UDP_MULTIPATH } sa_udp_mode;
typedef enum sa_df_mode { SA_DF_CLEAR, SA_DF_SET, SA_DF_COPY } sa_df_mode; /* RFC 4301 s8.1 */

typedef struct sa_addr {
  uint8_t family;     /* 4 or 6 */
  uint8_t b[16];      /* IPv4 in b[0..3], network order */
} sa_addr;

typedef struct sa_config {
  char name[SA_NAME_MAX];
  sa_dir dir;
  uint32_t spi;
  sa_alg alg;
  uint8_t key[32];             /* secret */
  size_t key_len;              /* 16 or 32 */
  uint8_t salt[SA_SALT_LEN];   /* secret: RFC 4106 s8.1, last 4 octets of the keying material */
  sa_addr local, remote;       /* outer endpoints, same family */
  bool esn;
  uint32_t replay_window;
  sa_udp_mode udp;
  uint16_t udp_dst_port;       /* NAT-T 4500; multipath default 500 */
  uint32_t tunnel_mtu;         /* bounds the outer (ESP) IP packet */
  sa_df_mode df;
  bool copy_outer_dscp;
  uint64_t lifetime_seconds;   /* 0 = none */
  uint64_t lifetime_kilobytes; /* 0 = none; 1 KB = 1024 clear-side bytes */
  bool has_selector;
  sa_addr selector;            /* inner destination prefix */
  uint8_t selector_len;
  uint64_t initial_seq;        /* outbound: last sent; inbound: window right edge */
  uint8_t outer_ttl;
} sa_config;

typedef struct sa {
  sa_config cfg;
  gcm_ctx *gcm;
  uint64_t seq;                /* outbound: last sequence number sent */
  bool seq_exhausted;
  uint16_t ipv4_id;            /* outbound: next outer IPv4 ID (DESIGN: per-SA from 0) */
  replay_window replay;        /* inbound */
  uint64_t life_bytes;         /* clear-side bytes of authenticated/encrypted packets */
  bool started;                /* first packet seen: its time is the install time */
  uint64_t start_ns;
  bool soft_expired;           /* soft lifetime (82% of hard) reached: rekey due */
  bool hard_expired;           /* hard lifetime reached: every later packet is dropped */
  ipsec_counters ctr;
} sa;

typedef struct sa_db {
  sa **sas;                    /* n entries (each allocated once: counters point into it) */
  size_t n, cap;
  size_t n_out, n_in;
  uint32_t *spi_slot;          /* open addressing: index+1 of inbound SAs, 0 = empty */
  uint32_t spi_mask;
  ipsec_counters global;
  stats_registry *reg;         /* may be NULL */
  bool clock_started;          /* the run's first packet seen: SAs installed before it */
  uint64_t start_ns;           /*   start their lifetime at its timestamp (DESIGN) */
} sa_db;

/* reg may be NULL (counters then live in the structs). Counters register as
 * "esp.global.*" and "esp.sa.<name>.*". */
bool sa_db_init(sa_db *db, stats_registry *reg);
void sa_db_free(sa_db *db);

/* Validates cross-field rules, builds the GCM context and replay window, and admits the SA.
 * On refusal returns false and writes a one-line reason (without file position) to why. */
bool sa_db_add(sa_db *db, const sa_config *cfg, char *why, size_t why_len);

/* Inbound SA by SPI, NULL when unknown. */
sa *sa_db_find_inbound(const sa_db *db, uint32_t spi);
/* Outbound SA for an inner destination (family 4/6, address bytes): the longest selector
 * prefix that matches; an SA without selector matches everything at the lowest priority. */
sa *sa_db_find_outbound(const sa_db *db, uint8_t family, const uint8_t *dst);

/* Keying-material length of an algorithm: key + 4-byte salt (RFC 4106 s8.1). */
size_t sa_keymat_len(sa_alg alg);
bool sa_parse_addr(const char *text, sa_addr *a);
void sa_format_addr(const sa_addr *a, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
