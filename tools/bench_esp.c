/* bench_esp: cost per packet of esp_encrypt / esp_decrypt on one core at 64, 512, 1500 and
 * 9000-byte inner IP packets (AES-128-GCM, IPv4 in IPv4), beside a baseline in the same run
 * that keeps one EVP context per SA and does only nonce, 8-byte AAD, encrypt (or decrypt)
 * and tag over the same number of bytes. Packets are built in memory before timing (no pcap
 * I/O in the timed region). Repetitions are interleaved (baseline, ESP, baseline, ESP, ...);
 * the table gives the median of R repetitions and the spread (min..max) in ns per packet,
 * and a verdict line per direction at 1500 bytes against the issue 3 target (ratio of the
 * medians <= 1.30). AES-128 and AES-256 both run by default.
 * Usage: bench_esp [REPETITIONS (default 9)] [AES key bits 128|256 (default both)] */
#define _POSIX_C_SOURCE 200809L
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/pkt_err.h"
#include <time.h>

#include "ipsec_engine/esp_transform.h"
#include "model/pkt_esp.h"
#include "tools/bench_clock.h"

#define MAX_REPS 51
#define RING 128u



static void make_inner(uint8_t *p, size_t len, unsigned salt) {
  memset(p, 0, 28);
  p[0] = 0x45; p[2] = (uint8_t)(len >> 8); p[3] = (uint8_t)len; p[8] = 64; p[9] = 17;
  p[12] = 10; p[15] = 1; p[16] = 10; p[17] = 1; p[19] = 1;
  uint32_t s = 0;
  for (int i = 0; i < 20; i += 2) s += (uint32_t)(p[i] << 8 | p[i + 1]);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  p[10] = (uint8_t)(~s >> 8); p[11] = (uint8_t)~s;
  for (size_t i = 28; i < len; i++) p[i] = (uint8_t)(i * 13 + salt);
}

typedef struct baseline {
  EVP_CIPHER_CTX *enc, *dec;
  uint8_t salt[4];
} baseline;

/* Nonce = salt || 64-bit seq, AAD = SPI || seq low (8 bytes), as the transform builds them. */
static void base_nonce_aad(const baseline *b, uint64_t seq, uint8_t nonce[12], uint8_t aad[8]) {
  memcpy(nonce, b->salt, 4);
  pkt_wr32(nonce + 4, (uint32_t)(seq >> 32));
  pkt_wr32(nonce + 8, (uint32_t)seq);
  pkt_wr32(aad, 0x1001);
  pkt_wr32(aad + 4, (uint32_t)seq);
}

/* The baseline's per-packet work: nonce, 8-byte AAD, GCM over n bytes, tag. */
static void base_encrypt(baseline *b, uint64_t seq, uint8_t *buf, size_t n, uint8_t tag[16]) {
  uint8_t nonce[12], aad[8];
  base_nonce_aad(b, seq, nonce, aad);
  int l;
  EVP_EncryptInit_ex(b->enc, NULL, NULL, NULL, nonce);
  EVP_EncryptUpdate(b->enc, NULL, &l, aad, 8);
  EVP_EncryptUpdate(b->enc, buf, &l, buf, (int)n);
  EVP_EncryptFinal_ex(b->enc, buf + n, &l);
  EVP_CIPHER_CTX_ctrl(b->enc, EVP_CTRL_GCM_GET_TAG, 16, tag);
}

static int base_decrypt(baseline *b, uint64_t seq, const uint8_t *ct, uint8_t *pt, size_t n,
                        uint8_t tag[16]) {
  uint8_t nonce[12], aad[8];
  base_nonce_aad(b, seq, nonce, aad);
  int l;
  EVP_DecryptInit_ex(b->dec, NULL, NULL, NULL, nonce);
  EVP_DecryptUpdate(b->dec, NULL, &l, aad, 8);
  EVP_DecryptUpdate(b->dec, pt, &l, ct, (int)n);
  EVP_CIPHER_CTX_ctrl(b->dec, EVP_CTRL_GCM_SET_TAG, 16, tag);
  return EVP_DecryptFinal_ex(b->dec, pt + n, &l) == 1;
}

#define TARGET_RATIO 1.30
#define TARGET_SIZE 1500u

/* One key size: prints the table; ratio[0], ratio[1] get encrypt and decrypt at 1500 B. */
static int run(int bits, int reps, double ratio[2]) {
  const size_t key_len = (size_t)bits / 8;
  uint8_t key[32];
  for (size_t i = 0; i < 32; i++) key[i] = (uint8_t)(0x40 + i);
  sa_config co;
  memset(&co, 0, sizeof co);
  snprintf(co.name, sizeof co.name, "bench-out");
  co.dir = SA_OUTBOUND; co.spi = 0x1001; co.alg = bits == 128 ? SA_AES128_GCM : SA_AES256_GCM;
  memcpy(co.key, key, key_len); co.key_len = key_len;
  memcpy(co.salt, "\x01\x02\x03\x04", 4);
  sa_parse_addr("192.0.2.1", &co.local); sa_parse_addr("198.51.100.1", &co.remote);
  co.replay_window = 64; co.tunnel_mtu = 65535; co.outer_ttl = 64;
  sa_config ci = co;
  snprintf(ci.name, sizeof ci.name, "bench-in");
  ci.dir = SA_INBOUND; ci.local = co.remote; ci.remote = co.local;
  sa_db db;
  char why[256];
  if (!sa_db_init(&db, NULL) || !sa_db_add(&db, &co, why, sizeof why) || !sa_db_add(&db, &ci, why, sizeof why)) {
    fprintf(stderr, "bench_esp: %s\n", why);
    return 1;
  }
  sa *so = db.sas[0];
  baseline b;
  memcpy(b.salt, co.salt, 4);
  b.enc = EVP_CIPHER_CTX_new();
  b.dec = EVP_CIPHER_CTX_new();
  const EVP_CIPHER *cipher = bits == 128 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
  EVP_EncryptInit_ex(b.enc, cipher, NULL, key, NULL);  /* key schedule once per SA */
  EVP_DecryptInit_ex(b.dec, cipher, NULL, key, NULL);

  const size_t sizes[] = {64, 512, 1500, 9000};
  printf("bench_esp: AES-%d-GCM, IPv4 in IPv4, one core (thread CPU time), %d interleaved repetitions; "
         "ns per packet, median [min..max]\n", bits, reps);
  printf("%6s %6s | %-24s %-24s %6s | %-24s %-24s %6s\n", "size", "pkts", "baseline encrypt",
         "esp_encrypt", "ratio", "baseline decrypt", "esp_decrypt", "ratio");
  for (size_t si_ = 0; si_ < sizeof sizes / sizeof sizes[0]; si_++) {
    const size_t len = sizes[si_];
    /* A ring of RING packets stays in cache; each repetition runs `rounds` rounds, and each
     * round times the four operations back to back on the same RING packets, so machine
     * noise lands on baseline and ESP alike. */
    const size_t slot = len + ESP_MAX_OVERHEAD;
    const size_t rounds = (size_t)(12e6 / (double)(len + 200)) / RING + 1;
    uint8_t *inner = malloc(RING * slot), *esp = malloc(RING * slot), *scratch = malloc(RING * slot);
    uint8_t *out = malloc(slot);
    size_t esp_len[RING];
    const size_t pt_len = len + pkt_esp_pad_len(len, 4) + 2;  /* ESP plaintext bytes */
    if (!inner || !esp || !scratch || !out) return 1;
    for (size_t i = 0; i < RING; i++) make_inner(inner + i * slot, len, (unsigned)i);
    double t[4][MAX_REPS];
    uint64_t base_seq = 0;
    for (int r = 0; r < reps; r++) {
      double acc[4] = {0, 0, 0, 0};
      size_t bad = 0;
      for (size_t k = 0; k < rounds; k++) {
        double t0 = bench_cpu_ns();
        for (size_t i = 0; i < RING; i++) {
          base_encrypt(&b, base_seq + i + 1, scratch + i * slot, pt_len, scratch + i * slot + pt_len);
        }
        double t1 = bench_cpu_ns();
        for (size_t i = 0; i < RING; i++)
          bad += esp_encrypt(&db, inner + i * slot, len, 0, esp + i * slot, slot, &esp_len[i], NULL) != ESP_R_OK;
        double t2 = bench_cpu_ns();
        const uint64_t first = so->seq - RING + 1;
        for (size_t i = 0; i < RING; i++) {
          uint8_t *e = esp + i * slot + 20;
          bad += !base_decrypt(&b, first + i, e + 16, out, pt_len, e + 16 + pt_len);
        }
        double t3 = bench_cpu_ns();
        size_t n;
        for (size_t i = 0; i < RING; i++)
          bad += esp_decrypt(&db, esp + i * slot, esp_len[i], 0, out, slot, &n, NULL) != ESP_R_OK;
        double t4 = bench_cpu_ns();
        acc[0] += t1 - t0; acc[1] += t2 - t1; acc[2] += t3 - t2; acc[3] += t4 - t3;
        base_seq += RING;
      }
      if (bad) {
        fprintf(stderr, "bench_esp: %zu packets failed to verify\n", bad);
        return 1;
      }
      for (int k = 0; k < 4; k++) t[k][r] = acc[k] / (double)(rounds * RING);
    }
    double med[4], lo[4], hi[4];
    for (int k = 0; k < 4; k++) {
      qsort(t[k], (size_t)reps, sizeof(double), bench_cmp_double);
      med[k] = t[k][reps / 2]; lo[k] = t[k][0]; hi[k] = t[k][reps - 1];
    }
    char c[4][40];
    for (int k = 0; k < 4; k++) snprintf(c[k], sizeof c[k], "%.0f [%.0f..%.0f]", med[k], lo[k], hi[k]);
    printf("%6zu %6zu | %-24s %-24s %5.2fx | %-24s %-24s %5.2fx\n", len, rounds * RING, c[0], c[1],
           med[1] / med[0], c[2], c[3], med[3] / med[2]);
    if (len == TARGET_SIZE) {
      ratio[0] = med[1] / med[0];
      ratio[1] = med[3] / med[2];
    }
    free(inner); free(esp); free(scratch); free(out);
  }
  EVP_CIPHER_CTX_free(b.enc);
  EVP_CIPHER_CTX_free(b.dec);
  sa_db_free(&db);
  return 0;
}

int main(int argc, char **argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 9;
  int only = argc > 2 ? atoi(argv[2]) : 0;
  if (reps < 7 || reps > MAX_REPS) {
    fprintf(stderr, "bench_esp: REPETITIONS '%s' out of range (allowed: 7..%d) (usage: bench_esp "
            "[REPETITIONS] [128|256])\n", argv[1], MAX_REPS);
    return 2;
  }
  if (argc > 3 || (argc > 2 && only != 128 && only != 256)) {
    fprintf(stderr, "bench_esp: key bits '%s' unknown (allowed: 128, 256) (usage: bench_esp "
            "[REPETITIONS] [128|256])\n", argc > 3 ? argv[3] : argv[2]);
    return 2;
  }
  const int all[] = {128, 256};
  double ratio[2][2] = {{0, 0}, {0, 0}};
  for (int k = 0; k < 2; k++) {
    if (only && all[k] != only) continue;
    if (run(all[k], reps, ratio[k])) return 1;
    printf("\n");
  }
  for (int k = 0; k < 2; k++) {
    if (only && all[k] != only) continue;
    for (int dir = 0; dir < 2; dir++)
      printf("AES-%d %s %u B: %.3fx baseline (target <= %.2f): %s\n", all[k],
             dir ? "decrypt" : "encrypt", TARGET_SIZE, ratio[k][dir], TARGET_RATIO,
             ratio[k][dir] <= TARGET_RATIO ? "met" : "NOT met");
  }
  return 0;
}
