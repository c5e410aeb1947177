/* libFuzzer target: the YAML loader (aliases, merge keys, depth and node limits), its pruned
 * stream form (cfg_load_stream_pruned: whatever the whole loader accepts it accepts too, with
 * the same kept subtrees) and the parameter-table walker with every value type, on arbitrary
 * bytes. */
#define _GNU_SOURCE /* memmem */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_depth.h"
#include "model/cfg.h"

enum { D_LOADED, D_REFUSED, D_MAP_OK, D_MAP_REFUSED, D_SEQ_MAPS, D_PRUNED_KEPT, D_COUNT };
static const char *const DEPTH_NAMES[D_COUNT] = {
    "documents loaded", "documents refused", "table applied to a map", "table refused a value",
    "maps in a sequence", "pruned loads keeping a subtree"};
static uint64_t depth[D_COUNT];

typedef struct sample {
  bool flag;
  int64_t i;
  uint64_t u, t_fs, size;
  double d, rate, pps, freq, frac;
  char *s;
  int e;
  cfg_bytes key;
} sample;

#define P(name, type, def, field) \
  {name, type, "", def, 1, 0, NULL, CFG_SRC_ASSUMED, "fuzz", "fuzz", offsetof(sample, field), false}

static const cfg_param TABLE[] = {
    P("flag", CFG_T_BOOL, "false", flag),     P("i", CFG_T_INT, "0", i),
    P("u", CFG_T_UINT, "0", u),               P("d", CFG_T_DOUBLE, "0", d),
    P("s", CFG_T_STRING, "\"x\"", s),         P("rate", CFG_T_RATE, "1Gbps", rate),
    P("pps", CFG_T_PPS, "1Mpps", pps),        P("freq", CFG_T_FREQ, "1GHz", freq),
    P("t", CFG_T_TIME, "1ns", t_fs),          P("size", CFG_T_SIZE, "64B", size),
    P("frac", CFG_T_PERCENT, "50%", frac),    P("key", CFG_T_HEX, "00", key),
    {"e", CFG_T_ENUM, "", "a", 1, 0, "a|b|c", CFG_SRC_ASSUMED, "fuzz", "fuzz", offsetof(sample, e), false},
};

/* Same shape and scalars (positions aside). */
static bool same_tree(const cfg_node *a, const cfg_node *b) {
  if (a->kind != b->kind || a->n != b->n) return false;
  if (a->kind == CFG_SCALAR) return strcmp(a->value, b->value) == 0 && a->quoted == b->quoted;
  for (size_t i = 0; i < a->n; i++) {
    if (a->kind == CFG_MAP && strcmp(a->key_nodes[i]->value, b->key_nodes[i]->value) != 0) return false;
    if (!same_tree(a->items[i], b->items[i])) return false;
  }
  return true;
}

/* Keep "a" whole and "b.*.c": a document the whole loader accepts loads pruned (unless an
 * alias names an anchor of a skipped part: documented, those do not exist), with "a" and each
 * b.X.c as in the whole tree (compared when the text has no merge key: a skipped `<<` merges
 * nothing). */
static void check_pruned(const uint8_t *data, size_t size, const cfg_node *whole) {
  static const char *const ka[] = {"a", NULL}, *const kb[] = {"b", "*", "c", NULL};
  static const char *const *const keep[] = {ka, kb, NULL};
  FILE *fp = fmemopen((void *)data, size, "r");
  if (!fp) return;
  cfg_err err;
  cfg_doc *p = cfg_load_stream_pruned("fuzz.yaml", fp, keep, &err);
  fclose(fp);
  if (!p) {
    if (!strstr(err.msg, "unknown anchor")) abort(); /* the whole loader took it */
    return;
  }
  const cfg_node *pr = cfg_root(p);
  if (whole->kind == CFG_MAP && pr->kind == CFG_MAP && !memmem(data, size, "<<", 2)) {
    const cfg_node *wa = cfg_get(whole, "a"), *pa = cfg_get(pr, "a");
    if ((wa == NULL) != (pa == NULL) || (wa && !same_tree(wa, pa))) abort();
    const cfg_node *wb = cfg_get(whole, "b"), *pb = cfg_get(pr, "b");
    if (wb && wb->kind == CFG_MAP && pb && pb->kind == CFG_MAP)
      for (size_t i = 0; i < wb->n; i++) {
        const cfg_node *wc = cfg_get(wb->items[i], "c");
        const cfg_node *px = cfg_get(pb, wb->key_nodes[i]->value), *pc = px ? cfg_get(px, "c") : NULL;
        if (wc && (!pc || !same_tree(wc, pc))) abort();
      }
    if (wa) depth[D_PRUNED_KEPT]++;
  }
  cfg_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cfg_err err;
  cfg_doc *doc = cfg_load_buffer("fuzz.yaml", (const char *)data, size, &err);
  if (!doc) {
    depth[D_REFUSED]++;
    return 0;
  }
  depth[D_LOADED]++;
  if (size) check_pruned(data, size, cfg_root(doc));
  const cfg_node *root = cfg_root(doc);
  sample s = {0};
  const size_t n = sizeof TABLE / sizeof TABLE[0];
  if (root && root->kind == CFG_MAP)
    depth[cfg_apply_table(root, "fuzz", TABLE, n, NULL, &s, &err) ? D_MAP_OK : D_MAP_REFUSED]++;
  else if (root && root->kind == CFG_SEQ)
    for (size_t k = 0; k < root->n; k++)
      if (root->items[k]->kind == CFG_MAP) {
        depth[D_SEQ_MAPS]++;
        (void)cfg_apply_table(root->items[k], "seq", TABLE, n, NULL, &s, &err);
        cfg_table_free(TABLE, n, &s);
        s = (sample){0};
      }
  cfg_table_free(TABLE, n, &s);
  cfg_free(doc);
  return 0;
}

int fuzz_replay_check(FILE *fp) {
  fuzz_depth d[D_COUNT];
  for (int i = 0; i < D_COUNT; i++) d[i] = (fuzz_depth){DEPTH_NAMES[i], depth[i]};
  return fuzz_depth_report(fp, d, D_COUNT);
}
