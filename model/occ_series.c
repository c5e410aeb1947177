/* Queue occupancy per time bucket; see occ_series.h. */
#include "occ_series.h"

#include <stdlib.h>
#include <string.h>

bool occ_series_init(occ_series *s, sim_fs t0, sim_fs width, uint32_t n) {
  memset(s, 0, sizeof *s);
  s->t0 = t0, s->width = width ? width : 1, s->n = n ? n : 1;
  s->area_pkts = calloc(s->n, sizeof *s->area_pkts);
  s->area_bytes = calloc(s->n, sizeof *s->area_bytes);
  s->max_pkts = calloc(s->n, sizeof *s->max_pkts);
  s->max_bytes = calloc(s->n, sizeof *s->max_bytes);
  if (!s->area_pkts || !s->area_bytes || !s->max_pkts || !s->max_bytes) {
    occ_series_free(s);
    return false;
  }
  s->cur_lo = s->cur_hi = t0; /* empty: the first span or peak seeks */
  return true;
}

void occ_series_free(occ_series *s) {
  free(s->area_pkts), free(s->area_bytes), free(s->max_pkts), free(s->max_bytes);
  memset(s, 0, sizeof *s);
}

bool occ_series_seek_(occ_series *s, sim_fs t) {
  if (t < s->t0 || (t - s->t0) / s->width >= s->n) return false;
  s->cur = (uint32_t)((t - s->t0) / s->width);
  s->cur_lo = s->t0 + (sim_fs)s->cur * s->width;
  s->cur_hi = s->cur_lo + s->width;
  return true;
}

/* A span across bucket boundaries (or outside the cached one): clipped to the buckets, each
 * bucket it overlaps gets its share; the cache ends on the bucket of its end. */
void occ_series_span_slow_(occ_series *s, sim_fs a, sim_fs b, double pkts, double bytes) {
  const sim_fs end = s->t0 + (sim_fs)s->n * s->width;
  if (a < s->t0) a = s->t0;
  if (b > end) b = end;
  while (a < b && occ_series_seek_(s, a)) {
    sim_fs hi = b < s->cur_hi ? b : s->cur_hi;
    s->area_pkts[s->cur] += pkts * (double)(hi - a);
    s->area_bytes[s->cur] += bytes * (double)(hi - a);
    a = hi;
  }
}
