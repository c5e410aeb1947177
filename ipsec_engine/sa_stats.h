/* Per-SA (and per-router) IPsec statistics for the ASIC model's report: the counters of
 * ipsec_counters.h (the seed's `show security ipsec statistics` set and the extra events)
 * under "<prefix>.<counter name>", plus the finer drop reasons (esp_reason names) under
 * "<prefix>.<reason name>" where a reason's name is not already a counter's name (those
 * reasons map one to one onto their counter, so the counter is the figure). A direction
 * registers only the reasons it can produce: encrypt (out) the outbound ones, decrypt (in)
 * the inbound ones (unknown_spi is never an SA's: no SA matched; the router's figure). */
#ifndef IPSECSIM_SA_STATS_H
#define IPSECSIM_SA_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "ipsec_engine/ipsec_counters.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sa_stats_scope {
  SA_STATS_OUT = 0, /* an outbound SA: encrypt */
  SA_STATS_IN = 1,  /* an inbound SA: decrypt */
  SA_STATS_ALL = 2  /* a router's global figures: every reason */
} sa_stats_scope;

typedef struct sa_stats {
  ipsec_counters c;
  stats_counter *reason[ESP_R_COUNT]; /* into the registry, or own[] when not registered */
  stats_counter own[ESP_R_COUNT];
} sa_stats;

/* Registers the names when reg is not NULL (false on a name clash); without reg every
 * counter points at the struct's own storage. */
bool sa_stats_init(sa_stats *s, stats_registry *reg, const char *prefix, sa_stats_scope scope);
/* Whether reason r has a name of its own under this scope (registered by sa_stats_init). */
bool sa_stats_reason_named(esp_reason r, sa_stats_scope scope);
/* One packet dropped (or sent to the host path) for reason r: its counter and its reason. */
static inline void sa_stats_count(sa_stats *s, esp_reason r) {
  if (r == ESP_R_OK || (unsigned)r >= ESP_R_COUNT) return;
  const ipsec_ctr c = esp_reason_counter(r);
  if (c != IPSEC_CTR_COUNT) (*s->c.v[c])++;
  (*s->reason[r])++;
}
static inline void sa_stats_add(sa_stats *s, ipsec_ctr c, uint64_t n) { *s->c.v[c] += n; }

#ifdef __cplusplus
}
#endif
#endif
