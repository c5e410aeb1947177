/* Closing a YAML map: duplicate keys are errors, and YAML merge keys are resolved.
 *
 * Merge keys (`<<: *defaults` or `<<: [*a, *b]`, the YAML 1.1 merge type): the pairs of the
 * merged maps are inserted where the `<<` key stood, except keys the map sets itself
 * (explicit keys win wherever they are written) and keys an earlier merged map already gave.
 * A quoted "<<" is an ordinary key. Merged pairs are shared, not copied, and were already
 * counted against CFG_MAX_NODES through the alias that brought them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_internal.h"

typedef struct key_ref {
  const char *key;
  size_t idx;
} key_ref;

static int cmp_key_ref(const void *a, const void *b) {
  const key_ref *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static void join(char *out, size_t len, const char *path, const char *key) {
  snprintf(out, len, "%s%s%s", path, path[0] ? "." : "", key);
}

/* Sorting keeps a map with many keys at n log n. Reports the earliest second occurrence in
 * document order. */
static bool check_duplicates(const cfg_node *const *kids, size_t pairs, const char *path,
                             cfg_err *err) {
  if (pairs < 2) return true;
  key_ref *refs = malloc(pairs * sizeof *refs);
  if (!refs) return cfg_fail(err, kids[0], path, "out of memory");
  for (size_t i = 0; i < pairs; i++) refs[i] = (key_ref){kids[2 * i]->value, i};
  qsort(refs, pairs, sizeof *refs, cmp_key_ref);
  size_t dup = pairs, first = 0;
  for (size_t i = 1; i < pairs; i++)
    if (strcmp(refs[i].key, refs[i - 1].key) == 0 && refs[i].idx < dup) {
      dup = refs[i].idx;
      first = refs[i - 1].idx;
    }
  free(refs);
  if (dup == pairs) return true;
  char field[512];
  join(field, sizeof field, path, kids[2 * dup]->value);
  const cfg_node *k = kids[2 * dup], *k0 = kids[2 * first];
  return cfg_fail(err, k, field, "duplicate key (first at line %u col %u)", k0->line, k0->col);
}

static bool is_merge_key(const cfg_node *key) { return !key->quoted && !strcmp(key->value, "<<"); }

/* Tiny string set (open addressing) for "key already present". */
typedef struct key_set {
  const char **slot;
  size_t mask;
} key_set;

static size_t hash_str(const char *s) {
  size_t h = 1469598103934665603u;
  while (*s) h = (h ^ (unsigned char)*s++) * 1099511628211u;
  return h;
}

/* Returns true when key was newly added. */
static bool set_add(key_set *s, const char *key) {
  size_t i = hash_str(key) & s->mask;
  for (; s->slot[i]; i = (i + 1) & s->mask)
    if (!strcmp(s->slot[i], key)) return false;
  s->slot[i] = key;
  return true;
}

/* The maps a `<<` value names, checked: a map, or a sequence of maps. */
static bool merge_sources(const cfg_node *v, const char *field, cfg_err *err) {
  if (v->kind == CFG_MAP) return true;
  if (v->kind == CFG_SEQ) {
    for (size_t i = 0; i < v->n; i++)
      if (v->items[i]->kind != CFG_MAP)
        return cfg_fail(err, v->items[i], field,
                        "merge value must be a map or a sequence of maps (allowed: <<: *a, "
                        "<<: [*a, *b])");
    return true;
  }
  return cfg_fail(err, v, field,
                  "merge value must be a map or a sequence of maps (allowed: <<: *a, <<: [*a, *b])");
}

static void put(cfg_node *map, const cfg_node *key, const cfg_node *value) {
  map->key_nodes[map->n] = key;
  map->keys[map->n] = key->value;
  map->items[map->n++] = value;
}

bool cfg_build_map(cfg_arena *ar, cfg_node *map, const cfg_node *const *kids, size_t pairs,
                   const char *path, cfg_err *err) {
  if (!check_duplicates(kids, pairs, path, err)) return false;
  char field[512];
  size_t cap = pairs, merges = 0;
  for (size_t i = 0; i < pairs; i++) {
    if (!is_merge_key(kids[2 * i])) continue;
    const cfg_node *v = kids[2 * i + 1];
    join(field, sizeof field, path, "<<");
    if (!merge_sources(v, field, err)) return false;
    merges++;
    if (v->kind == CFG_MAP) cap += v->n;
    for (size_t k = 0; v->kind == CFG_SEQ && k < v->n; k++) cap += v->items[k]->n;
  }
  size_t alloc = cap ? cap : 1;
  map->keys = cfg_arena_alloc(ar, alloc * sizeof *map->keys);
  map->key_nodes = cfg_arena_alloc(ar, alloc * sizeof *map->key_nodes);
  map->items = cfg_arena_alloc(ar, alloc * sizeof *map->items);
  if (!map->keys || !map->key_nodes || !map->items)
    return cfg_fail(err, map, path, "out of memory");
  map->n = 0;
  if (!merges) {
    for (size_t i = 0; i < pairs; i++) put(map, kids[2 * i], kids[2 * i + 1]);
    return true;
  }
  size_t slots = 16;
  while (slots < 2 * cap) slots *= 2;
  key_set set = {calloc(slots, sizeof(const char *)), slots - 1};
  if (!set.slot) return cfg_fail(err, map, path, "out of memory");
  for (size_t i = 0; i < pairs; i++)
    if (!is_merge_key(kids[2 * i])) set_add(&set, kids[2 * i]->value);
  for (size_t i = 0; i < pairs; i++) {
    const cfg_node *k = kids[2 * i], *v = kids[2 * i + 1];
    if (!is_merge_key(k)) {
      put(map, k, v);
      continue;
    }
    size_t n_src = v->kind == CFG_SEQ ? v->n : 1;
    for (size_t s = 0; s < n_src; s++) {
      const cfg_node *src = v->kind == CFG_SEQ ? v->items[s] : v;
      for (size_t j = 0; j < src->n; j++)
        if (set_add(&set, src->keys[j])) put(map, src->key_nodes[j], src->items[j]);
    }
  }
  free(set.slot);
  return true;
}
