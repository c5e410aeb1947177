/* Block attachment point on PG0 of a PFE slice: where the IPsec engine ([engine-1]) plugs
 * in. The attached block is a port-like consumer and producer of PG0:
 *
 * (a) To the block: a route whose next hop is the block (SLICE_NH_BLOCK, or the IPsec
 *     routes SLICE_NH_TUNNEL / SLICE_NH_LOCAL resolved to this slice's engine) sends the
 *     packet through slice.out into PG0.out. PG0.out is ONE FIFO server (PG0 egress bandwidth,
 *     frame + 20 B) shared by PG0's ports and the block, in the order packets reach it from
 *     slice.out. The block's input buffer is credited (ops.credit_bytes / credit_pkts, the way a
 *     port group holds credits for its queue at slice.in): a block packet whose credits are
 *     there enters the PG0.out FIFO when it arrives; without credits it waits in front of it,
 *     in PG0.out's queue toward the block (pg_out_queue bytes), until the block gives credits
 *     back (pg_attach_credit), and then enters the FIFO at that time. Leaving PG0.out (last
 *     byte) it is offered to ops.offer. Drops: the FIFO full is pg_out_queue_full (PG0.out's);
 *     the queue toward the block full while the block's credits held it, or ops.offer refusing
 *     (returns false), is the block's: engine_queue_full (the one block is the IPsec engine);
 *     the queue toward the block full without such a hold is pg_out_queue_full.
 * (b) The block's own timing: it schedules events of its own kinds in its slice's heap
 *     (pg_attach_push, class SIM_EVC_BLOCK); the composer's event switch hands them to
 *     ops.handle. Nothing may be scheduled before the time being handled.
 * (c) From the block: pg_attach_return hands a packet (re-bound: route_key, sa, payload in
 *     the descriptor) into PG0.in, on PG0's last arbiter input, weighted by the block's
 *     capacity ops.rate_bps; PG0.in's queue for it is credited: the call fails (false, the
 *     block keeps the packet) when the block holds no credits, and ops.returned says when
 *     PG0.in has taken a packet off that queue. The packet then takes a second lookup at
 *     slice.in like any packet from PG0, routed anew by its route_key.
 * Statistics: PG0.in's block input is named "engine" (...pg0.in.input.engine.*). */
#ifndef IPSECSIM_PG_ATTACH_H
#define IPSECSIM_PG_ATTACH_H

#include <stdbool.h>
#include <stdint.h>

#include "ingress_arb.h"
#include "model/sim_ring.h"
#include "model/sim_world.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pg_block_ops {
  void *ctx;
  uint64_t rate_bps;     /* the block's capacity: the arbiter weight of its PG0.in input */
  uint64_t credit_bytes; /* its input buffer: credits PG0.out holds for it (0 = unbounded) */
  uint32_t credit_pkts;
  /* A packet leaves PG0.out toward the block at t; false refuses it. Called in tail position:
   * nothing else happens after it in the event being handled. */
  bool (*offer)(void *ctx, uint32_t slice, sim_fs t, const sim_pkt *pkt);
  /* An event of the block's own kinds (pg_attach_push) is due; ev->aux is the block's. */
  void (*handle)(void *ctx, uint32_t slice, const sim_event *ev);
  /* PG0.in took a returned packet of `bytes` off the block's queue at t (credit back). NULL ok. */
  void (*returned)(void *ctx, uint32_t slice, uint32_t bytes, sim_fs t);
  /* Packets the block holds now (packet-conservation census). NULL = none. */
  uint64_t (*held)(void *ctx, uint32_t slice);
  /* All-time: packets it made beyond those it was given (pre-fragmentation), and packets it
   * dropped itself (counted on their flows through sim_world_drop). NULL = none. */
  uint64_t (*made)(void *ctx, uint32_t slice);
  uint64_t (*lost)(void *ctx, uint32_t slice);
} pg_block_ops;

typedef struct pg_attach {
  pg_block_ops ops;
  bool on;
  ingress_arb to_block;  /* PG0.out's queue toward the block (one input, credits) */
  bw_server gate;        /* to_block's server: takes no time (a packet with credits goes on) */
  uint64_t ret_bytes;    /* credits the block holds for its PG0.in queue */
  uint32_t ret_pkts;
  uint32_t pg, slice;    /* PG0's global index, its slice (= heap) */
  uint64_t tot_refused;  /* all-time: packets ops.offer refused (engine_queue_full) */
  stats_counter *block_drops, block_drops_own_; /* window: the block's drops here (engine_queue_full;
                                                   the owner may point it at the block's counter) */
  uint64_t tot_fifo_drops; /* all-time: block packets PG0.out's FIFO dropped (its own count too) */
  /* Block packets inside PG0.out's FIFO (credits taken, not yet at the block), in departure
   * order: a drop for lack of credits is PG0.out's own (pg_out_queue_full) when PG0.out, not
   * the block, holds most of the credits (PG0 binds), else the block's (engine_queue_full). */
  sim_ring in_out;       /* pg_in_out entries */
  uint64_t in_out_bytes;
  uint64_t tot_pg_owned; /* all-time: held drops owned by PG0.out under that rule */
} pg_attach;

struct asic_pg;
/* Before the run; queue = PG0.out's queue toward the block, ret_* = the block's PG0.in queue. */
bool pg_attach_init(pg_attach *a, struct asic_pg *pg0, uint32_t pg_index, const pg_block_ops *ops,
                    uint64_t queue_bytes, uint32_t queue_pkts, uint64_t ret_bytes, uint32_t ret_pkts);
void pg_attach_free(pg_attach *a);

/* slice.out sends pkt to the block at t through PG0.out. */
void pg_attach_send(sim_world *w, struct asic_pg *pg0, sim_fs t, const sim_pkt *pkt);
/* The block frees `bytes` of its input buffer at t: PG0.out may send again. */
void pg_attach_credit(sim_world *w, struct asic_pg *pg0, uint32_t bytes, sim_fs t);
/* Schedules the block's event `kind` (0..255) with `aux` at t (>= the time being handled). */
void pg_attach_push(sim_world *w, const pg_attach *a, sim_fs t, uint32_t kind, uint32_t aux, const sim_pkt *pkt);
/* The block hands pkt back into PG0.in at t; false when it holds no PG0.in credits. */
bool pg_attach_return(sim_world *w, pg_attach *a, sim_fs t, const sim_pkt *pkt);
/* Dispatch of PG0.out's queue toward the block (PG_EV_BLOCK_ARB). */
void pg_attach_dispatch(sim_world *w, struct asic_pg *pg0, sim_fs t);

#ifdef __cplusplus
}
#endif
#endif
