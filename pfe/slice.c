/* PFE slice: set-up and event handlers; see slice.h. */
#include "slice.h"

bool slice_init(asic_slice *s, uint64_t sbw, uint64_t pg_bps, uint64_t fabric_bps, uint32_t fabric_overhead,
                uint64_t in_queue, uint64_t out_queue, uint64_t fabric_queue, uint32_t lookup_threads,
                double lookup_clock_hz, uint32_t lookup_queue) {
  s->noroute_drops = &s->noroute_own_;
  s->backpressure_drops = &s->backpressure_own_;
  s->unknown_spi_drops = &s->ipsec_own_[0];
  s->host_pkts = &s->ipsec_own_[1];
  s->engine_crossings = &s->ipsec_own_[2];
  s->no_sa_drops = &s->events_own_[0];
  s->sa_deleted_drops = &s->events_own_[1];
  s->host_policer_drops = &s->events_own_[2];
  host_policer_init(&s->policer, 0, 0); /* the composer sets host.policer_* */
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
