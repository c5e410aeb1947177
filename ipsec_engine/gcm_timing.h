/* Timing contract of one AES-GCM lane and of a multi-lane GCM core, shared by the Verilog
 * core's tests (tests/rtl) and the ASIC model's engine. A difference between the RTL and this
 * header is a bug on one side, never a parameter to tune. No dependencies: C99/C11 and C++.
 *
 * One lane (ipsec_engine/rtl/gcm_lane.v) accepts one 128-bit input beat per cycle:
 *   DESC  1 beat      J0 = IV || 0^31 || 1 enters AES: E(K,J0) masks the tag
 *   AAD   ceil(A/16)  zero-padded AAD blocks (GHASH only)
 *   TEXT  ceil(P/16)  text blocks (AES-CTR from inc32(J0), GHASH over the ciphertext)
 *   END   1 beat      the GHASH length block [len(A)]_64 || [len(C)]_64; carries the expected
 *                     tag on decrypt
 * so a packet occupies  ceil(A/16) + ceil(P/16) + 1 + c  input cycles with c = GCM_TIMING_C = 1
 * (the "+1" is the DESC / E(K,J0) slot, c the END / length-block slot). The next packet's DESC
 * may follow the END beat in the very next cycle: steady state is one block per cycle per lane,
 * for AES-128 and AES-256 alike and mixed (AES-128 bypasses rounds 11..14, same latency).
 * Output beats: one per TEXT block, then one tag beat (16 bytes + match flag).
 *
 * Latency: from the cycle the DESC beat is accepted to the cycle the tag beat is accepted
 * (no backpressure) = cycles_per_packet - 1 + GCM_PIPE_CYCLES, the same for both key sizes.
 * GCM_PIPE_CYCLES = 15 AES register stages (initial AddRoundKey + 14 rounds) + 4 GHASH
 * multiplier stages (Karatsuba 64x64 products, combine, reduce) + 1 output register. The GHASH
 * feedback loop spans the 4 multiplier stages: block i is folded into accumulator i mod 4 and
 * multiplied by H^4, or by H^(n-i+1) for the last 4 blocks (H..H^4 per key slot, loaded at SA
 * install), so blocks still enter one per cycle.
 *
 * Lanes (gcm_core.v): packet-parallel, each lane with its own input and output stream.
 *  - Dispatch: a whole packet goes to the lane that can start it earliest
 *    (gcm_dispatch_lane: smallest "free from" cycle, ties to the lowest index).
 *  - Initiation: lanes are independent; a lane starts a packet at
 *    max(packet arrival, lane free) and is busy for gcm_cycles_per_packet cycles.
 *  - Ordering: each lane completes in dispatch order. Across lanes, completion order may
 *    differ from dispatch order; restoring it needs a reorder buffer of at most
 *    gcm_reorder_depth_bound() packets.
 */
#ifndef IPSECSIM_GCM_TIMING_H
#define IPSECSIM_GCM_TIMING_H

#include <stdint.h>

#define GCM_TIMING_C 1u        /* END / length-block slot */
#define GCM_AES_STAGES 15u     /* AddRoundKey 0 + rounds 1..14 */
#define GCM_GHASH_STAGES 4u    /* multiplier pipeline; H..H^4 stored per key slot */
#define GCM_PIPE_CYCLES 20u    /* END accepted -> tag accepted */

static inline uint64_t gcm_timing_blocks(uint64_t bytes) { return (bytes + 15u) / 16u; }

/* Input cycles one packet occupies on its lane. key_bits (128 or 256) does not change it. */
static inline uint64_t gcm_cycles_per_packet(uint64_t aad_bytes, uint64_t text_bytes,
                                             unsigned key_bits)
{
  (void)key_bits;
  return gcm_timing_blocks(aad_bytes) + gcm_timing_blocks(text_bytes) + 1u + GCM_TIMING_C;
}

/* DESC accepted -> tag accepted, on an idle lane without backpressure. */
static inline uint64_t gcm_latency_cycles(uint64_t aad_bytes, uint64_t text_bytes,
                                          unsigned key_bits)
{
  return gcm_cycles_per_packet(aad_bytes, text_bytes, key_bits) - 1u + GCM_PIPE_CYCLES;
}

/* Text bytes per lane-cycle in steady state for back-to-back packets of this shape. */
static inline double gcm_lane_text_bytes_per_cycle(uint64_t aad_bytes, uint64_t text_bytes)
{
  return (double)text_bytes / (double)gcm_cycles_per_packet(aad_bytes, text_bytes, 128);
}

/* Lane that can start the next packet earliest; ties go to the lowest index. */
static inline unsigned gcm_dispatch_lane(const uint64_t *lane_free_from, unsigned lanes)
{
  unsigned best = 0;
  for (unsigned l = 1; l < lanes; l++)
    if (lane_free_from[l] < lane_free_from[best]) best = l;
  return best;
}

/* Packets that can complete ahead of an earlier-dispatched one: while one lane works on a
 * packet of max_cycles (plus the pipeline), each other lane completes at most
 * ceil((max_cycles + GCM_PIPE_CYCLES) / min_cycles) packets. */
static inline uint64_t gcm_reorder_depth_bound(unsigned lanes, uint64_t max_cycles,
                                               uint64_t min_cycles)
{
  if (lanes < 2 || min_cycles == 0) return 0;
  return (uint64_t)(lanes - 1u) * ((max_cycles + GCM_PIPE_CYCLES + min_cycles - 1u) / min_cycles);
}

/* ---- Key install and key cache (contract items 5-6, rtl-core) ------------------------------
 * 5. Key install. A key slot holds one SA's GCM context: round keys 0..Nr (AES-128: 11 words,
 *    AES-256: 15) and H, H^2, H^3, H^4 (4 words), 128 bits a word. The RTL of this revision takes
 *    the context expanded by the host (gcm_ref: FIPS-197 5.2 key expansion, H = E(K, 0^128), the
 *    powers by GF(2^128) products) over its load port, one word per cycle while ld_ready; the
 *    slot is usable the cycle after its last word. ld_ready is low only while a packet of the
 *    SAME slot is still between DESC and END or in AES stages 0..14 (<= GCM_AES_STAGES cycles
 *    after its END); other slots never wait and traffic never stalls. (Key expansion and H in
 *    RTL, writing only key + salt, is not built yet: these counts are the expanded context.)
 * 6. Key cache. The slots are a cache of SA contexts shared by all lanes (GCM_KEY_CACHE_SLOTS),
 *    filled over ONE fill port (the load port above) from SA context memory: a fill costs
 *    GCM_SA_CTX_FETCH_LATENCY cycles (decision: on-chip SA context SRAM, address + read + ECC +
 *    wire pipeline; not a published figure) plus one cycle per context word. Fills are serial
 *    on the port (the next starts when the previous one's last word is written). Replacement:
 *    LRU over the slots not in use (in use = a packet of the slot dispatched and not yet past
 *    its END + GCM_AES_STAGES); with every slot in use the fill waits. A miss holds the packet
 *    BEFORE dispatch (it stays at the head of the engine's input FIFO, rule 2), never a lane:
 *    lanes keep running packets already dispatched. The packet dispatches in the cycle after
 *    the fill's last word. RTL status of this revision: the fill port and the word counts are
 *    built (the load port); the slots are still copied per lane (broadcast writes), and LRU
 *    choice and the fetch from context memory are the loader's job, not yet in RTL. */
#define GCM_KEY_CACHE_SLOTS 8u        /* gcm_core SLOTS */
#define GCM_SA_CTX_FETCH_LATENCY 8u   /* cycles from fill request to the first context word */
#define GCM_KEY_FILL_PORTS 1u

/* Context words of one key size: round keys 0..Nr plus H..H^4. */
static inline unsigned gcm_key_context_words(unsigned key_bits)
{
  return (key_bits == 256 ? 15u : 11u) + GCM_GHASH_STAGES;
}

/* Cycles from the install request to the slot usable, with no packet of that slot in flight
 * (the load port writes one word per cycle). */
static inline unsigned gcm_key_install_cycles(unsigned key_bits)
{
  return gcm_key_context_words(key_bits);
}

/* Cycles a key-cache miss costs on the fill port: fetch latency + one cycle per word. */
static inline unsigned gcm_key_fill_cycles(unsigned key_bits)
{
  return GCM_SA_CTX_FETCH_LATENCY + gcm_key_context_words(key_bits);
}

#endif
