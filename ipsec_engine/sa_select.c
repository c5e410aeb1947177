/* Longest-prefix match by per-length hash tables (see sa_select.h). Addresses are 128-bit
 * big-endian numbers (IPv4 in the top 32 bits), so one code path serves both families and a
 * prefix is the interval [start, start | ~mask]. */
#include "sa_select.h"

#include <stdlib.h>
#include <string.h>

typedef struct u128 { uint64_t hi, lo; } u128;

typedef struct slot {
  u128 key;
  uint32_t value;
  bool used;
} slot;

typedef struct len_table {
  slot *slots;       /* capacity = mask + 1, a power of two, at most half full */
  size_t mask, n;
} len_table;

typedef struct entry {
  uint8_t family, len;
  u128 start;
  uint32_t value;
} entry;

typedef struct family_tab {
  len_table by_len[129];
  uint8_t lengths[129]; /* lengths in use, longest first */
  unsigned n_lengths;
} family_tab;

struct sa_select {
  family_tab fam[2];    /* IPv4, IPv6 */
  entry *entries;       /* insertion order */
  size_t n, cap;
  bool has_default;
  uint32_t default_value;
};

static u128 load_addr(uint8_t family, const uint8_t *b) {
  u128 a = {0, 0};
  const unsigned n = family == 4 ? 4 : 16;
  for (unsigned i = 0; i < n; i++) {
    if (i < 8) a.hi |= (uint64_t)b[i] << (56 - 8 * i);
    else a.lo |= (uint64_t)b[i] << (56 - 8 * (i - 8));
  }
  return a;
}

static u128 prefix_mask(unsigned len) {
  u128 m;
  m.hi = len == 0 ? 0 : len >= 64 ? UINT64_MAX : UINT64_MAX << (64 - len);
  m.lo = len <= 64 ? 0 : len >= 128 ? UINT64_MAX : UINT64_MAX << (128 - len);
  return m;
}

static u128 and128(u128 a, u128 m) { return (u128){a.hi & m.hi, a.lo & m.lo}; }
static bool eq128(u128 a, u128 b) { return a.hi == b.hi && a.lo == b.lo; }
static int cmp128(u128 a, u128 b) {
  if (a.hi != b.hi) return a.hi < b.hi ? -1 : 1;
  return a.lo < b.lo ? -1 : a.lo > b.lo;
}

/* Every bit of the key must reach the low bits the mask keeps: an IPv4 key has only the top
 * 32 bits of hi set, so a bare multiply leaves the product's low 32 bits zero (the old hash
 * h ^ h >> 29 then used one slot in eight, and 2000 /32 selectors probed long runs of
 * neighbours: bench_sa_select's lookup 2.2x slower at 2000 than at 1). MurmurHash3's 64-bit
 * finaliser mixes every input bit into every output bit. */
static size_t hash128(u128 k, size_t mask) {
  uint64_t h = k.hi ^ (k.lo * 0x9E3779B97F4A7C15u);
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDu;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53u;
  h ^= h >> 33;
  return (size_t)h & mask;
}

static family_tab *fam_of(sa_select *t, uint8_t family) { return &t->fam[family == 4 ? 0 : 1]; }

sa_select *sa_select_new(void) { return calloc(1, sizeof(sa_select)); }

void sa_select_free(sa_select *t) {
  if (!t) return;
  for (int f = 0; f < 2; f++)
    for (int l = 0; l < 129; l++) free(t->fam[f].by_len[l].slots);
  free(t->entries);
  free(t);
}

static slot *probe(const len_table *lt, u128 key) {
  for (size_t h = hash128(key, lt->mask);; h = (h + 1) & lt->mask) {
    slot *s = &lt->slots[h];
    if (!s->used || eq128(s->key, key)) return s;
  }
}

static bool grow(len_table *lt) {
  const size_t cap = lt->slots ? 2 * (lt->mask + 1) : 16;
  slot *ns = calloc(cap, sizeof *ns);
  if (!ns) return false;
  len_table bigger = {ns, cap - 1, lt->n};
  for (size_t i = 0; lt->slots && i <= lt->mask; i++)
    if (lt->slots[i].used) *probe(&bigger, lt->slots[i].key) = lt->slots[i];
  free(lt->slots);
  *lt = bigger;
  return true;
}

static bool push_entry(sa_select *t, entry e) {
  if (t->n == t->cap) {
    size_t nc = t->cap ? 2 * t->cap : 16;
    entry *ne = realloc(t->entries, nc * sizeof *ne);
    if (!ne) return false;
    t->entries = ne;
    t->cap = nc;
  }
  t->entries[t->n++] = e;
  return true;
}

sa_select_rc sa_select_add(sa_select *t, uint8_t family, const uint8_t *prefix, unsigned len,
                           uint32_t value, uint32_t *clash) {
  if ((family != 4 && family != 6) || len > (family == 4 ? 32u : 128u)) return SA_SELECT_BAD;
  family_tab *ft = fam_of(t, family);
  len_table *lt = &ft->by_len[len];
  const u128 key = and128(load_addr(family, prefix), prefix_mask(len));
  if (lt->slots) {
    slot *s = probe(lt, key);
    if (s->used) {
      if (clash) *clash = s->value;
      return SA_SELECT_DUPLICATE;
    }
  }
  if ((lt->n + 1) * 2 > (lt->slots ? lt->mask + 1 : 0) && !grow(lt)) return SA_SELECT_NOMEM;
  if (!push_entry(t, (entry){family, (uint8_t)len, key, value})) return SA_SELECT_NOMEM;
  if (lt->n == 0) { /* a new length: keep the list longest first */
    unsigned i = ft->n_lengths++;
    while (i > 0 && ft->lengths[i - 1] < len) { ft->lengths[i] = ft->lengths[i - 1]; i--; }
    ft->lengths[i] = (uint8_t)len;
  }
  slot *s = probe(lt, key);
  *s = (slot){key, value, true};
  lt->n++;
  return SA_SELECT_OK;
}

sa_select_rc sa_select_add_default(sa_select *t, uint32_t value, uint32_t *clash) {
  if (t->has_default) {
    if (clash) *clash = t->default_value;
    return SA_SELECT_DUPLICATE;
  }
  t->has_default = true;
  t->default_value = value;
  return SA_SELECT_OK;
}

bool sa_select_find(const sa_select *t, uint8_t family, const uint8_t *prefix, unsigned len,
                    uint32_t *value) {
  if (family == 0) {
    if (t->has_default) *value = t->default_value;
    return t->has_default;
  }
  if ((family != 4 && family != 6) || len > (family == 4 ? 32u : 128u)) return false;
  const len_table *lt = &t->fam[family == 4 ? 0 : 1].by_len[len];
  if (!lt->slots) return false;
  const slot *s = probe(lt, and128(load_addr(family, prefix), prefix_mask(len)));
  if (s->used) *value = s->value;
  return s->used;
}

bool sa_select_lookup(const sa_select *t, uint8_t family, const uint8_t *dst, uint32_t *value) {
  if (family == 4 || family == 6) {
    const family_tab *ft = &t->fam[family == 4 ? 0 : 1];
    const u128 a = load_addr(family, dst);
    for (unsigned i = 0; i < ft->n_lengths; i++) {
      const unsigned len = ft->lengths[i];
      const slot *s = probe(&ft->by_len[len], and128(a, prefix_mask(len)));
      if (s->used) { *value = s->value; return true; }
    }
  }
  if (!t->has_default) return false;
  *value = t->default_value;
  return true;
}

double sa_select_mean_probes(const sa_select *t) {
  size_t reads = 0;
  for (size_t i = 0; i < t->n; i++) {
    const entry *e = &t->entries[i];
    const len_table *lt = &t->fam[e->family == 4 ? 0 : 1].by_len[e->len];
    for (size_t h = hash128(e->start, lt->mask);; h = (h + 1) & lt->mask) {
      reads++;
      if (eq128(lt->slots[h].key, e->start)) break;
    }
  }
  return t->n ? (double)reads / (double)t->n : 0.0;
}

size_t sa_select_count(const sa_select *t) { return t->n; }

unsigned sa_select_lengths(const sa_select *t, uint8_t family) {
  return family == 4 || family == 6 ? t->fam[family == 4 ? 0 : 1].n_lengths : 0;
}

/* ---- Reachability (load time, not per packet) ---- */

static int by_family_start_len(const void *a, const void *b) {
  const entry *x = a, *y = b;
  if (x->family != y->family) return x->family < y->family ? -1 : 1;
  int c = cmp128(x->start, y->start);
  if (c) return c;
  return (x->len > y->len) - (x->len < y->len);
}

/* Whether the sorted entries s[from..n) of `family` that start within [start, end] cover
 * all of it (prefixes nest or are disjoint, so those entries lie inside it). */
static bool covered(const entry *s, size_t n, size_t from, uint8_t family, u128 start, u128 end,
                    uint32_t *witness) {
  u128 frontier = start; /* first address not yet covered */
  bool first = true;
  for (size_t i = from; i < n; i++) {
    const entry *c = &s[i];
    if (c->family != family || cmp128(c->start, end) > 0) break;
    if (cmp128(c->start, frontier) > 0) return false; /* a gap */
    const u128 m = prefix_mask(c->len);
    const u128 c_end = {c->start.hi | ~m.hi, c->start.lo | ~m.lo};
    if (first) { *witness = c->value; first = false; }
    if (cmp128(c_end, end) >= 0) return true;
    if (cmp128(c_end, frontier) >= 0) { /* frontier = c_end + 1 (c_end < end: no overflow) */
      frontier = c_end;
      if (++frontier.lo == 0) frontier.hi++;
    }
  }
  return false;
}

bool sa_select_unreachable(const sa_select *t, uint32_t *victim, uint32_t *witness) {
  if (t->n == 0) return false;
  /* Sorted copy; the value field of the copy holds the entry's insertion index until the
   * positions are known, then the caller's value again. */
  entry *s = malloc(t->n * sizeof *s);
  size_t *pos = malloc(t->n * sizeof *pos);
  bool found = false;
  if (!s || !pos) goto out;
  for (size_t i = 0; i < t->n; i++) { s[i] = t->entries[i]; s[i].value = (uint32_t)i; }
  qsort(s, t->n, sizeof *s, by_family_start_len);
  for (size_t i = 0; i < t->n; i++) { pos[s[i].value] = i; s[i].value = t->entries[s[i].value].value; }
  for (size_t k = 0; k < t->n && !found; k++) {
    const entry *e = &t->entries[k];
    const u128 m = prefix_mask(e->len);
    const u128 end = {e->start.hi | ~m.hi, e->start.lo | ~m.lo};
    /* Entries after e in the order with a start inside e are strictly longer (equal ones
     * are refused at add; equal starts sort shorter first). */
    if (covered(s, t->n, pos[k] + 1, e->family, e->start, end, witness)) {
      *victim = e->value;
      found = true;
    }
  }
  if (!found && t->has_default) {
    /* The catch-all is chosen only for an address no selector matches: unreachable when
     * the selectors of each family cover its whole space. */
    size_t v6 = 0;
    while (v6 < t->n && s[v6].family == 4) v6++;
    const u128 zero = {0, 0}, all = {UINT64_MAX, UINT64_MAX};
    uint32_t w4 = 0, w6 = 0;
    if (covered(s, t->n, 0, 4, zero, all, &w4) && covered(s, t->n, v6, 6, zero, all, &w6)) {
      *victim = t->default_value;
      *witness = w4;
      found = true;
    }
  }
out:
  free(s);
  free(pos);
  return found;
}
