/* Deterministic RNG for traffic generation: xoshiro256** seeded through splitmix64, so a
 * (scenario seed, stream id) pair always yields the same sequence on every platform. */
#ifndef IPSECSIM_SIM_RNG_H
#define IPSECSIM_SIM_RNG_H

#include <math.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sim_rng {
  uint64_t s[4];
} sim_rng;

static inline uint64_t sim_splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static inline void sim_rng_seed(sim_rng *r, uint64_t seed, uint64_t stream) {
  uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);
  for (int i = 0; i < 4; i++) r->s[i] = sim_splitmix64(&x);
}

static inline uint64_t sim_rng_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t sim_rng_next(sim_rng *r) {
  uint64_t *s = r->s;
  uint64_t out = sim_rng_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = sim_rng_rotl(s[3], 45);
  return out;
}

/* Uniform in (0, 1]: never 0, so -log() below is finite. */
static inline double sim_rng_unit(sim_rng *r) {
  return ((double)(sim_rng_next(r) >> 11) + 1.0) * (1.0 / 9007199254740992.0);
}

/* Uniform integer in [lo, hi]. */
static inline uint64_t sim_rng_range(sim_rng *r, uint64_t lo, uint64_t hi) {
  return lo + sim_rng_next(r) % (hi - lo + 1);
}

/* Exponential with the given mean. */
static inline double sim_rng_exp(sim_rng *r, double mean) { return -mean * log(sim_rng_unit(r)); }

#ifdef __cplusplus
}
#endif
#endif
