/* The engine's GCM-core backend: the whole core behind one interface (input FIFO order,
 * dispatcher, lanes, output FIFOs), so the Verilated core ([cosim]) can replace the C model
 * with its own dispatcher. Timing contract: gcm_timing.h items 1-4.
 *
 * The engine submits ESP packets (one GCM operation each) in FIFO order; the backend decides
 * when and on which lane each starts and when its tag beat leaves its lane's output FIFO.
 * It reports both through the engine's hooks, with cycle stamps:
 *   on_start(id, cycle, lane): the packet would start now; the engine assigns the sequence
 *     number or checks anti-replay here (RFC 4303 s3.3.3, s3.4.3). false = dropped: the
 *     backend frees the slot, charges no lane time and moves on to the next packet.
 *   on_complete(id, cycle): its tag beat popped in `cycle` (the release follows per SA).
 * Hooks run inside advance(); they must not call back into the backend.
 *
 * What still bypasses it in the C backend (`c`, engine_dispatch.c): it shares the engine's
 * job pool (the id is the job index) and reads the per-SA reorder gate (outstanding,
 * ok_from in engine_sa_state) directly; per-SA release order is kept by the engine
 * (engine_complete), not by the backend. A Verilated backend must enforce reorder_depth
 * through the same per-SA counters or take them over. */
#ifndef IPSECSIM_GCM_BACKEND_H
#define IPSECSIM_GCM_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "model/sim_time.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gcm_backend_packet {
  uint32_t id;          /* the engine's handle (stable until on_complete or a refused start) */
  uint32_t sa;          /* SA / key slot */
  uint32_t aad_bytes;   /* A: SPI + seq (8, or 12 with ESN) */
  uint32_t text_bytes;  /* P: the ESP payload text the core encrypts or decrypts */
  uint64_t ready_cycle; /* first clock edge at or after its last byte arrived */
  /* Real bytes (NULL = not given: a backend that computes bytes makes a deterministic
   * pattern of these lengths, gcm_backend_rtl.h). iv 12 bytes, aad aad_bytes, text text_bytes. */
  const uint8_t *iv, *aad, *text;
} gcm_backend_packet;

typedef struct gcm_backend_hooks {
  void *ctx;
  bool (*on_start)(void *ctx, uint32_t id, uint64_t cycle, uint32_t lane);
  void (*on_complete)(void *ctx, uint32_t id, uint64_t cycle);
  /* Optional (NULL in the `c` backend, which writes the job itself): the cycle the packet's
   * first output beat popped, called just before on_complete. */
  void (*on_first_pop)(void *ctx, uint32_t id, uint64_t cycle);
} gcm_backend_hooks;

typedef struct gcm_backend_stats {
  sim_fs busy_fs;       /* lane-time of started packets, clipped to the measurement window */
  uint64_t queued;      /* submitted, not yet started */
} gcm_backend_stats;

typedef struct gcm_backend_ops {
  const char *name;     /* "c" */
  void (*submit)(void *be, const gcm_backend_packet *pkt);
  /* Time of its next start or tag pop (tag pops as gcm_release_fs of their cycle);
   * SIM_FS_NEVER when nothing can happen until a submit or set_out_ready. */
  sim_fs (*next_event_fs)(const void *be);
  /* Processes every start and tag pop at or before t, in time order, through the hooks. */
  void (*advance)(void *be, sim_fs t);
  /* Downstream accepts output beats from cycle `cycle` on (true) or not. */
  void (*set_out_ready)(void *be, uint64_t cycle, bool ready);
  void (*stats)(const void *be, gcm_backend_stats *s);
} gcm_backend_ops;

/* The C model of the core (engine_dispatch.c); its context is the engine itself. */
extern const gcm_backend_ops gcm_backend_c;

#ifdef __cplusplus
}
#endif
#endif
