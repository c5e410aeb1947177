/* The Verilated GCM core as the engine's GCM-core backend, seen from C ([cosim], issue 17).
 * Implemented by the RTL co-simulation library (ipsec_engine/rtl/cosim/gcm_backend_rtl_c.cpp);
 * declared weak so that everything links without the RTL (gcm_backend_rtl_available()).
 *
 * One Verilated core per engine, configured from the engine's parameters: lanes, overhead,
 * out_fifo_depth, reorder_depth, sa_dispatch, clock. SA i of the engine is the core's key slot
 * i (keys through the core's own key-setup port, gcm_keysetup.v, before cycle 0; an SA with
 * at_start[i] false only when gcm_backend_rtl_install asks, under traffic) and its
 * reorder context i. When the engine's SA cache cannot miss (sa_cache_entries >= SAs <= 8)
 * SA i has key slot i; otherwise the core's key cache serves the SAs (gcm_key_cache.v,
 * gcm_timing.h item 6: SA i's context in SA context memory, 8 slots filled on a miss), which
 * needs sa_cache_entries = 8 and at most 16 SAs (gcm_core SAS), preloaded like the engine's
 * cache (install order). SAs installed under traffic (at_start) need the one-slot-per-SA mode:
 * the key cache takes no installs. Anything else is refused with a one-line reason.
 *
 * Scoreboard: every packet the core finishes is checked against OpenSSL (gcm.h): text and
 * tag. Packets submitted without bytes (iv/aad/text NULL: descriptors) get a deterministic
 * pattern plaintext of their lengths from (packet number, SA); a decrypt SA's packets are the
 * OpenSSL encryption of that pattern, decrypted by the core with the tag to compare; with
 * payload real, gcm_backend_rtl_give replaces them by the packet's own before its dispatch.
 * on_checked gets each verdict; a mismatch's message names the packet, SA, first differing
 * byte and the first wrong GCM block (its counter block, from gcm_ref.h). */
#ifndef IPSECSIM_GCM_BACKEND_RTL_H
#define IPSECSIM_GCM_BACKEND_RTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec_engine/gcm_backend.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Test-only faults: Verilated builds (1 lane) with one extra output stage or one flipped
 * ciphertext bit; late_install (any lanes, the host side): every key setup requested under
 * traffic (gcm_backend_rtl_install) reaches the core's ks_* port one cycle late. */
typedef enum gcm_rtl_fault {
  GCM_RTL_FAULT_NONE = 0, GCM_RTL_FAULT_EXTRA_STAGE = 1, GCM_RTL_FAULT_FLIP_BIT = 2, GCM_RTL_FAULT_LATE_INSTALL = 3
} gcm_rtl_fault;

typedef struct gcm_backend_rtl_cfg {
  unsigned lanes, overhead_cycles, out_fifo_depth, reorder_depth;
  bool pin;
  sim_fs period_fs;
  unsigned n_sas;
  const uint8_t *const *keys;   /* [n_sas] key bytes (secret; never printed) */
  const uint8_t *key_len;       /* [n_sas] 16 or 32 */
  const bool *decrypt;          /* [n_sas] inbound SA */
  uint64_t sa_cache_entries, sa_miss_cycles; /* the engine's SA cache parameters */
  const sim_fs *window_from, *window_to;     /* busy_fs clipped to it */
  gcm_rtl_fault fault;
  /* Scoreboard: called for every packet the core finished (id = the engine's), before its
   * on_complete; msg NULL = equal to OpenSSL, else the mismatch line. */
  void *msg_ctx;
  void (*on_checked)(void *ctx, uint32_t id, const char *msg);
  /* Key cache: the core requested a fill in `cycle` for packet id (called before its start). */
  void (*on_fill)(void *ctx, uint32_t id, uint64_t cycle);
  /* [n_sas] SA i keyed before cycle 0 (NULL: every SA); the others wait for
   * gcm_backend_rtl_install (issue 13's `events:`). */
  const bool *at_start;
} gcm_backend_rtl_cfg;

/* NULL with why ("what: reason (allowed: ...)") when the configuration does not fit the built
 * core. *ops receives the backend's operations; its context is the returned pointer. */
void *gcm_backend_rtl_open(const gcm_backend_rtl_cfg *c, const gcm_backend_hooks *hooks,
                           const gcm_backend_ops **ops, char *why, size_t why_len) __attribute__((weak));
void gcm_backend_rtl_close(void *be) __attribute__((weak));
/* Waveform of the core for simulated time [from, to) (FST, mode 0600; holds key material):
 * every signal in a build with tracing (-DIPSECSIM_RTL_TRACE=ON), else its ports as the driver
 * drives and sees them. false with why when the file cannot be written. */
bool gcm_backend_rtl_wave(void *be, const char *path, sim_fs from, sim_fs to, char *why,
                          size_t why_len) __attribute__((weak));
/* SA install under traffic (gcm_timing.h item 5): the key setup of SA sa (its key from the
 * configuration) is requested on the core's ks_* port in engine cycle `cycle` (the engine has
 * advanced to it: every earlier cycle is clocked, none after); the core accepts it when
 * ks_ready (no install running) and makes the slot usable gcm_key_install_cycles() later.
 * Packets of the SA submitted after the call wait for it at the input FIFO's head. false when
 * the core had already clocked `cycle` (the request then goes one cycle or more late) or sa
 * is not an SA of the core. */
bool gcm_backend_rtl_install(void *be, unsigned sa, uint64_t cycle) __attribute__((weak));
/* Core cycles clocked (idle stretches skipped), for the benchmark. */
uint64_t gcm_backend_rtl_cycles(const void *be) __attribute__((weak));
/* Packet `id`, submitted and not yet shown to the core, gets its own bytes (payload real): the
 * core processes them instead of the pattern, the scoreboard checks it against OpenSSL on
 * them. iv = the 12-byte nonce, text = the plaintext (a decrypt SA's core gets OpenSSL's
 * ciphertext of it, i.e. the wire's, and its tag). false when the packet is not waiting or its
 * lengths are not the submitted ones (then it keeps the pattern). */
bool gcm_backend_rtl_give(void *be, uint32_t id, const uint8_t *iv, const uint8_t *aad, uint32_t aad_len,
                          const uint8_t *text, uint32_t text_len) __attribute__((weak));

static inline bool gcm_backend_rtl_available(void) { return gcm_backend_rtl_open != NULL; }

#ifdef __cplusplus
}
#endif
#endif
