/* Reports of a run, all written from the stats registry: blocks increment registered
 * counters live (asic_stats_register); derived figures (throughput, utilization, occupancy,
 * closed-form values) are published into it as gauges once the run ends, then report.json / report.txt / timeseries.csv are walks of
 * the registry. Wall-clock figures go to a separate wallclock.json so that report.json is
 * byte-identical for the same scenario and seed. */
#ifndef IPSECSIM_ASIC_REPORT_H
#define IPSECSIM_ASIC_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Publish counters and derived gauges of the finished run into w->stats. */
void asic_report_publish(scenario *sc);
/* Registers the names (with units and descriptions) of the figures asic_report_publish
 * derives, into a scratch registry: what expect: may name before the run. */
void asic_report_derived_names(asic_world *w, stats_registry *scratch);
/* Summary table (per flow, then resources that saw traffic). */
void asic_report_summary(scenario *sc, FILE *fp);
/* Write report.json, report.txt, timeseries.csv, latency_hist.csv, config.resolved.yaml into dir (and
 * config.keys.yaml, mode 0600, when a tunnel's key is not auto: scenario_ipsec.h). */
bool asic_report_write(scenario *sc, const char *dir, char *err, size_t errlen);
void asic_report_resolved(scenario *sc, FILE *fp);
/* timeseries.csv: per time bucket, each flow's delivered L2/L1 Gbit/s, then each queue that
 * held packets: its peak and time-averaged packets and bytes (asic_report_series.c). */
void asic_report_series_write(const asic_world *w, FILE *fp);
/* latency_hist.csv: each flow's window latency histograms (LIFO, FIFO), non-empty buckets. */
void asic_report_latency_write(const asic_world *w, FILE *fp);
/* report.json's "paths" value: {"flows": {FLOW: [resource, ...]}, "tunnels": {ROUTER.TUNNEL:
 * [FLOW, ...]}} (asic_report_paths.c). */
void asic_report_paths_json(asic_world *w, FILE *fp);
/* A JSON string literal (RFC 8259 section 7): quote, backslash and control characters escaped. */
void asic_json_str(FILE *fp, const char *s);
/* Before a run: none of the files `run --out dir` writes (the five above, and wallclock.json
 * with_wallclock) is the scenario itself (model/out_file rules), else one line in err. */
bool asic_report_check_dir(const char *scenario_path, const char *dir, bool with_wallclock, char *err,
                           size_t errlen);

/* Value of a metric: a counter or gauge, or HIST.min|mean|p50|p99|p99.9|max|count. */
bool asic_metric(const asic_world *w, const char *name, double *v);
/* Evaluates expect: entries, prints one line per failure (and per pass with verbose).
 * Returns the number of failures; a missing metric counts as a failure. */
int asic_expect_eval(scenario *sc, FILE *fp, bool verbose);
/* Before the run (stats registered): every expect metric and metric-valued reference is a
 * name the run will publish, else one line "FILE:LINE:COL: expect[i].metric: unknown metric
 * 'x' (did you mean 'y'?)" in err and false. */
bool asic_expect_check_names(scenario *sc, cfg_err *err);

#ifdef __cplusplus
}
#endif
#endif
