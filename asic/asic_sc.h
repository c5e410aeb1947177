/* SystemC driver of the ASIC model: one SC_METHOD per slice heap. Each method wakes at its
 * heap's next event, processes that heap's events up to now + lookahead (the smallest
 * fabric/link latency, so no other slice can still send it anything earlier) and re-arms
 * itself with a timed notification; a push from another slice re-arms it earlier if
 * needed. SystemC time resolution is 1 fs and model times map 1:1 onto sc_time values.
 * SystemC elaborates once per process: call this at most once. */
#ifndef IPSECSIM_ASIC_SC_H
#define IPSECSIM_ASIC_SC_H

#include <stdbool.h>

#include "asic_sim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Runs the world to completion. progress: print simulated-time progress on stderr.
 * Returns the number of kernel activations of the slice methods. */
unsigned long long asic_sc_run(asic_world *w, bool progress);

#ifdef __cplusplus
}
#endif
#endif
