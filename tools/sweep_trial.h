/* One sweep trial: the scenario with a point's --set overrides, optionally every stream at
 * the same fraction of its port's line rate, run to completion with the plain C driver (no
 * SystemC: many trials per process). Every frame of the run counts (warm-up, measurement and
 * the drain after the sources stop). The run pauses to take the backlog (frames held by the
 * resources: queues, servers, lookup threads) 8 times in the last quarter of each half of the measurement phase
 * (the mean of 8 evens out the phase of a frame mix or of arbitration rounds):
 * a trial passes a loss goal only if
 *   lost <= goal x sent                                              (the loss goal) and
 *   drops_2nd_half + backlog(2nd half) - backlog(1st half) <= goal x sent_2nd_half + slack x streams
 * (no backlog growth between the two halves: a queue that absorbs an overload during a short
 * trial grows, so it cannot fake a higher rate, and the loss of the second half, when queues
 * have filled, is the steady-state loss; slack covers the few frames a stream has in flight
 * at any instant: an overload shows once its excess over half the trial exceeds it). The rule can be switched off (to show what it prevents).
 * Also the closed form at full load: sum of line rates, frame rate at line rate (an esp_of
 * stream: of its ESP frames), and the highest common load the resources allow (min over
 * resources of ceiling / offered, the IPsec engines' closed forms among them), with the
 * resource that binds. */
#ifndef IPSECSIM_SWEEP_TRIAL_H
#define IPSECSIM_SWEEP_TRIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A point's result: (metric, value text) rows in order. */
typedef struct sweep_row {
  char metric[128];
  char value[112];
} sweep_row;
typedef struct sweep_rows {
  sweep_row *r;
  size_t n, cap;
} sweep_rows;
void sweep_rows_num(sweep_rows *rows, const char *metric, double v);
void sweep_rows_text(sweep_rows *rows, const char *metric, const char *v);
void sweep_rows_free(sweep_rows *rows);

typedef struct sweep_trial {
  double rate;            /* fraction of line rate; < 0: the scenario's own rates */
  uint64_t measure_fs;    /* its measurement phase (0 in the call: the scenario's) */
  uint64_t sent, lost;    /* whole run; sent includes packets the blocks made (pre-fragments) */
  double backlog[2];      /* mean frames in flight over the last quarter of each half */
  uint64_t sent_half2;    /* frames sent in the second half */
  uint64_t drops_half2;   /* frames dropped in the second half */
  sweep_rows flows;       /* per stream: flow.NAME.{offered,rx}_l1_gbps, rx_mpps, drops, latency */
  double lat_p50_ns, lat_p99_ns, lat_p999_ns; /* worst stream (LIFO latency) */
  double rx_l1_gbps, rx_l2_gbps, rx_mpps;     /* sums over streams, measurement window */
  /* the IPsec engines (slices with one): per engine NAME.engine.{mpps, util, l1_gbps,
   * clear_l1_gbps} as measured; sums (util: the highest) over them */
  sweep_rows engines;
  uint32_t n_engines;
  double eng_mpps, eng_util, eng_wan_l1_gbps, eng_clear_l1_gbps;
} sweep_trial;

/* An IPsec engine's closed form for the point's offered mix (asic_engine_ceiling). */
typedef struct sweep_engine_cf {
  char name[64];            /* "r0.asic0.slice0" */
  double ceiling_mpps, ceiling_l1_gbps, ceiling_clear_l1_gbps;
  double max_frac;          /* the common fraction of line rate at which its lanes saturate */
  bool cache;               /* the SA-cache closed form holds (engine_cache_closed_form_streams) */
  double sa_cache_hit_rate, sa_cache_ceiling_mpps, sa_cache_ceiling_l1_gbps;
  double sa_cache_frac;     /* the same with the SA cache's misses: what binds (max.*) */
} sweep_engine_cf;

typedef struct sweep_limits {
  double line_l1_bps;     /* sum of the streams' port line rates */
  double line_pps;        /* frame rate at line rate, sum over streams */
  double l2_per_l1;       /* L2 / L1 bytes of the offered mix */
  double max_frac;        /* highest common fraction of line rate the resources allow (<= 1) */
  char binding[112];      /* the resource that sets max_frac (an engine: NAME.engine), or "line rate" */
  uint32_t streams;
  uint64_t measure_fs;    /* the scenario's measurement phase (with the overrides) */
  sweep_engine_cf *engines; /* every loaded engine (sweep_limits_free) */
  size_t n_engines;
} sweep_limits;

/* sets: KEY=VALUE overrides (the point's axes and seed); measure_fs: the measurement phase
 * (0: the scenario's with the overrides). false: err holds one line. */
bool sweep_trial_run(const char *path, char *const *sets, size_t n_sets, double rate, uint64_t measure_fs,
                     sweep_trial *t, char *err, size_t errlen);
void sweep_trial_free(sweep_trial *t);
/* The trial passes a loss goal (fraction, 0 = zero loss). */
bool sweep_trial_pass(const sweep_trial *t, double goal, bool backlog_rule, double slack, uint32_t streams);
double sweep_trial_growth(const sweep_trial *t);

bool sweep_limits_get(const char *path, char *const *sets, size_t n_sets, sweep_limits *l, char *err, size_t errlen);
void sweep_limits_free(sweep_limits *l);

#ifdef __cplusplus
}
#endif
#endif
