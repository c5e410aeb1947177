/* bench_sa_select: cost per packet of esp_encrypt (64-byte inner IPv4 packets, AES-128-GCM)
 * with 1, 100 and 2000 outbound SAs in the database, each with its own /32 selector
 * (10.0.x.y), so the cost of choosing the SA is part of every packet (issue 10, defect 4:
 * the old linear scan made 2000 SAs ~40x slower than one). Two traffic patterns:
 *   one-sa  every packet to the same SA (the SA added last): isolates selection;
 *   spread  packets round-robin over all SAs: adds the cache footprint of N SAs, each with
 *           its GCM context (OpenSSL: key schedule, GHASH table, EVP state);
 *   spread, one GCM ctx  the same packets, every SA borrowing SA 0's GCM context: the
 *           same instructions with the footprint of N SA states but one GCM context, which
 *           separates what selection and SA state cost from the N keyed contexts (the
 *           hardware's SA context fetch has that cost too: DESIGN, SA context memory).
 * Beside it, in the same run, the plain selection lookup (sa_db_find_outbound) and, for
 * reference, a linear scan like the one it replaced. Repetitions are interleaved (1, 100,
 * 2000, 1, 100, ...); medians of thread CPU time in ns per packet. Verdict: one-sa at 2000 vs
 * 1 SA <= 1.10x.
 * Usage: bench_sa_select [REPETITIONS 3..51 (default 9)] */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipsec_engine/esp_transform.h"
#include "tools/bench_clock.h"

#define MAX_REPS 51
#define PKT_LEN 64u
#define RING 4096u
#define TARGET_RATIO 1.10

static const unsigned COUNTS[] = {1, 100, 2000};
#define N_COUNTS (sizeof COUNTS / sizeof COUNTS[0])


static void host_addr(unsigned i, uint8_t a[4]) {
  a[0] = 10; a[1] = 0; a[2] = (uint8_t)(i >> 8); a[3] = (uint8_t)i;
}

static void make_inner(uint8_t *p, const uint8_t dst[4]) {
  memset(p, 0, PKT_LEN);
  p[0] = 0x45; p[3] = PKT_LEN; p[8] = 64; p[9] = 17;
  p[12] = 192; p[13] = 168; p[15] = 1;
  memcpy(p + 16, dst, 4);
  uint32_t s = 0;
  for (int i = 0; i < 20; i += 2) s += (uint32_t)(p[i] << 8 | p[i + 1]);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  p[10] = (uint8_t)(~s >> 8); p[11] = (uint8_t)~s;
}

static bool build_db(sa_db *db, unsigned n) {
  char why[256];
  if (!sa_db_init(db, NULL)) return false;
  for (unsigned i = 0; i < n; i++) {
    sa_config c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "t%u", i);
    c.dir = SA_OUTBOUND; c.spi = 0x1000 + i; c.alg = SA_AES128_GCM; c.key_len = 16;
    for (unsigned k = 0; k < 16; k++) c.key[k] = (uint8_t)(k + i);
    memcpy(c.salt, &i, sizeof i < 4 ? sizeof i : 4);
    sa_parse_addr("192.0.2.1", &c.local); sa_parse_addr("198.51.100.1", &c.remote);
    c.replay_window = 64; c.tunnel_mtu = 9000; c.outer_ttl = 64; c.esn = true;
    c.has_selector = true; c.selector.family = 4; host_addr(i, c.selector.b); c.selector_len = 32;
    if (!sa_db_add(db, &c, why, sizeof why)) { fprintf(stderr, "bench_sa_select: %s\n", why); return false; }
  }
  return true;
}

/* The selection it replaced: every outbound SA tried, the longest match kept. */
static const sa *linear_scan(const sa_db *db, const uint8_t *dst) {
  const sa *best = NULL;
  int best_len = -2;
  for (size_t i = 0; i < db->n; i++) {
    const sa_config *c = &db->sas[i]->cfg;
    if (c->dir != SA_OUTBOUND) continue;
    int len = -1;
    if (c->has_selector) {
      if (c->selector.family != 4 || memcmp(c->selector.b, dst, c->selector_len / 8)) continue;
      len = c->selector_len;
    }
    if (len > best_len) { best = db->sas[i]; best_len = len; }
  }
  return best;
}

/* Every SA of db encrypts with SA 0's GCM context (the keys differ, which is harmless for a
 * timing); saved keeps the own contexts for restore_gcm, before sa_db_free. */
static void share_gcm(sa_db *db, gcm_ctx **saved) {
  for (size_t i = 0; i < db->n; i++) {
    saved[i] = db->sas[i]->gcm;
    db->sas[i]->gcm = saved[0];
  }
}

static void restore_gcm(sa_db *db, gcm_ctx *const *saved) {
  for (size_t i = 0; i < db->n; i++) db->sas[i]->gcm = saved[i];
}

int main(int argc, char **argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 9;
  if (argc > 2 || reps < 3 || reps > MAX_REPS) {
    fprintf(stderr, "bench_sa_select: REPETITIONS '%s' out of range (allowed: 3..%d)\n",
            argc > 1 ? argv[1] : "", MAX_REPS);
    return 2;
  }
  sa_db db[N_COUNTS];
  uint8_t *pk[N_COUNTS][2]; /* [count][one-sa, spread] */
  for (size_t c = 0; c < N_COUNTS; c++) {
    if (!build_db(&db[c], COUNTS[c])) return 1;
    for (int pat = 0; pat < 2; pat++) {
      pk[c][pat] = malloc(RING * PKT_LEN);
      if (!pk[c][pat]) return 1;
      for (unsigned i = 0; i < RING; i++) {
        uint8_t dst[4];
        host_addr(pat == 0 ? COUNTS[c] - 1 : i % COUNTS[c], dst);
        make_inner(pk[c][pat] + i * PKT_LEN, dst);
      }
    }
  }
  uint8_t *out = malloc(PKT_LEN + ESP_MAX_OVERHEAD);
  gcm_ctx **saved = malloc(SA_MAX_TUNNELS * sizeof *saved);
  if (!out || !saved) return 1;
  enum { T_ONE, T_SPREAD, T_SHARED, T_LOOKUP, T_LINEAR, T_N };
  static double t[N_COUNTS][T_N][MAX_REPS];
  const unsigned rounds = 40;
  size_t bad = 0;
  volatile uintptr_t sink = 0;
  for (int r = 0; r < reps; r++)
    for (size_t c = 0; c < N_COUNTS; c++) {
      double acc[T_N] = {0};
      for (unsigned k = 0; k < rounds; k++) {
        for (int pat = 0; pat < 3; pat++) {
          if (pat == 2) share_gcm(&db[c], saved);
          double t0 = bench_cpu_ns();
          for (unsigned i = 0; i < RING; i++) {
            size_t n;
            bad += esp_encrypt(&db[c], pk[c][pat ? 1 : 0] + i * PKT_LEN, PKT_LEN, 0, out,
                               PKT_LEN + ESP_MAX_OVERHEAD, &n, NULL) != ESP_R_OK;
          }
          acc[pat == 0 ? T_ONE : pat == 1 ? T_SPREAD : T_SHARED] += bench_cpu_ns() - t0;
          if (pat == 2) restore_gcm(&db[c], saved);
        }
        double t0 = bench_cpu_ns();
        for (unsigned i = 0; i < RING; i++)
          sink += (uintptr_t)sa_db_find_outbound(&db[c], 4, pk[c][1] + i * PKT_LEN + 16);
        double t1 = bench_cpu_ns();
        for (unsigned i = 0; i < RING / 16; i++)  /* 2000 SAs: slow; a sixteenth suffices */
          sink += (uintptr_t)linear_scan(&db[c], pk[c][1] + i * PKT_LEN + 16);
        double t2 = bench_cpu_ns();
        acc[T_LOOKUP] += t1 - t0;
        acc[T_LINEAR] += (t2 - t1) * 16;
      }
      for (int k = 0; k < T_N; k++) t[c][k][r] = acc[k] / ((double)rounds * RING);
    }
  if (bad) { fprintf(stderr, "bench_sa_select: %zu packets failed\n", bad); return 1; }
  double med[N_COUNTS][T_N];
  printf("bench_sa_select: esp_encrypt, %u-byte inner IPv4, AES-128-GCM, one /32 selector per SA; "
         "%d interleaved repetitions, thread CPU time, ns per packet (median [min..max])\n",
         PKT_LEN, reps);
  printf("%6s | %-20s %-20s %-22s | %-18s %-18s\n", "SAs", "encrypt one-sa", "encrypt spread",
         "spread, one GCM ctx", "lookup (LPM)", "linear scan (old)");
  for (size_t c = 0; c < N_COUNTS; c++) {
    char cell[T_N][40];
    for (int k = 0; k < T_N; k++) {
      qsort(t[c][k], (size_t)reps, sizeof(double), bench_cmp_double);
      med[c][k] = t[c][k][reps / 2];
      snprintf(cell[k], sizeof cell[k], "%.1f [%.1f..%.1f]", med[c][k], t[c][k][0], t[c][k][reps - 1]);
    }
    printf("%6u | %-20s %-20s %-22s | %-18s %-18s\n", COUNTS[c], cell[T_ONE], cell[T_SPREAD],
           cell[T_SHARED], cell[T_LOOKUP], cell[T_LINEAR]);
  }
  for (size_t c = 1; c < N_COUNTS; c++)
    printf("%u vs 1 SA: one-sa %.3fx, spread %.3fx, spread with one GCM ctx %.3fx, lookup %.3fx, "
           "linear scan %.1fx\n", COUNTS[c], med[c][T_ONE] / med[0][T_ONE],
           med[c][T_SPREAD] / med[0][T_SPREAD], med[c][T_SHARED] / med[0][T_SHARED],
           med[c][T_LOOKUP] / med[0][T_LOOKUP], med[c][T_LINEAR] / med[0][T_LINEAR]);
  const double ratio = med[N_COUNTS - 1][T_ONE] / med[0][T_ONE];
  printf("encrypt cost per packet, 2000 vs 1 SA: %.3fx (target <= %.2f): %s\n", ratio, TARGET_RATIO,
         ratio <= TARGET_RATIO ? "met" : "NOT met");
  for (size_t c = 0; c < N_COUNTS; c++) {
    sa_db_free(&db[c]);
    free(pk[c][0]);
    free(pk[c][1]);
  }
  free(out);
  free(saved);
  return (int)(sink & 0);
}
