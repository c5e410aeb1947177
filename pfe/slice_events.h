/* Event handlers of the PFE slice (contract: slice.h). Inline, like bw_server's per-packet
 * calls: the composer's event switch (asic/asic_sim.c, the one file that includes this
 * header) compiles every block's handler into one loop with no call per hop. */
#ifndef IPSECSIM_SLICE_EVENTS_H
#define IPSECSIM_SLICE_EVENTS_H

#include "portgroup/portgroup_events.h"
#include "slice.h"

static inline void slice_push_(sim_world *w, const asic_slice *s, uint32_t heap, uint32_t kind, uint32_t aux, sim_fs t,
                 const sim_pkt *pkt) {
  sim_event ev = {.t = t, .kind = kind, .where = heap, .aux = aux, .pkt = *pkt};
  /* lookup completions are usually in order: they take the heap's O(1) FIFO lane */
  sim_world_push(w, heap, &ev, s->self, kind == SLICE_EV_OUT || kind == SLICE_EV_OUT_BLOCK);
}

/* Dispatch key: see portgroup.c (odd offsets: apart from the port groups' keys). */
static inline void slice_push_dispatch_(sim_world *w, const asic_slice *s, sim_fs t) {
  sim_event ev = {.t = t, .kind = SLICE_EV_ARB, .where = s->self};
  ev.pkt.pid = UINT64_MAX - 2ull * s->self - 1;
  sim_world_push(w, s->self, &ev, s->self, false);
}

static inline void slice_out_(sim_world *w, const slice_wiring *x, asic_slice *s, sim_fs t, const sim_pkt *pkt, uint32_t port);

static inline bool slice_in_lk_window_(const asic_slice *s, sim_fs t) { return t >= s->lk.w0 && t < s->lk.w1; }

/* The lookup found no route (owned by the lookup: counted in its window). */
static inline void slice_noroute_(sim_world *w, asic_slice *s, sim_fs done, const sim_pkt *pkt) {
  s->tot_noroute_drops++;
  if (slice_in_lk_window_(s, done)) (*s->noroute_drops)++;
  sim_world_drop(w, pkt, DROP_NO_ROUTE, done);
}

/* IPsec next hops (the lookup's result at `done`): binds pkt->sa and returns the destination
 * word SLICE_TO_BLOCK(anchor slice), or UINT32_MAX when the packet ended here (unknown SPI,
 * exception path, tunnel index out of range = no route). */
static inline uint32_t slice_ipsec_route_(sim_world *w, const slice_wiring *x, asic_slice *s, int32_t nh, sim_fs done,
                                          sim_pkt *pkt) {
  const slice_ipsec *ip = x->ipsec;
  if (SLICE_NH_IS_TUNNEL(nh)) {
    uint32_t t = SLICE_NH_TUNNEL_INDEX(nh);
    if (!ip || t >= ip->n_tunnels) {
      slice_noroute_(w, s, done, pkt);
      return UINT32_MAX;
    }
    if (ip->epoch_first) { /* `events:`: the SA of the epoch holding `done`, or none */
      uint32_t k = ip->epoch_first[t];
      while (k < ip->epoch_first[t + 1] && !(ip->epochs[k].from <= done && done < ip->epochs[k].until)) k++;
      if (k == ip->epoch_first[t + 1]) {
        s->tot_no_sa++;
        if (slice_in_lk_window_(s, done)) (*s->no_sa_drops)++;
        sim_world_drop(w, pkt, DROP_NO_SA, done);
        return UINT32_MAX;
      }
      pkt->sa = ip->epochs[k].sa;
      return SLICE_TO_BLOCK(ip->tunnel_slice[t]);
    }
    pkt->sa = ip->tunnel_sa[t];
    return SLICE_TO_BLOCK(ip->tunnel_slice[t]);
  }
  if (pkt->spi == 0) { /* not ESP: to the host, through its policer */
    if (!host_policer_pass(&s->policer, done)) {
      s->tot_host_policer++;
      if (slice_in_lk_window_(s, done)) (*s->host_policer_drops)++;
      sim_world_drop(w, pkt, DROP_HOST_POLICER, done);
      return UINT32_MAX;
    }
    s->tot_host++;
    if (slice_in_lk_window_(s, done)) (*s->host_pkts)++;
    sim_world_drop(w, pkt, DROP_HOST_PATH, done);
    return UINT32_MAX;
  }
  const slice_spi_entry *e = slice_spi_find(ip, s->router, pkt->route_key, pkt->spi);
  if (e && done >= e->until) { /* a deleted inbound SA (`events:`) */
    s->tot_sa_deleted++;
    if (slice_in_lk_window_(s, done)) (*s->sa_deleted_drops)++;
    sim_world_drop(w, pkt, DROP_SA_DELETED, done);
    return UINT32_MAX;
  }
  if (e && done < e->from) e = NULL; /* not installed yet: unknown at this time */
  if (!e) {
    s->tot_unknown_spi++;
    if (slice_in_lk_window_(s, done)) (*s->unknown_spi_drops)++;
    sim_world_drop(w, pkt, DROP_UNKNOWN_SPI, done);
    return UINT32_MAX;
  }
  pkt->sa = e->sa;
  return SLICE_TO_BLOCK(e->slice);
}

/* slice.in served a packet of `input` (departure d): fabric arrivals go on to slice.out,
 * the rest to the lookup. */
static inline void slice_served_(sim_world *w, const slice_wiring *x, asic_slice *s, uint32_t input, uint32_t aux, sim_fs d,
                   const sim_pkt *pkt) {
  if (input == SLICE_IN_FABRIC) return slice_push_(w, s, s->self, SLICE_EV_OUT_FABRIC, aux, d, pkt);
  sim_fs done = lookup_offer(&s->lk, d, s->cycles_by_flow[pkt->flow]);
  if (done == SIM_FS_NEVER) return sim_world_drop(w, pkt, DROP_LOOKUP, d);
  int32_t nh = s->nh_by_key[(size_t)pkt->route_key * s->nh_stride + s->router];
  /* forwarded at L3 (TTL - 1) unless it ends here: no route, ESP or else for a local address */
  if (pkt->payload != SIM_PAYLOAD_NONE && nh != SLICE_NH_NONE && (nh >= 0 || nh == SLICE_NH_BLOCK || SLICE_NH_IS_TUNNEL(nh)))
    sim_world_forward_l3(w, pkt);
  if (nh == SLICE_NH_BLOCK) return slice_push_(w, s, s->self, SLICE_EV_OUT_BLOCK, 0, done, pkt);
  if (nh <= SLICE_NH_LOCAL) { /* a tunnel or a local gateway: to an engine */
    sim_pkt p = *pkt;
    uint32_t to = slice_ipsec_route_(w, x, s, nh, done, &p);
    if (to == UINT32_MAX) return;
    if (s->direct_out) { /* to another slice's engine: its SLICE_EV_OUT, handled now */
      sim_world_count_event(w, done);
      return slice_out_(w, x, s, done, &p, to);
    }
    return slice_push_(w, s, s->self, SLICE_EV_OUT, to, done, &p);
  }
  if (nh < 0) {
    return slice_noroute_(w, s, done, pkt);
  }
  if (s->direct_out) { /* the SLICE_EV_OUT this packet would take, handled now */
    sim_world_count_event(w, done);
    return slice_out_(w, x, s, done, pkt, (uint32_t)nh);
  }
  slice_push_(w, s, s->self, SLICE_EV_OUT, (uint32_t)nh, done, pkt);
}

/* slice.in took a packet of port group k (0/1 inside the slice) off its queue: credits back. */
static inline void slice_credit_return_(sim_world *w, const slice_wiring *x, const asic_slice *s, uint32_t k, sim_fs t,
                          const sim_pkt *pkt) {
  portgroup_credit_return(w, x->pgs, s->first_pg + k, pkt->bytes, t);
}

static inline void slice_arrive_(sim_world *w, const slice_wiring *x, asic_slice *s, uint32_t input, uint32_t aux, sim_fs t,
                   const sim_pkt *pkt) {
  sim_fs d;
  switch (ingress_arb_arrive(&s->arb, &s->in, input, t, pkt, aux, &d)) {
    case ARB_SERVED:
      if (input != SLICE_IN_FABRIC) slice_credit_return_(w, x, s, input, t, pkt);
      return slice_served_(w, x, s, input, aux, d, pkt);
    case ARB_DROPPED: /* fabric, or a frame larger than the PG's credits */
    case ARB_DROPPED_HELD: return sim_world_drop(w, pkt, DROP_SLICE_IN, t);
    case ARB_QUEUED_SCHEDULE: return slice_push_dispatch_(w, s, d);
    case ARB_QUEUED: return;
  }
}

/* A packet offered to slice.out at t for egress `port`. */
static inline void slice_out_(sim_world *w, const slice_wiring *x, asic_slice *s, sim_fs t, const sim_pkt *pkt, uint32_t port) {
  sim_fs d = bw_server_offer(&s->out, t, pkt->bytes);
  if (d == SIM_FS_NEVER) return sim_world_drop(w, pkt, DROP_SLICE_OUT, t);
  const bool to_block = port & SLICE_TO_BLOCK_FLAG;
  const uint32_t dest = to_block ? port & ~SLICE_TO_BLOCK_FLAG : x->ports[port].slice;
  if (dest == s->self)
    return to_block ? pg_attach_send(w, &x->pgs[s->first_pg], d, pkt) : portgroup_send(w, x->ports, x->pgs, port, d, pkt);
  sim_fs f = bw_server_offer(&s->fab, d, pkt->bytes);
  if (f == SIM_FS_NEVER) return sim_world_drop(w, pkt, DROP_FABRIC, d);
  if (to_block) { /* to a remote anchor's engine: the crossing is counted */
    s->tot_engine_crossings++;
    if (d >= s->fab.w0 && d < s->fab.w1) (*s->engine_crossings)++;
  }
  sim_fs lat = x->slices[dest].asic == s->asic ? s->fabric_latency_slice : s->fabric_latency_asic;
  slice_push_(w, s, dest, SLICE_EV_FROM_FABRIC, port, f + lat, pkt);
}

/* To the block attached to PG0, through slice.out. */
static inline void slice_out_block_(sim_world *w, const slice_wiring *x, asic_slice *s, sim_fs t, const sim_pkt *pkt) {
  sim_fs d = bw_server_offer(&s->out, t, pkt->bytes);
  if (d == SIM_FS_NEVER) return sim_world_drop(w, pkt, DROP_SLICE_OUT, t);
  pg_attach_send(w, &x->pgs[s->first_pg], d, pkt);
}

static inline void slice_handle(sim_world *w, const slice_wiring *x, const sim_event *ev) {
  asic_slice *s = &x->slices[ev->where];
  switch (ev->kind) {
    case SLICE_EV_FROM_PG: return slice_arrive_(w, x, s, ev->aux, 0, ev->t, &ev->pkt);
    case SLICE_EV_FROM_FABRIC: return slice_arrive_(w, x, s, SLICE_IN_FABRIC, ev->aux, ev->t, &ev->pkt);
    case SLICE_EV_OUT:
    case SLICE_EV_OUT_FABRIC: return slice_out_(w, x, s, ev->t, &ev->pkt, ev->aux);
    case SLICE_EV_OUT_BLOCK: return slice_out_block_(w, x, s, ev->t, &ev->pkt);
    case SLICE_EV_ARB: {
      arb_item it;
      sim_fs d, next;
      if (!ingress_arb_dispatch(&s->arb, &s->in, ev->t, &it, &d, &next)) return;
      if (next != SIM_FS_NEVER) slice_push_dispatch_(w, s, next);
      if (it.input != SLICE_IN_FABRIC) slice_credit_return_(w, x, s, it.input, ev->t, &it.pkt);
      return slice_served_(w, x, s, it.input, it.aux, d, &it.pkt);
    }
  }
}

#endif
