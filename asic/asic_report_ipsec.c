/* Stats names, gauges and summary lines of the IPsec engines and tunnels (asic_ipsec_rt.h).
 * Window semantics as every resource: counters count inside [w0, w1), gauges divide by the
 * window. Names exist only when the world has tunnels (clear scenarios' reports unchanged). */
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
  }
  return true;
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

bool asic_ipsec_conservation(asic_world *w, char *msg, size_t len) {
  for (uint32_t s = 0; w->ipsec && s < w->n_slices; s++)
    if (w->ipsec->eng[s] && !engine_conservation(engine_pg_engine(w->ipsec->eng[s]), msg, len)) return false;
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
