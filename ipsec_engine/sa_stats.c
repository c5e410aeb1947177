/* Per-SA and per-router statistics names (sa_stats.h). */
#include "sa_stats.h"

#include <string.h>

/* Which direction produces a reason (RFC 4303 s3.4 for the inbound checks). */
static bool outbound_reason(esp_reason r) {
  switch (r) {
  case ESP_R_SEQ_EXHAUSTED: case ESP_R_LIFETIME_EXPIRED: case ESP_R_NO_SA: case ESP_R_EXCEEDS_MTU:
  case ESP_R_INNER_INVALID: case ESP_R_MTU_ICMP_SENT: case ESP_R_MTU_ICMP_RATE_LIMITED:
    return true;
  default:
    return false;
  }
}

static bool same_name_as_counter(esp_reason r) {
  const ipsec_ctr c = esp_reason_counter(r);
  return c != IPSEC_CTR_COUNT && !strcmp(esp_reason_name(r), ipsec_ctr_name(c));
}

bool sa_stats_reason_named(esp_reason r, sa_stats_scope scope) {
  if (r == ESP_R_OK || (unsigned)r >= ESP_R_COUNT || r == ESP_R_CAPTURE_TRUNCATED || same_name_as_counter(r))
    return false;
  if (scope == SA_STATS_ALL) return true;
  if (r == ESP_R_UNKNOWN_SPI) return false;
  /* inner_invalid is both ways (encrypt input, decrypt payload): its counter carries it */
  return outbound_reason(r) == (scope == SA_STATS_OUT);
}

bool sa_stats_init(sa_stats *s, stats_registry *reg, const char *prefix, sa_stats_scope scope) {
  memset(s, 0, sizeof *s);
  if (!ipsec_counters_init(&s->c, reg, prefix)) return false;
  for (int r = 0; r < ESP_R_COUNT; r++) {
    s->reason[r] = &s->own[r];
    if (!reg || !sa_stats_reason_named((esp_reason)r, scope)) continue;
    char name[256];
    snprintf(name, sizeof name, "%s.%s", prefix, esp_reason_name((esp_reason)r));
    stats_counter *c = stats_counter_add(reg, name, "packets", "drops of this finer reason (its counter holds it too)");
    if (!c) return false;
    s->reason[r] = c;
  }
  return true;
}
