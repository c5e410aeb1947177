/* After parsing: references resolved, IKEv1 by default refused, the platform inferred from
 * the ports named, and the seed's own inconsistencies named (never silently fixed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junos_internal.h"

void jn_addr_only(const char *cidr, char *out, size_t len) {
  snprintf(out, len, "%s", cidr);
  char *sl = strchr(out, '/');
  if (sl) *sl = 0;
}

const jn_gw *jn_find_gw(const junos_cfg *c, const char *name) {
  for (size_t i = 0; i < c->n_gws; i++)
    if (!strcmp(c->gws[i].name, name)) return &c->gws[i];
  return NULL;
}

const jn_prop *jn_vpn_prop(const junos_cfg *c, const jn_vpn *v) {
  for (size_t i = 0; i < c->n_ipol; i++)
    if (!strcmp(c->ipol[i].name, v->policy))
      for (size_t k = 0; k < c->n_props; k++)
        if (!strcmp(c->props[k].name, c->ipol[i].prop)) return &c->props[k];
  return NULL;
}

const jn_iface *jn_find_if(const junos_cfg *c, const char *name, unsigned unit) {
  for (size_t i = 0; i < c->n_ifs; i++)
    if (c->ifs[i].unit == unit && !strcmp(c->ifs[i].name, name)) return &c->ifs[i];
  return NULL;
}

const char *jn_anchor(const junos_cfg *c, const jn_vpn *v, char *buf, size_t len) {
  for (size_t i = 0; i < c->n_ssets; i++)
    if (!strcmp(c->ssets[i].vpn, v->name) && c->ssets[i].inside[0]) {
      snprintf(buf, len, "%s", c->ssets[i].inside);
      char *dot = strchr(buf, '.');
      if (dot) *dot = 0;
      return buf;
    }
  return NULL;
}

const char *jn_wan_port(const junos_cfg *c, const jn_vpn *v, char *buf, size_t len) {
  const jn_gw *g = jn_find_gw(c, v->gw);
  if (!g || !g->ext_if[0]) return NULL;
  snprintf(buf, len, "%s", g->ext_if);
  char *dot = strchr(buf, '.');
  if (dot) *dot = 0;
  return buf;
}

static bool fail_at(const junos_cfg *c, unsigned line, const char *stmt, char *err, size_t elen, const char *why) {
  snprintf(err, elen, "%s:%u: %s: %s", c->path, line, stmt, why);
  return false;
}

/* PIC of et-F/P/N or si-F/P/N; -1 when the name is not one. */
static int pic_of(const char *name, int *port) {
  unsigned f, p, n;
  char tail;
  if ((strncmp(name, "et-", 3) && strncmp(name, "si-", 3)) || sscanf(name + 3, "%u/%u/%u%c", &f, &p, &n, &tail) != 3 || f)
    return -1;
  if (port) *port = (int)n;
  return (int)p;
}

static bool infer_platform(junos_cfg *c, char *err, size_t elen) {
  char seen[3][24] = {"", "", ""};
  unsigned max_pic = 0;
  for (size_t i = 0; i < c->n_ifs; i++) {
    int port = 0, pic = pic_of(c->ifs[i].name, &port);
    if (!strcmp(c->ifs[i].name, "st0")) continue;
    if (pic < 0 || pic > 2 || port > 15) {
      char stmt[96];
      snprintf(stmt, sizeof stmt, "set interfaces %s", c->ifs[i].name);
      return fail_at(c, c->ifs[i].line, stmt, err, elen,
                     "not a port of the MX304 (inline IPsec supports the MX304's et-0/P/N, PIC 0..2, N 0..15, in 24.2R1)");
    }
    if (!seen[pic][0]) snprintf(seen[pic], sizeof seen[pic], "%s", c->ifs[i].name);
    if ((unsigned)pic > max_pic) max_pic = (unsigned)pic;
  }
  c->lmics = max_pic + 1;
  char list[160] = "";
  for (unsigned p = 0; p <= max_pic; p++) {
    size_t k = strlen(list);
    snprintf(list + k, sizeof list - k, "%sPIC %u (%s)", p ? ", " : "", p, seen[p][0] ? seen[p] : "no port named");
  }
  jn_note(c, "%s: platform inferred: MX304 with %u LMIC%s (PIC = LMIC): %s; release 24.2R1 (the seed's minimum: SAs on PFE 0)",
          c->path, c->lmics, c->lmics > 1 ? "s" : "", list);
  return true;
}

static bool check_vpn(junos_cfg *c, const jn_vpn *v, char *err, size_t elen) {
  char stmt[160];
  snprintf(stmt, sizeof stmt, "set security ipsec vpn %s", v->name);
  if (strncmp(v->bind, "st0.", 4)) return fail_at(c, v->line, stmt, err, elen, "no bind-interface st0.N (inline IPsec supports route-based VPNs bound to st0 units)");
  char abuf[24], wbuf[24];
  const char *anchor = jn_anchor(c, v, abuf, sizeof abuf);
  if (!anchor) return fail_at(c, v->line, stmt, err, elen, "no services service-set with this ipsec-vpn and an inside-service-interface (inline IPsec supports VPNs anchored on an si- interface)");
  int pic = pic_of(anchor, NULL);
  if (pic < 0 || !(c->inline_pics & (1u << pic))) {
    snprintf(stmt, sizeof stmt, "set services service-set ... inside-service-interface %s", anchor);
    return fail_at(c, v->line, stmt, err, elen, "its PIC has no `chassis fpc 0 pic N inline-services` (inline IPsec supports si- interfaces on PICs with inline services)");
  }
  if (v->manual_spi) {
    if (!v->manual_gw[0] || !v->manual_key[0]) return fail_at(c, v->line, stmt, err, elen, "manual SA without gateway or encryption key hexadecimal (inline IPsec supports manual SAs with spi, gateway, encryption algorithm and key)");
    return true;
  }
  const jn_gw *g = jn_find_gw(c, v->gw);
  if (!g) return fail_at(c, v->line, stmt, err, elen, "no ike gateway (or an undefined one) (inline IPsec supports IKEv2 gateways and manual SAs)");
  snprintf(stmt, sizeof stmt, "set security ike gateway %s", g->name);
  if (g->version != 2)
    return fail_at(c, g->line, stmt, err, elen, "no `version v2-only`: Junos defaults to version v1-only (IKEv1) under [edit security ike gateway], which is not supported (inline IPsec supports IKE version v2-only)");
  if (!g->address[0]) return fail_at(c, g->line, stmt, err, elen, "no address (inline IPsec supports a gateway with one peer address)");
  const jn_ike_policy *p = NULL;
  for (size_t i = 0; i < c->n_ikep; i++)
    if (!strcmp(c->ikep[i].name, g->policy)) p = &c->ikep[i];
  if (!p || !p->has_psk) return fail_at(c, g->line, stmt, err, elen, "its ike-policy has no pre-shared-key (the importer derives SA keys from pre-shared keys only)");
  if (p->mode[0])
    jn_note(c, "%s:%u: ike policy %s sets `mode %s`, an IKEv1 phase-1 setting, under the IKEv2-only gateway %s (the seed does the same): it has no effect and is ignored",
            c->path, p->mode_line, p->name, p->mode, g->name);
  const jn_prop *pr = jn_vpn_prop(c, v);
  snprintf(stmt, sizeof stmt, "set security ipsec vpn %s ike ipsec-policy %s", v->name, v->policy);
  if (!pr || !pr->alg[0]) return fail_at(c, v->line, stmt, err, elen, "no IPsec policy with a proposal that sets encryption-algorithm (inline IPsec supports aes-128-gcm and aes-256-gcm)");
  if (!g->local[0]) {
    const char *wan = jn_wan_port(c, v, wbuf, sizeof wbuf);
    const jn_iface *f = wan ? jn_find_if(c, wan, 0) : NULL;
    if (!f || !f->inet[0]) return fail_at(c, g->line, stmt, err, elen, "no local-address and no address on its external-interface (inline IPsec supports a local gateway address)");
    jn_gw *gm = &c->gws[g - c->gws];
    jn_addr_only(f->inet, gm->local, sizeof gm->local);
    jn_note(c, "%s:%u: gateway %s has no local-address: %s of %s taken", c->path, g->line, g->name, gm->local, wan);
  }
  if (!strcmp(g->address, "16.1.1.1") && !strcmp(g->local, "16.1.1.2"))
    jn_note(c, "%s:%u: the seed's Table 5 gives gateway address 16.1.1.2, its configuration sets address 16.1.1.1 and local-address 16.1.1.2: imported as configured (remote 16.1.1.1, local 16.1.1.2)",
            c->path, g->line);
  if (v->no_replay) jn_note(c, "%s:%u: vpn %s: `ike no-anti-replay` is not modelled: the replay window stays %u", c->path, v->line, v->name, v->replay ? v->replay : 64);
  const jn_iface *st = jn_find_if(c, "st0", (unsigned)atoi(v->bind + 4));
  if (!st) jn_note(c, "%s: %s has no `interfaces st0 unit %s`: the tunnel is bound as configured", c->path, v->bind, v->bind + 4);
  else if (st->fam_inet && !st->fam_inet6)
    jn_note(c, "%s:%u: %s has family inet only (the seed's step-by-step procedure also sets family inet6, its quick configuration does not): imported as configured", c->path,
            st->line, v->bind);
  return true;
}

bool jn_check(junos_cfg *c, char *err, size_t elen) {
  if (!c->n_vpns) {
    snprintf(err, elen, "%s: no `security ipsec vpn` (inline IPsec supports route-based VPNs: nothing to import)", c->path);
    return false;
  }
  for (size_t i = 0; i < c->n_vpns; i++)
    if (!check_vpn(c, &c->vpns[i], err, elen)) return false;
  for (size_t i = 0; i < c->n_ifs; i++)
    if (!strncmp(c->ifs[i].name, "et-", 3) && c->ifs[i].inet[0] && c->ifs[i].inet6[0])
      jn_note(c, "%s:%u: %s has an inet and an inet6 address: the scenario gives a port one address, %s is kept (the inet6 address %s is not modelled)",
              c->path, c->ifs[i].line, c->ifs[i].name, c->ifs[i].inet, c->ifs[i].inet6);
  char wbuf[24];
  const char *wan = jn_wan_port(c, &c->vpns[0], wbuf, sizeof wbuf);
  for (size_t i = 0; i < c->n_ifs && !c->host_addr[0]; i++) {
    const jn_iface *f = &c->ifs[i];
    const char *lan = f->inet[0] ? f->inet : f->inet6; /* the port's modelled address */
    if (strncmp(f->name, "et-", 3) || !lan[0] || (wan && !strcmp(f->name, wan))) continue;
    if (!jn_host_after(lan, c->host_addr, sizeof c->host_addr)) continue;
    char own[64];
    jn_addr_only(lan, own, sizeof own);
    jn_note(c, "%s:%u: the Host on %s is given %s, the address after the router's own %s (assumed)%s; the router's Host stream sends from it (src:) and the peer's Host stream to it",
            c->path, f->line, f->name, c->host_addr, own,
            strcmp(own, "1.1.1.1") ? "" : " because the seed's test traffic source 1.1.1.1 is Peer1's own et-0/1/8 address");
  }
  return infer_platform(c, err, elen);
}

junos_cfg *junos_load(const char *path, const char *router, char *err, size_t elen) {
  jn_stmts st = {0};
  if (!jn_lex(path, &st, err, elen)) return NULL;
  junos_cfg *c = calloc(1, sizeof *c);
  if (!c) {
    jn_stmts_free(&st);
    snprintf(err, elen, "%s: out of memory", path);
    return NULL;
  }
  snprintf(c->path, sizeof c->path, "%s", path);
  snprintf(c->router, sizeof c->router, "%s", router);
  bool ok = jn_interpret(c, &st, err, elen) && jn_check(c, err, elen);
  jn_stmts_free(&st);
  if (!ok) {
    junos_free(c);
    return NULL;
  }
  return c;
}

void junos_free(junos_cfg *c) {
  if (!c) return;
  free(c->notes);
  memset(c, 0, sizeof *c); /* the pre-shared key and manual keys */
  free(c);
}

void junos_print_notes(const junos_cfg *c, FILE *fp) {
  if (c->notes) fputs(c->notes, fp);
}
