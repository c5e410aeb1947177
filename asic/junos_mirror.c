/* Peer2 by mirroring Peer1 (`junos import --mirror`). The seed gives Peer2 only as "the same
 * configuration with change in IPSec gateway address, interface addresses etc": so the same
 * ports, anchor, PSK, proposals and VPN names; the gateway's address and local-address swap;
 * the WAN port takes the old gateway address (same prefix length); the LAN port takes the
 * first address of the prefix Peer1 routes into the tunnel, and the mirror routes Peer1's
 * LAN subnet into it. Each assumption is written to the notes. IPv4 LANs only. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junos_internal.h"

/* "A.B.C.D/N" -> network address + add (host order arithmetic), written "X/N" or bare. */
static bool v4_offset(const char *cidr, uint32_t add, bool with_len, char *out, size_t len) {
  char a[48];
  jn_addr_only(cidr, a, sizeof a);
  const char *sl = strchr(cidr, '/');
  int plen = sl ? atoi(sl + 1) : 32;
  struct in_addr in;
  if (inet_pton(AF_INET, a, &in) != 1 || plen < 0 || plen > 32) return false;
  uint32_t v = ntohl(in.s_addr), mask = plen ? ~0u << (32 - plen) : 0;
  in.s_addr = htonl((v & mask) + add);
  char t[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &in, t, sizeof t);
  if (with_len) snprintf(out, len, "%s/%d", t, plen);
  else snprintf(out, len, "%s", t);
  return true;
}

/* The Host on a LAN: the next address after the router's own (1.1.1.1 -> 1.1.1.2). */
bool jn_host_after(const char *cidr, char *out, size_t len) {
  char a[48];
  jn_addr_only(cidr, a, sizeof a);
  struct in_addr in;
  if (inet_pton(AF_INET, a, &in) != 1) return false;
  in.s_addr = htonl(ntohl(in.s_addr) + 1);
  return inet_ntop(AF_INET, &in, out, (socklen_t)len) != NULL;
}

junos_cfg *junos_mirror(const junos_cfg *c, const char *router, char *err, size_t elen) {
  junos_cfg *m = malloc(sizeof *m);
  if (!m) {
    snprintf(err, elen, "out of memory");
    return NULL;
  }
  *m = *c;
  m->notes = NULL;
  m->notes_len = 0;
  m->host_addr[0] = 0;
  snprintf(m->router, sizeof m->router, "%s", router);
  snprintf(m->path, sizeof m->path, "%.480s (mirrored)", c->path);
  char wbuf[24];
  const char *wan = jn_wan_port(c, &c->vpns[0], wbuf, sizeof wbuf);
  for (size_t i = 0; i < m->n_gws; i++) {
    jn_gw *g = &m->gws[i];
    char t[48];
    snprintf(t, sizeof t, "%s", g->address);
    snprintf(g->address, sizeof g->address, "%s", g->local);
    snprintf(g->local, sizeof g->local, "%s", t);
  }
  size_t r = 0;
  char lan_subnets[JN_MAX][64];
  size_t n_lan = 0;
  for (size_t i = 0; i < m->n_ifs; i++) {
    jn_iface *f = &m->ifs[i];
    if (strncmp(f->name, "et-", 3) || !f->inet[0]) continue;
    if (wan && !strcmp(f->name, wan)) {
      const jn_gw *g = jn_find_gw(c, c->vpns[0].gw);
      const char *sl = strchr(f->inet, '/');
      if (g && g->address[0]) snprintf(f->inet, sizeof f->inet, "%s%s", g->address, sl ? sl : "");
      continue;
    }
    if (!v4_offset(f->inet, 0, true, lan_subnets[n_lan], sizeof lan_subnets[0])) {
      snprintf(err, elen, "%s:%u: set interfaces %s: --mirror needs an IPv4 LAN address (mirroring assumes IPv4 LANs)", c->path, f->line, f->name);
      free(m);
      return NULL;
    }
    n_lan++;
    while (r < c->n_routes && strncmp(c->routes[r].nh, "st0.", 4)) r++;
    if (r == c->n_routes || !v4_offset(c->routes[r].prefix, 1, true, f->inet, sizeof f->inet)) {
      snprintf(err, elen, "%s:%u: set interfaces %s: --mirror needs one IPv4 route via st0.N per LAN port (its prefix becomes the peer's LAN)", c->path, f->line, f->name);
      free(m);
      return NULL;
    }
    if (!m->host_addr[0]) jn_host_after(f->inet, m->host_addr, sizeof m->host_addr);
    r++;
  }
  size_t k = 0;
  for (size_t i = 0; i < m->n_routes; i++)
    if (!strncmp(m->routes[i].nh, "st0.", 4) && k < n_lan) snprintf(m->routes[i].prefix, sizeof m->routes[i].prefix, "%s", lan_subnets[k++]);
  const jn_gw *g = m->n_gws ? &m->gws[0] : NULL;
  jn_note(m, "%s: %s mirrored from %s (assumed, the seed gives Peer2 only as \"the same configuration with change in IPSec gateway address, interface addresses\"): "
             "gateway address %s, local-address %s; same ports, anchor, proposals, VPN names and pre-shared key",
          c->path, router, c->router, g ? g->address : "-", g ? g->local : "-");
  for (size_t i = 0; i < m->n_ifs; i++)
    if (!strncmp(m->ifs[i].name, "et-", 3) && m->ifs[i].inet[0])
      jn_note(m, "%s: %s: %s address %s (mirrored)", c->path, router, m->ifs[i].name, m->ifs[i].inet);
  for (size_t i = 0; i < m->n_routes; i++)
    jn_note(m, "%s: %s: route %s via %s (Peer1's LAN, mirrored)", c->path, router, m->routes[i].prefix, m->routes[i].nh);
  if (m->host_addr[0]) jn_note(m, "%s: %s: Host2 is %s (the seed's traffic destination 2.2.2.2 when mirroring the seed)", c->path, router, m->host_addr);
  return m;
}
