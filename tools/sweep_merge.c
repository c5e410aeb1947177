/* The sweep table printed from results.csv text, and `ipsecsim merge` of shard files
 * (sweep_results.h). */
#include <stdlib.h>
#include <string.h>

#include "model/file_read.h"
#include "sweep_results.h"

#define MAX_FIELDS (SWEEP_MAX_AXES + 4)

/* A point's records: [begin, end) of the text, its number. */
typedef struct rec_span {
  size_t point;
  const char *begin, *end;
} rec_span;

/* Start of the records: the line after the column line (the first line without '#'). */
static const char *records_start(const char *csv) {
  for (const char *p = csv; p && *p;) {
    const char *nl = strchr(p, '\n');
    if (*p != '#') return nl ? nl + 1 : p + strlen(p);
    p = nl ? nl + 1 : NULL;
  }
  return NULL;
}

static size_t point_number(const char *line) { return (size_t)strtoull(line + 1, NULL, 10); }

/* Spans of consecutive lines that share a point id. */
static rec_span *spans(const char *recs, size_t *n) {
  size_t cap = 64;
  rec_span *s = malloc(cap * sizeof *s);
  *n = 0;
  for (const char *p = recs; s && p && *p;) {
    const char *nl = strchr(p, '\n');
    const char *next = nl ? nl + 1 : p + strlen(p);
    size_t pt = point_number(p);
    if (*n && s[*n - 1].point == pt && s[*n - 1].end == p) {
      s[*n - 1].end = next;
    } else {
      if (*n == cap) {
        rec_span *g = realloc(s, (cap *= 2) * sizeof *s);
        if (!g) return free(s), NULL;
        s = g;
      }
      s[(*n)++] = (rec_span){pt, p, next};
    }
    p = next;
  }
  return s;
}

static const char *const table_metrics[] = {
    "rfc2544.rate_pct", "ndr.rate_pct", "pdr.rate_pct", "rfc2544.l1_gbps", "ndr.l1_gbps", "pdr.l1_gbps",
    "rfc2544.l2_gbps", "ndr.l2_gbps", "rfc2544.mpps", "ndr.mpps", "pdr.mpps", "rx_l1_gbps", "rx_mpps", "lost_pkts",
    "backlog_growth_pkts", "rfc2544.latency_lifo.p99_ns", "ndr.latency_lifo.p99_ns", "latency_lifo.p99_ns",
    "ndr.engine.mpps", "ndr.wan_l1_gbps", "ndr.clear_l1_gbps", "line.mpps", "max.rate_pct", "trials", "max.binding", NULL};

static const char *find_value(const char *b, const char *e, const char *metric, char *buf, size_t len) {
  size_t ml = strlen(metric);
  for (const char *p = b; p < e;) {
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    const char *end = nl ? nl : e;
    const char *c2 = end;
    while (c2 > p && c2[-1] != ',') c2--;              /* value */
    const char *c1 = c2 > p ? c2 - 1 : p;
    while (c1 > p && c1[-1] != ',') c1--;              /* metric */
    if ((size_t)(c2 - 1 - c1) == ml && !strncmp(c1, metric, ml)) {
      snprintf(buf, len, "%.*s", (int)(end - c2), c2);
      return buf;
    }
    p = nl ? nl + 1 : e;
  }
  return NULL;
}

void sweep_print_table(const char *csv, FILE *fp) {
  const char *recs = records_start(csv);
  size_t n = 0;
  rec_span *s = recs ? spans(recs, &n) : NULL;
  if (!s || !n) return free(s);
  /* axis columns from the column line: point,seed,AXES...,metric,value */
  char header[1024];
  const char *cl = csv;
  for (const char *p = csv; p < recs; p = strchr(p, '\n') + 1) cl = p;
  snprintf(header, sizeof header, "%.*s", (int)(recs - cl - 1), cl);
  char *f[MAX_FIELDS];
  size_t nf = 0;
  for (char *p = header; nf < MAX_FIELDS;) {
    f[nf++] = p;
    char *c = strchr(p, ',');
    if (!c) break;
    *c = 0, p = c + 1;
  }
  size_t n_axes = nf >= 4 ? nf - 4 : 0;
  const char *cols[32];
  size_t nc = 0;
  char buf[128];
  for (size_t k = 0; table_metrics[k]; k++)
    if (find_value(s[0].begin, s[0].end, table_metrics[k], buf, sizeof buf)) cols[nc++] = table_metrics[k];
  fprintf(fp, "%-6s", "point");
  for (size_t a = 0; a < n_axes; a++) fprintf(fp, " %14s", f[2 + a]);
  for (size_t c = 0; c < nc; c++) fprintf(fp, " %*s", strcmp(cols[c], "max.binding") ? 12 : 0, cols[c]);
  fprintf(fp, "\n");
  for (size_t i = 0; i < n; i++) {
    fprintf(fp, "p%04zu ", s[i].point);
    const char *p = s[i].begin;
    for (size_t a = 0; a < n_axes + 2 && p < s[i].end; a++) { /* skip id, seed; print axes */
      const char *c = strchr(p, ',');
      if (a >= 2) fprintf(fp, " %14.*s", (int)(c - p), p);
      p = c + 1;
    }
    for (size_t c = 0; c < nc; c++) {
      const char *v = find_value(s[i].begin, s[i].end, cols[c], buf, sizeof buf);
      fprintf(fp, " %*s", strcmp(cols[c], "max.binding") ? 12 : 0, v ? v : "-");
    }
    fprintf(fp, "\n");
  }
  free(s);
}

static int by_point(const void *a, const void *b) {
  const rec_span *x = a, *y = b;
  return x->point < y->point ? -1 : x->point > y->point;
}

bool sweep_merge_texts(char *const *texts, char *const *names, size_t n, sweep_text *csv, char *err, size_t errlen) {
  rec_span *all = NULL;
  size_t n_all = 0, header_len = 0, want = 0;
  bool ok = true;
  for (size_t i = 0; ok && i < n; i++) {
    const char *recs = records_start(texts[i]);
    if (!recs || strncmp(texts[i], "# tool: ipsecsim sweep\n", 23)) {
      snprintf(err, errlen, "%s: not a sweep result (allowed: results.csv or results.shard-I-of-N.csv of ipsecsim sweep)",
               names[i]);
      ok = false;
      break;
    }
    size_t hl = (size_t)(recs - texts[i]);
    if (i == 0) {
      header_len = hl;
      const char *pts = strstr(texts[0], "\n# points: ");
      want = pts && pts < recs ? (size_t)strtoull(pts + 11, NULL, 10) : 0;
    } else if (hl != header_len || memcmp(texts[i], texts[0], hl)) {
      snprintf(err, errlen, "%s: header differs from %s's (allowed: shards of one sweep: same scenario, seed, "
               "search and axes)", names[i], names[0]);
      ok = false;
      break;
    }
    size_t k = 0;
    rec_span *s = spans(recs, &k);
    rec_span *g = s ? realloc(all, (n_all + k + 1) * sizeof *g) : NULL;
    if (!g) {
      free(s);
      snprintf(err, errlen, "out of memory");
      ok = false;
      break;
    }
    all = g;
    memcpy(all + n_all, s, k * sizeof *s);
    n_all += k;
    free(s);
  }
  if (ok) qsort(all, n_all, sizeof *all, by_point);
  for (size_t i = 0; ok && i < n_all; i++)
    if (all[i].point != i) {
      bool dup = i > 0 && all[i].point == all[i - 1].point;
      snprintf(err, errlen, "merge: point p%04zu %s (allowed: every point of the sweep exactly once)", dup ? all[i].point : i,
               dup ? "is in two shards" : "is missing");
      ok = false;
    }
  if (ok && n_all != want) {
    snprintf(err, errlen, "merge: %zu of %zu points (allowed: every point of the sweep exactly once)", n_all, want);
    ok = false;
  }
  if (ok) {
    sweep_text_add(csv, "%.*s", (int)header_len, texts[0]);
    for (size_t i = 0; i < n_all; i++) sweep_text_add(csv, "%.*s", (int)(all[i].end - all[i].begin), all[i].begin);
  }
  free(all);
  return ok;
}

bool sweep_merge(char *const *shards, size_t n, sweep_text *csv, char *err, size_t errlen) {
  char **texts = calloc(n ? n : 1, sizeof *texts);
  bool ok = texts != NULL;
  for (size_t i = 0; ok && i < n; i++) {
    size_t len;
    ok = file_read_all(shards[i], &texts[i], &len, err, errlen);
  }
  ok = ok && sweep_merge_texts(texts, shards, n, csv, err, errlen);
  for (size_t i = 0; texts && i < n; i++) free(texts[i]);
  free(texts);
  return ok;
}
