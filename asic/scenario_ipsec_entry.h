/* Internal to asic/scenario_ipsec*.c: one `ipsec: tunnels:` entry while it is loaded
 * (scenario_ipsec.c parses it, scenario_ipsec_expand.c expands `count:` into tunnels). */
#ifndef IPSECSIM_SCENARIO_IPSEC_ENTRY_H
#define IPSECSIM_SCENARIO_IPSEC_ENTRY_H

#include "scenario_ipsec.h"

typedef struct tun_entry {
  const cfg_node *e;
  const char *base;      /* "ipsec.tunnels[]" or "routers[].ipsec.tunnels[]" */
  asic_world *w;
  uint32_t r;
  uint64_t seed;
  const char *name, *anchor;
  uint32_t asic, slice, bind_unit;
  sa_addr local, remote;
  uint64_t spi[2];       /* out, in; 0 = auto */
  bool has_prefix;
  uint8_t pfam, paddr[16], plen;
  uint64_t count;
  bool counted;
  asic_key_source key_source;
  const cfg_node *key_node[2]; /* HEX: out, in (the same node for a scalar) */
  cfg_doc *keys_doc;           /* FILE */
  char key_file[256];
  bool installed_later;        /* installed: false */
  const char *label[2];        /* ipsec_policy, ike_gateway ("" = not given) */
} tun_entry;

/* "BASE.KEY" (BASE alone for an empty key) into buf. */
const char *scenario_ipsec_field(const tun_entry *t, const char *key, char *buf, size_t n);
/* The error at the entry's `key` value (the entry itself when key is NULL or absent). */
bool scenario_ipsec_fail_at(const tun_entry *t, const char *key, cfg_err *err, const char *msg);
/* A key the tunnel entry states itself (not a per-SA field of the SA table). */
bool scenario_ipsec_own_key(const char *key);
/* Tunnel i of the entry: name, bind, gateways, SPIs, prefix stepped by i; its two SAs through
 * the SA file loader; admitted with asic_ipsec_add_tunnel; prefix and local host routes. */
bool scenario_ipsec_expand(tun_entry *t, uint64_t i, cfg_err *err);

#endif
