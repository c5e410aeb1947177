/* Time series and distributions of a run: queue occupancy per time bucket (timeseries.csv,
 * beside the flows' delivered throughput) and each flow's latency histogram
 * (latency_hist.csv). The queues come from the resource registry, so a new resource's queue
 * appears here without code: a bw server, an arbitrated stage (its input queues plus the
 * packet in its server, one series, as NAME.queue_*_pkts count it), a lookup's waiting
 * descriptors, and any block queue handed a series through asic_res.attach_series. */
#include <stdlib.h>

#include "asic_analytic.h"
#include "asic_report.h"
#include "model/stats.h"

bool asic_series_start(asic_world *w) {
  w->occ = calloc(w->n_res ? w->n_res : 1, sizeof *w->occ);
  if (!w->occ) return false;
  w->n_occ = w->n_res;
  for (size_t i = 0; i < w->n_occ; i++) {
    asic_res *x = &w->res[i];
    if (!x->bw && !x->lk && !x->attach_series) continue;
    occ_series *s = &w->occ[i];
    if (!occ_series_init(s, w->w0, w->bucket, w->n_buckets)) return false;
    if (x->bw) x->bw->series = s;
    if (x->arb) x->arb->series = s;
    if (x->lk) x->lk->series = s;
    if (x->attach_series) x->attach_series(w, x->ctx, x->index, s);
  }
  return true;
}

void asic_series_free(asic_world *w) {
  for (size_t i = 0; w->occ && i < w->n_occ; i++) {
    asic_res *x = &w->res[i];
    if (x->bw) x->bw->series = NULL;
    if (x->arb) x->arb->series = NULL;
    if (x->lk) x->lk->series = NULL;
    if (x->attach_series && w->occ[i].n) x->attach_series(w, x->ctx, x->index, NULL);
    if (w->occ[i].n) occ_series_free(&w->occ[i]);
  }
  free(w->occ);
  w->occ = NULL;
  w->n_occ = 0;
}

/* A queue that held nothing in any bucket (no traffic) gets no rows. */
static bool queue_used(const occ_series *s) {
  for (uint32_t k = 0; k < s->n; k++)
    if (s->area_pkts[k] > 0 || s->max_pkts[k] > 0) return true;
  return false;
}

void asic_report_series_write(const asic_world *w, FILE *fp) {
  fprintf(fp, "time_us,flow,rx_l2_gbps,rx_l1_gbps,queue,queue_max_pkts,queue_mean_pkts,queue_max_bytes,queue_mean_bytes\n");
  bool *used = calloc(w->n_occ ? w->n_occ : 1, sizeof *used);
  for (size_t i = 0; used && w->occ && i < w->n_occ; i++) used[i] = w->occ[i].n && queue_used(&w->occ[i]);
  for (uint32_t b = 0; b < w->n_buckets; b++) {
    const double t_us = (double)(w->w0 + b * w->bucket) / 1e9;
    for (uint32_t i = 0; i < w->n_flows; i++) {
      const asic_flow *f = &w->flows[i];
      double s = sim_fs_to_s(w->bucket), l2 = f->series_bytes[b] * 8.0 / s / 1e9;
      double mean = asic_flow_mean_frame(f);
      fprintf(fp, "%.3f,%s,%.6f,%.6f,,,,,\n", t_us, f->name, l2, l2 * (mean + 20) / mean);
    }
    for (size_t i = 0; used && i < w->n_occ; i++) {
      if (!used[i]) continue;
      const occ_series *s = &w->occ[i];
      fprintf(fp, "%.3f,,,,%s,%llu,%.6f,", t_us, w->res[i].name, (unsigned long long)s->max_pkts[b],
              occ_series_mean_pkts(s, b));
      if (w->res[i].lk) fprintf(fp, ",\n"); /* descriptors only: no bytes */
      else fprintf(fp, "%llu,%.3f\n", (unsigned long long)s->max_bytes[b], occ_series_mean_bytes(s, b));
    }
  }
  free(used);
}

/* One row per non-empty histogram bucket of each flow's window latencies (fs, the bounds of
 * model/stats_hist.c: exact below 128 fs, then 64 log-linear buckets per power of two). */
void asic_report_latency_write(const asic_world *w, FILE *fp) {
  fprintf(fp, "flow,kind,lo_fs,hi_fs,count\n");
  for (uint32_t i = 0; i < w->n_flows; i++) {
    const asic_flow *f = &w->flows[i];
    static const char *const kind[] = {"lifo", "fifo"};
    const stats_hist *h[] = {f->lat_lifo, f->lat_fifo};
    for (int k = 0; k < 2; k++) {
      size_t it = 0;
      uint64_t lo, hi, count;
      while (h[k] && stats_hist_next_bucket(h[k], &it, &lo, &hi, &count))
        fprintf(fp, "%s,%s,%llu,%llu,%llu\n", f->name, kind[k], (unsigned long long)lo, (unsigned long long)hi,
                (unsigned long long)count);
    }
  }
}
