/* Run-time IPsec state of the world (asic_ipsec_rt.c), built at asic_world_start from the
 * tunnel table (asic_ipsec.h):
 *  - per tunnel: its outbound and inbound SA on the anchor slice's engine (SA indices local to
 *    that engine, in tunnel order: tunnel k's SAs are 2j and 2j + 1 if it is the j-th tunnel
 *    anchored there), the route keys of its gateways (the local one's next hop on its router is
 *    SLICE_NH_LOCAL), and its counters tunnel.ROUTER.NAME.{tx_pkts, rx_pkts};
 *  - the SPI demux (slice.h slice_ipsec): (router, local gateway key, SPI) -> inbound SA;
 *  - one engine (ipsec_engine/engine_pg.h) attached to PG0 of every slice anchoring an SA,
 *    with its router's `engine` parameters.
 * Stated rules: under sa_dispatch=pin an SA pins to lane (local index mod lanes), so with 2
 * lanes every tunnel's outbound SA is on lane 0 and its inbound SA on lane 1; a packet leaving
 * the engine re-enters at PG0.in and takes a second lookup on its new route key, holding a
 * lookup thread again for its flow's occupancy at that router (cycles_by_flow); ESP packets
 * from a peer router are looked up with that router's pfe.lookup_cycles like any transit
 * packet. Inner DF is 0 for every stream (streams have no DF bit): pre-fragmentation at the
 * tunnel MTU always applies to IPv4 inner datagrams.
 * The stats names and gauges (asic_report_ipsec.c): ROUTER.asicA.sliceS.engine.{pkts,
 * done_pkts, encrypt_pkts, decrypt_pkts, drops.REASON, l1_gbps, clear_l1_gbps, mpps, util,
 * queue_max_pkts, reorder_max_pkts}, tunnel.ROUTER.NAME.{tx_pkts, rx_pkts, l1_gbps}, per SA
 * sa.ROUTER.NAME.out|in.* (engine_pg_tunnel_stats.sa, sa_stats.h) and per router ipsec.ROUTER.*. */
#ifndef IPSECSIM_ASIC_IPSEC_RT_H
#define IPSECSIM_ASIC_IPSEC_RT_H

#include <stdio.h>

#include "asic_sim.h"
#include "ipsec_engine/engine_pg.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct asic_ipsec_rt {
  slice_ipsec tab;              /* what the slices read */
  uint32_t *tunnel_slice, *tunnel_out_sa, *tunnel_in_sa, *local_key, *remote_key;
  slice_spi_entry *spi;
  engine_pg **eng;              /* [n_slices], NULL where no SA is anchored */
  engine_pg_tunnel_stats *tstats; /* [n_stats]: tunnel t's at t; with `events:` generation k >= 1
                                     of a tunnel at n_tunnels + j (sa.ROUTER.NAME.gK.out|in.*;
                                     its tunnel counters point at the tunnel's) */
  stats_counter *town;          /* own storage of the tunnel counters (3 per tunnel) */
  uint32_t n_stats, *stats_tunnel, *stats_gen;
  slice_sa_epoch *epochs;       /* `events:`: outbound SA epochs (slice_ipsec.epochs) */
  uint32_t *gen_out_sa, *gen_in_sa, *gen_stats; /* per generation (asic_events gens) */
  asic_world *w;
} asic_ipsec_rt;

/* Builds the run-time state and attaches the engines (from asic_world_start, after the
 * stats registry exists); true with nothing to do when there is no tunnel. */
bool asic_ipsec_start(asic_world *w, char *err, size_t errlen);
/* Registers the engines' and tunnels' window counters (after asic_stats_register). */
bool asic_ipsec_stats_register(asic_world *w);
/* The gauges of the run (engine metrics, tunnel l1_gbps) into r; the summary's engine lines. */
void asic_ipsec_publish(asic_world *w, stats_registry *r);
void asic_ipsec_summary(asic_world *w, FILE *fp);
/* After the run (asic_sim_finish): every engine advanced to the end of the window. */
void asic_ipsec_finish(asic_world *w);
/* Every engine's own census (engine_conservation); false with its message. */
bool asic_ipsec_conservation(asic_world *w, char *msg, size_t len);
/* All-time: ESP packets made beyond one per datagram by every engine (pre-fragmentation). */
uint64_t asic_ipsec_made(const asic_world *w);
/* gcm_model rtl: the engines' scoreboard totals (checked, mismatches, cycle mismatches) and
 * their kept mismatch lines printed to msgs; false when any packet mismatched. */
bool asic_ipsec_scoreboard(const asic_world *w, FILE *msgs, uint64_t *checked, uint64_t *mismatches,
                           uint64_t *cycle_mismatches);
uint64_t asic_ipsec_rtl_cycles(const asic_world *w); /* core cycles clocked, all engines */
void asic_ipsec_scoreboard_finish(asic_world *w);   /* after the run, before the report */
/* --wave: every RTL engine's port waveform for [from, to): PATH for the first engine, PATH with
 * "-ROUTER.asicA.sliceS" before its extension for the others. Names of the files written are
 * printed to note (one line each). false with a reason. */
bool asic_ipsec_wave(asic_world *w, const char *path, sim_fs from, sim_fs to, FILE *note, char *err, size_t errlen);
void asic_ipsec_rt_free(asic_world *w);

#ifdef __cplusplus
}
#endif
#endif
