/* Tunnels after loading (scenario_ipsec.h): the two ends of one VPN (local/remote swapped),
 * values an end leaves auto taken from a peer that states them, disagreeing explicit values
 * and duplicate inbound SPIs refused; routes `via: st0.N` and streams `esp_of:`. */
#include "scenario_ipsec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static int addr_cmp(const sa_addr *a, const sa_addr *b) {
  if (a->family != b->family) return a->family < b->family ? -1 : 1;
  return memcmp(a->b, b->b, a->family == 4 ? 4 : 16);
}

/* Sort entries: a tunnel and its index (ties keep input order). */
typedef struct tun_ref { const asic_tunnel *t; uint32_t i; } tun_ref;
static int by_index(const tun_ref *x, const tun_ref *y) { return (x->i > y->i) - (x->i < y->i); }
static int by_gateways(const void *a, const void *b) {
  const tun_ref *x = a, *y = b;
  int d = addr_cmp(&x->t->out.local, &y->t->out.local);
  if (!d) d = addr_cmp(&x->t->out.remote, &y->t->out.remote);
  return d ? d : by_index(x, y);
}
static int by_inbound_spi(const void *a, const void *b) {
  const tun_ref *x = a, *y = b;
  int d = (x->t->router > y->t->router) - (x->t->router < y->t->router);
  if (!d) d = addr_cmp(&x->t->in.local, &y->t->in.local);
  if (!d) d = (x->t->in.spi > y->t->in.spi) - (x->t->in.spi < y->t->in.spi);
  return d ? d : by_index(x, y);
}

static void fail_where(const char *pre, cfg_err *err, const asic_tunnel *t, int given, const char *field, const char *fmt,
                       const char *a, const char *b, const char *c) {
  const char *at = given >= 0 && t->given_at[given][0] ? t->given_at[given] : t->where;
  char msg[CFG_ERR_MAX];
  snprintf(msg, sizeof msg, fmt, a, b, c);
  snprintf(err->msg, sizeof err->msg, "%.150s: %.20sipsec.tunnels[].%.20s: %.300s", at, pre, field, msg);
}

static bool same_keymat(const sa_config *a, const sa_config *b) {
  return a->key_len == b->key_len && !memcmp(a->key, b->key, a->key_len) && !memcmp(a->salt, b->salt, SA_SALT_LEN);
}

/* One direction of a VPN: t's SA `mine` (spi/key given as gi/gk) against the peer's `theirs`. */
static bool agree(const char *pre, asic_world *w, asic_tunnel *t, sa_config *mine, int gi, asic_tunnel *p, sa_config *theirs, int gp,
                  const char *mine_f, const char *their_f, cfg_err *err) {
  char a[32], b[32], who[160];
  snprintf(who, sizeof who, "%.40s on %.31s (%.80s)", p->name, w->routers[p->router].name,
           p->given_at[gp][0] ? p->given_at[gp] : p->where);
  if (mine->alg != theirs->alg) {
    fail_where(pre, err, t, -1, "algorithm", "%s differs from the algorithm of its peer %s%s (allowed: the same algorithm at both ends)",
               mine->alg == SA_AES128_GCM ? "aes-128-gcm" : "aes-256-gcm", who, "");
    return false;
  }
  if (mine->spi != theirs->spi) {
    if (t->given_at[gi][0] && p->given_at[gp][0]) {
      snprintf(a, sizeof a, "0x%08x", mine->spi);
      snprintf(b, sizeof b, "0x%08x", theirs->spi);
      char f2[64];
      snprintf(f2, sizeof f2, "%s %s", their_f, b);
      fail_where(pre, err, t, gi, mine_f, "%s differs from %s of its peer %s (allowed: equal values at the two ends, or auto)", a, f2, who);
      return false;
    }
    if (t->given_at[gi][0]) theirs->spi = mine->spi; /* auto takes the stated value */
    else mine->spi = theirs->spi;
  }
  return true;
}

static bool agree_keys(const char *pre, asic_world *w, asic_tunnel *t, asic_tunnel *p, cfg_err *err) {
  const bool tg = t->key_source != ASIC_KEY_AUTO, pg = p->key_source != ASIC_KEY_AUTO;
  if (same_keymat(&t->out, &p->in) && same_keymat(&t->in, &p->out)) return true;
  if (tg && pg) {
    char who[160];
    snprintf(who, sizeof who, "%.40s on %.31s (%.80s)", p->name, w->routers[p->router].name, p->given_at[ASIC_GIVEN_KEY]);
    fail_where(pre, err, t, ASIC_GIVEN_KEY, "key", "keying material differs from its peer %s%s%s (allowed: the peer's out as in and "
               "its in as out, or auto)", who, "", "");
    return false;
  }
  asic_tunnel *from = tg ? t : p, *to = tg ? p : t; /* auto takes the stated keys */
  memcpy(to->in.key, from->out.key, sizeof to->in.key);
  memcpy(to->in.salt, from->out.salt, SA_SALT_LEN);
  memcpy(to->out.key, from->in.key, sizeof to->out.key);
  memcpy(to->out.salt, from->in.salt, SA_SALT_LEN);
  return true;
}

bool scenario_ipsec_finish(asic_world *w, const char *pre, cfg_err *err) {
  const uint32_t n = w->n_tunnels;
  if (!n) return true;
  tun_ref *ix = malloc(n * sizeof *ix);
  if (!ix) return snprintf(err->msg, sizeof err->msg, "tunnels: out of memory"), false;
  for (uint32_t i = 0; i < n; i++) ix[i] = (tun_ref){&w->tunnels[i], i};
  qsort(ix, n, sizeof *ix, by_gateways);
  bool ok = true;
  for (uint32_t i = 0; ok && i < n; i++) { /* the peer of t: local = t.remote, remote = t.local */
    asic_tunnel *t = &w->tunnels[i];
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
      uint32_t mid = (lo + hi) / 2;
      const asic_tunnel *m = ix[mid].t;
      int d = addr_cmp(&m->out.local, &t->out.remote);
      if (!d) d = addr_cmp(&m->out.remote, &t->out.local);
      if (d < 0) lo = mid + 1;
      else hi = mid;
    }
    uint32_t found = 0, first = ASIC_NONE;
    for (uint32_t k = lo; k < n; k++) {
      const asic_tunnel *m = ix[k].t;
      if (addr_cmp(&m->out.local, &t->out.remote) || addr_cmp(&m->out.remote, &t->out.local)) break;
      if (!found++) first = ix[k].i;
    }
    if (found > 1) {
      fail_where(pre, err, t, -1, "remote", "%s has %s peers with its gateways swapped (allowed: one tunnel per gateway pair "
                 "and direction)%s", t->name, "several", "");
      ok = false;
    } else if (found == 1) {
      t->peer = first;
    }
  }
  for (uint32_t i = 0; ok && i < n; i++) {
    asic_tunnel *t = &w->tunnels[i];
    if (t->peer == ASIC_NONE || t->peer < i) continue; /* each pair once, from its first end */
    asic_tunnel *p = &w->tunnels[t->peer];
    if (p->peer != i) continue;
    ok = agree(pre, w, p, &p->in, ASIC_GIVEN_SPI_IN, t, &t->out, ASIC_GIVEN_SPI_OUT, "spi_in", "spi_out", err) &&
         agree(pre, w, p, &p->out, ASIC_GIVEN_SPI_OUT, t, &t->in, ASIC_GIVEN_SPI_IN, "spi_out", "spi_in", err) &&
         agree_keys(pre, w, p, t, err);
  }
  for (uint32_t i = 0; ok && i < n; i++) ix[i] = (tun_ref){&w->tunnels[i], i};
  if (ok) qsort(ix, n, sizeof *ix, by_inbound_spi);
  for (uint32_t i = 1; ok && i < n; i++) {
    const asic_tunnel *a = ix[i - 1].t, *b = ix[i].t;
    if (a->router != b->router || addr_cmp(&a->in.local, &b->in.local) || a->in.spi != b->in.spi) continue;
    char spi[16], gw[64];
    snprintf(spi, sizeof spi, "0x%08x", b->in.spi);
    sa_format_addr(&b->in.local, gw, sizeof gw);
    fail_where(pre, err, b, ASIC_GIVEN_SPI_IN, "spi_in", "SPI %s is already the inbound SPI of tunnel %s for local gateway %s "
               "(allowed: one SPI per local gateway; tunnels between the same gateways need explicit SPIs)", spi, a->name, gw);
    ok = false;
  }
  free(ix);
  return ok;
}

bool scenario_ipsec_via(const asic_world *w, uint32_t r, const char *via, const cfg_node *at, const char *field,
                        int32_t *nh, cfg_err *err) {
  uint32_t t = asic_ipsec_find_bind(w, r, via);
  if (t != ASIC_NONE) {
    *nh = SLICE_NH_TUNNEL(t);
    return true;
  }
  char binds[200] = "";
  size_t len = 0, shown = 0;
  for (uint32_t i = 0; i < w->n_tunnels && shown < 4; i++)
    if (w->tunnels[i].router == r) len += (size_t)snprintf(binds + len, sizeof binds - len, "%s%s", shown++ ? ", " : "", w->tunnels[i].bind);
  return cfg_fail(err, at, field, "no tunnel of %s is bound to %s (allowed: %s%s)", w->routers[r].name, via,
                  shown ? "the bind of a tunnel: " : "a tunnel declared in ipsec: tunnels: first", binds);
}

static uint32_t find_name(const asic_world *w, uint32_t r, const char *name) {
  uint32_t t = asic_ipsec_find_name(w, r, name);
  if (t != ASIC_NONE) return t;
  char n0[SA_NAME_MAX + 4], n1[SA_NAME_MAX + 4]; /* the base name of a count: 1 tunnel */
  snprintf(n0, sizeof n0, "%s-0", name);
  snprintf(n1, sizeof n1, "%s-1", name);
  t = asic_ipsec_find_name(w, r, n0);
  return t != ASIC_NONE && asic_ipsec_find_name(w, r, n1) == ASIC_NONE ? t : ASIC_NONE;
}

bool scenario_ipsec_esp_of(const asic_world *w, uint32_t r, const cfg_node *at, uint32_t *tunnel, cfg_err *err) {
  const char *name = scenario_scalar(at, "traffic[].esp_of", err);
  if (!name) return false;
  if ((*tunnel = find_name(w, r, name)) != ASIC_NONE) return true;
  for (uint32_t o = 0; o < w->n_routers; o++)
    if (o != r && find_name(w, o, name) != ASIC_NONE)
      return cfg_fail(err, at, "traffic[].esp_of", "tunnel '%s' is on router %s, the stream enters %s (allowed: a tunnel "
                      "of the stream's router)", name, w->routers[o].name, w->routers[r].name);
  return cfg_fail(err, at, "traffic[].esp_of", "no tunnel '%s' on %s (allowed: a name of its ipsec: tunnels:)", name,
                  w->routers[r].name);
}
