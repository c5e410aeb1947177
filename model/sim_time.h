/* Simulation time base: unsigned 64-bit femtoseconds (SystemC resolution 1 fs). A clock
 * period is rounded once, at load, to whole fs (sim_period_fs); a serialization time on a
 * link of R bit/s is ceil(bits * 1e15 / R) fs. Closed-form values in asic/asic_analytic.c
 * call these same functions, so latency tests compare exactly. */
#ifndef IPSECSIM_SIM_TIME_H
#define IPSECSIM_SIM_TIME_H

#include <math.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint64_t sim_fs;

#define SIM_FS_PER_NS 1000000ull
#define SIM_FS_PER_US 1000000000ull
#define SIM_FS_PER_MS 1000000000000ull
#define SIM_FS_PER_S 1000000000000000ull
#define SIM_FS_NEVER UINT64_MAX

/* Ethernet L1 overhead per frame: preamble 7 + SFD 1 + inter-frame gap 12 bytes; frame
 * sizes include the 4-byte FCS (RFC 2544 convention). */
#define SIM_ETH_PREAMBLE_SFD 8u
#define SIM_ETH_IFG 12u
#define SIM_ETH_L1_OVERHEAD 20u

/* One clock period in fs, rounded once to the nearest fs. */
static inline sim_fs sim_period_fs(double hz) { return (sim_fs)llround(1e15 / hz); }

/* A rate in bit/s as an integer (rounded once at load). */
static inline uint64_t sim_rate_bps(double bps) { return (uint64_t)llround(bps); }

/* Time to move `bytes` bytes at `rate_bps`, rounded up to whole fs. */
static inline sim_fs sim_ser_fs(uint64_t bytes, uint64_t rate_bps) {
  unsigned __int128 num = (unsigned __int128)bytes * 8u * SIM_FS_PER_S;
  return (sim_fs)((num + rate_bps - 1) / rate_bps);
}

static inline sim_fs sim_max(sim_fs a, sim_fs b) { return a > b ? a : b; }
static inline double sim_fs_to_s(sim_fs t) { return (double)t * 1e-15; }

#ifdef __cplusplus
}
#endif
#endif
