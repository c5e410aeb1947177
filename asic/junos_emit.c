/* junos_cfg -> scenario YAML (the project's own format) and the 0600 keys file.
 *
 * SA keys (a route-based VPN's come from IKEv2 in Junos; this models the negotiation's
 * outcome, not IKEv2): for the SA carrying traffic from gateway FROM to gateway TO,
 *   SPI = 256 + (first 32 bits of SHA-256("ipsecsim-junos-spi-v1|FROM|TO")) mod (2^32 - 256)
 *   keymat = HMAC-SHA256(key = the pre-shared key's text, "ipsecsim-junos-v1|FROM|TO|SPI|B")
 *            for B = 1, 2, ... concatenated, cut to key + 4-byte salt (RFC 4106 s8.1)
 * with SPI as 0x%08x. Both peers derive the same SA from the same PSK and gateway pair, so
 * one's outbound SA is the other's inbound one. Manual SAs (`vpn ... manual`) take their SPI
 * (both directions) and key as configured. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junos_internal.h"
#include "model/out_file.h"

static uint32_t derive_spi(const char *from, const char *to) {
  char msg[160];
  uint8_t md[SHA256_DIGEST_LENGTH];
  int n = snprintf(msg, sizeof msg, "ipsecsim-junos-spi-v1|%s|%s", from, to);
  SHA256((const unsigned char *)msg, (size_t)n, md);
  uint32_t v = (uint32_t)md[0] << 24 | (uint32_t)md[1] << 16 | (uint32_t)md[2] << 8 | md[3];
  return 256u + v % (4294967295u - 255u);
}

static void derive_keymat(const char *psk, const char *from, const char *to, uint32_t spi, char *hex, size_t n) {
  uint8_t out[64], md[EVP_MAX_MD_SIZE];
  size_t got = 0;
  for (unsigned block = 1; got < n; block++) {
    char msg[200];
    unsigned md_len = 0;
    int len = snprintf(msg, sizeof msg, "ipsecsim-junos-v1|%s|%s|0x%08x|%u", from, to, spi, block);
    HMAC(EVP_sha256(), psk, (int)strlen(psk), (const unsigned char *)msg, (size_t)len, md, &md_len);
    size_t take = n - got < md_len ? n - got : md_len;
    memcpy(out + got, md, take);
    got += take;
  }
  for (size_t i = 0; i < n; i++) snprintf(hex + 2 * i, 3, "%02x", out[i]);
  memset(out, 0, sizeof out);
  memset(md, 0, sizeof md);
}

typedef struct sbuf {
  char *p;
  size_t n, cap;
  bool oom;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *b, const char *fmt, ...) {
  va_list ap;
  for (;;) {
    va_start(ap, fmt);
    int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
    va_end(ap);
    if (k < 0) { b->oom = true; return; }
    if (b->p && b->n + (size_t)k < b->cap) { b->n += (size_t)k; return; }
    size_t cap = (b->cap + (size_t)k + 1) * 2;
    char *np = realloc(b->p, cap);
    if (!np) { b->oom = true; return; }
    b->p = np;
    b->cap = cap;
  }
}

static const jn_ike_policy *gw_policy(const junos_cfg *c, const jn_gw *g) {
  for (size_t i = 0; i < c->n_ikep; i++)
    if (!strcmp(c->ikep[i].name, g->policy)) return &c->ikep[i];
  return NULL;
}

/* One tunnel's outer addresses, SPIs and key hex (out and in); false on a bad manual key. */
static bool tunnel_sa(const junos_cfg *c, const jn_vpn *v, char *local, char *remote, uint32_t *spi_out,
                      uint32_t *spi_in, char *kout, char *kin, const char **alg, char *err, size_t elen) {
  if (v->manual_spi) {
    const char *wan_addr = "";
    char wbuf[24];
    const char *wan = jn_wan_port(c, v, wbuf, sizeof wbuf);
    (void)wan;
    for (size_t i = 0; i < c->n_ifs; i++)
      if (!strncmp(c->ifs[i].name, "et-", 3) && c->ifs[i].inet[0]) wan_addr = c->ifs[i].inet;
    jn_addr_only(wan_addr, local, 48);
    snprintf(remote, 48, "%s", v->manual_gw);
    *alg = v->manual_alg[0] ? v->manual_alg : "aes-256-gcm";
    size_t want = (strcmp(*alg, "aes-128-gcm") ? 32 : 16) + 4;
    if (strlen(v->manual_key) != 2 * want) {
      snprintf(err, elen, "%s:%u: set security ipsec vpn %s manual encryption key: %zu hex digits expected (key + 4-byte salt, RFC 4106 s8.1)",
               c->path, v->line, v->name, 2 * want);
      return false;
    }
    *spi_out = *spi_in = v->manual_spi;
    snprintf(kout, 160, "%s", v->manual_key);
    snprintf(kin, 160, "%s", v->manual_key);
    return true;
  }
  const jn_gw *g = jn_find_gw(c, v->gw);
  const jn_prop *p = jn_vpn_prop(c, v);
  *alg = p->alg;
  snprintf(local, 48, "%s", g->local);
  snprintf(remote, 48, "%s", g->address);
  *spi_out = derive_spi(local, remote);
  *spi_in = derive_spi(remote, local);
  size_t n = (strcmp(*alg, "aes-128-gcm") ? 32 : 16) + 4;
  const char *psk = gw_policy(c, g)->psk;
  derive_keymat(psk, local, remote, *spi_out, kout, n);
  derive_keymat(psk, remote, local, *spi_in, kin, n);
  return true;
}

static bool emit_router(sbuf *b, sbuf *keys, const junos_cfg *c, bool inline_keys, const char *keys_ref, char *err,
                        size_t elen) {
  put(b, "  - name: %s\n    platform: {preset: MX304, lmics: %u, release: 24.2R1}\n    interfaces:\n", c->router, c->lmics);
  for (size_t i = 0; i < c->n_ifs; i++) /* one address per port: inet, else inet6 */
    if (!strncmp(c->ifs[i].name, "et-", 3) && (c->ifs[i].inet[0] || c->ifs[i].inet6[0]))
      put(b, "      - {name: %s, address: \"%s\"}\n", c->ifs[i].name, c->ifs[i].inet[0] ? c->ifs[i].inet : c->ifs[i].inet6);
  put(b, "    ipsec:\n      tunnels:\n");
  for (size_t i = 0; i < c->n_vpns; i++) {
    const jn_vpn *v = &c->vpns[i];
    char local[48], remote[48], kout[160], kin[160], abuf[24];
    uint32_t so, si;
    const char *alg;
    if (!tunnel_sa(c, v, local, remote, &so, &si, kout, kin, &alg, err, elen)) return false;
    const jn_prop *p = v->manual_spi ? NULL : jn_vpn_prop(c, v);
    const jn_gw *g = v->manual_spi ? NULL : jn_find_gw(c, v->gw);
    char udp[40] = "none";
    if (g && g->encap) {
      if (g->encap_global && c->dest_port) snprintf(udp, sizeof udp, "{dst_port: %u}", c->dest_port);
      else snprintf(udp, sizeof udp, "multipath");
    }
    put(b, "        - {name: %s, anchor: %s, bind: %s, local: \"%s\", remote: \"%s\", algorithm: %s,\n", v->name,
        jn_anchor(c, v, abuf, sizeof abuf), v->bind, local, remote, alg);
    if (inline_keys) put(b, "           key: {out: %s, in: %s},\n", kout, kin);
    else put(b, "           key: \"file:%s\",\n", keys_ref);
    put(b, "           spi_out: 0x%08x, spi_in: 0x%08x, copy_outer_dscp: %s, df_bit: %s, replay_window: %u, esn: %s,\n", so, si,
        v->copy_dscp ? "true" : "false", v->df[0] ? v->df : "clear", v->replay ? v->replay : 64,
        v->esn || (p && p->esn) ? "true" : "false");
    put(b, "           lifetime_seconds: %llu, lifetime_kilobytes: %llu, tunnel_mtu: %u, udp_encap: %s",
        (unsigned long long)(p && p->life_s ? p->life_s : 3600), (unsigned long long)(p ? p->life_kb : 0),
        v->mtu ? v->mtu : 9000, udp);
    if (!v->manual_spi && v->policy[0]) put(b, ",\n           ipsec_policy: \"%s\"", v->policy); /* labels for `show` */
    if (!v->manual_spi && v->gw[0]) put(b, ", ike_gateway: \"%s\"", v->gw);
    put(b, "}\n");
    if (keys) put(keys, "  \"%s:%s\": {out: %s, in: %s}\n", c->router, v->name, kout, kin);
    memset(kout, 0, sizeof kout);
    memset(kin, 0, sizeof kin);
  }
  bool any = false;
  for (size_t i = 0; i < c->n_routes; i++) {
    const jn_route *r = &c->routes[i];
    if (!any) put(b, "    routes:\n");
    any = true;
    if (!strncmp(r->nh, "st0.", 4) || !strncmp(r->nh, "et-", 3)) {
      put(b, "      - {prefix: \"%s\", via: %s}\n", r->prefix, r->nh);
      continue;
    }
    snprintf(err, elen, "%s:%u: set routing-options static route %s next-hop %s: a next-hop address is not modelled (inline IPsec routes via st0.N; ports via et-F/P/N)",
             c->path, r->line, r->prefix, r->nh);
    return false;
  }
  return !b->oom;
}

/* LAN port of a router (an et- address that is not the WAN) and its Host address. */
static const jn_iface *lan_of(const junos_cfg *c) {
  char wbuf[24];
  const char *wan = c->n_vpns ? jn_wan_port(c, &c->vpns[0], wbuf, sizeof wbuf) : NULL;
  for (size_t i = 0; i < c->n_ifs; i++)
    if (!strncmp(c->ifs[i].name, "et-", 3) && (c->ifs[i].inet[0] || c->ifs[i].inet6[0]) && (!wan || strcmp(c->ifs[i].name, wan)))
      return &c->ifs[i];
  return NULL;
}

char *junos_scenario_text(junos_cfg *const *cfgs, size_t n, bool inline_keys, const char *keys_ref, char *err, size_t elen) {
  sbuf b = {0};
  put(&b, "# Imported by `ipsecsim junos import` from");
  for (size_t i = 0; i < n; i++) put(&b, " %s", cfgs[i]->path);
  put(&b, " (Junos configuration%s).\n# SA keys: %s. The pre-shared key is in no file.\n", n > 1 ? "s" : "",
      inline_keys ? "derived in memory" : "in the 0600 keys file named by key:");
  put(&b, "version: 1\nseed: 1\nrouters:\n");
  for (size_t i = 0; i < n; i++)
    if (!emit_router(&b, NULL, cfgs[i], inline_keys, keys_ref, err, elen)) {
      free(b.p);
      return NULL;
    }
  char w0[24], w1[24];
  if (n == 2 && jn_wan_port(cfgs[0], &cfgs[0]->vpns[0], w0, sizeof w0) && jn_wan_port(cfgs[1], &cfgs[1]->vpns[0], w1, sizeof w1))
    put(&b, "links:\n  - {a: \"%s:%s\", b: \"%s:%s\"}\n", cfgs[0]->router, w0, cfgs[1]->router, w1);
  put(&b, "traffic:\n");
  for (size_t i = 0; i < n; i++) {
    const junos_cfg *c = cfgs[i];
    const jn_iface *lan = lan_of(c);
    const junos_cfg *peer = n == 2 ? cfgs[1 - i] : NULL;
    char dst[48] = "";
    if (peer && peer->host_addr[0]) snprintf(dst, sizeof dst, "%s", peer->host_addr);
    else
      for (size_t r = 0; r < c->n_routes && !dst[0]; r++)
        if (!strncmp(c->routes[r].nh, "st0.", 4)) {
          jn_addr_only(c->routes[r].prefix, dst, sizeof dst);
          size_t k = strlen(dst);
          if (k && dst[k - 1] == '0') dst[k - 1] = '2'; /* x.y.z.0/24 -> x.y.z.2 (the seed's 2.2.2.2) */
          else if (k && dst[k - 1] == ':' && k + 1 < sizeof dst) dst[k] = '2', dst[k + 1] = 0; /* P::/64 -> P::2 */
        }
    if (!lan || !dst[0]) continue;
    put(&b, "  - {name: %s_host, router: %s, port: %s, rate: 10Gbps, frame: 256B, ", c->router, c->router, lan->name);
    if (c->host_addr[0]) put(&b, "src: \"%s\", ", c->host_addr); /* this router's Host */
    put(&b, "dst: \"%s\"}\n", dst);
    if (!peer && c->host_addr[0])
      put(&b, "  - {name: %s_esp_in, router: %s, port: %s, rate: 10Gbps, frame: 256B, dst: \"%s\", esp_of: %s}\n", c->router, c->router,
          jn_wan_port(c, &c->vpns[0], w0, sizeof w0), c->host_addr, c->vpns[0].name);
  }
  put(&b, "phases: {warmup: 1us, measure: 20us}\nexpect:\n  - {metric: run.sent, eq: run.received}\n");
  if (b.oom) {
    free(b.p);
    snprintf(err, elen, "out of memory");
    return NULL;
  }
  return b.p;
}

bool junos_write_scenario(junos_cfg *const *cfgs, size_t n, const char *scenario_path, const char *keys_path, char *err,
                          size_t elen) {
  const char *base = strrchr(keys_path, '/');
  base = base ? base + 1 : keys_path;
  out_role outs[] = {{"-o", scenario_path}, {"the keys file", keys_path}};
  out_role ins[2];
  for (size_t i = 0; i < n && i < 2; i++) ins[i] = (out_role){"the configuration", cfgs[i]->path};
  if (!out_check_distinct(outs, 2, ins, n < 2 ? n : 2, err, elen)) return false;
  char *text = junos_scenario_text(cfgs, n, false, base, err, elen);
  if (!text) return false;
  sbuf keys = {0};
  put(&keys, "# SA keys derived by `ipsecsim junos import` (see README \"Junos import\"). Secret: mode 0600.\nkeys:\n");
  for (size_t i = 0; i < n; i++) {
    sbuf scratch = {0};
    bool ok = emit_router(&scratch, &keys, cfgs[i], false, base, err, elen);
    free(scratch.p);
    if (!ok) {
      free(text);
      free(keys.p);
      return false;
    }
  }
  out_file so, ko;
  bool ok = out_begin(&ko, keys_path, OUT_MODE_SECRET, err, elen);
  if (ok) {
    ok = fputs(keys.p, ko.fp) >= 0 && out_finish(&ko, err, elen);
    if (!ok) out_abort(&ko);
  }
  if (ok && out_begin(&so, scenario_path, OUT_MODE_NORMAL, err, elen)) {
    ok = fputs(text, so.fp) >= 0 && out_commit(&so, err, elen) && out_commit(&ko, err, elen);
    if (!ok) out_abort(&so), out_abort(&ko);
  } else if (ok) {
    out_abort(&ko);
    ok = false;
  }
  memset(keys.p, 0, keys.n);
  free(keys.p);
  free(text);
  return ok;
}
