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
  if (r == ESP_R_UNKNOWN_SPI || r == ESP_R_SA_DELETED) return false; /* no SA matched: the router's */
  /* inner_invalid is both ways (encrypt input, decrypt payload): its counter carries it */
  return outbound_reason(r) == (scope == SA_STATS_OUT);
}

bool sa_stats_counter_named(ipsec_ctr c, sa_stats_scope scope) {
  if ((unsigned)c >= IPSEC_CTR_COUNT) return false;
  if (scope == SA_STATS_ALL || c <= IPSEC_CTR_DEC_PKTS || (c >= IPSEC_CTR_AH_AUTH_FAIL && c <= IPSEC_CTR_BAD_TRAILERS))
    return true;
  switch (c) {
  case IPSEC_CTR_LIFETIME_EXPIRED: case IPSEC_CTR_INNER_INVALID: case IPSEC_CTR_EXCEEDS_MTU:
  case IPSEC_CTR_SOFT_LIFETIME:
    return true; /* both ways */
  case IPSEC_CTR_SEQ_EXHAUSTED: case IPSEC_CTR_NO_SA: case IPSEC_CTR_MTU_FRAGMENTED: case IPSEC_CTR_MTU_ICMP:
    return scope == SA_STATS_OUT;
  case IPSEC_CTR_DUMMY: case IPSEC_CTR_ECN_CE_NOT_ECT:
    return scope == SA_STATS_IN;
  default:
    return false; /* AH bytes/packets (AH unsupported), host path, `esp` input truncation */
  }
}

bool sa_stats_init(sa_stats *s, stats_registry *reg, const char *prefix, sa_stats_scope scope) {
  memset(s, 0, sizeof *s);
  for (int i = 0; i < IPSEC_CTR_COUNT; i++) {
    s->c.v[i] = &s->c.own[i];
    if (!reg || !sa_stats_counter_named((ipsec_ctr)i, scope)) continue;
    char name[256];
    snprintf(name, sizeof name, "%s.%s", prefix, ipsec_ctr_name((ipsec_ctr)i));
    const bool bytes = i == IPSEC_CTR_ENC_BYTES || i == IPSEC_CTR_DEC_BYTES;
    stats_counter *c = stats_counter_add(reg, name, bytes ? "bytes" : "packets", ipsec_ctr_doc((ipsec_ctr)i));
    if (!c) return false;
    s->c.v[i] = c;
  }
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
