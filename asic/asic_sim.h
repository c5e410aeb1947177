/* The YT ASIC timing model in C: the world of routers made of YT ASICs (two PFE slices, two
 * port groups per slice), their ports, routes, inter-router links and traffic streams. asic/
 * composes the blocks; it implements none of them:
 *   portgroup/portgroup.h  ports (MAC tx), port groups (PG.in arbiter + credits, PG.out)
 *   portgroup/pg_attach.h  the block attachment point on PG0 (the IPsec engine plugs in here)
 *   pfe/slice.h            the PFE slice (slice.in arbiter, lookup, slice.out, fabric, heap)
 * Path of a clear packet (every resource is a bw_server or the lookup pool):
 *   source (port wire) -> PG.in -> slice.in -> lookup -> slice.out ->
 *     local port:  PG.out -> port tx (MAC) -> sink, or the peer router's PG.in over a link
 *     other slice: fabric -> dest slice.in -> dest slice.out -> PG.out -> port tx -> ...
 *     the block:   PG0.out -> block ... block -> PG0.in -> slice.in -> second lookup -> ...
 * The world owns what spans blocks: the route-key table (every address a lookup can route
 * on, resolved per router once: a packet's route_key indexes it), the per-router lookup
 * occupancy of each flow, traffic sources, flow statistics (drops by reason, delivery,
 * latency), the measurement window and the event switch (asic_sim.c) that hands each event
 * to its block's handler by class (model/sim_world.h).
 * Each slice has its own event heap; heaps interact only through the fabric and links, whose
 * latency is the lookahead that lets a driver (plain C loop here, SystemC in asic_sc.cpp)
 * process a slice's events in windows. */
#ifndef IPSECSIM_ASIC_SIM_H
#define IPSECSIM_ASIC_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "asic_bytes.h"
#include "asic_ipsec.h"
#include "asic_params.h"
#include "model/sim_heap.h"
#include "model/sim_rng.h"
#include "model/stats.h"
#include "model/sim_world.h"
#include "pfe/lookup.h"
#include "pfe/route.h"
#include "pfe/slice.h"
#include "portgroup/bw_server.h"
#include "portgroup/ingress_arb.h"
#include "portgroup/pg_attach.h"
#include "portgroup/portgroup.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef sim_drop asic_drop;
#define asic_drop_names sim_drop_names
#define ASIC_NH_ENGINE SLICE_NH_BLOCK /* route next hop: the block attached to PG0 of the slice */
#define ASIC_MAX_HOPS SIM_MAX_HOPS

/* An address a lookup can route on (sim_pkt.route_key indexes the world's table). */
typedef struct asic_route_key {
  uint8_t family;  /* 4 or 6 */
  uint8_t addr[16];
} asic_route_key;

/* An `interfaces:` entry as written (kept for config.resolved.yaml): its port, the address
 * text (empty: none) and the description (empty: none). */
typedef struct asic_iface {
  uint32_t port;
  char address[64];
  char description[128];
} asic_iface;

typedef struct asic_router {
  char name[32];
  asic_params p;
  asic_platform plat;
  uint32_t n_asics, first_asic_slice; /* slices of this router: first.. +2*n_asics */
  uint32_t first_port, n_ports;
  route_table routes;
  asic_iface *ifaces;   /* interfaces: entries in input order */
  uint32_t n_ifaces;
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
  uint8_t addr_random;   /* `flow_order: random`: each packet's address drawn uniformly (else
                            round-robin dst, dst+1, ...); its own rng, seeded per stream */
  sim_rng order_rng;
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
  uint32_t esp_of;       /* tunnel index: the stream is the ESP its remote peer sends (ASIC_NONE) */
  /* esp_of generator (set at asic_world_start): the remote peer's mirror of the tunnel's
   * inbound SA (an outbound shape), the ESP packets of the inner frame being sent (plan, next
   * index), its destination key, the gateway key and SPI, the last sequence number sent */
  engine_sa esp_sa;
  engine_esp_plan esp_plan;
  uint32_t esp_i, esp_key, esp_spi, esp_inner_key;
  uint64_t esp_seq, esp_frames;
  /* generator state */
  sim_rng rng;
  sim_fs next_t, vclock;
  uint64_t seq;
  uint32_t idx, in_burst;
  /* serialization times of the last frame size (most flows have one): no 128-bit division
   * per packet; memo_size 0 = none yet */
  uint32_t memo_size;
  sim_fs memo_wire, memo_nominal, memo_pre;
  uint32_t first_key;    /* route keys first_key .. + n_addr - 1: its destination addresses */
  /* statistics */
  uint64_t tot_sent, tot_recv, tot_drops[DROP_N];
  uint64_t sent_bytes, recv_bytes; /* window (throughput gauges derive from them) */
  /* window counters in the registry (flow.NAME.tx_pkts|rx_pkts|drops.REASON|drops.total),
   * set by asic_world_start; own_ is the fallback when a name is refused */
  stats_counter *sent, *recv, *drops[DROP_N], *drops_total;
  stats_counter own_[DROP_N + 3];
  stats_hist *lat_lifo, *lat_fifo;
  uint64_t *series_bytes; /* delivered L2 bytes per time bucket */
  /* payload real (asic_bytes.h): the source address and UDP ports its frames carry (from the
   * seed), and the sink's byte checks (flow.NAME.payload_checked|payload_mismatch, window) */
  uint8_t src[16];
  bool src_given; /* src from the scenario's traffic[].src */
  uint16_t sport, dport;
  uint64_t tot_checked, tot_mismatch;
  stats_counter *payload_checked, *payload_mismatch;
  uint32_t esp_gen;       /* esp_of with `events:`: the generation whose SPI it sends on */
} asic_flow;

enum { ASIC_GCM_C = 0, ASIC_GCM_RTL = 1 };

typedef struct sim_world {
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
  bool stepping;        /* asic_sim_step has run (routes and attachments are fixed from then on) */
  uint32_t step_heap;   /* the heap asic_sim_step is handling, and its limit (0: none) */
  sim_fs step_limit;
  stats_registry *stats;
  asic_route_key *keys; /* route keys; next hop of key k at router r: key_nh[k * n_routers + r] */
  uint32_t n_keys, cap_keys;
  int32_t *key_nh;
  uint32_t *cycles;     /* lookup occupancy of flow f at router r: cycles[r * n_flows + f] */
  pg_attach *attach;    /* [n_slices] block attachment points on PG0 (allocated at build) */
  slice_wiring wiring;  /* what the slices' handlers reach */
  struct asic_res *res; /* the resource registry (asic_analytic.h) */
  asic_tunnel *tunnels; /* IPsec tunnels (asic_ipsec.h), in input order */
  uint32_t n_tunnels, cap_tunnels;
  struct asic_taps *taps; /* captures and link faults on port wires (asic_tap.h), or NULL */
  struct asic_ipsec_rt *ipsec; /* run-time IPsec state (SAs on engines, SPI demux), asic_ipsec.c */
  struct asic_events *sa_events; /* SA generations from `events:` (asic_events.h), NULL: none */
  uint8_t gcm_model;    /* ASIC_GCM_C: the engines' C GCM core; ASIC_GCM_RTL: the Verilated core */
  size_t n_res, cap_res;
  occ_series *occ;      /* [n_occ] queue occupancy per time bucket, by registry index: the
                           entries registered by asic_world_start (asic_report_series.c;
                           n == 0: that entry has no queue) */
  size_t n_occ;
  asic_payload_mode payload_mode; /* `payload:` real (default) | none */
  asic_bytes_pool bytes;           /* payload real: the frames' buffers (asic_bytes.h) */
  struct asic_ipsec_bytes *ipsec_bytes; /* payload real: the engines' byte path (asic_ipsec_bytes.h) */
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
/* When stepping starts (asic_sim_step, once): routing and occupancy tables to the slices,
 * and which slices compute lookup completions straight through (asic_sim_direct.c). */
void asic_sim_prepare_direct_out(asic_world *w);

/* After flows and routes are set: resolve routes, seed sources, set windows, lookahead. */
bool asic_world_start(asic_world *w, sim_fs warmup, sim_fs measure, uint64_t seed, char *err, size_t errlen);
void asic_world_free(asic_world *w);

/* Registers every block's window counters (resources, arbiter inputs) in w->stats and
 * points the blocks at them; blocks then increment the registry directly. Called by
 * asic_world_start; implemented with the report names in asic_report.c. */
bool asic_stats_register(asic_world *w);
/* Gives every registered queue (bw servers, arbiters with their server as one stage, lookup
 * queues, a block's own queue through attach_series) its occupancy series over the time
 * buckets (asic_report_series.c; called by asic_world_start, freed by asic_world_free). */
bool asic_series_start(asic_world *w);
void asic_series_free(asic_world *w);

/* Registers an address a lookup can route on (before stepping) and returns its route key;
 * resolved on every router's routes at asic_world_start (at once when registered later). */
uint32_t asic_world_route_key(asic_world *w, uint8_t family, const uint8_t addr[16]);
/* Next hop of route key k at router r: a port index, SLICE_NH_BLOCK or SLICE_NH_NONE. */
static inline int32_t asic_world_next_hop(const asic_world *w, uint32_t key, uint32_t router) {
  return w->key_nh[(size_t)key * w->n_routers + router];
}
/* Overrides a resolved next hop (before stepping), e.g. a route to the attached block. */
void asic_world_set_next_hop(asic_world *w, uint32_t key, uint32_t router, int32_t nh);

/* Attaches a block to PG0 of `slice` (before stepping; see portgroup/pg_attach.h). Its
 * PG0.out queue is the PG's pg_out_queue, its PG0.in credits the PG's pg_in_queue. */
bool asic_attach_block(asic_world *w, uint32_t slice, const pg_block_ops *ops, char *err, size_t errlen);
/* For the attached block: its own event, a packet back into PG0.in (false: no credits),
 * buffer freed (credits back to PG0.out). */
void asic_block_push(asic_world *w, uint32_t slice, sim_fs t, uint32_t kind, uint32_t aux, const sim_pkt *pkt);
bool asic_block_return(asic_world *w, uint32_t slice, sim_fs t, const sim_pkt *pkt);
void asic_block_credit(asic_world *w, uint32_t slice, uint32_t bytes, sim_fs t);

/* Process events of heap h with time < limit. Returns events processed. */
uint64_t asic_sim_step(asic_world *w, uint32_t h, sim_fs limit);
/* Plain C driver: all heaps in (time, pid) order until empty. */
void asic_sim_run_c(asic_world *w);
/* The same run, calling tick(ctx, t) once each time the simulated time t passes a multiple of
 * `every` (progress lines; tick must not change the world). */
void asic_sim_run_c_progress(asic_world *w, void (*tick)(void *ctx, sim_fs now), void *ctx, sim_fs every);

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
