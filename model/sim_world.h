/* What the composer of a timing model (asic/: the world of routers) provides to the blocks
 * it wires together (portgroup/, pfe/, an attached block such as the IPsec engine), and the
 * scheme of named event kinds.
 *
 * Events: every kind belongs to one block class (SIM_EV_CLASS) and is handled by that
 * block's handler behind the composer's event switch; `where` and `aux` are named per kind
 * in the block's header (no sentinel values, no flag changing their meaning).
 *
 * Drop reasons: each names the block that owns the drop; the composer counts a drop on the
 * packet's flow (all-time, and in the measurement window). */
#ifndef IPSECSIM_SIM_WORLD_H
#define IPSECSIM_SIM_WORLD_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"
#include "sim_heap.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sim_ev_class {
  SIM_EVC_SOURCE = 0,    /* traffic sources (asic/) */
  SIM_EVC_PORTGROUP = 1, /* ports and port groups (portgroup/portgroup.h) */
  SIM_EVC_SLICE = 2,     /* PFE slices (pfe/slice.h) */
  SIM_EVC_BLOCK = 3      /* a block attached to PG0 of a slice (portgroup/pg_attach.h) */
} sim_ev_class;
#define SIM_EV(cls, k) (((uint32_t)(cls) << 8) | (uint32_t)(k))
#define SIM_EV_CLASS(kind) ((sim_ev_class)((kind) >> 8))

typedef enum sim_drop {
  DROP_PG_IN, DROP_SLICE_IN, DROP_LOOKUP, DROP_NO_ROUTE, DROP_SLICE_OUT, DROP_FABRIC,
  DROP_PG_OUT, DROP_PORT_TX, DROP_HOP_LIMIT, DROP_SLICE_BACKPRESSURE,
  /* IPsec (issue 11): the lookup owns unknown_spi (ESP for a local gateway, no inbound SA with
   * that SPI); the engine owns engine_queue_full (its input, or PG0.out held by its credits)
   * and engine_esp (every other engine drop: tunnel MTU, replay, ICV, ...; the engine's
   * drops.REASON counters say which); host_path is not a loss inside the model but the packet
   * leaves the forwarding path for the exception (host) path: ESP-less traffic to a local
   * gateway address, or a datagram the engine answers with ICMP. */
  DROP_UNKNOWN_SPI, DROP_ENGINE_QUEUE_FULL, DROP_ENGINE_ESP, DROP_HOST_PATH,
  /* link faults (issue 13): link_drop is owned by a link's drop fault (the frame never
   * arrives), fcs_error by the receiving port's MAC (a corrupted frame whose Ethernet FCS no
   * longer matches; asic/asic_link_fault.h) */
  DROP_LINK, DROP_FCS,
  /* issue 13, the lookup's: no_sa = a route into a tunnel whose outbound SA was deleted (or
   * not yet installed), sa_deleted = ESP for an inbound SPI that existed and was deleted;
   * host_policer = the host path's rate policer (pfe/host_policer.h) refused it */
  DROP_NO_SA, DROP_SA_DELETED, DROP_HOST_POLICER, DROP_N
} sim_drop;
extern const char *const sim_drop_names[DROP_N];

/* The composer (struct sim_world is asic_world, asic/asic_sim.h). */
typedef struct sim_world sim_world;

/* Schedules ev in heap `heap` (one per PFE slice); from_heap is the heap whose handler
 * pushes (a push into another heap wakes a driver that waits on it). in_order: the event
 * is usually not before the last one pushed this way (the heap's O(1) FIFO lane). */
void sim_world_push(sim_world *w, uint32_t heap, const sim_event *ev, uint32_t from_heap, bool in_order);
/* The packet is lost at time t, owned by `why`. */
void sim_world_drop(sim_world *w, const sim_pkt *pkt, sim_drop why, sim_fs t);
/* The packet left the model (first bit on an unlinked port's wire at t_out). */
void sim_world_deliver(sim_world *w, const sim_pkt *pkt, sim_fs t_out);
/* The lookup forwards the packet at L3 (payload real: TTL / hop limit - 1 on its bytes, the
 * IPv4 checksum updated). Called only for a packet carrying bytes (pkt->payload). */
void sim_world_forward_l3(sim_world *w, const sim_pkt *pkt);
/* Whether an event keyed (t, pid) that the caller is about to push into `heap` would be the
 * next one that heap's loop handles, within the current step (t before its limit). Then a
 * caller in tail position (nothing else happens after it in the event being handled) may
 * handle it at once instead, and counts it with sim_world_count_event: the same order of
 * handling, the same event count. False outside a step and for another heap. */
bool sim_world_runs_next(const sim_world *w, uint32_t heap, sim_fs t, uint64_t pid);
/* A packet crosses the wire of a port the composer taps (asic_port.tap): SIM_WIRE_TX at
 * t = its first bit out; SIM_WIRE_RX at t = its last bit in. On rx the composer may drop it
 * there (a link fault, counted by the composer): then false and the port does nothing more. */
enum { SIM_WIRE_TX = 1, SIM_WIRE_RX = 2 };
bool sim_world_wire(sim_world *w, uint32_t port, uint32_t dir, sim_fs t, const sim_pkt *pkt);
/* An event a block handled straight through instead of taking it from the heap (same
 * event count and end time either way). */
void sim_world_count_event(sim_world *w, sim_fs t);

#ifdef __cplusplus
}
#endif
#endif
