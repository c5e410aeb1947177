/* The SA databases of the byte path (asic_ipsec_bytes.h): per router, the tunnels' and the
 * `events:` generations' SAs, extra databases for SPIs another SA of the router uses, the
 * esp_of peers' mirrors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic_events.h"
#include "asic_ipsec_bytes_int.h"
#include "asic_ipsec_rt.h"

static bool db_init(sa_db *db) {
  if (!sa_db_init(db, NULL)) return false;
  db->bound_outbound = true;
  db->clock_started = true; /* time zero: the SAs are installed when the run starts */
  db->start_ns = 0;
  return true;
}

/* The remote peer's outbound mirror of an inbound SA (tunnel's or one generation's). */
static sa_config mirror_of(const sa_config *in) {
  sa_config c = *in;
  c.dir = SA_OUTBOUND;
  c.local = in->remote;
  c.remote = in->local;
  c.has_selector = false;
  return c;
}

/* Whether db holds an SA of c's direction with c's SPI. */
static bool has_spi(const sa_db *db, const sa_config *c) {
  if (c->dir == SA_INBOUND) return sa_db_find_inbound(db, c->spi) != NULL;
  for (size_t i = 0; i < db->n; i++)
    if (db->sas[i]->cfg.dir == SA_OUTBOUND && db->sas[i]->cfg.spi == c->spi) return true;
  return false;
}

/* The database of router r for SA c: the router's own unless c's SPI is taken there in c's
 * direction (an SA of another local gateway or peer: RFC 4301 s4.1; the same SPI inbound on one
 * gateway is refused by the loader and spi_insert), then the first extra one of r without it,
 * else a new one. NULL: out of memory. */
static sa_db *db_for(asic_ipsec_bytes *b, uint32_t r, const sa_config *c) {
  if (!has_spi(&b->db[r], c)) return &b->db[r];
  for (uint32_t x = 0; x < b->n_xdb; x++)
    if (b->xdb_router[x] == r && !has_spi(b->xdb[x], c)) return b->xdb[x];
  sa_db **nx = realloc(b->xdb, (b->n_xdb + 1) * sizeof *nx);
  if (nx) b->xdb = nx;
  uint32_t *nr = realloc(b->xdb_router, (b->n_xdb + 1) * sizeof *nr);
  if (nr) b->xdb_router = nr;
  sa_db *db = nx && nr ? malloc(sizeof *db) : NULL;
  if (!db) return NULL;
  if (!db_init(db)) return free(db), NULL;
  b->xdb[b->n_xdb] = db, b->xdb_router[b->n_xdb++] = r;
  return db;
}

/* One SA into the database db_for picks; *s and *in_db where it went. */
static bool add_sa(asic_ipsec_bytes *b, uint32_t r, const sa_config *c, sa **s, sa_db **in_db, char *why, size_t len) {
  sa_db *db = db_for(b, r, c);
  if (!db) return snprintf(why, len, "out of memory"), false;
  if (!sa_db_add(db, c, why, len)) return false;
  *s = db->sas[db->n - 1], *in_db = db;
  return true;
}

/* SA pair idx (stats index) into router's databases, under names unique there. Every SA of
 * the run is added here at the start, also those `events:` install later: when each one exists
 * is the SPI demux's and the outbound epochs' rule (asic_events.h, at the lookup, the same in
 * both payload modes); the bytes are transformed on the SA the lookup bound. */
static bool add_pair(asic_ipsec_bytes *b, uint32_t router, uint32_t idx, uint32_t t, uint32_t gen, const sa_config *o,
                     const sa_config *i, char *why, size_t len) {
  sa_config out = *o, in = *i;
  if (gen) snprintf(out.name, sizeof out.name, "%u.g%u.out", t, gen), snprintf(in.name, sizeof in.name, "%u.g%u.in", t, gen);
  else snprintf(out.name, sizeof out.name, "%u.out", t), snprintf(in.name, sizeof in.name, "%u.in", t);
  const bool ok = add_sa(b, router, &out, &b->out_sa[idx], &b->out_db[idx], why, len) &&
                  add_sa(b, router, &in, &b->in_sa[idx], &b->in_db[idx], why, len);
  memset(out.key, 0, sizeof out.key), memset(in.key, 0, sizeof in.key);
  memset(out.salt, 0, sizeof out.salt), memset(in.salt, 0, sizeof in.salt);
  return ok;
}

/* The peer of flow fi (esp_of: t): one mirror per generation of t, in generation order. */
static bool add_peer(asic_world *w, asic_ipsec_bytes *b, uint32_t fi, uint32_t t, char *why, size_t len) {
  const asic_events *ev = w->sa_events;
  const uint32_t k0 = ev ? ev->first[t] : 0, k1 = ev ? ev->first[t + 1] : 1;
  if (!db_init(&b->peer[fi])) return snprintf(why, len, "out of memory"), false;
  for (uint32_t k = k0; k < k1; k++) {
    sa_config c = mirror_of(ev ? &ev->gens[k].in : &w->tunnels[t].in);
    snprintf(c.name, sizeof c.name, "g%u", ev ? ev->gens[k].gen : 0);
    const bool ok = sa_db_add(&b->peer[fi], &c, why, len);
    memset(c.key, 0, sizeof c.key), memset(c.salt, 0, sizeof c.salt);
    if (!ok) return false;
  }
  return true;
}

bool asic_ipsec_bytes_start(asic_world *w, char *err, size_t errlen) {
  if (w->payload_mode != ASIC_PAYLOAD_REAL || !w->n_tunnels) return true;
  asic_ipsec_bytes *b = calloc(1, sizeof *b);
  if (!b) return snprintf(err, errlen, "out of memory"), false;
  w->ipsec_bytes = b;
  const asic_ipsec_rt *rt = w->ipsec;
  const asic_events *ev = w->sa_events;
  b->n_sa = rt->n_stats;
  b->db = calloc(w->n_routers, sizeof *b->db);
  b->out_sa = calloc(b->n_sa, sizeof *b->out_sa);
  b->in_sa = calloc(b->n_sa, sizeof *b->in_sa);
  b->in_db = calloc(b->n_sa, sizeof *b->in_db);
  b->out_db = calloc(b->n_sa, sizeof *b->out_db);
  b->scratch = malloc(ESP_BURST_OUT_CAP);
  b->peer = calloc(w->n_flows ? w->n_flows : 1, sizeof *b->peer);
  b->peer_next = malloc((w->n_flows ? w->n_flows : 1) * sizeof *b->peer_next);
  b->peer_cur = calloc(w->n_flows ? w->n_flows : 1, sizeof *b->peer_cur);
  if (!b->db || !b->out_sa || !b->in_sa || !b->in_db || !b->out_db || !b->scratch || !b->peer || !b->peer_next || !b->peer_cur)
    return snprintf(err, errlen, "out of memory"), false;
  const char *tc = getenv("IPSECSIM_TEST_ONLY_CORRUPT_DECRYPTED_EVERY");
  b->test_corrupt_every = tc ? strtoull(tc, NULL, 10) : 0;
  for (uint32_t r = 0; r < w->n_routers; r++)
    if (!db_init(&b->db[r])) return snprintf(err, errlen, "out of memory"), false;
  char why[256];
  const uint32_t n_pairs = ev ? ev->n_gens : w->n_tunnels;
  for (uint32_t k = 0; k < n_pairs; k++) {
    const asic_sa_gen *g = ev ? &ev->gens[k] : NULL;
    const uint32_t t = g ? g->tunnel : k, gen = g ? g->gen : 0;
    const asic_tunnel *tu = &w->tunnels[t];
    if (add_pair(b, tu->router, g ? rt->gen_stats[k] : t, t, gen, g ? &g->out : &tu->out, g ? &g->in : &tu->in,
                 why, sizeof why))
      continue;
    if (gen) snprintf(err, errlen, "payload real: tunnel %s generation g%u (events:): %s (allowed: payload: none)", tu->name, gen, why);
    else snprintf(err, errlen, "payload real: tunnel %s: %s (allowed: payload: none)", tu->name, why);
    return false;
  }
  for (uint32_t fi = 0; fi < w->n_flows; fi++) {
    b->peer_next[fi] = SIM_PAYLOAD_NONE;
    const uint32_t t = w->flows[fi].esp_of;
    if (t >= w->n_tunnels) continue;
    if (!add_peer(w, b, fi, t, why, sizeof why)) {
      snprintf(err, errlen, "%s: payload real: the peer of tunnel %s: %s", w->tunnels[t].where, w->tunnels[t].name, why);
      return false;
    }
  }
  return true;
}

const sa *asic_ipsec_bytes_sa(const asic_world *w, uint32_t i, bool inbound) {
  const asic_ipsec_bytes *b = w->ipsec_bytes;
  if (!b || !b->out_sa || i >= b->n_sa) return NULL; /* none, or released after the run */
  return inbound ? b->in_sa[i] : b->out_sa[i];
}

void asic_ipsec_bytes_release_sas(asic_world *w) {
  asic_ipsec_bytes *b = w->ipsec_bytes;
  if (!b) return;
  for (uint32_t r = 0; b->db && r < w->n_routers; r++) sa_db_free(&b->db[r]); /* zeroed: n 0 */
  for (uint32_t x = 0; x < b->n_xdb; x++) sa_db_free(b->xdb[x]);
  for (uint32_t fi = 0; b->peer && fi < w->n_flows; fi++)
    if (b->peer[fi].sas) sa_db_free(&b->peer[fi]);
  free(b->out_sa), free(b->in_sa); /* pointers into the freed SAs */
  b->out_sa = b->in_sa = NULL;
}

void asic_ipsec_bytes_free(asic_world *w) {
  asic_ipsec_bytes *b = w->ipsec_bytes;
  if (!b) return;
  asic_ipsec_bytes_release_sas(w);
  for (uint32_t x = 0; x < b->n_xdb; x++) free(b->xdb[x]);
  free(b->xdb);
  free(b->xdb_router);
  free(b->in_db);
  free(b->out_db);
  free(b->db);
  free(b->scratch);
  free(b->gcm_text);
  free(b->peer);
  free(b->peer_next);
  free(b->peer_cur);
  free(b->link);
  free(b);
  w->ipsec_bytes = NULL;
}
