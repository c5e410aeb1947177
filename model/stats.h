/* Stats registry: blocks register named counters, gauges and histograms in a hierarchy
 * (`asic0.pfe0.pg0.rx_bytes`); blocks only increment; text and JSON writers walk the
 * registry in registration order, so the same run gives byte-identical reports. */
#ifndef IPSECSIM_STATS_H
#define IPSECSIM_STATS_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum stats_kind { STATS_COUNTER, STATS_GAUGE, STATS_HISTOGRAM } stats_kind;

typedef struct stats_registry stats_registry;

/* A counter is a plain uint64_t owned by the registry; blocks keep the pointer and do
 * `(*c)++` or `*c += n` on the hot path (no lookup, no call). */
typedef uint64_t stats_counter;

/* Histogram of non-negative values (e.g. latency in fs): exact min/max/mean/count and
 * log-linear buckets (relative error <= 1/64) for quantiles. */
typedef struct stats_hist stats_hist;

/* A name the registry accepts: 1..NAME_MAX characters of a-z 0-9 _ - / : and single dots
 * between parts (not first or last). Loaders check user-given names with it. */
bool stats_name_ok(const char *name);
stats_registry *stats_create(void);
void stats_destroy(stats_registry *r);

/* Registration (not on the hot path). `name` is the full dotted path; registering the same
 * name twice returns the existing object if the kind matches, else NULL. unit: "packets",
 * "bytes", "fs", "bps", ...
 * Names: segments of [a-z0-9_-/:] joined by '.', at most 255 characters (Junos names such as
 * et-0/0/0 fit). A name that is an inner node of another (`a.b` beside `a.b.c`, in either
 * order) is refused with NULL, as is an invalid name. unit/desc may be NULL (""). */
stats_counter *stats_counter_add(stats_registry *r, const char *name, const char *unit,
                                 const char *desc);
double *stats_gauge_add(stats_registry *r, const char *name, const char *unit, const char *desc);
stats_hist *stats_hist_add(stats_registry *r, const char *name, const char *unit, const char *desc);

void stats_hist_record(stats_hist *h, uint64_t v);
uint64_t stats_hist_count(const stats_hist *h);
uint64_t stats_hist_min(const stats_hist *h);
uint64_t stats_hist_max(const stats_hist *h);
double stats_hist_mean(const stats_hist *h);
/* q in [0,1]; exact at min and max, otherwise bucket upper bound clamped to max.
 * With x the exact nearest-rank quantile (the ceil(q*n)-th smallest value), the result r
 * satisfies x <= r < x + x/64 (exact for x < 128). Each histogram holds 3776 buckets
 * (~30 KB), allocated at registration; recording never allocates. */
uint64_t stats_hist_quantile(const stats_hist *h, double q);
/* The non-empty buckets in increasing order: start with *it = 0; each call gives the next
 * bucket's inclusive bounds (lo <= value <= hi) and count, false after the last. */
bool stats_hist_next_bucket(const stats_hist *h, size_t *it, uint64_t *lo, uint64_t *hi, uint64_t *count);

/* Look-ups by name (reports, tests). NULL if absent. */
const stats_counter *stats_find_counter(const stats_registry *r, const char *name);
const double *stats_find_gauge(const stats_registry *r, const char *name);
const stats_hist *stats_find_hist(const stats_registry *r, const char *name);

/* Walk in registration order. */
typedef struct stats_entry {
  const char *name, *unit, *desc;
  stats_kind kind;
  const stats_counter *counter;
  const double *gauge;
  const stats_hist *hist;
} stats_entry;
size_t stats_count(const stats_registry *r);
stats_entry stats_at(const stats_registry *r, size_t i);

/* Writers. Text: "name value unit # desc" one per line (histograms: count/min/mean/p50/p99/
 * p99.9/max). JSON: one object, nested by the dotted path. `prefix` filters (NULL = all).
 * The prefix matches whole segments ("a.b" selects a.b.* but not a.bc.*). Doubles print as
 * the shortest of %.15g/%.16g/%.17g that reads back exactly; JSON leaves are objects:
 * {"value", "unit", "desc"} for counters and gauges (non-finite gauge -> null) and
 * {"count", "min", "mean", "p50", "p99", "p99.9", "max", "unit", "desc"} for histograms
 * (null statistics when empty). See stats_write.c. */
void stats_write_text(const stats_registry *r, const char *prefix, FILE *fp);
void stats_write_json(const stats_registry *r, const char *prefix, FILE *fp);

#ifdef __cplusplus
}
#endif
#endif
