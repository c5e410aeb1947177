/* SA lifetimes (RFC 4301 s4.4.2.1): seconds and kilobytes, soft and hard. Time zero is SA
 * install (in `esp` the run's first packet, see esp_clock). Kilobytes (1 KB = 1024 bytes)
 * count the clear-side bytes of encrypted packets and of authenticated, non-replayed
 * decrypted packets, so forged or replayed packets never age an SA (DESIGN). The soft limit
 * is the configured soft_lifetime_* or 82% of the hard one; reaching it raises one rekey
 * event (counter soft_lifetime_reached; the packet itself goes through); reaching the hard
 * one stops the SA for good (sa.hard_expired, reported per SA): that packet and every later
 * one count lifetime_expired, and nothing else, so the drop changes exactly one counter.
 * Decrypt evaluates lifetimes only after the replay check and the ICV (esp_decrypt.c). */
#include "esp_transform.h"

static void event(sa_db *db, sa *s, ipsec_ctr c) {
  (*db->global.v[c])++;
  (*s->ctr.v[c])++;
}

static uint64_t age_ns(sa *s, uint64_t now_ns) {
  if (!s->started) { /* installed after the run began: its own first packet is time zero */
    s->started = true;
    s->start_ns = now_ns;
  }
  return now_ns >= s->start_ns ? now_ns - s->start_ns : 0;
}

bool esp_lifetime_alive(sa *s, uint64_t now_ns) {
  const uint64_t age = age_ns(s, now_ns), secs = s->cfg.lifetime_seconds;
  if (s->hard_expired) return false;
  if (secs && age >= secs * UINT64_C(1000000000)) s->hard_expired = true;
  return !s->hard_expired;
}

bool esp_lifetime_ok(sa_db *db, sa *s, uint64_t now_ns, uint64_t clear_bytes) {
  const uint64_t age = age_ns(s, now_ns);
  if (s->hard_expired) return false;
  const sa_config *c = &s->cfg;
  const uint64_t secs = c->lifetime_seconds, kb = c->lifetime_kilobytes;
  const uint64_t bytes = s->life_bytes + clear_bytes;
  /* The packet that would cross the hard byte limit is dropped (DESIGN), and the SA with it. */
  if ((secs && age >= secs * UINT64_C(1000000000)) || (kb && bytes > kb * 1024u)) {
    s->hard_expired = true;
    return false;
  }
  if (!s->soft_expired) {
    bool soft_t = c->soft_lifetime_seconds
                      ? age >= c->soft_lifetime_seconds * UINT64_C(1000000000)
                      : secs && age >= secs * UINT64_C(820000000);
    bool soft_b = c->soft_lifetime_kilobytes ? bytes >= c->soft_lifetime_kilobytes * 1024u
                                             : kb && bytes * 100 >= kb * 1024u * 82;
    if (soft_t || soft_b) {
      s->soft_expired = true;
      event(db, s, IPSEC_CTR_SOFT_LIFETIME);
    }
  }
  return true;
}
