/* One sweep trial and the closed-form limits of a point (sweep_trial.h). */
#include "sweep_trial.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic/asic_analytic.h"
#include "asic/asic_report.h"
#include "asic/scenario.h"

static void push_row(sweep_rows *rows, const char *metric, const char *v) {
  if (rows->n == rows->cap) {
    size_t cap = rows->cap ? 2 * rows->cap : 32;
    sweep_row *g = realloc(rows->r, cap * sizeof *g);
    if (!g) return; /* out of memory: the row is lost, the writer reports a short point */
    rows->r = g, rows->cap = cap;
  }
  snprintf(rows->r[rows->n].metric, sizeof rows->r[0].metric, "%s", metric);
  snprintf(rows->r[rows->n].value, sizeof rows->r[0].value, "%s", v);
  rows->n++;
}

void sweep_rows_num(sweep_rows *rows, const char *metric, double v) {
  char t[64];
  snprintf(t, sizeof t, "%.9g", v == 0 ? 0.0 : v); /* no "-0" */
  push_row(rows, metric, t);
}

void sweep_rows_text(sweep_rows *rows, const char *metric, const char *v) { push_row(rows, metric, v); }

void sweep_rows_free(sweep_rows *rows) {
  free(rows->r);
  memset(rows, 0, sizeof *rows);
}

/* Loads the scenario with the overrides, `traffic.rate` when rate >= 0 and `phases.measure`
 * when measure_fs > 0. */
static scenario *load(const char *path, char *const *sets, size_t n_sets, double rate, uint64_t measure_fs, char *err,
                      size_t errlen) {
  char **all = calloc(n_sets + 2, sizeof *all);
  char rate_set[64], measure_set[64];
  scenario *sc = calloc(1, sizeof *sc);
  if (!all || !sc) {
    snprintf(err, errlen, "out of memory");
    return free(all), free(sc), NULL;
  }
  for (size_t i = 0; i < n_sets; i++) all[i] = sets[i];
  snprintf(rate_set, sizeof rate_set, "traffic.rate=%.9f%%", rate * 100);
  size_t n = n_sets;
  if (rate >= 0) all[n++] = rate_set;
  snprintf(measure_set, sizeof measure_set, "phases.measure=%llufs", (unsigned long long)measure_fs);
  if (measure_fs > 0) all[n++] = measure_set;
  cfg_err e = {0};
  bool ok = scenario_load(path, all, n, sc, &e);
  free(all);
  if (!ok) {
    snprintf(err, errlen, "%s", e.msg);
    scenario_free(sc);
    return free(sc), NULL;
  }
  return sc;
}

/* Plain C driver up to time `until` (events before it), windowed like asic_sim_run_c. */
static void run_until(asic_world *w, sim_fs until) {
  for (;;) {
    int32_t best = -1;
    sim_fs bt = SIM_FS_NEVER;
    for (uint32_t h = 0; h < w->n_slices; h++) {
      sim_fs t = sim_heap_top_time(&w->slices[h].heap);
      if (t < bt) bt = t, best = (int32_t)h;
    }
    if (best < 0 || bt >= until) return;
    sim_fs limit = bt + w->lookahead < until ? bt + w->lookahead : until;
    asic_sim_step(w, (uint32_t)best, limit);
  }
}

/* Frames held by the resources at time t (their queues and servers: delivery is counted when
 * a frame enters its last MAC, so the flow counters alone do not see the egress queue), and
 * the frames sent and dropped so far. */
static uint64_t held_at(asic_world *w, sim_fs t, uint64_t *sent, uint64_t *drops) {
  uint64_t held = 0, owned = 0;
  asic_registry_census(w, t, &held, &owned);
  *sent = 0, *drops = 0;
  for (uint32_t i = 0; i < w->n_flows; i++) {
    const asic_flow *f = &w->flows[i];
    for (int k = 0; k < DROP_N; k++) *drops += f->tot_drops[k];
    *sent += f->tot_sent;
  }
  return held;
}

static double metric(const asic_world *w, const char *fmt, const char *name) {
  char k[192];
  double v = 0;
  snprintf(k, sizeof k, fmt, name);
  asic_metric(w, k, &v);
  return v;
}

/* The engines' published figures (a slice without an engine publishes none). */
static void engines_measured(asic_world *w, sweep_trial *t) {
  static const char *const keys[] = {"mpps", "util", "l1_gbps", "clear_l1_gbps"};
  for (uint32_t s = 0; s < w->n_slices; s++) {
    char base[96], k[160];
    double v[4];
    asic_engine_slice_name(w, s, base, sizeof base);
    snprintf(k, sizeof k, "%s.engine.mpps", base);
    if (!asic_metric(w, k, &v[0])) continue;
    for (int i = 0; i < 4; i++) {
      snprintf(k, sizeof k, "%s.engine.%s", base, keys[i]);
      asic_metric(w, k, &v[i]);
      sweep_rows_num(&t->engines, k, v[i]);
    }
    t->n_engines++;
    t->eng_mpps += v[0], t->eng_wan_l1_gbps += v[2], t->eng_clear_l1_gbps += v[3];
    if (v[1] > t->eng_util) t->eng_util = v[1];
  }
}

bool sweep_trial_run(const char *path, char *const *sets, size_t n_sets, double rate, uint64_t measure_fs,
                     sweep_trial *t, char *err, size_t errlen) {
  memset(t, 0, sizeof *t);
  t->rate = rate;
  scenario *sc = load(path, sets, n_sets, rate, measure_fs, err, errlen);
  if (!sc) return false;
  t->measure_fs = (uint64_t)sc->measure;
  asic_world *w = &sc->world;
  sim_fs quarter = (w->w1 - w->w0) / 4;
  uint64_t sent_at[2], drops_at[2];
  for (int h = 0; h < 2; h++) {
    double sum = 0;
    for (int k = 0; k < 8; k++) {
      sim_fs at = w->w0 + (2 * (sim_fs)h + 1) * quarter + quarter * (sim_fs)(k + 1) / 8;
      run_until(w, at);
      sum += (double)held_at(w, at, &sent_at[h], &drops_at[h]);
    }
    t->backlog[h] = sum / 8;
  }
  t->sent_half2 = sent_at[1] - sent_at[0];
  t->drops_half2 = drops_at[1] - drops_at[0];
  asic_sim_run_c(w);
  char msg[256];
  bool balanced = asic_sim_conservation(w, msg, sizeof msg);
  asic_report_publish(sc);
  uint64_t recv = 0;
  for (uint32_t i = 0; i < w->n_flows; i++) {
    const asic_flow *f = &w->flows[i];
    const char *n = f->name;
    t->sent += f->tot_sent, recv += f->tot_recv;
    static const char *const keys[] = {"offered_l1_gbps", "rx_l1_gbps", "rx_l2_gbps", "rx_mpps", "drops.total"};
    double v[5];
    for (int k = 0; k < 5; k++) {
      char fmt[64], name[192];
      snprintf(fmt, sizeof fmt, "flow.%%s.%s", keys[k]);
      v[k] = metric(w, fmt, n);
      snprintf(name, sizeof name, "flow.%s.%s", n, keys[k]);
      sweep_rows_num(&t->flows, name, v[k]);
    }
    t->rx_l1_gbps += v[1], t->rx_l2_gbps += v[2], t->rx_mpps += v[3];
    static const char *const q[] = {"p50", "p99", "p99.9"};
    double *worst[] = {&t->lat_p50_ns, &t->lat_p99_ns, &t->lat_p999_ns};
    for (int k = 0; k < 3; k++) {
      char fmt[64], name[192];
      snprintf(fmt, sizeof fmt, "flow.%%s.latency_lifo.%s", q[k]);
      double ns = metric(w, fmt, n) / 1e6; /* fs -> ns */
      snprintf(name, sizeof name, "flow.%s.latency_lifo.%s_ns", n, q[k]);
      sweep_rows_num(&t->flows, name, ns);
      if (ns > *worst[k]) *worst[k] = ns;
    }
  }
  /* a block's pre-fragmentation makes packets: they are sent too (sent + made = received +
   * dropped once drained) */
  t->sent += asic_registry_made(w);
  t->lost = t->sent > recv ? t->sent - recv : 0;
  engines_measured(w, t);
  scenario_free(sc);
  free(sc);
  if (!balanced) {
    snprintf(err, errlen, "packet conservation failed: %s", msg);
    return false;
  }
  return true;
}

void sweep_trial_free(sweep_trial *t) {
  sweep_rows_free(&t->flows);
  sweep_rows_free(&t->engines);
}

double sweep_trial_growth(const sweep_trial *t) { return t->backlog[1] - t->backlog[0]; }

bool sweep_trial_pass(const sweep_trial *t, double goal, bool backlog_rule, double slack, uint32_t streams) {
  if ((double)t->lost > goal * (double)t->sent) return false;
  if (!backlog_rule) return true;
  return (double)t->drops_half2 + sweep_trial_growth(t) <= goal * (double)t->sent_half2 + slack * streams;
}

/* Each loaded engine's closed form at full load, with its SA cache's misses when that closed
 * form holds (else the lanes alone); it binds where it saturates first. */
static bool engine_limits(asic_world *w, sweep_limits *l, char *err, size_t errlen) {
  for (uint32_t s = 0; s < w->n_slices; s++) {
    asic_engine_cf cf;
    char why[256];
    if (!asic_engine_ceiling(w, s, &cf, why, sizeof why)) return snprintf(err, errlen, "engine closed form: %s", why), false;
    if (!cf.loaded || !(cf.offered_dgram_mpps > 0)) continue;
    sweep_engine_cf *g = realloc(l->engines, (l->n_engines + 1) * sizeof *g);
    if (!g) return snprintf(err, errlen, "out of memory"), false;
    l->engines = g;
    sweep_engine_cf *e = &l->engines[l->n_engines++];
    asic_engine_slice_name(w, s, e->name, sizeof e->name);
    e->ceiling_mpps = cf.c.mpps, e->ceiling_l1_gbps = cf.c.l1_gbps, e->ceiling_clear_l1_gbps = cf.c.clear_l1_gbps;
    e->max_frac = cf.c.datagram_mpps / cf.offered_dgram_mpps; /* the mix scales with the load */
    e->cache = cf.cache_ok;
    e->sa_cache_frac = e->max_frac;
    if (cf.cache_ok) { /* the hit rates depend on the streams' order and shares, not the load */
      e->sa_cache_hit_rate = cf.cache.hit_rate;
      e->sa_cache_ceiling_mpps = cf.cache.c.mpps, e->sa_cache_ceiling_l1_gbps = cf.cache.c.l1_gbps;
      e->sa_cache_frac = cf.cache.c.datagram_mpps / cf.offered_dgram_mpps;
    }
    if (e->sa_cache_frac < l->max_frac * (1 - 1e-12)) {
      l->max_frac = e->sa_cache_frac;
      snprintf(l->binding, sizeof l->binding, "%s.engine", e->name);
    }
  }
  return true;
}

bool sweep_limits_get(const char *path, char *const *sets, size_t n_sets, sweep_limits *l, char *err, size_t errlen) {
  memset(l, 0, sizeof *l);
  scenario *sc = load(path, sets, n_sets, 1.0, 0, err, errlen);
  if (!sc) return false;
  asic_world *w = &sc->world;
  l->measure_fs = (uint64_t)sc->measure;
  double l2 = 0;
  for (uint32_t i = 0; i < w->n_flows; i++) {
    double line = (double)w->ports[w->flows[i].port].rate_bps, l2b = 0;
    double wire = asic_flow_wire_bytes(&w->flows[i], asic_flow_mean_frame(&w->flows[i]), &l2b);
    l->line_l1_bps += line;
    l->line_pps += line / (8.0 * wire);
    l2 += line * l2b / wire;
  }
  l->l2_per_l1 = l->line_l1_bps > 0 ? l2 / l->line_l1_bps : 0;
  l->streams = w->n_flows;
  size_t n = 0;
  asic_res *res = asic_res_list(w, &n);
  l->max_frac = 1;
  snprintf(l->binding, sizeof l->binding, "line rate");
  if (res) {
    asic_analytic_offered(w, res, n);
    for (size_t i = 0; i < n; i++) {
      if (!(res[i].off_pps > 0)) continue;
      double frac = asic_res_ceiling_pps(&res[i], asic_res_mean_frame(&res[i])) / res[i].off_pps;
      if (frac < l->max_frac * (1 - 1e-12)) {
        l->max_frac = frac;
        snprintf(l->binding, sizeof l->binding, "%s", res[i].name);
      }
    }
    free(res);
  }
  bool ok = engine_limits(w, l, err, errlen);
  scenario_free(sc);
  free(sc);
  if (!ok) sweep_limits_free(l);
  return ok;
}

void sweep_limits_free(sweep_limits *l) {
  free(l->engines);
  l->engines = NULL, l->n_engines = 0;
}
