/* World start-up (route resolution, sources, windows, lookahead), conservation, teardown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic_analytic.h"
#include "asic_ipsec_rt.h"
#include "asic_sim.h"
#include "asic_ipsec_bytes.h"
#include "asic_tap.h"
#include "asic_events.h"

static void addr_add(uint8_t family, const uint8_t base[16], uint32_t k, uint8_t out[16]) {
  memcpy(out, base, 16);
  int last = family == 4 ? 3 : 15;
  uint32_t carry = k;
  for (int i = last; i >= 0 && carry; i--) {
    uint32_t v = out[i] + (carry & 0xFF);
    out[i] = (uint8_t)v;
    carry = (carry >> 8) + (v >> 8);
  }
}

uint32_t asic_world_route_key(asic_world *w, uint8_t family, const uint8_t addr[16]) {
  if (w->stepping) return UINT32_MAX; /* the slices hold the table from then on */
  if (w->n_keys == w->cap_keys) {
    uint32_t nc = w->cap_keys ? 2 * w->cap_keys : 64;
    asic_route_key *nk = realloc(w->keys, nc * sizeof *nk);
    if (!nk) return UINT32_MAX;
    w->keys = nk;
    int32_t *nn = realloc(w->key_nh, (size_t)nc * w->n_routers * sizeof *nn);
    if (!nn) return UINT32_MAX;
    w->key_nh = nn;
    w->cap_keys = nc;
  }
  uint32_t k = w->n_keys++;
  w->keys[k].family = family;
  memcpy(w->keys[k].addr, addr, 16);
  for (uint32_t r = 0; r < w->n_routers; r++)
    w->key_nh[(size_t)k * w->n_routers + r] = route_lookup(&w->routers[r].routes, family, addr);
  return k;
}

void asic_world_set_next_hop(asic_world *w, uint32_t key, uint32_t router, int32_t nh) {
  if (key < w->n_keys && router < w->n_routers) w->key_nh[(size_t)key * w->n_routers + router] = nh;
}

/* Lookup occupancy per (router, flow): a stream's lookup_cycles (its own, or its ingress
 * router's pfe.lookup_cycles) applies at its ingress router; every other router it crosses
 * uses its own pfe.lookup_cycles. */
static bool occupancy_table(asic_world *w) {
  w->cycles = malloc(((size_t)w->n_routers * w->n_flows + 1) * sizeof *w->cycles);
  if (!w->cycles) return false;
  for (uint32_t r = 0; r < w->n_routers; r++)
    for (uint32_t fi = 0; fi < w->n_flows; fi++) {
      const asic_flow *f = &w->flows[fi];
      w->cycles[(size_t)r * w->n_flows + fi] = r == f->router ? f->lookup_cycles : (uint32_t)w->routers[r].p.lookup_cycles;
    }
  return true;
}

bool asic_world_start(asic_world *w, sim_fs warmup, sim_fs measure, uint64_t seed, char *err, size_t errlen) {
  w->w0 = warmup;
  w->w1 = warmup + measure;
  w->seed = seed;
  w->n_buckets = 100;
  w->bucket = measure / w->n_buckets ? measure / w->n_buckets : 1;
  /* lookahead: the smallest latency of any push from one slice heap into another */
  sim_fs la = SIM_FS_NEVER;
  for (uint32_t r = 0; r < w->n_routers; r++) {
    const asic_params *p = &w->routers[r].p;
    if (p->fabric_latency_slice < la) la = p->fabric_latency_slice;
    if (p->fabric_latency_asic < la) la = p->fabric_latency_asic;
  }
  for (uint32_t i = 0; i < w->n_ports; i++)
    if (w->ports[i].peer >= 0 && w->ports[i].link_latency + 1 < la) la = w->ports[i].link_latency + 1;
  w->lookahead = la ? la : 1;
  asic_registry_window(w);
  w->stats = stats_create();
  if (!w->stats) {
    snprintf(err, errlen, "out of memory");
    return false;
  }
  if (!asic_ipsec_start(w, err, errlen)) return false;
  if (!asic_bytes_start(w, err, errlen) || !asic_ipsec_bytes_start(w, err, errlen)) return false;
  if (!asic_stats_register(w) || !asic_ipsec_stats_register(w) || !occupancy_table(w) || !asic_series_start(w)) {
    snprintf(err, errlen, "out of memory");
    return false;
  }
  for (uint32_t i = 0; i < w->n_pgs; i++) w->pgs[i].owner_held = w->slices[w->pgs[i].slice].backpressure_drops;
  for (uint32_t fi = 0; fi < w->n_flows; fi++) {
    asic_flow *f = &w->flows[fi];
    char name[128];
    snprintf(name, sizeof name, "flow.%s.latency_lifo", f->name);
    f->lat_lifo = stats_hist_add(w->stats, name, "fs", "latency, last bit in to first bit out (RFC 1242 store-and-forward)");
    snprintf(name, sizeof name, "flow.%s.latency_fifo", f->name);
    f->lat_fifo = stats_hist_add(w->stats, name, "fs", "latency, first bit in to first bit out");
    stats_counter *c;
#define FLOW_COUNTER(dst, own, suffix, desc)                                          \
    snprintf(name, sizeof name, "flow.%s.%s", f->name, suffix);                      \
    c = stats_counter_add(w->stats, name, "packets", desc);                          \
    dst = c ? c : &f->own_[own];
    FLOW_COUNTER(f->sent, DROP_N, "tx_pkts", "packets sent in the measurement window")
    FLOW_COUNTER(f->recv, DROP_N + 1, "rx_pkts", "packets delivered in the measurement window")
    for (int d = 0; d < DROP_N; d++) {
      char reason[64];
      if (d == DROP_HOST_PATH) { /* not a drop: its own counter, outside drops.total */
        FLOW_COUNTER(f->drops[d], d, "host_pkts", "packets sent to the exception (host) path in the window")
        continue;
      }
      /* issue 13's reasons exist where they can happen: no_sa / sa_deleted with `events:`,
       * host_policer with a tunnel (a local gateway: the host path); the reports of other
       * scenarios keep their names */
      if (((d == DROP_NO_SA || d == DROP_SA_DELETED) && !w->sa_events) || (d == DROP_HOST_POLICER && !w->n_tunnels)) {
        f->drops[d] = &f->own_[d];
        continue;
      }
      snprintf(reason, sizeof reason, "drops.%s", asic_drop_names[d]);
      FLOW_COUNTER(f->drops[d], d, reason, "packets dropped in the window, by reason")
    }
    FLOW_COUNTER(f->drops_total, DROP_N + 2, "drops.total", "packets dropped in the window")
#undef FLOW_COUNTER
    if (!asic_bytes_flow_counters(w, fi)) {
      snprintf(err, errlen, "out of memory");
      return false;
    }
    if (f->port >= w->n_ports || f->rate_bps <= 0) {
      snprintf(err, errlen, "flow %s: bad port or rate", f->name);
      return false;
    }
    f->series_bytes = calloc(w->n_buckets, sizeof *f->series_bytes);
    if (!f->series_bytes) {
      snprintf(err, errlen, "out of memory");
      return false;
    }
    for (uint32_t k = 0; k < f->n_addr; k++) {
      uint8_t a[16];
      addr_add(f->family, f->dst, k, a);
      uint32_t key = asic_world_route_key(w, f->family, a);
      if (key == UINT32_MAX) {
        snprintf(err, errlen, "out of memory");
        return false;
      }
      if (k == 0) f->first_key = key;
    }
    if (f->esp_of < w->n_tunnels) { /* the remote peer's outbound mirror of the inbound SA */
      const asic_tunnel *tu = &w->tunnels[f->esp_of];
      engine_sa_from_config(&tu->in, &f->esp_sa);
      f->esp_sa.dir = ENGINE_ENCRYPT;
      f->esp_key = w->ipsec->local_key[f->esp_of];
      f->esp_spi = tu->in.spi;
      f->esp_seq = tu->in.initial_seq;
      f->esp_gen = 0;
      f->esp_i = f->esp_plan.n = 0;
      f->esp_frames = 0;
    }
    sim_rng_seed(&f->rng, seed, fi + 1);
    sim_rng_seed(&f->order_rng, seed, ((uint64_t)fi + 1) << 32); /* its own stream: CBR/poisson draws unchanged */
    f->next_t = f->start;
    f->memo_size = 0;
    f->vclock = f->start;
    f->seq = 0;
    sim_event ev;
    if (asic_sim_first_packet(w, fi, &ev)) sim_heap_push(&w->slices[w->ports[f->port].slice].heap, &ev);
  }
  return true;
}

/* The run ends when the last packet has left its last resource: the heaps are empty, but
 * departures computed straight through may lie beyond the last event. */
static sim_fs final_time(const asic_world *w) { return asic_registry_final_time(w, w->t_end); }

void asic_sim_finish(asic_world *w) {
  asic_registry_advance(w, final_time(w));
  asic_ipsec_finish(w);
}

bool asic_sim_conservation(asic_world *w, char *msg, size_t len) {
  sim_fs tf = final_time(w);
  uint64_t sent = 0, recv = 0, drops = 0, census = 0, block_drops = 0, host = 0;
  for (uint32_t fi = 0; fi < w->n_flows; fi++) {
    const asic_flow *f = &w->flows[fi];
    uint64_t fd = 0;
    for (int d = 0; d < DROP_N; d++) fd += f->tot_drops[d];
    sent += f->tot_sent;
    recv += f->tot_recv;
    drops += fd;
    host += f->tot_drops[DROP_HOST_PATH];
  }
  /* blocks count their own drops independently of the flows' per-reason counts; the
   * registry lists every resource and holder (heaps, attachment points, hop limit) */
  asic_registry_census(w, tf, &census, &block_drops);
  /* blocks may make packets (pre-fragmentation: one clear datagram in, n ESP packets out):
   * sent + made == received + drops + in queues; every engine balances on its own too */
  const uint64_t made = asic_registry_made(w);
  char emsg[256];
  if (!asic_ipsec_conservation(w, emsg, sizeof emsg)) return snprintf(msg, len, "%s", emsg), false;
  bool ok = sent + made == recv + block_drops + census && drops == block_drops;
  /* payload real: every packet in flight holds its buffer, and only those (a leak or a
   * double free shows here); buffers made ahead for ESP not sent yet apart */
  const uint64_t pend = asic_ipsec_bytes_pending(w);
  if (ok && w->payload_mode == ASIC_PAYLOAD_REAL && w->bytes.in_use != census + pend) {
    snprintf(msg, len, "payload buffers in use %llu, packets in flight %llu (+ %llu made ahead): DOES NOT BALANCE",
             (unsigned long long)w->bytes.in_use, (unsigned long long)census, (unsigned long long)pend);
    return false;
  }
  char made_txt[48] = "", host_txt[48] = ""; /* only when there are: the clear model's line is unchanged */
  if (made) snprintf(made_txt, sizeof made_txt, ", made %llu", (unsigned long long)made);
  /* the exception path is no drop: the blocks count it with their drops, the flows apart */
  if (host) snprintf(host_txt, sizeof host_txt, ", to the host path %llu", (unsigned long long)host);
  const uint64_t bd = block_drops >= host ? block_drops - host : 0;
  snprintf(msg, len, "sent %llu%s, received %llu, dropped %llu (blocks) / %llu (flows)%s, in queues %llu: %s",
           (unsigned long long)sent, made_txt, (unsigned long long)recv, (unsigned long long)bd,
           (unsigned long long)(drops - host), host_txt, (unsigned long long)census, ok ? "balanced" : "DOES NOT BALANCE");
  return ok;
}

void asic_world_free(asic_world *w) {
  asic_series_free(w);
  asic_registry_free(w); /* every registered resource; the blocks free the rest */
  for (uint32_t i = 0; i < w->n_ports; i++) bw_server_free(&w->ports[i].tx);
  for (uint32_t i = 0; w->pgs && i < w->n_pgs; i++) portgroup_pg_free(&w->pgs[i]);
  for (uint32_t i = 0; i < w->n_slices; i++) slice_free(&w->slices[i]);
  for (uint32_t r = 0; r < w->n_routers; r++) {
    route_free(&w->routers[r].routes);
    free(w->routers[r].ifaces);
  }
  for (uint32_t fi = 0; fi < w->n_flows; fi++) {
    free(w->flows[fi].series_bytes);
  }
  free(w->flows);
  asic_ipsec_free(w);
  asic_ipsec_bytes_free(w);
  asic_bytes_pool_free(&w->bytes);
  asic_taps_free(w);
  asic_events_free(w);
  free(w->keys);
  free(w->key_nh);
  free(w->cycles);
  free(w->attach);
  if (w->stats) stats_destroy(w->stats);
  free(w->ports);
  free(w->pgs);
  free(w->slices);
  free(w->routers);
  memset(w, 0, sizeof *w);
}
