/* The YAML loader's anchor table and the keep paths of cfg_load_file_pruned (cfg_loader.h). */
#include <stdlib.h>
#include <string.h>

#include "cfg_loader.h"

/* ---- anchors: open-addressing hash table, later definitions replace earlier ones ---- */
static size_t hash_str(const char *s) {
  size_t h = 1469598103934665603u;
  while (*s) h = (h ^ (unsigned char)*s++) * 1099511628211u;
  return h;
}

anchor *cfg_anchor_slot(loader *L, const char *name) {
  if (L->anchor_cap == 0) return NULL;
  size_t mask = L->anchor_cap - 1, i = hash_str(name) & mask;
  while (L->anchors[i].name && strcmp(L->anchors[i].name, name) != 0) i = (i + 1) & mask;
  return &L->anchors[i];
}

bool cfg_anchor_put(loader *L, const char *name, const cfg_node *node, uint64_t size,
                       unsigned height) {
  if ((L->anchor_used + 1) * 2 > L->anchor_cap) {
    size_t cap = L->anchor_cap ? L->anchor_cap * 2 : 64;
    anchor *old = L->anchors;
    size_t old_cap = L->anchor_cap;
    L->anchors = calloc(cap, sizeof(anchor));
    if (!L->anchors) {
      L->anchors = old;
      return false;
    }
    L->anchor_cap = cap;
    for (size_t i = 0; i < old_cap; i++)
      if (old[i].name) *cfg_anchor_slot(L, old[i].name) = old[i];
    free(old);
  }
  anchor *a = cfg_anchor_slot(L, name);
  if (!a->name) {
    a->name = cfg_arena_strndup(&L->doc->arena, name, strlen(name));
    if (!a->name) return false;
    L->anchor_used++;
  }
  a->node = node;
  a->size = size;
  a->height = height;
  return true;
}

/* ---- cfg_load_file_pruned: does the value about to fill the top slot stay? ---- */
/* The key of level i's slot being filled; NULL in a sequence (no keep path enters one). */
static const char *level_key(const loader *L, unsigned i) {
  const open_node *o = &L->stack[i];
  return o->node->kind == CFG_MAP && o->n % 2 == 1 ? o->kids[o->n - 1]->value : NULL;
}

keep_verdict cfg_keep_of(const loader *L) {
  if (!L->keep || L->kept_from || L->depth == 0) return KEEP_ALL;
  keep_verdict best = KEEP_NO;
  for (const char *const *const *k = L->keep; *k && best != KEEP_ALL; k++) {
    unsigned i = 0;
    for (; i < L->depth && (*k)[i]; i++) {
      const char *key = level_key(L, i);
      if (!key || (strcmp((*k)[i], "*") != 0 && strcmp((*k)[i], key) != 0)) break;
    }
    if (i == L->depth) best = (*k)[i] ? KEEP_ON_THE_WAY : KEEP_ALL;
    else if (!(*k)[i]) best = KEEP_ALL; /* a shorter path already matched (not reached: kept_from) */
  }
  return best;
}

void cfg_keep_drop_key(loader *L) {
  open_node *top = &L->stack[L->depth - 1];
  if (top->node->kind != CFG_MAP || top->n % 2 != 1) return;
  top->n--, L->expanded--;
  if (top->key_marked) cfg_arena_release(&L->doc->arena, top->key_mark); /* nothing since but the key */
  top->key_marked = false;
}

bool cfg_keep_slot(loader *L) {
  if (!L->keep || L->depth == 0) return true;
  const open_node *top = &L->stack[L->depth - 1];
  if (top->node->kind == CFG_MAP && top->n % 2 == 0) return true;
  const keep_verdict v = cfg_keep_of(L);
  if (v == KEEP_NO) cfg_keep_drop_key(L);
  return v != KEEP_NO;
}

