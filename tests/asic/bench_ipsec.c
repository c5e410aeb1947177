/* Benchmark (prints figures, asserts nothing): the cost of a simulated packet with the IPsec
 * engine (payload none) against the clear model on the same ports, in the same process, and
 * its cost at 1, 100 and 2000 tunnels. CPU time of the simulation loop only (asic_sim_run_c:
 * no load, no report), per packet sent by the sources; median of REPS runs, the variants
 * interleaved run by run so that a change in the machine's load hits all alike.
 *   clear:   et-0/0/4 <-> et-0/0/5 at 45 Gbit/s each way and et-0/0/6 -> et-0/0/7 at 90 G,
 *            1518 B (PG1 of slice 0; no resource binds)
 *   ipsec N: the same ports and rates: et-0/0/4,5 encrypt into N tunnels anchored on
 *            si-0/0/0 (flows: N destinations, one per tunnel's /32 prefix; N remote gateways
 *            behind WAN port et-0/0/6: 2 x 45 x 1594 / 1538 = 93 G of ESP out); et-0/0/6
 *            carries one esp_of stream of the first tunnel at 90 G (decrypt; one stream per
 *            SA, since two would repeat its sequence numbers: replay drops; the SPI demux is
 *            one hash probe whatever N), in all below the engine's ceiling.
 * The tunnel variants set engine.sa_cache_entries 4096 so that the SA context cache holds all
 * 2 x N SAs (the default 2048 would not hold 2000 tunnels' 4000): the figure is the model's
 * cost per packet, not the misses'; the measured hit rate is printed beside it.
 * Figures: simulated packets per CPU second of each variant, the ipsec-1 / clear ratio
 * (target >= 0.5) and the cost per packet at 100 and 2000 tunnels relative to 1 (target:
 * flat within 10 %), and the same ratios of the fastest runs (less disturbed by other load).
 * usage: bench_ipsec [REPS] [MEASURE]   (default 5 runs of 2ms simulated) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asic/asic_ipsec_rt.h"
#include "asic/asic_report.h"
#include "asic/scenario.h"
#include "tools/bench_clock.h"

static const char kHead[] =
    "version: 1\npayload: none\nplatform: {preset: MX304, lmics: 1, port_mode: 16x100GE}\n"
    "interfaces:\n"
    "  - {name: et-0/0/4, address: 10.0.4.1/24}\n  - {name: et-0/0/5, address: 10.0.5.1/24}\n"
    "  - {name: et-0/0/6, address: 16.1.0.2/16}\n  - {name: et-0/0/7, address: 16.2.0.2/16}\n";

static bool write_file(const char *path, const char *text) {
  FILE *fp = fopen(path, "w");
  if (!fp) return false;
  bool ok = fputs(text, fp) >= 0;
  return fclose(fp) == 0 && ok;
}

/* n == 0: the clear model on the same ports; else n tunnels per LAN port (2 groups). */
static void scenario_text(unsigned n, const char *measure, char *buf, size_t len) {
  int k = snprintf(buf, len, "%s", kHead);
  if (n == 0) {
    snprintf(buf + k, len - (size_t)k,
             "traffic:\n"
             "  - {name: a, port: et-0/0/4, rate: 45Gbps, frame: 1518B, dst: 10.0.5.9}\n"
             "  - {name: b, port: et-0/0/5, rate: 45Gbps, frame: 1518B, dst: 10.0.4.9}\n"
             "  - {name: c, port: et-0/0/6, rate: 90Gbps, frame: 1518B, dst: 16.2.0.9}\n"
             "phases: {warmup: 10us, measure: %s}\n", measure);
    return;
  }
  snprintf(buf + k, len - (size_t)k,
           "params: {engine: {sa_cache_entries: 4096}}\n"
           "ipsec:\n  tunnels:\n"
           "    - {name: a, anchor: si-0/0/0, bind: st0.1, local: 16.1.0.2, remote: 16.1.128.0, algorithm: aes-256-gcm,\n"
           "       key: auto, prefix: 20.1.0.0/32, count: %u}\n"
           "traffic:\n"
           "  - {name: a, port: et-0/0/4, rate: 45Gbps, frame: 1518B, dst: 20.1.0.0, flows: %u}\n"
           "  - {name: b, port: et-0/0/5, rate: 45Gbps, frame: 1518B, dst: 20.1.0.0, flows: %u}\n"
           "  - {name: c, port: et-0/0/6, rate: 90Gbps, frame: 1518B, dst: 10.0.5.9, esp_of: a%s}\n"
           "phases: {warmup: 10us, measure: %s}\n",
           n, n, n, n > 1 ? "-0" : "", measure);
}

/* CPU ns per packet sent (sources), the packet and event counts, the SA cache hit rate; false
 * when it does not load. */
static bool run_once(const char *path, double *ns_per_pkt, uint64_t *pkts, uint64_t *events, double *hit_rate) {
  scenario *sc = calloc(1, sizeof *sc);
  cfg_err err = {{0}};
  if (!sc || !scenario_load(path, NULL, 0, sc, &err)) {
    fprintf(stderr, "bench_ipsec: %s\n", sc ? err.msg : "out of memory");
    if (sc) scenario_free(sc);
    free(sc);
    return false;
  }
  double t0 = bench_cpu_ns();
  asic_sim_run_c(&sc->world);
  double t1 = bench_cpu_ns();
  uint64_t sent = 0;
  for (uint32_t i = 0; i < sc->world.n_flows; i++) sent += sc->world.flows[i].tot_sent;
  *pkts = sent;
  *events = sc->world.events;
  uint64_t hits = 0, misses = 0;
  for (uint32_t s = 0; sc->world.ipsec && s < sc->world.n_slices; s++) {
    if (!sc->world.ipsec->eng[s]) continue;
    uint64_t h, m, c;
    engine_sa_cache_totals(engine_pg_engine(sc->world.ipsec->eng[s]), &h, &m, &c);
    hits += h, misses += m;
  }
  *hit_rate = hits + misses ? (double)hits / (double)(hits + misses) : 1.0;
  *ns_per_pkt = sent ? (t1 - t0) / (double)sent : 0;
  scenario_free(sc);
  free(sc);
  return sent > 0;
}

int main(int argc, char **argv) {
  const int reps = argc > 1 ? atoi(argv[1]) : 5;
  const char *measure = argc > 2 ? argv[2] : "2ms";
  static const unsigned variants[] = {0, 1, 100, 2000};
  enum { NV = sizeof variants / sizeof variants[0], MAXREP = 64 };
  if (reps < 1 || reps > MAXREP) {
    fprintf(stderr, "bench_ipsec: REPS: %s (allowed: 1..%d)\n", argv[1], MAXREP);
    return 2;
  }
  char dir[] = "/tmp/bench_ipsec_XXXXXX", path[NV][96];
  if (!mkdtemp(dir)) return 2;
  static char text[8192];
  for (int v = 0; v < NV; v++) {
    snprintf(path[v], sizeof path[v], "%s/v%u.yaml", dir, variants[v]);
    scenario_text(variants[v], measure, text, sizeof text);
    if (!write_file(path[v], text)) return 2;
  }
  double ns[NV][MAXREP];
  uint64_t pk[NV] = {0}, evs[NV] = {0};
  double hit[NV] = {1, 1, 1, 1};
  int status = 0;
  for (int r = 0; r < reps && !status; r++)
    for (int v = 0; v < NV && !status; v++)
      if (!run_once(path[v], &ns[v][r], &pk[v], &evs[v], &hit[v])) status = 2;
  for (int v = 0; v < NV; v++) unlink(path[v]);
  rmdir(dir);
  if (status) return status;
  double med[NV];
  for (int v = 0; v < NV; v++) {
    qsort(ns[v], (size_t)reps, sizeof ns[v][0], bench_cmp_double);
    med[v] = ns[v][reps / 2];
    printf("%-14s %8.1f ns CPU per simulated packet = %6.2f M packets per CPU second (%llu packets, %.2f events "
           "each, min %.1f max %.1f ns)",
           v == 0 ? "clear" : (snprintf(text, sizeof text, "ipsec %u tun", variants[v]), text), med[v], 1e3 / med[v],
           (unsigned long long)pk[v], pk[v] ? (double)evs[v] / (double)pk[v] : 0.0, ns[v][0], ns[v][reps - 1]);
    if (v) printf(", SA cache hit rate %.4f", hit[v]);
    printf("\n");
  }
  printf("engine vs clear on the same ports: %.2fx the clear model's packets per CPU second (target >= 0.5x): %s\n",
         med[0] / med[1], med[0] / med[1] >= 0.5 ? "MET" : "NOT met");
  printf("cost per packet vs 1 tunnel: 100 tunnels %.3f, 2000 tunnels %.3f (target: within 10%%): %s\n", med[2] / med[1],
         med[3] / med[1], med[2] / med[1] <= 1.1 && med[3] / med[1] <= 1.1 ? "MET" : "NOT met");
  /* the fastest run of each variant: on a loaded machine the least disturbed one */
  printf("by the fastest runs: ipsec 1 / clear %.2fx, 100 tunnels %.3f, 2000 tunnels %.3f the 1-tunnel cost\n",
         ns[0][0] / ns[1][0], ns[2][0] / ns[1][0], ns[3][0] / ns[1][0]);
  printf("(median of %d runs, %s simulated each, CPU time of asic_sim_run_c only)\n", reps, measure);
  return 0;
}
