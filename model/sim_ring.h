/* A FIFO ring of fixed-size elements that grows by doubling (amortised: no allocation once
 * it has reached its working size). Used by blocks that keep packets or credits in arrival
 * order (the engine's PG0 adapter, PG0's attachment point). */
#ifndef IPSECSIM_SIM_RING_H
#define IPSECSIM_SIM_RING_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct sim_ring {
  char *v;
  uint32_t head, n, cap, size; /* size: bytes per element, set before the first push */
} sim_ring;

/* false when out of memory (the ring is unchanged). */
static inline bool sim_ring_push(sim_ring *r, const void *x) {
  if (r->n == r->cap) {
    uint32_t nc = r->cap ? 2 * r->cap : 64;
    char *nv = (char *)malloc((size_t)nc * r->size);
    if (!nv) return false;
    for (uint32_t i = 0; i < r->n; i++)
      memcpy(nv + (size_t)i * r->size, r->v + (size_t)((r->head + i) % r->cap) * r->size, r->size);
    free(r->v);
    r->v = nv;
    r->cap = nc;
    r->head = 0;
  }
  memcpy(r->v + (size_t)((r->head + r->n) % r->cap) * r->size, x, r->size);
  r->n++;
  return true;
}
static inline void *sim_ring_front(const sim_ring *r) { return r->v + (size_t)r->head * r->size; }
static inline void sim_ring_pop(sim_ring *r) {
  r->head = (r->head + 1) % r->cap;
  r->n--;
}
static inline void sim_ring_free(sim_ring *r) {
  free(r->v);
  r->v = NULL;
  r->head = r->n = r->cap = 0;
}

#endif
