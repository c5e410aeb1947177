/* Throughput search of one sweep point, over trials (sweep_trial.h):
 *  - none: one trial at the scenario's own rates;
 *  - rfc2544 (RFC 2544 s26.1): the highest offered load with zero loss. First trial at 100%;
 *    otherwise a binary search on [0, 100%] until the interval is narrower than the
 *    resolution (absolute, in fraction of line rate);
 *  - mlr (FD.io CSIT MLRsearch, simplified): PDR (loss ratio <= pdr_loss, 0.5%) then NDR
 *    (zero loss), each in phases k = 0..P (P intermediate phases, default 2, as CSIT's
 *    number_of_intermediate_phases): phase k's trials last d_k = initial x (full /
 *    initial)^(k/P) (default initial = full / 8; the final phase at the full duration, the
 *    scenario's phases.measure or --trial) and it stops when (hi - lo) / hi <= width x
 *    2^(P-k). Phase 0 starts from the full-load trial and the rate it forwarded (CSIT's MRR
 *    start); a later phase re-measures the bounds of the one before at its own duration
 *    (a lower bound that now fails, or an upper bound that now passes, is moved out by the
 *    phase's width until it holds again), then bisects. Trials of one duration are shared
 *    between the two goals (a rate that fails PDR fails NDR). The report lists each phase's
 *    duration, width and trials. A goal that fails at SWEEP_MLR_MIN_RATE (0.01% of line
 *    rate) is reported as rate 0.
 * The reported rate is the highest that passed (the true limit lies in [rate, rate + width)).
 * Every trial runs the point's scenario with its seed; results are rows (metric, value). */
#ifndef IPSECSIM_SWEEP_SEARCH_H
#define IPSECSIM_SWEEP_SEARCH_H

#include "sweep_trial.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sweep_mode { SWEEP_NONE, SWEEP_RFC2544, SWEEP_MLR } sweep_mode;

typedef struct sweep_search_opts {
  sweep_mode mode;
  double resolution;  /* rfc2544: absolute fraction of line rate */
  double width;       /* mlr: relative interval width */
  double pdr_loss;    /* mlr: PDR loss ratio goal */
  bool backlog_rule;  /* a trial also needs no backlog growth between its halves */
  double slack;       /* frames per stream of backlog growth tolerated (in-flight jitter) */
  uint64_t initial_fs; /* mlr: trial duration of phase 0 (0: the full duration / 8) */
  unsigned phases;    /* mlr: intermediate phases P (0: every trial at the full duration) */
} sweep_search_opts;

#define SWEEP_MLR_PHASES_MAX 8
/* mlr: the lowest rate searched (fraction of line rate); a goal that fails there is 0 */
#define SWEEP_MLR_MIN_RATE 1e-4

/* Runs the point (sets: its overrides incl. seed) and appends its rows. false: err. */
bool sweep_search_point(const char *path, char *const *sets, size_t n_sets, const sweep_search_opts *o,
                        sweep_rows *rows, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
