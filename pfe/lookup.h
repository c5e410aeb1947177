/* PFE lookup (Trio LUSS) as a pool of packet-processing threads: Trio 6 has 80 PPEs x 20
 * threads per slice (published). A packet waits in the lookup queue until a thread is free,
 * then holds that thread for `cycles` core cycles (its occupancy: instructions plus memory
 * stalls of run-to-completion processing; assumed, per path). The rate is therefore
 * threads / (cycles x period), not a fixed pps. Dispatch is FIFO to the earliest-free
 * thread; the pool keeps thread free times in a min-heap. */
#ifndef IPSECSIM_LOOKUP_H
#define IPSECSIM_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>

#include "model/occ_series.h"
#include "model/sim_time.h"
#include "model/stats.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lookup_pool {
  uint32_t threads;
  sim_fs period;     /* core clock period, rounded once */
  sim_fs *free_at;   /* thread free times: a ring in assignment order while every packet
                        has had the same occupancy (then the oldest is the earliest free),
                        a min-heap from the first packet with another occupancy on */
  uint32_t ring_next, uniform_cycles;
  bool heap_mode;
  uint32_t cap_pkts; /* waiting descriptors (not yet on a thread) */
  sim_fs *wait_ring; /* start times of waiting packets (non-decreasing) */
  uint32_t head, n;
  sim_fs last_start;
  /* window statistics */
  sim_fs w0, w1, last;
  double area_pkts;
  /* window counters: registry counters, or own_ until the owner registers them (do not
   * copy a pool after init) */
  stats_counter *pkts, *drops;
  stats_counter *done_pkts; /* lookups completed inside the window (throughput) */
  stats_counter own_[3];
  uint32_t max_pkts;
  double busy_thread_fs; /* thread-fs busy inside the window */
  uint64_t tot_in, tot_drops;
  occ_series *series; /* waiting packets per time bucket (model/occ_series.h), or NULL */
} lookup_pool;

bool lookup_init(lookup_pool *p, uint32_t threads, double clock_hz, uint32_t cap_pkts);
void lookup_free(lookup_pool *p);
void lookup_window(lookup_pool *p, sim_fs w0, sim_fs w1);

/* Packet arrives at t needing `cycles` of one thread. Returns the time its lookup ends, or
 * SIM_FS_NEVER when the lookup queue is full. Arrivals in non-decreasing t. */
sim_fs lookup_offer(lookup_pool *p, sim_fs t, uint32_t cycles);
uint32_t lookup_census(lookup_pool *p, sim_fs t);

double lookup_util(const lookup_pool *p);
double lookup_mean_pkts(const lookup_pool *p);

#ifdef __cplusplus
}
#endif
#endif
