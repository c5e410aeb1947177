/* SA context cache of the engine (engine_sa_cache.h; gcm_timing.h items 5-6). */
#include "engine_sa_cache.h"

#include <stdlib.h>
#include <string.h>

#include "gcm_timing.h"

static void unlink_slot(sa_cache *c, uint32_t s) {
  sa_cache_slot *x = &c->slots[s];
  if (x->older != SA_CACHE_NIL) c->slots[x->older].newer = x->newer; else c->oldest = x->newer;
  if (x->newer != SA_CACHE_NIL) c->slots[x->newer].older = x->older; else c->newest = x->older;
  x->older = x->newer = SA_CACHE_NIL;
}

static void make_newest(sa_cache *c, uint32_t s) {
  if (c->newest == s) return;
  unlink_slot(c, s);
  sa_cache_slot *x = &c->slots[s];
  x->older = c->newest;
  x->newer = SA_CACHE_NIL;
  if (c->newest != SA_CACHE_NIL) c->slots[c->newest].newer = s; else c->oldest = s;
  c->newest = s;
}

/* Item 6: LRU over the slots not in use at cycle a (an empty slot is never in use). */
static uint32_t victim_at(const sa_cache *c, uint64_t a) {
  for (uint32_t s = c->oldest; s != SA_CACHE_NIL; s = c->slots[s].newer)
    if (c->slots[s].busy_end <= a) return s;
  return SA_CACHE_NIL;
}

static void put(sa_cache *c, uint32_t s, uint32_t sa_i) {
  if (c->slots[s].sa != SA_CACHE_NIL) c->slot_of[c->slots[s].sa] = SA_CACHE_NIL;
  c->slots[s].sa = sa_i;
  c->slots[s].usable_from = 0;
  c->slot_of[sa_i] = s;
  make_newest(c, s);
}

bool sa_cache_init(sa_cache *c, uint32_t entries, uint32_t n_sas, const uint16_t *key_bits,
                   uint64_t miss_cycles) {
  memset(c, 0, sizeof *c);
  c->entries = entries;
  c->n_sas = n_sas;
  c->slot_of = malloc((n_sas ? n_sas : 1) * sizeof *c->slot_of);
  c->fill_cycles = malloc((n_sas ? n_sas : 1) * sizeof *c->fill_cycles);
  c->slots = malloc((entries ? entries : 1) * sizeof *c->slots);
  if (!c->slot_of || !c->fill_cycles || !c->slots) return false;
  c->oldest = c->newest = SA_CACHE_NIL;
  for (uint32_t s = 0; s < entries; s++) {
    c->slots[s] = (sa_cache_slot){.sa = SA_CACHE_NIL, .older = c->newest, .newer = SA_CACHE_NIL};
    if (c->newest != SA_CACHE_NIL) c->slots[c->newest].newer = s; else c->oldest = s;
    c->newest = s;
  }
  c->filling_sa = SA_CACHE_NIL;
  for (uint32_t i = 0; i < n_sas; i++) {
    c->slot_of[i] = SA_CACHE_NIL;
    const unsigned kb = key_bits && key_bits[i] == 256 ? 256u : 128u;
    c->fill_cycles[i] = (uint16_t)(miss_cycles ? miss_cycles : gcm_key_fill_cycles(kb));
  }
  /* SA install fills the cache: SAs 0..n-1 in order, so the last `entries` of them stay */
  for (uint32_t i = 0; i < n_sas && entries; i++) put(c, c->oldest, i);
  stats_counter **p[] = {&c->c.hits, &c->c.misses, &c->c.miss_cycles};
  for (size_t i = 0; i < 3; i++) *p[i] = &c->own_[i];
  return true;
}

void sa_cache_free(sa_cache *c) {
  free(c->slot_of);
  free(c->fill_cycles);
  free(c->slots);
  memset(c, 0, sizeof *c);
}

uint64_t sa_cache_fill_cycle(const sa_cache *c, uint64_t lookup) {
  /* item 6: the request is for the head as the cycle begins, port free, a victim not in use */
  if (lookup < c->head_from) lookup = c->head_from;
  const uint64_t a = lookup > c->port_free ? lookup : c->port_free;
  if (victim_at(c, a) != SA_CACHE_NIL) return a;
  /* every slot in use: the fill waits for the first one to leave use (item 6) */
  uint64_t first = SA_CACHE_NEVER;
  for (uint32_t s = 0; s < c->entries; s++)
    if (c->slots[s].busy_end < first) first = c->slots[s].busy_end;
  return first;
}

void sa_cache_fill(sa_cache *c, uint32_t sa_i, uint64_t a, uint64_t lookup, bool in_window) {
  const uint32_t s = victim_at(c, a);
  if (s == SA_CACHE_NIL) return; /* not reached: a comes from sa_cache_fill_cycle */
  if (lookup < c->head_from) lookup = c->head_from; /* the wait counts from its first chance */
  put(c, s, sa_i);
  c->filling_sa = sa_i;
  c->fill_done = a + c->fill_cycles[sa_i];
  c->port_free = c->fill_done;
  const uint64_t held = c->fill_done - lookup;
  c->tot_misses++;
  c->tot_miss_cycles += held;
  if (in_window) {
    (*c->c.misses)++;
    *c->c.miss_cycles += held;
  }
}

void sa_cache_dispatch(sa_cache *c, uint32_t sa_i, uint64_t d, uint64_t busy_end, bool in_window) {
  const uint32_t s = c->slot_of[sa_i];
  if (d + GCM_FILL_AFTER_DISPATCH > c->head_from) c->head_from = d + GCM_FILL_AFTER_DISPATCH;
  if (c->filling_sa == sa_i) {
    c->filling_sa = SA_CACHE_NIL; /* its miss was counted at the fill */
  } else {
    c->tot_hits++;
    if (in_window) (*c->c.hits)++;
  }
  if (s == SA_CACHE_NIL) return; /* not reached: the dispatcher asks sa_cache_ready_from first */
  make_newest(c, s);
  if (busy_end > c->slots[s].busy_end) c->slots[s].busy_end = busy_end;
}

bool sa_cache_holds(const sa_cache *c, uint32_t sa_i) {
  return sa_i < c->n_sas && c->slot_of[sa_i] != SA_CACHE_NIL;
}

void sa_cache_reset(sa_cache *c, const bool *installed) {
  for (uint32_t s = 0; s < c->entries; s++) {
    if (c->slots[s].sa != SA_CACHE_NIL) c->slot_of[c->slots[s].sa] = SA_CACHE_NIL;
    c->slots[s].sa = SA_CACHE_NIL;
  }
  for (uint32_t i = 0; i < c->n_sas && c->entries; i++)
    if (installed[i]) put(c, c->oldest, i);
}

uint64_t sa_cache_install(sa_cache *c, uint32_t sa_i, uint64_t a, uint64_t cycles) {
  if (sa_i >= c->n_sas || !c->entries || c->slot_of[sa_i] != SA_CACHE_NIL) return a;
  uint64_t start = a > c->port_free ? a : c->port_free;
  const uint32_t pending = c->filling_sa != SA_CACHE_NIL ? c->slot_of[c->filling_sa] : SA_CACHE_NIL;
  for (;;) {
    for (uint32_t s = c->oldest; s != SA_CACHE_NIL; s = c->slots[s].newer)
      if (s != pending && c->slots[s].busy_end <= start) {
        put(c, s, sa_i);
        c->slots[s].usable_from = start + cycles;
        c->port_free = start + cycles;
        return start + cycles;
      }
    /* every slot in use: the write waits for the first one to leave use (item 6) */
    uint64_t first = SA_CACHE_NEVER;
    for (uint32_t s = 0; s < c->entries; s++)
      if (s != pending && c->slots[s].busy_end > start && c->slots[s].busy_end < first) first = c->slots[s].busy_end;
    if (first == SA_CACHE_NEVER) return start; /* one slot, held by a pending fill: not cached */
    start = first;
  }
}
