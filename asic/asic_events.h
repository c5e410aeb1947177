/* SAs coming and going under traffic (issue 13): the scenario's `events:` resolved, at load,
 * into SA generations per tunnel, each with the times its outbound and inbound SA exist.
 *   events:
 *     - {at: 40us, action: rekey, tunnel: vpn1, grace: 20us}   # spi_out/spi_in: optional
 *     - {at: 80us, action: delete, tunnel: vpn1}
 *     - {at: 10us, action: install, tunnel: vpn2}              # vpn2 declared installed: false
 * An event names a tunnel (router: R picks one router's, else every router's tunnel of that
 * name) and applies to it and to its peer in the scenario (both ends of an SA pair change
 * together, as after one IKE exchange). Generation 0 is the tunnel as declared (from time 0,
 * or from its install when `installed: false`); each rekey, and each install after a delete,
 * adds a generation whose SPIs are given or derived like the auto SPIs with the label
 * "spi/gN" (keys: auto ones with "keymat/gN", given ones kept).
 * Rules (times are simulated, at a lookup's completion):
 *   rekey at T (make-before-break): the new inbound and outbound SAs exist from T, the
 *     outbound moves to the new SA at T, the old inbound is deleted at T + grace;
 *   delete at T: every SA of the tunnel ends at T; install at T: a generation from T.
 * Routing (pfe/slice.h slice_sa_epoch, slice_spi_entry from/until): a route into a tunnel with
 * no outbound SA at that time drops under no_sa; ESP for an inbound SPI past its deletion
 * under sa_deleted (before its install: unknown_spi). Packets already bound to an SA (past
 * their lookup) finish on it. The engine gets every generation's SAs at creation, caches only
 * those that exist from 0, and installs the others at their time (engine_install_sa: key
 * setup cycles on the fill port). Fresh SA state per generation (sequence from 1, empty
 * replay window): each generation is its own engine SA. Streams `esp_of: T` switch to the
 * newest inbound SPI of T existing at the send time of a datagram's first ESP packet (a
 * pre-fragmented datagram's ESP packets stay on one SA; numbering from 1 again).
 * Payload real (asic_ipsec_bytes.c): every generation's SAs are in their router's SA database
 * from the start (own SPI, own key); when they exist is the demux's and the epochs' rule above,
 * the same in both modes; the bytes are encrypted / decrypted on the SA the lookup bound. */
#ifndef IPSECSIM_ASIC_EVENTS_H
#define IPSECSIM_ASIC_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "ipsec_engine/sa.h"
#include "model/sim_time.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct asic_sa_gen {
  uint32_t tunnel, gen;
  sa_config out, in;          /* keys secret, as the tunnel's */
  sim_fs out_from, out_until, in_from, in_until;
} asic_sa_gen;

/* An `events:` entry as written (config.resolved.yaml writes them back). */
typedef struct asic_event_src {
  sim_fs at, grace;
  int action;                 /* 0 install, 1 delete, 2 rekey */
  char tunnel[SA_NAME_MAX], router[32]; /* router "": every router's tunnel of that name */
  uint64_t spi_out, spi_in;   /* 0: auto */
} asic_event_src;

typedef struct asic_events {
  asic_sa_gen *gens;          /* grouped by tunnel, generations in order */
  uint32_t n_gens;
  uint32_t *first;            /* [n_tunnels + 1]: tunnel t's gens first[t] .. first[t+1]-1 */
  asic_event_src *src;        /* [n_events] */
  uint32_t n_events;
} asic_events;

struct sim_world;
void asic_events_free(struct sim_world *w);
/* `events:` as written, for config.resolved.yaml (nothing without events). */
void asic_events_yaml(const struct sim_world *w, void *fp /* FILE* */);
/* The generation of tunnel t whose inbound SA the remote peer sends on at time t0 (the newest
 * with in_from <= t0; generation 0 before any). */
const asic_sa_gen *asic_events_peer_gen(const struct sim_world *w, uint32_t t, sim_fs t0);

#ifdef __cplusplus
}
#endif
#endif
