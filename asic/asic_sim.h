/* The YT ASIC timing model in C: routers made of YT ASICs (two PFE slices, two port groups
 * per slice), their ports, routes, inter-router links and traffic streams.
 *
 * Path of a clear packet (every resource is a bw_server or the lookup pool):
 *   source (port wire) -> PG.in -> slice.in -> lookup -> slice.out ->
 *     local port:  PG.out -> port tx (MAC) -> sink, or the peer router's PG.in over a link
 *     other slice: fabric -> dest slice.in -> dest slice.out -> PG.out -> port tx -> ...
 * Events: a resource fed by several streams (PG.in, slice.in, slice.out) takes one heap
 * event per packet so arrivals are served in time order. PG.in and slice.in buffer per
 * input and arbitrate by deficit round robin weighted by input speed (ingress_arb.h): a
 * packet that meets no contention is served on arrival; one that waits costs one dispatch
 * event (EV_PG_ARB / EV_SLICE_ARB) instead. Single-input resources behind them
 * (lookup after slice.in, PG.out and port tx after slice.out, fabric after slice.out) are
 * computed straight through in the same event.
 * Backpressure: a port group holds credits for its queue at slice.in (ingress_arb credits):
 * PG.in sends only when the slice's queue for it has room, so that queue never drops; when
 * the slice binds, packets wait in the PG's per-port queues (DRR-fair) and the drops there
 * are named slice_backpressure (counted on the PG input, on the flow, and on slice.in as the
 * owner). Fabric arrivals at slice.in come from other heaps and keep tail drop.
 * Each slice has its own event heap; heaps interact only through the fabric and links, whose
 * latency is the lookahead that lets a driver (plain C loop here, SystemC in asic_sc.cpp)
 * process a slice's events in windows.
 *
 * IPsec engine attachment point (DESIGN.md "Where the engine sits"): the engine of slice s
 * is a port-like consumer/producer on PG0 of s. A route whose next hop is ASIC_NH_ENGINE
 * sends the packet through slice.out and PG0.out (consuming PG0 egress bandwidth like a
 * port, frame + 20 B) to engine->accept(); the engine hands packets back with
 * asic_sim_engine_return(), which enters PG0.in (PG0 ingress bandwidth) and then takes a
 * second lookup. Part 1 ships no engine; the hook is exercised by a loopback test. */
#ifndef IPSECSIM_ASIC_SIM_H
#define IPSECSIM_ASIC_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "asic_params.h"
#include "model/sim_heap.h"
#include "model/sim_rng.h"
#include "model/stats.h"
#include "pfe/lookup.h"
#include "pfe/route.h"
#include "portgroup/bw_server.h"
#include "portgroup/ingress_arb.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum asic_drop {
  DROP_PG_IN, DROP_SLICE_IN, DROP_LOOKUP, DROP_NO_ROUTE, DROP_SLICE_OUT, DROP_FABRIC,
  DROP_PG_OUT, DROP_PORT_TX, DROP_HOP_LIMIT, DROP_SLICE_BACKPRESSURE, DROP_N
} asic_drop;
extern const char *const asic_drop_names[DROP_N];

#define ASIC_NH_ENGINE (-2) /* route next hop: the IPsec engine of the slice (part 2) */
#define ASIC_MAX_HOPS 16

typedef struct asic_port {
  char name[32];      /* Junos name et-FPC/PIC/PORT */
  uint32_t router, asic, slice, pg; /* global indices */
  uint32_t fpc, pic, portno;
  uint64_t rate_bps;
  uint32_t pg_input;  /* this port's input queue at its port group's ingress arbiter */
  bw_server tx;
  int32_t peer;       /* port index at the other end of a link, -1 none */
  sim_fs link_latency;
  uint64_t rx_pkts, rx_bytes; /* window */
} asic_port;

/* Ingress (in) is an ingress_arb with one queue per port (plus the engine on PG0, last
 * input) feeding the PG bandwidth; egress (out) is fed by the slice alone: a FIFO. */
typedef struct asic_pg {
  ingress_arb arb;
  bw_server in, out;
  uint32_t slice;
  uint32_t n_ports;   /* inputs 0..n_ports-1 are ports; PG0 has input n_ports = engine */
} asic_pg;

/* Inputs of a slice's buffer-write arbiter (slice.in). */
enum { SLICE_IN_PG0, SLICE_IN_PG1, SLICE_IN_FABRIC, SLICE_IN_N };

typedef struct asic_slice {
  ingress_arb arb;    /* in front of `in`: inputs SLICE_IN_PG0, SLICE_IN_PG1, SLICE_IN_FABRIC */
  bw_server in, out, fab;
  lookup_pool lk;
  sim_heap heap;
  uint32_t router, asic, index; /* index: 0/1 inside its ASIC */
  uint32_t first_pg;
  stats_counter *noroute_drops; /* window (registry counter, or noroute_own_) */
  stats_counter noroute_own_;
  uint64_t tot_noroute_drops;
  /* window: drops at this slice's port groups' input queues while the slice held them back */
  stats_counter *backpressure_drops, backpressure_own_;
  /* lookup completions go straight on to slice.out (no EV_SLICE_OUT in the heap); set when
   * stepping starts, see asic_sim.c prepare_direct_out */
  bool direct_out;
} asic_slice;

typedef struct asic_router {
  char name[32];
  asic_params p;
  asic_platform plat;
  uint32_t n_asics, first_asic_slice; /* slices of this router: first.. +2*n_asics */
  uint32_t first_port, n_ports;
  route_table routes;
} asic_router;

typedef enum frame_kind { FRAME_FIXED, FRAME_LIST, FRAME_UNIFORM } frame_kind;
typedef enum arrival_kind { ARRIVAL_CBR, ARRIVAL_POISSON } arrival_kind;

#define FLOW_MAX_SIZES 64
typedef struct asic_flow {
  char name[48];
  uint32_t router, port; /* ingress port (global index) */
  uint8_t family;        /* 4 or 6 */
  uint8_t dst[16];       /* first destination address */
  uint32_t n_addr;       /* `flows:` distinct destination addresses (dst + i) */
  uint32_t dscp;
  frame_kind fkind;
  uint16_t sizes[FLOW_MAX_SIZES];
  uint32_t n_sizes, lo, hi;
  char frame_text[64];
  double rate_bps;       /* offered L1 rate */
  arrival_kind arrival;
  uint32_t burst;        /* packets back to back at line rate, 0/1 = none */
  uint32_t lookup_cycles;
  sim_fs start;          /* first packet (default 0) */
  /* generator state */
  sim_rng rng;
  sim_fs next_t, vclock;
  uint64_t seq;
  uint32_t idx, in_burst;
  /* serialization times of the last frame size (most flows have one): no 128-bit division
   * per packet; memo_size 0 = none yet */
  uint32_t memo_size;
  sim_fs memo_wire, memo_nominal, memo_pre;
  int32_t *egress;       /* [router * n_addr + addr] resolved next hop port, -1 no route */
  /* statistics */
  uint64_t tot_sent, tot_recv, tot_drops[DROP_N];
  uint64_t sent_bytes, recv_bytes; /* window (throughput gauges derive from them) */
  /* window counters in the registry (flow.NAME.tx_pkts|rx_pkts|drops.REASON|drops.total),
   * set by asic_world_start; own_ is the fallback when a name is refused */
  stats_counter *sent, *recv, *drops[DROP_N], *drops_total;
  stats_counter own_[DROP_N + 3];
  stats_hist *lat_lifo, *lat_fifo;
  uint64_t *series_bytes; /* delivered L2 bytes per time bucket */
} asic_flow;

typedef struct asic_engine_ops {
  void *ctx;
  /* a packet leaves PG0.out of `slice` toward the engine at time t */
  void (*accept)(void *ctx, uint32_t slice, sim_fs t, const sim_pkt *pkt);
} asic_engine_ops;

typedef struct asic_world {
  asic_router *routers;
  uint32_t n_routers;
  asic_port *ports;
  uint32_t n_ports;
  asic_pg *pgs;
  uint32_t n_pgs;
  asic_slice *slices;
  uint32_t n_slices;
  asic_flow *flows;
  uint32_t n_flows;
  sim_fs w0, w1;        /* measurement window: warm-up end, measurement end */
  sim_fs lookahead;     /* minimum latency of any cross-heap push */
  sim_fs t_end;         /* last event processed */
  uint32_t n_buckets;
  sim_fs bucket;
  uint64_t seed;
  uint64_t events;      /* events processed (heap events and lookup completions computed
                           straight through: the same count either way) */
  bool stepping;        /* asic_sim_step has run (routes and engine are fixed from then on) */
  stats_registry *stats;
  asic_engine_ops engine;
  /* cross-heap push notification for drivers that wait on heaps (SystemC) */
  void *notify_ctx;
  void (*notify)(void *ctx, uint32_t heap, sim_fs t);
} asic_world;

/* Allocate routers/ports/slices for the given router platforms (names, params, platform set
 * by the caller in `routers`, ownership taken). Ports named per asic_preset. */
bool asic_world_build(asic_world *w, asic_router *routers, uint32_t n_routers, char *err, size_t errlen);
/* Find a port by "et-0/0/0" (router index given) or "router:et-0/0/0". -1 when absent. */
int32_t asic_world_port(const asic_world *w, uint32_t router, const char *name);
int32_t asic_world_router(const asic_world *w, const char *name);
/* After flows and routes are set: resolve routes, seed sources, set windows, lookahead. */
bool asic_world_start(asic_world *w, sim_fs warmup, sim_fs measure, uint64_t seed, char *err, size_t errlen);
void asic_world_free(asic_world *w);

/* Registers every block's window counters (resources, arbiter inputs) in w->stats and
 * points the blocks at them; blocks then increment the registry directly. Called by
 * asic_world_start; implemented with the report names in asic_report.c. */
bool asic_stats_register(asic_world *w);

/* Process events of heap h with time < limit. Returns events processed. */
uint64_t asic_sim_step(asic_world *w, uint32_t h, sim_fs limit);
/* Plain C driver: all heaps in (time, pid) order until empty. */
void asic_sim_run_c(asic_world *w);
/* Engine return path (see header comment). */
void asic_sim_engine_return(asic_world *w, uint32_t slice, sim_fs t, const sim_pkt *pkt);

/* Internal: the first packet of flow fi as its source event (used by asic_world_start). */
bool asic_sim_first_packet(asic_world *w, uint32_t fi, sim_event *ev);

/* Advances every queue to the time the last packet leaves (departure counts complete). */
void asic_sim_finish(asic_world *w);

/* Packet conservation: sent == received + drops + census. Fills a one-line message. */
bool asic_sim_conservation(asic_world *w, char *msg, size_t len);

#ifdef __cplusplus
}
#endif
#endif
