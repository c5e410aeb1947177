/* FIFO bandwidth resource with tail drop; see bw_server.h. */
#include "bw_server.h"

#include <stdlib.h>
#include <string.h>

bool bw_server_init(bw_server *s, uint64_t rate_bps, uint32_t overhead, sim_fs latency,
                    uint64_t cap_bytes, uint32_t cap_pkts) {
  memset(s, 0, sizeof *s);
  s->c.pkts = &s->own_[0], s->c.bytes = &s->own_[1], s->c.drops = &s->own_[2];
  s->c.dep_pkts = &s->own_[3], s->c.dep_bytes = &s->own_[4];
  if (rate_bps == 0 || cap_pkts == 0) return false;
  s->rate_bps = rate_bps;
  s->overhead = overhead;
  s->latency = latency;
  s->cap_bytes = cap_bytes;
  s->cap_pkts = cap_pkts;
  s->ring = malloc((size_t)cap_pkts * sizeof *s->ring);
  s->w1 = SIM_FS_NEVER;
  return s->ring != NULL;
}

void bw_server_free(bw_server *s) {
  free(s->ring);
  s->ring = NULL;
}

void bw_server_window(bw_server *s, sim_fs w0, sim_fs w1) {
  s->w0 = w0;
  s->w1 = w1;
  s->last = 0;
}

uint32_t bw_server_census(bw_server *s, sim_fs t) {
  bw_server_advance(s, t);
  return s->n;
}

static double window_len(const bw_server *s) {
  return s->w1 > s->w0 && s->w1 != SIM_FS_NEVER ? (double)(s->w1 - s->w0) : 0.0;
}

double bw_server_util(const bw_server *s) {
  double w = window_len(s);
  return w > 0 ? (double)s->busy / w : 0.0;
}
double bw_server_mean_pkts(const bw_server *s) {
  double w = window_len(s);
  return w > 0 ? s->area_pkts / w : 0.0;
}
double bw_server_mean_bytes(const bw_server *s) {
  double w = window_len(s);
  return w > 0 ? s->area_bytes / w : 0.0;
}
