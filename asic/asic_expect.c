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
 * histograms (registered at start) and the gauges asic_report_publish adds afterwards (same
 * suffix lists as there). Returns a malloc'd array of malloc'd names. */
static char **metric_names(asic_world *w, size_t *n_out) {
  static const char *const hs[] = {"min", "mean", "p50", "p99", "p99.9", "max", "count"};
  static const char *const fg[] = {"offered_l1_gbps", "offered_l2_gbps", "offered_mpps", "rx_l1_gbps", "rx_l2_gbps", "rx_mpps"};
  static const char *const fa[] = {"offered_l1_gbps", "ceiling_l1_gbps", "ceiling_mpps", "expected_l1_gbps",
                                   "expected_mpps", "zero_load_lifo_fs", "zero_load_fifo_fs"};
  static const char *const rg[] = {"mpps", "l1_gbps", "l2_gbps", "util", "queue_mean_pkts", "queue_max_pkts",
                                   "queue_mean_bytes", "queue_max_bytes"};
  static const char *const ra[] = {"ceiling_mpps", "ceiling_l1_gbps", "offered_mpps"};
  static const char *const run[] = {"run.sent", "run.received", "run.events", "run.measure_ns", "run.end_ns"};
  size_t nres = 0, ns = stats_count(w->stats);
  asic_res *res = asic_res_list(w, &nres);
  size_t cap = ns * 7 + w->n_flows * 13 + nres * 11 + w->n_ports + 5, n = 0;
  char **v = calloc(cap, sizeof *v);
  if (!v) return free(res), *n_out = 0, NULL;
#define ADD(...) do { char b_[256]; snprintf(b_, sizeof b_, __VA_ARGS__); v[n++] = strdup(b_); } while (0)
  for (size_t i = 0; i < ns; i++) {
    stats_entry e = stats_at(w->stats, i);
    if (e.kind == STATS_HISTOGRAM)
      for (size_t k = 0; k < 7; k++) ADD("%s.%s", e.name, hs[k]);
    else
      ADD("%s", e.name);
  }
  for (uint32_t i = 0; i < w->n_flows; i++) {
    for (size_t k = 0; k < 6; k++) ADD("flow.%s.%s", w->flows[i].name, fg[k]);
    for (size_t k = 0; k < 7; k++) ADD("analytic.flow.%s.%s", w->flows[i].name, fa[k]);
  }
  for (size_t i = 0; res && i < nres; i++) {
    for (size_t k = 0; k < 8; k++) ADD("%s.%s", res[i].name, rg[k]);
    for (size_t k = 0; k < 3; k++) ADD("analytic.%s.%s", res[i].name, ra[k]);
  }
  for (uint32_t i = 0; i < w->n_ports; i++) ADD("%s.port.%s.rx_l1_gbps", w->routers[w->ports[i].router].name, w->ports[i].name);
  for (size_t k = 0; k < 5; k++) ADD("%s", run[k]);
#undef ADD
  free(res);
  *n_out = n;
  return v;
}

bool asic_expect_check_names(scenario *sc, cfg_err *err) {
  size_t n = 0;
  char **names = metric_names(&sc->world, &n);
  bool ok = true;
  for (size_t i = 0; ok && i < sc->n_expects; i++) {
    const scenario_expect *x = &sc->expects[i];
    for (int k = 0; k < 2 && ok; k++) {
      const char *m = k ? x->ref : x->metric;
      if (!*m) continue;
      bool found = false;
      for (size_t j = 0; j < n && !found; j++) found = names[j] && !strcmp(names[j], m);
      if (found) continue;
      const char *dym = cfg_did_you_mean(m, (const char *const *)names, n);
      snprintf(err->msg, sizeof err->msg, "%s: expect[%zu].%s: unknown metric '%s'%s%s%s", x->where, i,
               k ? "value" : "metric", m, dym ? " (did you mean '" : " (allowed: see README, Metric names)",
               dym ? dym : "", dym ? "'?)" : "");
      ok = false;
    }
  }
  for (size_t j = 0; j < n; j++) free(names[j]);
  free(names);
  return ok;
}
