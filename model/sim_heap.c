/* Binary min-heap of sim_event keyed by (t, pkt.pid): keys in the heap, events in a pool. */
#include "sim_heap.h"

#include <stdio.h>
#include <stdlib.h>

#if SIM_HEAP_CHECKED
static void check_not_late(const sim_heap *h, const sim_event *e) {
  if (e->t >= h->processed) return;
  fprintf(stderr, "sim_heap: event kind %u pushed at t=%llu fs, before the processed time %llu fs\n", e->kind,
          (unsigned long long)e->t, (unsigned long long)h->processed);
  abort();
}
#define CHECK_NOT_LATE(h, e) check_not_late(h, e)
#else
#define CHECK_NOT_LATE(h, e) ((void)0)
#endif

bool sim_heap_checked(void) { return SIM_HEAP_CHECKED; }

static inline bool before(const sim_event *a, const sim_event *b) {
  return a->t < b->t || (a->t == b->t && a->pkt.pid < b->pkt.pid);
}
static inline bool key_before(const sim_hkey *a, const sim_hkey *b) {
  return a->t < b->t || (a->t == b->t && a->pid < b->pid);
}

bool sim_heap_init(sim_heap *h, size_t cap) {
  h->n = 0;
  h->cap = cap ? cap : 64;
  h->key = malloc(h->cap * sizeof *h->key);
  h->pool = malloc(h->cap * sizeof *h->pool);
  h->free_slots = malloc(h->cap * sizeof *h->free_slots);
  h->lane = NULL;
  h->lhead = h->ln = h->lcap = 0;
  h->hole = false;
  h->processed = 0;
  if (!h->key || !h->pool || !h->free_slots) return false;
  /* slot 0 on top of the stack first */
  for (size_t i = 0; i < h->cap; i++) h->free_slots[i] = (uint32_t)(h->cap - 1 - i);
  h->n_free = h->cap;
  return true;
}

void sim_heap_free(sim_heap *h) {
  free(h->key);
  free(h->pool);
  free(h->free_slots);
  free(h->lane);
  h->key = NULL;
  h->pool = h->lane = NULL;
  h->free_slots = NULL;
  h->n = h->cap = h->ln = h->lcap = h->lhead = h->n_free = 0;
  h->hole = false;
}

bool sim_heap_push_lane(sim_heap *h, const sim_event *e) {
  CHECK_NOT_LATE(h, e);
  if (h->ln) {
    size_t tail = h->lhead + h->ln - 1;
    if (tail >= h->lcap) tail -= h->lcap;
    if (before(e, &h->lane[tail])) return sim_heap_push(h, e);
  }
  if (h->ln == h->lcap) {
    size_t nc = h->lcap ? 2 * h->lcap : 256;
    sim_event *nl = malloc(nc * sizeof *nl);
    if (!nl) return false;
    for (size_t i = 0; i < h->ln; i++) nl[i] = h->lane[(h->lhead + i) % h->lcap];
    free(h->lane);
    h->lane = nl;
    h->lcap = nc;
    h->lhead = 0;
  }
  size_t pos = h->lhead + h->ln;
  if (pos >= h->lcap) pos -= h->lcap;
  h->lane[pos] = *e;
  h->ln++;
  return true;
}

/* Doubles keys, pool and free stack; the new slots go on the free stack. */
static bool grow(sim_heap *h) {
  size_t nc = h->cap * 2;
  sim_hkey *nk = realloc(h->key, nc * sizeof *nk);
  if (!nk) return false;
  h->key = nk;
  sim_event *np = realloc(h->pool, nc * sizeof *np);
  if (!np) return false;
  h->pool = np;
  uint32_t *nf = realloc(h->free_slots, nc * sizeof *nf);
  if (!nf) return false;
  h->free_slots = nf;
  for (size_t i = h->cap; i < nc; i++) h->free_slots[h->n_free++] = (uint32_t)(nc - 1 - (i - h->cap));
  h->cap = nc;
  return true;
}

/* Puts k at the root in place of the popped one and sifts it down. */
static inline void replace_root(sim_heap *h, sim_hkey k) {
  size_t i = 0, n = h->n;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && key_before(&h->key[c + 1], &h->key[c])) c++;
    if (!key_before(&h->key[c], &k)) break;
    h->key[i] = h->key[c];
    i = c;
  }
  h->key[i] = k;
}

bool sim_heap_push(sim_heap *h, const sim_event *e) {
  CHECK_NOT_LATE(h, e);
  if (h->hole) {
    uint32_t slot = h->free_slots[--h->n_free];
    h->pool[slot] = *e;
    h->hole = false;
    replace_root(h, (sim_hkey){.t = e->t, .pid = e->pkt.pid, .slot = slot});
    return true;
  }
  if (h->n == h->cap && !grow(h)) return false;
  uint32_t slot = h->free_slots[--h->n_free];
  h->pool[slot] = *e;
  sim_hkey k = {.t = e->t, .pid = e->pkt.pid, .slot = slot};
  size_t i = h->n++;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (!key_before(&k, &h->key[p])) break;
    h->key[i] = h->key[p];
    i = p;
  }
  h->key[i] = k;
  return true;
}

/* Removes the heap's root (its event already copied out, its slot freed). */
static inline void remove_root(sim_heap *h) {
  sim_hkey last = h->key[--h->n];
  size_t i = 0, n = h->n;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && key_before(&h->key[c + 1], &h->key[c])) c++;
    if (!key_before(&h->key[c], &last)) break;
    h->key[i] = h->key[c];
    i = c;
  }
  if (n) h->key[i] = last;
}

static inline void lane_pop(sim_heap *h, sim_event *out) {
  *out = h->lane[h->lhead];
  h->lhead = h->lhead + 1 == h->lcap ? 0 : h->lhead + 1;
  h->ln--;
  h->processed = out->t;
}

void sim_heap_settle(sim_heap *h) {
  if (h->hole) {
    h->hole = false;
    remove_root(h);
  }
}

void sim_heap_pop(sim_heap *h, sim_event *out) {
  sim_heap_settle(h);
  if (h->ln && (!h->n || before(&h->lane[h->lhead], &h->pool[h->key[0].slot]))) return lane_pop(h, out);
  *out = h->pool[h->key[0].slot];
  h->processed = out->t;
  h->free_slots[h->n_free++] = h->key[0].slot;
  remove_root(h);
}

bool sim_heap_pop_before(sim_heap *h, sim_fs limit, sim_event *out) {
  sim_heap_settle(h);
  if (h->ln) {
    const sim_event *l = &h->lane[h->lhead];
    if (!h->n || l->t < h->key[0].t || (l->t == h->key[0].t && l->pkt.pid < h->key[0].pid)) {
      if (l->t >= limit) return false;
      lane_pop(h, out);
      return true;
    }
  } else if (!h->n) {
    return false;
  }
  if (h->key[0].t >= limit) return false;
  *out = h->pool[h->key[0].slot];
  h->processed = out->t;
  h->free_slots[h->n_free++] = h->key[0].slot;
  h->hole = true;
  return true;
}
