/* Stats registry: names, storage with stable addresses, look-ups.
 *
 * Names are dotted paths of segments made of [a-z0-9_-/:] (so Junos port names such as
 * et-0/0/0 or si-0/0/0 fit), at most 255 characters, no empty segment. Because the JSON
 * writer nests by path, a name may not be both a leaf and an inner node: registering `a.b`
 * when `a.b.c` exists (or the reverse) returns NULL.
 * Counters and gauges live in fixed chunks that never move, so blocks keep raw pointers. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <stdlib.h>
#include <string.h>

#include "stats_internal.h"

#define CHUNK_SLOTS 256u
#define NAME_MAX_LEN 255u
#define INNER ((size_t)-1) /* hash value of an inner (prefix) node */

typedef struct chunk {
  struct chunk *next;
  union {
    uint64_t u[CHUNK_SLOTS];
    double d[CHUNK_SLOTS];
  } slot;
} chunk;

/* Names live in blocks of NAME_BLOCK bytes, one after the other (no allocator header and
 * rounding per name: the 2000-tunnel run registers 212K of them). */
#define NAME_BLOCK 65536u
typedef struct name_block {
  struct name_block *next;
  size_t used;
  char buf[NAME_BLOCK];
} name_block;

typedef struct rec {
  char *name;              /* in a name block; also the key of its leaf hash slot */
  const char *unit, *desc; /* interned: thousands of SAs share a handful of texts */
  stats_kind kind;
  void *obj;
} rec;

typedef struct hslot {
  char *key; /* owned by an inner node (INNER); a leaf's is its rec's name */
  size_t idx; /* rec index, or INNER */
} hslot;

struct stats_registry {
  rec *recs;
  size_t n, cap;
  hslot *hash;
  size_t hash_cap, hash_used;
  chunk *counters, *gauges; /* head chunk is the one being filled */
  size_t counters_used, gauges_used;
  char **texts; /* interned units and descriptions (open addressing, owned) */
  name_block *names; /* head block is the one being filled */
  size_t texts_cap, texts_used;
};

stats_registry *stats_create(void) { return calloc(1, sizeof(stats_registry)); }

static void free_chunks(chunk *c) {
  while (c) {
    chunk *next = c->next;
    free(c);
    c = next;
  }
}

void stats_destroy(stats_registry *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n; i++)
    if (r->recs[i].kind == STATS_HISTOGRAM) stats_hist_free(r->recs[i].obj);
  for (name_block *b = r->names, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  for (size_t i = 0; i < r->hash_cap; i++)
    if (r->hash[i].idx == INNER) free(r->hash[i].key);
  for (size_t i = 0; i < r->texts_cap; i++) free(r->texts[i]);
  free(r->texts);
  free(r->hash);
  free(r->recs);
  free_chunks(r->counters);
  free_chunks(r->gauges);
  free(r);
}

static size_t hash_mem(const char *s, size_t len) {
  size_t h = 1469598103934665603u;
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211u;
  return h;
}

/* Slot for key s[0..len): the matching one, or the empty one where it would go. */
static hslot *hash_find(const stats_registry *r, const char *s, size_t len) {
  if (!r->hash_cap) return NULL;
  size_t mask = r->hash_cap - 1, i = hash_mem(s, len) & mask;
  for (;; i = (i + 1) & mask) {
    hslot *h = &r->hash[i];
    if (!h->key || (strncmp(h->key, s, len) == 0 && h->key[len] == '\0')) return h;
  }
}

/* A leaf (idx a rec index) keys on its rec's name, leaf_name; an inner node owns a copy. */
static bool hash_put(stats_registry *r, const char *s, size_t len, size_t idx, char *leaf_name) {
  if ((r->hash_used + 1) * 2 > r->hash_cap) {
    size_t cap = r->hash_cap ? r->hash_cap * 2 : 256;
    hslot *old = r->hash;
    size_t old_cap = r->hash_cap;
    if (!(r->hash = calloc(cap, sizeof(hslot)))) return r->hash = old, false;
    r->hash_cap = cap;
    for (size_t i = 0; i < old_cap; i++)
      if (old[i].key) *hash_find(r, old[i].key, strlen(old[i].key)) = old[i];
    free(old);
  }
  hslot *h = hash_find(r, s, len);
  if (h->key) return h->idx = idx, true;
  if (leaf_name) h->key = leaf_name;
  else {
    if (!(h->key = malloc(len + 1))) return false;
    memcpy(h->key, s, len);
    h->key[len] = '\0';
  }
  h->idx = idx;
  r->hash_used++;
  return true;
}

bool stats_name_ok(const char *name) {
  size_t len = strlen(name);
  if (len == 0 || len > NAME_MAX_LEN || name[0] == '.' || name[len - 1] == '.') return false;
  for (size_t i = 0; i < len; i++) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '/' || c == ':' || (c == '.' && name[i + 1] != '.');
    if (!ok) return false;
  }
  return true;
}

static void *new_slot(chunk **head, size_t *used, bool is_double) {
  if (!*head || *used == CHUNK_SLOTS) {
    chunk *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->next = *head;
    *head = c;
    *used = 0;
  }
  size_t i = (*used)++;
  return is_double ? (void *)&(*head)->slot.d[i] : (void *)&(*head)->slot.u[i];
}

/* A copy of name (len <= NAME_MAX_LEN) in the name blocks, NULL when out of memory. */
static char *name_copy(stats_registry *r, const char *name, size_t len) {
  if (!r->names || r->names->used + len + 1 > NAME_BLOCK) {
    name_block *b = malloc(sizeof *b);
    if (!b) return NULL;
    b->next = r->names;
    b->used = 0;
    r->names = b;
  }
  char *p = r->names->buf + r->names->used;
  memcpy(p, name, len + 1);
  r->names->used += len + 1;
  return p;
}

/* The registry's one copy of text s (units, descriptions), NULL when out of memory. */
static const char *intern(stats_registry *r, const char *s) {
  if (!s) s = "";
  if ((r->texts_used + 1) * 2 > r->texts_cap) {
    size_t cap = r->texts_cap ? r->texts_cap * 2 : 64;
    char **t = calloc(cap, sizeof *t);
    if (!t) return NULL;
    for (size_t i = 0; i < r->texts_cap; i++) {
      if (!r->texts[i]) continue;
      size_t j = hash_mem(r->texts[i], strlen(r->texts[i])) & (cap - 1);
      while (t[j]) j = (j + 1) & (cap - 1);
      t[j] = r->texts[i];
    }
    free(r->texts);
    r->texts = t;
    r->texts_cap = cap;
  }
  size_t mask = r->texts_cap - 1, j = hash_mem(s, strlen(s)) & mask;
  for (; r->texts[j]; j = (j + 1) & mask)
    if (!strcmp(r->texts[j], s)) return r->texts[j];
  if (!(r->texts[j] = strdup(s))) return NULL;
  r->texts_used++;
  return r->texts[j];
}

static void *add(stats_registry *r, const char *name, const char *unit, const char *desc,
                 stats_kind kind) {
  if (!r || !name || !stats_name_ok(name)) return NULL;
  size_t len = strlen(name);
  hslot *h = hash_find(r, name, len);
  if (h && h->key) { /* existing leaf of the same kind, else refused */
    if (h->idx == INNER || r->recs[h->idx].kind != kind) return NULL;
    return r->recs[h->idx].obj;
  }
  for (size_t i = 0; i < len; i++) { /* no proper prefix may be a leaf */
    if (name[i] != '.') continue;
    hslot *p = hash_find(r, name, i);
    if (p && p->key && p->idx != INNER) return NULL;
  }
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 64;
    rec *recs = realloc(r->recs, cap * sizeof *recs);
    if (!recs) return NULL;
    r->recs = recs;
    r->cap = cap;
  }
  rec e = {name_copy(r, name, len), intern(r, unit), intern(r, desc), kind, NULL};
  if (kind == STATS_COUNTER) e.obj = new_slot(&r->counters, &r->counters_used, false);
  else if (kind == STATS_GAUGE) e.obj = new_slot(&r->gauges, &r->gauges_used, true);
  else e.obj = stats_hist_new();
  bool ok = e.name && e.unit && e.desc && e.obj;
  for (size_t i = 0; ok && i < len; i++) /* inner nodes first: the leaf entry comes last */
    if (name[i] == '.') ok = hash_put(r, name, i, INNER, NULL);
  ok = ok && hash_put(r, name, len, r->n, e.name);
  if (!ok) { /* out of memory: an unused slot at worst, the registry stays consistent */
    /* the name's bytes and the interned texts stay in their blocks */
    if (kind == STATS_HISTOGRAM) stats_hist_free(e.obj);
    return NULL;
  }
  r->recs[r->n++] = e;
  return e.obj;
}

stats_counter *stats_counter_add(stats_registry *r, const char *name, const char *unit,
                                 const char *desc) {
  return add(r, name, unit, desc, STATS_COUNTER);
}

double *stats_gauge_add(stats_registry *r, const char *name, const char *unit, const char *desc) {
  return add(r, name, unit, desc, STATS_GAUGE);
}

stats_hist *stats_hist_add(stats_registry *r, const char *name, const char *unit,
                           const char *desc) {
  return add(r, name, unit, desc, STATS_HISTOGRAM);
}

static const void *find(const stats_registry *r, const char *name, stats_kind kind) {
  if (!r || !name) return NULL;
  hslot *h = hash_find(r, name, strlen(name));
  if (!h || !h->key || h->idx == INNER || r->recs[h->idx].kind != kind) return NULL;
  return r->recs[h->idx].obj;
}

const stats_counter *stats_find_counter(const stats_registry *r, const char *name) {
  return find(r, name, STATS_COUNTER);
}
const double *stats_find_gauge(const stats_registry *r, const char *name) {
  return find(r, name, STATS_GAUGE);
}
const stats_hist *stats_find_hist(const stats_registry *r, const char *name) {
  return find(r, name, STATS_HISTOGRAM);
}

size_t stats_count(const stats_registry *r) { return r ? r->n : 0; }

stats_entry stats_at(const stats_registry *r, size_t i) {
  stats_entry e = {0};
  if (!r || i >= r->n) return e;
  const rec *x = &r->recs[i];
  e.name = x->name;
  e.unit = x->unit;
  e.desc = x->desc;
  e.kind = x->kind;
  if (x->kind == STATS_COUNTER) e.counter = x->obj;
  else if (x->kind == STATS_GAUGE) e.gauge = x->obj;
  else e.hist = x->obj;
  return e;
}

bool stats_name_matches(const char *name, const char *prefix) {
  if (!prefix || !*prefix) return true;
  size_t n = strlen(prefix);
  if (strncmp(name, prefix, n) != 0) return false;
  return name[n] == '\0' || name[n] == '.' || prefix[n - 1] == '.';
}
