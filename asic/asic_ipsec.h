/* IPsec tunnels of the world (issue 11): what the scenario's `ipsec: tunnels:` (or, later, a
 * Junos configuration) declares, after expansion (count), key/SPI derivation, peer matching,
 * admission and the release / si -> slice checks. The loader (scenario_ipsec.c) fills
 * asic_tunnel entries and adds them with asic_ipsec_add_tunnel; the composer (asic_ipsec.c)
 * turns them at asic_world_start into SAs on the anchor slices' engines, the SPI demux of
 * each router, route keys of the gateways, and the engines themselves.
 *
 * Routing contract:
 *   - a route `via: st0.N` (or a tunnel's `prefix:`) has next hop SLICE_NH_TUNNEL(t), t the
 *     tunnel whose `bind` is st0.N on that router: the packet is encrypted on tunnel t's
 *     outbound SA by the engine of t's anchor slice (fabric crossing when elsewhere), then
 *     routed anew on the remote gateway address (second lookup);
 *   - a tunnel's local gateway address resolves to SLICE_NH_LOCAL on its router (the loader
 *     adds a host route /32 or /128 with that next hop once per local gateway): arriving ESP
 *     (pkt.spi) goes to the anchor engine of the inbound SA with that SPI and local address,
 *     then is routed on its inner destination (pkt.inner_key); an unknown SPI is dropped;
 *   - a stream with `esp_of: T` sends the ESP packets the remote peer of tunnel T would send
 *     for the stream's inner frames (frame sizes and dst describe the inner traffic; `rate` is
 *     the L1 rate of the ESP frames the source puts on the wire).
 * Keys live in the sa_config entries only; nothing here is ever printed. */
#ifndef IPSECSIM_ASIC_IPSEC_H
#define IPSECSIM_ASIC_IPSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asic_params.h"
#include "ipsec_engine/sa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ASIC_NONE UINT32_MAX
#define ASIC_MAX_TUNNELS 2000u /* per chassis (router): the seed's admission limit */

typedef enum asic_key_source { ASIC_KEY_AUTO, ASIC_KEY_HEX, ASIC_KEY_FILE } asic_key_source;

typedef struct asic_tunnel {
  char name[SA_NAME_MAX];  /* as expanded: vpn1, or vpn1-0, vpn1-1 ... with count */
  char anchor[32];         /* si-FPC/PIC/PORT as written (expanded) */
  char bind[32];           /* st0.N */
  uint32_t router;         /* router index */
  uint32_t slice;          /* anchor slice: global slice index (si -> slice map) */
  sa_config out, in;       /* outbound (encrypt) and inbound (decrypt) SA: SPIs, addresses,
                              algorithm, keys (secret), every per-SA field */
  asic_key_source key_source;
  char key_file[256];      /* ASIC_KEY_FILE: the keys file path as written (not a secret) */
  uint32_t peer;           /* the other end in this scenario (local/remote swapped), ASIC_NONE */
  char where[256];         /* "FILE:LINE:COL" of its entry (errors found later) */
  /* Where spi_out, spi_in and key were written ("FILE:LINE:COL"), "" = auto (derived from
   * the seed and the ordered gateway pair, or taken from a peer that states the value). */
  char given_at[3][96];
  bool installed_later;    /* `installed: false`: its SAs come with an `events:` install */
  char ipsec_policy[64];   /* Junos labels the `show` views print ("" = not given): the */
  char ike_gateway[64];    /* vpn's ipsec-policy and ike gateway names; no effect on the model */
} asic_tunnel;
enum { ASIC_GIVEN_SPI_OUT, ASIC_GIVEN_SPI_IN, ASIC_GIVEN_KEY };

struct sim_world;
/* Adds a tunnel (before asic_world_start); its index is w->n_tunnels - 1. false with a
 * one-line reason (no position: the caller adds it) when out of memory or over
 * ASIC_MAX_TUNNELS on its router. */
bool asic_ipsec_add_tunnel(struct sim_world *w, const asic_tunnel *t, char *why, size_t why_len);
/* The tunnel bound to `bind` (st0.N) on router r, ASIC_NONE when none. */
uint32_t asic_ipsec_find_bind(const struct sim_world *w, uint32_t router, const char *bind);
/* The tunnel named `name` (expanded name, or the base name of a count: 1 tunnel), ASIC_NONE. */
uint32_t asic_ipsec_find_name(const struct sim_world *w, uint32_t router, const char *name);
/* The si -> slice map (ASSUMED: not published): si-FPC/PIC/PORT anchors on ASIC
 * (first ASIC of PIC) + PORT / 4, slice (PORT mod 4) / 2, FPC 0. MX304 and LC4800 have one
 * ASIC per PIC (PIC = LMIC = ASIC, ports 0..3: /0 /1 on slice 0, /2 /3 on slice 1); the
 * LC9600 has three per PIC (ports 0..11). The release matrix: 24.2R1 hosts SAs on MX304 only
 * and there on slice 0 (PFE 0) only; 24.4R1 on every slice of MX304, LC4800 and LC9600.
 * Fills the router-local ASIC and slice (0/1); false with a one-line reason naming the rule. */
bool asic_ipsec_anchor(const asic_platform *pl, const char *anchor, uint32_t *asic, uint32_t *slice, char *why,
                       size_t why_len);
/* Prints the si map and the release rules of a platform (`ipsecsim params --map`). */
void asic_ipsec_print_si_map(const asic_platform *pl, void *fp /* FILE* */);

/* Frees the tunnel table and the run-time IPsec state (engines, SPI tables). */
void asic_ipsec_free(struct sim_world *w);

#ifdef __cplusplus
}
#endif
#endif
