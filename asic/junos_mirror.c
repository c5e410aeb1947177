/* Peer2 by mirroring Peer1 (`junos import --mirror`). The seed gives Peer2 only as "the same
 * configuration with change in IPSec gateway address, interface addresses etc": so the same
 * ports, anchor, PSK, proposals and VPN names; the gateway's address and local-address swap;
 * the WAN port takes the old gateway address (same prefix length); the LAN port takes the
 * first address of the prefix Peer1 routes into the tunnel, and the mirror routes Peer1's
 * LAN subnet into it (IPv4 or IPv6, per LAN port: the route of its family). Each assumption is
 * written to the notes. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junos_internal.h"

/* "ADDR/N" (IPv4 or IPv6): its network address (network) or the address itself, plus add
 * (carried across bytes), written "X/N" (with_len) or bare. */
static bool addr_add(const char *cidr, bool network, uint32_t add, bool with_len, char *out, size_t len) {
  char a[64];
  jn_addr_only(cidr, a, sizeof a);
  bool v6 = strchr(a, ':') != NULL;
  int bits = v6 ? 128 : 32, n = bits / 8;
  const char *sl = strchr(cidr, '/');
  int plen = sl ? atoi(sl + 1) : bits;
  unsigned char b[16];
  if (inet_pton(v6 ? AF_INET6 : AF_INET, a, b) != 1 || plen < 0 || plen > bits) return false;
  if (network)
    for (int i = 0; i < n; i++) {
      int keep = plen - 8 * i; /* bits of byte i inside the prefix */
      b[i] &= keep >= 8 ? 0xff : keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
    }
  for (int i = n - 1; i >= 0 && add; i--) {
    uint32_t v = b[i] + (add & 0xff);
    b[i] = (unsigned char)v;
    add = (add >> 8) + (v >> 8);
  }
  char t[INET6_ADDRSTRLEN];
  if (!inet_ntop(v6 ? AF_INET6 : AF_INET, b, t, sizeof t)) return false;
  if (with_len) snprintf(out, len, "%s/%d", t, plen);
  else snprintf(out, len, "%s", t);
  return true;
}

static bool is_v6(const char *a) { return strchr(a, ':') != NULL; }

/* The Host on a LAN: the next address after the router's own (1.1.1.1 -> 1.1.1.2). */
bool jn_host_after(const char *cidr, char *out, size_t len) { return addr_add(cidr, false, 1, false, out, len); }

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
  char lan_subnets[JN_MAX][64];
  size_t lan_route[JN_MAX], n_lan = 0;
  bool used[JN_MAX] = {false};
  const jn_gw *g0 = jn_find_gw(c, c->vpns[0].gw);
  for (size_t i = 0; i < m->n_ifs; i++) {
    jn_iface *f = &m->ifs[i];
    if (strncmp(f->name, "et-", 3) || (!f->inet[0] && !f->inet6[0])) continue;
    if (wan && !strcmp(f->name, wan)) { /* the WAN takes the old gateway address, in its family */
      char *fam[2] = {f->inet, f->inet6};
      size_t cap[2] = {sizeof f->inet, sizeof f->inet6};
      for (int k = 0; k < 2; k++) {
        if (!fam[k][0] || !g0 || !g0->address[0] || is_v6(g0->address) != (k == 1)) continue;
        char t[64];
        const char *sl = strchr(fam[k], '/');
        snprintf(t, sizeof t, "%s%s", g0->address, sl ? sl : "");
        snprintf(fam[k], cap[k], "%s", t);
      }
      continue;
    }
    char *lan = f->inet[0] ? f->inet : f->inet6; /* the port's modelled address (junos_emit) */
    size_t cap = f->inet[0] ? sizeof f->inet : sizeof f->inet6;
    size_t r = 0;
    while (r < c->n_routes && (used[r] || strncmp(c->routes[r].nh, "st0.", 4) || is_v6(c->routes[r].prefix) != is_v6(lan))) r++;
    if (n_lan == JN_MAX || !addr_add(lan, true, 0, true, lan_subnets[n_lan], sizeof lan_subnets[0]) || r == c->n_routes ||
        !addr_add(c->routes[r].prefix, true, 1, true, lan, cap)) {
      snprintf(err, elen, "%s:%u: set interfaces %s: --mirror needs one route via st0.N of the LAN's family per LAN port (its prefix becomes the peer's LAN)",
               c->path, f->line, f->name);
      free(m);
      return NULL;
    }
    used[r] = true;
    lan_route[n_lan++] = r;
    if (!m->host_addr[0]) jn_host_after(lan, m->host_addr, sizeof m->host_addr);
  }
  for (size_t k = 0; k < n_lan; k++) /* both 64 bytes, NUL-terminated by addr_add */
    memcpy(m->routes[lan_route[k]].prefix, lan_subnets[k], sizeof lan_subnets[k]);
  const jn_gw *g = m->n_gws ? &m->gws[0] : NULL;
  jn_note(m, "%s: %s mirrored from %s (assumed, the seed gives Peer2 only as \"the same configuration with change in IPSec gateway address, interface addresses\"): "
             "gateway address %s, local-address %s; same ports, anchor, proposals, VPN names and pre-shared key",
          c->path, router, c->router, g ? g->address : "-", g ? g->local : "-");
  for (size_t i = 0; i < m->n_ifs; i++)
    if (!strncmp(m->ifs[i].name, "et-", 3) && (m->ifs[i].inet[0] || m->ifs[i].inet6[0]))
      jn_note(m, "%s: %s: %s address %s (mirrored)", c->path, router, m->ifs[i].name,
              m->ifs[i].inet[0] ? m->ifs[i].inet : m->ifs[i].inet6);
  for (size_t i = 0; i < m->n_routes; i++)
    jn_note(m, "%s: %s: route %s via %s (Peer1's LAN, mirrored)", c->path, router, m->routes[i].prefix, m->routes[i].nh);
  if (m->host_addr[0]) jn_note(m, "%s: %s: Host2 is %s (the seed's traffic destination 2.2.2.2 when mirroring the seed)", c->path, router, m->host_addr);
  return m;
}
