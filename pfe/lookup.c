/* Lookup thread pool; see lookup.h. */
#include "lookup.h"

#include <stdlib.h>
#include <string.h>

bool lookup_init(lookup_pool *p, uint32_t threads, double clock_hz, uint32_t cap_pkts) {
  memset(p, 0, sizeof *p);
  p->pkts = &p->own_[0], p->drops = &p->own_[1], p->done_pkts = &p->own_[2];
  if (!threads || !cap_pkts || clock_hz <= 0) return false;
  p->threads = threads;
  p->period = sim_period_fs(clock_hz);
  p->cap_pkts = cap_pkts;
  p->free_at = calloc(threads, sizeof *p->free_at);
  p->wait_ring = malloc((size_t)cap_pkts * sizeof *p->wait_ring);
  p->w1 = SIM_FS_NEVER;
  return p->free_at && p->wait_ring;
}

void lookup_free(lookup_pool *p) {
  free(p->free_at);
  free(p->wait_ring);
  p->free_at = p->wait_ring = NULL;
}

void lookup_window(lookup_pool *p, sim_fs w0, sim_fs w1) {
  p->w0 = w0;
  p->w1 = w1;
}

static inline void integrate(lookup_pool *p, sim_fs t) {
  sim_fs a = p->last > p->w0 ? p->last : p->w0;
  sim_fs b = t < p->w1 ? t : p->w1;
  if (b > a && p->n) {
    p->area_pkts += (double)p->n * (double)(b - a);
    if (p->series) occ_series_span(p->series, a, b, p->n, 0);
  }
  if (t > p->last) p->last = t;
}

static void advance(lookup_pool *p, sim_fs t) {
  while (p->n && p->wait_ring[p->head] <= t) {
    integrate(p, p->wait_ring[p->head]);
    p->n--;
    p->head = p->head + 1 == p->cap_pkts ? 0 : p->head + 1;
  }
  integrate(p, t);
}

static void sift_down(sim_fs *h, uint32_t n) {
  sim_fs v = h[0];
  uint32_t i = 0;
  for (;;) {
    uint32_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && h[c + 1] < h[c]) c++;
    if (h[c] >= v) break;
    h[i] = h[c];
    i = c;
  }
  h[i] = v;
}

/* Leaves ring mode: the ring read from its oldest entry is sorted, hence a valid heap. */
static void to_heap(lookup_pool *p) {
  sim_fs *tmp = malloc((size_t)p->threads * sizeof *tmp);
  if (!tmp) abort();
  for (uint32_t i = 0; i < p->threads; i++) tmp[i] = p->free_at[(p->ring_next + i) % p->threads];
  memcpy(p->free_at, tmp, (size_t)p->threads * sizeof *tmp);
  free(tmp);
  p->heap_mode = true;
}

sim_fs lookup_offer(lookup_pool *p, sim_fs t, uint32_t cycles) {
  advance(p, t);
  bool in_window = t >= p->w0 && t < p->w1;
  if (!p->heap_mode) {
    if (!p->uniform_cycles) p->uniform_cycles = cycles;
    if (cycles != p->uniform_cycles) to_heap(p);
  }
  sim_fs *earliest = p->heap_mode ? &p->free_at[0] : &p->free_at[p->ring_next];
  sim_fs start = t > *earliest ? t : *earliest;
  if (start > t) { /* must wait for a thread */
    if (p->n == p->cap_pkts) {
      p->tot_drops++;
      if (in_window) (*p->drops)++;
      return SIM_FS_NEVER;
    }
    uint32_t tail = p->head + p->n;
    if (tail >= p->cap_pkts) tail -= p->cap_pkts;
    p->wait_ring[tail] = start;
    p->n++;
  }
  sim_fs done = start + (sim_fs)cycles * p->period;
  *earliest = done;
  if (p->heap_mode) sift_down(p->free_at, p->threads);
  else p->ring_next = p->ring_next + 1 == p->threads ? 0 : p->ring_next + 1;
  p->last_start = start;
  p->tot_in++;
  sim_fs a = start > p->w0 ? start : p->w0, b = done < p->w1 ? done : p->w1;
  if (b > a) p->busy_thread_fs += (double)(b - a);
  if (done >= p->w0 && done < p->w1) (*p->done_pkts)++;
  if (in_window) {
    (*p->pkts)++;
    if (p->n > p->max_pkts) p->max_pkts = p->n;
    if (p->series) occ_series_peak(p->series, t, p->n, 0);
  }
  return done;
}

uint32_t lookup_census(lookup_pool *p, sim_fs t) {
  advance(p, t);
  return p->n;
}

double lookup_util(const lookup_pool *p) {
  double w = p->w1 > p->w0 && p->w1 != SIM_FS_NEVER ? (double)(p->w1 - p->w0) : 0.0;
  return w > 0 ? p->busy_thread_fs / (w * p->threads) : 0.0;
}

double lookup_mean_pkts(const lookup_pool *p) {
  double w = p->w1 > p->w0 && p->w1 != SIM_FS_NEVER ? (double)(p->w1 - p->w0) : 0.0;
  return w > 0 ? p->area_pkts / w : 0.0;
}
