/* Closed forms of the slices' IPsec engines for the scenario's offered mix (asic_analytic.h):
 * which datagrams reach which engine, with which SA shape and weight, handed to
 * engine_closed_form (ipsec_engine/engine_analytic.c: the engine's own lane arithmetic with
 * the same rounded clock period the simulated engine uses).
 *
 * What enters an engine (DESIGN "Where the engine sits"):
 *  - encrypt: a flow's destination address resolves, at its ingress router (or at a router
 *    its clear packets reach over links), to SLICE_NH_TUNNEL(t): tunnel t's outbound SA on
 *    the engine of t's anchor slice;
 *  - decrypt: the same datagrams on the inbound SA of t's peer (the other end of the VPN in
 *    this scenario), on the peer's anchor engine; and every `esp_of: t` stream, on t's
 *    inbound SA at t's anchor.
 * Weights are offered clear datagram rates (flow_datagram_pps), upstream losses ignored, as
 * for the other resources. The clear side of a decrypted pre-fragmented datagram is its
 * fragments (clear_side_bytes: what the engine's clear_l1_bytes counts; engine_closed_form
 * counts the datagram's frame once on both sides). Each frame size of a flow is one entry (a
 * `frame: {uniform: [lo, hi]}` flow: every integer size in [lo, hi], equally likely). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic_analytic.h"
#include "asic_report.h"

uint32_t asic_engine_sa_index(const asic_world *w, uint32_t t, engine_dir dir) {
  uint32_t k = 0; /* tunnels anchored on the same slice before t, in input order */
  for (uint32_t i = 0; i < t; i++) k += w->tunnels[i].slice == w->tunnels[t].slice;
  return 2 * k + (dir == ENGINE_DECRYPT ? 1u : 0u);
}

typedef struct mix_builder {
  asic_world *w;
  uint32_t slice;
  engine_sa *shapes;          /* [2 * n_tunnels]: out, in of each tunnel */
  engine_mix_entry *mix;
  size_t n, cap;
  double offered_dgram_pps;   /* datagrams/s offered to this engine */
  bool random;                /* a stream reaching it draws its addresses at random */
  bool cur_random;            /* the stream being added does */
  uint32_t cur_stream, cur_slot; /* the flow being added (its index) and its address */
  bool oom;
} mix_builder;

static void add_entry(mix_builder *b, uint32_t t, engine_dir dir, uint32_t frame, uint8_t family, double pps) {
  const asic_tunnel *tn = &b->w->tunnels[t];
  if (tn->slice != b->slice || !(pps > 0) || frame < ENGINE_MIN_FRAME) return;
  if (b->n == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 16;
    engine_mix_entry *m = realloc(b->mix, cap * sizeof *m);
    if (!m) {
      b->oom = true;
      return;
    }
    b->mix = m, b->cap = cap;
  }
  b->mix[b->n++] = (engine_mix_entry){.clear_ip_bytes = frame - ENGINE_ETH_OVERHEAD,
                                       .inner_family = family,
                                       .weight = pps,
                                       .sa = &b->shapes[2 * t + (dir == ENGINE_DECRYPT)],
                                       .sa_index = asic_engine_sa_index(b->w, t, dir),
                                       .stream = b->cur_stream,
                                       .slot = b->cur_slot};
  b->offered_dgram_pps += pps;
  b->random |= b->cur_random;
}

/* One frame size of flow f (pps datagrams/s of that size) through route key `key`. */
static void add_size(mix_builder *b, const asic_flow *f, uint32_t key, uint32_t frame, double pps) {
  asic_world *w = b->w;
  if (f->esp_of != ASIC_NONE) {
    add_entry(b, f->esp_of, ENGINE_DECRYPT, frame, f->family, pps);
    return;
  }
  uint32_t router = f->router;
  for (uint32_t hop = 0; hop <= ASIC_MAX_HOPS; hop++) {
    int32_t nh = asic_world_next_hop(w, key, router);
    if (SLICE_NH_IS_TUNNEL(nh)) {
      uint32_t t = SLICE_NH_TUNNEL_INDEX(nh);
      if (t >= w->n_tunnels) return;
      add_entry(b, t, ENGINE_ENCRYPT, frame, f->family, pps);
      if (w->tunnels[t].peer != ASIC_NONE) add_entry(b, w->tunnels[t].peer, ENGINE_DECRYPT, frame, f->family, pps);
      return;
    }
    if (nh < 0 || w->ports[nh].peer < 0) return; /* delivered, local, no route */
    router = w->ports[w->ports[nh].peer].router;  /* clear, over a link to the next router */
  }
}

/* ESP wire bytes (frames + 20 B) of one clear frame of `frame` bytes on tunnel t's inbound
 * shape: what an esp_of source sends for it, one ESP packet per fragment. */
static double esp_wire_bytes(const mix_builder *b, uint32_t t, uint32_t frame, uint8_t family) {
  engine_esp_plan plan;
  const engine_sa *in_sa = &b->shapes[2 * t + 1];
  if (frame < ENGINE_MIN_FRAME ||
      engine_esp_plan_encrypt(in_sa, family, false, frame - ENGINE_ETH_OVERHEAD, &plan) != ENGINE_PLAN_OK)
    return (double)engine_frame_bytes(engine_esp_shape_of(in_sa, frame - ENGINE_ETH_OVERHEAD).esp_ip_bytes) + 20;
  double bytes = 0;
  for (uint32_t k = 0; k < plan.n; k++) bytes += engine_frame_bytes(engine_plan_at(&plan, k)->esp_ip_bytes) + 20.0;
  return bytes;
}

/* Offered clear datagrams per second. A clear stream: rate / (8 x (mean frame + 20)). An
 * esp_of stream: its source (asic_sim.c next_esp) paces the ESP frames it puts on the wire at
 * `rate` (L1), so rate / (8 x mean ESP wire bytes per inner frame). NOTE: asic_ipsec.h says
 * an esp_of stream's rate describes the inner traffic; the source does not (reported). */
static double flow_datagram_pps(const mix_builder *b, const asic_flow *f) {
  if (f->esp_of == ASIC_NONE || f->esp_of >= b->w->n_tunnels) return asic_flow_offered_pps(f);
  double sum = 0;
  uint32_t n = 0;
  if (f->fkind == FRAME_UNIFORM) {
    for (uint32_t s = f->lo; s <= f->hi; s++, n++) sum += esp_wire_bytes(b, f->esp_of, s, f->family);
  } else {
    n = f->fkind == FRAME_FIXED ? 1 : f->n_sizes;
    for (uint32_t i = 0; i < n; i++) sum += esp_wire_bytes(b, f->esp_of, f->sizes[i], f->family);
  }
  return n && sum > 0 ? f->rate_bps / (8.0 * sum / n) : 0;
}

static void add_flow(mix_builder *b, const asic_flow *f) {
  const double pps = flow_datagram_pps(b, f);
  b->cur_random = f->addr_random && f->n_addr > 1;
  b->cur_stream = (uint32_t)(f - b->w->flows);
  const uint32_t n_addr = f->n_addr ? f->n_addr : 1;
  for (uint32_t a = 0; a < n_addr; a++) {
    b->cur_slot = a;
    const double per_addr = pps / n_addr;
    if (f->fkind == FRAME_UNIFORM) {
      for (uint32_t s = f->lo; s <= f->hi; s++) add_size(b, f, f->first_key + a, s, per_addr / (f->hi - f->lo + 1));
    } else {
      uint32_t n = f->fkind == FRAME_FIXED ? 1 : f->n_sizes;
      for (uint32_t i = 0; i < n; i++) add_size(b, f, f->first_key + a, f->sizes[i], per_addr / n);
    }
  }
}

/* Clear-side L1 bytes of one mix entry: encrypt takes the clear datagram's frame; decrypt
 * gives back one frame per ESP packet (a pre-fragmented datagram leaves as its fragments, as
 * the engine's clear_l1_bytes counts them). */
static double clear_side_bytes(const engine_mix_entry *m) {
  engine_esp_plan plan;
  if (m->sa->dir != ENGINE_DECRYPT ||
      engine_esp_plan_encrypt(m->sa, m->inner_family, false, m->clear_ip_bytes, &plan) != ENGINE_PLAN_OK)
    return engine_frame_bytes(m->clear_ip_bytes) + 20.0;
  double bytes = 0;
  for (uint32_t k = 0; k < plan.n; k++) bytes += engine_frame_bytes(engine_plan_at(&plan, k)->inner_bytes) + 20.0;
  return bytes;
}

bool asic_engine_ceiling(asic_world *w, uint32_t slice, asic_engine_cf *out, char *why, size_t why_len) {
  memset(out, 0, sizeof *out);
  bool anchored = false;
  for (uint32_t t = 0; t < w->n_tunnels; t++) anchored |= w->tunnels[t].slice == slice;
  if (!anchored) return true; /* no SA here: no engine load */
  mix_builder b = {.w = w, .slice = slice};
  b.shapes = calloc(2 * (size_t)w->n_tunnels, sizeof *b.shapes);
  if (!b.shapes) {
    snprintf(why, why_len, "out of memory");
    return false;
  }
  for (uint32_t t = 0; t < w->n_tunnels; t++) {
    engine_sa_from_config(&w->tunnels[t].out, &b.shapes[2 * t]);
    engine_sa_from_config(&w->tunnels[t].in, &b.shapes[2 * t + 1]);
  }
  for (uint32_t fi = 0; fi < w->n_flows && !b.oom; fi++) add_flow(&b, &w->flows[fi]);
  bool ok = !b.oom;
  if (b.oom) snprintf(why, why_len, "out of memory");
  if (ok && b.n) {
    ok = engine_closed_form(&w->routers[w->slices[slice].router].p.engine, b.mix, b.n, &out->c, why, why_len);
    out->loaded = ok;
    double wsum = 0, clear = 0;
    for (size_t i = 0; i < b.n; i++) wsum += b.mix[i].weight, clear += b.mix[i].weight * clear_side_bytes(&b.mix[i]);
    if (ok && wsum > 0) out->c.clear_l1_gbps = out->c.datagram_mpps * 1e6 * clear / wsum * 8 / 1e9;
    out->offered_dgram_mpps = b.offered_dgram_pps / 1e6;
    if (ok) { /* the SA cache: distinct SAs of the mix are the active ones; each flow one stream */
      uint8_t *seen = calloc(2 * (size_t)w->n_tunnels + 2, 1);
      for (size_t i = 0; seen && i < b.n; i++)
        if (!seen[b.mix[i].sa_index]) seen[b.mix[i].sa_index] = 1, out->active_sas++;
      free(seen);
      out->order = b.random ? ENGINE_SA_ORDER_RANDOM : ENGINE_SA_ORDER_ROUND_ROBIN;
      engine_sa_order *orders = calloc(w->n_flows ? w->n_flows : 1, sizeof *orders);
      for (uint32_t fi = 0; orders && fi < w->n_flows; fi++)
        orders[fi] = w->flows[fi].addr_random && w->flows[fi].n_addr > 1 ? ENGINE_SA_ORDER_RANDOM
                                                                          : ENGINE_SA_ORDER_ROUND_ROBIN;
      char cwhy[256];
      out->cache_ok = orders && engine_cache_closed_form_streams(&w->routers[w->slices[slice].router].p.engine, b.mix,
                                                                 b.n, orders, w->n_flows, &out->cache, cwhy, sizeof cwhy);
      free(orders);
      /* the cache-aware clear side, scaled like the lanes-alone one */
      if (out->cache_ok && out->cache.lanes.clear_l1_gbps > 0)
        out->cache.c.clear_l1_gbps *= out->c.clear_l1_gbps / out->cache.lanes.clear_l1_gbps;
    }
    /* what the offered datagrams are on each side, at the ceiling's per-datagram shape */
    if (ok && out->c.datagram_mpps > 0) {
      double scale = out->offered_dgram_mpps / out->c.datagram_mpps;
      out->offered_mpps = out->c.mpps * scale;
      out->offered_l1_gbps = out->c.l1_gbps * scale;
      out->offered_clear_l1_gbps = out->c.clear_l1_gbps * scale;
    }
  }
  free(b.mix);
  free(b.shapes);
  return ok;
}

static void gauge(stats_registry *r, const char *name, const char *unit, const char *desc, double v) {
  double *g = stats_gauge_add(r, name, unit, desc);
  if (g) *g = v;
}

void asic_engine_slice_name(const asic_world *w, uint32_t slice, char *out, size_t len) {
  const asic_slice *s = &w->slices[slice];
  const asic_router *r = &w->routers[s->router];
  uint32_t asic0 = w->slices[r->first_asic_slice].asic;
  snprintf(out, len, "%s.asic%u.slice%u", r->name, s->asic - asic0, s->index);
}

void asic_analytic_publish_engines(asic_world *w, stats_registry *r) {
  for (uint32_t s = 0; s < w->n_slices; s++) {
    asic_engine_cf cf;
    char why[256], base[96], n[192];
    if (!asic_engine_ceiling(w, s, &cf, why, sizeof why) || !cf.loaded) continue;
    asic_engine_slice_name(w, s, base, sizeof base);
#define NAME(suffix) (snprintf(n, sizeof n, "analytic.%s.engine.%s", base, suffix), n)
    gauge(r, NAME("ceiling_mpps"), "Mpps", "engine closed form for the offered mix: ESP packets per second", cf.c.mpps);
    gauge(r, NAME("ceiling_l1_gbps"), "Gbps", "engine closed form, WAN side (ESP frames + 20 B), both directions",
          cf.c.l1_gbps);
    gauge(r, NAME("ceiling_clear_l1_gbps"), "Gbps", "engine closed form, clear side (clear frames + 20 B)",
          cf.c.clear_l1_gbps);
    gauge(r, NAME("ceiling_datagram_mpps"), "Mpps", "engine closed form: clear datagrams per second", cf.c.datagram_mpps);
    gauge(r, NAME("cycles_per_datagram"), "cycles", "mean lane cycles per clear datagram (overhead included)",
          cf.c.cycles_per_datagram);
    gauge(r, NAME("offered_mpps"), "Mpps", "ESP packets the flows offer (upstream losses ignored)", cf.offered_mpps);
    gauge(r, NAME("offered_l1_gbps"), "Gbps", "WAN-side load the flows offer (upstream losses ignored)",
          cf.offered_l1_gbps);
    if (cf.cache_ok) { /* engine_analytic_cache.c */
      const engine_cache_ceiling *k = &cf.cache;
      gauge(r, NAME("sa_cache_active_sas"), "SAs", "SAs the offered mix reaches on this engine", cf.active_sas);
      gauge(r, NAME("sa_cache_hit_rate"), "", "LRU hit rate of the interleaved streams (each round-robin or "
            "random over its addresses' SAs; characteristic-time rule, engine_analytic_lru.c)", k->hit_rate);
      gauge(r, NAME("sa_cache_fill_bound_mpps"), "Mpps", "the fill port's bound: 1 / ((1 - hit rate) x (F + 1) x T) "
            "datagrams per second (0: no miss)", k->fill_bound_dgram_mpps);
      gauge(r, NAME("sa_cache_ceiling_mpps"), "Mpps", "engine ceiling with SA cache misses, saturated: ESP packets "
            "per second", k->c.mpps);
      gauge(r, NAME("sa_cache_ceiling_l1_gbps"), "Gbps", "engine ceiling with SA cache misses, WAN side", k->c.l1_gbps);
      gauge(r, NAME("sa_cache_ceiling_clear_l1_gbps"), "Gbps", "engine ceiling with SA cache misses, clear side",
            k->c.clear_l1_gbps);
    }
#undef NAME
  }
}

/* `params --analytic`, the engine part: one slice's engine for each frame size on the
 * calibration SA shape (DESIGN: IPv4 inner and outer, no UDP, 32-bit sequence numbers; the
 * default tunnel MTU 9000, so a 9000 B frame is pre-fragmented), encrypt and decrypt alike.
 * Binding for IPsec: half encrypt, half decrypt through that engine, the ports off PG0. Per
 * direction, per pair of datagrams (one each way), PG0 carries one clear and one ESP frame
 * (PG0.out into the engine, PG0.in back), slice.in and slice.out each two of each (arrival
 * and return; to PG0 and to the egress port); every datagram is looked up 1 + (its ESP
 * packets) times (before and after the engine). */
void asic_analytic_print_engine(const asic_params *p, const uint32_t *sizes, size_t n, FILE *fp) {
  const engine_params *e = &p->engine;
  const engine_sa shape = {.dir = ENGINE_ENCRYPT, .outer_family = 4, .udp = SA_UDP_NONE, .tunnel_mtu = 9000,
                        .df = SA_DF_CLEAR};
  const double lk = (double)(p->lookup_ppes * p->lookup_threads_per_ppe) /
                    ((double)p->lookup_cycles * sim_fs_to_s(sim_period_fs(p->lookup_clock)));
  fprintf(fp, "\nIPsec engine of one slice: %llu lanes x %.4g GHz (%lld fs period, rounded once), %llu overhead cycles per packet, "
          "sa_dispatch %s\n", (unsigned long long)e->lanes, e->clock / 1e9, (long long)sim_period_fs(e->clock),
          (unsigned long long)e->overhead_cycles, e->sa_dispatch == ENGINE_PIN ? "pin (one SA: one lane)" : "spray");
  fprintf(fp, "SA shape: IPv4 inner and outer, no UDP, 32-bit sequence numbers, tunnel MTU 9000 (larger datagrams are "
          "pre-fragmented); lane cycles = overhead + ceil(A/16) + ceil(P/16) + 2 per ESP packet\n");
  fprintf(fp, "%7s | %4s | %6s | %8s | %9s | %9s | %9s | %9s | %9s | %s\n", "frame B", "ESP", "cycles", "dgram Mpps",
          "WAN L1 G", "clear L1 G", "PG0 Mpps", "lookup", "slice", "binding (IPsec enc+dec, one engine, ports off PG0)");
  for (size_t i = 0; i < n; i++) {
    const engine_mix_entry m = {.clear_ip_bytes = sizes[i] - ENGINE_ETH_OVERHEAD, .inner_family = 4, .weight = 1, .sa = &shape};
    engine_ceiling c;
    char why[160];
    if (sizes[i] < ENGINE_MIN_FRAME || !engine_closed_form(e, &m, 1, &c, why, sizeof why)) {
      fprintf(fp, "%7u | not carried by the engine\n", sizes[i]);
      continue;
    }
    const double dg = c.datagram_mpps * 1e6, esp = c.mpps / c.datagram_mpps;
    const double bytes_both = (c.l1_gbps + c.clear_l1_gbps) * 1e9 / 8 / dg; /* clear + ESP L1 bytes */
    struct { const char *name; double cap; } cand[] = {
        {"engine", dg}, {"PG0", p->pg_bw / (8 * bytes_both / 2)}, {"lookup", lk / (1 + esp)},
        {"slice", p->slice_bw / (8 * bytes_both)}};
    size_t b = 0;
    for (size_t k = 1; k < sizeof cand / sizeof cand[0]; k++)
      if (cand[k].cap < cand[b].cap) b = k;
    fprintf(fp, "%7u | %4.0f | %6.1f | %8.3f | %9.2f | %9.2f | %9.3f | %9.3f | %9.3f | %s", sizes[i], esp,
            c.cycles_per_datagram, c.datagram_mpps, c.l1_gbps, c.clear_l1_gbps, cand[1].cap / 1e6, cand[2].cap / 1e6,
            cand[3].cap / 1e6, cand[b].name);
    if (b) fprintf(fp, " (engine alone: %.2f G WAN L1)", c.l1_gbps);
    fprintf(fp, "\n");
  }
  asic_analytic_print_engine_cache(e, &shape, sizes, n, fp);
}

/* The SA context cache's closed forms (engine_analytic_cache.c) for the same shape: N tunnels
 * = 2N active SAs on the engine (both directions), visited round-robin or at random. */
void asic_analytic_print_engine_cache(const engine_params *e, const engine_sa *shape, const uint32_t *sizes, size_t n,
                                      FILE *fp) {
  const uint32_t tunnels[] = {1, 100, 1000, 2000};
  engine_sa aes256 = *shape;
  fprintf(fp, "\nSA context cache of the engine: %llu entries (SAs), LRU over entries not in use, one fill port, "
          "a miss holds the FIFO head (never a lane) for F = %llu cycles (%s); N tunnels = 2N active SAs; saturated "
          "ceilings (exact stationary mean for spray, min of the bounds for pin); fill bound = 1 / ((1-h) F T)\n",
          (unsigned long long)e->sa_cache_entries,
          (unsigned long long)(e->sa_miss_cycles ? e->sa_miss_cycles : gcm_key_fill_cycles(256)),
          e->sa_miss_cycles ? "engine.sa_miss_cycles" : "gcm_key_fill_cycles(256); AES-128: 23");
  fprintf(fp, "%7s | %7s | %8s %10s | %8s %10s %10s | %s\n", "frame B", "tunnels", "rr hit", "rr Mpps", "rand hit",
          "rand Mpps", "fill bound", "lanes alone Mpps");
  aes256.key_bits = 256;
  for (size_t i = 0; i < n; i++) {
    if (sizes[i] < ENGINE_MIN_FRAME) continue;
    const engine_mix_entry m = {.clear_ip_bytes = sizes[i] - ENGINE_ETH_OVERHEAD, .inner_family = 4, .weight = 1,
                                .sa = &aes256, .sa_index = 0};
    for (size_t k = 0; k < sizeof tunnels / sizeof tunnels[0]; k++) {
      engine_cache_ceiling rr, rnd;
      char why[256];
      if (!engine_cache_closed_form(e, &m, 1, 2u * tunnels[k], ENGINE_SA_ORDER_ROUND_ROBIN, &rr, why, sizeof why) ||
          !engine_cache_closed_form(e, &m, 1, 2u * tunnels[k], ENGINE_SA_ORDER_RANDOM, &rnd, why, sizeof why)) {
        fprintf(fp, "%7u | %7u | %s\n", sizes[i], tunnels[k], why);
        continue;
      }
      fprintf(fp, "%7u | %7u | %8.4f %10.3f | %8.4f %10.3f %10.3f | %.3f\n", sizes[i], tunnels[k], rr.hit_rate,
              rr.c.mpps, rnd.hit_rate, rnd.c.mpps, rnd.fill_bound_dgram_mpps, rr.lanes.mpps);
    }
  }
}

/* The tunnel a flow enters at its ingress router (esp_of, or a route via st0.N), ASIC_NONE. */
static uint32_t flow_tunnel(const asic_world *w, const asic_flow *f) {
  if (f->esp_of != ASIC_NONE) return f->esp_of;
  const int32_t nh = asic_world_next_hop(w, f->first_key, f->router);
  return SLICE_NH_IS_TUNNEL(nh) && SLICE_NH_TUNNEL_INDEX(nh) < w->n_tunnels ? SLICE_NH_TUNNEL_INDEX(nh) : ASIC_NONE;
}

/* The run summary's engine lines: where each loaded engine's ceiling comes from (its
 * parameters and the mix's mean lane cycles) beside what the run measured. */
void asic_analytic_engine_summary(asic_world *w, FILE *fp) {
  for (uint32_t s = 0; s < w->n_slices; s++) {
    asic_engine_cf cf;
    char why[256], base[96], n[160];
    if (!asic_engine_ceiling(w, s, &cf, why, sizeof why) || !cf.loaded) continue;
    const engine_params *e = &w->routers[w->slices[s].router].p.engine;
    asic_engine_slice_name(w, s, base, sizeof base);
    /* one frame size offered: name it; otherwise "the offered mix" */
    const asic_flow *one = NULL;
    bool single = true;
    for (uint32_t fi = 0; fi < w->n_flows && single; fi++) {
      const asic_flow *f = &w->flows[fi];
      const uint32_t t = flow_tunnel(w, f);
      const bool here = t != ASIC_NONE && (w->tunnels[t].slice == s ||
                                           (f->esp_of == ASIC_NONE && w->tunnels[t].peer != ASIC_NONE &&
                                            w->tunnels[w->tunnels[t].peer].slice == s));
      if (!here) continue;
      if (f->fkind != FRAME_FIXED || (one && one->sizes[0] != f->sizes[0])) single = false;
      one = f;
    }
    char at[48];
    if (single && one) snprintf(at, sizeof at, "at %u B", one->sizes[0]);
    else snprintf(at, sizeof at, "for the offered mix");
    double meas = 0, util = 0;
    snprintf(n, sizeof n, "%s.engine.l1_gbps", base);
    bool have = asic_metric(w, n, &meas);
    snprintf(n, sizeof n, "%s.engine.util", base);
    asic_metric(w, n, &util);
    fprintf(fp, "engine %s: %llu lanes x %.4g GHz / (%llu+%.4g) cycles %s = %.2f Mpps = %.1f Gbit/s WAN L1 "
            "(%.1f clear)", base, (unsigned long long)e->lanes, e->clock / 1e9, (unsigned long long)e->overhead_cycles,
            cf.c.cycles_per_datagram * cf.c.datagram_mpps / cf.c.mpps - (double)e->overhead_cycles, at, cf.c.mpps,
            cf.c.l1_gbps, cf.c.clear_l1_gbps);
    if (have) fprintf(fp, ", measured %.1f (util %.3f)\n", meas, util);
    else fprintf(fp, ", measured -\n");
  }
}
