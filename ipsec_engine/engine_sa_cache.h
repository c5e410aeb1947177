/* The engine's SA context cache (gcm_timing.h contract items 5-6, copied, not reinvented):
 * `entries` slots of SA context shared by all lanes, filled over ONE fill port from SA context
 * memory. The dispatcher (engine_dispatch.c) asks it about the input FIFO's head only:
 *  - cached: the head dispatches as before (a hit, counted at dispatch);
 *  - not cached: a fill is requested in the first cycle the head is at the head and ready
 *    (its lookup cycle), the port is free and a slot is not in use, and never in the cycle the
 *    packet ahead of it dispatched (it is the head from the next cycle for fills: the RTL's
 *    fill request looks at the FIFO's entry 0 as the cycle begins); the victim is the least
 *    recently used slot not in use (in use = a packet of the slot dispatched and not yet past
 *    its END + GCM_AES_STAGES). The fill holds the port for F cycles (its fetch latency and one
 *    cycle per context word): requested in cycle a, its last word is written in a + F - 1, the
 *    head may dispatch from a + F and the port takes the next request from a + F. The miss
 *    holds the head before dispatch, never a lane: lanes keep running what they started.
 * F per SA: engine.sa_miss_cycles, or gcm_key_fill_cycles(key_bits) when that is 0.
 * An SA install fills the cache (engine_create installs SAs 0..n-1 in order, at no cost: no
 * traffic yet), so with n <= entries nothing ever misses. Recency = dispatch order; a fill
 * makes its SA the most recent. */
#ifndef IPSECSIM_ENGINE_SA_CACHE_H
#define IPSECSIM_ENGINE_SA_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/stats.h"

#define SA_CACHE_NIL UINT32_MAX
#define SA_CACHE_NEVER UINT64_MAX

typedef struct sa_cache_slot {
  uint32_t sa;              /* SA_CACHE_NIL: empty */
  uint32_t older, newer;  /* LRU list */
  uint64_t busy_end;      /* first cycle it is no longer in use */
  uint64_t usable_from;   /* first cycle a packet of its SA may dispatch (an install under
                             traffic: the key setup's end; 0 otherwise) */
} sa_cache_slot;

typedef struct sa_cache_counters {
  stats_counter *hits;        /* packets dispatched with their SA cached at lookup */
  stats_counter *misses;      /* fills requested (one per missing head packet) */
  stats_counter *miss_cycles; /* cycles heads waited on fills: from the first cycle the head
                                 could request its fill (lookup, not before head_from) to
                                 dispatchable; F per miss when port and victims never bind */
} sa_cache_counters;

typedef struct sa_cache {
  uint32_t entries, n_sas;
  uint32_t *slot_of;       /* [n_sas]: slot, or SA_CACHE_NIL */
  uint16_t *fill_cycles;   /* [n_sas]: F of that SA */
  sa_cache_slot *slots;    /* [entries] */
  uint32_t oldest, newest; /* LRU ends */
  uint32_t filling_sa;     /* the head's SA while its fill is pending dispatch, or NIL */
  uint64_t fill_done;      /* cycle the filled SA may dispatch from */
  uint64_t port_free;      /* cycle the fill port takes its next request */
  uint64_t head_from;      /* d + GCM_FILL_AFTER_DISPATCH of the last dispatch d: no fill
                              request before it (and a miss's wait counts from it) */
  sa_cache_counters c;
  stats_counter own_[3];
  uint64_t tot_hits, tot_misses, tot_miss_cycles; /* all time */
} sa_cache;

/* key_bits[i] of SA i (128 or 256; anything else counts as 128); miss_cycles 0 = per key
 * size. false when out of memory. */
bool sa_cache_init(sa_cache *c, uint32_t entries, uint32_t n_sas, const uint16_t *key_bits,
                   uint64_t miss_cycles);
void sa_cache_free(sa_cache *c);

/* Cycle from which the head (SA sa, looked up from cycle `lookup`) may dispatch as far as
 * the cache goes: `lookup` when cached, the fill's end when being filled; SA_CACHE_NEVER
 * when a fill must be requested first (sa_cache_fill_cycle tells when). */
static inline uint64_t sa_cache_ready_from(const sa_cache *c, uint32_t sa_i, uint64_t lookup) {
  if (c->filling_sa == sa_i) return c->fill_done > lookup ? c->fill_done : lookup;
  const uint32_t s = c->slot_of[sa_i];
  if (s == SA_CACHE_NIL) return SA_CACHE_NEVER;
  return c->slots[s].usable_from > lookup ? c->slots[s].usable_from : lookup;
}
/* Cycle at which the fill for the head's SA can be requested (port free, a slot not in use). */
uint64_t sa_cache_fill_cycle(const sa_cache *c, uint64_t lookup);
/* Requests that fill in cycle a (= sa_cache_fill_cycle); counted when in_window. */
void sa_cache_fill(sa_cache *c, uint32_t sa_i, uint64_t a, uint64_t lookup, bool in_window);
/* The head (SA sa) dispatches in cycle d (the next head requests no fill before d + 1), its slot in use until busy_end (0: refused at its
 * start, no lane). A hit unless it was the SA just filled. */
void sa_cache_dispatch(sa_cache *c, uint32_t sa_i, uint64_t d, uint64_t busy_end, bool in_window);
bool sa_cache_holds(const sa_cache *c, uint32_t sa_i);
/* SAs coming and going under traffic (issue 13). reset: the cache holds the SAs with
 * installed[i] (0..n-1 in order, as init), the others not at all (installed later).
 * install: SA sa_i is installed in cycle a (an `events:` install or rekey): its context is
 * written into the least recently used slot not in use (never the one a pending fill holds)
 * over the fill port, which it holds for `cycles` from max(a, port free) (the key setup,
 * gcm_key_install_cycles); its packets dispatch from the end. Returns that end cycle. */
void sa_cache_reset(sa_cache *c, const bool *installed);
uint64_t sa_cache_install(sa_cache *c, uint32_t sa_i, uint64_t a, uint64_t cycles);

#endif
