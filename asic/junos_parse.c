/* Statements -> junos_cfg. Every statement is modelled, refused (one line, the seed's list of
 * what inline IPsec does not support) or collected as ignored (reported once with its line
 * numbers). Hierarchies: chassis, services service-set, security ike|ipsec, interfaces,
 * routing-options static. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junos_internal.h"

#define W(i) ((i) < s->n ? s->w[i] : "")

void jn_note(junos_cfg *c, const char *fmt, ...) {
  char line[768];
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (k < 0) return;
  size_t add = strlen(line) + 1;
  char *n = realloc(c->notes, c->notes_len + add + 1);
  if (!n) return;
  c->notes = n;
  memcpy(c->notes + c->notes_len, line, add - 1);
  c->notes[c->notes_len + add - 1] = '\n';
  c->notes_len += add;
  c->notes[c->notes_len] = 0;
}

static bool refuse(const junos_cfg *c, const jn_stmt *s, char *err, size_t elen, const char *why) {
  char text[512];
  jn_stmt_text(s, text, sizeof text);
  snprintf(err, elen, "%s:%u: %s: %s", c->path, s->line, text, why);
  return false;
}

typedef struct ignored {
  char key[80][48];
  char lines[80][200];
  size_t n;
} ignored;

static void ignore(ignored *ig, const jn_stmt *s, int words) {
  char key[48] = "";
  for (int i = 0; i < words && i < s->n; i++) {
    size_t k = strlen(key);
    snprintf(key + k, sizeof key - k, "%s%s", i ? " " : "", s->w[i]);
  }
  size_t i = 0;
  while (i < ig->n && strcmp(ig->key[i], key)) i++;
  if (i == ig->n) {
    if (ig->n == 80) i = 79; /* the last group collects the rest */
    else snprintf(ig->key[ig->n++], sizeof ig->key[0], "%s", key);
    ig->lines[i][0] = 0;
  }
  size_t k = strlen(ig->lines[i]);
  if (k + 12 < sizeof ig->lines[0]) snprintf(ig->lines[i] + k, sizeof ig->lines[0] - k, "%s%u", k ? ", " : "", s->line);
}

/* The entry called nm of an array of structs whose first member is char name[JN_NAME]; a new
 * one is added when absent (NULL when the array is full). */
static void *find_named(void *arr, size_t *n, size_t stride, const char *nm) {
  char *base = arr;
  for (size_t i = 0; i < *n; i++)
    if (!strcmp(base + i * stride, nm)) return base + i * stride;
  if (*n == JN_MAX) return NULL;
  snprintf(base + *n * stride, JN_NAME, "%s", nm);
  return base + (*n)++ * stride;
}
#define FIND(arr, n, nm) find_named((arr), &(n), sizeof (arr)[0], (nm))

static bool num(const char *t, uint64_t *v) {
  char *e;
  if (!*t) return false;
  *v = strtoull(t, &e, 0);
  return !*e;
}

static const char gcm_only[] = "(inline IPsec supports aes-128-gcm and aes-256-gcm only)";

static bool ipsec_stmt(junos_cfg *c, const jn_stmt *s, ignored *ig, char *err, size_t elen) {
  const char *kind = W(2), *name = W(3), *k = W(4), *v = W(5);
  uint64_t n;
  if (!strcmp(kind, "proposal")) {
    jn_prop *p = FIND(c->props, c->n_props, name);
    if (!p) return refuse(c, s, err, elen, "too many proposals (allowed: 64)");
    if (!p->line) p->line = s->line;
    if (!strcmp(k, "protocol")) {
      if (!strcmp(v, "esp")) return true;
      return refuse(c, s, err, elen, "Authentication Header (AH) is not supported (inline IPsec supports protocol esp only)");
    }
    if (!strcmp(k, "encryption-algorithm")) {
      if (!strcmp(v, "aes-128-gcm") || !strcmp(v, "aes-256-gcm")) {
        snprintf(p->alg, sizeof p->alg, "%s", v);
        return true;
      }
      if (strstr(v, "null") || strstr(v, "gmac"))
        return refuse(c, s, err, elen, "NULL encryption (RFC 4543) is not supported (inline IPsec supports aes-128-gcm and aes-256-gcm only)");
      char why[160];
      snprintf(why, sizeof why, "%s is not supported %s", v, gcm_only);
      return refuse(c, s, err, elen, why);
    }
    if (!strcmp(k, "authentication-algorithm"))
      return refuse(c, s, err, elen, "a separate authentication algorithm is not supported: AES-GCM authenticates (inline IPsec supports aes-128-gcm and aes-256-gcm only)");
    if (!strcmp(k, "lifetime-seconds") && num(v, &n) && n) { p->life_s = n; return true; }
    if (!strcmp(k, "lifetime-kilobytes") && num(v, &n) && n) { p->life_kb = n; return true; }
    if (!strcmp(k, "extended-sequence-number")) { p->esn = strcmp(v, "disable") && strcmp(v, "disabled"); return true; }
    if (!strcmp(k, "description")) return true;
    if (!strcmp(k, "lifetime-seconds") || !strcmp(k, "lifetime-kilobytes"))
      return refuse(c, s, err, elen, "not a positive number (inline IPsec supports lifetimes in seconds and kilobytes)");
  } else if (!strcmp(kind, "policy")) {
    jn_ipol *pol = FIND(c->ipol, c->n_ipol, name);
    if (!pol) return refuse(c, s, err, elen, "too many policies (allowed: 64)");
    if (!strcmp(k, "proposals")) {
      snprintf(pol->prop, sizeof pol->prop, "%s", v);
      if (s->n > 6) jn_note(c, "%s:%u: IPsec policy %s lists %d proposals: the first (%s) is the one negotiated (modelled)", c->path, s->line, name, s->n - 5, v);
      return true;
    }
    if (!strcmp(k, "description")) return true;
    if (!strcmp(k, "perfect-forward-secrecy")) { ignore(ig, s, 5); return true; }
  } else if (!strcmp(kind, "vpn")) {
    jn_vpn *p = FIND(c->vpns, c->n_vpns, name);
    if (!p) return refuse(c, s, err, elen, "too many VPNs (allowed: 64)");
    if (!p->line) p->line = s->line;
    if (!strcmp(k, "bind-interface")) { snprintf(p->bind, sizeof p->bind, "%s", v); return true; }
    if (!strcmp(k, "copy-outer-dscp")) { p->copy_dscp = true; return true; }
    if (!strcmp(k, "establish-tunnels")) { snprintf(p->establish, sizeof p->establish, "%s", v); return true; }
    if (!strcmp(k, "df-bit") && (!strcmp(v, "clear") || !strcmp(v, "set") || !strcmp(v, "copy"))) {
      snprintf(p->df, sizeof p->df, "%s", v);
      return true;
    }
    if (!strcmp(k, "anti-replay-window-size") && num(v, &n)) { p->replay = (unsigned)n; return true; }
    if (!strcmp(k, "tunnel-mtu") && num(v, &n)) { p->mtu = (unsigned)n; return true; }
    if (!strcmp(k, "extended-sequence-number")) { p->esn = true; return true; }
    if (!strcmp(k, "ike")) {
      if (!strcmp(v, "gateway")) { snprintf(p->gw, sizeof p->gw, "%s", W(6)); return true; }
      if (!strcmp(v, "ipsec-policy")) { snprintf(p->policy, sizeof p->policy, "%s", W(6)); return true; }
      if (!strcmp(v, "no-anti-replay")) { p->no_replay = true; return true; }
    }
    if (!strcmp(k, "manual")) {
      if (!strcmp(v, "spi") && num(W(6), &n)) { p->manual_spi = (uint32_t)n; return true; }
      if (!strcmp(v, "gateway")) { snprintf(p->manual_gw, sizeof p->manual_gw, "%s", W(6)); return true; }
      if (!strcmp(v, "protocol")) {
        if (!strcmp(W(6), "esp")) return true;
        return refuse(c, s, err, elen, "Authentication Header (AH) is not supported (inline IPsec supports protocol esp only)");
      }
      if (!strcmp(v, "encryption") && !strcmp(W(6), "algorithm")) {
        if (strcmp(W(7), "aes-128-gcm") && strcmp(W(7), "aes-256-gcm")) return refuse(c, s, err, elen, "not supported (inline IPsec supports aes-128-gcm and aes-256-gcm only)");
        snprintf(p->manual_alg, sizeof p->manual_alg, "%s", W(7));
        return true;
      }
      if (!strcmp(v, "encryption") && !strcmp(W(6), "key") && !strcmp(W(7), "hexadecimal")) {
        snprintf(p->manual_key, sizeof p->manual_key, "%s", W(8));
        return true;
      }
      if (!strcmp(v, "authentication")) return refuse(c, s, err, elen, "a separate authentication algorithm is not supported: AES-GCM authenticates (inline IPsec supports aes-128-gcm and aes-256-gcm only)");
      if (!strcmp(v, "external-interface")) return true;
    }
  }
  for (int i = 2; i < s->n; i++)
    if (!strcmp(s->w[i], "mode") && !strcmp(W(i + 1), "transport"))
      return refuse(c, s, err, elen, "transport mode is not supported (inline IPsec supports ESP tunnel mode only)");
  if (!strcmp(kind, "proposal") || !strcmp(kind, "policy") || !strcmp(kind, "vpn")) ignore(ig, s, 5);
  else ignore(ig, s, 3);
  return true;
}

static bool ike_stmt(junos_cfg *c, const jn_stmt *s, ignored *ig, char *err, size_t elen) {
  const char *kind = W(2), *name = W(3), *k = W(4), *v = W(5);
  uint64_t n;
  if (!strcmp(kind, "packet-encapsulation") && !strcmp(W(3), "dest-port") && num(W(4), &n)) {
    if (n == 500 || n == 4500 || n < 1025 || n > 65535)
      return refuse(c, s, err, elen, "ports 500 and 4500 are bound to IPsec (inline IPsec supports a dest-port of 1025..65535 except 4500)");
    c->dest_port = (unsigned)n;
    return true;
  }
  if (!strcmp(kind, "gateway")) {
    jn_gw *g = FIND(c->gws, c->n_gws, name);
    if (!g) return refuse(c, s, err, elen, "too many gateways (allowed: 64)");
    if (!g->line) g->line = s->line;
    if (!strcmp(k, "ike-policy")) { snprintf(g->policy, sizeof g->policy, "%s", v); return true; }
    if (!strcmp(k, "address")) {
      snprintf(g->address, sizeof g->address, "%s", v);
      if (s->n > 6) jn_note(c, "%s:%u: gateway %s lists %d addresses: the first (%s) is the peer (modelled; no backup peers)", c->path, s->line, name, s->n - 5, v);
      return true;
    }
    if (!strcmp(k, "local-address")) { snprintf(g->local, sizeof g->local, "%s", v); return true; }
    if (!strcmp(k, "external-interface")) { snprintf(g->ext_if, sizeof g->ext_if, "%s", v); return true; }
    if (!strcmp(k, "version")) {
      if (!strcmp(v, "v2-only")) { g->version = 2; return true; }
      return refuse(c, s, err, elen, "IKEv1 is not supported (inline IPsec supports IKE version v2-only)");
    }
    if (!strcmp(k, "dead-peer-detection")) {
      if (!strcmp(v, "optimized") || !strcmp(v, "probe-idle-tunnel") || !strcmp(v, "always-send"))
        snprintf(g->dpd, sizeof g->dpd, "%s", v);
      else if (!*g->dpd) snprintf(g->dpd, sizeof g->dpd, "optimized");
      return true; /* interval/threshold: no IKE is simulated, the mode is shown */
    }
    if (!strcmp(k, "packet-encapsulation")) {
      g->encap = true;
      if (!strcmp(v, "use-global-dest-port")) g->encap_global = true;
      return true;
    }
  } else if (!strcmp(kind, "policy")) {
    jn_ike_policy *p = FIND(c->ikep, c->n_ikep, name);
    if (!p) return refuse(c, s, err, elen, "too many IKE policies (allowed: 64)");
    if (!p->line) p->line = s->line;
    if (!strcmp(k, "mode")) { snprintf(p->mode, sizeof p->mode, "%s", v); p->mode_line = s->line; return true; }
    if (!strcmp(k, "pre-shared-key") && (!strcmp(v, "ascii-text") || !strcmp(v, "hexadecimal")) && s->n == 7) {
      if (strlen(W(6)) >= sizeof p->psk) return refuse(c, s, err, elen, "pre-shared key longer than 255 characters");
      snprintf(p->psk, sizeof p->psk, "%s", W(6));
      p->has_psk = true;
      return true;
    }
    if (!strcmp(k, "proposals") || !strcmp(k, "description")) return true;
  } else if (!strcmp(kind, "proposal")) {
    if (!strcmp(k, "authentication-method") && strcmp(v, "pre-shared-keys")) { ignore(ig, s, 5); return true; }
    return true; /* IKE SA algorithms and lifetime: the IKE exchange is not simulated, see show ike */
  }
  ignore(ig, s, strcmp(kind, "gateway") && strcmp(kind, "policy") ? 3 : 5);
  return true;
}

static bool iface_stmt(junos_cfg *c, const jn_stmt *s, ignored *ig, char *err, size_t elen) {
  const char *name = W(1);
  uint64_t unit;
  bool ours = !strncmp(name, "et-", 3) || !strncmp(name, "si-", 3) || !strcmp(name, "st0");
  if (!ours || strcmp(W(2), "unit") || !num(W(3), &unit)) { ignore(ig, s, 2); return true; }
  size_t i = 0;
  while (i < c->n_ifs && !(c->ifs[i].unit == unit && !strcmp(c->ifs[i].name, name))) i++;
  if (i == c->n_ifs) {
    if (c->n_ifs == JN_MAX) return refuse(c, s, err, elen, "too many interface units (allowed: 64)");
    snprintf(c->ifs[i].name, sizeof c->ifs[i].name, "%s", name);
    c->ifs[i].unit = (unsigned)unit;
    c->ifs[i].line = s->line;
    c->n_ifs++;
  }
  jn_iface *f = &c->ifs[i];
  const char *k = W(4);
  if (!strcmp(k, "family") && !strcmp(W(5), "inet")) {
    f->fam_inet = true;
    if (!strcmp(W(6), "address")) snprintf(f->inet, sizeof f->inet, "%s", W(7));
    return true;
  }
  if (!strcmp(k, "family") && !strcmp(W(5), "inet6")) {
    f->fam_inet6 = true;
    if (!strcmp(W(6), "address")) snprintf(f->inet6, sizeof f->inet6, "%s", W(7));
    return true;
  }
  if (!strcmp(k, "service-domain")) { snprintf(f->domain, sizeof f->domain, "%s", W(5)); return true; }
  if (!strcmp(k, "description")) return true;
  ignore(ig, s, 5);
  return true;
}

bool jn_interpret(junos_cfg *c, const jn_stmts *st, char *err, size_t elen) {
  ignored ig = {.n = 0};
  for (size_t i = 0; i < st->n; i++) {
    const jn_stmt *s = &st->v[i];
    const char *top = W(0);
    bool ok = true;
    const int rib6 = !strcmp(W(1), "rib") && !strcmp(W(2), "inet6.0") ? 2 : 0;
    if (!strcmp(top, "security") && !strcmp(W(1), "ipsec")) ok = ipsec_stmt(c, s, &ig, err, elen);
    else if (!strcmp(top, "security") && !strcmp(W(1), "ike")) ok = ike_stmt(c, s, &ig, err, elen);
    else if (!strcmp(top, "interfaces")) ok = iface_stmt(c, s, &ig, err, elen);
    else if (!strcmp(top, "chassis") && !strcmp(W(1), "fpc") && !strcmp(W(3), "pic") && !strcmp(W(5), "inline-services")) {
      uint64_t fpc, pic;
      if (!num(W(2), &fpc) || !num(W(4), &pic) || fpc != 0 || pic > 7) ok = refuse(c, s, err, elen, "FPC 0, PIC 0..2 on the MX304 (inline IPsec supports fpc 0)");
      else c->inline_pics |= 1u << pic;
    } else if (!strcmp(top, "services") && !strcmp(W(1), "service-set")) {
      jn_sset *ss = FIND(c->ssets, c->n_ssets, W(2));
      if (!ss) ok = refuse(c, s, err, elen, "too many service sets (allowed: 64)");
      else if (!strcmp(W(3), "next-hop-service") && !strcmp(W(4), "inside-service-interface")) snprintf(ss->inside, sizeof ss->inside, "%s", W(5));
      else if (!strcmp(W(3), "next-hop-service") && !strcmp(W(4), "outside-service-interface")) snprintf(ss->outside, sizeof ss->outside, "%s", W(5));
      else if (!strcmp(W(3), "ipsec-vpn")) snprintf(ss->vpn, sizeof ss->vpn, "%s", W(4));
      else ignore(&ig, s, 4);
    } else if (!strcmp(top, "routing-options") && !strcmp(W(rib6 + 1), "static") && !strcmp(W(rib6 + 2), "route") &&
               !strcmp(W(rib6 + 4), "next-hop")) { /* IPv6 static routes: routing-options rib inet6.0 static ... */
      if (c->n_routes == JN_MAX) ok = refuse(c, s, err, elen, "too many static routes (allowed: 64)");
      else {
        jn_route *r = &c->routes[c->n_routes++];
        snprintf(r->prefix, sizeof r->prefix, "%s", W(rib6 + 3));
        snprintf(r->nh, sizeof r->nh, "%s", W(rib6 + 5));
        r->line = s->line;
      }
    } else {
      bool modelled = !strcmp(top, "security") || !strcmp(top, "services") || !strcmp(top, "chassis") || !strcmp(top, "routing-options");
      ignore(&ig, s, modelled ? 2 : 1);
    }
    if (!ok) return false;
  }
  if (ig.n) {
    char line[4096];
    size_t k = (size_t)snprintf(line, sizeof line, "%s: ignored (outside the model): ", c->path);
    for (size_t g = 0; g < ig.n && k < sizeof line; g++)
      k += (size_t)snprintf(line + k, sizeof line - k, "%s%s (line%s %s)", g ? "; " : "", ig.key[g],
                            strchr(ig.lines[g], ',') ? "s" : "", ig.lines[g]);
    jn_note(c, "%s", line);
  }
  return true;
}
