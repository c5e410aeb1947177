/* Benchmark (printed, not timed; run by hand): cost of the engine's C API per packet with 1,
 * 100 and 2000 SAs (all outbound, then all inbound: the SA count is the only variable), at
 * 90% of the engine's ceiling with a
 * 64/594/1518 mix, driven the way a slice heap drives it (advance to each next event, then
 * offer). The default SA context cache (2048 entries) holds all 2000 SAs: every lookup hits
 * (printed), so the figure is the model's cost per packet with the cache in the loop. Prints CPU ns per packet (thread CPU time: the machine is shared) and the ratio to
 * the 1-SA run measured in the same process.
 *   build/bench_engine [PACKETS] [REPEATS]       (defaults 2000000, 3; best of the repeats) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ipsec_engine/engine.h"
#include "tools/bench_clock.h"

typedef struct sink {
  uint64_t packets, drops;
} sink;

static void on_out(void *ctx, const engine_out *o) {
  sink *s = ctx;
  if (o->kind == ENGINE_OUT_PACKET) s->packets++;
  else s->drops++;
}

static double now_s(void) { return bench_cpu_ns() * 1e-9; } /* CPU time: the machine is shared */

/* One run: returns CPU seconds of this thread; *out = released packets. */
static double run(engine_dir dir, uint32_t n_sas, uint64_t packets, uint64_t *out, uint64_t *drops, double *hit) {
  engine_params p;
  if (!engine_params_default(&p)) return -1;
  engine_sa *sas = calloc(n_sas, sizeof *sas);
  uint32_t *seq = calloc(n_sas, sizeof *seq);
  if (!sas || !seq) return -1;
  for (uint32_t i = 0; i < n_sas; i++) {
    sas[i] = (engine_sa){.dir = dir, .outer_family = 4,
                         .udp = SA_UDP_NONE, .replay_window = 64, .tunnel_mtu = 9000,
                         .df = SA_DF_CLEAR};
  }
  sink s = {0, 0};
  char why[256];
  engine *e = engine_create(&p, sas, n_sas, on_out, &s, why, sizeof why);
  if (!e) {
    fprintf(stderr, "bench_engine: %s\n", why);
    return -1;
  }
  /* simple IMIX 7:4:1 (64/594/1518): mean 359/12 lane cycles; 90% of 2 lanes' capacity */
  const uint32_t mix[12] = {64, 594, 64, 1518, 64, 594, 64, 594, 64, 64, 594, 64};
  uint32_t esp_ip[12];
  for (int i = 0; i < 12; i++)
    esp_ip[i] = engine_esp_shape_of(&sas[0], mix[i] - ENGINE_ETH_OVERHEAD).esp_ip_bytes;
  const sim_fs gap = (sim_fs)(359.0 / 12.0 * (double)engine_period_fs(e) / 2.0 / 0.9);
  uint64_t x = 42;
  sim_fs t = 0;
  const double t0 = now_s();
  for (uint64_t i = 0; i < packets; i++) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const uint32_t k = n_sas == 1 ? 0 : (uint32_t)((x >> 33) % n_sas);
    const uint32_t frame = mix[i % 12];
    t += gap;
    for (sim_fs ne; (ne = engine_next_event_time(e)) <= t;) engine_advance(e, ne);
    engine_desc d = {.user = i, .sa = k, .inner_family = 4};
    if (dir == ENGINE_ENCRYPT) { /* every SA has the same shape: the bench touches no SA table */
      d.ip_bytes = frame - ENGINE_ETH_OVERHEAD;
    } else {
      d.clear_ip_bytes = frame - ENGINE_ETH_OVERHEAD;
      d.ip_bytes = esp_ip[i % 12];
      d.seq = ++seq[k];
      d.icv_ok = true;
    }
    engine_offer(e, t, &d);
  }
  for (sim_fs ne; (ne = engine_next_event_time(e)) != SIM_FS_NEVER;) engine_advance(e, ne);
  const double cpu = now_s() - t0;
  char msg[512];
  if (!engine_conservation(e, msg, sizeof msg)) fprintf(stderr, "bench_engine: %s\n", msg);
  *out = s.packets;
  *drops = s.drops;
  uint64_t h, m, c;
  engine_sa_cache_totals(e, &h, &m, &c);
  *hit = h + m ? (double)h / (double)(h + m) : 1.0;
  engine_destroy(e);
  free(sas);
  free(seq);
  return cpu;
}

int main(int argc, char **argv) {
  const uint64_t packets = argc > 1 ? strtoull(argv[1], NULL, 10) : 2000000;
  const int repeats = argc > 2 ? atoi(argv[2]) : 3;
  const uint32_t sas[3] = {1, 100, 2000};
  printf("engine API cost per packet (payload none, IMIX 7:4:1 at 90%% of the ceiling, %llu "
         "packets, best of %d)\n", (unsigned long long)packets, repeats);
  printf("%8s %6s %12s %10s %11s %8s %9s\n", "dir", "SAs", "released", "drops", "cpu ns/pkt", "ratio", "hit rate");
  /* the three SA counts run interleaved, repeat after repeat, so that they see the same
   * machine (it is shared); each keeps its best */
  for (int dir = 0; dir < 2; dir++) {
    double best[3] = {-1, -1, -1};
    uint64_t out[3] = {0, 0, 0}, drops[3] = {0, 0, 0};
    double hit[3] = {1, 1, 1};
    for (int r = 0; r < repeats; r++) {
      for (int k = 0; k < 3; k++) {
        const double w = run((engine_dir)dir, sas[k], packets, &out[k], &drops[k], &hit[k]);
        if (w < 0) return 2;
        if (best[k] < 0 || w < best[k]) best[k] = w;
      }
    }
    for (int k = 0; k < 3; k++) {
      const double ns = best[k] / (double)packets * 1e9, base = best[0] / (double)packets * 1e9;
      printf("%8s %6u %12llu %10llu %11.1f %8.3f %9.4f\n", dir ? "decrypt" : "encrypt", sas[k],
             (unsigned long long)out[k], (unsigned long long)drops[k], ns, ns / base, hit[k]);
    }
  }
  return 0;
}
