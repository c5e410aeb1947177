/* Closed-form values of the ASIC model, from the same rounded periods and serialization
 * function the simulation uses (model/sim_time.h):
 *  - per resource: capacity in packets/s for a mean frame size (bandwidth resources:
 *    rate / ((frame + counted overhead) x 8); lookup: threads / (cycles x period)), the
 *    load offered to it by the scenario's flows (ignoring upstream losses), and the ceiling
 *    in L1 Gbit/s;
 *  - per flow: offered rate, the lowest ceiling on its path as if alone, and the exact
 *    zero-load latency (LIFO and FIFO) of one packet. */
#ifndef IPSECSIM_ASIC_ANALYTIC_H
#define IPSECSIM_ASIC_ANALYTIC_H

#include <stdio.h>

#include "asic_sim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* RES_HOLDER: no server of its own, only packets held and drops owned (census below). */
typedef enum asic_res_kind { RES_BW, RES_LOOKUP, RES_HOLDER } asic_res_kind;

#define ASIC_INPUT_LABEL 32

typedef struct asic_res {
  char name[96];
  asic_res_kind kind;
  bw_server *bw;
  ingress_arb *arb;            /* per-input queues in front of bw (PG.in, slice.in), or NULL */
  lookup_pool *lk;
  asic_drop reason;            /* drops this resource owns */
  bool no_route;               /* lookup: also owns the no-route drops (counted in *tot_extra_drops) */
  const uint64_t *tot_extra_drops; /* all-time drops owned besides the server's tail drops, or NULL */
  double off_pps, off_bytes, off_cycles; /* offered: pps, sum pps*frame, sum pps*cycles */
  /* arb: the name of each of its arb->n_in inputs (stats NAME.input.LABEL.*), copied by
   * asic_registry_add; NULL names them in0, in1, ... */
  const char (*inputs)[ASIC_INPUT_LABEL];
  /* A window drop counter the stage owns besides its tail drops, NAME.drops.<extra_reason>
   * (lookup: no_route; slice.in: the backpressure drops at its port groups; a holder: the
   * drops it decides): the registry points *extra_drops at its registry counter (left as
   * it is if the name is refused). extra_note: said after them in the summary. */
  stats_counter **extra_drops;
  asic_drop extra_reason;
  const char *extra_desc, *extra_note;
  /* Packets held and all-time drops owned that bw/arb/lk do not count (a heap's events, a
   * block's buffers, drops decided without a queue): added to *held / *drops at time t,
   * with the world it is registered in, its ctx and index. The only content of a
   * RES_HOLDER. NULL = none. */
  void (*census)(const struct sim_world *w, void *ctx, uint32_t index, sim_fs t, uint64_t *held, uint64_t *drops);
  /* Packets the holder created beyond those it was given (a block's pre-fragmentation: one
   * datagram in, n ESP packets out), all-time; the conservation identity is sent + made ==
   * received + drops + held. NULL = none. */
  uint64_t (*made)(const struct sim_world *w, void *ctx, uint32_t index);
  /* Figures of the block beside its resource's own, published after every resource's (in
   * registry order) into r, e.g. a port's receive side ROUTER.port.NAME.rx_l1_gbps. The
   * report and the names expect: accepts come from this call alone. NULL = none. */
  void (*publish_figures)(const struct sim_world *w, void *ctx, uint32_t index, stats_registry *r);
  /* A queue the block keeps besides bw/arb/lk (an engine's input FIFO): hands it the series
   * timeseries.csv reports under NAME (asic_report_series.c); NULL = none. */
  void (*attach_series)(struct sim_world *w, void *ctx, uint32_t index, occ_series *s);
  void *ctx;
  uint32_t index;
  /* RES_HOLDER: the report publishes NAME.held_pkts and NAME.run_drops (its census when
   * the run ended), which expect: then accepts */
  bool publish;
} asic_res;

/* The resource registry (asic_registry.c): every resource of the world registers once, at
 * build, named "r0.asic0.slice0.pg0.in" etc., with its arbiter's input names, the drops it
 * owns and what else it holds; so do the packet holders that are no resource (each slice's
 * event heap, each PG0 attachment point, the hop-limit drops). The registry alone does
 * window start, time advance, finish, the conservation census, stats naming
 * (asic_stats_register), the report's and expect:'s resource lists, and free. A new block
 * registers its resources and holders (asic_registry_add) and needs nothing else.
 * asic_registry_add copies *r (and its input names); false: out of memory. */
bool asic_registry_add(asic_world *w, const asic_res *r);
bool asic_registry_build(asic_world *w);  /* the blocks' resources (asic_world_build) */
void asic_registry_window(asic_world *w);
sim_fs asic_registry_final_time(const asic_world *w, sim_fs t);
void asic_registry_advance(asic_world *w, sim_fs t);
/* Adds packets still held and all-time drops owned by every registered resource and holder. */
void asic_registry_census(asic_world *w, sim_fs t, uint64_t *held, uint64_t *drops);
/* Packets every registered holder created (asic_res.made). */
uint64_t asic_registry_made(const asic_world *w);
void asic_registry_free(asic_world *w);
/* A copy of the registry (the caller may accumulate offered load in it). Caller frees. */
asic_res *asic_res_list(asic_world *w, size_t *n);
/* Accumulates each flow's offered load on the resources of its path. */
void asic_analytic_offered(asic_world *w, asic_res *res, size_t n);
double asic_res_ceiling_pps(const asic_res *r, double mean_frame);
double asic_res_mean_frame(const asic_res *r);

double asic_flow_mean_frame(const asic_flow *f);
double asic_flow_offered_pps(const asic_flow *f);
/* L1 bytes on the wire per frame of `frame` bytes of flow f (frame + 20; an esp_of stream:
 * its ESP frame(s) + 20 each, as its source sends them), and the L2 bytes in *l2_bytes. */
double asic_flow_wire_bytes(const asic_flow *f, double frame, double *l2_bytes);
/* Lowest path ceiling (pps) for the flow's frames as if it were alone. */
double asic_flow_ceiling_pps(asic_world *w, uint32_t fi);
/* The resources on flow fi's path in order, by registry name, through each(ctx, name,
 * tunnel): an engine pass as SLICE.engine with the tunnel whose SA it applies (ASIC_NONE
 * for every other hop). False when the path ends unrouted (the hops so far were given). */
bool asic_flow_path(asic_world *w, uint32_t fi, void (*each)(void *ctx, const char *name, uint32_t tunnel), void *ctx);
/* Exact zero-load latency (fs) of one packet of `bytes` from flow fi; false if no route. */
bool asic_flow_zero_load(asic_world *w, uint32_t fi, uint32_t bytes, sim_fs *lifo, sim_fs *fifo);

/* ---- The IPsec engines (asic_analytic_engine.c) ----
 * Closed form of slice `slice`'s engine (global slice index) for the scenario's offered mix:
 * flows routed into a tunnel anchored there (encrypt), the same datagrams decrypted at the
 * peer tunnel's anchor, `esp_of` streams of tunnels anchored there (decrypt); weights by
 * offered datagram rate; per-SA shape; pin lanes from asic_engine_sa_index. */
typedef struct asic_engine_cf {
  bool loaded;                 /* some offered datagram reaches this engine */
  engine_ceiling c;            /* engine_closed_form of that mix */
  double offered_dgram_mpps;   /* clear datagrams per second offered to it / 1e6 */
  double offered_mpps, offered_l1_gbps, offered_clear_l1_gbps; /* the same load, ESP pkts / sides */
  /* with the SA context cache (engine_cache_closed_form): the engine's active SAs (those the
   * mix reaches) visited round-robin, or at random when a stream feeding it has
   * `flow_order: random` */
  bool cache_ok;
  uint32_t active_sas;
  engine_sa_order order;
  engine_cache_ceiling cache;
} asic_engine_cf;
bool asic_engine_ceiling(asic_world *w, uint32_t slice, asic_engine_cf *out, char *why, size_t why_len);
/* `params --analytic`: the SA cache's closed forms per frame size over 1/100/1000/2000 tunnels. */
void asic_analytic_print_engine_cache(const engine_params *e, const engine_sa *shape, const uint32_t *sizes, size_t n,
                                      FILE *fp);
/* Index of tunnel t's SA of direction dir on its anchor engine: tunnels anchored on the same
 * slice in input order k = 0, 1, ...: outbound 2k, inbound 2k + 1 (so under pin with an even
 * lane count the two SAs of a tunnel never share a lane). */
uint32_t asic_engine_sa_index(const asic_world *w, uint32_t t, engine_dir dir);
/* "ROUTER.asicA.sliceS" of a global slice index. */
void asic_engine_slice_name(const asic_world *w, uint32_t slice, char *out, size_t len);
/* analytic.ROUTER.asicA.sliceS.engine.{ceiling_mpps, ceiling_l1_gbps, ceiling_clear_l1_gbps,
 * ceiling_datagram_mpps, cycles_per_datagram, offered_mpps, offered_l1_gbps} of every loaded engine. */
void asic_analytic_publish_engines(asic_world *w, stats_registry *r);
/* The summary's engine lines (after the run is published): "engine r0.asic0.slice0: 2 lanes x
 * 1.2 GHz / (5+97) cycles at 1518 B = 23.53 Mpps = 300.0 Gbit/s WAN L1 (289.5 clear),
 * measured 299.9 (util 1.000)". */
void asic_analytic_engine_summary(asic_world *w, FILE *fp);

/* `ipsecsim params --analytic` (asic_analytic_print.c): ceilings per resource type for the
 * given frame sizes, and what binds a full slice of ports at line rate, from every resource
 * registered in a world built from (p, pl); then the engine part. False (err set): out of memory. */
bool asic_analytic_print(const asic_params *p, const asic_platform *pl, const uint32_t *sizes, size_t n, FILE *fp,
                         char *err, size_t errlen);
/* Its parts: the world (one router r0; a stream per port of r0.asic0.slice0 at line rate,
 * routed back out of its own port; started, never stepped; caller frees it with
 * asic_world_free, also on false) and the two tables printed from its registry. */
bool asic_analytic_binding_world(const asic_params *p, const asic_platform *pl, asic_world *w, char *err, size_t errlen);
bool asic_analytic_print_world(asic_world *w, const uint32_t *sizes, size_t n, FILE *fp);
/* Its engine part: one slice's engine per frame size (calibration SA shape) and what binds
 * IPsec encrypt + decrypt through it (engine, PG0, lookup or slice). */
void asic_analytic_print_engine(const asic_params *p, const uint32_t *sizes, size_t n, FILE *fp);

#ifdef __cplusplus
}
#endif
#endif
