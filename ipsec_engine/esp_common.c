/* Pieces shared by encrypt and decrypt: counting, the run clock, the flow hash. */
#include <string.h>

#include "esp_transform.h"
#include "model/pkt_ipv4.h"
#include "model/pkt_ipv6.h"

void esp_count(sa_db *db, sa *s, esp_reason r) {
  ipsec_ctr c = esp_reason_counter(r);
  if (c == IPSEC_CTR_COUNT) return;
  (*db->global.v[c])++;
  if (s) (*s->ctr.v[c])++;
}

void esp_clock(sa_db *db, uint64_t now_ns) {
  if (db->clock_started) return;
  db->clock_started = true;
  db->start_ns = now_ns;
  for (size_t i = 0; i < db->n; i++) {
    db->sas[i]->started = true;
    db->sas[i]->start_ns = now_ns;
  }
}

static uint32_t fnv1a(uint32_t h, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

uint32_t esp_flow_hash(const uint8_t *inner, size_t len) {
  uint32_t h = 2166136261u;
  uint8_t proto;
  const uint8_t *l4 = NULL;
  size_t l4_len = 0;
  bool whole = true; /* not a fragment: ports join the hash */
  if (len >= 1 && inner[0] >> 4 == 4) {
    pkt_ipv4_view v;
    if (pkt_ipv4_parse(inner, len, &v) != PKT_OK) return 0;
    h = fnv1a(h, v.hdr + 12, 8);
    proto = v.proto;
    whole = !pkt_ipv4_is_fragment(&v);
    l4 = v.payload;
    l4_len = v.payload_len;
  } else if (len >= 1 && inner[0] >> 4 == 6) {
    pkt_ipv6_view v;
    if (pkt_ipv6_parse(inner, len, &v) != PKT_OK) return 0;
    h = fnv1a(h, v.src, 16);
    h = fnv1a(h, v.dst, 16);
    proto = v.chain.upper_proto;
    whole = !v.chain.frag.present;
    l4 = v.upper;
    l4_len = v.upper_len;
  } else {
    return 0;
  }
  uint8_t tail[5] = {proto, 0, 0, 0, 0};
  if (whole && (proto == 6 || proto == 17 || proto == 132) && l4_len >= 4)
    memcpy(tail + 1, l4, 4);
  return fnv1a(h, tail, sizeof tail);
}
