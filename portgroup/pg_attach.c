/* Block attachment point on PG0; see pg_attach.h. */
#include "pg_attach.h"

#include <string.h>

#include "portgroup.h"

/* A block packet inside PG0.out's FIFO (pg_attach.in_out). */
typedef struct pg_in_out {
  sim_fs t;       /* its departure from PG0.out */
  uint32_t bytes; /* the credits it holds */
} pg_in_out;


bool pg_attach_init(pg_attach *a, asic_pg *pg0, uint32_t pg_index, const pg_block_ops *ops, uint64_t queue_bytes,
                    uint32_t queue_pkts, uint64_t ret_bytes, uint32_t ret_pkts) {
  memset(a, 0, sizeof *a);
  a->ops = *ops;
  a->pg = pg_index;
  a->slice = pg0->slice;
  a->ret_bytes = ret_bytes;
  a->ret_pkts = ret_pkts;
  a->block_drops = &a->block_drops_own_;
  a->in_out.size = sizeof(pg_in_out);
  uint32_t one = 1;
  if (!ingress_arb_init(&a->to_block, 1, &one, PG_ARB_QUANTUM_UNIT, queue_bytes, queue_pkts) ||
      !bw_server_init(&a->gate, UINT64_MAX, 0, 0, UINT64_MAX, 4))
    return false;
  ingress_arb_window(&a->to_block, pg0->out.w0, pg0->out.w1);
  if (ops->credit_bytes) ingress_arb_set_credit(&a->to_block, ops->credit_bytes, ops->credit_pkts ? ops->credit_pkts : UINT32_MAX);
  /* the block's PG0.in input is weighted by the block's own capacity */
  ingress_arb_set_weight(&pg0->arb, pg0->n_ports, PG_ARB_QUANTUM_UNIT, pg_weight_of((double)ops->rate_bps));
  a->on = true;
  pg0->att = a;
  return true;
}

void pg_attach_free(pg_attach *a) {
  if (a->on) ingress_arb_free(&a->to_block), bw_server_free(&a->gate);
  sim_ring_free(&a->in_out);
  a->on = false;
}

/* The block's packets that have left PG0.out by t no longer count as held there. */
static void in_out_settle(pg_attach *a, sim_fs t) {
  while (a->in_out.n && ((const pg_in_out *)sim_ring_front(&a->in_out))->t <= t) {
    a->in_out_bytes -= ((const pg_in_out *)sim_ring_front(&a->in_out))->bytes;
    sim_ring_pop(&a->in_out);
  }
}

static void in_out_push(pg_attach *a, sim_fs d, uint32_t bytes) {
  const pg_in_out e = {d, bytes};
  if (sim_ring_push(&a->in_out, &e)) a->in_out_bytes += bytes; /* out of memory: the ownership
                                                                   rule degrades to "the block's" */
}

/* Dispatch key: above every packet pid, apart from the PG and slice arbiters' keys. */
static void push_dispatch(sim_world *w, const pg_attach *a, sim_fs t) {
  sim_event ev = {.t = t, .kind = PG_EV_BLOCK_ARB, .where = a->pg};
  ev.pkt.pid = UINT64_MAX - (1ull << 40) - a->pg;
  sim_world_push(w, a->slice, &ev, a->slice, false);
}

/* The packet (credits taken) enters the PG0.out FIFO at t and is offered when it leaves. */
static void hand_over(sim_world *w, pg_attach *a, asic_pg *pg0, sim_fs t, const sim_pkt *pkt) {
  sim_fs d = bw_server_offer(&pg0->out, t, pkt->bytes);
  if (d == SIM_FS_NEVER) {
    a->tot_fifo_drops++; /* counted by PG0.out itself; its credits come back at once */
    pg_attach_credit(w, pg0, pkt->bytes, t);
    return sim_world_drop(w, pkt, DROP_PG_OUT, t);
  }
  if (a->ops.credit_bytes) in_out_push(a, d, pkt->bytes);
  if (a->ops.offer(a->ops.ctx, a->slice, d, pkt)) return;
  a->tot_refused++;
  if (d >= a->to_block.w0 && d < a->to_block.w1) (*a->block_drops)++;
  pg_attach_credit(w, pg0, pkt->bytes, d);
  sim_world_drop(w, pkt, DROP_ENGINE_QUEUE_FULL, d);
}

void pg_attach_send(sim_world *w, asic_pg *pg0, sim_fs t, const sim_pkt *pkt) {
  pg_attach *a = pg0->att;
  if (!a || !a->on) return sim_world_drop(w, pkt, DROP_PG_OUT, t); /* nothing attached */
  sim_fs x;
  switch (ingress_arb_arrive(&a->to_block, &a->gate, 0, t, pkt, 0, &x)) {
    case ARB_SERVED: return hand_over(w, a, pg0, t, pkt);
    case ARB_DROPPED: return sim_world_drop(w, pkt, DROP_PG_OUT, t);
    case ARB_DROPPED_HELD: {
      const bool in_window = t >= a->to_block.w0 && t < a->to_block.w1;
      in_out_settle(a, t);
      const uint64_t held = a->to_block.credit.cap_bytes - a->to_block.credit.bytes;
      if (2 * a->in_out_bytes > held) { /* PG0.out holds most of the credits: PG0 binds */
        a->tot_pg_owned++;
        if (in_window) (*pg0->out.c.drops)++;
        return sim_world_drop(w, pkt, DROP_PG_OUT, t);
      }
      if (in_window) (*a->block_drops)++;
      return sim_world_drop(w, pkt, DROP_ENGINE_QUEUE_FULL, t);
    }
    case ARB_QUEUED_SCHEDULE: return push_dispatch(w, a, x);
    case ARB_QUEUED: return;
  }
}

void pg_attach_dispatch(sim_world *w, asic_pg *pg0, sim_fs t) {
  pg_attach *a = pg0->att;
  arb_item it;
  sim_fs d, next;
  if (!ingress_arb_dispatch(&a->to_block, &a->gate, t, &it, &d, &next)) return;
  if (next != SIM_FS_NEVER) push_dispatch(w, a, next);
  hand_over(w, a, pg0, t, &it.pkt);
}

void pg_attach_credit(sim_world *w, asic_pg *pg0, uint32_t bytes, sim_fs t) {
  pg_attach *a = pg0->att;
  sim_fs x;
  if (a && ingress_arb_credit_return(&a->to_block, &a->gate, bytes, t, &x)) push_dispatch(w, a, x);
}

void pg_attach_push(sim_world *w, const pg_attach *a, sim_fs t, uint32_t kind, uint32_t aux, const sim_pkt *pkt) {
  sim_event ev = {.t = t, .kind = SIM_EV(SIM_EVC_BLOCK, kind & 0xFFu), .where = a->slice, .aux = aux, .pkt = *pkt};
  sim_world_push(w, a->slice, &ev, a->slice, false);
}

bool pg_attach_return(sim_world *w, pg_attach *a, sim_fs t, const sim_pkt *pkt) {
  if (a->ret_pkts == 0 || a->ret_bytes < pkt->bytes) return false;
  a->ret_pkts--;
  a->ret_bytes -= pkt->bytes;
  sim_event ev = {.t = t, .kind = PG_EV_BLOCK_RX, .where = a->pg, .pkt = *pkt};
  sim_world_push(w, a->slice, &ev, a->slice, false);
  return true;
}
