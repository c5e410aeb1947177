/* Block contract: ports and port groups of a PFE slice (portgroup/).
 *
 * A port is a MAC (asic_port.tx: a bw_server at line rate on frame + 20 B) with an optional
 * link to a peer port. A port group (asic_pg) has an ingress side, PG.in: an ingress_arb with
 * one input queue per port, plus on PG0 one input for an attached block (pg_attach.h),
 * weighted by speed, in front of the PG's ingress bandwidth; and an egress side, PG.out: a
 * FIFO bandwidth fed by its slice alone.
 *
 * Accepts: a packet whose last bit arrives on a port's wire (source or peer link), a
 *   packet from its slice's slice.out for one of its ports (portgroup_send), credits back
 *   from the slice (portgroup_credit_return).
 * Emits: PG.in departures into the downstream set by the composer (pg->feed: its slice's
 *   slice.in input), packets on a port's wire (delivered, or arriving at the peer's PG.in
 *   after serialization + link latency), packets to an attached block.
 * Owns drops: pg_in_queue_full (a port's input queue), pg_out_queue_full, port_tx_queue_full,
 *   hop_limit (the link would be hop SIM_MAX_HOPS + 1). Drops at its input queues while the
 *   slice holds its credits are the slice's (slice_backpressure, counted on pg->owner_held).
 * Event budget: none for a packet that meets no contention at PG.in; one PG_EV_ARB dispatch
 *   for one that waits; one PG_EV_PORT_RX per link hop. PG.out and the MAC are computed
 *   straight through in the slice's event.
 * Events (class SIM_EVC_PORTGROUP; `where`/`aux` as named): */
#ifndef IPSECSIM_PORTGROUP_H
#define IPSECSIM_PORTGROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "bw_server.h"
#include "ingress_arb.h"
#include "model/sim_world.h"
#include "pg_attach.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
  PG_EV_PORT_RX = SIM_EV(SIM_EVC_PORTGROUP, 0),  /* where: port; last bit in from the link */
  PG_EV_ARB = SIM_EV(SIM_EVC_PORTGROUP, 1),      /* where: PG; PG.in dispatches its next packet */
  PG_EV_BLOCK_RX = SIM_EV(SIM_EVC_PORTGROUP, 2), /* where: PG0; an attached block's packet into PG0.in */
  PG_EV_BLOCK_ARB = SIM_EV(SIM_EVC_PORTGROUP, 3) /* where: PG0; PG0.out sends to the block */
};

#define SIM_MAX_HOPS 16
/* Arbiter weights: one unit per 100 Gbit/s of the input's speed (at least 1); the quantum
 * unit exceeds a 1518-byte frame + 20 B so a 100G input sends at least one such frame per
 * visit. */
#define PG_ARB_QUANTUM_UNIT 2048u
uint32_t pg_weight_of(double rate_bps);

typedef struct asic_port {
  char name[32];      /* Junos name et-FPC/PIC/PORT */
  uint32_t router, asic, slice, pg; /* global indices (slice = its event heap) */
  uint32_t fpc, pic, portno;
  uint64_t rate_bps;
  uint32_t pg_input;  /* this port's input queue at its port group's ingress arbiter */
  bw_server tx;
  int32_t peer;       /* port index at the other end of a link, -1 none */
  sim_fs link_latency;
  uint64_t rx_pkts, rx_bytes; /* window */
  uint8_t tap;        /* SIM_WIRE_TX | SIM_WIRE_RX: the composer sees what crosses this port's
                         wire in that direction (captures, link faults; model/sim_world.h) */
} asic_port;

/* Where PG.in sends its departures: an event of the downstream block (set by the composer). */
typedef struct pg_feed {
  uint32_t heap, kind, where, aux;
} pg_feed;

typedef struct asic_pg {
  ingress_arb arb;
  bw_server in, out;
  uint32_t slice;
  uint32_t n_ports;   /* inputs 0..n_ports-1 are ports; PG0 has input n_ports = attached block */
  pg_feed feed;
  stats_counter *owner_held; /* window: its drops while held by the slice's credits */
  pg_attach *att;     /* PG0: the block attachment point (NULL on PG1) */
} asic_pg;

/* ---- set-up (composer) ---- */
bool portgroup_port_init(asic_port *pt, uint64_t rate_bps, uint64_t tx_queue_bytes, uint32_t tx_queue_pkts);
/* A reduced (channelized) port speed: the MAC and the port's PG.in weight follow it. */
void portgroup_port_set_speed(asic_port *pt, asic_pg *pg, uint64_t rate_bps);
/* n_in inputs weighted by weights[] (ports, then the block input on PG0); credits for the
 * downstream queue (its slice's slice.in queue for this PG). */
bool portgroup_pg_init(asic_pg *pg, uint64_t bw_bps, uint64_t in_queue_bytes, uint32_t in_queue_pkts,
                       uint64_t out_queue_bytes, uint32_t out_queue_pkts, const uint32_t *weights, uint32_t n_in,
                       uint64_t credit_bytes, uint32_t credit_pkts);
void portgroup_pg_free(asic_pg *pg);

/* Per packet (portgroup_events.h, inline in the composer's event switch):
 * portgroup_port_rx   the last bit of a packet arrives on a port's wire (source or link)
 * portgroup_send      from slice.out: PG.out, then the port's MAC, then the wire
 * portgroup_credit_return  the slice took a packet of the PG off its queue: credits back
 * portgroup_handle    handler of the SIM_EVC_PORTGROUP events */

#ifdef __cplusplus
}
#endif
#endif
