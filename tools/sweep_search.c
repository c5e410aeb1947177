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

/* The trial at `rate` lasting `dur` fs (0: the scenario's), run once, then from the cache.
 * NULL: err is set. */
static const sweep_trial *trial_for(search *s, double rate, uint64_t dur) {
  if (!dur) dur = s->lim.measure_fs;
  for (size_t i = 0; i < s->n; i++)
    if (s->cache[i].rate == rate && s->cache[i].measure_fs == dur) return &s->cache[i];
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 16;
    sweep_trial *g = realloc(s->cache, cap * sizeof *g);
    if (!g) return snprintf(s->err, s->errlen, "out of memory"), NULL;
    s->cache = g, s->cap = cap;
  }
  if (!sweep_trial_run(s->path, s->sets, s->n_sets, rate, dur, &s->cache[s->n], s->err, s->errlen)) {
    sweep_trial_free(&s->cache[s->n]);
    return NULL;
  }
  return &s->cache[s->n++];
}

static const sweep_trial *trial(search *s, double rate) { return trial_for(s, rate, 0); }

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

/* Phase k of P: its trial duration (geometric from the initial to the full one, whole fs)
 * and its relative width. */
static uint64_t phase_fs(const search *s, unsigned k) {
  uint64_t full = s->lim.measure_fs, init = s->o->initial_fs ? s->o->initial_fs : full / 8;
  unsigned p = s->o->phases;
  if (k >= p || init >= full) return full;
  return (uint64_t)llround((double)init * pow((double)full / (double)init, (double)k / p));
}

static double phase_width(const search *s, unsigned k) { return s->o->width * ldexp(1.0, (int)(s->o->phases - k)); }

/* One phase of MLRsearch for a goal: *lo, *hi hold the bounds of the phase before (lo < 0:
 * none yet) and get this phase's. */
static bool mlr_phase(search *s, double goal, unsigned k, double *lo, double *hi) {
  uint64_t d = phase_fs(s, k);
  double w = phase_width(s, k);
  const sweep_trial *t = trial_for(s, 1.0, d);
  if (!t) return false;
  if (pass(s, t, goal)) return *lo = *hi = 1, true;
  if (*lo < 0) { /* phase 0: bounds from this duration's trials, then the forwarded rate */
    *lo = 0, *hi = 1;
    for (size_t i = 0; i < s->n; i++) {
      const sweep_trial *c = &s->cache[i];
      if (c->measure_fs != d) continue;
      if (pass(s, c, goal) && c->rate > *lo) *lo = c->rate;
      if (!pass(s, c, goal) && c->rate < *hi) *hi = c->rate;
    }
    /* forwarded fraction at full load: the ceiling if the loss is the resource's overflow */
    double fwd = t->sent ? (double)(t->sent - t->lost) / (double)t->sent : 0;
    double guess = floor(fwd * (1 - w / 2) * 1e9) / 1e9;
    if (guess > *lo && guess < *hi) {
      if (!(t = trial_for(s, guess, d))) return false;
      *(pass(s, t, goal) ? lo : hi) = guess;
    }
  } else { /* re-measure the bounds at this duration, moving them out (by w, 2w, 4w, ...)
            * until they hold */
    for (double step = w; *hi < 1; step *= 2) {
      if (!(t = trial_for(s, *hi, d))) return false;
      if (!pass(s, t, goal)) break;
      *lo = *hi, *hi = fmin(1, *hi * (1 + step));
    }
    for (double step = w; *lo > 0; step *= 2) {
      if (!(t = trial_for(s, *lo, d))) return false;
      if (pass(s, t, goal)) break;
      *hi = *lo, *lo = step >= 1 || *lo * (1 - step) < SWEEP_MLR_MIN_RATE ? 0 : floor(*lo * (1 - step) * 1e9) / 1e9;
    }
  }
  /* nothing passes down to the lowest rate searched: the goal's rate is 0 */
  while (*hi - *lo > w * *hi && *hi > SWEEP_MLR_MIN_RATE) {
    double mid = (*lo + *hi) / 2;
    if (!(t = trial_for(s, mid, d))) return false;
    *(pass(s, t, goal) ? lo : hi) = mid;
  }
  return true;
}

/* MLRsearch for one goal in [0, 1): its phases; *found = the final phase's lower bound. */
static bool mlr(search *s, double goal, double *found) {
  double lo = -1, hi = 1;
  for (unsigned k = 0; k <= s->o->phases; k++) {
    if (!mlr_phase(s, goal, k, &lo, &hi)) return false;
    if (lo >= 1 && k == s->o->phases) break;
    if (lo >= 1) lo = 1, hi = 1; /* passed at full load: the next phase checks it again */
  }
  *found = lo;
  return true;
}

/* Each phase's duration, width and trial count (mlr). */
static void phase_rows(const search *s, sweep_rows *rows) {
  char k[96];
  for (unsigned p = 0; p <= s->o->phases; p++) {
    uint64_t d = phase_fs(s, p);
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) n += s->cache[i].measure_fs == d;
    for (unsigned q = 0; q < p; q++) n = phase_fs(s, q) == d ? 0 : n; /* a duration repeated: counted once */
    snprintf(k, sizeof k, "mlr.phase%u.trial_us", p);
    sweep_rows_num(rows, k, (double)d / 1e9);
    snprintf(k, sizeof k, "mlr.phase%u.width_pct", p);
    sweep_rows_num(rows, k, phase_width(s, p) * 100);
    snprintf(k, sizeof k, "mlr.phase%u.trials", p);
    sweep_rows_num(rows, k, (double)n);
  }
}

static void limits_rows(const search *s, sweep_rows *rows) {
  sweep_rows_num(rows, "line.l1_gbps", s->lim.line_l1_bps / 1e9);
  sweep_rows_num(rows, "line.mpps", s->lim.line_pps / 1e6);
  sweep_rows_num(rows, "max.rate_pct", s->lim.max_frac * 100);
  sweep_rows_num(rows, "max.l1_gbps", s->lim.max_frac * s->lim.line_l1_bps / 1e9);
  sweep_rows_num(rows, "max.mpps", s->lim.max_frac * s->lim.line_pps / 1e6);
  sweep_rows_text(rows, "max.binding", s->lim.binding);
  char k[160];
  for (size_t i = 0; i < s->lim.n_engines; i++) { /* the closed form beside the measured figures */
    const sweep_engine_cf *e = &s->lim.engines[i];
#define CF(what, v) (snprintf(k, sizeof k, "analytic.%s.engine.%s", e->name, what), sweep_rows_num(rows, k, v))
    CF("ceiling_mpps", e->ceiling_mpps);
    CF("ceiling_l1_gbps", e->ceiling_l1_gbps);
    CF("ceiling_clear_l1_gbps", e->ceiling_clear_l1_gbps);
    CF("ceiling_rate_pct", e->max_frac * 100);
    if (e->cache) { /* with the SA cache's misses (what max.* takes) */
      CF("sa_cache_hit_rate", e->sa_cache_hit_rate);
      CF("sa_cache_ceiling_mpps", e->sa_cache_ceiling_mpps);
      CF("sa_cache_ceiling_l1_gbps", e->sa_cache_ceiling_l1_gbps);
      CF("sa_cache_ceiling_rate_pct", e->sa_cache_frac * 100);
    }
#undef CF
  }
}

/* The engines as measured in trial t (prefix "ndr." etc. or ""): sums over the engines
 * (util: the highest), WAN side (ESP frames) and clear side, L2 = L1 - 20 B per packet
 * (one clear frame per ESP packet: exact unless a datagram is pre-fragmented), then each. */
static void engine_rows(const sweep_trial *t, const char *pre, sweep_rows *rows) {
  if (!t->n_engines) return;
  char k[192];
#define ROW(name, v) (snprintf(k, sizeof k, "%s%s", pre, name), sweep_rows_num(rows, k, v))
  ROW("engine.mpps", t->eng_mpps);
  ROW("engine.util", t->eng_util);
  ROW("wan_l1_gbps", t->eng_wan_l1_gbps);
  ROW("wan_l2_gbps", t->eng_wan_l1_gbps - t->eng_mpps * 1e6 * 160 / 1e9);
  ROW("clear_l1_gbps", t->eng_clear_l1_gbps);
  ROW("clear_l2_gbps", t->eng_clear_l1_gbps - t->eng_mpps * 1e6 * 160 / 1e9);
  for (size_t i = 0; i < t->engines.n; i++) ROW(t->engines.r[i].metric, strtod(t->engines.r[i].value, NULL));
#undef ROW
}

/* Rows of the figures at a found rate (prefix "ndr", "pdr", "rfc2544"). */
static void found_rows(search *s, const char *pre, double rate, sweep_rows *rows) {
  char k[128];
#define ROW(name, v) (snprintf(k, sizeof k, "%s.%s", pre, name), sweep_rows_num(rows, k, v))
  ROW("rate_pct", rate * 100);
  ROW("l1_gbps", rate * s->lim.line_l1_bps / 1e9);
  ROW("l2_gbps", rate * s->lim.line_l1_bps * s->lim.l2_per_l1 / 1e9);
  ROW("mpps", rate * s->lim.line_pps / 1e6);
  const sweep_trial *t = NULL; /* the trial at the full duration */
  for (size_t i = 0; rate > 0 && i < s->n; i++)
    if (s->cache[i].rate == rate && s->cache[i].measure_fs == s->lim.measure_fs) t = &s->cache[i];
  if (t) {
    ROW("trial_us", (double)t->measure_fs / 1e9);
    ROW("loss_ratio", t->sent ? (double)t->lost / (double)t->sent : 0);
    ROW("backlog_growth_pkts", sweep_trial_growth(t));
    /* the smallest overload the backlog rule sees in this trial: slack x streams frames of
     * excess over half the trial, in % of line rate */
    if (t->sent_half2) ROW("backlog_rule_resolution_pct", 100 * rate * s->o->slack * s->lim.streams / (double)t->sent_half2);
    ROW("latency_lifo.p50_ns", t->lat_p50_ns);
    ROW("latency_lifo.p99_ns", t->lat_p99_ns);
    ROW("latency_lifo.p99.9_ns", t->lat_p999_ns);
    snprintf(k, sizeof k, "%s.", pre);
    engine_rows(t, k, rows);
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
      engine_rows(t, "", rows);
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
      phase_rows(&s, rows);
    }
  }
  for (size_t i = 0; i < s.n; i++) sweep_trial_free(&s.cache[i]);
  free(s.cache);
  sweep_limits_free(&s.lim);
  return ok;
}
