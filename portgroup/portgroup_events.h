/* Per-packet paths and the event handler of ports and port groups (contract:
 * portgroup.h). Inline, like bw_server's per-packet calls: the composer's event switch
 * (asic/asic_sim.c, the one file that includes this header) compiles every block's handler
 * into one loop with no call per hop. */
#ifndef IPSECSIM_PORTGROUP_EVENTS_H
#define IPSECSIM_PORTGROUP_EVENTS_H

#include "portgroup.h"

static inline bool pg_in_window_(const ingress_arb *a, sim_fs t) { return t >= a->w0 && t < a->w1; }

/* Dispatch events belong to no packet: their key (t, pid) uses pids from the top of the
 * range, unique per arbiter, so at equal times every packet arrival is queued first. */
static inline void pg_push_dispatch_(sim_world *w, const asic_pg *pg, uint32_t pgi, sim_fs t) {
  sim_event ev = {.t = t, .kind = PG_EV_ARB, .where = pgi};
  ev.pkt.pid = UINT64_MAX - 2ull * pgi;
  sim_world_push(w, pg->slice, &ev, pg->slice, false);
}

/* PG.in served a packet (departure d): on to the downstream (its slice's slice.in). */
static inline void pg_forward_(sim_world *w, const asic_pg *pg, sim_fs d, const sim_pkt *pkt) {
  sim_event ev = {.t = d, .kind = pg->feed.kind, .where = pg->feed.where, .aux = pg->feed.aux, .pkt = *pkt};
  sim_world_push(w, pg->feed.heap, &ev, pg->slice, false);
}

/* The block's packet left PG0.in's queue for it: its credits come back. */
static inline void pg_block_input_taken_(asic_pg *pg, uint32_t input, uint32_t bytes, sim_fs t) {
  if (!pg->att || input != pg->n_ports) return;
  pg->att->ret_bytes += bytes;
  pg->att->ret_pkts++;
  if (pg->att->ops.returned) pg->att->ops.returned(pg->att->ops.ctx, pg->slice, bytes, t);
}

static inline void pg_arrive_(sim_world *w, asic_pg *pgs, uint32_t pgi, uint32_t input, sim_fs t, const sim_pkt *pkt) {
  asic_pg *pg = &pgs[pgi];
  sim_fs x;
  switch (ingress_arb_arrive(&pg->arb, &pg->in, input, t, pkt, 0, &x)) {
    case ARB_SERVED:
      pg_block_input_taken_(pg, input, pkt->bytes, t);
      return pg_forward_(w, pg, x, pkt);
    case ARB_DROPPED:
      pg_block_input_taken_(pg, input, pkt->bytes, t); /* never queued: its credits come back */
      return sim_world_drop(w, pkt, DROP_PG_IN, t);
    case ARB_DROPPED_HELD:
      pg_block_input_taken_(pg, input, pkt->bytes, t);
      if (pg_in_window_(&pg->arb, t)) (*pg->owner_held)++;
      return sim_world_drop(w, pkt, DROP_SLICE_BACKPRESSURE, t);
    case ARB_QUEUED_SCHEDULE: return pg_push_dispatch_(w, pg, pgi, x);
    case ARB_QUEUED: return;
  }
}

static inline void portgroup_port_rx(sim_world *w, asic_port *ports, asic_pg *pgs, uint32_t port, sim_fs t, const sim_pkt *pkt) {
  asic_port *pt = &ports[port];
  if ((pt->tap & SIM_WIRE_RX) && !sim_world_wire(w, port, SIM_WIRE_RX, t, pkt)) return;
  if (t >= pt->tx.w0 && t < pt->tx.w1) {
    pt->rx_pkts++;
    pt->rx_bytes += pkt->bytes;
  }
  pg_arrive_(w, pgs, pt->pg, pt->pg_input, t, pkt);
}

static inline void portgroup_send(sim_world *w, asic_port *ports, asic_pg *pgs, uint32_t port, sim_fs t, const sim_pkt *pkt) {
  asic_port *pt = &ports[port];
  sim_fs d = bw_server_offer(&pgs[pt->pg].out, t, pkt->bytes);
  if (d == SIM_FS_NEVER) return sim_world_drop(w, pkt, DROP_PG_OUT, t);
  if (bw_server_offer(&pt->tx, d, pkt->bytes) == SIM_FS_NEVER) return sim_world_drop(w, pkt, DROP_PORT_TX, d);
  sim_fs first_out = pt->tx.last_start;
  if (pt->tap & SIM_WIRE_TX) sim_world_wire(w, port, SIM_WIRE_TX, first_out, pkt);
  if (pt->peer < 0) return sim_world_deliver(w, pkt, first_out);
  sim_event ev = {.kind = PG_EV_PORT_RX, .where = (uint32_t)pt->peer, .pkt = *pkt};
  if (++ev.pkt.hops > SIM_MAX_HOPS) return sim_world_drop(w, pkt, DROP_HOP_LIMIT, first_out);
  ev.t = first_out + sim_ser_fs(pkt->bytes + SIM_ETH_PREAMBLE_SFD, pt->rate_bps) + pt->link_latency;
  sim_world_push(w, ports[pt->peer].slice, &ev, pt->slice, false);
}

static inline void portgroup_credit_return(sim_world *w, asic_pg *pgs, uint32_t pgi, uint32_t bytes, sim_fs t) {
  asic_pg *pg = &pgs[pgi];
  sim_fs x;
  if (ingress_arb_credit_return(&pg->arb, &pg->in, bytes, t, &x)) pg_push_dispatch_(w, pg, pgi, x);
}

static inline void portgroup_handle(sim_world *w, asic_port *ports, asic_pg *pgs, const sim_event *ev) {
  switch (ev->kind) {
    case PG_EV_PORT_RX: return portgroup_port_rx(w, ports, pgs, ev->where, ev->t, &ev->pkt);
    case PG_EV_BLOCK_RX: return pg_arrive_(w, pgs, ev->where, pgs[ev->where].n_ports, ev->t, &ev->pkt);
    case PG_EV_BLOCK_ARB: return pg_attach_dispatch(w, &pgs[ev->where], ev->t);
    case PG_EV_ARB: {
      asic_pg *pg = &pgs[ev->where];
      arb_item it;
      sim_fs d, next;
      if (!ingress_arb_dispatch(&pg->arb, &pg->in, ev->t, &it, &d, &next)) return;
      if (next != SIM_FS_NEVER) pg_push_dispatch_(w, pg, ev->where, next);
      pg_block_input_taken_(pg, it.input, it.pkt.bytes, ev->t);
      return pg_forward_(w, pg, d, &it.pkt);
    }
  }
}

#endif
