/* The IPsec engine of one PFE slice (block `engine`, at PG0): a C block with a time-driven API
 * and no process of its own. The caller (the slice's event heap) offers packets, asks for the
 * next event time and advances the engine to it; the engine emits every outcome through one
 * callback. Timing follows the engine <-> GCM-core contract in gcm_timing.h (items 1-4).
 *
 * Accepts: descriptors (payload none) of packets whose LAST byte has arrived at the engine at
 *   time t (fs): encrypt = a clear IP datagram for an outbound SA, decrypt = an ESP packet
 *   for an inbound SA (the SA's direction decides). Offers come in non-decreasing t.
 * Arbiter: ONE input FIFO in offer order shared by encrypt and decrypt (tail drop at
 *   `in_queue` bytes of frames); its head is dispatched whole, at the first clock edge at or
 *   after its last byte arrived, to the lane that can start it earliest (ties: lowest lane),
 *   subject to the lane's output-FIFO credit and its SA's reorder limit; the packets behind
 *   it wait (head-of-line, in particular under sa_dispatch=pin: lane = SA index mod lanes).
 *   A clear datagram above the tunnel MTU becomes several ESP packets (pre-fragmentation,
 *   engine_esp.h), each its own FIFO entry and lane operation, in order.
 * Per ESP packet at dispatch: encrypt takes the SA's next sequence number (after admission,
 *   so dropped packets use none); decrypt checks anti-replay (replay.h) against the window of
 *   packets already committed. Lane time = overhead_cycles + gcm_cycles_per_packet(A, P).
 *   A packet dropped there (replay) is decided when it would start, by the same rule, and
 *   takes no lane time. A clear datagram whose ESP packets would not all get a sequence
 *   number (counting those of the SA still queued) is refused whole at the input with
 *   seq_exhausted, as the ESP transform does.
 * Emits (engine_out, through `emit`): PACKET when the packet is released: its tag beat has
 *   left the lane's output FIFO and every earlier-dispatched packet of its SA has been
 *   released (per-SA order over all lanes). Decrypt commits there, in per-SA order: ICV
 *   failure, bad trailer, or a replay found now (a duplicate that was in flight on another
 *   lane) is a DROP; otherwise the window is updated and the packet leaves. release_fs is
 *   when its last byte has left the engine; first_out_fs its first byte (store-and-forward:
 *   decrypt and IPv6-outer UDP encrypt, and any packet that waited for reordering, start
 *   only at release_fs; other encrypt packets cut through from their first output beat).
 *   HOST: a datagram that needs ICMP (too big, not fragmentable) goes to the exception path.
 * Drops (owned by the engine, engine_drop_names): at the input engine_queue_full,
 *   exceeds_tunnel_mtu, body_too_short, bad_descriptor, seq_exhausted; at dispatch
 *   replay_duplicate, replay_too_old; at release icv_mismatch, bad_pad_length,
 *   replay_duplicate, replay_too_old. Every offered descriptor ends in exactly one PACKET
 *   (one per ESP packet), DROP or HOST outcome; engine_conservation checks it.
 * Backpressure: engine_set_out_ready(false) stops the output FIFOs' pops (downstream, PG0.in,
 *   is full); lanes then stop starting packets when their FIFO credit runs out (never a
 *   pipeline stall); released packets stop because no tag beat leaves.
 * The emit callback must not call back into the engine (it runs inside the event loop):
 *   it queues what it gets and acts after the engine call returns.
 * SA context cache (gcm_timing.h items 5-6, engine_sa_cache.h): sa_cache_entries SA contexts
 *   shared by the lanes, one fill port, LRU over the entries not in use; a miss holds the
 *   FIFO head BEFORE dispatch for the fill (engine.sa_miss_cycles, by default
 *   gcm_key_fill_cycles(key_bits): 23 cycles AES-128, 27 AES-256), never a lane: lanes keep
 *   running what they started, the packets behind the head wait (FIFO order).
 * Core: the dispatcher, lanes and output FIFOs sit behind gcm_backend.h (the C model `c`).
 * Events: the caller needs one heap event per engine_next_event_time() change; the engine
 *   itself does O(lanes) work per dispatch and per completion, no per-cycle ticking. */
#ifndef IPSECSIM_ENGINE_H
#define IPSECSIM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "ipsec_engine/engine_esp.h"
#include "ipsec_engine/engine_sa_cache.h"
#include "ipsec_engine/gcm_timing.h"
#include "model/cfg.h"
#include "model/occ_series.h"
#include "model/sim_time.h"
#include "model/stats.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum engine_sa_dispatch { ENGINE_SPRAY = 0, ENGINE_PIN = 1 } engine_sa_dispatch;

typedef struct engine_params {
  uint64_t lanes;
  double clock;              /* Hz; period rounded once to whole fs (sim_period_fs) */
  uint64_t overhead_cycles;
  uint64_t in_queue;         /* bytes of frames */
  uint64_t reorder_depth;    /* packets per SA */
  uint64_t out_fifo_depth;   /* 16-byte beats per lane */
  int sa_dispatch;           /* engine_sa_dispatch */
  uint64_t sa_cache_entries; /* SA contexts held (gcm_timing.h item 6) */
  uint64_t sa_miss_cycles;   /* fill cost of a miss; 0 = gcm_key_fill_cycles(key_bits) per SA */
} engine_params;

/* The `engine` block's parameter table (cfg_param, offsets into engine_params); the array is
 * exported so the ASIC's block list (asic_params.c) can hold it in a constant table. */
#define ENGINE_PARAM_COUNT 9
extern const cfg_param engine_param_entries[ENGINE_PARAM_COUNT];
const cfg_param *engine_param_table(size_t *n);
bool engine_params_default(engine_params *p);
/* Cross checks against the SAs (out_fifo_depth holds every SA's largest packet). why gets
 * "engine.FIELD: what is wrong (allowed: ...)" (the caller adds the file position). */
bool engine_params_check(const engine_params *p, const engine_sa *sas, uint32_t n_sas, char *why,
                         size_t why_len);

typedef struct engine_desc {
  uint64_t user;            /* caller's handle, returned in every engine_out */
  uint32_t sa;              /* index into the SA array given to engine_create */
  uint32_t ip_bytes;        /* encrypt: the clear IP datagram; decrypt: the outer ESP IP packet */
  uint32_t clear_ip_bytes;  /* decrypt: the inner IP packet it carries (payload none) */
  uint8_t inner_family;     /* encrypt: 4 or 6 */
  bool inner_df;            /* encrypt: inner IPv4 DF bit */
  uint32_t seq;             /* decrypt: ESP sequence number on the wire (low 32 bits) */
  bool icv_ok;              /* decrypt: false = the ICV will not verify */
} engine_desc;

typedef enum engine_drop {
  ENGINE_DROP_NONE = 0,
  ENGINE_DROP_QUEUE_FULL,      /* engine_queue_full */
  ENGINE_DROP_EXCEEDS_MTU,     /* exceeds_tunnel_mtu: cannot be fragmented to fit, or an ESP
                                  packet above its SA's tunnel MTU */
  ENGINE_DROP_BODY_TOO_SHORT,  /* body_too_short: ESP packet cannot hold IV, trailer, ICV */
  ENGINE_DROP_BAD_DESC,        /* bad_descriptor: unknown SA, impossible lengths/family */
  ENGINE_DROP_SEQ_EXHAUSTED,   /* seq_exhausted (RFC 4303 s3.3.3) */
  ENGINE_DROP_REPLAY_DUPLICATE,
  ENGINE_DROP_REPLAY_TOO_OLD,
  ENGINE_DROP_ICV_MISMATCH,
  ENGINE_DROP_BAD_PAD_LENGTH,  /* clear_ip_bytes does not fit the ESP text with a pad 0..255 */
  ENGINE_DROP_N
} engine_drop;
extern const char *const engine_drop_names[ENGINE_DROP_N]; /* [0] = "none" */

typedef enum engine_out_kind { ENGINE_OUT_PACKET, ENGINE_OUT_DROP, ENGINE_OUT_HOST } engine_out_kind;

typedef struct engine_out {
  engine_out_kind kind;
  engine_drop reason;        /* DROP */
  engine_dir dir;
  uint64_t user;
  uint32_t sa;
  uint32_t frag_index, frag_count; /* encrypt: ESP packet i of n of one datagram */
  uint32_t ip_bytes;         /* leaving: the ESP IP packet (encrypt) or the inner one (decrypt) */
  uint32_t frame_bytes;      /* engine_frame_bytes(ip_bytes) */
  uint64_t seq;              /* full sequence number (decrypt: ESN inferred); 0 if none */
  uint32_t lane;             /* UINT32_MAX when it never reached a lane */
  sim_fs offer_fs, start_fs, first_out_fs, release_fs; /* release_fs = time of the outcome */
} engine_out;

typedef void (*engine_emit_fn)(void *ctx, const engine_out *o);

/* Window counters (registry counters, model/stats.h): init points them at the engine's own
 * storage, the owner may re-point them at counters it registers under
 * ROUTER.asicA.sliceS.engine.* (names: pkts, done_pkts, encrypt_pkts, decrypt_pkts,
 * drops.REASON; the gauges of engine_metrics beside them). */
typedef struct engine_counters {
  stats_counter *pkts;          /* descriptors accepted at the input (by offer time) */
  stats_counter *done_pkts;     /* packets released (ESP packets on encrypt) */
  stats_counter *encrypt_pkts, *decrypt_pkts; /* released, per direction */
  stats_counter *wan_l1_bytes;  /* ESP frames + 20 of released packets, both directions */
  stats_counter *clear_l1_bytes;/* clear frames + 20 (a fragmented datagram counted once) */
  stats_counter *host_pkts;     /* to the exception path */
  stats_counter *drops[ENGINE_DROP_N];
  /* Scoreboard of the RTL co-simulation (engine_use_rtl; all 0 on the `c` backend): checked =
   * packets the core finished and the scoreboard checked against OpenSSL, counted like
   * done_pkts and the drops at release (in the window, by release time); mismatches (bytes
   * differ) and cycle_mismatches (tag-pop cycle differs from the C model's prediction) count
   * every packet of the run, window or not, when found: any one fails the run. */
  stats_counter *sb_checked, *sb_mismatches, *sb_cycle_mismatches, *sb_real_bytes;
} engine_counters;

typedef struct engine_metrics {
  double mpps, l1_gbps, clear_l1_gbps; /* released, over the window */
  double util;                         /* busy lane-time / (lanes x window) */
  uint64_t queue_max_pkts, reorder_max_pkts;
  double sa_cache_hit_rate;            /* hits / (hits + misses) in the window; 1 with no lookup */
} engine_metrics;

typedef struct engine engine;

/* sas[i] is SA index i (copied). NULL with a one-line reason in why when params are out of
 * range or an SA's replay window is invalid. */
engine *engine_create(const engine_params *p, const engine_sa *sas, uint32_t n_sas,
                      engine_emit_fn emit, void *ctx, char *why, size_t why_len);
void engine_destroy(engine *e);
/* SA index i's configuration as created (i < n_sas) and its direction (read from the
 * engine's per-SA state, the line an offer touches anyway). */
const engine_sa *engine_sa_config(const engine *e, uint32_t i);
engine_dir engine_sa_dir(const engine *e, uint32_t i);

sim_fs engine_period_fs(const engine *e);
/* Advances to t, then admits the descriptor (or drops it, emitting the DROP / HOST at t),
 * then dispatches what can start at t. Returns the outcome kind known now: ENGINE_OUT_PACKET
 * = accepted (its PACKET/DROP comes later), ENGINE_OUT_DROP, ENGINE_OUT_HOST. */
engine_out_kind engine_offer(engine *e, sim_fs t, const engine_desc *d);
/* Time of the next dispatch or release (SIM_FS_NEVER when nothing can happen until an
 * offer or engine_set_out_ready). */
sim_fs engine_next_event_time(const engine *e);
/* Processes every dispatch and release at or before t (releases first at equal times). */
void engine_advance(engine *e, sim_fs t);
/* Downstream accepts output beats (true, the initial state) or not, from the first clock
 * edge at or after t. */
void engine_set_out_ready(engine *e, sim_fs t, bool ready);

/* Measurement window [w0, w1) (default [0, never)), set before the first offer: counters
 * count events inside it (arrivals and input drops by offer time, releases and later drops
 * by their time, busy lane-time clipped to it); the maxima are taken at arrivals (queue) and
 * completions (reorder) inside it. */
void engine_set_window(engine *e, sim_fs w0, sim_fs w1);
/* The input FIFO's occupancy per time bucket (model/occ_series.h; NULL: none): each packet
 * holds it from its offer to the dispatch of its last entry, peaks at arrivals as
 * queue_max_pkts counts them. */
void engine_set_series(engine *e, occ_series *s);
engine_counters *engine_counters_of(engine *e);
/* The SA context cache's window counters (engine_sa_cache.h), re-pointable the same way
 * (names: sa_cache_hits, sa_cache_misses, sa_miss_cycles). */
sa_cache_counters *engine_sa_cache_counters_of(engine *e);
/* All-time totals of the cache (tests): hits, misses, miss cycles. */
void engine_sa_cache_totals(const engine *e, uint64_t *hits, uint64_t *misses, uint64_t *miss_cycles);
bool engine_sa_cached(const engine *e, uint32_t sa_index);
/* SAs installed under traffic (issue 13). preload: at creation, before the first offer, the
 * cache holds only the SAs with installed[i] (the others come later). install: advances to t,
 * then installs SA sa_index in the first cycle at or after t: the key setup of item 5,
 * gcm_key_install_cycles(key_bits) (AES-128 23, AES-256 27, copied from gcm_timing.h), writes
 * its context into a cache slot over the one fill port (sa_cache_install: LRU victim not in
 * use, the port held for those cycles, behind any fill running); its packets dispatch from the
 * end. Lanes never stall (gcm_timing.h item 5: other slots never wait). Returns the cycle the
 * SA is usable from. On the RTL core (engine_use_rtl) the predictor installs it alike and the
 * core's key setup is requested in the same cycle (engine_cosim_install). */
void engine_sa_cache_preload(engine *e, const bool *installed);
uint64_t engine_install_sa(engine *e, uint32_t sa_index, sim_fs t);
void engine_metrics_of(const engine *e, engine_metrics *m);

/* ---- Co-simulation with the Verilated GCM core (engine_cosim.c, gcm_backend_rtl.h) ----
 * Before the first offer: the core replaces the `c` backend, a C predictor engine runs beside
 * it (same offers, same out_ready) and the scoreboard counters above count. keys[i] (key_len[i]
 * 16 or 32 bytes) is SA i's key (secret: only the core and OpenSSL see it); at_start[i] (NULL:
 * all) SA i is keyed before cycle 0, the others by engine_install_sa through the core's key-setup
 * port (the predictor's cache preloaded alike); fault is a gcm_rtl_fault (tests only, 0 = none).
 * false with a one-line reason (the configuration the Verilated build cannot take, or no RTL in
 * this build). */
bool engine_use_rtl(engine *e, const uint8_t *const *keys, const uint8_t *key_len, const bool *at_start, int fault,
                    char *why, size_t why_len);
/* At the end of the run: packets the predictor finished before the engine's last time but
 * the RTL did not count as cycle mismatches. */
void engine_scoreboard_finish(engine *e);
/* Prints the kept mismatch lines (first 8, then a count) to fp; returns how many there were. */
size_t engine_scoreboard_report(const engine *e, FILE *fp);
uint64_t engine_rtl_cycles(const engine *e); /* core cycles clocked (0 on the `c` backend) */
/* Whether the engine runs on the RTL core (engine_use_rtl). */
bool engine_on_rtl(const engine *e);
/* The GCM operation of one ESP packet as the real transform did it (RFC 4106: nonce = salt |
 * IV, s4; AAD = SPI | [seq high |] seq low, s5; text = the ESP payload with its trailer,
 * plaintext): what the RTL core gets under co-simulation (engine_pg_bytes.gcm). */
typedef struct engine_gcm_input {
  uint8_t nonce[12];
  uint8_t aad[12];
  uint32_t aad_len, text_len;
  const uint8_t *text;
} engine_gcm_input;
#define ENGINE_GCM_INPUTS_MAX 160u /* ESP packets of one datagram (esp_frag.h ESP_BURST_MAX) */

/* On the RTL core, after an offer that queued its datagram's ESP packets: their own GCM
 * inputs (payload real), g[i] for ESP packet i (n may be below their count: the rest keep the
 * pattern). Returns how many the core took (counted under scoreboard.real_bytes when
 * checked). */
uint32_t engine_give_gcm_inputs(engine *e, const engine_gcm_input *g, uint32_t n);
/* After engine_use_rtl: an FST waveform of the core (its ports; every signal in a traced
 * build, gcm_backend_rtl_wave) for simulated time [from, to) to path (created mode 0600; it
 * holds packet bytes and keys: the caller warns). false with a reason. */
bool engine_rtl_wave(engine *e, const char *path, sim_fs from, sim_fs to, char *why, size_t why_len);

/* Introspection for tests and reports. */
uint32_t engine_sa_outstanding(const engine *e, uint32_t sa_index); /* dispatched, not released */
uint64_t engine_sa_next_seq(const engine *e, uint32_t sa_index);   /* outbound: last assigned */
/* Frame bytes in the input FIFO now (a datagram's bytes leave it when its last ESP packet is
 * dispatched): the owner returns input credits from it. */
uint64_t engine_queue_bytes(const engine *e);
/* offered = accepted + input drops + host; ESP packets made = released + later drops + inside. */
bool engine_conservation(const engine *e, char *msg, size_t len);

/* ---- Closed forms (engine_analytic.c), from the same rounded clock period ----
 * Per clear datagram i of the mix: c_i = sum over its ESP packets of (O + n), n =
 * gcm_cycles_per_packet(A, P). Saturated, the engine completes R datagrams per second:
 *   spray: R = lanes / (T * sum_i w_i c_i / sum_i w_i)
 *   pin:   R = 1 / (T * max_l sum_{i on lane l} w_i c_i / sum_i w_i), lane = SA index mod lanes
 * (one elephant SA: one lane). mpps counts ESP packets (the engine's done_pkts), l1_gbps the
 * WAN-side ESP frames + 20 B, clear_l1_gbps the clear frames + 20 B (both directions alike:
 * a decrypt entry is the ESP packets its peer's outbound SA of this shape sends). */
typedef struct engine_mix_entry {
  uint32_t clear_ip_bytes;   /* clear IP datagram (frame - 18) */
  uint8_t inner_family;      /* 4 or 6 */
  double weight;             /* share of datagrams (any positive scale) */
  const engine_sa *sa;       /* shape: outer family, UDP, ESN, tunnel MTU, DF mode */
  uint32_t sa_index;         /* pin: lane = sa_index mod lanes; the SA cache: which SA */
  uint32_t stream;           /* SA cache (engine_cache_closed_form_streams): the stream it is in */
  uint32_t slot;             /* and its place in that stream's address cycle (0, 1, ...) */
} engine_mix_entry;

typedef struct engine_ceiling {
  double datagram_mpps;      /* clear datagrams per second / 1e6 */
  double mpps;               /* ESP packets per second / 1e6 */
  double l1_gbps, clear_l1_gbps;
  double cycles_per_datagram;/* weighted mean lane cycles (overhead included) */
} engine_ceiling;

/* false with why when an entry cannot be carried (needs ICMP, unfit, bad weight/family). */
bool engine_closed_form(const engine_params *p, const engine_mix_entry *mix, size_t n,
                        engine_ceiling *out, char *why, size_t why_len);

/* ---- Closed forms with the SA context cache (engine_analytic_cache.c, derivation there) ----
 * Order in which the traffic visits its N active SAs: round-robin (hit rate 1 when N <=
 * sa_cache_entries, else 0 under LRU) or independent uniform draws (hit rate min(1, E/N)). */
typedef enum engine_sa_order { ENGINE_SA_ORDER_ROUND_ROBIN = 0, ENGINE_SA_ORDER_RANDOM = 1 } engine_sa_order;

typedef struct engine_cache_ceiling {
  engine_ceiling c;          /* with the misses (saturated) */
  engine_ceiling lanes;      /* lanes alone (engine_closed_form: every SA cached) */
  double hit_rate;
  double fill_cycles;        /* F + 1 per miss (gcm_key_miss_cycles; weighted over the mix) */
  double fill_bound_dgram_mpps; /* the fill port's own bound, 1 / ((1-h) (F+1) T); 0 when h = 1 */
  bool exact;                /* spray: exact stationary mean; pin: min of the two bounds */
} engine_cache_ceiling;

double engine_sa_cache_hit_rate_cf(uint64_t entries, uint64_t n_active, engine_sa_order order);
/* The mix as the interleaving of streams (the engine's FIFO order): stream s (order[s])
 * visits the slots of its entries (slot k: the k-th address, one SA) round-robin or at
 * random, each entry's weight its share of all datagrams; an SA may be reached by several
 * streams. Per-entry LRU hit probabilities (hit[n]) by the characteristic-time rule (derived
 * in engine_analytic_cache.c); *t_char: the window (datagrams), INFINITY when every SA fits.
 * false: out of memory or a stream index >= n_streams. */
bool engine_sa_cache_hits_cf(uint64_t entries, const engine_mix_entry *mix, size_t n, const engine_sa_order *order,
                             size_t n_streams, double *hit, double *t_char);
/* The saturated ceiling with those per-entry hit probabilities (out->hit_rate: their mean
 * over datagrams). */
bool engine_cache_closed_form_streams(const engine_params *p, const engine_mix_entry *mix, size_t n,
                                      const engine_sa_order *order, size_t n_streams, engine_cache_ceiling *out,
                                      char *why, size_t why_len);
bool engine_cache_closed_form(const engine_params *p, const engine_mix_entry *mix, size_t n,
                              uint64_t n_active, engine_sa_order order, engine_cache_ceiling *out,
                              char *why, size_t why_len);

#ifdef __cplusplus
}
#endif
#endif
