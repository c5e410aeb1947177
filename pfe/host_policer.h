/* The host (exception) path's rate policer of a PFE slice (issue 13): a token bucket in front
 * of everything the slice hands to the host, i.e. non-ESP packets for a local gateway (IKE,
 * NAT keepalives, anything else) at the lookup and the engine's datagrams answered with ICMP
 * (too big). Tokens: `burst` packets of depth, refilled at `rate_pps` continuously; the
 * bucket starts full; a packet passes when a whole token is there (and takes it), else it is
 * dropped under host_policer. Closed form for a stream offered above the rate from t0 to t1:
 * passed = burst + floor(rate_pps x (t1 - t0)) (within one packet: the last refill's phase).
 * Exact integer arithmetic: a token is SIM_FS_PER_S units, one fs of refill adds rate_pps units.
 * Handled in the slice's own heap (deterministic in both drivers); an offer earlier than the
 * last one (lookups complete out of order) refills nothing. Parameters: host.policer_pps,
 * host.policer_burst (asic_params.c, assumed). */
#ifndef IPSECSIM_HOST_POLICER_H
#define IPSECSIM_HOST_POLICER_H

#include <stdbool.h>
#include <stdint.h>

#include "model/sim_time.h"

typedef struct host_policer {
  uint64_t rate_pps, burst;
  unsigned __int128 level, cap; /* units: SIM_FS_PER_S per token */
  sim_fs last;
} host_policer;

static inline void host_policer_init(host_policer *p, uint64_t rate_pps, uint64_t burst) {
  p->rate_pps = rate_pps;
  p->burst = burst;
  p->cap = (unsigned __int128)burst * SIM_FS_PER_S;
  p->level = p->cap;
  p->last = 0;
}

static inline bool host_policer_pass(host_policer *p, sim_fs t) {
  if (t > p->last) {
    p->level += (unsigned __int128)(t - p->last) * p->rate_pps;
    if (p->level > p->cap) p->level = p->cap;
    p->last = t;
  }
  if (p->level < SIM_FS_PER_S) return false;
  p->level -= SIM_FS_PER_S;
  return true;
}

#endif
