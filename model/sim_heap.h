/* Binary min-heap of packet events, ordered by (time, packet id). The key never depends on
 * the order in which events were pushed, so two drivers (plain C loop, SystemC per-slice
 * methods) that push the same events in a different order pop them in the same order. A
 * packet has at most one pending event, so (time, pid) is unique. The event carries the
 * whole packet descriptor by value: no allocation per packet. */
#ifndef IPSECSIM_SIM_HEAP_H
#define IPSECSIM_SIM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "sim_time.h"

#ifdef __cplusplus
extern "C" {
#endif


typedef struct sim_event {
  sim_fs t;
  uint32_t kind;  /* what happens: a named kind of the block that handles it (model/sim_world.h) */
  uint32_t where; /* index of the block instance the event is for (named per kind) */
  uint32_t aux;   /* kind-specific argument (named per kind, e.g. egress port) */
  sim_pkt pkt;
} sim_event;

/* Heap key: the event's (t, pid) and the pool slot holding the event. The heap moves these
 * 24-byte keys, not 64-byte events. */
typedef struct sim_hkey {
  sim_fs t;
  uint64_t pid;
  uint32_t slot;
} sim_hkey;

/* The heap plus one FIFO lane: most events a slice schedules (lookup completions with a
 * uniform occupancy) arrive already in key order; they are appended to the lane in O(1)
 * and only out-of-order ones go to the heap. Pops take the smaller of the two heads, so
 * the pop order is exactly the (t, pid) order either way. Heap events live in a pool
 * (pool[slot], free slots on a stack) and the binary heap orders their keys. */
typedef struct sim_heap {
  sim_hkey *key;
  size_t n, cap;
  sim_event *pool;
  uint32_t *free_slots;
  size_t n_free;
  /* key[0] was popped by sim_heap_pop_before but left in place: the next push replaces it
   * with one sift-down (most handlers schedule one event), else the next pop or
   * sim_heap_settle removes it. n counts it until then. */
  bool hole;
  sim_event *lane;
  size_t lhead, ln, lcap;
  sim_fs processed; /* time of the last event popped: nothing may be pushed before it */
} sim_heap;

/* Debug check (debug builds, and the sanitizer twins via IPSECSIM_HEAP_CHECK): a push
 * earlier than the heap's processed time breaks the lookahead rule of the drivers; it
 * aborts with one line naming the times. */
#if !defined(NDEBUG) || defined(IPSECSIM_HEAP_CHECK)
#define SIM_HEAP_CHECKED 1
#else
#define SIM_HEAP_CHECKED 0
#endif

/* Whether this build of the heap has the check (the library's flags, not the caller's). */
bool sim_heap_checked(void);

bool sim_heap_init(sim_heap *h, size_t cap);
void sim_heap_free(sim_heap *h);
bool sim_heap_push(sim_heap *h, const sim_event *e); /* grows geometrically when full */
/* Same as push, but tries the FIFO lane first (O(1) when e is not before the lane's tail). */
bool sim_heap_push_lane(sim_heap *h, const sim_event *e);
/* Removes a popped root still in place (see `hole`). size, empty and top need a settled
 * heap: call it after a run of sim_heap_pop_before. */
void sim_heap_settle(sim_heap *h);
static inline size_t sim_heap_size(const sim_heap *h) { return h->n + h->ln; }
static inline bool sim_heap_empty(const sim_heap *h) { return h->n == 0 && h->ln == 0; }
/* The next event (NULL when empty). */
static inline const sim_event *sim_heap_top(const sim_heap *h) {
  const sim_event *b = h->ln ? &h->lane[h->lhead] : NULL;
  if (!h->n) return b;
  const sim_hkey *k = &h->key[0];
  if (!b) return &h->pool[k->slot];
  return (b->t < k->t || (b->t == k->t && b->pkt.pid < k->pid)) ? b : &h->pool[k->slot];
}
static inline sim_fs sim_heap_top_time(const sim_heap *h) {
  const sim_event *e = sim_heap_top(h);
  return e ? e->t : SIM_FS_NEVER;
}
/* Whether an event keyed (t, pid) would be the next one popped: before every event in the
 * heap and its lane (a popped root still in place, `hole`, is not an event). A handler in tail
 * position may then handle it at once instead of pushing it (sim_world_runs_next). */
static inline bool sim_heap_precedes_all(const sim_heap *h, sim_fs t, uint64_t pid) {
  if (h->ln) {
    const sim_event *l = &h->lane[h->lhead];
    if (l->t < t || (l->t == t && l->pkt.pid <= pid)) return false;
  }
  const size_t from = h->hole ? 1 : 0, to = h->hole ? 3 : 1; /* the root, or the hole's children */
  for (size_t i = from; i < to && i < h->n; i++) {
    const sim_hkey *k = &h->key[i];
    if (k->t < t || (k->t == t && k->pid <= pid)) return false;
  }
  return true;
}
void sim_heap_pop(sim_heap *h, sim_event *out);
/* Pops the next event into *out when there is one with t < limit; false otherwise. Leaves
 * the heap unsettled (sim_heap_settle). */
bool sim_heap_pop_before(sim_heap *h, sim_fs limit, sim_event *out);

#ifdef __cplusplus
}
#endif
#endif
