/* Queue occupancy per time bucket: the time-averaged and the peak occupancy (packets and
 * bytes) of one queue in each of n equal buckets [t0 + k*width, t0 + (k+1)*width), for the
 * "throughput and queue occupancy over time" series (asic/asic_report_series.c).
 * A queue model feeds it from the two places it already integrates its window occupancy:
 *   occ_series_span(s, a, b, pkts, bytes)  the queue held pkts/bytes over [a, b)
 *   occ_series_peak(s, t, pkts, bytes)     the occupancy just after an accepted arrival at t
 * (a queue grows only at arrivals, so its peaks are there). Several models may feed one
 * series (an arbiter's input queues and the server behind it): spans add, peaks take the
 * maximum, as the stage's window figures do. A queue without a series has s == NULL: the
 * model tests the pointer and pays nothing else. Spans mostly fall in the bucket of the
 * previous one, so that bucket's bounds are kept and no division is made per span. */
#ifndef IPSECSIM_OCC_SERIES_H
#define IPSECSIM_OCC_SERIES_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_time.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct occ_series {
  sim_fs t0, width;             /* first bucket's start, bucket width (fs) */
  uint32_t n;                   /* buckets */
  uint32_t cur;                 /* bucket of the last span or peak, bounds [cur_lo, cur_hi) */
  sim_fs cur_lo, cur_hi;
  double *area_pkts, *area_bytes; /* occupancy x fs per bucket */
  uint64_t *max_pkts, *max_bytes; /* peak per bucket (0: no arrival in the bucket) */
} occ_series;

/* n >= 1 buckets of width >= 1 fs from t0; false: out of memory. */
bool occ_series_init(occ_series *s, sim_fs t0, sim_fs width, uint32_t n);
void occ_series_free(occ_series *s);

/* Sets the cached bucket to the one holding t; false when t is outside every bucket. */
bool occ_series_seek_(occ_series *s, sim_fs t);
void occ_series_span_slow_(occ_series *s, sim_fs a, sim_fs b, double pkts, double bytes);

static inline void occ_series_span(occ_series *s, sim_fs a, sim_fs b, uint64_t pkts, uint64_t bytes) {
  if (b <= a) return;
  if (a >= s->cur_lo && b <= s->cur_hi) {
    s->area_pkts[s->cur] += (double)pkts * (double)(b - a);
    s->area_bytes[s->cur] += (double)bytes * (double)(b - a);
    return;
  }
  occ_series_span_slow_(s, a, b, (double)pkts, (double)bytes);
}

static inline void occ_series_peak(occ_series *s, sim_fs t, uint64_t pkts, uint64_t bytes) {
  if (!(t >= s->cur_lo && t < s->cur_hi) && !occ_series_seek_(s, t)) return;
  if (pkts > s->max_pkts[s->cur]) s->max_pkts[s->cur] = pkts;
  if (bytes > s->max_bytes[s->cur]) s->max_bytes[s->cur] = bytes;
}

/* Bucket k's time-averaged occupancy (area / width). */
static inline double occ_series_mean_pkts(const occ_series *s, uint32_t k) { return s->area_pkts[k] / (double)s->width; }
static inline double occ_series_mean_bytes(const occ_series *s, uint32_t k) { return s->area_bytes[k] / (double)s->width; }

#ifdef __cplusplus
}
#endif
#endif
