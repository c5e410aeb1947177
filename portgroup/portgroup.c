/* Ports and port groups: set-up, per-packet paths and event handler; see portgroup.h. */
#include "portgroup.h"

#include <math.h>
#include <string.h>

uint32_t pg_weight_of(double rate_bps) {
  double u = rate_bps / 100e9;
  return u < 1 ? 1u : (uint32_t)(u + 0.5);
}

bool portgroup_port_init(asic_port *pt, uint64_t rate_bps, uint64_t tx_queue_bytes, uint32_t tx_queue_pkts) {
  pt->rate_bps = rate_bps;
  pt->peer = -1;
  return bw_server_init(&pt->tx, rate_bps, SIM_ETH_L1_OVERHEAD, 0, tx_queue_bytes, tx_queue_pkts);
}

void portgroup_port_set_speed(asic_port *pt, asic_pg *pg, uint64_t bps) {
  arb_input *q = &pg->arb.in[pt->pg_input];
  uint64_t quantum = (uint64_t)llround((double)q->quantum * (double)bps / (double)pt->rate_bps);
  q->quantum = (uint32_t)(quantum ? quantum : 1);
  pt->rate_bps = bps;
  pt->tx.rate_bps = bps;
  pt->tx.memo_bytes = 0; /* forget the service time memo of the old rate */
}

bool portgroup_pg_init(asic_pg *pg, uint64_t bw, uint64_t in_queue_bytes, uint32_t in_queue_pkts,
                       uint64_t out_queue_bytes, uint32_t out_queue_pkts, const uint32_t *weights, uint32_t n_in,
                       uint64_t credit_bytes, uint32_t credit_pkts) {
  if (!bw_server_init(&pg->in, bw, SIM_ETH_L1_OVERHEAD, 0, UINT64_MAX, 2) ||
      !bw_server_init(&pg->out, bw, SIM_ETH_L1_OVERHEAD, 0, out_queue_bytes, out_queue_pkts) ||
      !ingress_arb_init(&pg->arb, n_in, weights, PG_ARB_QUANTUM_UNIT, in_queue_bytes, in_queue_pkts))
    return false;
  /* DRR charges what the PG's bandwidth charges (frame + 20 B): speed-weighted L1 shares */
  ingress_arb_set_overhead(&pg->arb, pg->in.overhead);
  ingress_arb_set_credit(&pg->arb, credit_bytes, credit_pkts);
  return true;
}

void portgroup_pg_free(asic_pg *pg) {
  bw_server_free(&pg->in);
  ingress_arb_free(&pg->arb);
  bw_server_free(&pg->out);
  if (pg->att) pg_attach_free(pg->att);
}

static bool in_window(const ingress_arb *a, sim_fs t) { return t >= a->w0 && t < a->w1; }

/* Dispatch events belong to no packet: their key (t, pid) uses pids from the top of the
 * range, unique per arbiter, so at equal times every packet arrival is queued first. */
static void push_dispatch(sim_world *w, const asic_pg *pg, uint32_t pgi, sim_fs t) {
  sim_event ev = {.t = t, .kind = PG_EV_ARB, .where = pgi};
  ev.pkt.pid = UINT64_MAX - 2ull * pgi;
  sim_world_push(w, pg->slice, &ev, pg->slice, false);
}

/* PG.in served a packet (departure d): on to the downstream (its slice's slice.in). */
static void forward(sim_world *w, const asic_pg *pg, sim_fs d, const sim_pkt *pkt) {
  sim_event ev = {.t = d, .kind = pg->feed.kind, .where = pg->feed.where, .aux = pg->feed.aux, .pkt = *pkt};
  sim_world_push(w, pg->feed.heap, &ev, pg->slice, false);
}

/* The block's packet left PG0.in's queue for it: its credits come back. */
static void block_input_taken(asic_pg *pg, uint32_t input, uint32_t bytes, sim_fs t) {
  if (!pg->att || input != pg->n_ports) return;
  pg->att->ret_bytes += bytes;
  pg->att->ret_pkts++;
  if (pg->att->ops.returned) pg->att->ops.returned(pg->att->ops.ctx, pg->slice, bytes, t);
}

static void arrive(sim_world *w, asic_pg *pgs, uint32_t pgi, uint32_t input, sim_fs t, const sim_pkt *pkt) {
  asic_pg *pg = &pgs[pgi];
  sim_fs x;
  switch (ingress_arb_arrive(&pg->arb, &pg->in, input, t, pkt, 0, &x)) {
    case ARB_SERVED:
      block_input_taken(pg, input, pkt->bytes, t);
      return forward(w, pg, x, pkt);
    case ARB_DROPPED:
      block_input_taken(pg, input, pkt->bytes, t); /* never queued: its credits come back */
      return sim_world_drop(w, pkt, DROP_PG_IN, t);
    case ARB_DROPPED_HELD:
      block_input_taken(pg, input, pkt->bytes, t);
      if (in_window(&pg->arb, t)) (*pg->owner_held)++;
      return sim_world_drop(w, pkt, DROP_SLICE_BACKPRESSURE, t);
    case ARB_QUEUED_SCHEDULE: return push_dispatch(w, pg, pgi, x);
    case ARB_QUEUED: return;
  }
}

void portgroup_port_rx(sim_world *w, asic_port *ports, asic_pg *pgs, uint32_t port, sim_fs t, const sim_pkt *pkt) {
  asic_port *pt = &ports[port];
  if (t >= pt->tx.w0 && t < pt->tx.w1) {
    pt->rx_pkts++;
    pt->rx_bytes += pkt->bytes;
  }
  arrive(w, pgs, pt->pg, pt->pg_input, t, pkt);
}

void portgroup_send(sim_world *w, asic_port *ports, asic_pg *pgs, uint32_t port, sim_fs t, const sim_pkt *pkt) {
  asic_port *pt = &ports[port];
  sim_fs d = bw_server_offer(&pgs[pt->pg].out, t, pkt->bytes);
  if (d == SIM_FS_NEVER) return sim_world_drop(w, pkt, DROP_PG_OUT, t);
  if (bw_server_offer(&pt->tx, d, pkt->bytes) == SIM_FS_NEVER) return sim_world_drop(w, pkt, DROP_PORT_TX, d);
  sim_fs first_out = pt->tx.last_start;
  if (pt->peer < 0) return sim_world_deliver(w, pkt, first_out);
  sim_event ev = {.kind = PG_EV_PORT_RX, .where = (uint32_t)pt->peer, .pkt = *pkt};
  if (++ev.pkt.hops > SIM_MAX_HOPS) return sim_world_drop(w, pkt, DROP_HOP_LIMIT, first_out);
  ev.t = first_out + sim_ser_fs(pkt->bytes + SIM_ETH_PREAMBLE_SFD, pt->rate_bps) + pt->link_latency;
  sim_world_push(w, ports[pt->peer].slice, &ev, pt->slice, false);
}

void portgroup_credit_return(sim_world *w, asic_pg *pgs, uint32_t pgi, uint32_t bytes, sim_fs t) {
  asic_pg *pg = &pgs[pgi];
  sim_fs x;
  if (ingress_arb_credit_return(&pg->arb, &pg->in, bytes, t, &x)) push_dispatch(w, pg, pgi, x);
}

void portgroup_handle(sim_world *w, asic_port *ports, asic_pg *pgs, const sim_event *ev) {
  switch (ev->kind) {
    case PG_EV_PORT_RX: return portgroup_port_rx(w, ports, pgs, ev->where, ev->t, &ev->pkt);
    case PG_EV_BLOCK_RX: return arrive(w, pgs, ev->where, pgs[ev->where].n_ports, ev->t, &ev->pkt);
    case PG_EV_BLOCK_ARB: return pg_attach_dispatch(w, &pgs[ev->where], ev->t);
    case PG_EV_ARB: {
      asic_pg *pg = &pgs[ev->where];
      arb_item it;
      sim_fs d, next;
      if (!ingress_arb_dispatch(&pg->arb, &pg->in, ev->t, &it, &d, &next)) return;
      if (next != SIM_FS_NEVER) push_dispatch(w, pg, ev->where, next);
      block_input_taken(pg, it.input, it.pkt.bytes, ev->t);
      return forward(w, pg, d, &it.pkt);
    }
  }
}
