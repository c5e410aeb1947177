/* Stats names, gauges and summary lines of the IPsec engines and tunnels (asic_ipsec_rt.h).
 * Window semantics as every resource: counters count inside [w0, w1), gauges divide by the
 * window. Names exist only when the world has tunnels (clear scenarios' reports unchanged).
 * Per SA: sa.ROUTER.TUNNEL.out|in.NAME (sa_stats.h: ipsec_counters.c's names, then the finer
 * reasons); per router: ipsec.ROUTER.NAME, its SAs summed plus its lookups' unknown SPIs. */
#include <stdarg.h>
#include <string.h>

#include "asic_ipsec_rt.h"

static stats_counter *reg(stats_registry *r, stats_counter *fallback, const char *unit, const char *desc,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static stats_counter *reg(stats_registry *r, stats_counter *fallback, const char *unit, const char *desc,
                          const char *fmt, ...) {
  char n[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(n, sizeof n, fmt, ap);
  va_end(ap);
  stats_counter *c = stats_counter_add(r, n, unit, desc);
  return c ? c : fallback;
}

static void gauge(stats_registry *r, const char *name, const char *unit, const char *desc, double v) {
  double *g = stats_gauge_add(r, name, unit, desc);
  if (g) *g = v;
}

/* "ROUTER.asicA.sliceS" of global slice s (A: the ASIC's index in its router). */
static void slice_base(const asic_world *w, uint32_t s, char *out, size_t len) {
  const asic_slice *sl = &w->slices[s];
  uint32_t a = sl->asic - w->slices[w->routers[sl->router].first_asic_slice].asic;
  snprintf(out, len, "%s.asic%u.slice%u", w->routers[sl->router].name, a, sl->index);
}

bool asic_ipsec_stats_register(asic_world *w) {
  asic_ipsec_rt *rt = w->ipsec;
  if (!rt) return true;
  stats_registry *r = w->stats;
  char b[96];
  for (uint32_t s = 0; s < w->n_slices; s++) {
    asic_slice *sl = &w->slices[s];
    slice_base(w, s, b, sizeof b);
    sl->unknown_spi_drops = reg(r, sl->unknown_spi_drops, "packets", "ESP for a local gateway with no inbound SA of "
                                "that SPI, dropped in the window", "%s.lookup.drops.unknown_spi", b);
    sl->host_pkts = reg(r, sl->host_pkts, "packets", "non-ESP packets for a local gateway sent to the exception "
                        "(host) path in the window", "%s.lookup.host_pkts", b);
    if (w->sa_events) {
      sl->no_sa_drops = reg(r, sl->no_sa_drops, "packets", "packets routed into a tunnel that has no outbound SA then "
                            "(events: deleted or not yet installed), dropped in the window", "%s.lookup.drops.no_sa", b);
      sl->sa_deleted_drops = reg(r, sl->sa_deleted_drops, "packets", "ESP for an inbound SA deleted by an event, dropped in "
                                 "the window", "%s.lookup.drops.sa_deleted", b);
    }
    sl->host_policer_drops = reg(r, sl->host_policer_drops, "packets", "packets for the host (exception) path refused by "
                                 "its policer (host.policer_pps, host.policer_burst) in the window",
                                 "%s.host.drops.host_policer", b);
    sl->engine_crossings = reg(r, sl->engine_crossings, "packets", "packets sent over the fabric to the engine of "
                               "another slice (remote anchor) in the window", "%s.fabric.to_engine_pkts", b);
    if (!rt->eng[s]) continue;
    engine_counters *c = engine_counters_of(engine_pg_engine(rt->eng[s]));
    c->pkts = reg(r, c->pkts, "packets", "descriptors accepted at the engine input in the window", "%s.engine.pkts", b);
    c->done_pkts = reg(r, c->done_pkts, "packets", "packets released (ESP packets on encrypt)", "%s.engine.done_pkts", b);
    c->encrypt_pkts = reg(r, c->encrypt_pkts, "packets", "encrypted packets released", "%s.engine.encrypt_pkts", b);
    c->decrypt_pkts = reg(r, c->decrypt_pkts, "packets", "decrypted packets released", "%s.engine.decrypt_pkts", b);
    c->host_pkts = reg(r, c->host_pkts, "packets", "datagrams sent to the exception path (ICMP needed)",
                       "%s.engine.host_pkts", b);
    c->wan_l1_bytes = reg(r, c->wan_l1_bytes, "bytes", "ESP frames + 20 B released, both directions",
                          "%s.engine.wan_l1_bytes", b);
    c->clear_l1_bytes = reg(r, c->clear_l1_bytes, "bytes", "clear frames + 20 B released, both directions",
                            "%s.engine.clear_l1_bytes", b);
    for (int d = 1; d < ENGINE_DROP_N; d++)
      c->drops[d] = reg(r, c->drops[d], "packets", "engine drops in the window, by reason", "%s.engine.drops.%s", b,
                        engine_drop_names[d]);
    c->sb_checked = reg(r, c->sb_checked, "packets", "packets released or dropped at release whose bytes the scoreboard "
                        "checked against OpenSSL (window; 0 with gcm_model c)", "%s.engine.scoreboard.checked", b);
    c->sb_mismatches = reg(r, c->sb_mismatches, "packets", "checked packets whose text or tag differed from OpenSSL "
                           "(whole run)", "%s.engine.scoreboard.mismatches", b);
    c->sb_cycle_mismatches = reg(r, c->sb_cycle_mismatches, "packets", "packets whose RTL tag-pop cycle differed "
                                 "from the C model's prediction (whole run)", "%s.engine.scoreboard.cycle_mismatches", b);
    c->sb_real_bytes = reg(r, c->sb_real_bytes, "packets", "checked packets the RTL core processed on their own bytes "
                           "(payload real; the others on a pattern of their lengths; window)",
                           "%s.engine.scoreboard.real_bytes", b);
    sa_cache_counters *cc = engine_sa_cache_counters_of(engine_pg_engine(rt->eng[s]));
    cc->hits = reg(r, cc->hits, "packets", "packets dispatched with their SA context cached", "%s.engine.sa_cache_hits", b);
    cc->misses = reg(r, cc->misses, "packets", "SA context cache misses (fills over the fill port)",
                     "%s.engine.sa_cache_misses", b);
    cc->miss_cycles = reg(r, cc->miss_cycles, "cycles", "cycles the input FIFO's head waited on SA context fills",
                          "%s.engine.sa_miss_cycles", b);
    /* PG0.out's queue toward the engine held by its credits: the engine's input is full */
    w->attach[s].block_drops = c->drops[ENGINE_DROP_QUEUE_FULL];
  }
  for (uint32_t t = 0; t < w->n_tunnels; t++) {
    const asic_tunnel *tu = &w->tunnels[t];
    engine_pg_tunnel_stats *ts = &rt->tstats[t];
    const char *rn = w->routers[tu->router].name;
    ts->tx_pkts = reg(r, ts->tx_pkts, "packets", "packets encrypted into the tunnel (ESP packets) in the window",
                      "tunnel.%s.%s.tx_pkts", rn, tu->name);
    ts->rx_pkts = reg(r, ts->rx_pkts, "packets", "packets decrypted out of the tunnel in the window",
                      "tunnel.%s.%s.rx_pkts", rn, tu->name);
    ts->wan_l1_bytes = reg(r, ts->wan_l1_bytes, "bytes", "ESP frames + 20 B of tx and rx (WAN side)",
                           "tunnel.%s.%s.l1_bytes", rn, tu->name);
    char pre[192];
    snprintf(pre, sizeof pre, "sa.%s.%s.out", rn, tu->name);
    if (!sa_stats_init(&ts->sa[ENGINE_ENCRYPT], r, pre, SA_STATS_OUT)) return false;
    snprintf(pre, sizeof pre, "sa.%s.%s.in", rn, tu->name);
    if (!sa_stats_init(&ts->sa[ENGINE_DECRYPT], r, pre, SA_STATS_IN)) return false;
  }
  for (uint32_t i = w->n_tunnels; i < rt->n_stats; i++) { /* `events:` generations >= 1 */
    const uint32_t t = rt->stats_tunnel[i];
    const asic_tunnel *tu = &w->tunnels[t];
    engine_pg_tunnel_stats *ts = &rt->tstats[i];
    const char *rn = w->routers[tu->router].name;
    ts->tx_pkts = rt->tstats[t].tx_pkts, ts->rx_pkts = rt->tstats[t].rx_pkts, ts->wan_l1_bytes = rt->tstats[t].wan_l1_bytes;
    char pre[192];
    snprintf(pre, sizeof pre, "sa.%s.%s.g%u.out", rn, tu->name, rt->stats_gen[i]);
    if (!sa_stats_init(&ts->sa[ENGINE_ENCRYPT], r, pre, SA_STATS_OUT)) return false;
    snprintf(pre, sizeof pre, "sa.%s.%s.g%u.in", rn, tu->name, rt->stats_gen[i]);
    if (!sa_stats_init(&ts->sa[ENGINE_DECRYPT], r, pre, SA_STATS_IN)) return false;
  }
  return true;
}

/* ipsec.ROUTER.*: the router's SAs summed, and the ESP its lookups dropped for an unknown SPI
 * (no SA matched: bad headers, as the ESP transform counts it). Counters of the window. */
static void publish_router(asic_world *w, stats_registry *r, uint32_t ri) {
  asic_ipsec_rt *rt = w->ipsec;
  uint64_t ctr[IPSEC_CTR_COUNT] = {0}, why[ESP_R_COUNT] = {0};
  for (uint32_t k = 0; k < rt->n_stats; k++) {
    if (w->tunnels[rt->stats_tunnel[k]].router != ri) continue;
    for (int d = 0; d < 2; d++) {
      const sa_stats *st = &rt->tstats[k].sa[d];
      for (int i = 0; i < IPSEC_CTR_COUNT; i++) ctr[i] += *st->c.v[i];
      for (int i = 0; i < ESP_R_COUNT; i++) why[i] += *st->reason[i];
    }
  }
  for (uint32_t s = 0; s < w->n_slices; s++)
    if (w->slices[s].router == ri) ctr[IPSEC_CTR_BAD_HEADERS] += *w->slices[s].unknown_spi_drops,
                                   why[ESP_R_UNKNOWN_SPI] += *w->slices[s].unknown_spi_drops,
                                   /* events: a route into a tunnel without its SA; ESP for a deleted SA
                                      (a bad header like an unknown SPI, its own finer reason) */
                                   ctr[IPSEC_CTR_NO_SA] += *w->slices[s].no_sa_drops,
                                   why[ESP_R_NO_SA] += *w->slices[s].no_sa_drops,
                                   ctr[IPSEC_CTR_BAD_HEADERS] += *w->slices[s].sa_deleted_drops,
                                   why[ESP_R_SA_DELETED] += *w->slices[s].sa_deleted_drops;
  char n[192];
  for (int i = 0; i < IPSEC_CTR_COUNT; i++) {
    snprintf(n, sizeof n, "ipsec.%s.%s", w->routers[ri].name, ipsec_ctr_name((ipsec_ctr)i));
    stats_counter *c = stats_counter_add(r, n, i == IPSEC_CTR_ENC_BYTES || i == IPSEC_CTR_DEC_BYTES ? "bytes" : "packets",
                                         ipsec_ctr_doc((ipsec_ctr)i));
    if (c) *c = ctr[i];
  }
  for (int i = 0; i < ESP_R_COUNT; i++) {
    if (!sa_stats_reason_named((esp_reason)i, SA_STATS_ALL)) continue;
    snprintf(n, sizeof n, "ipsec.%s.%s", w->routers[ri].name, esp_reason_name((esp_reason)i));
    stats_counter *c = stats_counter_add(r, n, "packets", "drops of this finer reason (its counter holds it too)");
    if (c) *c = why[i];
  }
}

void asic_ipsec_publish(asic_world *w, stats_registry *r) {
  asic_ipsec_rt *rt = w->ipsec;
  if (!rt) return;
  const double ws = sim_fs_to_s(w->w1 - w->w0);
  char b[96], n[192];
  for (uint32_t s = 0; s < w->n_slices; s++) {
    if (!rt->eng[s]) continue;
    engine *e = engine_pg_engine(rt->eng[s]);
    engine_metrics m;
    engine_metrics_of(e, &m);
    slice_base(w, s, b, sizeof b);
#define NAME(suffix) (snprintf(n, sizeof n, "%s.engine.%s", b, suffix), n)
    gauge(r, NAME("l1_gbps"), "Gbps", "released, WAN side: ESP frames + 20 B, both directions", m.l1_gbps);
    gauge(r, NAME("clear_l1_gbps"), "Gbps", "released, clear side: clear frames + 20 B, both directions",
          m.clear_l1_gbps);
    gauge(r, NAME("mpps"), "Mpps", "packets released (ESP packets on encrypt)", m.mpps);
    gauge(r, NAME("util"), "", "busy lane time / (lanes x window)", m.util);
    gauge(r, NAME("queue_max_pkts"), "packets", "maximum input FIFO occupancy", (double)m.queue_max_pkts);
    gauge(r, NAME("reorder_max_pkts"), "packets", "maximum packets waiting for per-SA order", (double)m.reorder_max_pkts);
    gauge(r, NAME("sa_cache_hit_rate"), "", "SA context cache hits / lookups in the window (1 with no lookup)",
          m.sa_cache_hit_rate);
#undef NAME
  }
  for (uint32_t ri = 0; ri < w->n_routers; ri++) {
    bool has = false;
    for (uint32_t t = 0; t < w->n_tunnels && !has; t++) has = w->tunnels[t].router == ri;
    if (has) publish_router(w, r, ri);
  }
  for (uint32_t t = 0; t < w->n_tunnels; t++) {
    const asic_tunnel *tu = &w->tunnels[t];
    snprintf(n, sizeof n, "tunnel.%s.%s.l1_gbps", w->routers[tu->router].name, tu->name);
    gauge(r, n, "Gbps", "ESP frames + 20 B encrypted into and decrypted out of the tunnel (WAN side)",
          ws > 0 ? (double)*rt->tstats[t].wan_l1_bytes * 8 / ws / 1e9 : 0.0);
  }
}

void asic_ipsec_finish(asic_world *w) {
  /* the run is over: nothing is left to happen in the engines; their window is then whole */
  for (uint32_t s = 0; w->ipsec && s < w->n_slices; s++)
    if (w->ipsec->eng[s]) engine_advance(engine_pg_engine(w->ipsec->eng[s]), w->w1 > w->t_end ? w->w1 : w->t_end);
}

/* The SA counters of the tunnels anchored at slice s against the engine's own counters (two
 * counting places): released packets per direction, drops per reason, host path. */
static bool sa_conservation(asic_world *w, uint32_t s, char *msg, size_t len) {
  const engine_counters *ec = engine_counters_of(engine_pg_engine(w->ipsec->eng[s]));
  uint64_t enc = 0, dec = 0, host = 0, why[ESP_R_COUNT] = {0}, want[ESP_R_COUNT] = {0};
  for (uint32_t k = 0; k < w->ipsec->n_stats; k++) {
    if (w->ipsec->tunnel_slice[w->ipsec->stats_tunnel[k]] != s) continue;
    const sa_stats *st = w->ipsec->tstats[k].sa;
    enc += *st[ENGINE_ENCRYPT].c.v[IPSEC_CTR_ENC_PKTS];
    dec += *st[ENGINE_DECRYPT].c.v[IPSEC_CTR_DEC_PKTS];
    host += *st[ENGINE_ENCRYPT].c.v[IPSEC_CTR_MTU_ICMP] + *st[ENGINE_DECRYPT].c.v[IPSEC_CTR_MTU_ICMP];
    for (int i = 0; i < ESP_R_COUNT; i++) why[i] += *st[0].reason[i] + *st[1].reason[i];
  }
  for (int d = 1; d < ENGINE_DROP_N; d++) {
    /* an engine reason maps to one ESP reason per direction; bad_descriptor splits by direction
     * and never happens on the ASIC's descriptors, so its two reasons are summed */
    want[engine_pg_drop_reason((engine_drop)d, ENGINE_ENCRYPT)] += *ec->drops[d];
  }
  /* payload real: the byte transform's own reasons stand in for the engine's icv_mismatch */
  const uint64_t *real = engine_pg_real_drops(w->ipsec->eng[s]);
  for (int i = 1; i < ESP_R_COUNT; i++) want[ESP_R_ICV_MISMATCH] -= real[i], want[i] += real[i];
  why[ESP_R_INNER_INVALID] += why[ESP_R_OUTER_MALFORMED];
  why[ESP_R_OUTER_MALFORMED] = 0;
  want[ESP_R_INNER_INVALID] += want[ESP_R_OUTER_MALFORMED];
  want[ESP_R_OUTER_MALFORMED] = 0;
  bool ok = enc == *ec->encrypt_pkts && dec == *ec->decrypt_pkts && host == *ec->host_pkts;
  for (int i = 1; i < ESP_R_COUNT && ok; i++) ok = i == ESP_R_MTU_ICMP_SENT || why[i] == want[i];
  if (!ok)
    snprintf(msg, len, "slice %u: SA counters (encrypted %llu, decrypted %llu, host %llu) do not match the engine's "
             "(%llu, %llu, %llu) or its drops by reason", s, (unsigned long long)enc, (unsigned long long)dec,
             (unsigned long long)host, (unsigned long long)*ec->encrypt_pkts, (unsigned long long)*ec->decrypt_pkts,
             (unsigned long long)*ec->host_pkts);
  return ok;
}

bool asic_ipsec_conservation(asic_world *w, char *msg, size_t len) {
  for (uint32_t s = 0; w->ipsec && s < w->n_slices; s++) {
    if (!w->ipsec->eng[s]) continue;
    if (!engine_conservation(engine_pg_engine(w->ipsec->eng[s]), msg, len)) return false;
    if (!sa_conservation(w, s, msg, len)) return false;
  }
  return true;
}

void asic_ipsec_summary(asic_world *w, FILE *fp) {
  asic_ipsec_rt *rt = w->ipsec;
  if (!rt) return;
  fprintf(fp, "\n%-28s %7s %10s %10s %9s %s\n", "engine", "util", "WAN Gbit/s", "clr Gbit/s", "Mpps", "drops");
  char b[96];
  for (uint32_t s = 0; s < w->n_slices; s++) {
    if (!rt->eng[s]) continue;
    engine *e = engine_pg_engine(rt->eng[s]);
    engine_metrics m;
    engine_metrics_of(e, &m);
    const engine_counters *c = engine_counters_of(e);
    char dn[256] = "0";
    size_t k = 0;
    for (int d = 1; d < ENGINE_DROP_N; d++) {
      if (!*c->drops[d]) continue;
      k += (size_t)snprintf(dn + k, k < sizeof dn ? sizeof dn - k : 0, "%s%llu %s", k ? ", " : "",
                            (unsigned long long)*c->drops[d], engine_drop_names[d]);
      if (k >= sizeof dn) break;
    }
    slice_base(w, s, b, sizeof b);
    fprintf(fp, "%-28s %7.4f %10.3f %10.3f %9.3f %s\n", b, m.util, m.l1_gbps, m.clear_l1_gbps, m.mpps, dn);
  }
}
