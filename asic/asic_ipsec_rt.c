/* Run-time IPsec state: SAs on the anchor engines, gateway keys, SPI demux, the engines at
 * PG0; see asic_ipsec_rt.h. Composes ipsec_engine/engine_pg.h and pfe/slice.h; the engine input FIFO joins the
 * resource registry (asic_analytic.h) for its occupancy series. */
#include "asic_ipsec_rt.h"
#include "asic_analytic.h"

#include "asic_ipsec_bytes.h"

#include "asic_events.h"

#include <stdlib.h>
#include <string.h>

/* ---- services the engine adapter reaches (engine_pg_host) ---- */

static void h_push(void *ctx, uint32_t slice, sim_fs t, uint32_t kind, uint32_t aux, const sim_pkt *pkt) {
  asic_block_push(ctx, slice, t, kind, aux, pkt);
}
static bool h_ret(void *ctx, uint32_t slice, sim_fs t, const sim_pkt *pkt) {
  return asic_block_return(ctx, slice, t, pkt);
}
static void h_credit(void *ctx, uint32_t slice, uint32_t bytes, sim_fs t) { asic_block_credit(ctx, slice, bytes, t); }
static void h_drop(void *ctx, uint32_t slice, const sim_pkt *pkt, engine_out_kind kind, engine_drop why, sim_fs t) {
  asic_world *w = ctx;
  sim_drop d = kind == ENGINE_OUT_HOST ? DROP_HOST_PATH
               : why == ENGINE_DROP_QUEUE_FULL ? DROP_ENGINE_QUEUE_FULL : DROP_ENGINE_ESP;
  if (d == DROP_HOST_PATH && !host_policer_pass(&w->slices[slice].policer, t)) {
    /* the engine's census holds the loss; the slice's window counter names it */
    asic_slice *s = &w->slices[slice];
    if (t >= s->lk.w0 && t < s->lk.w1) (*s->host_policer_drops)++;
    d = DROP_HOST_POLICER;
  }
  sim_world_drop(ctx, pkt, d, t);
}
static uint8_t h_family(void *ctx, uint32_t key) {
  const asic_world *w = ctx;
  return key < w->n_keys ? w->keys[key].family : 4;
}

static bool h_run_now(void *ctx, uint32_t slice, sim_fs t, uint64_t pid) {
  asic_world *w = ctx;
  if (!sim_world_runs_next(w, slice, t, pid)) return false;
  sim_world_count_event(w, t);
  return true;
}

/* One route key per gateway address (the ESP a peer sends carries its remote key; the demux
 * matches it against the local one): an address already registered keeps its key. */
static uint32_t gateway_key(asic_world *w, const sa_addr *a) {
  for (uint32_t k = 0; k < w->n_keys; k++)
    if (w->keys[k].family == a->family && !memcmp(w->keys[k].addr, a->b, a->family == 4 ? 4 : 16)) return k;
  uint8_t addr[16] = {0};
  memcpy(addr, a->b, a->family == 4 ? 4 : 16);
  return asic_world_route_key(w, a->family, addr);
}

/* The local gateways' host routes (/32, /128) with next hop SLICE_NH_LOCAL on their router,
 * where the loader has not added them; keys registered before are resolved again. */
static bool local_routes(asic_world *w) {
  bool added = false;
  for (uint32_t t = 0; t < w->n_tunnels; t++) {
    const asic_tunnel *tu = &w->tunnels[t];
    const sa_addr *a = &tu->out.local;
    route_table *rt = &w->routers[tu->router].routes;
    if (route_lookup(rt, a->family, a->b) == SLICE_NH_LOCAL) continue;
    if (!route_add(rt, a->family, a->b, a->family == 4 ? 32 : 128, SLICE_NH_LOCAL)) return false;
    added = true;
  }
  for (uint32_t k = 0; added && k < w->n_keys; k++)
    for (uint32_t r = 0; r < w->n_routers; r++)
      asic_world_set_next_hop(w, k, r, route_lookup(&w->routers[r].routes, w->keys[k].family, w->keys[k].addr));
  return true;
}

/* The SPI demux: (router, local gateway key, inbound SPI) -> anchor slice, inbound SA, and
 * the times the SA exists (`events:`; else the whole run). */
static bool spi_insert(asic_ipsec_rt *rt, asic_world *w, uint32_t t, uint32_t spi, uint32_t sa_i, sim_fs from, sim_fs until,
                       char *err, size_t errlen) {
  const asic_tunnel *tu = &w->tunnels[t];
  uint32_t key = rt->local_key[t];
  for (uint32_t i = slice_spi_hash(tu->router, key, spi) & rt->tab.spi_mask;; i = (i + 1) & rt->tab.spi_mask) {
    slice_spi_entry *e = &rt->spi[i];
    if (e->router == UINT32_MAX) {
      *e = (slice_spi_entry){tu->router, key, spi, rt->tunnel_slice[t], sa_i, from, until};
      return true;
    }
    if (e->router == tu->router && e->key == key && e->spi == spi) {
      char gw[64];
      sa_format_addr(&tu->in.local, gw, sizeof gw);
      snprintf(err, errlen, "%s: ipsec.tunnels[].spi_in: 0x%08x of tunnel %s is already the inbound SPI of another "
               "tunnel%s on gateway %s (allowed: one inbound SA per gateway and SPI)", tu->where, spi, tu->name,
               w->sa_events ? " or SA generation (events:)" : "", gw);
      return false;
    }
  }
}

/* The SA pairs of slice s in local order, with their bindings: every tunnel's declared pair
 * (tunnel order), then the `events:` generations >= 1 (in pairs: pinned lanes as the first).
 * Every SA a router gets, with the time it is installed (from[i]: 0 = from the start,
 * SIM_FS_NEVER = never), passes here (the byte path's databases take the same tunnels and
 * generations, asic_ipsec_bytes_start); the deletions are the generations' until times
 * (asic_events.h), which the SPI demux and the outbound epochs carry. */
static uint32_t slice_sas(const asic_world *w, const asic_ipsec_rt *rt, uint32_t s, engine_sa *sas, engine_pg_sa *bind,
                          sim_fs *from, const sa_config **cfg) {
  uint32_t n = 0;
  const asic_events *ev = w->sa_events;
  for (uint32_t t = 0; t < w->n_tunnels; t++) {
    if (rt->tunnel_slice[t] != s) continue;
    const asic_sa_gen *g0 = ev ? &ev->gens[ev->first[t]] : NULL;
    from[n] = from[n + 1] = g0 ? g0->out_from : 0;
    const sa_config *out = g0 ? &g0->out : &w->tunnels[t].out, *in = g0 ? &g0->in : &w->tunnels[t].in;
    cfg[n] = out, cfg[n + 1] = in;
    engine_sa_from_config(out, &sas[n]);
    bind[n++] = (engine_pg_sa){t, out->spi, rt->remote_key[t]};
    engine_sa_from_config(in, &sas[n]);
    bind[n++] = (engine_pg_sa){t, in->spi, rt->local_key[t]};
  }
  for (uint32_t k = 0; ev && k < ev->n_gens; k++) {
    const asic_sa_gen *g = &ev->gens[k];
    if (!g->gen || rt->tunnel_slice[g->tunnel] != s) continue;
    from[n] = from[n + 1] = g->out_from;
    cfg[n] = &g->out, cfg[n + 1] = &g->in;
    engine_sa_from_config(&g->out, &sas[n]);
    bind[n++] = (engine_pg_sa){rt->gen_stats[k], g->out.spi, rt->remote_key[g->tunnel]};
    engine_sa_from_config(&g->in, &sas[n]);
    bind[n++] = (engine_pg_sa){rt->gen_stats[k], g->in.spi, rt->local_key[g->tunnel]};
  }
  return n;
}

static void engine_queue_series(struct sim_world *w, void *ctx, uint32_t s, occ_series *q) {
  (void)ctx;
  if (w->ipsec && w->ipsec->eng[s]) engine_set_series(engine_pg_engine(w->ipsec->eng[s]), q);
}

/* The engine's input FIFO in the registry as SLICE.engine (its metrics' prefix): a holder with
 * a queue series only (the census, drops and figures stay the PG0 attachment point's). */
static bool register_engine_queue(asic_world *w, uint32_t s) {
  const asic_slice *sl = &w->slices[s];
  asic_res q = {.kind = RES_HOLDER, .attach_series = engine_queue_series, .index = s};
  snprintf(q.name, sizeof q.name, "%s.asic%u.slice%u.engine", w->routers[sl->router].name,
           sl->asic - w->slices[w->routers[sl->router].first_asic_slice].asic, sl->index);
  return asic_registry_add(w, &q);
}

/* --gcm-model rtl: the slice's engine on the Verilated core, SA i (slice_sas order: cfg[i]) in
 * key slot i (keys go to the core and OpenSSL only). at_start[i]: keyed before cycle 0; the
 * others (`events:` installs, from[i] != 0) through the core's key-setup port when the engine
 * installs them (engine_pg_schedule_install -> engine_install_sa). IPSECSIM_RTL_TEST_FAULT=
 * extra_stage|flip_bit|late_install selects a test-only fault (tests/rtl/cosim_run.py: the
 * scoreboard must catch it). */
static bool use_rtl(asic_ipsec_rt *rt, uint32_t s, uint32_t n, const sa_config *const *cfg, const bool *at_start,
                    char *why, size_t len) {
  const uint8_t **keys = malloc((n ? n : 1) * sizeof *keys);
  uint8_t *klen = malloc(n ? n : 1);
  if (!keys || !klen) return free(keys), free(klen), snprintf(why, len, "out of memory"), false;
  for (uint32_t i = 0; i < n; i++) keys[i] = cfg[i]->key, klen[i] = (uint8_t)cfg[i]->key_len;
  const char *f = getenv("IPSECSIM_RTL_TEST_FAULT");
  const int fault = !f ? 0 : !strcmp(f, "extra_stage") ? 1 : !strcmp(f, "flip_bit") ? 2 : !strcmp(f, "late_install") ? 3 : 0;
  const bool ok = engine_use_rtl(engine_pg_engine(rt->eng[s]), keys, klen, at_start, fault, why, len);
  free(keys);
  free(klen);
  return ok;
}

static bool attach_engines(asic_world *w, asic_ipsec_rt *rt, const uint32_t *n_sa, char *err, size_t errlen) {
  engine_pg_host host = {w, h_push, h_ret, h_credit, h_drop, h_family, h_run_now, NULL, NULL, NULL};
  if (w->payload_mode == ASIC_PAYLOAD_REAL) asic_ipsec_bytes_hooks(&host); /* asic_ipsec_bytes.h */
  uint32_t most = 0;
  for (uint32_t s = 0; s < w->n_slices; s++) most = n_sa[s] > most ? n_sa[s] : most;
  const size_t m = most ? most : 1;
  engine_sa *sas = malloc(m * sizeof *sas);
  engine_pg_sa *bind = malloc(m * sizeof *bind);
  sim_fs *from = malloc(m * sizeof *from);
  bool *at_start = malloc(m * sizeof *at_start);
  const sa_config **cfg = malloc(m * sizeof *cfg);
  bool ok = sas && bind && from && at_start && cfg;
  if (!ok) snprintf(err, errlen, "out of memory");
  for (uint32_t s = 0; ok && s < w->n_slices; s++) {
    if (!n_sa[s]) continue;
    uint32_t n = slice_sas(w, rt, s, sas, bind, from, cfg);
    for (uint32_t i = 0; i < n; i++) at_start[i] = from[i] == 0;
    char why[512];
    rt->eng[s] = engine_pg_create(s, &w->routers[w->slices[s].router].p.engine, sas, bind, n, rt->tstats, &host,
                                  why, sizeof why);
    if (rt->eng[s] && w->gcm_model == ASIC_GCM_RTL &&
        !use_rtl(rt, s, n, cfg, w->sa_events ? at_start : NULL, why, sizeof why)) {
      engine_pg_destroy(rt->eng[s]);
      rt->eng[s] = NULL;
    }
    if (!rt->eng[s]) {
      const asic_tunnel *first = &w->tunnels[rt->stats_tunnel[bind[0].tunnel]];
      snprintf(err, errlen, "%s: %s", first->where, why);
      ok = false;
      break;
    }
    if (w->sa_events) { /* SAs installed later are not in the cache at the start */
      engine_sa_cache_preload(engine_pg_engine(rt->eng[s]), at_start);
      for (uint32_t i = 0; i < n; i++)
        if (from[i] != 0 && from[i] != SIM_FS_NEVER) engine_pg_schedule_install(rt->eng[s], from[i], i);
    }
    engine_pg_set_window(rt->eng[s], w->w0, w->w1);
    pg_block_ops ops = engine_pg_ops(rt->eng[s]);
    ok = asic_attach_block(w, s, &ops, err, errlen);
    if (ok && !register_engine_queue(w, s)) {
      snprintf(err, errlen, "out of memory");
      ok = false;
    }
  }
  free(sas);
  free(bind);
  free(from);
  free(at_start);
  free(cfg);
  return ok;
}

/* `events:` generations >= 1: their SAs on the anchor engine after the declared ones, their
 * counters, the inbound SPIs (with their times) and the outbound epochs. */
static bool start_generations(asic_world *w, asic_ipsec_rt *rt, uint32_t *n_sa, char *err, size_t errlen) {
  const asic_events *ev = w->sa_events;
  rt->epochs = malloc((ev->n_gens ? ev->n_gens : 1) * sizeof *rt->epochs);
  rt->gen_out_sa = malloc((ev->n_gens ? ev->n_gens : 1) * sizeof *rt->gen_out_sa);
  rt->gen_in_sa = malloc((ev->n_gens ? ev->n_gens : 1) * sizeof *rt->gen_in_sa);
  if (!rt->epochs || !rt->gen_out_sa || !rt->gen_in_sa) return snprintf(err, errlen, "out of memory"), false;
  for (uint32_t k = 0; k < ev->n_gens; k++) {
    const asic_sa_gen *g = &ev->gens[k];
    const uint32_t t = g->tunnel;
    if (!g->gen) {
      rt->gen_out_sa[k] = rt->tunnel_out_sa[t], rt->gen_in_sa[k] = rt->tunnel_in_sa[t];
    } else {
      rt->gen_out_sa[k] = n_sa[rt->tunnel_slice[t]]++;
      rt->gen_in_sa[k] = n_sa[rt->tunnel_slice[t]]++;
    }
    rt->epochs[k] = (slice_sa_epoch){g->out_from, g->out_until, rt->gen_out_sa[k]};
    if (!spi_insert(rt, w, t, g->in.spi, rt->gen_in_sa[k], g->in_from, g->in_until, err, errlen)) return false;
  }
  rt->tab.epoch_first = ev->first;
  rt->tab.epochs = rt->epochs;
  return true;
}

bool asic_ipsec_start(asic_world *w, char *err, size_t errlen) {
  if (!w->n_tunnels) return true;
  asic_ipsec_rt *rt = calloc(1, sizeof *rt);
  if (!rt) return snprintf(err, errlen, "out of memory"), false;
  w->ipsec = rt;
  rt->w = w;
  const uint32_t nt = w->n_tunnels, ng = w->sa_events ? w->sa_events->n_gens : nt;
  rt->n_stats = nt + (ng - nt); /* every generation >= 1 counts on its own */
  uint32_t cap = 16;
  while (cap < 2 * ng) cap *= 2;
  uint32_t *n_sa = calloc(w->n_slices, sizeof *n_sa);
  rt->tunnel_slice = malloc(nt * sizeof *rt->tunnel_slice);
  rt->tunnel_out_sa = malloc(nt * sizeof *rt->tunnel_out_sa);
  rt->tunnel_in_sa = malloc(nt * sizeof *rt->tunnel_in_sa);
  rt->local_key = malloc(nt * sizeof *rt->local_key);
  rt->remote_key = malloc(nt * sizeof *rt->remote_key);
  rt->spi = malloc(cap * sizeof *rt->spi);
  rt->eng = calloc(w->n_slices, sizeof *rt->eng);
  rt->tstats = calloc(rt->n_stats, sizeof *rt->tstats);
  rt->town = calloc((size_t)nt * 3, sizeof *rt->town);
  rt->stats_tunnel = malloc(rt->n_stats * sizeof *rt->stats_tunnel);
  rt->stats_gen = calloc(rt->n_stats, sizeof *rt->stats_gen);
  rt->gen_stats = malloc(ng * sizeof *rt->gen_stats);
  if (!n_sa || !rt->tunnel_slice || !rt->tunnel_out_sa || !rt->tunnel_in_sa || !rt->local_key || !rt->remote_key ||
      !rt->spi || !rt->eng || !rt->tstats || !rt->town || !rt->stats_tunnel || !rt->stats_gen || !rt->gen_stats) {
    free(n_sa);
    return snprintf(err, errlen, "out of memory"), false;
  }
  for (uint32_t i = 0; i < cap; i++) rt->spi[i].router = UINT32_MAX;
  rt->tab = (slice_ipsec){nt, rt->tunnel_slice, rt->tunnel_out_sa, rt->spi, cap - 1, NULL, NULL};
  for (uint32_t t = 0, j = nt; t < ng; t++) { /* stats index of each generation */
    const asic_sa_gen *g = w->sa_events ? &w->sa_events->gens[t] : NULL;
    const uint32_t tun = g ? g->tunnel : t, idx = g && g->gen ? j++ : tun;
    rt->gen_stats[t] = idx;
    rt->stats_tunnel[idx] = tun;
    rt->stats_gen[idx] = g ? g->gen : 0;
  }
  bool ok = local_routes(w);
  if (!ok) snprintf(err, errlen, "out of memory");
  for (uint32_t t = 0; ok && t < nt; t++) {
    const asic_tunnel *tu = &w->tunnels[t];
    if (tu->slice >= w->n_slices || w->slices[tu->slice].router != tu->router) {
      snprintf(err, errlen, "%s: ipsec.tunnels[].anchor: %s is not a slice of router %s", tu->where, tu->anchor,
               tu->router < w->n_routers ? w->routers[tu->router].name : "?");
      ok = false;
      break;
    }
    engine_pg_tunnel_stats *ts = &rt->tstats[t];
    ts->tx_pkts = &rt->town[3 * t], ts->rx_pkts = &rt->town[3 * t + 1], ts->wan_l1_bytes = &rt->town[3 * t + 2];
    rt->tunnel_slice[t] = tu->slice;
    rt->tunnel_out_sa[t] = n_sa[tu->slice]++;
    rt->tunnel_in_sa[t] = n_sa[tu->slice]++;
    rt->local_key[t] = gateway_key(w, &tu->out.local);
    rt->remote_key[t] = gateway_key(w, &tu->out.remote);
    if (rt->local_key[t] == UINT32_MAX || rt->remote_key[t] == UINT32_MAX) {
      snprintf(err, errlen, "out of memory");
      ok = false;
      break;
    }
    if (!w->sa_events) ok = spi_insert(rt, w, t, tu->in.spi, rt->tunnel_in_sa[t], 0, SIM_FS_NEVER, err, errlen);
  }
  for (uint32_t i = 0; ok && i < rt->n_stats; i++) {
    engine_pg_tunnel_stats *ts = &rt->tstats[i], *own = &rt->tstats[rt->stats_tunnel[i]];
    ts->tx_pkts = own->tx_pkts, ts->rx_pkts = own->rx_pkts, ts->wan_l1_bytes = own->wan_l1_bytes;
    sa_stats_init(&ts->sa[ENGINE_ENCRYPT], NULL, "", SA_STATS_OUT);
    sa_stats_init(&ts->sa[ENGINE_DECRYPT], NULL, "", SA_STATS_IN);
  }
  ok = ok && (!w->sa_events || start_generations(w, rt, n_sa, err, errlen));
  ok = ok && attach_engines(w, rt, n_sa, err, errlen);
  free(n_sa);
  if (ok) w->wiring.ipsec = &rt->tab;
  return ok;
}

uint64_t asic_ipsec_made(const asic_world *w) {
  uint64_t m = 0;
  for (uint32_t s = 0; w->ipsec && s < w->n_slices; s++) {
    const pg_attach *a = &w->attach[s];
    if (w->ipsec->eng[s] && a->on && a->ops.made) m += a->ops.made(a->ops.ctx, s);
  }
  return m;
}

bool asic_ipsec_scoreboard(const asic_world *w, FILE *msgs, uint64_t *checked, uint64_t *mismatches,
                           uint64_t *cycle_mismatches) {
  *checked = *mismatches = *cycle_mismatches = 0;
  for (uint32_t s = 0; w->ipsec && s < w->n_slices; s++) {
    if (!w->ipsec->eng[s]) continue;
    engine *e = engine_pg_engine(w->ipsec->eng[s]);
    const engine_counters *c = engine_counters_of(e);
    *checked += *c->sb_checked;
    *mismatches += *c->sb_mismatches;
    *cycle_mismatches += *c->sb_cycle_mismatches;
    engine_scoreboard_report(e, msgs);
  }
  return !*mismatches && !*cycle_mismatches;
}

void asic_ipsec_scoreboard_finish(asic_world *w) {
  for (uint32_t s = 0; w->ipsec && s < w->n_slices; s++)
    if (w->ipsec->eng[s]) engine_scoreboard_finish(engine_pg_engine(w->ipsec->eng[s]));
}

uint64_t asic_ipsec_rtl_cycles(const asic_world *w) {
  uint64_t n = 0;
  for (uint32_t s = 0; w->ipsec && s < w->n_slices; s++)
    if (w->ipsec->eng[s]) n += engine_rtl_cycles(engine_pg_engine(w->ipsec->eng[s]));
  return n;
}

bool asic_ipsec_wave(asic_world *w, const char *path, sim_fs from, sim_fs to, FILE *note, char *err, size_t errlen) {
  bool first = true;
  for (uint32_t s = 0; w->ipsec && s < w->n_slices; s++) {
    if (!w->ipsec->eng[s]) continue;
    char name[600];
    const asic_slice *sl = &w->slices[s];
    const char *dot = strrchr(path, '.');
    const int stem = dot && !strchr(dot, '/') ? (int)(dot - path) : (int)strlen(path);
    if (first) snprintf(name, sizeof name, "%s", path);
    else snprintf(name, sizeof name, "%.*s-%s.asic%u.slice%u%s", stem, path, w->routers[sl->router].name,
                  sl->asic - w->slices[w->routers[sl->router].first_asic_slice].asic, sl->index, path + stem);
    if (!engine_rtl_wave(engine_pg_engine(w->ipsec->eng[s]), name, from, to, err, errlen)) return false;
    fprintf(note, "ipsecsim run: writing waveform %s: it contains key material (a debug artefact; do not share it)\n",
            name);
    first = false;
  }
  return true;
}

void asic_ipsec_rt_free(asic_world *w) {
  asic_ipsec_rt *rt = w->ipsec;
  if (!rt) return;
  for (uint32_t s = 0; rt->eng && s < w->n_slices; s++) engine_pg_destroy(rt->eng[s]);
  free(rt->eng);
  free(rt->tunnel_slice);
  free(rt->tunnel_out_sa);
  free(rt->tunnel_in_sa);
  free(rt->local_key);
  free(rt->remote_key);
  free(rt->spi);
  free(rt->tstats);
  free(rt->town);
  free(rt->stats_tunnel);
  free(rt->stats_gen);
  free(rt->gen_stats);
  free(rt->epochs);
  free(rt->gen_out_sa);
  free(rt->gen_in_sa);
  free(rt);
  w->ipsec = NULL;
  w->wiring.ipsec = NULL;
}
