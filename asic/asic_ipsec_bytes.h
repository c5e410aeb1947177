/* Payload real through the IPsec engines (issue 13): one SA database per router built from
 * the same tunnels and `events:` SA generations the engines carry (ipsec_engine/sa.h,
 * outbound SAs bound by route, not by selector; an SA whose SPI another SA of the router uses
 * in its direction, on another local gateway or to another peer, goes to an extra database of
 * the router; the bytes are transformed on the SA the lookup bound), the byte path the engine
 * adapter calls (engine_pg_host.bytes: esp_encrypt_burst with pre-fragmentation and ICMP to
 * the host path, esp_decrypt with replay, ESN, UDP encapsulation, lifetimes), and the ESP the
 * remote peer of an `esp_of:` stream sends (its mirrors of the tunnel's inbound SAs, one per
 * generation, in a database of its own). The frames keep the Ethernet addresses of the frame
 * they came from; the EtherType follows the IP version. Time for lifetimes: simulated, in ns.
 * Keys stay in the sa_config entries; nothing here prints them. */
#ifndef IPSECSIM_ASIC_IPSEC_BYTES_H
#define IPSECSIM_ASIC_IPSEC_BYTES_H

#include "asic_sim.h"
#include "ipsec_engine/engine_pg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Payload real with tunnels: the databases and mirrors (after asic_ipsec_start, before the
 * first packets). false with a one-line reason when an SA database refuses a tunnel. */
bool asic_ipsec_bytes_start(asic_world *w, char *err, size_t errlen);
void asic_ipsec_bytes_free(asic_world *w);
/* After the run, its figures published (asic_report_publish): frees the SA databases and
 * mirrors (SAs, OpenSSL contexts, replay windows; ~2.7 KB per SA); the registry's counters
 * are the registry's own and stay. Nothing reads an SA afterwards (asic_ipsec_bytes_sa gives
 * NULL); the packet buffers and their links stay until asic_ipsec_bytes_free. Their heap then
 * serves the outputs' writing (the show views' parse of config.resolved.yaml), lowering the
 * run's peak. */
void asic_ipsec_bytes_release_sas(asic_world *w);
/* The host hooks of the byte path (engine_pg_host.bytes, bytes_take, bytes_free). */
void asic_ipsec_bytes_hooks(engine_pg_host *h);
/* The frame of an `esp_of:` stream's ESP packet p (a handle, SIM_PAYLOAD_NONE when none):
 * a new inner datagram (first == true) is generated and encrypted on the peer's mirror SA,
 * its ESP packets handed out one per call. */
uint32_t asic_ipsec_bytes_esp_source(asic_world *w, uint32_t fi, const sim_pkt *p, bool first, uint32_t inner_frame);
/* Buffers made ahead for ESP packets their sources have not sent yet (the census of
 * asic_sim_conservation excludes them). */
uint64_t asic_ipsec_bytes_pending(const asic_world *w);
/* The byte path's SA of stats index i (asic_ipsec_rt.h: tunnel t at t, an `events:`
 * generation >= 1 at its gen_stats index), outbound or inbound; NULL without payload real. Its
 * counters (ctr) are the real ESP code's, next to the engine's (sa.ROUTER.NAME[.gK].*). */
const sa *asic_ipsec_bytes_sa(const asic_world *w, uint32_t i, bool inbound);
/* TEST ONLY: packets corrupted after decryption by IPSECSIM_TEST_ONLY_CORRUPT_DECRYPTED_EVERY. */
uint64_t asic_ipsec_bytes_test_corrupted(const asic_world *w);

#ifdef __cplusplus
}
#endif
#endif
