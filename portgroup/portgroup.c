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
