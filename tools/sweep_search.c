/* RFC 2544 and MLRsearch per sweep point (sweep_search.h). */
#include "sweep_search.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct search {
  const char *path;
  char *const *sets;
  size_t n_sets;
  const sweep_search_opts *o;
  sweep_limits lim;
  sweep_trial *cache; /* every trial run, by rate */
  size_t n, cap;
  char *err;
  size_t errlen;
} search;

/* The trial at `rate` (run once, then from the cache). NULL: err is set. */
static const sweep_trial *trial(search *s, double rate) {
  for (size_t i = 0; i < s->n; i++)
    if (s->cache[i].rate == rate) return &s->cache[i];
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 16;
    sweep_trial *g = realloc(s->cache, cap * sizeof *g);
    if (!g) return snprintf(s->err, s->errlen, "out of memory"), NULL;
    s->cache = g, s->cap = cap;
  }
  if (!sweep_trial_run(s->path, s->sets, s->n_sets, rate, &s->cache[s->n], s->err, s->errlen)) {
    sweep_trial_free(&s->cache[s->n]);
    return NULL;
  }
  return &s->cache[s->n++];
}

static bool pass(const search *s, const sweep_trial *t, double goal) {
  return sweep_trial_pass(t, goal, s->o->backlog_rule, s->o->slack, s->lim.streams);
}

/* RFC 2544: *found = highest passing rate (0 if none). */
static bool rfc2544(search *s, double *found) {
  const sweep_trial *t = trial(s, 1.0);
  if (!t) return false;
  double lo = 0, hi = 1;
  if (pass(s, t, 0)) lo = 1;
  while (lo < 1 && hi - lo > s->o->resolution) {
    double mid = (lo + hi) / 2;
    if (!(t = trial(s, mid))) return false;
    *(pass(s, t, 0) ? &lo : &hi) = mid;
  }
  *found = lo;
  return true;
}

/* MLRsearch for one goal in (0, 1]: bounds from every cached trial, a first guess from the
 * rate forwarded at full load, then bisection to the relative width. */
static bool mlr(search *s, double goal, double *found) {
  const sweep_trial *t = trial(s, 1.0);
  if (!t) return false;
  if (pass(s, t, goal)) return *found = 1, true;
  double lo = 0, hi = 1;
  for (size_t i = 0; i < s->n; i++) {
    const sweep_trial *c = &s->cache[i];
    if (pass(s, c, goal) && c->rate > lo) lo = c->rate;
    if (!pass(s, c, goal) && c->rate < hi) hi = c->rate;
  }
  /* forwarded fraction at full load: the ceiling if the loss is the resource's overflow */
  double fwd = t->sent ? (double)(t->sent - t->lost) / (double)t->sent : 0;
  double guess = floor(fwd * (1 - s->o->width / 2) * 1e9) / 1e9;
  if (guess > lo && guess < hi) {
    if (!(t = trial(s, guess))) return false;
    *(pass(s, t, goal) ? &lo : &hi) = guess;
  }
  while (hi - lo > s->o->width * hi) {
    double mid = (lo + hi) / 2;
    if (!(t = trial(s, mid))) return false;
    *(pass(s, t, goal) ? &lo : &hi) = mid;
  }
  *found = lo;
  return true;
}

static void limits_rows(const search *s, sweep_rows *rows) {
  sweep_rows_num(rows, "line.l1_gbps", s->lim.line_l1_bps / 1e9);
  sweep_rows_num(rows, "line.mpps", s->lim.line_pps / 1e6);
  sweep_rows_num(rows, "max.rate_pct", s->lim.max_frac * 100);
  sweep_rows_num(rows, "max.l1_gbps", s->lim.max_frac * s->lim.line_l1_bps / 1e9);
  sweep_rows_num(rows, "max.mpps", s->lim.max_frac * s->lim.line_pps / 1e6);
  sweep_rows_text(rows, "max.binding", s->lim.binding);
}

/* Rows of the figures at a found rate (prefix "ndr", "pdr", "rfc2544"). */
static void found_rows(search *s, const char *pre, double rate, sweep_rows *rows) {
  char k[128];
#define ROW(name, v) (snprintf(k, sizeof k, "%s.%s", pre, name), sweep_rows_num(rows, k, v))
  ROW("rate_pct", rate * 100);
  ROW("l1_gbps", rate * s->lim.line_l1_bps / 1e9);
  ROW("l2_gbps", rate * s->lim.line_l1_bps * s->lim.l2_per_l1 / 1e9);
  ROW("mpps", rate * s->lim.line_pps / 1e6);
  const sweep_trial *t = NULL;
  for (size_t i = 0; rate > 0 && i < s->n; i++)
    if (s->cache[i].rate == rate) t = &s->cache[i];
  if (t) {
    ROW("loss_ratio", t->sent ? (double)t->lost / (double)t->sent : 0);
    ROW("backlog_growth_pkts", sweep_trial_growth(t));
    /* the smallest overload the backlog rule sees in this trial: slack x streams frames of
     * excess over half the trial, in % of line rate */
    if (t->sent_half2) ROW("backlog_rule_resolution_pct", 100 * rate * s->o->slack * s->lim.streams / (double)t->sent_half2);
    ROW("latency_lifo.p50_ns", t->lat_p50_ns);
    ROW("latency_lifo.p99_ns", t->lat_p99_ns);
    ROW("latency_lifo.p99.9_ns", t->lat_p999_ns);
  }
#undef ROW
}

bool sweep_search_point(const char *path, char *const *sets, size_t n_sets, const sweep_search_opts *o,
                        sweep_rows *rows, char *err, size_t errlen) {
  search s = {.path = path, .sets = sets, .n_sets = n_sets, .o = o, .err = err, .errlen = errlen};
  if (!sweep_limits_get(path, sets, n_sets, &s.lim, err, errlen)) return false;
  bool ok = true;
  if (o->mode == SWEEP_NONE) {
    const sweep_trial *t = trial(&s, -1);
    if ((ok = t != NULL)) {
      sweep_rows_num(rows, "rx_l1_gbps", t->rx_l1_gbps);
      sweep_rows_num(rows, "rx_l2_gbps", t->rx_l2_gbps);
      sweep_rows_num(rows, "rx_mpps", t->rx_mpps);
      sweep_rows_num(rows, "lost_pkts", (double)t->lost);
      sweep_rows_num(rows, "backlog_growth_pkts", sweep_trial_growth(t));
      sweep_rows_num(rows, "latency_lifo.p99_ns", t->lat_p99_ns);
      limits_rows(&s, rows);
      for (size_t i = 0; i < t->flows.n; i++) sweep_rows_text(rows, t->flows.r[i].metric, t->flows.r[i].value);
    }
  } else if (o->mode == SWEEP_RFC2544) {
    double r = 0;
    if ((ok = rfc2544(&s, &r))) {
      found_rows(&s, "rfc2544", r, rows);
      limits_rows(&s, rows);
      sweep_rows_num(rows, "trials", (double)s.n);
    }
  } else {
    double pdr = 0, ndr = 0;
    if ((ok = mlr(&s, o->pdr_loss, &pdr) && mlr(&s, 0, &ndr))) {
      found_rows(&s, "ndr", ndr, rows);
      found_rows(&s, "pdr", pdr, rows);
      limits_rows(&s, rows);
      sweep_rows_num(rows, "trials", (double)s.n);
    }
  }
  for (size_t i = 0; i < s.n; i++) sweep_trial_free(&s.cache[i]);
  free(s.cache);
  return ok;
}
