/* Longest-prefix-match route table; see route.h. */
#include "route.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void route_init(route_table *t) { memset(t, 0, sizeof *t); }
void route_free(route_table *t) {
  free(t->e);
  memset(t, 0, sizeof *t);
}

bool route_parse_prefix(const char *text, uint8_t *family, uint8_t addr[16], uint8_t *len) {
  char buf[64];
  size_t l = strlen(text);
  if (l >= sizeof buf) return false;
  memcpy(buf, text, l + 1);
  char *slash = strchr(buf, '/');
  long plen = -1;
  if (slash) {
    *slash = 0;
    char *end;
    plen = strtol(slash + 1, &end, 10);
    if (*end || end == slash + 1) return false;
  }
  memset(addr, 0, 16);
  if (inet_pton(AF_INET, buf, addr) == 1) {
    *family = 4;
    if (plen < 0) plen = 32;
    if (plen > 32) return false;
  } else if (inet_pton(AF_INET6, buf, addr) == 1) {
    *family = 6;
    if (plen < 0) plen = 128;
    if (plen > 128) return false;
  } else {
    return false;
  }
  *len = (uint8_t)plen;
  return true;
}

static bool prefix_match(const uint8_t *a, const uint8_t *p, unsigned len) {
  unsigned full = len / 8, rem = len % 8;
  if (memcmp(a, p, full)) return false;
  if (!rem) return true;
  uint8_t mask = (uint8_t)(0xFF << (8 - rem));
  return (a[full] & mask) == (p[full] & mask);
}

bool route_add(route_table *t, uint8_t family, const uint8_t addr[16], uint8_t len, int32_t nexthop) {
  if (t->n == t->cap) {
    size_t nc = t->cap ? 2 * t->cap : 16;
    route_entry *ne = realloc(t->e, nc * sizeof *ne);
    if (!ne) return false;
    t->e = ne;
    t->cap = nc;
  }
  size_t i = t->n++;
  while (i > 0 && t->e[i - 1].len < len) { /* keep longest first; stable for equal lengths */
    t->e[i] = t->e[i - 1];
    i--;
  }
  route_entry *e = &t->e[i];
  e->family = family;
  e->len = len;
  memcpy(e->addr, addr, 16);
  e->nexthop = nexthop;
  return true;
}

int32_t route_lookup(const route_table *t, uint8_t family, const uint8_t addr[16]) {
  for (size_t i = 0; i < t->n; i++)
    if (t->e[i].family == family && prefix_match(addr, t->e[i].addr, t->e[i].len))
      return t->e[i].nexthop;
  return -1;
}
