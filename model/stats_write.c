/* Text and JSON writers. Both walk the registry in registration order and format numbers
 * deterministically: integers as integers, doubles as the shortest %.{15,16,17}g text that
 * reads back to the same value, so the same run gives byte-identical reports.
 *
 * JSON shape: one object nested by dotted path; objects keep the order in which their
 * members were first registered. Leaves:
 *   counter   {"value": 12, "unit": "packets", "desc": "..."}
 *   gauge     {"value": 1.5, "unit": "bps", "desc": "..."}     (null when not finite)
 *   histogram {"count": n, "min": .., "mean": .., "p50": .., "p99": .., "p99.9": .., "max": ..,
 *              "unit": "fs", "desc": "..."}                      (null statistics when n = 0) */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats_internal.h"

void stats_format_double(double v, char *out, size_t len) {
  if (isnan(v)) {
    snprintf(out, len, "nan");
    return;
  }
  if (isinf(v)) {
    snprintf(out, len, v > 0 ? "inf" : "-inf");
    return;
  }
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(out, len, "%.*g", prec, v);
    if (strtod(out, NULL) == v) return;
  }
}

static void hist_text(const stats_hist *h, FILE *fp) {
  uint64_t n = stats_hist_count(h);
  fprintf(fp, " count=%" PRIu64, n);
  if (n == 0) return;
  char mean[40];
  stats_format_double(stats_hist_mean(h), mean, sizeof mean);
  fprintf(fp,
          " min=%" PRIu64 " mean=%s p50=%" PRIu64 " p99=%" PRIu64 " p99.9=%" PRIu64
          " max=%" PRIu64,
          stats_hist_min(h), mean, stats_hist_quantile(h, 0.5), stats_hist_quantile(h, 0.99),
          stats_hist_quantile(h, 0.999), stats_hist_max(h));
}

void stats_write_text(const stats_registry *r, const char *prefix, FILE *fp) {
  for (size_t i = 0; i < stats_count(r); i++) {
    stats_entry e = stats_at(r, i);
    if (!stats_name_matches(e.name, prefix)) continue;
    fputs(e.name, fp);
    if (e.kind == STATS_COUNTER) {
      fprintf(fp, " %" PRIu64, *e.counter);
    } else if (e.kind == STATS_GAUGE) {
      char v[40];
      stats_format_double(*e.gauge, v, sizeof v);
      fprintf(fp, " %s", v);
    } else {
      hist_text(e.hist, fp);
    }
    if (*e.unit) fprintf(fp, " %s", e.unit);
    if (*e.desc) fprintf(fp, " # %s", e.desc);
    fputc('\n', fp);
  }
}

/* ---- JSON ---- */
/* 32 bytes: the 2000-tunnel run's report is a tree of ~230K nodes. Links are pool indices,
 * 0 = none (pool[0] is the root, nobody's child). */
typedef struct jnode {
  const char *seg;
  uint32_t seg_len;
  uint32_t child, last, next;
  uint32_t leaf; /* registry index + 1 of the entry ending here, 0 for an inner node */
} jnode;

/* The pool in blocks of 2048 nodes (64 KiB, below malloc's mmap threshold: the blocks come from
 * the heap, where the run's freed state lies, rather than from fresh pages). */
#define JBLOCK_BITS 11u
#define JBLOCK (1u << JBLOCK_BITS)
typedef struct jpool {
  jnode **blocks;
  uint32_t n_blocks, used;
} jpool;

static jnode *jat(const jpool *p, uint32_t i) { return &p->blocks[i >> JBLOCK_BITS][i & (JBLOCK - 1)]; }

#define JNONE UINT32_MAX

/* A new zeroed node's index (the first one, 0, is the root), JNONE when out of memory. */
static uint32_t jnew(jpool *p) {
  if (p->used == p->n_blocks * JBLOCK) {
    if (p->n_blocks == UINT32_MAX >> JBLOCK_BITS) return JNONE;
    jnode **nb = realloc(p->blocks, (p->n_blocks + 1) * sizeof *nb);
    if (!nb) return JNONE;
    p->blocks = nb;
    if (!(nb[p->n_blocks] = calloc(JBLOCK, sizeof **nb))) return JNONE;
    p->n_blocks++;
  }
  return p->used++;
}

static void jfree(jpool *p) {
  for (uint32_t b = 0; b < p->n_blocks; b++) free(p->blocks[b]);
  free(p->blocks);
}

static void json_string(FILE *fp, const char *s, size_t len) {
  fputc('"', fp);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') fprintf(fp, "\\%c", c);
    else if (c < 0x20) fprintf(fp, "\\u%04x", c);
    else fputc(c, fp);
  }
  fputc('"', fp);
}

static void json_double(FILE *fp, double v) {
  char buf[40];
  if (!isfinite(v)) {
    fputs("null", fp);
    return;
  }
  stats_format_double(v, buf, sizeof buf);
  fputs(buf, fp);
}

static void indent(FILE *fp, int depth) {
  for (int i = 0; i < depth; i++) fputs("  ", fp);
}

static void json_meta(FILE *fp, const stats_entry *e, int depth) {
  fputs(",\n", fp);
  indent(fp, depth);
  fputs("\"unit\": ", fp);
  json_string(fp, e->unit, strlen(e->unit));
  fputs(",\n", fp);
  indent(fp, depth);
  fputs("\"desc\": ", fp);
  json_string(fp, e->desc, strlen(e->desc));
}

static void json_leaf(FILE *fp, const stats_entry *e, int depth) {
  fputs("{\n", fp);
  indent(fp, depth + 1);
  if (e->kind == STATS_COUNTER) {
    fprintf(fp, "\"value\": %" PRIu64, *e->counter);
  } else if (e->kind == STATS_GAUGE) {
    fputs("\"value\": ", fp);
    json_double(fp, *e->gauge);
  } else {
    const stats_hist *h = e->hist;
    uint64_t n = stats_hist_count(h);
    fprintf(fp, "\"count\": %" PRIu64, n);
    static const char *const names[] = {"min", "mean", "p50", "p99", "p99.9", "max"};
    static const double qs[] = {0, 0, 0.5, 0.99, 0.999, 1};
    for (int k = 0; k < 6; k++) {
      fputs(",\n", fp);
      indent(fp, depth + 1);
      fprintf(fp, "\"%s\": ", names[k]);
      if (n == 0) fputs("null", fp);
      else if (k == 1) json_double(fp, stats_hist_mean(h));
      else fprintf(fp, "%" PRIu64, stats_hist_quantile(h, qs[k]));
    }
  }
  json_meta(fp, e, depth + 1);
  fputc('\n', fp);
  indent(fp, depth);
  fputc('}', fp);
}

static void json_node(FILE *fp, const stats_registry *r, const jpool *pool, const jnode *n, int depth) {
  if (n->leaf) {
    stats_entry e = stats_at(r, n->leaf - 1);
    json_leaf(fp, &e, depth);
    return;
  }
  if (!n->child) {
    fputs("{}", fp);
    return;
  }
  fputs("{\n", fp);
  for (const jnode *c = jat(pool, n->child);; c = jat(pool, c->next)) {
    indent(fp, depth + 1);
    json_string(fp, c->seg, c->seg_len);
    fputs(": ", fp);
    json_node(fp, r, pool, c, depth + 1);
    fputs(c->next ? ",\n" : "\n", fp);
    if (!c->next) break;
  }
  indent(fp, depth);
  fputc('}', fp);
}

void stats_write_json(const stats_registry *r, const char *prefix, FILE *fp) {
  const size_t n = stats_count(r);
  jpool pool = {0};
  bool ok = jnew(&pool) != JNONE; /* the root, 0 */
  for (size_t i = 0; ok && i < n; i++) {
    const char *name = stats_at(r, i).name;
    if (!stats_name_matches(name, prefix)) continue;
    uint32_t at = 0;
    for (const char *s = name; *s;) {
      const char *dot = strchr(s, '.');
      size_t len = dot ? (size_t)(dot - s) : strlen(s);
      /* names of one owner come together: the last child first (thousands of tunnels or SAs
       * under one node would otherwise make this quadratic) */
      const jnode *a = jat(&pool, at), *last = jat(&pool, a->last);
      uint32_t c = a->last && last->seg_len == len && memcmp(last->seg, s, len) == 0 ? a->last : a->child;
      while (c && !(jat(&pool, c)->seg_len == len && memcmp(jat(&pool, c)->seg, s, len) == 0)) c = jat(&pool, c)->next;
      if (!c) {
        if ((c = jnew(&pool)) == JNONE) {
          ok = false;
          break;
        }
        jnode *nc = jat(&pool, c), *pa = jat(&pool, at);
        nc->seg = s;
        nc->seg_len = (uint32_t)len;
        if (pa->last) jat(&pool, pa->last)->next = c;
        else pa->child = c;
        pa->last = c;
      }
      at = c;
      s += len + (dot ? 1 : 0);
    }
    if (ok) jat(&pool, at)->leaf = (uint32_t)(i + 1); /* the registry refuses names that are also inner nodes */
  }
  if (ok) json_node(fp, r, &pool, jat(&pool, 0), 0);
  else fputs("{}", fp);
  fputc('\n', fp);
  jfree(&pool);
}
