/* The packet descriptor every block of the timing model passes on. Clear traffic carries no
 * payload bytes; a block that transforms packets (the IPsec engine on PG0) keeps the bytes
 * behind `payload` and re-binds the packet for its second lookup by changing `route_key`
 * (after encryption: the tunnel's outer destination; after decryption: the inner one) and
 * `sa`. An ESP packet on a wire carries its header's SPI in `spi` (the receiving router
 * demultiplexes on it; `sa` is meaningful only inside the router holding the packet), and the
 * inner packet it carries in `inner_key` / `inner_bytes` (payload none: what decryption
 * gives back). Copied by value into events and queues: keep it small (56 bytes). */
#ifndef IPSECSIM_PACKET_H
#define IPSECSIM_PACKET_H

#include <stdint.h>

#include "sim_time.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIM_SA_NONE UINT32_MAX      /* sim_pkt.sa: not bound to an SA */
#define SIM_PAYLOAD_NONE UINT32_MAX /* sim_pkt.payload: no bytes carried (clear model) */

typedef struct sim_pkt {
  uint64_t pid;       /* unique, deterministic: assigned by the source */
  sim_fs t_first_in;  /* first bit of the preamble on the ingress wire */
  sim_fs t_last_in;   /* last bit of the FCS on the ingress wire */
  uint32_t flow;      /* flow (traffic stream) index: statistics owner */
  uint32_t route_key; /* the address the next lookup routes on, as an index into the world's
                         route-key table (asic_world_route_key): resolved per router once */
  uint32_t sa;        /* SA index, SIM_SA_NONE */
  uint32_t payload;   /* payload handle (model/pktbuf.h pool), SIM_PAYLOAD_NONE */
  uint32_t spi;       /* ESP on the wire: the SPI of its header (0: not ESP) */
  uint32_t inner_key; /* ESP: route key of the inner packet's destination (after decryption) */
  uint16_t inner_bytes; /* ESP: the inner IP packet (or fragment) it carries, bytes */
  uint16_t bytes;     /* frame bytes incl. FCS */
  uint8_t hops;       /* router hops taken (multi-router topologies) */
  uint8_t flags;      /* free for the block holding the packet (not interpreted by the path) */
  uint16_t esp_seq16; /* ESP with payload none: low 16 bits of its header's sequence number (the
                         receiving engine adapter infers the rest from its SA's highest seen) */
} sim_pkt;
#ifndef __cplusplus
_Static_assert(sizeof(sim_pkt) == 56, "sim_pkt stays 56 bytes (copied into every event)");
#endif

#ifdef __cplusplus
}
#endif
#endif
