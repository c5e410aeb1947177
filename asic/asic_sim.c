/* Event switch of the ASIC timing model and world building; see asic_sim.h. The blocks'
 * handlers are in portgroup/ and pfe/; this file only composes them. */
#include "asic_sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic_analytic.h"
#include "asic_events.h"
#include "asic_ipsec_bytes.h"
#include "asic_preset.h"
#include "pfe/slice_events.h"
#include "portgroup/portgroup_events.h"

const char *const sim_drop_names[DROP_N] = {
    "pg_in_queue_full", "slice_in_queue_full", "lookup_queue_full", "no_route",
    "slice_out_queue_full", "fabric_queue_full", "pg_out_queue_full", "port_tx_queue_full",
    "hop_limit", "slice_backpressure",
    "unknown_spi", "engine_queue_full", "engine_esp", "host_path", "link_drop", "fcs_error",
    "no_sa", "sa_deleted", "host_policer"};

enum { EV_SRC = SIM_EV(SIM_EVC_SOURCE, 0) }; /* where: flow; the packet's last bit reaches its port */

static bool build_slices(asic_world *w, uint32_t r, uint32_t asic_base, char *err, size_t errlen) {
  const asic_params *p = &w->routers[r].p;
  for (uint32_t s = 0; s < 2 * w->routers[r].n_asics; s++) {
    uint32_t gi = w->routers[r].first_asic_slice + s;
    asic_slice *sl = &w->slices[gi];
    sl->self = gi;
    sl->router = r;
    sl->asic = asic_base + s / 2;
    sl->index = s % 2;
    sl->first_pg = 2 * gi;
    sl->fabric_latency_slice = p->fabric_latency_slice;
    sl->fabric_latency_asic = p->fabric_latency_asic;
    bool ok = slice_init(sl, sim_rate_bps(p->slice_bw), sim_rate_bps(p->pg_bw), sim_rate_bps(p->fabric_bw),
                         (uint32_t)p->fabric_overhead, p->slice_in_queue, p->slice_out_queue, p->fabric_queue,
                         (uint32_t)(p->lookup_ppes * p->lookup_threads_per_ppe), p->lookup_clock,
                         (uint32_t)p->lookup_queue);
    host_policer_init(&sl->policer, (uint64_t)llround(p->host.policer_pps), p->host.policer_burst);
    if (!ok) {
      snprintf(err, errlen, "out of memory building slice %u", gi);
      return false;
    }
    for (uint32_t g = 0; g < 2; g++) {
      asic_pg *pg = &w->pgs[2 * gi + g];
      pg->slice = gi;
      /* PG.in sends into its queue at slice.in (credited: see portgroup.h) */
      pg->feed = (pg_feed){.heap = gi, .kind = SLICE_EV_FROM_PG, .where = gi, .aux = g};
      pg->owner_held = sl->backpressure_drops;
    }
  }
  return true;
}

static bool build_ports(asic_world *w, uint32_t r, uint32_t asic_base, char *err, size_t errlen) {
  asic_router *rt = &w->routers[r];
  for (uint32_t i = 0; i < rt->n_ports; i++) {
    asic_port_desc d;
    asic_preset_port(&rt->plat, i, &d);
    asic_port *pt = &w->ports[rt->first_port + i];
    snprintf(pt->name, sizeof pt->name, "et-%u/%u/%u", d.fpc, d.pic, d.portno);
    pt->router = r;
    pt->asic = asic_base + d.asic;
    pt->slice = rt->first_asic_slice + 2 * d.asic + d.slice;
    pt->pg = 2 * pt->slice + d.pg;
    pt->fpc = d.fpc;
    pt->pic = d.pic;
    pt->portno = d.portno;
    pt->pg_input = w->pgs[pt->pg].n_ports++;
    if (!portgroup_port_init(pt, d.rate_bps, rt->p.port_tx_queue, bw_queue_pkts(rt->p.port_tx_queue))) {
      snprintf(err, errlen, "out of memory building port %s", pt->name);
      return false;
    }
  }
  /* PG ingress arbiters: one input per port weighted by its speed, plus the block on PG0
   * (weighted by the block's capacity when one attaches) */
  for (uint32_t s = 0; s < 2 * rt->n_asics; s++)
    for (uint32_t g = 0; g < 2; g++) {
      uint32_t pgi = 2 * (rt->first_asic_slice + s) + g;
      asic_pg *pg = &w->pgs[pgi];
      uint32_t n_in = pg->n_ports + (g == 0), weights[64];
      if (n_in > 64) {
        snprintf(err, errlen, "port group %u: more than 63 ports", pgi);
        return false;
      }
      for (uint32_t i = 0; i < rt->n_ports; i++) {
        const asic_port *pt = &w->ports[rt->first_port + i];
        if (pt->pg == pgi) weights[pt->pg_input] = pg_weight_of((double)pt->rate_bps);
      }
      if (g == 0) weights[pg->n_ports] = 1;
      const asic_params *p = &rt->p;
      /* credits = the PG's queue at slice.in (same capacity as set on the slice arbiter) */
      if (!portgroup_pg_init(pg, sim_rate_bps(p->pg_bw), p->pg_in_queue, bw_queue_pkts(p->pg_in_queue),
                             p->pg_out_queue, bw_queue_pkts(p->pg_out_queue), weights, n_in, p->slice_in_queue,
                             bw_queue_pkts(p->slice_in_queue))) {
        snprintf(err, errlen, "out of memory building port group %u", pgi);
        return false;
      }
    }
  return true;
}

bool asic_world_build(asic_world *w, asic_router *routers, uint32_t n_routers, char *err, size_t errlen) {
  memset(w, 0, sizeof *w);
  w->routers = routers;
  w->n_routers = n_routers;
  for (uint32_t r = 0; r < n_routers; r++) {
    routers[r].n_asics = asic_preset_asics(&routers[r].plat);
    routers[r].first_asic_slice = w->n_slices;
    routers[r].first_port = w->n_ports;
    routers[r].n_ports = asic_preset_ports(&routers[r].plat);
    w->n_slices += 2 * routers[r].n_asics;
    w->n_ports += routers[r].n_ports;
  }
  w->n_pgs = 2 * w->n_slices;
  w->slices = calloc(w->n_slices, sizeof *w->slices);
  w->pgs = calloc(w->n_pgs, sizeof *w->pgs);
  w->ports = calloc(w->n_ports, sizeof *w->ports);
  w->attach = calloc(w->n_slices, sizeof *w->attach);
  if (!w->slices || !w->pgs || !w->ports || !w->attach) {
    snprintf(err, errlen, "out of memory");
    return false;
  }
  w->wiring = (slice_wiring){w->slices, w->ports, w->pgs, NULL};
  uint32_t asic_base = 0;
  for (uint32_t r = 0; r < n_routers; r++) {
    if (!build_slices(w, r, asic_base, err, errlen) || !build_ports(w, r, asic_base, err, errlen)) return false;
    asic_base += routers[r].n_asics;
  }
  if (!asic_registry_build(w)) { /* every resource registers once */
    snprintf(err, errlen, "out of memory");
    return false;
  }
  return true;
}

int32_t asic_world_router(const asic_world *w, const char *name) {
  for (uint32_t r = 0; r < w->n_routers; r++)
    if (!strcmp(w->routers[r].name, name)) return (int32_t)r;
  return -1;
}

int32_t asic_world_port(const asic_world *w, uint32_t router, const char *name) {
  const char *colon = strchr(name, ':');
  if (colon) {
    char rn[64];
    size_t l = (size_t)(colon - name);
    if (l >= sizeof rn) return -1;
    memcpy(rn, name, l);
    rn[l] = 0;
    int32_t r = asic_world_router(w, rn);
    if (r < 0) return -1;
    router = (uint32_t)r;
    name = colon + 1;
  }
  if (router >= w->n_routers) return -1;
  const asic_router *rt = &w->routers[router];
  for (uint32_t i = 0; i < rt->n_ports; i++)
    if (!strcmp(w->ports[rt->first_port + i].name, name)) return (int32_t)(rt->first_port + i);
  return -1;
}

/* ---- traffic generation ---- */

static uint16_t next_size(asic_flow *f) {
  switch (f->fkind) {
    case FRAME_FIXED: return f->sizes[0];
    case FRAME_LIST: {
      uint16_t s = f->sizes[f->idx];
      f->idx = f->idx + 1 == f->n_sizes ? 0 : f->idx + 1;
      return s;
    }
    default: return (uint16_t)sim_rng_range(&f->rng, f->lo, f->hi);
  }
}

/* Index of the destination address of the flow's k-th packet (`flows:`, `flow_order:`). */
static uint32_t next_addr(asic_flow *f, uint64_t k) {
  if (f->n_addr <= 1) return 0;
  return f->addr_random ? (uint32_t)sim_rng_range(&f->order_rng, 0, f->n_addr - 1u) : (uint32_t)(k % f->n_addr);
}

/* Makes the flow's next packet and its source event; false when past the window. */
/* esp_of: the next ESP frame the remote peer sends; a new inner frame when the last one's
 * ESP packets (one per fragment at the tunnel MTU) are all out. A frame the peer could not
 * carry (an IPv6 inner above the MTU) goes as one oversized ESP packet: the engine drops it. */
static const engine_esp_shape *next_esp(asic_flow *f, bool *first, uint32_t *inner_frame) {
  *first = false;
  if (f->esp_i >= f->esp_plan.n) {
    *inner_frame = next_size(f);
    *first = true;
    uint32_t ip = *inner_frame - ENGINE_ETH_OVERHEAD;
    f->esp_inner_key = f->first_key + next_addr(f, f->esp_frames);
    f->esp_frames++;
    if (engine_esp_plan_encrypt(&f->esp_sa, f->family, false, ip, &f->esp_plan) != ENGINE_PLAN_OK) {
      f->esp_plan.n = 1;
      f->esp_plan.first = f->esp_plan.middle = f->esp_plan.last = engine_esp_shape_of(&f->esp_sa, ip);
    }
    f->esp_i = 0;
  }
  return engine_plan_at(&f->esp_plan, f->esp_i++);
}

static bool make_packet(asic_world *w, uint32_t fi, sim_event *ev) {
  asic_flow *f = &w->flows[fi];
  if (f->next_t >= w->w1) return false;
  const asic_port *pt = &w->ports[f->port];
  const bool esp = f->esp_of < w->n_tunnels;
  bool esp_first = false;
  uint32_t inner_frame = 0;
  const engine_esp_shape *sh = esp ? next_esp(f, &esp_first, &inner_frame) : NULL;
  uint16_t size = esp ? (uint16_t)engine_frame_bytes(sh->esp_ip_bytes) : next_size(f);
  sim_fs t0 = f->next_t;
  if (size != f->memo_size) {
    f->memo_size = size;
    f->memo_wire = sim_ser_fs(size + SIM_ETH_L1_OVERHEAD, pt->rate_bps);
    f->memo_nominal = sim_ser_fs(size + SIM_ETH_L1_OVERHEAD, (uint64_t)f->rate_bps);
    f->memo_pre = sim_ser_fs(size + SIM_ETH_PREAMBLE_SFD, pt->rate_bps);
  }
  sim_fs wire = f->memo_wire, nominal = f->memo_nominal;
  /* vclock runs at the offered rate; packets never overlap on the wire */
  f->vclock = sim_max(f->vclock, t0) + nominal;
  sim_fs next;
  if (f->arrival == ARRIVAL_POISSON) {
    double idle = (double)nominal - (double)wire;
    next = t0 + wire + (idle > 0 ? (sim_fs)llround(sim_rng_exp(&f->rng, idle)) : 0);
  } else if (f->burst > 1 && ++f->in_burst < f->burst) {
    next = t0 + wire;
  } else {
    f->in_burst = 0;
    next = sim_max(f->vclock, t0 + wire);
  }
  f->next_t = next;
  memset(ev, 0, sizeof *ev);
  ev->kind = EV_SRC;
  ev->where = fi;
  ev->pkt.pid = (f->seq++ << 20) | fi;
  ev->pkt.flow = fi;
  ev->pkt.route_key = f->first_key + next_addr(f, f->seq - 1);
  ev->pkt.sa = SIM_SA_NONE;
  ev->pkt.payload = SIM_PAYLOAD_NONE;
  ev->pkt.bytes = size;
  ev->pkt.t_first_in = t0;
  ev->pkt.t_last_in = t0 + f->memo_pre;
  if (esp && esp_first && w->sa_events) { /* `events:`: the peer sends each datagram on the
                                            newest inbound SA of the tunnel at its first ESP
                                            packet (its ESP packets share one SA: encrypted together) */
    const asic_sa_gen *g = asic_events_peer_gen(w, f->esp_of, t0);
    if (g->gen != f->esp_gen) f->esp_gen = g->gen, f->esp_spi = g->in.spi, f->esp_seq = g->in.initial_seq;
  }
  if (esp) { /* RFC 4303 s3.3.3: the peer numbers every ESP packet (fragment) from initial + 1 */
    ev->pkt.route_key = f->esp_key;
    ev->pkt.spi = f->esp_spi;
    ev->pkt.inner_key = f->esp_inner_key;
    ev->pkt.inner_bytes = (uint16_t)sh->inner_bytes;
    ev->pkt.esp_seq16 = (uint16_t)++f->esp_seq;
    if (w->payload_mode == ASIC_PAYLOAD_REAL)
      ev->pkt.payload = asic_ipsec_bytes_esp_source(w, fi, &ev->pkt, esp_first, inner_frame);
  } else if (w->payload_mode == ASIC_PAYLOAD_REAL) {
    ev->pkt.payload = asic_bytes_source(w, fi, &ev->pkt);
  }
  ev->t = ev->pkt.t_last_in;
  return true;
}

/* ---- services to the blocks (model/sim_world.h) ---- */

void sim_world_push(asic_world *w, uint32_t h, const sim_event *ev, uint32_t from_heap, bool in_order) {
  if (in_order) sim_heap_push_lane(&w->slices[h].heap, ev);
  else sim_heap_push(&w->slices[h].heap, ev);
  if (h != from_heap && w->notify) w->notify(w->notify_ctx, h, ev->t);
}

void sim_world_drop(asic_world *w, const sim_pkt *pkt, sim_drop why, sim_fs t) {
  asic_flow *f = &w->flows[pkt->flow];
  f->tot_drops[why]++;
  if (pkt->payload != SIM_PAYLOAD_NONE) asic_bytes_drop(w, pkt);
  if (t < w->w0 || t >= w->w1) return;
  (*f->drops[why])++;
  if (why != DROP_HOST_PATH) (*f->drops_total)++; /* the exception path is not a loss */
}

void sim_world_deliver(asic_world *w, const sim_pkt *pkt, sim_fs t_out) {
  asic_flow *f = &w->flows[pkt->flow];
  f->tot_recv++;
  if (pkt->payload != SIM_PAYLOAD_NONE) asic_bytes_deliver(w, pkt, t_out >= w->w0 && t_out < w->w1);
  if (t_out < w->w0 || t_out >= w->w1) return;
  (*f->recv)++;
  f->recv_bytes += pkt->bytes;
  stats_hist_record(f->lat_lifo, t_out - pkt->t_last_in);
  stats_hist_record(f->lat_fifo, t_out - pkt->t_first_in);
  uint64_t b = (t_out - w->w0) / w->bucket;
  if (b < w->n_buckets) f->series_bytes[b] += pkt->bytes;
}

void sim_world_forward_l3(asic_world *w, const sim_pkt *pkt) { asic_bytes_forward_l3(w, pkt); }

bool sim_world_runs_next(const asic_world *w, uint32_t h, sim_fs t, uint64_t pid) {
  return h == w->step_heap && t < w->step_limit && sim_heap_precedes_all(&w->slices[h].heap, t, pid);
}

void sim_world_count_event(asic_world *w, sim_fs t) {
  w->events++;
  if (t > w->t_end) w->t_end = t;
}

/* ---- the event switch: each class to its block's handler ---- */

static void source(asic_world *w, uint32_t h, const sim_event *ev) {
  asic_flow *f = &w->flows[ev->where];
  f->tot_sent++;
  if (ev->pkt.t_first_in >= w->w0 && ev->pkt.t_first_in < w->w1) {
    (*f->sent)++;
    f->sent_bytes += ev->pkt.bytes;
  }
  sim_event next;
  if (make_packet(w, ev->where, &next)) sim_heap_push(&w->slices[h].heap, &next);
  portgroup_port_rx(w, w->ports, w->pgs, f->port, ev->t, &ev->pkt);
}

static void handle(asic_world *w, uint32_t h, const sim_event *ev) {
  switch (SIM_EV_CLASS(ev->kind)) {
    case SIM_EVC_SOURCE: return source(w, h, ev);
    case SIM_EVC_PORTGROUP: return portgroup_handle(w, w->ports, w->pgs, ev);
    case SIM_EVC_SLICE: return slice_handle(w, &w->wiring, ev);
    case SIM_EVC_BLOCK: {
      pg_attach *a = &w->attach[ev->where];
      if (a->on && a->ops.handle) a->ops.handle(a->ops.ctx, ev->where, ev);
      return;
    }
  }
}

/* The event loop of one heap, with every block's handler (inline headers) and the world's
 * services compiled into it: no call per hop on a packet's path. */
#if defined(__GNUC__)
__attribute__((flatten))
#endif
uint64_t asic_sim_step(asic_world *w, uint32_t h, sim_fs limit) {
  if (!w->stepping) asic_sim_prepare_direct_out(w);
  sim_heap *hp = &w->slices[h].heap;
  uint64_t n = 0;
  sim_event ev;
  w->step_heap = h;
  w->step_limit = limit;
  while (sim_heap_pop_before(hp, limit, &ev)) {
    if (ev.t > w->t_end) w->t_end = ev.t;
    handle(w, h, &ev);
    n++;
  }
  w->step_limit = 0; /* outside a step nothing runs ahead (sim_world_runs_next) */
  sim_heap_settle(hp);
  w->events += n;
  return n;
}

void asic_sim_run_c(asic_world *w) { asic_sim_run_c_progress(w, NULL, NULL, 0); }

void asic_sim_run_c_progress(asic_world *w, void (*tick)(void *ctx, sim_fs now), void *ctx, sim_fs every) {
  sim_fs next_tick = every;
  for (;;) {
    int32_t best = -1;
    for (uint32_t h = 0; h < w->n_slices; h++) {
      const sim_heap *hp = &w->slices[h].heap;
      if (sim_heap_empty(hp)) continue;
      if (best < 0) {
        best = (int32_t)h;
        continue;
      }
      const sim_event *a = sim_heap_top(hp), *b = sim_heap_top(&w->slices[best].heap);
      if (a->t < b->t || (a->t == b->t && a->pkt.pid < b->pkt.pid)) best = (int32_t)h;
    }
    if (best < 0) return;
    const sim_fs t = sim_heap_top_time(&w->slices[best].heap);
    if (tick && every && t >= next_tick) { /* progress only: it reads the time, changes nothing */
      tick(ctx, t);
      next_tick = (t / every + 1) * every;
    }
    asic_sim_step(w, (uint32_t)best, t + w->lookahead);
  }
}

bool asic_attach_block(asic_world *w, uint32_t slice, const pg_block_ops *ops, char *err, size_t errlen) {
  if (slice >= w->n_slices || w->stepping || w->attach[slice].on || !ops->offer) {
    snprintf(err, errlen, "cannot attach a block to slice %u (%s)", slice,
             slice >= w->n_slices ? "no such slice" : w->stepping ? "the run has started"
             : !ops->offer ? "no offer function" : "already attached");
    return false;
  }
  asic_slice *s = &w->slices[slice];
  asic_pg *pg0 = &w->pgs[s->first_pg];
  const asic_params *p = &w->routers[s->router].p;
  if (!pg_attach_init(&w->attach[slice], pg0, s->first_pg, ops, p->pg_out_queue, bw_queue_pkts(p->pg_out_queue),
                      p->pg_in_queue, bw_queue_pkts(p->pg_in_queue))) {
    snprintf(err, errlen, "out of memory attaching a block to slice %u", slice);
    return false;
  }
  return true;
}

void asic_block_push(asic_world *w, uint32_t slice, sim_fs t, uint32_t kind, uint32_t aux, const sim_pkt *pkt) {
  pg_attach_push(w, &w->attach[slice], t, kind, aux, pkt);
}

bool asic_block_return(asic_world *w, uint32_t slice, sim_fs t, const sim_pkt *pkt) {
  return pg_attach_return(w, &w->attach[slice], t, pkt);
}

void asic_block_credit(asic_world *w, uint32_t slice, uint32_t bytes, sim_fs t) {
  pg_attach_credit(w, &w->pgs[w->slices[slice].first_pg], bytes, t);
}

bool asic_sim_first_packet(asic_world *w, uint32_t fi, sim_event *ev) { return make_packet(w, fi, ev); }
