/* Log-linear histogram over uint64 values (HDR-like).
 *
 * Values 0..127 have a bucket each (exact). From 128 up, each power-of-two range
 * [2^e, 2^(e+1)) is cut into 64 equal sub-buckets of width 2^(e-6), so a bucket's width is at
 * most 1/64 of its lower bound. A quantile returns the upper bound of the bucket that holds
 * the nearest-rank sample x, clamped to [min, max]: x <= result < x + x/64 (relative error
 * below 1/64), exact for x < 128 and at q = 0 (min) and q = 1 (max).
 * 128 + 57 * 64 = 3776 buckets of 8 bytes: about 30 KB per histogram. */
#include <math.h>
#include <stdlib.h>

#include "stats_internal.h"

#define LINEAR_LIMIT 128u
#define SUB_BUCKETS 64u
#define N_BUCKETS (LINEAR_LIMIT + (64u - 7u) * SUB_BUCKETS)

struct stats_hist {
  uint64_t count, min, max;
  uint64_t sum_lo, sum_hi; /* exact 128-bit sum */
  uint64_t bucket[N_BUCKETS];
};

static inline unsigned bucket_of(uint64_t v) {
  if (v < LINEAR_LIMIT) return (unsigned)v;
  unsigned e = 63u - (unsigned)__builtin_clzll(v); /* 7..63 */
  unsigned shift = e - 6u;
  return LINEAR_LIMIT + (e - 7u) * SUB_BUCKETS + (unsigned)((v >> shift) - SUB_BUCKETS);
}

static uint64_t bucket_upper(unsigned b) {
  if (b < LINEAR_LIMIT) return b;
  unsigned e = 7u + (b - LINEAR_LIMIT) / SUB_BUCKETS;
  uint64_t sub = SUB_BUCKETS + (b - LINEAR_LIMIT) % SUB_BUCKETS;
  return ((sub + 1u) << (e - 6u)) - 1u; /* wraps to UINT64_MAX for the very last bucket */
}

static uint64_t bucket_lower(unsigned b) {
  if (b < LINEAR_LIMIT) return b;
  unsigned e = 7u + (b - LINEAR_LIMIT) / SUB_BUCKETS;
  return (uint64_t)(SUB_BUCKETS + (b - LINEAR_LIMIT) % SUB_BUCKETS) << (e - 6u);
}

bool stats_hist_next_bucket(const stats_hist *h, size_t *it, uint64_t *lo, uint64_t *hi, uint64_t *count) {
  for (; *it < N_BUCKETS; ++*it) {
    if (!h->bucket[*it]) continue;
    *lo = bucket_lower((unsigned)*it), *hi = bucket_upper((unsigned)*it), *count = h->bucket[*it];
    ++*it;
    return true;
  }
  return false;
}

stats_hist *stats_hist_new(void) { return calloc(1, sizeof(stats_hist)); }

void stats_hist_free(stats_hist *h) { free(h); }

void stats_hist_record(stats_hist *h, uint64_t v) {
  if (h->count == 0 || v < h->min) h->min = v;
  if (v > h->max) h->max = v;
  h->count++;
  h->sum_lo += v;
  h->sum_hi += h->sum_lo < v;
  h->bucket[bucket_of(v)]++;
}

uint64_t stats_hist_count(const stats_hist *h) { return h->count; }
uint64_t stats_hist_min(const stats_hist *h) { return h->min; }
uint64_t stats_hist_max(const stats_hist *h) { return h->max; }

double stats_hist_mean(const stats_hist *h) {
  if (h->count == 0) return 0.0;
  return (ldexp((double)h->sum_hi, 64) + (double)h->sum_lo) / (double)h->count;
}

uint64_t stats_hist_quantile(const stats_hist *h, double q) {
  if (h->count == 0) return 0;
  if (!(q > 0.0)) return h->min;
  if (q >= 1.0) return h->max;
  /* Nearest rank ceil(q * n), tolerant of q*n landing a hair above an integer. */
  double t = q * (double)h->count;
  uint64_t rank = (uint64_t)t;
  if (t - (double)rank > t * 1e-12) rank++;
  if (rank < 1) rank = 1;
  if (rank > h->count) rank = h->count;
  uint64_t seen = 0;
  for (unsigned b = 0; b < N_BUCKETS; b++) {
    seen += h->bucket[b];
    if (seen >= rank) {
      uint64_t v = bucket_upper(b);
      if (v > h->max) v = h->max;
      if (v < h->min) v = h->min;
      return v;
    }
  }
  return h->max;
}
