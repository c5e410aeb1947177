/* The IPsec engine as the block attached to PG0 of a PFE slice (portgroup/pg_attach.h): an
 * adapter between the packet descriptors of the ASIC model (model/packet.h) and the engine's
 * time-driven C API (engine.h). The composer (asic/asic_ipsec.c) creates one per slice that
 * anchors an SA and hands engine_pg_ops() to the attachment point.
 *
 * Accepts (ops.offer, at the time the packet's last byte leaves PG0.out): a packet with
 *   pkt.sa = a local SA index of this engine. The offer becomes one block event at that time
 *   (EPG_EV_ARRIVE) so the engine is driven only from its own heap's event loop. At the event:
 *   encrypt (outbound SA): clear IP = frame - 18, inner family from the packet's route key
 *   (host.family), inner DF 0 (streams carry no DF bit); decrypt (inbound SA): ESP IP = frame -
 *   18, clear_ip_bytes = pkt.inner_bytes, ICV good, sequence number = pkt.esp_seq16 widened to
 *   the nearest 32-bit value of the highest one seen on that SA (exact while the path reorders
 *   fewer than 32768 packets of one SA).
 * Timing: one EPG_EV_TICK block event per change of engine_next_event_time, scheduled only
 *   before every tick already in the heap (a tick at or before the next event time settles
 *   again when it fires; none is scheduled twice at one time; one whose time is no longer an
 *   event time only advances the engine to its time, which is harmless). An
 *   arrival or tick that would be the next event of the slice's loop anyway (host.run_now) is
 *   handled at once, in the same order: the offer and the end of an engine event are the last
 *   things their event does (pg_attach.h: ops.offer is called in tail position).
 * Emits through the host callbacks:
 *   - encrypt PACKET (one per ESP packet): bytes = the ESP frame, spi = the SA's SPI, route_key
 *     = the remote gateway's key, inner_key = the clear packet's route_key, inner_bytes = the
 *     inner datagram (fragment) it carries, esp_seq16, sa none; ESP packet i >= 1 of a
 *     pre-fragmented datagram gets pid | i << 56 (sources keep pids below 2^56);
 *   - decrypt PACKET: bytes = the inner frame, route_key = inner_key, spi 0, sa none;
 *   both handed back into PG0.in at the release time (last byte out); when PG0.in refuses (no
 *   credits), the adapter holds the packet in order, turns the engine's out_ready off and on
 *   again when PG0.in gives credits back (ops.returned) and its held packets have gone;
 *   - DROP / HOST: host.drop with the engine's reason (HOST: the exception path).
 * Credits toward PG0.out: the engine's input FIFO (engine.in_queue): a packet's credits come
 *   back when its datagram leaves the FIFO (dispatch of its last ESP packet), or at once when
 *   the engine refuses it at the input.
 * Census (ops.held / made / lost): packets inside (arrived, not yet returned or lost, held
 *   packets included), ESP packets made beyond one per datagram (pre-fragmentation), packets
 *   lost (drops and host path).
 * Per tunnel (engine_pg_sa.tunnel): tx = packets encrypted into it, rx = decrypted out of it,
 *   wan_l1_bytes = their ESP frames + 20 B (WAN side, both directions), counted at release
 *   inside the window; sa[dir] = the IPsec counters of its SA of that direction (sa_stats.h),
 *   counted at the outcome's time inside the window: encrypted_packets / encrypted_bytes per
 *   ESP packet released and the clear IP bytes it carries (frame - 18; a fragment's own
 *   bytes), decrypted_packets / decrypted_bytes per packet released and the ESP IP bytes that
 *   came in (frame - 18), exceeds_tunnel_mtu_fragmented once per pre-fragmented datagram (at
 *   its first ESP packet), every engine drop under its reason (engine_pg_drop_reason) and a
 *   datagram sent to the host path under exceeds_tunnel_mtu_icmp_sent. The engine's input
 *   tail drops (engine_queue_full) are no SA's error: the engine's drops only. */
#ifndef IPSECSIM_ENGINE_PG_H
#define IPSECSIM_ENGINE_PG_H

#include <stdbool.h>
#include <stdint.h>

#include "ipsec_engine/engine.h"
#include "ipsec_engine/sa_stats.h"
#include "portgroup/pg_attach.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { EPG_EV_ARRIVE = 0, EPG_EV_TICK = 1 }; /* block event kinds (SIM_EVC_BLOCK); aux unused */

/* Payload real: what the byte path made of an arrival (engine_pg_host.bytes). */
typedef struct engine_pg_bytes {
  uint32_t head;     /* its output buffers (ESP packets, or the inner packet), a chain the host
                        owns; SIM_PAYLOAD_NONE: none */
  uint32_t seq;      /* decrypt: the sequence number in its ESP header (low 32 bits) */
  bool icv_ok;       /* decrypt: the real transform authenticated it */
  esp_reason reason; /* the real transform's outcome (ESP_R_OK) */
  /* in: want_gcm (the engine runs on the RTL core); out: the GCM inputs of its ESP packets in
   * order (encrypt: each one written, decrypt: the one read; n_gcm 0 when not authenticated),
   * host-owned, valid until its next transform */
  bool want_gcm;
  uint32_t n_gcm;
  const engine_gcm_input *gcm;
} engine_pg_bytes;

/* What the composer provides (the adapter reaches nothing else of the world). */
typedef struct engine_pg_host {
  void *ctx;
  void (*push)(void *ctx, uint32_t slice, sim_fs t, uint32_t kind, uint32_t aux, const sim_pkt *pkt);
  bool (*ret)(void *ctx, uint32_t slice, sim_fs t, const sim_pkt *pkt); /* into PG0.in */
  void (*credit)(void *ctx, uint32_t slice, uint32_t bytes, sim_fs t);  /* to PG0.out */
  void (*drop)(void *ctx, uint32_t slice, const sim_pkt *pkt, engine_out_kind kind, engine_drop why, sim_fs t);
  uint8_t (*family)(void *ctx, uint32_t route_key);
  /* The block event (t, pid) would be the next one its slice's loop handles: true = handle it
   * now (counted as an event by the host), false = push it. NULL: always push. */
  bool (*run_now)(void *ctx, uint32_t slice, sim_fs t, uint64_t pid);
  /* Payload real (NULL: descriptors only). bytes: the real ESP transform of the packet's
   * bytes on tunnel `tunnel`, direction dir, at t; it consumes in->payload. Called for a
   * decrypt before the engine's offer (its sequence number and ICV come from the bytes), for
   * an encrypt once the engine has accepted it. take: buffer i of a chain (ownership to the
   * packet it rides), free: every buffer of a chain not taken (a dropped datagram). */
  void (*bytes)(void *ctx, uint32_t tunnel, engine_dir dir, const sim_pkt *in, sim_fs t, engine_pg_bytes *r);
  uint32_t (*bytes_take)(void *ctx, uint32_t head, uint32_t i);
  void (*bytes_free)(void *ctx, uint32_t head);
} engine_pg_host;

/* Binding of local SA i: its tunnel and, outbound, its SPI and the remote gateway's key. */
typedef struct engine_pg_sa {
  uint32_t tunnel, spi, outer_key;
} engine_pg_sa;

typedef struct engine_pg_tunnel_stats {
  stats_counter *tx_pkts, *rx_pkts, *wan_l1_bytes; /* window */
  sa_stats sa[2]; /* [ENGINE_ENCRYPT] its outbound SA, [ENGINE_DECRYPT] its inbound SA (window) */
} engine_pg_tunnel_stats;

typedef struct engine_pg engine_pg;

/* sas/bind: n_sas local SAs (copied); tun: the composer's per-tunnel counters (kept). NULL with
 * why ("engine.FIELD: ...") when engine_create refuses. */
engine_pg *engine_pg_create(uint32_t slice, const engine_params *p, const engine_sa *sas,
                            const engine_pg_sa *bind, uint32_t n_sas, engine_pg_tunnel_stats *tun,
                            const engine_pg_host *host, char *why, size_t why_len);
void engine_pg_destroy(engine_pg *g);
engine *engine_pg_engine(engine_pg *g);
void engine_pg_set_window(engine_pg *g, sim_fs w0, sim_fs w1);
/* The block's attachment ops (ctx = g); rate_bps = lanes x clock x 16 B x 8 (the engine's
 * raw block rate: its arbiter weight at PG0.in), credit_bytes = in_queue. */
pg_block_ops engine_pg_ops(engine_pg *g);
/* The ESP reason an engine drop is counted under (ESP_R_OK: none, engine_queue_full). */
esp_reason engine_pg_drop_reason(engine_drop why, engine_dir dir);
/* SA sa_index installed at t under traffic (issue 13, engine_install_sa): applied, in time
 * order, before the engine handles anything at or after t (so no dispatch before t sees it);
 * schedule before the run. An SA never scheduled is cached from the start unless the composer
 * preloads the cache without it (engine_sa_cache_preload). */
void engine_pg_schedule_install(engine_pg *g, sim_fs t, uint32_t sa_index);
/* Introspection: times PG0.in refused a packet and the engine's output was stopped. */
uint64_t engine_pg_blocked_count(const engine_pg *g);

/* Window counts, by ESP reason, of the drops the byte transform decided (payload real: a link
 * fault's bad header, an ICV failure...) that the engine itself counts as icv_mismatch. */
const uint64_t *engine_pg_real_drops(const engine_pg *g);

#ifdef __cplusplus
}
#endif
#endif
