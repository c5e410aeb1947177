/* Event processing of the ASIC timing model; see asic_sim.h for the packet path. */
#include "asic_sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic_preset.h"

const char *const asic_drop_names[DROP_N] = {
    "pg_in_queue_full", "slice_in_queue_full", "lookup_queue_full", "no_route",
    "slice_out_queue_full", "fabric_queue_full", "pg_out_queue_full", "port_tx_queue_full",
    "hop_limit", "slice_backpressure"};

enum { EV_SRC, EV_PG_IN, EV_SLICE_IN, EV_SLICE_OUT, EV_ENGINE_IN, EV_PG_ARB, EV_SLICE_ARB };
#define PKT_FROM_FABRIC 1u

static uint32_t pkts_of(uint64_t bytes) { return (uint32_t)(bytes / 64 + 2); }

/* Arbiter weights: one unit per 100 Gbit/s of the input's speed (at least 1); the quantum
 * unit exceeds a 1518-byte frame so a 100G port sends at least one such frame per visit.
 * The engine's return path is weighted as the seed's 300 Gbit/s IPsec share of PG0. */
#define ARB_QUANTUM_UNIT 2048u
#define ENGINE_WEIGHT 3u
static uint32_t weight_of(double rate_bps) {
  double u = rate_bps / 100e9;
  return u < 1 ? 1u : (uint32_t)(u + 0.5);
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
  if (!w->slices || !w->pgs || !w->ports) {
    snprintf(err, errlen, "out of memory");
    return false;
  }
  uint32_t asic_base = 0;
  for (uint32_t r = 0; r < n_routers; r++) {
    const asic_params *p = &routers[r].p;
    for (uint32_t s = 0; s < 2 * routers[r].n_asics; s++) {
      uint32_t gi = routers[r].first_asic_slice + s;
      asic_slice *sl = &w->slices[gi];
      sl->router = r;
      sl->asic = asic_base + s / 2;
      sl->index = s % 2;
      sl->first_pg = 2 * gi;
      sl->noroute_drops = &sl->noroute_own_;
      sl->backpressure_drops = &sl->backpressure_own_;
      uint64_t sbw = sim_rate_bps(p->slice_bw);
      /* slice.in: the queues are the arbiter's, one per input; the server holds the packet
       * in service only */
      uint32_t sw[SLICE_IN_N] = {weight_of(p->pg_bw), weight_of(p->pg_bw), weight_of(p->fabric_bw)};
      bool ok = ingress_arb_init(&sl->arb, SLICE_IN_N, sw, ARB_QUANTUM_UNIT, p->slice_in_queue,
                                 pkts_of(p->slice_in_queue)) &&
                bw_server_init(&sl->in, sbw, SIM_ETH_L1_OVERHEAD, 0, UINT64_MAX, 2) &&
                bw_server_init(&sl->out, sbw, SIM_ETH_L1_OVERHEAD, 0, p->slice_out_queue, pkts_of(p->slice_out_queue)) &&
                bw_server_init(&sl->fab, sim_rate_bps(p->fabric_bw), (uint32_t)p->fabric_overhead, 0,
                               p->fabric_queue, pkts_of(p->fabric_queue)) &&
                lookup_init(&sl->lk, (uint32_t)(p->lookup_ppes * p->lookup_threads_per_ppe), p->lookup_clock,
                            (uint32_t)p->lookup_queue) &&
                sim_heap_init(&sl->heap, 1024);
      for (uint32_t g = 0; g < 2 && ok; g++) {
        asic_pg *pg = &w->pgs[2 * gi + g];
        pg->slice = gi;
        uint64_t bw = sim_rate_bps(p->pg_bw);
        ok = bw_server_init(&pg->in, bw, SIM_ETH_L1_OVERHEAD, 0, UINT64_MAX, 2) &&
             bw_server_init(&pg->out, bw, SIM_ETH_L1_OVERHEAD, 0, p->pg_out_queue, pkts_of(p->pg_out_queue));
      }
      if (!ok) {
        snprintf(err, errlen, "out of memory building slice %u", gi);
        return false;
      }
    }
    for (uint32_t i = 0; i < routers[r].n_ports; i++) {
      asic_port_desc d;
      asic_preset_port(&routers[r].plat, i, &d);
      asic_port *pt = &w->ports[routers[r].first_port + i];
      snprintf(pt->name, sizeof pt->name, "et-%u/%u/%u", d.fpc, d.pic, d.portno);
      pt->router = r;
      pt->asic = asic_base + d.asic;
      pt->slice = routers[r].first_asic_slice + 2 * d.asic + d.slice;
      pt->pg = 2 * pt->slice + d.pg;
      pt->fpc = d.fpc;
      pt->pic = d.pic;
      pt->portno = d.portno;
      pt->rate_bps = d.rate_bps;
      pt->peer = -1;
      pt->pg_input = w->pgs[pt->pg].n_ports++;
      if (!bw_server_init(&pt->tx, d.rate_bps, SIM_ETH_L1_OVERHEAD, 0, p->port_tx_queue, pkts_of(p->port_tx_queue))) {
        snprintf(err, errlen, "out of memory building port %s", pt->name);
        return false;
      }
    }
    /* PG ingress arbiters: one input per port weighted by its speed, plus the engine on PG0 */
    for (uint32_t s = 0; s < 2 * routers[r].n_asics; s++)
      for (uint32_t g = 0; g < 2; g++) {
        uint32_t pgi = 2 * (routers[r].first_asic_slice + s) + g;
        asic_pg *pg = &w->pgs[pgi];
        uint32_t n_in = pg->n_ports + (g == 0), weights[64];
        if (n_in > 64) {
          snprintf(err, errlen, "port group %u: more than 63 ports", pgi);
          return false;
        }
        for (uint32_t i = 0; i < routers[r].n_ports; i++) {
          const asic_port *pt = &w->ports[routers[r].first_port + i];
          if (pt->pg == pgi) weights[pt->pg_input] = weight_of((double)pt->rate_bps);
        }
        if (g == 0) weights[pg->n_ports] = ENGINE_WEIGHT;
        if (!ingress_arb_init(&pg->arb, n_in, weights, ARB_QUANTUM_UNIT, p->pg_in_queue, pkts_of(p->pg_in_queue))) {
          snprintf(err, errlen, "out of memory building port group %u", pgi);
          return false;
        }
        /* credits = the PG's queue at slice.in (same capacity as set on the slice arbiter) */
        ingress_arb_set_credit(&pg->arb, p->slice_in_queue, pkts_of(p->slice_in_queue));
      }
    asic_base += routers[r].n_asics;
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

/* Makes the flow's next packet and its source event; false when past the window. */
static bool make_packet(asic_world *w, uint32_t fi, sim_event *ev) {
  asic_flow *f = &w->flows[fi];
  if (f->next_t >= w->w1) return false;
  const asic_port *pt = &w->ports[f->port];
  uint16_t size = next_size(f);
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
  ev->pkt.sub = (uint16_t)(f->n_addr > 1 ? (f->seq - 1) % f->n_addr : 0);
  ev->pkt.bytes = size;
  ev->pkt.t_first_in = t0;
  ev->pkt.t_last_in = t0 + f->memo_pre;
  ev->t = ev->pkt.t_last_in;
  return true;
}

/* ---- event handling ---- */

static void push(asic_world *w, uint32_t h, uint32_t kind, uint32_t where, uint32_t aux, sim_fs t,
                 const sim_pkt *pkt, uint32_t from_heap) {
  sim_event ev = {.t = t, .kind = kind, .where = where, .aux = aux, .pkt = *pkt};
  /* lookup completions are usually in order: they take the heap's O(1) FIFO lane */
  if (kind == EV_SLICE_OUT && !(pkt->flags & PKT_FROM_FABRIC)) sim_heap_push_lane(&w->slices[h].heap, &ev);
  else sim_heap_push(&w->slices[h].heap, &ev);
  if (h != from_heap && w->notify) w->notify(w->notify_ctx, h, t);
}

static void drop(asic_world *w, const sim_pkt *pkt, asic_drop why, sim_fs t) {
  asic_flow *f = &w->flows[pkt->flow];
  f->tot_drops[why]++;
  if (t >= w->w0 && t < w->w1) (*f->drops[why])++, (*f->drops_total)++;
}

static void sink(asic_world *w, const sim_pkt *pkt, sim_fs t_out) {
  asic_flow *f = &w->flows[pkt->flow];
  f->tot_recv++;
  if (t_out < w->w0 || t_out >= w->w1) return;
  (*f->recv)++;
  f->recv_bytes += pkt->bytes;
  stats_hist_record(f->lat_lifo, t_out - pkt->t_last_in);
  stats_hist_record(f->lat_fifo, t_out - pkt->t_first_in);
  uint64_t b = (t_out - w->w0) / w->bucket;
  if (b < w->n_buckets) f->series_bytes[b] += pkt->bytes;
}

/* Dispatch events belong to no packet: their key (t, pid) uses pids from the top of the
 * range, unique per arbiter, so at equal times every packet arrival is queued first. */
static void push_dispatch(asic_world *w, uint32_t h, uint32_t kind, uint32_t where, sim_fs t) {
  sim_pkt none = {0};
  none.pid = UINT64_MAX - 2ull * where - (kind == EV_SLICE_ARB);
  push(w, h, kind, where, 0, t, &none, h);
}

/* PG.in served a packet (departure d): on to the slice's buffer-write arbiter. */
static void pg_forward(asic_world *w, uint32_t pgi, sim_fs d, const sim_pkt *pkt) {
  uint32_t s = w->pgs[pgi].slice;
  push(w, s, EV_SLICE_IN, s, pgi - w->slices[s].first_pg, d, pkt, s);
}

static void pg_arrive(asic_world *w, uint32_t pgi, uint32_t input, sim_fs t, const sim_pkt *pkt) {
  asic_pg *pg = &w->pgs[pgi];
  sim_fs x;
  switch (ingress_arb_arrive(&pg->arb, &pg->in, input, t, pkt, 0, &x)) {
    case ARB_SERVED: return pg_forward(w, pgi, x, pkt);
    case ARB_DROPPED: return drop(w, pkt, DROP_PG_IN, t);
    case ARB_DROPPED_HELD: {
      if (t >= w->w0 && t < w->w1) (*w->slices[pg->slice].backpressure_drops)++;
      return drop(w, pkt, DROP_SLICE_BACKPRESSURE, t);
    }
    case ARB_QUEUED_SCHEDULE: return push_dispatch(w, pg->slice, EV_PG_ARB, pgi, x);
    case ARB_QUEUED: return;
  }
}

static void pg_in(asic_world *w, uint32_t port, sim_fs t, const sim_pkt *pkt) {
  asic_port *pt = &w->ports[port];
  if (t >= w->w0 && t < w->w1) {
    pt->rx_pkts++;
    pt->rx_bytes += pkt->bytes;
  }
  pg_arrive(w, pt->pg, pt->pg_input, t, pkt);
}

/* PG.out then the port's MAC; the packet then leaves on the wire (sink or link). */
static void to_port(asic_world *w, uint32_t port, sim_fs t, const sim_pkt *pkt) {
  asic_port *pt = &w->ports[port];
  sim_fs d = bw_server_offer(&w->pgs[pt->pg].out, t, pkt->bytes);
  if (d == SIM_FS_NEVER) return drop(w, pkt, DROP_PG_OUT, t);
  if (bw_server_offer(&pt->tx, d, pkt->bytes) == SIM_FS_NEVER) return drop(w, pkt, DROP_PORT_TX, d);
  sim_fs first_out = pt->tx.last_start;
  if (pt->peer < 0) return sink(w, pkt, first_out);
  sim_pkt p = *pkt;
  if (++p.hops > ASIC_MAX_HOPS) return drop(w, pkt, DROP_HOP_LIMIT, first_out);
  const asic_port *peer = &w->ports[pt->peer];
  sim_fs arrive = first_out + sim_ser_fs(p.bytes + SIM_ETH_PREAMBLE_SFD, pt->rate_bps) + pt->link_latency;
  push(w, peer->slice, EV_PG_IN, (uint32_t)pt->peer, 0, arrive, &p, pt->slice);
}

/* slice.in took a packet of port group `k` (0/1 inside the slice) off its queue at t: the
 * PG's credits come back, and a PG held by them resumes (one dispatch event). */
static void slice_credit_return(asic_world *w, uint32_t s, uint32_t k, sim_fs t, const sim_pkt *pkt) {
  uint32_t pgi = w->slices[s].first_pg + k;
  asic_pg *pg = &w->pgs[pgi];
  sim_fs x;
  if (ingress_arb_credit_return(&pg->arb, &pg->in, pkt->bytes, t, &x)) push_dispatch(w, s, EV_PG_ARB, pgi, x);
}

static void slice_out(asic_world *w, uint32_t s, sim_fs t, const sim_pkt *pkt, uint32_t aux);

/* slice.in served a packet (departure d): fabric arrivals go to slice.out, the rest to the
 * lookup. aux: egress port for fabric arrivals. */
static void slice_in_served(asic_world *w, uint32_t s, sim_fs d, const sim_pkt *pkt, uint32_t aux) {
  asic_slice *sl = &w->slices[s];
  if (pkt->flags & PKT_FROM_FABRIC) return push(w, s, EV_SLICE_OUT, s, aux, d, pkt, s);
  asic_flow *f = &w->flows[pkt->flow];
  sim_fs done = lookup_offer(&sl->lk, d, f->lookup_cycles);
  if (done == SIM_FS_NEVER) return drop(w, pkt, DROP_LOOKUP, d);
  int32_t nh = f->egress[sl->router * f->n_addr + pkt->sub];
  if (nh == ASIC_NH_ENGINE) return push(w, s, EV_SLICE_OUT, s, UINT32_MAX, done, pkt, s);
  if (nh < 0) {
    sl->tot_noroute_drops++;
    if (done >= w->w0 && done < w->w1) (*sl->noroute_drops)++;
    return drop(w, pkt, DROP_NO_ROUTE, done);
  }
  if (sl->direct_out) { /* the EV_SLICE_OUT this packet would take, handled now */
    w->events++;
    if (done > w->t_end) w->t_end = done;
    return slice_out(w, s, done, pkt, (uint32_t)nh);
  }
  push(w, s, EV_SLICE_OUT, s, (uint32_t)nh, done, pkt, s);
}

/* Arrival at slice.in: aux = PG index inside the slice (0/1), or the egress port for a
 * packet from the fabric. */
static void slice_in(asic_world *w, uint32_t s, sim_fs t, const sim_event *ev) {
  asic_slice *sl = &w->slices[s];
  uint32_t input = (ev->pkt.flags & PKT_FROM_FABRIC) ? SLICE_IN_FABRIC : ev->aux;
  sim_fs x;
  switch (ingress_arb_arrive(&sl->arb, &sl->in, input, t, &ev->pkt, ev->aux, &x)) {
    case ARB_SERVED:
      if (input != SLICE_IN_FABRIC) slice_credit_return(w, s, input, t, &ev->pkt);
      return slice_in_served(w, s, x, &ev->pkt, ev->aux);
    case ARB_DROPPED: /* fabric, or a frame larger than the PG's credits */
    case ARB_DROPPED_HELD: return drop(w, &ev->pkt, DROP_SLICE_IN, t);
    case ARB_QUEUED_SCHEDULE: return push_dispatch(w, s, EV_SLICE_ARB, s, x);
    case ARB_QUEUED: return;
  }
}

/* A packet offered to slice.out at t; aux: egress port, or UINT32_MAX for the engine. */
static void slice_out(asic_world *w, uint32_t s, sim_fs t, const sim_pkt *pkt, uint32_t aux) {
  asic_slice *sl = &w->slices[s];
  sim_fs d = bw_server_offer(&sl->out, t, pkt->bytes);
  if (d == SIM_FS_NEVER) return drop(w, pkt, DROP_SLICE_OUT, t);
  if (aux == UINT32_MAX) { /* to the engine through PG0's egress bandwidth */
    sim_fs e = bw_server_offer(&w->pgs[sl->first_pg].out, d, pkt->bytes);
    if (e == SIM_FS_NEVER) return drop(w, pkt, DROP_PG_OUT, d);
    if (w->engine.accept) w->engine.accept(w->engine.ctx, s, e, pkt);
    return;
  }
  const asic_port *pt = &w->ports[aux];
  if (pt->slice == s) return to_port(w, aux, d, pkt);
  sim_fs f = bw_server_offer(&sl->fab, d, pkt->bytes);
  if (f == SIM_FS_NEVER) return drop(w, pkt, DROP_FABRIC, d);
  const asic_params *p = &w->routers[sl->router].p;
  sim_fs lat = w->slices[pt->slice].asic == sl->asic ? p->fabric_latency_slice : p->fabric_latency_asic;
  sim_pkt pk = *pkt;
  pk.flags |= PKT_FROM_FABRIC;
  push(w, pt->slice, EV_SLICE_IN, pt->slice, aux, f + lat, &pk, s);
}

static void handle(asic_world *w, uint32_t h, const sim_event *ev) {
  switch (ev->kind) {
    case EV_SRC: {
      asic_flow *f = &w->flows[ev->where];
      f->tot_sent++;
      if (ev->pkt.t_first_in >= w->w0 && ev->pkt.t_first_in < w->w1) {
        (*f->sent)++;
        f->sent_bytes += ev->pkt.bytes;
      }
      sim_event next;
      if (make_packet(w, ev->where, &next)) sim_heap_push(&w->slices[h].heap, &next);
      pg_in(w, f->port, ev->t, &ev->pkt);
      break;
    }
    case EV_PG_IN: pg_in(w, ev->where, ev->t, &ev->pkt); break;
    case EV_ENGINE_IN: { /* engine output enters PG0.in like a port's traffic, last input */
      uint32_t pgi = w->slices[ev->where].first_pg;
      pg_arrive(w, pgi, w->pgs[pgi].n_ports, ev->t, &ev->pkt);
      break;
    }
    case EV_PG_ARB: {
      asic_pg *pg = &w->pgs[ev->where];
      arb_item it;
      sim_fs d, next;
      if (!ingress_arb_dispatch(&pg->arb, &pg->in, ev->t, &it, &d, &next)) break;
      if (next != SIM_FS_NEVER) push_dispatch(w, h, EV_PG_ARB, ev->where, next);
      pg_forward(w, ev->where, d, &it.pkt);
      break;
    }
    case EV_SLICE_ARB: {
      asic_slice *sl = &w->slices[ev->where];
      arb_item it;
      sim_fs d, next;
      if (!ingress_arb_dispatch(&sl->arb, &sl->in, ev->t, &it, &d, &next)) break;
      if (next != SIM_FS_NEVER) push_dispatch(w, h, EV_SLICE_ARB, ev->where, next);
      if (!(it.pkt.flags & PKT_FROM_FABRIC)) slice_credit_return(w, ev->where, it.aux, ev->t, &it.pkt);
      slice_in_served(w, ev->where, d, &it.pkt, it.aux);
      break;
    }
    case EV_SLICE_IN: slice_in(w, ev->where, ev->t, ev); break;
    case EV_SLICE_OUT: slice_out(w, ev->where, ev->t, &ev->pkt, ev->aux); break;
  }
}

/* Lookup completions straight through (DESIGN.md: fewer kernel events where nothing
 * contends). slice.out, and behind it PG.out and the port MACs, are touched only by the
 * slice's EV_SLICE_OUT events, popped in (t, pid) order. A slice may skip them and offer a
 * packet to slice.out when its lookup is computed, with the same result, when the order of
 * lookup computations is already that order and nothing else feeds slice.out:
 * - every flow has the same lookup occupancy, so the pool stays a ring and lookup ends
 *   strictly increase with slice.in departures (which strictly increase: a FIFO server);
 * - no packet can reach the slice over the fabric (a route whose egress port is on another
 *   slice than the ingress port; with inter-router links any slice of the router may be an
 *   ingress, conservatively);
 * - no route leads to the engine and no engine is attached (its returns enter anywhere).
 * Decided once, when stepping starts (tests may change routes after asic_world_start). */
static void prepare_direct_out(asic_world *w) {
  w->stepping = true;
  bool ok = !w->engine.accept, links = false;
  for (uint32_t i = 0; i < w->n_ports; i++) links |= w->ports[i].peer >= 0;
  bool *fabric_in = calloc(w->n_slices ? w->n_slices : 1, sizeof *fabric_in);
  if (!fabric_in) return;
  for (uint32_t fi = 0; fi < w->n_flows && ok; fi++) {
    const asic_flow *f = &w->flows[fi];
    if (f->lookup_cycles != w->flows[0].lookup_cycles) ok = false;
    for (uint32_t r = 0; r < w->n_routers && ok; r++)
      for (uint32_t k = 0; k < f->n_addr; k++) {
        int32_t nh = f->egress[r * f->n_addr + k];
        if (nh == ASIC_NH_ENGINE) ok = false;
        if (nh < 0 || (!links && r != f->router)) continue; /* the flow never reaches r */
        uint32_t e = w->ports[nh].slice;
        if (links || w->ports[f->port].slice != e) fabric_in[e] = true;
      }
  }
  for (uint32_t s = 0; s < w->n_slices; s++) w->slices[s].direct_out = ok && !fabric_in[s];
  free(fabric_in);
}

uint64_t asic_sim_step(asic_world *w, uint32_t h, sim_fs limit) {
  if (!w->stepping) prepare_direct_out(w);
  sim_heap *hp = &w->slices[h].heap;
  uint64_t n = 0;
  sim_event ev;
  while (sim_heap_pop_before(hp, limit, &ev)) {
    if (ev.t > w->t_end) w->t_end = ev.t;
    handle(w, h, &ev);
    n++;
  }
  sim_heap_settle(hp);
  w->events += n;
  return n;
}

void asic_sim_run_c(asic_world *w) {
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
    asic_sim_step(w, (uint32_t)best, sim_heap_top_time(&w->slices[best].heap) + w->lookahead);
  }
}

void asic_sim_engine_return(asic_world *w, uint32_t slice, sim_fs t, const sim_pkt *pkt) {
  sim_pkt p = *pkt;
  p.flags &= (uint8_t)~PKT_FROM_FABRIC;
  push(w, slice, EV_ENGINE_IN, slice, 0, t, &p, UINT32_MAX);
}

bool asic_sim_first_packet(asic_world *w, uint32_t fi, sim_event *ev) { return make_packet(w, fi, ev); }
