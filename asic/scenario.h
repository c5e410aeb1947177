/* Scenario files (YAML through model/cfg.h): platform and parameter overrides, interfaces,
 * routes, links between routers, traffic streams, phases and `expect:` assertions. Every
 * error is one line "FILE:LINE:COL: FIELD: what is wrong (allowed: ...)".
 *
 *   version: 1
 *   seed: 1
 *   platform: {preset: MX304, lmics: 1, port_mode: 16x100GE}
 *   params: {portgroup: {pg_bw: 300Gbps}, pfe: {lookup_cycles: 2000}}
 *   routers: [{name: r1, platform: {...}, params: {...}, interfaces: [...], routes: [...]}]
 *   interfaces: [{name: et-0/0/1, address: 10.1.0.1/24}]   # connected route to the port
 *   routes: [{prefix: 10.2.0.0/16, via: et-0/0/4}]
 *   links: [{a: r1:et-0/0/1, b: r2:et-0/0/0, latency: 50ns, fault: {corrupt_every: 100}}]
 *   capture: [{port: r1:et-0/0/1, file: wan.pcap, direction: tx, max_packets: 1000}]
 *   traffic: [{name: f1, port: et-0/0/0, rate: 100%, frame: 64B, dst: 10.1.0.2}]
 *   phases: {warmup: 20us, measure: 200us}
 *   expect: [{metric: flow.f1.rx_l1_gbps, approx: analytic.flow.f1.expected_l1_gbps, tol: 1%}]
 *   sweep: {axes: {traffic.frame: [64B, imix]}, search: mlr}   # read by `ipsecsim sweep` only
 * Without `routers:` the top level describes one router named r0. */
#ifndef IPSECSIM_SCENARIO_H
#define IPSECSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "asic_sim.h"
#include "model/cfg.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SCENARIO_VERSION 1

typedef enum expect_op { EXP_APPROX, EXP_EQ, EXP_GE, EXP_GT, EXP_LE, EXP_LT } expect_op;

typedef struct scenario_expect {
  char metric[160];
  expect_op op;
  double value;      /* when ref is empty */
  char ref[160];     /* metric or analytic.* name */
  double tol;        /* approx: relative tolerance (fraction) */
  char where[256];   /* "FILE:LINE:COL" of the entry */
  int8_t if_gcm_model; /* `if: {gcm_model: c|rtl}`: evaluated only under that model; -1 = always */
} scenario_expect;

typedef struct scenario {
  cfg_doc *doc;
  char path[512];
  asic_world world;
  sim_fs warmup, measure;
  uint64_t seed;
  scenario_expect *expects;
  size_t n_expects;
  uint32_t frame_override; /* --set traffic.frame=SIZE: every stream's frame (0 = none) */
  char frame_mix[16];      /* --set traffic.frame=imix|IMIX_v4_1: every stream's mix ("" = none) */
  double rate_override;    /* --set traffic.rate=P%: every stream at P% of its port's line rate (0 = none) */
  cfg_doc *junos_doc;      /* `junos:` configurations imported (scenario_junos.c), or NULL */
  void *junos_root;        /* the root the loader reads then (scenario keys + imported routers) */
  char *junos_notes;       /* what the importer inferred, assumed, ignored: for stderr, or NULL */
  uint32_t payload_set;    /* --set payload=real|none: mode + 1 (0 = as the file says) */
  uint32_t flows_override; /* --set traffic.flows=N: every stream with `flows:` > 1 over N addresses (0 = none) */
  uint8_t gcm_model;       /* `gcm_model:` / --set gcm_model= (--gcm-model): ASIC_GCM_C or ASIC_GCM_RTL */
} scenario;

/* Load and build. `sets` are "key=value" overrides (--set): BLOCK.PARAM (all routers),
 * ROUTER.BLOCK.PARAM, platform.KEY, phases.warmup|measure, seed, traffic.frame (every
 * stream's frame size or a named mix imix / IMIX_v4_1, used by `ipsecsim sweep`), traffic.rate (every stream's offered rate
 * as a percentage of its port's line rate, used by `ipsecsim sweep --rfc2544`),
 * [ROUTER.]ipsec.tunnels.NAME.count (the count: of tunnels entry NAME, scenario_ipsec.h). */
bool scenario_load(const char *path, char *const *sets, size_t n_sets, scenario *sc, cfg_err *err);
void scenario_free(scenario *sc);

/* internal, shared by scenario.c and scenario_traffic.c */
/* `junos: [a.conf, b.conf]`: the root with the imported routers (root itself without the key;
 * NULL with err on a refused configuration). Freed by scenario_junos_free. */
const cfg_node *scenario_junos_root(scenario *sc, const cfg_node *root, cfg_err *err);
void scenario_junos_free(scenario *sc);
bool scenario_check_keys(const cfg_node *map, const char *field, const char *const *allowed, cfg_err *err);
bool scenario_traffic(const cfg_node *seq, asic_world *w, cfg_err *err);
bool scenario_expects(const cfg_node *seq, scenario *sc, cfg_err *err);
const char *scenario_scalar(const cfg_node *n, const char *field, cfg_err *err);
/* `capture:` and `links[].fault` (scenario_tap.c, asic_tap.h); end: the link's two ports. */
bool scenario_captures(const cfg_node *seq, asic_world *w, cfg_err *err);
bool scenario_link_fault(const cfg_node *map, asic_world *w, const int32_t end[2], cfg_err *err);
/* Sets f's frame to a named mix: imix / imix-simple (7:4:1 of 64/594/1518 B) or IMIX_v4_1
 * (CSIT: 28x64 + 16x570 + 4x1518 B). False when the name is none of them. */
bool scenario_frame_mix(const char *name, asic_flow *f);

#ifdef __cplusplus
}
#endif
#endif
