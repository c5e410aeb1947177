/* The byte path of the IPsec engines (asic_ipsec_bytes.h). */
#include "asic_ipsec_bytes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic_events.h"
#include "asic_ipsec_rt.h"
#include "ipsec_engine/esp_frag.h"

#define ETH_HDR 14u

typedef struct asic_ipsec_bytes {
  sa_db *db;            /* [n_routers] */
  sa **out_sa, **in_sa; /* [n_stats] in their router's database: tunnel t's declared pair at
                           t, `events:` generation k >= 1 at its stats index (gen_stats) */
  uint32_t n_sa;        /* n_stats of the run-time state (asic_ipsec_rt.h) */
  sa_db **out_db, **in_db; /* [n_stats] the databases holding out_sa / in_sa: their router's,
                           or one of the router's extra ones when another SA of that direction
                           there has the same SPI (another local gateway or peer: the demux
                           and the routes tell them apart, asic_ipsec_rt.h) */
  sa_db **xdb;          /* [n_xdb] the extra databases, each of one router (its ICMP limiter
                           is the router's: copied in and out around each encryption) */
  uint32_t *xdb_router, n_xdb;
  uint32_t *link;       /* [pool handles] next buffer of an output chain */
  uint32_t n_link;
  uint8_t *scratch;     /* ESP_BURST_OUT_CAP: one datagram's ESP packets */
  uint8_t host[ESP_HOST_CAP];
  sa_db *peer;          /* [n_flows] esp_of: the remote peer's mirror SAs, one per generation
                           (NULL db where none) */
  uint32_t *peer_cur;   /* [n_flows] the mirror the peer sends on (index into peer[fi].sas) */
  uint32_t *peer_next;  /* [n_flows] the datagram's ESP packets not sent yet (a chain) */
  uint64_t pending;
  /* TEST ONLY (environment IPSECSIM_TEST_ONLY_CORRUPT_DECRYPTED_EVERY=N): one byte of every
   * N-th packet the engines decrypt is flipped after decryption, so that the sinks' check can
   * be shown to count exactly those packets; 0 = off */
  uint64_t test_corrupt_every, decrypted, test_corrupted;
} asic_ipsec_bytes;

static uint64_t now_ns(sim_fs t) { return (uint64_t)(t / 1000000u); }

static bool db_init(sa_db *db) {
  if (!sa_db_init(db, NULL)) return false;
  db->bound_outbound = true;
  db->clock_started = true; /* time zero: the SAs are installed when the run starts */
  db->start_ns = 0;
  return true;
}

static uint32_t *link_of(asic_world *w, uint32_t h) {
  asic_ipsec_bytes *b = w->ipsec_bytes;
  if (h >= b->n_link) {
    uint32_t n = b->n_link ? b->n_link : 1024;
    while (n <= h) n *= 2;
    uint32_t *l = realloc(b->link, (size_t)n * sizeof *l);
    if (!l) abort(); /* nothing sensible is left to simulate */
    b->link = l;
    b->n_link = n;
  }
  return &b->link[h];
}

/* A chain of buffers holding the n packets of a burst, each behind a copy of eth's addresses. */
static uint32_t chain_burst(asic_world *w, const uint8_t *eth, const uint8_t *base, const size_t *off,
                            const size_t *len, size_t n) {
  uint32_t head = SIM_PAYLOAD_NONE, *tail = &head;
  for (size_t i = 0; i < n; i++) {
    if (len[i] + ETH_HDR > w->bytes.buf_size) break;
    uint32_t h = asic_bytes_alloc(&w->bytes);
    if (h == SIM_PAYLOAD_NONE) break;
    uint8_t *d = asic_bytes_buf(&w->bytes, h);
    memcpy(d, eth, 12);
    pkt_wr16(d + 12, (base[off[i]] >> 4) == 6 ? 0x86DDu : 0x0800u);
    memcpy(d + ETH_HDR, base + off[i], len[i]);
    w->bytes.len[h] = (uint32_t)(len[i] + ETH_HDR);
    *link_of(w, h) = SIM_PAYLOAD_NONE;
    *tail = h;
    tail = link_of(w, h);
  }
  return head;
}

static void chain_free(void *ctx, uint32_t head) {
  asic_world *w = ctx;
  while (head != SIM_PAYLOAD_NONE) {
    uint32_t next = *link_of(w, head);
    asic_bytes_release(&w->bytes, head);
    head = next;
  }
}

static uint32_t chain_take(void *ctx, uint32_t head, uint32_t i) {
  asic_world *w = ctx;
  while (i-- && head != SIM_PAYLOAD_NONE) head = *link_of(w, head);
  return head;
}

/* The sequence number of an ESP packet's header (low 32 bits) and its SPI, 0 when it has none. */
static uint32_t esp_seq_of(const uint8_t *ip, size_t n, uint32_t *spi) {
  size_t at;
  uint8_t proto;
  *spi = 0;
  if (n >= 20 && ip[0] >> 4 == 4) at = (size_t)(ip[0] & 15u) * 4, proto = ip[9];
  else if (n >= 40 && ip[0] >> 4 == 6) at = 40, proto = ip[6];
  else return 0;
  if (proto == 17) at += 8;
  if (at + 8 > n) return 0;
  *spi = pkt_rd32(ip + at);
  return pkt_rd32(ip + at + 4);
}

static void transform(void *ctx, uint32_t tunnel, engine_dir dir, const sim_pkt *in, sim_fs t, engine_pg_bytes *r) {
  asic_world *w = ctx;
  asic_ipsec_bytes *b = w->ipsec_bytes;
  uint32_t n;
  const uint8_t *f = asic_pkt_bytes(w, in, &n);
  r->head = SIM_PAYLOAD_NONE;
  if (!f || n < ETH_HDR || tunnel >= b->n_sa) {
    r->icv_ok = false;
    r->reason = ESP_R_OUTER_MALFORMED;
    if (f) asic_bytes_release(&w->bytes, in->payload);
    return;
  }
  if (dir == ENGINE_ENCRYPT) {
    sa_db *rdb = &b->db[w->tunnels[w->ipsec->stats_tunnel[tunnel]].router], *db = b->out_db[tunnel];
    if (db != rdb) db->icmp = rdb->icmp; /* one ICMP too-big limiter per router */
    esp_burst burst;
    r->reason = esp_encrypt_burst_on(db, b->out_sa[tunnel], f + ETH_HDR, n - ETH_HDR, now_ns(t), b->scratch,
                                     ESP_BURST_OUT_CAP, b->host, sizeof b->host, &burst, NULL);
    if (db != rdb) rdb->icmp = db->icmp;
    if (r->reason == ESP_R_OK) r->head = chain_burst(w, f, b->scratch, burst.off, burst.len, burst.n);
  } else {
    uint32_t spi;
    r->seq = esp_seq_of(f + ETH_HDR, n - ETH_HDR, &spi);
    size_t out_len = 0;
    const sa *named = spi ? sa_db_find_inbound(b->in_db[tunnel], spi) : NULL;
    if (named && named != b->in_sa[tunnel]) /* the bytes name another SA than the lookup bound: */
      r->reason = ESP_R_ICV_MISMATCH;       /* the bound SA's key fails them (SPI in the AAD) */
    else
      r->reason = esp_decrypt(b->in_db[tunnel], f + ETH_HDR, n - ETH_HDR, now_ns(t), b->scratch, ESP_BURST_OUT_CAP,
                              &out_len, NULL);
    r->icv_ok = r->reason == ESP_R_OK;
    size_t off = 0;
    if (r->icv_ok) r->head = chain_burst(w, f, b->scratch, &off, &out_len, 1);
    if (r->head != SIM_PAYLOAD_NONE && b->test_corrupt_every && ++b->decrypted % b->test_corrupt_every == 0) {
      asic_bytes_buf(&w->bytes, r->head)[w->bytes.len[r->head] - 1] ^= 0x01; /* the last byte */
      b->test_corrupted++;
    }
  }
  asic_bytes_release(&w->bytes, in->payload);
}

void asic_ipsec_bytes_hooks(engine_pg_host *h) {
  h->bytes = transform;
  h->bytes_take = chain_take;
  h->bytes_free = chain_free;
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

/* The peer's mirror for the SPI the stream sends on (the generation asic_events_peer_gen chose
 * for the packet's send time; the one mirror without events:). */
static sa *peer_sa(asic_ipsec_bytes *b, uint32_t fi, uint32_t spi) {
  sa_db *db = &b->peer[fi];
  for (size_t i = 0; i < db->n; i++) {
    const size_t j = (b->peer_cur[fi] + i) % db->n;
    if (db->sas[j]->cfg.spi == spi) return b->peer_cur[fi] = (uint32_t)j, db->sas[j];
  }
  return db->sas[b->peer_cur[fi]];
}

uint32_t asic_ipsec_bytes_esp_source(asic_world *w, uint32_t fi, const sim_pkt *p, bool first, uint32_t inner_frame) {
  asic_ipsec_bytes *b = w->ipsec_bytes;
  if (!b || !b->peer[fi].n) return SIM_PAYLOAD_NONE;
  if (first) {
    chain_free(w, b->peer_next[fi]); /* a datagram cut short by the window's end */
    sim_pkt inner = *p;
    inner.route_key = p->inner_key;
    inner.bytes = (uint16_t)inner_frame;
    uint32_t h = asic_bytes_source(w, fi, &inner);
    b->peer_next[fi] = SIM_PAYLOAD_NONE;
    if (h == SIM_PAYLOAD_NONE) return h;
    const uint8_t *f = asic_bytes_buf(&w->bytes, h);
    esp_burst burst;
    esp_reason r = esp_encrypt_burst_on(&b->peer[fi], peer_sa(b, fi, p->spi), f + ETH_HDR, w->bytes.len[h] - ETH_HDR,
                                        now_ns(p->t_first_in), b->scratch, ESP_BURST_OUT_CAP, b->host, sizeof b->host,
                                        &burst, NULL);
    if (r == ESP_R_OK) b->peer_next[fi] = chain_burst(w, f, b->scratch, burst.off, burst.len, burst.n);
    asic_bytes_release(&w->bytes, h);
    for (uint32_t c = b->peer_next[fi]; c != SIM_PAYLOAD_NONE; c = *link_of(w, c)) b->pending++;
  }
  uint32_t h = b->peer_next[fi];
  if (h == SIM_PAYLOAD_NONE) return h;
  b->peer_next[fi] = *link_of(w, h);
  b->pending--;
  return h;
}

uint64_t asic_ipsec_bytes_pending(const asic_world *w) { return w->ipsec_bytes ? w->ipsec_bytes->pending : 0; }
const sa *asic_ipsec_bytes_sa(const asic_world *w, uint32_t i, bool inbound) {
  const asic_ipsec_bytes *b = w->ipsec_bytes;
  if (!b || i >= b->n_sa) return NULL;
  return inbound ? b->in_sa[i] : b->out_sa[i];
}
uint64_t asic_ipsec_bytes_test_corrupted(const asic_world *w) {
  return w->ipsec_bytes ? w->ipsec_bytes->test_corrupted : 0;
}

void asic_ipsec_bytes_free(asic_world *w) {
  asic_ipsec_bytes *b = w->ipsec_bytes;
  if (!b) return;
  for (uint32_t r = 0; b->db && r < w->n_routers; r++) sa_db_free(&b->db[r]);
  for (uint32_t x = 0; x < b->n_xdb; x++) sa_db_free(b->xdb[x]), free(b->xdb[x]);
  free(b->xdb);
  free(b->xdb_router);
  free(b->in_db);
  free(b->out_db);
  for (uint32_t fi = 0; b->peer && fi < w->n_flows; fi++)
    if (b->peer[fi].sas) sa_db_free(&b->peer[fi]);
  free(b->db);
  free(b->out_sa);
  free(b->in_sa);
  free(b->scratch);
  free(b->peer);
  free(b->peer_next);
  free(b->peer_cur);
  free(b->link);
  free(b);
  w->ipsec_bytes = NULL;
}
