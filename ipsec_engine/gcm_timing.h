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

/* ==== Engine <-> GCM-core contract, items 1-4 (engine-core; ipsec_engine/engine.h applies it,
 * the RTL implements it exactly as written). Unit: cycles of the engine clock, whose period T
 * is rounded once to whole femtoseconds; cycle c spans [c*T, (c+1)*T). O = overhead_cycles
 * (run-time, default 5), n = gcm_cycles_per_packet, a = ceil(A/16), t = ceil(P/16).
 *
 * 1. Overhead. O holds the lane BEFORE the DESC beat: a packet dispatched to a lane at cycle s
 *    has DESC at s+O, AAD at s+O+1 .. s+O+a, TEXT at s+O+a+1 .. s+O+a+t, END at s+O+n-1; the
 *    lane may dispatch its next packet at s+O+n (gcm_lane_hold_cycles). Every input beat
 *    leaves the lane GCM_PIPE_CYCLES after it entered: text beat k at s+O+a+1+k+PIPE, the tag
 *    beat at s+O+n-1+PIPE (gcm_tag_cycle); so a packet's output beats are contiguous,
 *    gcm_out_beats(P) = t + 1 of them ending with the tag (gcm_first_out_cycle .. tag).
 * 2. Start. A packet becomes dispatchable at the first clock edge at or after its LAST byte
 *    has arrived at the engine (gcm_ready_cycle; store-and-forward into the engine: the ESP
 *    lengths and pad depend on the whole packet). Dispatch takes packets from ONE input FIFO
 *    in arrival order (encrypt and decrypt share it: the engine's arbiter is that FIFO, ties
 *    in arrival order); the head goes whole to the lane that can start it earliest, where a
 *    lane can start at max(ready, lane free, FIFO credit cycle) and ties go to the lowest
 *    index (gcm_dispatch_lane over those cycles). A packet never starts before the one ahead
 *    of it in the FIFO; several may start in the same cycle on different lanes.
 *    sa_dispatch=pin: an SA may only use lane gcm_pin_lane(sa_index, lanes) = sa_index mod
 *    lanes, and the FIFO head blocks the packets behind it.
 * 3. Output FIFO / backpressure. Each lane has an output FIFO of D = out_fifo_depth 16-byte
 *    beats (default 1024). A lane starts a packet (its overhead, then DESC) only when its
 *    credit, D minus the beats reserved by packets already started on it and not yet popped,
 *    covers all gcm_out_beats(P) beats of this packet (gcm_out_credit_ok); the reservation is
 *    made at dispatch; a beat enters the FIFO when it leaves the lane and is popped at the
 *    earliest in that same cycle, one beat per cycle per lane while out_ready is 1, in FIFO
 *    order; the credit of a beat popped in cycle c counts for dispatch decisions from cycle
 *    c+1. So the pipeline never stalls and backpressure only stops new dispatch. D must be
 *    >= the beats of the largest packet (gcm_out_fifo_depth_ok; refused otherwise). With
 *    out_ready always 1 the FIFO never delays a dispatch when D >= max beats + GCM_PIPE_CYCLES
 *    (gcm_out_fifo_never_binds: at most the previous packet's last GCM_PIPE_CYCLES beats are
 *    still unpopped when a lane is free again).
 * 4. Reorder (per SA, whole engine). At most R = reorder_depth packets (default 64) of one SA
 *    may be between dispatch and release. A packet completes when its tag beat is popped from
 *    its lane's FIFO (cycle p) and is released when it has completed and every packet of its
 *    SA dispatched before it has been released; its last byte has then left the engine at
 *    (p+1)*T (gcm_release_fs). A release in cycle p frees its slot for dispatch from cycle
 *    p+1; dispatch waits (never drops) while R packets of the SA are outstanding
 *    (gcm_reorder_may_dispatch). Reorder occupancy = completed packets waiting for an earlier
 *    one of their SA. */

static inline uint64_t gcm_lane_hold_cycles(uint64_t aad_bytes, uint64_t text_bytes,
                                            uint64_t overhead_cycles)
{
  return overhead_cycles + gcm_cycles_per_packet(aad_bytes, text_bytes, 128);
}

/* Cycle of the tag beat of a packet dispatched at cycle s (it leaves the lane then). */
static inline uint64_t gcm_tag_cycle(uint64_t s, uint64_t aad_bytes, uint64_t text_bytes,
                                     uint64_t overhead_cycles)
{
  return s + gcm_lane_hold_cycles(aad_bytes, text_bytes, overhead_cycles) - 1u + GCM_PIPE_CYCLES;
}

/* Output beats of a packet: one per text block, then the tag beat. */
static inline uint64_t gcm_out_beats(uint64_t text_bytes) { return gcm_timing_blocks(text_bytes) + 1u; }

/* Cycle the first output beat (first text block, or the tag if P = 0) leaves the lane. */
static inline uint64_t gcm_first_out_cycle(uint64_t s, uint64_t aad_bytes, uint64_t text_bytes,
                                           uint64_t overhead_cycles)
{
  return gcm_tag_cycle(s, aad_bytes, text_bytes, overhead_cycles) - gcm_timing_blocks(text_bytes);
}

/* First clock edge at or after the packet's last byte arrived (time in fs, period T in fs). */
static inline uint64_t gcm_ready_cycle(uint64_t last_byte_fs, uint64_t period_fs)
{
  return (last_byte_fs + period_fs - 1u) / period_fs;
}

/* sa_dispatch=pin: the only lane an SA may use. */
static inline unsigned gcm_pin_lane(uint32_t sa_index, unsigned lanes) { return sa_index % lanes; }

/* Whether a lane's output-FIFO credit covers a packet of `beats` output beats. */
static inline int gcm_out_credit_ok(uint64_t depth, uint64_t reserved_unpopped, uint64_t beats)
{
  return reserved_unpopped + beats <= depth;
}

/* Configuration check: every packet must fit the FIFO, or it could never start. */
static inline int gcm_out_fifo_depth_ok(uint64_t depth, uint64_t max_text_bytes)
{
  return depth >= gcm_out_beats(max_text_bytes);
}

/* Sufficient condition for the FIFO never to delay a dispatch while out_ready is 1. */
static inline int gcm_out_fifo_never_binds(uint64_t depth, uint64_t max_text_bytes)
{
  return depth >= gcm_out_beats(max_text_bytes) + GCM_PIPE_CYCLES;
}

/* Whether an SA with `outstanding` packets between dispatch and release may dispatch one more. */
static inline int gcm_reorder_may_dispatch(uint64_t outstanding, uint64_t reorder_depth)
{
  return outstanding < reorder_depth;
}

/* Time the last byte of a packet completed in cycle p has left the engine. */
static inline uint64_t gcm_release_fs(uint64_t p, uint64_t period_fs) { return (p + 1u) * period_fs; }
/* ==== end of the engine-core section (items 1-4) ==== */

/* ---- Key install and key cache (contract items 5-6, rtl-core) ------------------------------
 * 5. Key install. A key slot holds one SA's GCM context: round keys 0..Nr (AES-128: 11 words,
 *    AES-256: 15) and H, H^2, H^3, H^4 (4 words), 128 bits a word. The core computes it itself
 *    (gcm_keysetup.v) from the key alone: the host writes the key (ks_* port; the salt is the
 *    first 4 bytes of the 96-bit nonce on DESC, not part of the slot), the core expands it one
 *    round key per cycle (FIPS-197 5.2), runs E(K, 0^128) alongside (round r in the cycle round
 *    key r is written), then H^2 = H*H, H^3 = H^2*H, H^4 = H^2*H^2 through a 4-stage
 *    GF(2^128) multiplier. A request accepted in cycle a makes the slot usable (a DESC of the
 *    slot may enter) from cycle a + gcm_key_install_cycles(): AES-128 23, AES-256 27. One
 *    install at a time (ks_ready). Under traffic (an install at time t): the request is made
 *    in cycle r = gcm_ready_cycle(t) and accepted in the first cycle a >= r with no install
 *    running (ks_ready = no key setup running and no key-cache fill; the C side: a = max(r,
 *    port free), the previous install's usable cycle), so the two SAs of a rekey are written
 *    one after the other. A packet whose SA's slot is not usable yet waits BEFORE dispatch at
 *    the head of the engine's input FIFO (rule 2: the packets behind it wait too, as behind a
 *    miss in item 6) and dispatches at the earliest in its slot's usable cycle; it never takes
 *    a lane or reads the slot before. The same slot may also be filled with an expanded context
 *    over the load port (ld_*, one word per cycle: gcm_key_load_cycles(), 15 / 19; item 6's
 *    fill). Either writer's words wait while a packet of the SAME slot is still between DESC
 *    and END or in AES stages 0..14 (<= GCM_AES_STAGES cycles after its END), which adds to
 *    the latency; other slots never wait and traffic never stalls.
 * 6. Key cache. The slots are a cache of SA contexts shared by all lanes (GCM_KEY_CACHE_SLOTS),
 *    filled over ONE fill port (the load port above) from SA context memory: a fill costs
 *    GCM_SA_CTX_FETCH_LATENCY cycles (decision: on-chip SA context SRAM, address + read + ECC +
 *    wire pipeline; not a published figure) plus one cycle per context word. Fills are serial
 *    on the port (the next starts when the previous one's last word is written). Replacement:
 *    LRU over the slots not in use (in use = a packet of the slot dispatched and not yet past
 *    its END + GCM_AES_STAGES); with every slot in use the fill waits. A miss holds the packet
 *    BEFORE dispatch (it stays at the head of the engine's input FIFO, rule 2), never a lane:
 *    lanes keep running packets already dispatched. The packet dispatches in the cycle after
 *    the fill's last word. Timing: the fill is requested in cycle f, the first cycle that
 *    BEGINS with the packet as the ready head (the FIFO's entry 0 as the cycle starts) with no
 *    fill running and a victim free: a packet whose predecessor dispatched in cycle d may
 *    itself dispatch in d on a hit (rule 2), but on a miss its fill is requested at the
 *    earliest in d + GCM_FILL_AFTER_DISPATCH = d + 1 (the request and its victim are decided
 *    on registered state: the slot use of a packet dispatched in d counts from d + 1); word 0
 *    is written in f + GCM_SA_CTX_FETCH_LATENCY, the last in f + F - 1 (F =
 *    gcm_key_fill_cycles()); the packet may dispatch, and the port take the next request, from
 *    f + F. So back to back, a missing head dispatches F + 1 cycles after the packet ahead of
 *    it (gcm_key_miss_cycles), and a run of misses fills every F + 1 cycles. Only the head
 *    requests fills; a hit is a packet whose SA is cached when it is the head. LRU order is the
 *    order of the slots' last dispatches, a fill counting as a use. Both sides follow this
 *    text: the C engine (engine_sa_cache.c, closed forms in engine_analytic_cache.c) and the
 *    RTL (gcm_key_store.v: one copy of the slots for all lanes; gcm_key_cache.v: SA context
 *    memory, tags, in-use counts, LRU, the fill sequencer on the one fill port;
 *    rtl_test_keycache checks it against a C reference of these rules), the RTL for SA
 *    indices < gcm_core SAS (16) in this revision. */
#define GCM_KEY_CACHE_SLOTS 8u        /* gcm_core SLOTS */
#define GCM_SA_CTX_FETCH_LATENCY 8u   /* cycles from fill request to the first context word */
#define GCM_KEY_FILL_PORTS 1u
#define GCM_FILL_AFTER_DISPATCH 1u    /* a miss is requested no earlier than the cycle after the
                                         dispatch of the packet ahead of it (item 6) */

/* Context words of one key size: round keys 0..Nr plus H..H^4. */
static inline unsigned gcm_key_context_words(unsigned key_bits)
{
  return (key_bits == 256 ? 15u : 11u) + GCM_GHASH_STAGES;
}

/* Cycles from the load port's first context word to the slot usable, with no packet of that
 * slot in flight (one word per cycle). */
static inline unsigned gcm_key_load_cycles(unsigned key_bits)
{
  return gcm_key_context_words(key_bits);
}

/* Item 5: cycles from the key-setup request accepted (cycle a) to the slot usable, with no
 * packet of that slot in flight: 1 (request registered) + Nr + 1 (round keys, AES state
 * alongside) + 1 (H written, H*H issued) + 2 multiplier passes (H^2, then H^3 issued from the
 * product and H^4 one cycle later) + 2 (H^3, H^4 registered and written). */
static inline unsigned gcm_key_install_cycles(unsigned key_bits)
{
  const unsigned rounds = key_bits == 256 ? 14u : 10u;
  return 1u + (rounds + 1u) + 1u + 2u * GCM_GHASH_STAGES + 2u;
}

/* Cycles a key-cache miss costs on the fill port: fetch latency + one cycle per word (the
 * expanded context comes from SA context memory over the load port, not the key setup). */
static inline unsigned gcm_key_fill_cycles(unsigned key_bits)
{
  return GCM_SA_CTX_FETCH_LATENCY + gcm_key_context_words(key_bits);
}

/* Item 6, saturated: cycles from the dispatch of the packet ahead to the dispatch of a head that
 * misses with the port free and a victim free, for a fill of `fill_cycles` (F). */
static inline uint64_t gcm_key_miss_cycles(uint64_t fill_cycles) { return GCM_FILL_AFTER_DISPATCH + fill_cycles; }

#endif
