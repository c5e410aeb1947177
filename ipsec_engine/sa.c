/* SA database: admission (2000 tunnels), SPI hash for inbound lookup, selector match for
 * outbound, GCM contexts built once per SA (DESIGN: never re-key per packet). */
#include "sa.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sized for 2000 inbound SAs at load factor <= 1/4. */
#define SPI_SLOTS 8192u

size_t sa_keymat_len(sa_alg alg) { return (alg == SA_AES256_GCM ? 32u : 16u) + SA_SALT_LEN; }

bool sa_parse_addr(const char *text, sa_addr *a) {
  memset(a, 0, sizeof *a);
  if (inet_pton(AF_INET, text, a->b) == 1) { a->family = 4; return true; }
  if (inet_pton(AF_INET6, text, a->b) == 1) { a->family = 6; return true; }
  return false;
}

void sa_format_addr(const sa_addr *a, char *out, size_t cap) {
  if (!inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->b, out, (socklen_t)cap))
    snprintf(out, cap, "?");
}

bool sa_db_init(sa_db *db, stats_registry *reg) {
  memset(db, 0, sizeof *db);
  db->reg = reg;
  db->spi_slot = calloc(SPI_SLOTS, sizeof *db->spi_slot);
  db->spi_mask = SPI_SLOTS - 1;
  db->out_sel = sa_select_new();
  if (!db->spi_slot || !db->out_sel) return false;
  db->icmp.rate_per_s = SA_ICMP_RATE_DEFAULT;
  db->icmp.burst = SA_ICMP_BURST_DEFAULT;
  return ipsec_counters_init(&db->global, reg, "esp.global");
}

uint32_t sa_max_inner(const sa_config *c) {
  const uint32_t fixed = (c->local.family == 4 ? 20u : 40u) + (c->udp != SA_UDP_NONE ? 8u : 0u) +
                         8u /* SPI, seq */ + 8u /* IV */ + 2u + 16u /* ICV */;
  if (c->tunnel_mtu < fixed + 2) return 0;
  /* L + pad + 2 is a multiple of 4: the largest L is (budget + 2) rounded down to 4, minus 2. */
  return ((c->tunnel_mtu - fixed + 2) & ~3u) - 2;
}

bool sa_carries_ipv6(const sa_config *c) {
  return c->dir == SA_OUTBOUND && (!c->has_selector || c->selector.family == 6);
}

void sa_db_free(sa_db *db) {
  for (size_t i = 0; i < db->n; i++) {
    gcm_free(db->sas[i]->gcm);
    memset(db->sas[i]->cfg.key, 0, sizeof db->sas[i]->cfg.key);
    memset(db->sas[i]->cfg.salt, 0, sizeof db->sas[i]->cfg.salt);
    free(db->sas[i]);
  }
  free(db->sas);
  free(db->spi_slot);
  sa_select_free(db->out_sel);
  memset(db, 0, sizeof *db);
}

/* Fibonacci hashing of the SPI (peers choose SPIs freely, often sequentially). */
static uint32_t spi_hash(uint32_t spi) { return (uint32_t)((spi * 2654435769u) >> 13); }

sa *sa_db_find_inbound(const sa_db *db, uint32_t spi) {
  for (uint32_t h = spi_hash(spi) & db->spi_mask;; h = (h + 1) & db->spi_mask) {
    uint32_t s = db->spi_slot[h];
    if (s == 0) return NULL;
    if (db->sas[s - 1]->cfg.spi == spi) return db->sas[s - 1];
  }
}

sa *sa_db_find_outbound(const sa_db *db, uint8_t family, const uint8_t *dst) {
  uint32_t idx;
  return sa_select_lookup(db->out_sel, family, dst, &idx) ? db->sas[idx] : NULL;
}

void sa_format_selector(const sa_config *c, char *out, size_t cap) {
  if (!c->has_selector) { snprintf(out, cap, "none: catch-all"); return; }
  sa_format_addr(&c->selector, out, cap);
  size_t n = strlen(out);
  snprintf(out + n, cap - n, "/%u", c->selector_len);
}

/* After the duplicate check: only a bad length or memory can fail here. */
static sa_select_rc sa_select_add_checked(sa_db *db, const sa_config *cfg, uint32_t idx,
                                          char *why, size_t why_len) {
  uint32_t clash = 0;
  sa_select_rc sr = cfg->has_selector
      ? sa_select_add(db->out_sel, cfg->selector.family, cfg->selector.b, cfg->selector_len, idx,
                      &clash)
      : sa_select_add_default(db->out_sel, idx, &clash);
  if (sr != SA_SELECT_OK) snprintf(why, why_len, sr == SA_SELECT_NOMEM ? "out of memory" : "bad selector");
  return sr;
}

size_t sa_bytes(const sa *s) {
  return offsetof(sa, replay) + offsetof(replay_window, bits) + s->replay.blocks * sizeof s->replay.bits[0];
}

bool sa_db_add(sa_db *db, const sa_config *cfg, char *why, size_t why_len) {
  size_t in_dir = cfg->dir == SA_OUTBOUND ? db->n_out : db->n_in;
  if (in_dir >= SA_MAX_TUNNELS) {
    snprintf(why, why_len, "%s SA '%s' refused: the chassis admits at most %u tunnels "
             "(%u %s SAs already installed)", cfg->dir == SA_OUTBOUND ? "outbound" : "inbound",
             cfg->name, SA_MAX_TUNNELS, SA_MAX_TUNNELS,
             cfg->dir == SA_OUTBOUND ? "outbound" : "inbound");
    return false;
  }
  if (cfg->spi < 256) {
    snprintf(why, why_len, "SPI %u is reserved (allowed: 256..4294967295, RFC 4303 s2.1)", cfg->spi);
    return false;
  }
  if (cfg->local.family != cfg->remote.family) {
    snprintf(why, why_len, "local and remote are of different address families");
    return false;
  }
  if (cfg->dir == SA_INBOUND && sa_db_find_inbound(db, cfg->spi)) {
    snprintf(why, why_len, "SPI %u is already used by inbound SA '%s'", cfg->spi,
             sa_db_find_inbound(db, cfg->spi)->cfg.name);
    return false;
  }
  for (size_t i = 0; cfg->dir == SA_OUTBOUND && i < db->n; i++)
    if (db->sas[i]->cfg.dir == SA_OUTBOUND && db->sas[i]->cfg.spi == cfg->spi) {
      snprintf(why, why_len, "SPI %u is already used by outbound SA '%s'", cfg->spi,
               db->sas[i]->cfg.name);
      return false;
    }
  for (size_t i = 0; i < db->n; i++)
    if (!strcmp(db->sas[i]->cfg.name, cfg->name)) {
      snprintf(why, why_len, "SA name '%s' is used twice", cfg->name);
      return false;
    }
  uint32_t clash;
  if (cfg->dir == SA_OUTBOUND && !db->bound_outbound &&
      sa_select_find(db->out_sel, cfg->has_selector ? cfg->selector.family : 0, cfg->selector.b,
                     cfg->selector_len, &clash)) {
    char sel[INET6_ADDRSTRLEN + 8];
    sa_format_selector(cfg, sel, sizeof sel);
    snprintf(why, why_len, "selector (%s) equals that of outbound SA '%s': one of them could "
             "never be chosen", sel, db->sas[clash]->cfg.name);
    return false;
  }
  if (!cfg->esn && cfg->initial_seq > UINT32_MAX) {
    snprintf(why, why_len, "initial_seq does not fit 32 bits without esn");
    return false;
  }
  /* DESIGN: on a VPN carrying IPv6 the inner path MTU may not fall below 1280 (RFC 8200 s5). */
  if (sa_carries_ipv6(cfg) && sa_max_inner(cfg) < 1280) {
    /* 1280 + outer header + UDP + 34 (SPI, seq, IV, pad length, next header, ICV) + pad 2 */
    unsigned need = 1280u + (cfg->local.family == 4 ? 20u : 40u) +
                    (cfg->udp != SA_UDP_NONE ? 8u : 0u) + 34u + 2u;
    snprintf(why, why_len, "tunnel_mtu %u leaves %u bytes for an inner packet, below IPv6's 1280 "
             "(allowed: >= %u, or an IPv4 selector for an IPv4-only SA)", cfg->tunnel_mtu,
             sa_max_inner(cfg), need);
    return false;
  }
  if ((cfg->lifetime_seconds && cfg->soft_lifetime_seconds >= cfg->lifetime_seconds) ||
      (cfg->lifetime_kilobytes && cfg->soft_lifetime_kilobytes >= cfg->lifetime_kilobytes)) {
    snprintf(why, why_len, "a soft lifetime must be below its hard lifetime");
    return false;
  }
  /* The replay bitmap is the SA's last member: an SA holds only the blocks its window uses
   * (W = 64: 2 blocks, 16 B of the 1 KiB array; an outbound SA none), 8000 SAs: 8 MB less. */
  replay_window w = {0};
  if (cfg->dir == SA_INBOUND && !replay_init(&w, cfg->replay_window, cfg->esn, cfg->initial_seq)) {
    snprintf(why, why_len, "replay_window %u out of range (allowed: %u..%u)", cfg->replay_window,
             REPLAY_WINDOW_MIN, REPLAY_WINDOW_MAX);
    return false;
  }
  const size_t win_bytes = offsetof(replay_window, bits) + w.blocks * sizeof w.bits[0];
  sa *s = calloc(1, offsetof(sa, replay) + win_bytes);  /* = sa_bytes(s) */
  if (!s) { snprintf(why, why_len, "out of memory"); return false; }
  s->cfg = *cfg;
  s->seq = cfg->initial_seq;
  memcpy(&s->replay, &w, win_bytes);
  s->gcm = gcm_new(cfg->key, cfg->key_len);
  if (!s->gcm) {
    free(s);
    snprintf(why, why_len, "the GCM context could not be created");
    return false;
  }
  if (db->n == db->cap) {
    size_t nc = db->cap ? db->cap * 2 : 16;
    sa **ns = realloc(db->sas, nc * sizeof *ns);
    if (!ns) { gcm_free(s->gcm); free(s); snprintf(why, why_len, "out of memory"); return false; }
    db->sas = ns;
    db->cap = nc;
  }
  /* Registered counters point into s: nothing may fail after this but the selector table's
   * own allocation. */
  char prefix[SA_NAME_MAX + 16];
  snprintf(prefix, sizeof prefix, "esp.sa.%s", cfg->name);
  if (!ipsec_counters_init(&s->ctr, db->reg, prefix)) {
    gcm_free(s->gcm);
    free(s);
    snprintf(why, why_len, "counters for SA '%s' could not be registered", cfg->name);
    return false;
  }
  if (cfg->dir == SA_OUTBOUND && !db->bound_outbound &&
      sa_select_add_checked(db, cfg, (uint32_t)db->n, why, why_len) != SA_SELECT_OK) {
    gcm_free(s->gcm);
    free(s);
    return false;
  }
  db->sas[db->n++] = s;
  if (cfg->dir == SA_OUTBOUND) {
    db->n_out++;
  } else {
    db->n_in++;
    uint32_t h = spi_hash(cfg->spi) & db->spi_mask;
    while (db->spi_slot[h]) h = (h + 1) & db->spi_mask;
    db->spi_slot[h] = (uint32_t)db->n;
  }
  return true;
}
