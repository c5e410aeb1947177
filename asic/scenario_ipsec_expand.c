/* `count:` expansion of one `ipsec: tunnels:` entry (scenario_ipsec_entry.h): per tunnel its
 * names, binds, gateways, SPIs and prefix stepped by one; its outbound and inbound SA go
 * through the SA file loader (sa_load_list) on a map of the entry's own nodes, so every SA
 * rule and message is the SA file's; keys are wiped from every temporary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec_engine/sa_load.h"
#include "model/hexutil.h"
#include "scenario.h"
#include "scenario_ipsec_entry.h"

/* A map node holding synthetic scalars and nodes of the entry (positions kept). */
#define SYN_MAX 48
typedef struct synth {
  cfg_node map, seq;
  const char *keys[SYN_MAX];
  const cfg_node *knodes[SYN_MAX], *items[SYN_MAX], *seq_item[1];
  cfg_node scal[8];
  char text[8][160];
  size_t n_scal;
} synth;

static void syn_init(synth *s, const cfg_node *e) {
  memset(s, 0, sizeof *s);
  s->map = (cfg_node){.kind = CFG_MAP, .file = e->file, .line = e->line, .col = e->col, .keys = s->keys,
                      .key_nodes = s->knodes, .items = s->items};
  s->seq_item[0] = &s->map;
  s->seq = (cfg_node){.kind = CFG_SEQ, .file = e->file, .line = e->line, .col = e->col, .n = 1, .items = s->seq_item};
}
static void syn_add(synth *s, const char *key, const cfg_node *kn, const cfg_node *v) {
  s->keys[s->map.n] = key;
  s->knodes[s->map.n] = kn;
  s->items[s->map.n++] = v;
}
static void syn_scalar(synth *s, const char *key, const cfg_node *pos, const char *text) {
  cfg_node *n = &s->scal[s->n_scal];
  snprintf(s->text[s->n_scal], sizeof s->text[0], "%s", text);
  *n = (cfg_node){.kind = CFG_SCALAR, .file = pos->file, .line = pos->line, .col = pos->col,
                  .value = s->text[s->n_scal++], .quoted = true};
  syn_add(s, key, pos, n);
}

/* a + i in the address space of its family; false on overflow */
static bool addr_plus(const uint8_t *a, uint8_t family, uint64_t i, uint8_t *out) {
  size_t n = family == 4 ? 4 : 16;
  memcpy(out, a, n);
  for (size_t k = n; k-- > 0 && i;) {
    uint64_t s = out[k] + (i & 0xff);
    out[k] = (uint8_t)s;
    i = (i >> 8) + (s >> 8);
  }
  return i == 0;
}

/* The keying-material nodes of expanded tunnel `name` from the keys file. */
static bool file_keys(const tun_entry *t, const char *name, const cfg_node **out, cfg_err *err) {
  char f[128];
  char qual[128];
  snprintf(qual, sizeof qual, "%s:%s", t->w->routers[t->r].name, name);
  const cfg_node *all = cfg_get(cfg_root(t->keys_doc), "keys"), *m = cfg_get(all, qual);
  if (!m) m = cfg_get(all, name); /* ROUTER:NAME first, then NAME */
  if (!m || m->kind != CFG_MAP || !(out[0] = cfg_get(m, "out")) || !(out[1] = cfg_get(m, "in")))
    return cfg_fail(err, cfg_get(t->e, "key"), scenario_ipsec_field(t, "key", f, sizeof f),
                    "no keys for tunnel '%s' in %s (allowed: keys: {\"%s\": {out: HEX, in: HEX}} or NAME alone)", name,
                    t->key_file, qual);
  return true;
}

/* One SA of tunnel i through the SA file loader. */
static bool load_sa(const tun_entry *t, int dir, const char *name, const sa_addr *lo, const sa_addr *re, uint32_t spi,
                    const cfg_node *keynode, sa_config *out, cfg_err *err) {
  synth s;
  syn_init(&s, t->e);
  char a[64], b[64], num[16], hex[80] = "";
  const cfg_node *at = cfg_get(t->e, "name");
  syn_scalar(&s, "name", at, name);
  syn_scalar(&s, "direction", t->e, dir ? "inbound" : "outbound");
  snprintf(num, sizeof num, "%u", spi);
  const cfg_node *sp = cfg_get(t->e, dir ? "spi_in" : "spi_out");
  syn_scalar(&s, "spi", sp ? sp : t->e, num);
  sa_format_addr(lo, a, sizeof a);
  sa_format_addr(re, b, sizeof b);
  syn_scalar(&s, "local", cfg_get(t->e, "local"), a);
  syn_scalar(&s, "remote", cfg_get(t->e, "remote"), b);
  const cfg_node *alg = cfg_get(t->e, "algorithm");
  if (!alg) syn_scalar(&s, "algorithm", t->e, "aes-256-gcm"); /* the seed's proposal */
  if (keynode) {
    syn_add(&s, "key", keynode, keynode);
  } else { /* auto */
    uint8_t km[36];
    size_t n = sa_keymat_len(alg && alg->value && !strcmp(alg->value, "aes-128-gcm") ? SA_AES128_GCM : SA_AES256_GCM);
    scenario_ipsec_auto_keymat(t->seed, dir ? re : lo, dir ? lo : re, km, n);
    hex_encode(km, n, hex, sizeof hex);
    memset(km, 0, sizeof km);
    syn_scalar(&s, "key", t->e, hex);
    memset(hex, 0, sizeof hex);
  }
  for (size_t i = 0; i < t->e->n && s.map.n < SYN_MAX; i++) /* algorithm and every per-SA field */
    if (!scenario_ipsec_own_key(t->e->keys[i]) || !strcmp(t->e->keys[i], "algorithm"))
      syn_add(&s, t->e->keys[i], t->e->key_nodes[i], t->e->items[i]);
  sa_db db;
  bool ok = sa_db_init(&db, NULL) ? sa_load_list(&db, &s.seq, err) : cfg_fail(err, t->e, t->base, "out of memory");
  if (ok) *out = db.sas[0]->cfg;
  else if (strstr(err->msg, "sas[0]")) { /* the SA loader names sas[0]: name the tunnel entry */
    char msg[CFG_ERR_MAX], *p = strstr(err->msg, "sas[0]");
    snprintf(msg, sizeof msg, "%.*s%s%s", (int)(p - err->msg), err->msg, t->base, p + 6);
    memcpy(err->msg, msg, sizeof msg);
  }
  sa_db_free(&db);
  memset(&s, 0, sizeof s);
  return ok;
}

static bool add_local_route(asic_world *w, uint32_t r, const sa_addr *a) {
  route_table *rt = &w->routers[r].routes;
  uint8_t len = a->family == 4 ? 32 : 128;
  for (size_t i = 0; i < rt->n; i++)
    if (rt->e[i].nexthop == SLICE_NH_LOCAL && rt->e[i].len == len && rt->e[i].family == a->family &&
        !memcmp(rt->e[i].addr, a->b, len / 8))
      return true;
  return route_add(rt, a->family, a->b, len, SLICE_NH_LOCAL);
}

bool scenario_ipsec_expand(tun_entry *t, uint64_t i, cfg_err *err) {
  asic_world *w = t->w;
  asic_tunnel tu;
  memset(&tu, 0, sizeof tu);
  char f[128], why[300];
  const char *cnt = t->counted ? "count" : NULL;
  if (t->counted) snprintf(tu.name, sizeof tu.name, "%s-%llu", t->name, (unsigned long long)i);
  else snprintf(tu.name, sizeof tu.name, "%s", t->name);
  if (strlen(t->name) + (t->counted ? 11 : 0) >= SA_NAME_MAX) { /* count: "-N" up to 10 digits */
    snprintf(why, sizeof why, "too long (allowed: lower-case letters, digits, _ and -, at most %u characters%s)",
             SA_NAME_MAX - 1 - (t->counted ? 11 : 0), t->counted ? " with count" : "");
    return scenario_ipsec_fail_at(t, "name", err, why);
  }
  if (asic_ipsec_find_name(w, t->r, tu.name) != ASIC_NONE) {
    snprintf(why, sizeof why, "duplicate tunnel '%s' on %s (allowed: a name used once per router)", tu.name, w->routers[t->r].name);
    return scenario_ipsec_fail_at(t, "name", err, why);
  }
  snprintf(tu.anchor, sizeof tu.anchor, "%s", t->anchor);
  snprintf(tu.bind, sizeof tu.bind, "st0.%llu", (unsigned long long)t->bind_unit + i);
  uint32_t other = asic_ipsec_find_bind(w, t->r, tu.bind);
  if (other != ASIC_NONE) {
    snprintf(why, sizeof why, "%s is already the bind of tunnel %s (allowed: one tunnel per st0 unit)", tu.bind, w->tunnels[other].name);
    return scenario_ipsec_fail_at(t, cnt && i ? cnt : "bind", err, why);
  }
  tu.router = t->r;
  tu.slice = w->routers[t->r].first_asic_slice + 2 * t->asic + t->slice;
  sa_addr lo = t->local, re = t->remote;
  if (!addr_plus(t->local.b, lo.family, i, lo.b) || !addr_plus(t->remote.b, re.family, i, re.b))
    return scenario_ipsec_fail_at(t, "count", err, "the gateway addresses run past the end of the address space (allowed: a smaller count)");
  uint32_t spi[2];
  for (int d = 0; d < 2; d++) {
    if (t->spi[d] && t->spi[d] + i > 4294967295ull)
      return scenario_ipsec_fail_at(t, "count", err, "the SPIs run past 4294967295 (allowed: a smaller count or SPI)");
    spi[d] = t->spi[d] ? (uint32_t)(t->spi[d] + i) : d ? scenario_ipsec_auto_spi(t->seed, &re, &lo) : scenario_ipsec_auto_spi(t->seed, &lo, &re);
    const cfg_node *n = cfg_get(t->e, d ? "spi_in" : "spi_out");
    if (n) snprintf(tu.given_at[d ? ASIC_GIVEN_SPI_IN : ASIC_GIVEN_SPI_OUT], sizeof tu.given_at[0], "%s:%u:%u", n->file, n->line, n->col);
  }
  const cfg_node *kn[2] = {t->key_node[0], t->key_node[1]};
  if (t->key_source == ASIC_KEY_FILE && !file_keys(t, tu.name, kn, err)) return false;
  if (t->key_source != ASIC_KEY_AUTO) {
    const cfg_node *k = cfg_get(t->e, "key");
    snprintf(tu.given_at[ASIC_GIVEN_KEY], sizeof tu.given_at[0], "%s:%u:%u", k->file, k->line, k->col);
  }
  if (!load_sa(t, 0, tu.name, &lo, &re, spi[0], kn[0], &tu.out, err) || !load_sa(t, 1, tu.name, &lo, &re, spi[1], kn[1], &tu.in, err))
    return false;
  tu.key_source = t->key_source;
  tu.installed_later = t->installed_later;
  snprintf(tu.ipsec_policy, sizeof tu.ipsec_policy, "%s", t->label[0]);
  snprintf(tu.ike_gateway, sizeof tu.ike_gateway, "%s", t->label[1]);
  snprintf(tu.key_file, sizeof tu.key_file, "%s", t->key_file);
  tu.peer = ASIC_NONE;
  snprintf(tu.where, sizeof tu.where, "%s:%u:%u", t->e->file, t->e->line, t->e->col);
  uint32_t idx = w->n_tunnels;
  bool ok = asic_ipsec_add_tunnel(w, &tu, why, sizeof why);
  memset(&tu, 0, sizeof tu); /* keys */
  if (!ok) {
    const cfg_node *n = cnt ? cfg_get(t->e, cnt) : t->e;
    return cfg_fail(err, n, scenario_ipsec_field(t, cnt ? cnt : "", f, sizeof f), "%s (allowed: up to %u tunnels per chassis, the seed's limit)",
                    why, ASIC_MAX_TUNNELS);
  }
  if (t->has_prefix) {
    uint8_t pa[16];
    uint64_t step = t->plen == 0 ? 0 : i;
    unsigned host_bits = (t->pfam == 4 ? 32u : 128u) - t->plen;
    memcpy(pa, t->paddr, 16);
    /* prefix + i * 2^host_bits: add i at the prefix's last bit */
    for (unsigned b = host_bits; step && b < (t->pfam == 4 ? 32u : 128u); b++, step >>= 1) {
      if (!(step & 1)) continue;
      size_t byte = (t->pfam == 4 ? 3u : 15u) - b / 8;
      unsigned carry = 1u << (b % 8);
      for (size_t k = byte + 1; k-- > 0 && carry;) {
        unsigned s2 = pa[k] + carry;
        pa[k] = (uint8_t)s2;
        carry = s2 >> 8;
      }
    }
    if (step) return scenario_ipsec_fail_at(t, "count", err, "the prefixes run past the end of the address space (allowed: a smaller count)");
    if (!route_add(&w->routers[t->r].routes, t->pfam, pa, t->plen, SLICE_NH_TUNNEL(idx)))
      return scenario_ipsec_fail_at(t, "prefix", err, "out of memory");
    /* the outbound SA's selector is the prefix (--export-sas writes it; routing is the FIB's) */
    sa_config *o = &w->tunnels[idx].out;
    o->has_selector = true;
    o->selector.family = t->pfam;
    memcpy(o->selector.b, pa, 16);
    o->selector_len = t->plen;
  }
  if (!add_local_route(w, t->r, &w->tunnels[idx].out.local)) return scenario_ipsec_fail_at(t, "local", err, "out of memory");
  return true;
}
