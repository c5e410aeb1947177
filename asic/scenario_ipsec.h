/* The scenario's `ipsec: tunnels:` (top level, or per `routers:` entry), internal to the
 * scenario loader. Schema (README "IPsec tunnels in scenarios"):
 *   ipsec:
 *     tunnels:
 *       - {name: vpn1, anchor: si-0/0/0, bind: st0.1, local: 16.1.1.2, remote: 16.1.1.1,
 *          algorithm: aes-256-gcm, key: auto, spi_out: 0x78634c46, spi_in: 0x8d92e737,
 *          prefix: 2.2.2.0/24, count: 1, ...every per-SA field of `ipsecsim params sa`}
 * Loading order: scenario_ipsec_router for every router (tunnels, their prefix routes and the
 * local gateway host routes), then scenario_ipsec_finish (peers, auto values taken from a
 * peer, peer agreement, duplicate SPIs), then routes `via: st0.N` (scenario_ipsec_via) and
 * streams `esp_of:` (scenario_ipsec_esp_of). */
#ifndef IPSECSIM_SCENARIO_IPSEC_H
#define IPSECSIM_SCENARIO_IPSEC_H

#include <stdbool.h>
#include <stdint.h>

#include "asic_sim.h"
#include "model/cfg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The keys file a resolved configuration references (beside config.resolved.yaml, 0600). */
#define SCENARIO_KEYS_FILE "config.keys.yaml"

/* `--set [ROUTER.]ipsec.tunnels.NAME.count=N`: the count of the tunnels entry NAME (of every
 * router, or of ROUTER only), in place of its `count:` (an entry without one becomes counted:
 * NAME-0, NAME-1, ...). Used by `ipsecsim sweep --axis ipsec.tunnels.NAME.count=...`. */
#define SCENARIO_COUNT_SETS 16
typedef struct scenario_count_set {
  char key[128];      /* as given, for messages */
  char router[32];    /* "" = every router */
  char name[64];
  uint64_t count;
  bool used;          /* some entry took it (else the load fails naming the key) */
} scenario_count_set;
typedef struct scenario_count_sets {
  scenario_count_set s[SCENARIO_COUNT_SETS];
  size_t n;
} scenario_count_sets;
/* key: after any ROUTER. prefix (router: that name, "" for none). 0: not such a key; 1: taken;
 * -1: bad value or too many, reason in why. */
int scenario_ipsec_count_set(scenario_count_sets *c, const char *router, const char *key, const char *full_key,
                             const char *val, char *why, size_t why_len);
/* false with "--set KEY: no tunnel entry 'NAME' ..." when a count set matched no entry. */
bool scenario_ipsec_count_sets_used(const scenario_count_sets *c, const asic_world *w, cfg_err *err);

/* `ipsec:` of router r (node may be NULL: none). pre = "" or "routers[]." for field names;
 * scenario_path resolves relative `key: file:PATH` names; counts: --set counts (or NULL). */
bool scenario_ipsec_router(const cfg_node *ipsec, asic_world *w, uint32_t r, const char *pre, uint64_t seed,
                           const char *scenario_path, scenario_count_sets *counts, cfg_err *err);
/* Peers (local/remote swapped: .peer both ways), values left auto taken from a peer that
 * states them, disagreeing explicit values and duplicate inbound SPIs refused. */
bool scenario_ipsec_finish(asic_world *w, const char *pre, cfg_err *err);
/* A route's `via: st0.N` on router r: its next hop SLICE_NH_TUNNEL(t); false with the error
 * at `at` when no tunnel of r binds it. */
bool scenario_ipsec_via(const asic_world *w, uint32_t r, const char *via, const cfg_node *at, const char *field,
                        int32_t *nh, cfg_err *err);
/* A stream's `esp_of: NAME` entering router r: the tunnel index, or false with the error. */
bool scenario_ipsec_esp_of(const asic_world *w, uint32_t r, const cfg_node *at, uint32_t *tunnel, cfg_err *err);

/* Auto SPIs and keying material (scenario_ipsec_keys.c): HMAC-SHA256 keyed with
 * "ipsecsim-tunnel-v1" over "SEED|LO|HI|LABEL|DIR|BLOCK" (LO < HI the two gateways in address
 * order, DIR "lo-hi" for traffic from LO to HI, else "hi-lo"), so both ends of a VPN derive
 * the same SA per direction. Not secret from anyone who knows the seed: a simulator's keys. */
uint32_t scenario_ipsec_auto_spi(uint64_t seed, const sa_addr *from, const sa_addr *to);
void scenario_ipsec_auto_keymat(uint64_t seed, const sa_addr *from, const sa_addr *to, uint8_t *out, size_t n);
/* Generation gen of a tunnel's SAs (`events:` rekey, asic_events.h): label "spi/gN",
 * "keymat/gN" (gen 0: the values above). */
uint32_t scenario_ipsec_auto_spi_gen(uint64_t seed, const sa_addr *from, const sa_addr *to, uint32_t gen);
void scenario_ipsec_auto_keymat_gen(uint64_t seed, const sa_addr *from, const sa_addr *to, uint32_t gen, uint8_t *out,
                                    size_t n);
/* `events:` (asic_events.h): SA generations of the tunnels; times checked against the run
 * (warmup + measure). Called after scenario_ipsec_finish (peers known); node may be NULL. */
bool scenario_events(const cfg_node *events, asic_world *w, uint64_t seed, sim_fs run_end, cfg_err *err);
/* Reads `keys:` of a keys file (mode 0600 required) into a document; NULL + err. */
cfg_doc *scenario_ipsec_keys_load(const char *path, const cfg_node *at, const char *field, cfg_err *err);
/* Writes DIR/config.keys.yaml (0600) with the keys of every tunnel whose key is not auto;
 * nothing when there is none. One-line error. */
bool scenario_ipsec_keys_write(const asic_world *w, const char *scenario_path, const char *dir, char *err,
                               size_t errlen);
/* Whether a tunnel of w needs the keys file (a key not auto). */
bool scenario_ipsec_has_keys(const asic_world *w);

#ifdef __cplusplus
}
#endif
#endif
