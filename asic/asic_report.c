/* Publishing the run into the stats registry and writing report files; see asic_report.h. */
#include "asic_report.h"
#include "asic_tap.h"
#include "scenario_ipsec.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asic_analytic.h"
#include "asic_ipsec_rt.h"
#include "asic_preset.h"
#include "model/out_file.h"

static void gauge(stats_registry *r, const char *name, const char *unit, const char *desc, double v) {
  double *g = stats_gauge_add(r, name, unit, desc);
  if (g) *g = v;
}

static void counter(stats_registry *r, const char *name, const char *unit, const char *desc, uint64_t v) {
  stats_counter *c = stats_counter_add(r, name, unit, desc);
  if (c) *c = v;
}

static double window_s(const asic_world *w) { return sim_fs_to_s(w->w1 - w->w0); }

static void publish_flow(asic_world *w, stats_registry *r, uint32_t fi) {
  asic_flow *f = &w->flows[fi];
  char n[192];
  double ws = window_s(w);
#define NAME(suffix) (snprintf(n, sizeof n, "flow.%s.%s", f->name, suffix), n)
  uint64_t sent = *f->sent, recv = *f->recv;
  gauge(r, NAME("offered_l1_gbps"), "Gbps", "offered, L1 (frame + 20 B)", (f->sent_bytes + 20.0 * sent) * 8 / ws / 1e9);
  gauge(r, NAME("offered_l2_gbps"), "Gbps", "offered, L2 (frame incl. FCS)", f->sent_bytes * 8.0 / ws / 1e9);
  gauge(r, NAME("offered_mpps"), "Mpps", "offered packet rate", sent / ws / 1e6);
  gauge(r, NAME("rx_l1_gbps"), "Gbps", "delivered, L1 (frame + 20 B)", (f->recv_bytes + 20.0 * recv) * 8 / ws / 1e9);
  gauge(r, NAME("rx_l2_gbps"), "Gbps", "delivered, L2 (frame incl. FCS)", f->recv_bytes * 8.0 / ws / 1e9);
  gauge(r, NAME("rx_mpps"), "Mpps", "delivered packet rate", recv / ws / 1e6);
#undef NAME
#define NAME(suffix) (snprintf(n, sizeof n, "analytic.flow.%s.%s", f->name, suffix), n)
  double frame = asic_flow_mean_frame(f), ceil_pps = asic_flow_ceiling_pps(w, fi);
  double off = f->rate_bps / 1e9, ceil_l1 = ceil_pps * 8 * (frame + 20) / 1e9;
  gauge(r, NAME("offered_l1_gbps"), "Gbps", "configured offered rate, L1", off);
  gauge(r, NAME("ceiling_l1_gbps"), "Gbps", "lowest resource ceiling on the path for this flow alone, L1", ceil_l1);
  gauge(r, NAME("ceiling_mpps"), "Mpps", "lowest resource ceiling on the path for this flow alone", ceil_pps / 1e6);
  gauge(r, NAME("expected_l1_gbps"), "Gbps", "min(offered, ceiling), L1", off < ceil_l1 ? off : ceil_l1);
  gauge(r, NAME("expected_mpps"), "Mpps", "min(offered, ceiling)",
        (off < ceil_l1 ? off : ceil_l1) * 1e9 / (8 * (frame + 20)) / 1e6);
  sim_fs lifo, fifo;
  uint32_t b = f->fkind == FRAME_UNIFORM ? f->lo : f->sizes[0];
  if (asic_flow_zero_load(w, fi, b, &lifo, &fifo)) {
    gauge(r, NAME("zero_load_lifo_fs"), "fs", "one packet (first frame size) at zero load, LIFO", (double)lifo);
    gauge(r, NAME("zero_load_fifo_fs"), "fs", "one packet (first frame size) at zero load, FIFO", (double)fifo);
  }
#undef NAME
}

/* A holder that asks for it: its census when the run ended. */
static void publish_holder(asic_world *w, stats_registry *r, const asic_res *x) {
  char n[192];
  uint64_t held = 0, drops = 0;
  x->census(w, x->ctx, x->index, asic_registry_final_time(w, w->t_end), &held, &drops);
  snprintf(n, sizeof n, "%s.held_pkts", x->name);
  gauge(r, n, "packets", "packets it held when the run ended (conservation census)", (double)held);
  snprintf(n, sizeof n, "%s.run_drops", x->name);
  counter(r, n, "packets", "drops it owns over the whole run (conservation census)", drops);
}

static void publish_res(asic_world *w, stats_registry *r, asic_res *x) {
  if (x->kind == RES_HOLDER) {
    if (x->publish && x->census) publish_holder(w, r, x);
    return;
  }
  char n[192];
  double ws = window_s(w);
  uint64_t pkts, bytes;
  double util, qmean;
  uint32_t qmax;
  if (x->kind == RES_BW) {
    pkts = *x->bw->c.dep_pkts, bytes = *x->bw->c.dep_bytes;
    util = bw_server_util(x->bw), qmean = bw_server_mean_pkts(x->bw), qmax = x->bw->max_pkts;
    if (x->arb) {
      qmean = ingress_arb_mean_pkts(x->arb, x->bw);
      if (x->arb->max_pkts > qmax) qmax = x->arb->max_pkts;
    }
  } else {
    pkts = *x->lk->done_pkts, bytes = 0;
    util = lookup_util(x->lk), qmean = lookup_mean_pkts(x->lk), qmax = x->lk->max_pkts;
  }
#define NAME(suffix) (snprintf(n, sizeof n, "%s.%s", x->name, suffix), n)
  gauge(r, NAME("mpps"), "Mpps", "carried packet rate (completions in the window)", pkts / ws / 1e6);
  if (x->kind == RES_BW) {
    gauge(r, NAME("l1_gbps"), "Gbps", "carried, L1 (frame + 20 B)", (bytes + 20.0 * pkts) * 8 / ws / 1e9);
    gauge(r, NAME("l2_gbps"), "Gbps", "carried, L2", bytes * 8.0 / ws / 1e9);
    uint64_t qmaxb = x->bw->max_bytes;
    if (x->arb && x->arb->max_bytes > qmaxb) qmaxb = x->arb->max_bytes;
    gauge(r, NAME("queue_mean_bytes"), "bytes", "time-average queue occupancy",
          x->arb ? ingress_arb_mean_bytes(x->arb, x->bw) : bw_server_mean_bytes(x->bw));
    gauge(r, NAME("queue_max_bytes"), "bytes", "maximum queue occupancy", (double)qmaxb);
  }
  gauge(r, NAME("util"), "", x->kind == RES_BW ? "busy fraction of the window" : "busy thread fraction", util);
  gauge(r, NAME("queue_mean_pkts"), "packets", "time-average queue occupancy", qmean);
  gauge(r, NAME("queue_max_pkts"), "packets", "maximum queue occupancy", (double)qmax);
  if (x->off_pps > 0) {
    double frame = asic_res_mean_frame(x), pps = asic_res_ceiling_pps(x, frame);
    snprintf(n, sizeof n, "analytic.%s.ceiling_mpps", x->name);
    gauge(r, n, "Mpps", "closed-form capacity for the offered frame mix", pps / 1e6);
    snprintf(n, sizeof n, "analytic.%s.ceiling_l1_gbps", x->name);
    gauge(r, n, "Gbps", "closed-form capacity, L1", pps * 8 * (frame + 20) / 1e9);
    snprintf(n, sizeof n, "analytic.%s.offered_mpps", x->name);
    gauge(r, n, "Mpps", "load the flows offer (upstream losses ignored)", x->off_pps / 1e6);
  }
#undef NAME
}

/* Registers one window counter and returns it; keeps `fallback` (the block's own storage)
 * when the name is refused, so a block never increments through NULL. */
static stats_counter *reg(stats_registry *r, stats_counter *fallback, const char *desc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static stats_counter *reg(stats_registry *r, stats_counter *fallback, const char *desc, const char *fmt, ...) {
  char n[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(n, sizeof n, fmt, ap);
  va_end(ap);
  stats_counter *c = stats_counter_add(r, n, "packets", desc);
  return c ? c : fallback;
}

/* Every registered resource's window counters under its name: NAME.pkts, .done_pkts,
 * .drops.REASON, its extra drop counter, and per arbiter input NAME.input.LABEL.* with the
 * input names it registered (a holder: only its extra drop counter). */
bool asic_stats_register(asic_world *w) {
  size_t n;
  asic_res *res = asic_res_list(w, &n);
  if (!res) return false;
  stats_registry *r = w->stats;
  static const char acc[] = "packets accepted (arrived, not dropped) in the window";
  static const char done[] = "packets that completed service in the window";
  static const char tail[] = "tail drops in the window";
  const char *bp = asic_drop_names[DROP_SLICE_BACKPRESSURE];
  static const char held[] = "tail drops in a backlog during which the slice held this port group's sending "
                             "(no credits for its queue at slice.in): the slice owns them";
  for (size_t i = 0; i < n; i++) {
    asic_res *x = &res[i];
    const char *why = asic_drop_names[x->reason];
    if (x->kind == RES_HOLDER) {
      /* no server: only the drop counter it may own */
    } else if (x->kind == RES_LOOKUP) {
      x->lk->pkts = reg(r, x->lk->pkts, acc, "%s.pkts", x->name);
      x->lk->done_pkts = reg(r, x->lk->done_pkts, done, "%s.done_pkts", x->name);
      x->lk->drops = reg(r, x->lk->drops, tail, "%s.drops.%s", x->name, why);
    } else if (!x->arb) {
      x->bw->c.dep_pkts = reg(r, x->bw->c.dep_pkts, done, "%s.done_pkts", x->name);
      x->bw->c.pkts = reg(r, x->bw->c.pkts, acc, "%s.pkts", x->name);
      x->bw->c.drops = reg(r, x->bw->c.drops, tail, "%s.drops.%s", x->name, why);
    } else { /* arbitrated: the stage accepts and drops at its per-input queues */
      x->bw->c.dep_pkts = reg(r, x->bw->c.dep_pkts, done, "%s.done_pkts", x->name);
      x->arb->pkts = reg(r, x->arb->pkts, acc, "%s.pkts", x->name);
      x->arb->drops = reg(r, x->arb->drops, tail, "%s.drops.%s", x->name, why);
      if (x->arb->credit.on) x->arb->held_drops = reg(r, x->arb->held_drops, held, "%s.drops.%s", x->name, bp);
    }
    if (x->extra_drops)
      *x->extra_drops = reg(r, *x->extra_drops, x->extra_desc ? x->extra_desc : tail, "%s.drops.%s", x->name,
                            asic_drop_names[x->extra_reason]);
    for (uint32_t k = 0; x->arb && k < x->arb->n_in; k++) {
      arb_input *q = &x->arb->in[k];
      const char *lab = x->inputs[k];
      q->pkts = reg(r, q->pkts, "packets accepted into this input's queue in the window", "%s.input.%s.pkts", x->name, lab);
      q->drops = reg(r, q->drops, "tail drops of this input's queue in the window", "%s.input.%s.drops.%s", x->name,
                     lab, why);
      if (x->arb->credit.on) q->held_drops = reg(r, q->held_drops, held, "%s.input.%s.drops.%s", x->name, lab, bp);
    }
  }
  free(res);
  return true;
}

/* The derived figures of the run (gauges, run counters) into r: the world's registry after
 * the run, or a scratch registry for their names before it (asic_report_derived_names). */
static void publish_derived(asic_world *w, stats_registry *r) {
  uint64_t sent = 0, recv = 0;
  for (uint32_t i = 0; i < w->n_flows; i++) sent += w->flows[i].tot_sent, recv += w->flows[i].tot_recv;
  counter(r, "run.sent", "packets", "packets sent by all sources (whole run)", sent);
  counter(r, "run.received", "packets", "packets received by all sinks (whole run)", recv);
  counter(r, "run.events", "events", "heap events processed", w->events);
  gauge(r, "run.measure_ns", "ns", "measurement window", (double)(w->w1 - w->w0) / 1e6);
  gauge(r, "run.end_ns", "ns", "simulated time of the last event", (double)w->t_end / 1e6);
  for (uint32_t i = 0; i < w->n_flows; i++) publish_flow(w, r, i);
  size_t n;
  asic_res *res = asic_res_list(w, &n);
  if (!res) return;
  asic_analytic_offered(w, res, n);
  for (size_t i = 0; i < n; i++) publish_res(w, r, &res[i]);
  asic_analytic_publish_engines(w, r);
  for (size_t i = 0; i < n; i++) /* the blocks' own figures (a port's receive side) */
    if (res[i].publish_figures) res[i].publish_figures(w, res[i].ctx, res[i].index, r);
  free(res);
  asic_ipsec_publish(w, r); /* engines and tunnels (asic_report_ipsec.c) */
  asic_link_fault_publish(w, r); /* link faults (asic_link_fault.c) */
}

void asic_report_publish(scenario *sc) {
  asic_sim_finish(&sc->world);
  publish_derived(&sc->world, sc->world.stats);
}

void asic_report_derived_names(asic_world *w, stats_registry *scratch) { publish_derived(w, scratch); }

static double g(const asic_world *w, const char *fmt, const char *name) {
  char n[192];
  double v = 0;
  snprintf(n, sizeof n, fmt, name);
  asic_metric(w, n, &v);
  return v;
}

void asic_report_summary(scenario *sc, FILE *fp) {
  asic_world *w = &sc->world;
  fprintf(fp, "%s: seed %llu, measurement %.3f us after %.3f us warm-up\n", sc->path, (unsigned long long)sc->seed,
          (double)(w->w1 - w->w0) / 1e9, (double)w->w0 / 1e9);
  /* "alone L1": min(offered, the lowest ceiling on the path), as if the flow were alone (not
   * a fair share; expect: compares against what the scenario asks) */
  fprintf(fp, "%-12s %9s %9s %9s %9s %9s %9s %10s %10s %10s %10s %10s\n", "flow", "off L1", "rx L1", "rx L2",
          "rx Mpps", "alone L1", "drops", "LIFO p50", "LIFO p99", "LIFO max", "FIFO p50", "FIFO p99");
  fprintf(fp, "%-12s %9s %9s %9s %9s %9s %9s %10s %10s %10s %10s %10s\n", "", "Gbit/s", "Gbit/s", "Gbit/s", "",
          "Gbit/s", "pkts", "ns", "ns", "ns", "ns", "ns");
  for (uint32_t i = 0; i < w->n_flows; i++) {
    const asic_flow *f = &w->flows[i];
    uint64_t d = 0;
    d = *f->drops_total;
    fprintf(fp, "%-12s %9.3f %9.3f %9.3f %9.3f %9.3f %9llu", f->name, g(w, "flow.%s.offered_l1_gbps", f->name),
            g(w, "flow.%s.rx_l1_gbps", f->name), g(w, "flow.%s.rx_l2_gbps", f->name), g(w, "flow.%s.rx_mpps", f->name),
            g(w, "analytic.flow.%s.expected_l1_gbps", f->name), (unsigned long long)d);
    /* no packet delivered in the window: no latency (not 0.0) */
    static const char *const lat[] = {"lifo.p50", "lifo.p99", "lifo.max", "fifo.p50", "fifo.p99"};
    bool none = g(w, "flow.%s.latency_lifo.count", f->name) == 0;
    for (size_t k = 0; k < sizeof lat / sizeof lat[0]; k++) {
      char n[64];
      snprintf(n, sizeof n, "flow.%%s.latency_%s", lat[k]);
      if (none) fprintf(fp, " %10s", "-");
      else fprintf(fp, " %10.1f", g(w, n, f->name) / 1e6);
    }
    fprintf(fp, "\n");
  }
  /* payload real: the sinks' byte check, only when it found a difference (asic_bytes.h) */
  for (uint32_t i = 0; i < w->n_flows; i++) {
    const asic_flow *f = &w->flows[i];
    if (*f->payload_mismatch)
      fprintf(fp, "payload: flow %s: %llu of %llu delivered packets checked differ from the frames sent\n", f->name,
              (unsigned long long)*f->payload_mismatch, (unsigned long long)*f->payload_checked);
  }
  fprintf(fp, "\n%-36s %9s %9s %7s %10s %9s %9s %s\n", "resource (with traffic)", "L1 Gbit/s", "Mpps", "util",
          "ceil Mpps", "q mean", "q max", "drops");
  size_t n;
  asic_res *res = asic_res_list(w, &n);
  for (size_t i = 0; res && i < n; i++) {
    const asic_res *x = &res[i];
    if (x->kind == RES_HOLDER) continue;
    uint64_t pk = x->kind == RES_LOOKUP ? *x->lk->pkts : x->arb ? *x->arb->pkts : *x->bw->c.pkts;
    uint64_t dr = x->kind == RES_LOOKUP ? *x->lk->drops : x->arb ? *x->arb->drops : *x->bw->c.drops;
    /* backpressure drops where they happen (a PG's input queues), the drops a stage owns
     * besides its tail drops (slice.in: those backpressure drops; lookup: no route) */
    uint64_t bp = x->arb && x->arb->credit.on ? *x->arb->held_drops : 0;
    uint64_t ex = x->extra_drops ? **x->extra_drops : 0;
    if (!pk && !dr && !bp && !ex) continue;
    char dn[192];
    size_t k = 0;
    if (dr) k += (size_t)snprintf(dn + k, sizeof dn - k, "%llu %s", (unsigned long long)dr, asic_drop_names[x->reason]);
    if (bp && k < sizeof dn)
      k += (size_t)snprintf(dn + k, sizeof dn - k, "%s%llu %s", k ? ", " : "", (unsigned long long)bp,
                            asic_drop_names[DROP_SLICE_BACKPRESSURE]);
    if (ex && k < sizeof dn)
      k += (size_t)snprintf(dn + k, sizeof dn - k, "%s%llu %s%s", k ? ", " : "", (unsigned long long)ex,
                            asic_drop_names[x->extra_reason], x->extra_note ? x->extra_note : "");
    if (!k) snprintf(dn, sizeof dn, "0");
    fprintf(fp, "%-36s %9.3f %9.3f %7.4f %10.3f %9.1f %9.0f %s\n", res[i].name,
            res[i].kind == RES_BW ? g(w, "%s.l1_gbps", res[i].name) : 0.0, g(w, "%s.mpps", res[i].name),
            g(w, "%s.util", res[i].name), g(w, "analytic.%s.ceiling_mpps", res[i].name),
            g(w, "%s.queue_mean_pkts", res[i].name), g(w, "%s.queue_max_pkts", res[i].name), dn);
  }
  free(res);
  asic_ipsec_summary(w, fp); /* one line per engine (asic_report_ipsec.c) */
  asic_analytic_engine_summary(w, fp); /* closed form of each loaded engine beside its measurement */
}

/* Report files go through model/out_file: a temporary in dir, renamed when complete. */
static FILE *open_in(out_file *of, const char *dir, const char *name, char *err, size_t errlen) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return out_begin(of, path, OUT_MODE_NORMAL, err, errlen) ? of->fp : NULL;
}

bool asic_report_check_dir(const char *scenario_path, const char *dir, bool with_wallclock, char *err,
                           size_t errlen) {
  static const char *const names[] = {"report.json", "report.txt", "timeseries.csv", "latency_hist.csv",
                                      "config.resolved.yaml", "wallclock.json"};
  const out_role in = {"the scenario", scenario_path};
  char path[1024];
  const size_t dl = strlen(dir);
  for (size_t i = 0; i < (with_wallclock ? 6u : 5u); i++) {
    snprintf(path, sizeof path, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", names[i]);
    const out_role out = {"--out", path};
    if (!out_check_distinct(&out, 1, &in, 1, err, errlen)) return false;
  }
  return true;
}

/* mkdir -p: creates dir and its missing parents; an existing directory is fine. */
static bool make_dirs(const char *dir, char *err, size_t errlen) {
  char path[1024];
  size_t len = strlen(dir);
  if (len == 0 || len >= sizeof path) {
    snprintf(err, errlen, "%s: %s", dir, len ? "path too long" : "empty output directory");
    return false;
  }
  memcpy(path, dir, len + 1);
  for (size_t i = 1; i <= len; i++) {
    if (path[i] != '/' && path[i] != 0) continue;
    if (path[i - 1] == '/') continue; /* repeated slashes */
    char c = path[i];
    path[i] = 0;
    struct stat st;
    if (mkdir(path, 0777) && !(errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
      snprintf(err, errlen, "%s: %s", path, errno == EEXIST ? "exists and is not a directory" : strerror(errno));
      return false;
    }
    path[i] = c;
  }
  return true;
}

void asic_json_str(FILE *fp, const char *s) {
  fputc('"', fp);
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    if (*c == '"' || *c == '\\') fprintf(fp, "\\%c", *c);
    else if (*c < 0x20) fprintf(fp, "\\u%04x", *c);
    else fputc(*c, fp);
  }
  fputc('"', fp);
}

bool asic_report_write(scenario *sc, const char *dir, char *err, size_t errlen) {
  asic_world *w = &sc->world;
  if (!asic_report_check_dir(sc->path, dir, false, err, errlen) || !make_dirs(dir, err, errlen)) return false;
  out_file of;
  FILE *fp = open_in(&of, dir, "report.json", err, errlen);
  if (!fp) return false;
  fprintf(fp, "{\"scenario\": ");
  asic_json_str(fp, sc->path);
  fprintf(fp, ", \"seed\": %llu,\n \"conventions\": {\"l1\": \"frame + 20 B (preamble, SFD, IFG)\", "
              "\"l2\": \"frame incl. FCS\", \"lifo\": \"last bit in to first bit out (RFC 1242)\", "
              "\"fifo\": \"first bit in to first bit out\", \"time_unit\": \"fs\"},\n \"ports\": [",
          (unsigned long long)sc->seed);
  /* the port map: asic is the index in its router, slice 0/1 in its ASIC, pg 0/1 in its slice */
  for (uint32_t i = 0; i < w->n_ports; i++) {
    const asic_port *pt = &w->ports[i];
    const asic_router *rt = &w->routers[pt->router];
    asic_port_desc d;
    asic_preset_port(&rt->plat, i - rt->first_port, &d);
    fprintf(fp, "%s\n  {\"router\": ", i ? "," : "");
    asic_json_str(fp, rt->name);
    fprintf(fp, ", \"port\": ");
    asic_json_str(fp, pt->name);
    fprintf(fp, ", \"speed_gbps\": %llu, \"fpc\": %u, \"pic\": %u, \"asic\": %u, \"slice\": %u, \"pg\": %u}",
            (unsigned long long)(pt->rate_bps / 1000000000ull), d.fpc, d.pic, d.asic, d.slice, d.pg);
  }
  fprintf(fp, "],\n \"paths\": ");
  asic_report_paths_json(w, fp); /* resources on each flow's path, flows through each tunnel */
  fprintf(fp, ",\n \"stats\": ");
  stats_write_json(w->stats, NULL, fp);
  fprintf(fp, "}\n");
  if (!out_commit(&of, err, errlen) || !(fp = open_in(&of, dir, "report.txt", err, errlen))) return false;
  asic_report_summary(sc, fp);
  fprintf(fp, "\n");
  stats_write_text(w->stats, NULL, fp);
  if (!out_commit(&of, err, errlen) || !(fp = open_in(&of, dir, "timeseries.csv", err, errlen))) return false;
  asic_report_series_write(w, fp); /* flows and queues per time bucket (asic_report_series.c) */
  if (!out_commit(&of, err, errlen) || !(fp = open_in(&of, dir, "latency_hist.csv", err, errlen))) return false;
  asic_report_latency_write(w, fp);
  if (!out_commit(&of, err, errlen) || !(fp = open_in(&of, dir, "config.resolved.yaml", err, errlen))) return false;
  asic_report_resolved(sc, fp);
  return out_commit(&of, err, errlen) && scenario_ipsec_keys_write(w, sc->path, dir, err, errlen);
}
