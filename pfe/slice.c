/* PFE slice: set-up and event handlers; see slice.h. */
#include "slice.h"

bool slice_init(asic_slice *s, uint64_t sbw, uint64_t pg_bps, uint64_t fabric_bps, uint32_t fabric_overhead,
                uint64_t in_queue, uint64_t out_queue, uint64_t fabric_queue, uint32_t lookup_threads,
                double lookup_clock_hz, uint32_t lookup_queue) {
  s->noroute_drops = &s->noroute_own_;
  s->backpressure_drops = &s->backpressure_own_;
  /* slice.in: the queues are the arbiter's, one per input; the server holds the packet in
   * service only */
  uint32_t wt[SLICE_IN_N] = {pg_weight_of((double)pg_bps), pg_weight_of((double)pg_bps),
                             pg_weight_of((double)fabric_bps)};
  bool ok = ingress_arb_init(&s->arb, SLICE_IN_N, wt, PG_ARB_QUANTUM_UNIT, in_queue, bw_queue_pkts(in_queue)) &&
            bw_server_init(&s->in, sbw, SIM_ETH_L1_OVERHEAD, 0, UINT64_MAX, 2);
  /* DRR charges what slice.in's bandwidth charges (frame + 20 B) */
  if (ok) ingress_arb_set_overhead(&s->arb, s->in.overhead);
  return ok &&
         bw_server_init(&s->out, sbw, SIM_ETH_L1_OVERHEAD, 0, out_queue, bw_queue_pkts(out_queue)) &&
         bw_server_init(&s->fab, fabric_bps, fabric_overhead, 0, fabric_queue, bw_queue_pkts(fabric_queue)) &&
         lookup_init(&s->lk, lookup_threads, lookup_clock_hz, lookup_queue) && sim_heap_init(&s->heap, 1024);
}

void slice_free(asic_slice *s) {
  bw_server_free(&s->in);
  ingress_arb_free(&s->arb);
  bw_server_free(&s->out);
  bw_server_free(&s->fab);
  lookup_free(&s->lk);
  sim_heap_free(&s->heap);
}

static void push(sim_world *w, const asic_slice *s, uint32_t heap, uint32_t kind, uint32_t aux, sim_fs t,
                 const sim_pkt *pkt) {
  sim_event ev = {.t = t, .kind = kind, .where = heap, .aux = aux, .pkt = *pkt};
  /* lookup completions are usually in order: they take the heap's O(1) FIFO lane */
  sim_world_push(w, heap, &ev, s->self, kind == SLICE_EV_OUT || kind == SLICE_EV_OUT_BLOCK);
}

/* Dispatch key: see portgroup.c (odd offsets: apart from the port groups' keys). */
static void push_dispatch(sim_world *w, const asic_slice *s, sim_fs t) {
  sim_event ev = {.t = t, .kind = SLICE_EV_ARB, .where = s->self};
  ev.pkt.pid = UINT64_MAX - 2ull * s->self - 1;
  sim_world_push(w, s->self, &ev, s->self, false);
}

static void slice_out(sim_world *w, const slice_wiring *x, asic_slice *s, sim_fs t, const sim_pkt *pkt, uint32_t port);

/* slice.in served a packet of `input` (departure d): fabric arrivals go on to slice.out,
 * the rest to the lookup. */
static void served(sim_world *w, const slice_wiring *x, asic_slice *s, uint32_t input, uint32_t aux, sim_fs d,
                   const sim_pkt *pkt) {
  if (input == SLICE_IN_FABRIC) return push(w, s, s->self, SLICE_EV_OUT_FABRIC, aux, d, pkt);
  sim_fs done = lookup_offer(&s->lk, d, s->cycles_by_flow[pkt->flow]);
  if (done == SIM_FS_NEVER) return sim_world_drop(w, pkt, DROP_LOOKUP, d);
  int32_t nh = s->nh_by_key[(size_t)pkt->route_key * s->nh_stride + s->router];
  if (nh == SLICE_NH_BLOCK) return push(w, s, s->self, SLICE_EV_OUT_BLOCK, 0, done, pkt);
  if (nh < 0) {
    s->tot_noroute_drops++;
    if (done >= s->lk.w0 && done < s->lk.w1) (*s->noroute_drops)++;
    return sim_world_drop(w, pkt, DROP_NO_ROUTE, done);
  }
  if (s->direct_out) { /* the SLICE_EV_OUT this packet would take, handled now */
    sim_world_count_event(w, done);
    return slice_out(w, x, s, done, pkt, (uint32_t)nh);
  }
  push(w, s, s->self, SLICE_EV_OUT, (uint32_t)nh, done, pkt);
}

/* slice.in took a packet of port group k (0/1 inside the slice) off its queue: credits back. */
static void credit_return(sim_world *w, const slice_wiring *x, const asic_slice *s, uint32_t k, sim_fs t,
                          const sim_pkt *pkt) {
  portgroup_credit_return(w, x->pgs, s->first_pg + k, pkt->bytes, t);
}

static void arrive(sim_world *w, const slice_wiring *x, asic_slice *s, uint32_t input, uint32_t aux, sim_fs t,
                   const sim_pkt *pkt) {
  sim_fs d;
  switch (ingress_arb_arrive(&s->arb, &s->in, input, t, pkt, aux, &d)) {
    case ARB_SERVED:
      if (input != SLICE_IN_FABRIC) credit_return(w, x, s, input, t, pkt);
      return served(w, x, s, input, aux, d, pkt);
    case ARB_DROPPED: /* fabric, or a frame larger than the PG's credits */
    case ARB_DROPPED_HELD: return sim_world_drop(w, pkt, DROP_SLICE_IN, t);
    case ARB_QUEUED_SCHEDULE: return push_dispatch(w, s, d);
    case ARB_QUEUED: return;
  }
}

/* A packet offered to slice.out at t for egress `port`. */
static void slice_out(sim_world *w, const slice_wiring *x, asic_slice *s, sim_fs t, const sim_pkt *pkt, uint32_t port) {
  sim_fs d = bw_server_offer(&s->out, t, pkt->bytes);
  if (d == SIM_FS_NEVER) return sim_world_drop(w, pkt, DROP_SLICE_OUT, t);
  const asic_port *pt = &x->ports[port];
  if (pt->slice == s->self) return portgroup_send(w, x->ports, x->pgs, port, d, pkt);
  sim_fs f = bw_server_offer(&s->fab, d, pkt->bytes);
  if (f == SIM_FS_NEVER) return sim_world_drop(w, pkt, DROP_FABRIC, d);
  sim_fs lat = x->slices[pt->slice].asic == s->asic ? s->fabric_latency_slice : s->fabric_latency_asic;
  push(w, s, pt->slice, SLICE_EV_FROM_FABRIC, port, f + lat, pkt);
}

/* To the block attached to PG0, through slice.out. */
static void slice_out_block(sim_world *w, const slice_wiring *x, asic_slice *s, sim_fs t, const sim_pkt *pkt) {
  sim_fs d = bw_server_offer(&s->out, t, pkt->bytes);
  if (d == SIM_FS_NEVER) return sim_world_drop(w, pkt, DROP_SLICE_OUT, t);
  pg_attach_send(w, &x->pgs[s->first_pg], d, pkt);
}

void slice_handle(sim_world *w, const slice_wiring *x, const sim_event *ev) {
  asic_slice *s = &x->slices[ev->where];
  switch (ev->kind) {
    case SLICE_EV_FROM_PG: return arrive(w, x, s, ev->aux, 0, ev->t, &ev->pkt);
    case SLICE_EV_FROM_FABRIC: return arrive(w, x, s, SLICE_IN_FABRIC, ev->aux, ev->t, &ev->pkt);
    case SLICE_EV_OUT:
    case SLICE_EV_OUT_FABRIC: return slice_out(w, x, s, ev->t, &ev->pkt, ev->aux);
    case SLICE_EV_OUT_BLOCK: return slice_out_block(w, x, s, ev->t, &ev->pkt);
    case SLICE_EV_ARB: {
      arb_item it;
      sim_fs d, next;
      if (!ingress_arb_dispatch(&s->arb, &s->in, ev->t, &it, &d, &next)) return;
      if (next != SIM_FS_NEVER) push_dispatch(w, s, next);
      if (it.input != SLICE_IN_FABRIC) credit_return(w, x, s, it.input, ev->t, &it.pkt);
      return served(w, x, s, it.input, it.aux, d, &it.pkt);
    }
  }
}
