/* Real packet bytes in the ASIC model (issue 13, `payload: real`, the default): each source
 * generates its frames' bytes deterministically from the flow's seed (Ethernet, IPv4/IPv6 per
 * the flow, UDP ports, DSCP, a payload pattern holding the packet id) into a buffer of the
 * world's payload pool, held by sim_pkt.payload (model/packet.h). The frame is stored from the
 * destination MAC to the end of the IP packet; the 4-byte FCS is not stored (a frame of
 * pkt.bytes carries pkt.bytes - 4 stored bytes). Every end of a packet's life frees its buffer
 * (deliver, every drop reason, the host path, a packet the engine replaces by its output);
 * asic_sim_conservation checks that the pool's buffers in use equal the packets in flight.
 *
 * Pool: buffers of one size (the largest frame any stream or engine can produce), allocated in
 * chunks of ASIC_BYTES_CHUNK buffers as the packets in flight grow (no malloc per packet; alloc
 * and free O(1) through a free list of handles); memory follows the packets in flight.
 *
 * `payload: none` (part 1's descriptors): no pool, sim_pkt.payload = SIM_PAYLOAD_NONE, the
 * accessors return NULL. Timing and every report number but the byte-check counters
 * (flow.S.payload_checked, flow.S.payload_mismatch) are the same in both modes. */
#ifndef IPSECSIM_ASIC_BYTES_H
#define IPSECSIM_ASIC_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/packet.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sim_world asic_world; /* asic_sim.h */

/* The bytes of packet p (from the destination MAC, without FCS) and their count in *len; NULL
 * (len 0) when p carries none (payload none, or a packet without bytes). Valid until the
 * packet's life ends (the handler that delivers or drops it). */
const uint8_t *asic_pkt_bytes(const asic_world *w, const sim_pkt *p, uint32_t *len);
/* The same, writable (a link fault, a test-only corruption). The length cannot change here. */
uint8_t *asic_pkt_bytes_mut(asic_world *w, const sim_pkt *p, uint32_t *len);

typedef enum asic_payload_mode { ASIC_PAYLOAD_REAL = 0, ASIC_PAYLOAD_NONE = 1 } asic_payload_mode;

#define ASIC_BYTES_CHUNK 256u /* buffers per pool chunk */

typedef struct asic_bytes_pool {
  uint8_t **chunks;      /* chunk c holds buffers c * CHUNK .. + CHUNK - 1 */
  uint32_t n_chunks, cap_chunks;
  uint32_t buf_size;     /* bytes per buffer (frame bytes; its length is kept beside it) */
  uint32_t *len;         /* [n_chunks * CHUNK] bytes held by each buffer */
  uint32_t *next_free;   /* [n_chunks * CHUNK] free list links */
  uint32_t free_head;    /* UINT32_MAX: none free */
  uint64_t in_use, high_water, allocs, frees;
  uint8_t *pattern;      /* [256 + buf_size]: byte k = 29 k mod 256, so a packet's payload
                            pattern (asic_bytes.c) is one copy from offset (j + 53 c) mod 256 */
} asic_bytes_pool;

/* Pool of buffers of buf_size bytes (no buffer yet). false when out of memory. */
bool asic_bytes_pool_init(asic_bytes_pool *p, uint32_t buf_size);
void asic_bytes_pool_free(asic_bytes_pool *p);
/* A buffer handle (SIM_PAYLOAD_NONE when out of memory); O(1) (amortized: one chunk per
 * ASIC_BYTES_CHUNK buffers the first time the packets in flight reach them). */
uint32_t asic_bytes_alloc(asic_bytes_pool *p);
/* O(1); false for SIM_PAYLOAD_NONE, a handle out of range or a buffer already free. */
bool asic_bytes_release(asic_bytes_pool *p, uint32_t h);
/* World services (asic_bytes.c): the frame of a source's packet p of flow fi (a handle,
 * SIM_PAYLOAD_NONE when out of memory); the L3 forwarding of p's bytes by a lookup (TTL / hop
 * limit - 1, IPv4 header checksum updated per RFC 1624). */
uint32_t asic_bytes_source(asic_world *w, uint32_t fi, const sim_pkt *p);
void asic_bytes_forward_l3(asic_world *w, const sim_pkt *p);
/* At asic_world_start, before the first packets: the streams' source addresses and ports,
 * the pool (payload real); then per stream its byte-check counters (both modes). */
bool asic_bytes_start(asic_world *w, char *err, size_t errlen);
bool asic_bytes_flow_counters(asic_world *w, uint32_t fi);
/* A delivered packet: a clear frame is compared with what its source sent (payload_checked,
 * payload_mismatch); its buffer freed. A dropped packet (any reason): its buffer freed. */
void asic_bytes_deliver(asic_world *w, const sim_pkt *p, bool in_window);
void asic_bytes_drop(asic_world *w, const sim_pkt *p);

static inline uint8_t *asic_bytes_buf(const asic_bytes_pool *p, uint32_t h) {
  return p->chunks[h / ASIC_BYTES_CHUNK] + (size_t)(h % ASIC_BYTES_CHUNK) * p->buf_size;
}

#ifdef __cplusplus
}
#endif
#endif
