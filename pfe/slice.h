/* Block contract: the PFE slice (pfe/).
 *
 * A slice is slice.in (an ingress_arb with inputs PG0, PG1, fabric, weighted by their
 * speeds, in front of the slice's buffer-write bandwidth), the lookup thread pool
 * (pfe/lookup.h), slice.out (buffer-read bandwidth, a FIFO), and the fabric link toward the
 * other slices. It owns one event heap: the composer's drivers step it in windows of the
 * lookahead (the smallest fabric or link latency).
 *
 * Accepts: packets from its port groups' PG.in (credited: each PG holds credits for its
 *   queue at slice.in, returned when slice.in takes the packet off it), and packets from
 *   other slices over the fabric (not credited: tail drop).
 * Routes: the lookup of a packet from a port group reads the next hop of its route_key for
 *   the slice's router (nh_by_key, resolved by the composer): an egress port, the block
 *   attached to PG0 (SLICE_NH_BLOCK), a tunnel (SLICE_NH_TUNNEL(t): pkt.sa = its outbound
 *   SA, to its anchor slice's engine, over the fabric when that is another slice), a local
 *   gateway (SLICE_NH_LOCAL: ESP demultiplexed by (router, key, SPI) to its inbound SA's
 *   anchor engine the same way; unknown SPI dropped as unknown_spi; non-ESP to the exception
 *   path, counted as host_path), or none (no_route). Occupancy: cycles_by_flow for this
 *   slice's router (the composer's rule: a stream's own lookup_cycles at its ingress router,
 *   the router's pfe.lookup_cycles elsewhere).
 * Emits: to a local port through portgroup_send, to the block through pg_attach_send, to the
 *   egress port's slice over the fabric (its slice.in, then straight to its slice.out).
 * Owns drops: slice_in_queue_full (fabric input, or a frame larger than a PG's credits),
 *   lookup_queue_full, no_route, unknown_spi, slice_out_queue_full, fabric_queue_full, and
 *   slice_backpressure (counted where it happens, at its PGs' input queues).
 * Event budget per packet: none at slice.in without contention, one SLICE_EV_ARB dispatch
 *   when it waits; one SLICE_EV_OUT for the lookup completion unless direct_out (completions
 *   computed straight through when the composer finds their order is already the heap's,
 *   decided per slice: asic/asic_sim_direct.c);
 *   one SLICE_EV_FROM_FABRIC and one SLICE_EV_OUT_FABRIC across the fabric. */
#ifndef IPSECSIM_SLICE_H
#define IPSECSIM_SLICE_H

#include <stdbool.h>
#include <stdint.h>

#include "lookup.h"
#include "model/sim_heap.h"
#include "model/sim_world.h"
#include "host_policer.h"
#include "portgroup/bw_server.h"
#include "portgroup/ingress_arb.h"
#include "portgroup/portgroup.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
  SLICE_EV_FROM_PG = SIM_EV(SIM_EVC_SLICE, 0),     /* where: slice; aux: PG 0/1 inside the slice */
  SLICE_EV_FROM_FABRIC = SIM_EV(SIM_EVC_SLICE, 1), /* where: slice; aux: egress port or SLICE_TO_BLOCK(S) */
  SLICE_EV_ARB = SIM_EV(SIM_EVC_SLICE, 2),         /* where: slice; slice.in dispatches */
  SLICE_EV_OUT = SIM_EV(SIM_EVC_SLICE, 3),         /* where: slice; aux: egress port or SLICE_TO_BLOCK(S) (lookup done) */
  SLICE_EV_OUT_FABRIC = SIM_EV(SIM_EVC_SLICE, 4),  /* where: slice; aux: as SLICE_EV_FROM_FABRIC (from the fabric) */
  SLICE_EV_OUT_BLOCK = SIM_EV(SIM_EVC_SLICE, 5)    /* where: slice; to the block on PG0 */
};

#define SLICE_NH_NONE (-1)  /* next hop of a route key: no route */
#define SLICE_NH_BLOCK (-2) /* next hop: the block attached to PG0 of the slice */
#define SLICE_NH_LOCAL (-3) /* next hop: a local address of the router (an IPsec gateway):
                               ESP is demultiplexed by SPI to its SA's anchor engine */
/* next hop: tunnel t of the world (its bind interface st0.N): the packet goes to its anchor
 * slice's engine on the tunnel's outbound SA. SLICE_NH_TUNNEL(t) <= SLICE_NH_TUNNEL_BASE. */
#define SLICE_NH_TUNNEL_BASE (-16)
#define SLICE_NH_TUNNEL(t) (SLICE_NH_TUNNEL_BASE - (int32_t)(t))
#define SLICE_NH_IS_TUNNEL(nh) ((nh) <= SLICE_NH_TUNNEL_BASE)
#define SLICE_NH_TUNNEL_INDEX(nh) ((uint32_t)(SLICE_NH_TUNNEL_BASE - (nh)))

/* Destination word (aux of SLICE_EV_OUT / FROM_FABRIC / OUT_FABRIC): an egress port index, or
 * the block attached to PG0 of slice S (the IPsec engine anchoring the packet's SA). */
#define SLICE_TO_BLOCK_FLAG 0x80000000u
#define SLICE_TO_BLOCK(s) (SLICE_TO_BLOCK_FLAG | (uint32_t)(s))

/* IPsec routing state the slices read (filled by the composer before stepping):
 *  - tunnel t (next hop SLICE_NH_TUNNEL(t)): its anchor slice and outbound SA (an SA index
 *    local to that slice's engine);
 *  - the SPI demux: (router, local gateway route key, SPI) -> anchor slice and inbound SA, one
 *    open-addressing table (power-of-two size, linear probing, at most half full): O(1) per
 *    packet whatever the number of tunnels. */
typedef struct slice_spi_entry {
  uint32_t router, key, spi; /* router UINT32_MAX: empty */
  uint32_t slice, sa;
  sim_fs from, until;        /* the inbound SA exists in [from, until) (`events:`; 0, NEVER
                                without): before = unknown_spi, from until on = sa_deleted */
} slice_spi_entry;

/* An outbound SA of a tunnel with `events:` (issue 13): used for lookups completing in
 * [from, until); the tunnel's epochs do not overlap. */
typedef struct slice_sa_epoch {
  sim_fs from, until;
  uint32_t sa;
} slice_sa_epoch;

typedef struct slice_ipsec {
  uint32_t n_tunnels;
  const uint32_t *tunnel_slice, *tunnel_sa;
  const slice_spi_entry *spi;
  uint32_t spi_mask;
  /* NULL: every tunnel's outbound SA is tunnel_sa[t] for the whole run. Else the outbound SA
   * of tunnel t at a lookup's completion is that of its epoch (epoch_first[t] ..
   * epoch_first[t + 1] - 1) holding the time; none = the tunnel has no SA (no_sa). The rule
   * for packets in flight: the lookup binds the SA; a packet bound before a delete finishes
   * on it (the engine keeps every SA it was given, inside packets complete). */
  const uint32_t *epoch_first;
  const slice_sa_epoch *epochs;
} slice_ipsec;

static inline uint32_t slice_spi_hash(uint32_t router, uint32_t key, uint32_t spi) {
  uint32_t h = key * 0x9E3779B1u ^ spi * 0x85EBCA77u ^ router * 0xC2B2AE3Du;
  return h ^ (h >> 15);
}

/* The demux entry, or NULL: unknown SPI for that gateway. */
static inline const slice_spi_entry *slice_spi_find(const slice_ipsec *t, uint32_t router, uint32_t key, uint32_t spi) {
  if (!t || !t->spi) return NULL;
  for (uint32_t i = slice_spi_hash(router, key, spi) & t->spi_mask;; i = (i + 1) & t->spi_mask) {
    const slice_spi_entry *e = &t->spi[i];
    if (e->router == UINT32_MAX) return NULL;
    if (e->router == router && e->key == key && e->spi == spi) return e;
  }
}

/* Inputs of a slice's buffer-write arbiter (slice.in). */
enum { SLICE_IN_PG0, SLICE_IN_PG1, SLICE_IN_FABRIC, SLICE_IN_N };

typedef struct asic_slice {
  ingress_arb arb;    /* in front of `in`: inputs SLICE_IN_PG0, SLICE_IN_PG1, SLICE_IN_FABRIC */
  bw_server in, out, fab;
  lookup_pool lk;
  sim_heap heap;
  uint32_t self;      /* global index (= its heap) */
  uint32_t router, asic, index; /* index: 0/1 inside its ASIC */
  uint32_t first_pg;
  sim_fs fabric_latency_slice, fabric_latency_asic; /* to the other slice of its ASIC / others */
  stats_counter *noroute_drops; /* window (registry counter, or noroute_own_) */
  stats_counter noroute_own_;
  uint64_t tot_noroute_drops;
  /* window: drops at this slice's port groups' input queues while the slice held them back */
  stats_counter *backpressure_drops, backpressure_own_;
  /* IPsec: window counters (registry, or own storage) and all-time totals of ESP for a local
   * gateway with no SA (unknown_spi, the lookup's drop), packets to the exception path
   * (non-ESP for a local gateway), and packets sent over the fabric to a remote engine */
  stats_counter *unknown_spi_drops, *host_pkts, *engine_crossings, ipsec_own_[3];
  uint64_t tot_unknown_spi, tot_host, tot_engine_crossings;
  /* issue 13: the lookup's drops for a tunnel whose SA is gone (no_sa, outbound) and ESP for a
   * deleted inbound SA (sa_deleted); the host path's policer and its drops (host_policer) */
  stats_counter *no_sa_drops, *sa_deleted_drops, *host_policer_drops, events_own_[3];
  uint64_t tot_no_sa, tot_sa_deleted, tot_host_policer;
  host_policer policer;
  /* routing and occupancy (set by the composer before stepping): next hop of route key k
   * for this router = nh_by_key[k * nh_stride + router]; lookup cycles of flow f here */
  const int32_t *nh_by_key;
  uint32_t nh_stride;
  const uint32_t *cycles_by_flow;
  /* lookup completions go straight on to slice.out (no SLICE_EV_OUT in the heap) */
  bool direct_out;
} asic_slice;

/* The wiring a slice's handlers reach: every slice, port and port group of the world. */
typedef struct slice_wiring {
  asic_slice *slices;
  asic_port *ports;
  asic_pg *pgs;
  const slice_ipsec *ipsec; /* NULL: no tunnel in the world */
} slice_wiring;

bool slice_init(asic_slice *s, uint64_t slice_bps, uint64_t pg_bps, uint64_t fabric_bps, uint32_t fabric_overhead,
                uint64_t in_queue, uint64_t out_queue, uint64_t fabric_queue, uint32_t lookup_threads,
                double lookup_clock_hz, uint32_t lookup_queue);
void slice_free(asic_slice *s);

/* Handler of the SIM_EVC_SLICE events: slice_handle in slice_events.h (inline in the
 * composer's event switch). */

#ifdef __cplusplus
}
#endif
#endif
