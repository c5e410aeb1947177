/* Binary min-heap of sim_event keyed by (t, pkt.pid). */
#include "sim_heap.h"

#include <stdlib.h>

static inline bool before(const sim_event *a, const sim_event *b) {
  return a->t < b->t || (a->t == b->t && a->pkt.pid < b->pkt.pid);
}

bool sim_heap_init(sim_heap *h, size_t cap) {
  h->n = 0;
  h->cap = cap ? cap : 64;
  h->ev = malloc(h->cap * sizeof *h->ev);
  return h->ev != NULL;
}

void sim_heap_free(sim_heap *h) {
  free(h->ev);
  free(h->lane);
  h->ev = h->lane = NULL;
  h->n = h->cap = h->ln = h->lcap = h->lhead = 0;
}

bool sim_heap_push_lane(sim_heap *h, const sim_event *e) {
  if (h->ln) {
    size_t tail = (h->lhead + h->ln - 1) % h->lcap;
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

bool sim_heap_push(sim_heap *h, const sim_event *e) {
  if (h->n == h->cap) {
    size_t nc = h->cap * 2;
    sim_event *ne = realloc(h->ev, nc * sizeof *ne);
    if (!ne) return false;
    h->ev = ne;
    h->cap = nc;
  }
  size_t i = h->n++;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (!before(e, &h->ev[p])) break;
    h->ev[i] = h->ev[p];
    i = p;
  }
  h->ev[i] = *e;
  return true;
}

void sim_heap_pop(sim_heap *h, sim_event *out) {
  if (h->ln && (!h->n || before(&h->lane[h->lhead], &h->ev[0]))) {
    *out = h->lane[h->lhead];
    h->lhead = h->lhead + 1 == h->lcap ? 0 : h->lhead + 1;
    h->ln--;
    return;
  }
  *out = h->ev[0];
  sim_event last = h->ev[--h->n];
  size_t i = 0, n = h->n;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && before(&h->ev[c + 1], &h->ev[c])) c++;
    if (!before(&h->ev[c], &last)) break;
    h->ev[i] = h->ev[c];
    i = c;
  }
  if (n) h->ev[i] = last;
}
