/* Metric look-up and expect: evaluation. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic_analytic.h"

#include "asic_report.h"

bool asic_metric(const asic_world *w, const char *name, double *v) {
  const stats_counter *c = stats_find_counter(w->stats, name);
  if (c) return *v = (double)*c, true;
  const double *g = stats_find_gauge(w->stats, name);
  if (g) return *v = *g, true;
  /* HIST.stat: the histogram name is everything before the last '.', except p99.9 */
  static const char *const sfx[] = {".p99.9", ".p50", ".p99", ".min", ".max", ".mean", ".count"};
  size_t len = strlen(name);
  for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
    size_t sl = strlen(sfx[i]);
    if (len <= sl || strcmp(name + len - sl, sfx[i])) continue;
    char h[256];
    if (len - sl >= sizeof h) return false;
    memcpy(h, name, len - sl);
    h[len - sl] = 0;
    const stats_hist *hs = stats_find_hist(w->stats, h);
    if (!hs) return false;
    switch (i) {
      case 0: *v = (double)stats_hist_quantile(hs, 0.999); break;
      case 1: *v = (double)stats_hist_quantile(hs, 0.5); break;
      case 2: *v = (double)stats_hist_quantile(hs, 0.99); break;
      case 3: *v = (double)stats_hist_min(hs); break;
      case 4: *v = (double)stats_hist_max(hs); break;
      case 5: *v = stats_hist_mean(hs); break;
      default: *v = (double)stats_hist_count(hs); break;
    }
    return true;
  }
  return false;
}

int asic_expect_eval(scenario *sc, FILE *fp, bool verbose) {
  static const char *const opn[] = {"approx", "==", ">=", ">", "<=", "<"};
  int fails = 0;
  for (size_t i = 0; i < sc->n_expects; i++) {
    const scenario_expect *x = &sc->expects[i];
    double a, b = x->value;
    if (x->if_gcm_model >= 0 && x->if_gcm_model != sc->world.gcm_model) {
      if (verbose) fprintf(fp, "%s: expect skipped: %s (only with gcm_model %s)\n", x->where, x->metric,
                           x->if_gcm_model == ASIC_GCM_RTL ? "rtl" : "c");
      continue;
    }
    if (!asic_metric(&sc->world, x->metric, &a)) {
      fprintf(fp, "%s: expect FAILED: no metric '%s'\n", x->where, x->metric);
      fails++;
      continue;
    }
    if (x->ref[0] && !asic_metric(&sc->world, x->ref, &b)) {
      fprintf(fp, "%s: expect FAILED: no metric '%s'\n", x->where, x->ref);
      fails++;
      continue;
    }
    bool ok;
    switch (x->op) {
      case EXP_APPROX: ok = fabs(a - b) <= x->tol * fabs(b); break;
      case EXP_EQ: ok = a == b; break;
      case EXP_GE: ok = a >= b; break;
      case EXP_GT: ok = a > b; break;
      case EXP_LE: ok = a <= b; break;
      default: ok = a < b; break;
    }
    if (!ok) fails++;
    if (!ok || verbose) {
      char tol[32] = "";
      if (x->op == EXP_APPROX) snprintf(tol, sizeof tol, " +-%g%%", x->tol * 100);
      fprintf(fp, "%s: expect %s: %s = %.9g %s %s%s%.9g%s\n", x->where, ok ? "ok" : "FAILED", x->metric, a, opn[x->op],
              x->ref[0] ? x->ref : "", x->ref[0] ? " = " : "", b, tol);
    }
  }
  return fails;
}

/* Every metric name a run publishes, known before the run: the registry's counters and
 * histograms (registered at start) and the figures asic_report_publish derives afterwards
 * (the same publishing code, into *scratch, which the caller destroys after the names). The
 * array points at the registries' own names; only a histogram's quantile names (NAME.p99, ...)
 * are composed, malloc'd, and listed in *owned. Returns a malloc'd array. */
static const char **metric_names(asic_world *w, stats_registry **scratch, size_t *n_out, char ***owned,
                                 size_t *n_owned) {
  static const char *const hs[] = {"min", "mean", "p50", "p99", "p99.9", "max", "count"};
  *n_out = *n_owned = 0;
  *owned = NULL;
  if (!(*scratch = stats_create())) return NULL;
  asic_report_derived_names(w, *scratch);
  const stats_registry *regs[2] = {w->stats, *scratch};
  size_t cap = 0, n = 0, n_h = 0, k_h = 0;
  for (int k = 0; k < 2; k++)
    for (size_t i = 0, ns = stats_count(regs[k]); i < ns; i++) n_h += stats_at(regs[k], i).kind == STATS_HISTOGRAM;
  for (int k = 0; k < 2; k++) cap += stats_count(regs[k]);
  cap += n_h * 6;
  const char **v = calloc(cap ? cap : 1, sizeof *v);
  char **o = calloc(n_h ? n_h * 7 : 1, sizeof *o);
  if (!v || !o) {
    free(v), free(o);
    return NULL;
  }
  for (int k = 0; k < 2; k++)
    for (size_t i = 0, ns = stats_count(regs[k]); i < ns; i++) {
      stats_entry e = stats_at(regs[k], i);
      if (e.kind != STATS_HISTOGRAM) {
        v[n++] = e.name;
        continue;
      }
      for (size_t j = 0; j < 7; j++) {
        char b[256];
        snprintf(b, sizeof b, "%s.%s", e.name, hs[j]);
        v[n++] = o[k_h++] = strdup(b);
      }
    }
  *owned = o;
  *n_owned = k_h;
  *n_out = n;
  return v;
}

bool asic_expect_check_names(scenario *sc, cfg_err *err) {
  size_t n = 0, n_owned = 0;
  char **owned;
  stats_registry *scratch;
  const char **names = metric_names(&sc->world, &scratch, &n, &owned, &n_owned);
  bool ok = true;
  for (size_t i = 0; ok && i < sc->n_expects; i++) {
    const scenario_expect *x = &sc->expects[i];
    for (int k = 0; k < 2 && ok; k++) {
      const char *m = k ? x->ref : x->metric;
      if (!*m) continue;
      bool found = false;
      for (size_t j = 0; j < n && !found; j++) found = names[j] && !strcmp(names[j], m);
      if (found) continue;
      const char *dym = cfg_did_you_mean(m, names, n);
      snprintf(err->msg, sizeof err->msg, "%s: expect[%zu].%s: unknown metric '%s'%s%s%s", x->where, i,
               k ? "value" : "metric", m, dym ? " (did you mean '" : " (allowed: see README, Metric names)",
               dym ? dym : "", dym ? "'?)" : "");
      ok = false;
    }
  }
  for (size_t j = 0; j < n_owned; j++) free(owned[j]);
  free(owned);
  free(names);
  stats_destroy(scratch);
  return ok;
}
