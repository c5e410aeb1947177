/* Route table with longest-prefix match (IPv4 and IPv6). Routes are few in a scenario, so
 * entries are kept sorted by prefix length (longest first) and matched linearly; the
 * model resolves each flow's destination once per address (see asic_sim.c), while the
 * lookup's time cost is the thread-pool occupancy in lookup.h. */
#ifndef IPSECSIM_ROUTE_H
#define IPSECSIM_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct route_entry {
  uint8_t family; /* 4 or 6 */
  uint8_t len;    /* prefix length in bits */
  uint8_t addr[16];
  int32_t nexthop; /* caller-defined: egress port index */
} route_entry;

typedef struct route_table {
  route_entry *e;
  size_t n, cap;
} route_table;

void route_init(route_table *t);
void route_free(route_table *t);
/* Parse "10.0.0.0/8" or "2001:db8::/32" (an address without /len is a host route). */
bool route_parse_prefix(const char *text, uint8_t *family, uint8_t addr[16], uint8_t *len);
bool route_add(route_table *t, uint8_t family, const uint8_t addr[16], uint8_t len, int32_t nexthop);
/* Longest-prefix match; returns the next hop or -1. */
int32_t route_lookup(const route_table *t, uint8_t family, const uint8_t addr[16]);

#ifdef __cplusplus
}
#endif
#endif
