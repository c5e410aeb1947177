/* A FIFO resource with a bandwidth: one server, a finite queue (descriptors and bytes) with
 * tail drop, and a fixed pipeline latency. It is a "next free time" calculation, so a
 * packet's departure is computed the moment it arrives (no kernel event for the service):
 *   start = max(arrive, free_at); done = start + ser(bytes + overhead, rate); free_at = done.
 * Used for MAC transmit (line rate), port-group and slice bandwidth per direction, and the
 * fabric link. Arrivals must be offered in non-decreasing time order (one input stream, or
 * a merge ordered by the event heap). Statistics are counted inside a measurement window
 * [w0, w1): packets and drops by arrival time, busy time and queue-occupancy area clipped
 * to the window; all-time totals are kept apart for packet conservation.
 * Window counters are registry counters (model/stats.h): the block increments them through
 * the pointers in `c`, which init points at the server's own storage and the owner re-points
 * at counters it registers (so the server must not be copied after init). */
#ifndef IPSECSIM_BW_SERVER_H
#define IPSECSIM_BW_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "model/occ_series.h"
#include "model/sim_time.h"
#include "model/stats.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bw_dep {
  sim_fs t;       /* departure (end of service) */
  uint32_t bytes; /* frame bytes */
} bw_dep;

typedef struct bw_server {
  uint64_t rate_bps;  /* service rate */
  uint32_t overhead;  /* bytes counted per packet besides the frame (20 = L1) */
  sim_fs latency;     /* fixed latency after service */
  uint32_t cap_pkts;  /* queue capacity incl. the packet in service */
  uint64_t cap_bytes;
  sim_fs free_at;
  sim_fs last_start;  /* start of service of the last accepted packet */
  uint32_t memo_bytes; /* last service time computed (most flows have one frame size) */
  sim_fs memo_fs;
  bw_dep *ring;
  uint32_t head, n;
  uint64_t q_bytes;
  /* window statistics */
  sim_fs w0, w1, last;
  double area_pkts, area_bytes; /* occupancy x fs inside the window */
  struct {
    stats_counter *pkts, *bytes, *drops; /* arrivals accepted / dropped inside the window */
    stats_counter *dep_pkts, *dep_bytes; /* departures inside the window (throughput) */
  } c;
  stats_counter own_[5];        /* default targets of c (unregistered server) */
  uint32_t max_pkts;
  uint64_t max_bytes;
  sim_fs busy;
  /* all-time */
  uint64_t tot_in, tot_drops;
  occ_series *series; /* occupancy per time bucket (model/occ_series.h), or NULL */
} bw_server;

/* Descriptors a queue of `bytes` holds: one per minimum (64 B) frame, plus two. */
static inline uint32_t bw_queue_pkts(uint64_t bytes) { return (uint32_t)(bytes / 64 + 2); }

bool bw_server_init(bw_server *s, uint64_t rate_bps, uint32_t overhead, sim_fs latency,
                    uint64_t cap_bytes, uint32_t cap_pkts);
void bw_server_free(bw_server *s);
void bw_server_window(bw_server *s, sim_fs w0, sim_fs w1);

/* Service time of one frame. */
static inline sim_fs bw_server_service(const bw_server *s, uint32_t bytes) {
  return sim_ser_fs((uint64_t)bytes + s->overhead, s->rate_bps);
}

/* The per-packet calls below are forced inline: five of them sit on every packet's path and
 * the compiler otherwise keeps one out-of-line copy (call + register spills per packet). */
#if defined(__GNUC__)
#define BW_SERVER_HOT static inline __attribute__((always_inline))
#else
#define BW_SERVER_HOT static inline
#endif

/* Removes departures up to t, integrating occupancy over the window (bw_server_advance).
 * bw_server_offer: a frame arriving at t. Returns done + latency, or SIM_FS_NEVER when the
 * queue is full (tail drop; the caller counts the drop under the block's reason).
 * Both are on every packet's path, hence inline. */
/* Adds occupancy x time for [last, t] clipped to the window. */
BW_SERVER_HOT void bw_server_integrate_(bw_server *s, sim_fs t) {
  sim_fs a = s->last > s->w0 ? s->last : s->w0;
  sim_fs b = t < s->w1 ? t : s->w1;
  if (b > a && s->n) {
    s->area_pkts += (double)s->n * (double)(b - a);
    s->area_bytes += (double)s->q_bytes * (double)(b - a);
    if (s->series) occ_series_span(s->series, a, b, s->n, s->q_bytes);
  }
  if (t > s->last) s->last = t;
}

BW_SERVER_HOT void bw_server_advance(bw_server *s, sim_fs t) {
  while (s->n && s->ring[s->head].t <= t) {
    sim_fs d = s->ring[s->head].t;
    bw_server_integrate_(s, d);
    if (d >= s->w0 && d < s->w1) {
      (*s->c.dep_pkts)++;
      *s->c.dep_bytes += s->ring[s->head].bytes;
    }
    s->q_bytes -= s->ring[s->head].bytes;
    s->n--;
    s->head = s->head + 1 == s->cap_pkts ? 0 : s->head + 1;
  }
  bw_server_integrate_(s, t);
}

BW_SERVER_HOT sim_fs bw_server_offer(bw_server *s, sim_fs t, uint32_t bytes) {
  bw_server_advance(s, t);
  bool in_window = t >= s->w0 && t < s->w1;
  if (s->n == s->cap_pkts || s->q_bytes + bytes > s->cap_bytes) {
    s->tot_drops++;
    if (in_window) (*s->c.drops)++;
    return SIM_FS_NEVER;
  }
  sim_fs start = t > s->free_at ? t : s->free_at;
  if (bytes != s->memo_bytes) {
    s->memo_bytes = bytes;
    s->memo_fs = bw_server_service(s, bytes);
  }
  sim_fs done = start + s->memo_fs;
  s->free_at = done;
  s->last_start = start;
  uint32_t tail = s->head + s->n;
  if (tail >= s->cap_pkts) tail -= s->cap_pkts;
  s->ring[tail].t = done;
  s->ring[tail].bytes = bytes;
  s->n++;
  s->q_bytes += bytes;
  s->tot_in++;
  /* busy time clipped to the window (FIFO service intervals never overlap) */
  sim_fs a = start > s->w0 ? start : s->w0, b = done < s->w1 ? done : s->w1;
  if (b > a) s->busy += b - a;
  if (in_window) {
    (*s->c.pkts)++;
    *s->c.bytes += bytes;
    if (s->n > s->max_pkts) s->max_pkts = s->n;
    if (s->q_bytes > s->max_bytes) s->max_bytes = s->q_bytes;
    if (s->series) occ_series_peak(s->series, t, s->n, s->q_bytes);
  }
  return done + s->latency;
}


/* Packets still queued after time t (census). */
uint32_t bw_server_census(bw_server *s, sim_fs t);

double bw_server_util(const bw_server *s);
double bw_server_mean_pkts(const bw_server *s);
double bw_server_mean_bytes(const bw_server *s);

#ifdef __cplusplus
}
#endif
#endif
