/* Parameter tables: defaults, applying a YAML map, did-you-mean, printing. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_internal.h"

static void join_path(char *out, size_t len, const char *prefix, const char *key) {
  if (prefix && *prefix) snprintf(out, len, "%s.%s", prefix, key);
  else snprintf(out, len, "%s", key);
}

bool cfg_apply_defaults(const cfg_param *table, size_t n, void *dst, cfg_err *err) {
  for (size_t i = 0; i < n; i++) {
    const cfg_param *p = &table[i];
    if (!p->def) continue;
    char why[CFG_ERR_MAX];
    /* A default "" is a real empty string or byte string, not YAML null. */
    bool quoted = p->type == CFG_T_STRING || p->type == CFG_T_HEX;
    if (!cfg_parse_scalar(p, p->def, quoted, dst, why, sizeof why))
      return cfg_fail(err, NULL, p->name, "invalid default in the parameter table: %s", why);
  }
  return true;
}

static const cfg_param *find_param(const cfg_param *table, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(table[i].name, name) == 0) return &table[i];
  return NULL;
}

static bool unknown_key(const cfg_node *key_node, const char *field, const cfg_param *table,
                        size_t n, const char *const *extra, cfg_err *err) {
  size_t n_extra = 0;
  while (extra && extra[n_extra]) n_extra++;
  const char **cands = malloc((n + n_extra + 1) * sizeof *cands);
  if (!cands) return cfg_fail(err, key_node, field, "unknown key");
  for (size_t i = 0; i < n; i++) cands[i] = table[i].name;
  for (size_t i = 0; i < n_extra; i++) cands[n + i] = extra[i];
  const char *dym = cfg_did_you_mean(key_node->value, cands, n + n_extra);
  if (dym) {
    cfg_fail(err, key_node, field, "unknown key (did you mean '%s'?)", dym);
  } else {
    char list[300];
    size_t len = 0;
    list[0] = '\0';
    for (size_t i = 0; i < n + n_extra; i++) {
      int w = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", cands[i]);
      if (w < 0 || (size_t)w >= sizeof list - len) {
        snprintf(list + (len < sizeof list - 6 ? len : sizeof list - 6), 6, ", ...");
        break;
      }
      len += (size_t)w;
    }
    cfg_fail(err, key_node, field, "unknown key (allowed: %s)", list);
  }
  free(cands);
  return false;
}

bool cfg_apply_table(const cfg_node *map, const char *path_prefix, const cfg_param *table,
                     size_t n, const char *const *extra_keys, void *dst, cfg_err *err) {
  if (!cfg_apply_defaults(table, n, dst, err)) return false;
  if (map && map->kind != CFG_MAP)
    return cfg_fail(err, map, path_prefix, "expected a map, found a %s (allowed: a map of: %s%s)",
                    map->kind == CFG_SEQ ? "sequence" : "scalar", n ? table[0].name : "",
                    n > 1 ? ", ..." : "");
  char field[512], why[CFG_ERR_MAX];
  for (size_t i = 0; map && i < map->n; i++) {
    const char *key = map->keys[i];
    join_path(field, sizeof field, path_prefix, key);
    const cfg_param *p = find_param(table, n, key);
    if (!p) {
      bool extra = false;
      for (size_t k = 0; extra_keys && extra_keys[k] && !extra; k++)
        extra = strcmp(extra_keys[k], key) == 0;
      if (extra) continue;
      return unknown_key(map->key_nodes[i], field, table, n, extra_keys, err);
    }
    const cfg_node *v = map->items[i];
    if (v->kind != CFG_SCALAR)
      return cfg_fail(err, v, field, "expected a %s value, found a %s (allowed: a scalar)",
                      cfg_type_name(p->type), v->kind == CFG_MAP ? "map" : "sequence");
    if (!cfg_parse_scalar(p, v->value, v->quoted, dst, why, sizeof why))
      return cfg_fail(err, v, field, "%s", why);
  }
  for (size_t i = 0; i < n; i++) {
    if (table[i].def || cfg_get(map, table[i].name)) continue;
    join_path(field, sizeof field, path_prefix, table[i].name);
    return cfg_fail(err, map, field, "missing required key");
  }
  return true;
}

void cfg_table_free(const cfg_param *table, size_t n, void *dst) {
  for (size_t i = 0; i < n; i++) {
    char *f = (char *)dst + table[i].offset;
    if (table[i].type == CFG_T_STRING) {
      free(*(char **)f);
      *(char **)f = NULL;
    } else if (table[i].type == CFG_T_HEX) {
      cfg_bytes *b = (cfg_bytes *)f;
      free(b->data);
      b->data = NULL;
      b->len = 0;
    }
  }
}

/* Optimal-string-alignment distance (Damerau: a swap of neighbours costs 1) between two
 * lower-cased words shorter than 128 bytes, or cutoff + 1 as soon as it must exceed cutoff.
 * Every cell derives from the two rows above it with non-negative costs, so once two
 * consecutive rows hold nothing <= cutoff no later row can (the early exit keeps the
 * did-you-mean over thousands of metric names cheap). */
static size_t osa_distance_within(const char *a, size_t la, const char *b, size_t lb,
                                  size_t cutoff) {
  size_t rows[3][128];
  size_t *pp = rows[0], *prev = rows[1], *cur = rows[2];
  size_t prev_min = 0;
  for (size_t j = 0; j <= lb; j++) prev[j] = j;
  for (size_t i = 1; i <= la; i++) {
    cur[0] = i;
    size_t row_min = i;
    for (size_t j = 1; j <= lb; j++) {
      char ca = a[i - 1], cb = b[j - 1];
      size_t best = prev[j - 1] + (ca != cb);
      if (prev[j] + 1 < best) best = prev[j] + 1;
      if (cur[j - 1] + 1 < best) best = cur[j - 1] + 1;
      if (i > 1 && j > 1 && ca == b[j - 2] && a[i - 2] == cb && pp[j - 2] + 1 < best)
        best = pp[j - 2] + 1;
      cur[j] = best;
      if (best < row_min) row_min = best;
    }
    if (row_min > cutoff && prev_min > cutoff) return cutoff + 1;
    prev_min = row_min;
    size_t *t = pp;
    pp = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb];
}

static size_t lower_copy(char *out, const char *in) {
  size_t n = 0;
  for (; in[n]; n++) out[n] = (char)tolower((unsigned char)in[n]);
  out[n] = '\0';
  return n;
}

/* Closest candidate within max(2, len/3) edits that keeps at least one character of the
 * word; ties go to the earlier candidate. Only a candidate strictly closer than the best so
 * far can win, so the cutoff shrinks as candidates are found, and a length difference above
 * it (a lower bound of the distance) skips the candidate without computing anything. */
const char *cfg_did_you_mean(const char *word, const char *const *cands, size_t n) {
  size_t lw = strlen(word);
  if (lw == 0 || lw >= 128) return NULL;
  char w[128], c[128];
  lower_copy(w, word);
  size_t limit = lw / 3 > 2 ? lw / 3 : 2;
  if (limit > lw - 1) limit = lw - 1; /* d < lw: at least one character kept */
  size_t cutoff = limit;
  const char *best = NULL;
  for (size_t i = 0; i < n; i++) {
    if (!cands[i]) continue;
    size_t lc = strlen(cands[i]);
    if (lc >= 128) continue;
    if ((lc > lw ? lc - lw : lw - lc) > cutoff) continue;
    lower_copy(c, cands[i]);
    size_t d = osa_distance_within(w, lw, c, lc, cutoff);
    if (d > cutoff) continue;
    best = cands[i];
    if (d == 0) break;
    cutoff = d - 1;
  }
  return best;
}

static const char *source_name(cfg_source s) {
  switch (s) {
  case CFG_SRC_PUBLISHED: return "published";
  case CFG_SRC_DERIVED: return "derived";
  case CFG_SRC_ASSUMED: return "assumed";
  }
  return "?";
}

enum { COL_NAME, COL_TYPE, COL_UNIT, COL_DEFAULT, COL_RANGE, COL_SOURCE, COL_DOC, N_COLS };

static void cells(const cfg_param *p, char c[N_COLS][160]) {
  snprintf(c[COL_NAME], 160, "%s", p->name);
  snprintf(c[COL_TYPE], 160, "%s", cfg_type_name(p->type));
  snprintf(c[COL_UNIT], 160, "%s", p->unit && *p->unit ? p->unit : "-");
  snprintf(c[COL_DEFAULT], 160, "%s", p->secret ? "(secret)" : p->def ? p->def : "(required)");
  if (p->type == CFG_T_ENUM) snprintf(c[COL_RANGE], 160, "%s", p->allowed ? p->allowed : "-");
  else if (p->type == CFG_T_HEX && p->min <= p->max)
    snprintf(c[COL_RANGE], 160, "%.0f..%.0f bytes", p->min, p->max);
  else if (p->type == CFG_T_BOOL || p->type == CFG_T_STRING || p->type == CFG_T_HEX)
    snprintf(c[COL_RANGE], 160, "-");
  else cfg_format_range(p, c[COL_RANGE], 160);
  snprintf(c[COL_SOURCE], 160, "%s", source_name(p->source));
  snprintf(c[COL_DOC], 160, "%s", p->doc ? p->doc : "");
}

static void put_row(FILE *fp, char c[N_COLS][160], const int *width) {
  char line[1200];
  size_t len = 0;
  for (int k = 0; k < N_COLS; k++) {
    int w = snprintf(line + len, sizeof line - len, "  %-*s", width[k], c[k]);
    if (w > 0) len += (size_t)w < sizeof line - len ? (size_t)w : sizeof line - 1 - len;
  }
  while (len && line[len - 1] == ' ') len--;
  line[len] = '\0';
  fprintf(fp, "%s\n", line);
}

void cfg_print_table(const char *block, const cfg_param *table, size_t n, void *fp_) {
  FILE *fp = fp_;
  static const char *const head[N_COLS] = {"NAME",  "TYPE",   "UNIT", "DEFAULT",
                                           "RANGE", "SOURCE", "DOC"};
  char c[N_COLS][160];
  int width[N_COLS] = {0};
  for (int k = 0; k < N_COLS; k++) width[k] = (int)strlen(head[k]);
  for (size_t i = 0; i < n; i++) {
    cells(&table[i], c);
    for (int k = 0; k < N_COLS; k++)
      if ((int)strlen(c[k]) > width[k]) width[k] = (int)strlen(c[k]);
  }
  width[COL_DOC] = 0; /* last column: no padding */
  fprintf(fp, "%s parameters\n", block ? block : "");
  for (int k = 0; k < N_COLS; k++) snprintf(c[k], 160, "%s", head[k]);
  put_row(fp, c, width);
  for (size_t i = 0; i < n; i++) {
    cells(&table[i], c);
    put_row(fp, c, width);
    if (table[i].why && *table[i].why)
      fprintf(fp, "  %*s  why: %s\n", width[COL_NAME], "", table[i].why);
  }
}
