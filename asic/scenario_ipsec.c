/* `ipsec: tunnels:` entries of a scenario (scenario_ipsec.h): parsing, the seed's unsupported
 * features, `count:` expansion and the two SAs of each tunnel. The per-SA fields are those of
 * `ipsecsim params sa` (walked from sa_param_table()); each tunnel's outbound and inbound SA
 * go through the SA file loader itself (sa_load_list on a map that holds the entry's own
 * nodes), so every SA rule and message is the SA file's. */
#include "scenario_ipsec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec_engine/sa_load.h"
#include "model/hexutil.h"
#include "scenario.h"

static const char *const own_keys[] = {"name",   "anchor", "bind",   "local", "remote", "algorithm", "key",
                                       "spi_out", "spi_in", "prefix", "count", "reassemble", NULL};
/* Keys of the SA table a tunnel states its own way: one SA per direction (direction), spi_out
 * and spi_in (spi), routes via its bind choose it (selector). */
static const char *const sa_own[] = {"name", "direction", "spi", "algorithm", "key", "local", "remote", "selector", NULL};

static bool in_list(const char *k, const char *const *l) {
  for (; *l; l++)
    if (!strcmp(*l, k)) return true;
  return false;
}

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
} tun_entry;

static const char *fld(const tun_entry *t, const char *key, char *buf, size_t n) {
  snprintf(buf, n, "%s%s%s", t->base, *key ? "." : "", key);
  return buf;
}

static bool fail_at(const tun_entry *t, const char *key, cfg_err *err, const char *msg) {
  char f[128];
  const cfg_node *n = key ? cfg_get(t->e, key) : NULL;
  return cfg_fail(err, n ? n : t->e, fld(t, key ? key : "", f, sizeof f), "%s", msg);
}

static const char *text_of(const tun_entry *t, const char *key, cfg_err *err) {
  char f[128];
  const cfg_node *n = cfg_get(t->e, key);
  return n ? scenario_scalar(n, fld(t, key, f, sizeof f), err) : NULL;
}

/* The seed's list of unsupported features ("The following features are not supported"). */
static bool unsupported(const tun_entry *t, cfg_err *err) {
  static const struct { const char *key, *ok, *feature; } rules[] = {
      {"protocol", "esp", "Authentication Header (AH)"},
      {"mode", "tunnel", "transport mode"},
      {"ike_version", "2", "IKE-V1"},
      {"reassemble", "false", "reassembly of IPv4 packets prior to decryption"},
  };
  char msg[256];
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
    const cfg_node *n = cfg_get(t->e, rules[i].key);
    if (!n || n->kind != CFG_SCALAR || !n->value || !strcmp(n->value, rules[i].ok)) continue;
    bool named = (i == 0 && !strcmp(n->value, "ah")) || (i == 1 && !strcmp(n->value, "transport")) ||
                 (i == 2 && !strcmp(n->value, "1")) || (i == 3 && !strcmp(n->value, "true"));
    if (!named && i == 3) return fail_at(t, "reassemble", err, "not a boolean (allowed: false)");
    if (!named) continue; /* anything else: the SA table's own message */
    snprintf(msg, sizeof msg, "%s is not supported by inline IPsec (seed: 'The following features are not "
             "supported') (allowed: %s)", rules[i].feature, rules[i].ok);
    return fail_at(t, rules[i].key, err, msg);
  }
  const cfg_node *a = cfg_get(t->e, "algorithm");
  const char *v = a && a->kind == CFG_SCALAR ? (a->value ? a->value : "") : NULL;
  if (v && (!*v || !strcmp(v, "~") || strstr(v, "null") || strstr(v, "NULL") || strstr(v, "Null") || strstr(v, "gmac")))
    return fail_at(t, "algorithm", err, "null encryption (RFC 4543) is not supported by inline IPsec (seed: 'The "
                   "following features are not supported') (allowed: aes-128-gcm, aes-256-gcm)");
  return true;
}

static bool parse_uint_key(const tun_entry *t, const char *key, double lo, double hi, uint64_t *v, cfg_err *err) {
  const cfg_param p = {key, CFG_T_UINT, "", NULL, lo, hi, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
  char f[128], why[CFG_ERR_MAX];
  const cfg_node *n = cfg_get(t->e, key);
  const char *s = scenario_scalar(n, fld(t, key, f, sizeof f), err);
  if (!s) return false;
  if (!cfg_parse_text(&p, s, v, why, sizeof why)) return cfg_fail(err, n, f, "%s", why);
  return true;
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

static bool parse_entry(tun_entry *t, cfg_err *err) {
  const char *s;
  char f[128], why[256];
  if (!unsupported(t, err)) return false;
  static const char *const req[] = {"name", "anchor", "bind", "local", "remote"};
  for (size_t i = 0; i < 5; i++)
    if (!cfg_get(t->e, req[i])) return cfg_fail(err, t->e, fld(t, req[i], f, sizeof f), "missing required key");
  if (!(t->name = text_of(t, "name", err)) || !(t->anchor = text_of(t, "anchor", err))) return false;
  if (strlen(t->anchor) >= sizeof ((asic_tunnel *)0)->anchor ||
      !asic_ipsec_anchor(&t->w->routers[t->r].plat, t->anchor, &t->asic, &t->slice, why, sizeof why))
    return fail_at(t, "anchor", err, strlen(t->anchor) >= 32 ? "too long (allowed: si-FPC/PIC/PORT)" : why);
  if (!(s = text_of(t, "bind", err))) return false;
  char *end = NULL;
  unsigned long unit = strncmp(s, "st0.", 4) ? 0 : strtoul(s + 4, &end, 10);
  if (!end || end == s + 4 || *end || unit > 1000000)
    return fail_at(t, "bind", err, "not a tunnel interface (allowed: st0.N, N = 0..1000000)");
  t->bind_unit = (uint32_t)unit;
  const char *lr[2] = {"local", "remote"};
  sa_addr *ad[2] = {&t->local, &t->remote};
  for (int k = 0; k < 2; k++) {
    if (!(s = text_of(t, lr[k], err))) return false;
    if (!sa_parse_addr(s, ad[k])) {
      snprintf(why, sizeof why, "'%.60s' is not an IPv4 or IPv6 address (allowed: a gateway address)", s);
      return fail_at(t, lr[k], err, why);
    }
  }
  if (t->local.family != t->remote.family)
    return fail_at(t, "remote", err, "address family differs from local (allowed: both IPv4 or both IPv6)");
  if (!memcmp(&t->local, &t->remote, sizeof t->local))
    return fail_at(t, "remote", err, "is the local gateway itself (allowed: another address)");
  const char *spi_keys[2] = {"spi_out", "spi_in"};
  for (int k = 0; k < 2; k++) {
    t->spi[k] = 0;
    if (!cfg_get(t->e, spi_keys[k])) continue;
    if (!parse_uint_key(t, spi_keys[k], 0, 4294967295.0, &t->spi[k], err)) return false;
    if (t->spi[k] < 256) return fail_at(t, spi_keys[k], err, "SPIs 0..255 are reserved (RFC 4303 s2.1) (allowed: 256..4294967295)");
  }
  t->count = 1;
  t->counted = cfg_get(t->e, "count") != NULL;
  if (t->counted && !parse_uint_key(t, "count", 1, 4294967295.0, &t->count, err)) return false;
  if ((t->has_prefix = cfg_get(t->e, "prefix") != NULL)) {
    if (!(s = text_of(t, "prefix", err))) return false;
    if (!route_parse_prefix(s, &t->pfam, t->paddr, &t->plen) || !strchr(s, '/'))
      return fail_at(t, "prefix", err, "not a prefix (allowed: A.B.C.D/LEN or IPv6/LEN)");
  }
  return true;
}

/* key: auto | HEX | {out: HEX, in: HEX} | file:PATH */
static bool parse_key(tun_entry *t, const char *scenario_path, cfg_err *err) {
  char f[128];
  const cfg_node *k = cfg_get(t->e, "key");
  t->key_source = ASIC_KEY_AUTO;
  if (!k) return true;
  fld(t, "key", f, sizeof f);
  if (k->kind == CFG_MAP) {
    static const char *const io[] = {"out", "in", NULL};
    if (!scenario_check_keys(k, f, io, err)) return false;
    for (int d = 0; d < 2; d++)
      if (!(t->key_node[d] = cfg_get(k, io[d]))) return cfg_fail(err, k, f, "missing '%s' (allowed: {out: HEX, in: HEX})", io[d]);
    t->key_source = ASIC_KEY_HEX;
    return true;
  }
  const char *s = scenario_scalar(k, f, err);
  if (!s) return false;
  if (!strcmp(s, "auto")) return true;
  if (strncmp(s, "file:", 5)) {
    t->key_source = ASIC_KEY_HEX;
    t->key_node[0] = t->key_node[1] = k;
    return true;
  }
  if (!s[5] || strlen(s + 5) >= sizeof t->key_file)
    return cfg_fail(err, k, f, "file: needs a path (allowed: file:PATH, up to %zu characters)", sizeof t->key_file - 1);
  snprintf(t->key_file, sizeof t->key_file, "%s", s + 5);
  char path[1024];
  const char *slash = strrchr(scenario_path, '/');
  if (t->key_file[0] == '/' || !slash) snprintf(path, sizeof path, "%s", t->key_file);
  else snprintf(path, sizeof path, "%.*s/%s", (int)(slash - scenario_path), scenario_path, t->key_file);
  t->key_source = ASIC_KEY_FILE;
  return (t->keys_doc = scenario_ipsec_keys_load(path, k, f, err)) != NULL;
}

/* The keying-material nodes of expanded tunnel `name` from the keys file. */
static bool file_keys(const tun_entry *t, const char *name, const cfg_node **out, cfg_err *err) {
  char f[128];
  char qual[128];
  snprintf(qual, sizeof qual, "%s:%s", t->w->routers[t->r].name, name);
  const cfg_node *all = cfg_get(cfg_root(t->keys_doc), "keys"), *m = cfg_get(all, qual);
  if (!m) m = cfg_get(all, name); /* ROUTER:NAME first, then NAME */
  if (!m || m->kind != CFG_MAP || !(out[0] = cfg_get(m, "out")) || !(out[1] = cfg_get(m, "in")))
    return cfg_fail(err, cfg_get(t->e, "key"), fld(t, "key", f, sizeof f),
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
    if (!in_list(t->e->keys[i], own_keys) || !strcmp(t->e->keys[i], "algorithm"))
      if (strcmp(t->e->keys[i], "reassemble")) syn_add(&s, t->e->keys[i], t->e->key_nodes[i], t->e->items[i]);
  sa_db db;
  bool ok = sa_db_init(&db, NULL) && sa_load_list(&db, &s.seq, err);
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

static bool expand(tun_entry *t, uint64_t i, cfg_err *err) {
  asic_world *w = t->w;
  asic_tunnel tu;
  memset(&tu, 0, sizeof tu);
  char f[128], why[300];
  const char *cnt = t->counted ? "count" : NULL;
  if (t->counted) snprintf(tu.name, sizeof tu.name, "%s-%llu", t->name, (unsigned long long)i);
  else snprintf(tu.name, sizeof tu.name, "%s", t->name);
  if (strlen(t->name) + (t->counted ? 11 : 0) >= SA_NAME_MAX) { /* count: "-N" up to 10 digits */
    snprintf(why, sizeof why, "too long (allowed: letters, digits, _ and -, at most %u characters%s)",
             SA_NAME_MAX - 1 - (t->counted ? 11 : 0), t->counted ? " with count" : "");
    return fail_at(t, "name", err, why);
  }
  if (asic_ipsec_find_name(w, t->r, tu.name) != ASIC_NONE) {
    snprintf(why, sizeof why, "duplicate tunnel '%s' on %s (allowed: a name used once per router)", tu.name, w->routers[t->r].name);
    return fail_at(t, "name", err, why);
  }
  snprintf(tu.anchor, sizeof tu.anchor, "%s", t->anchor);
  snprintf(tu.bind, sizeof tu.bind, "st0.%llu", (unsigned long long)t->bind_unit + i);
  uint32_t other = asic_ipsec_find_bind(w, t->r, tu.bind);
  if (other != ASIC_NONE) {
    snprintf(why, sizeof why, "%s is already the bind of tunnel %s (allowed: one tunnel per st0 unit)", tu.bind, w->tunnels[other].name);
    return fail_at(t, cnt && i ? cnt : "bind", err, why);
  }
  tu.router = t->r;
  tu.slice = w->routers[t->r].first_asic_slice + 2 * t->asic + t->slice;
  sa_addr lo = t->local, re = t->remote;
  if (!addr_plus(t->local.b, lo.family, i, lo.b) || !addr_plus(t->remote.b, re.family, i, re.b))
    return fail_at(t, "count", err, "the gateway addresses run past the end of the address space (allowed: a smaller count)");
  uint32_t spi[2];
  for (int d = 0; d < 2; d++) {
    if (t->spi[d] && t->spi[d] + i > 4294967295ull)
      return fail_at(t, "count", err, "the SPIs run past 4294967295 (allowed: a smaller count or SPI)");
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
  snprintf(tu.key_file, sizeof tu.key_file, "%s", t->key_file);
  tu.peer = ASIC_NONE;
  snprintf(tu.where, sizeof tu.where, "%s:%u:%u", t->e->file, t->e->line, t->e->col);
  uint32_t idx = w->n_tunnels;
  bool ok = asic_ipsec_add_tunnel(w, &tu, why, sizeof why);
  memset(&tu, 0, sizeof tu); /* keys */
  if (!ok) {
    const cfg_node *n = cnt ? cfg_get(t->e, cnt) : t->e;
    return cfg_fail(err, n, fld(t, cnt ? cnt : "", f, sizeof f), "%s (allowed: up to %u tunnels per chassis, the seed's limit)",
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
    if (step) return fail_at(t, "count", err, "the prefixes run past the end of the address space (allowed: a smaller count)");
    if (!route_add(&w->routers[t->r].routes, t->pfam, pa, t->plen, SLICE_NH_TUNNEL(idx)))
      return fail_at(t, "prefix", err, "out of memory");
  }
  if (!add_local_route(w, t->r, &w->tunnels[idx].out.local)) return fail_at(t, "local", err, "out of memory");
  return true;
}

static size_t allowed_keys(const char **out, size_t cap) {
  size_t n = 0, n_sa;
  for (size_t i = 0; own_keys[i] && n + 1 < cap; i++) out[n++] = own_keys[i];
  const cfg_param *tab = sa_param_table(&n_sa);
  for (size_t i = 0; i < n_sa && n + 1 < cap; i++)
    if (!in_list(tab[i].name, sa_own)) out[n++] = tab[i].name;
  out[n] = NULL;
  return n;
}

bool scenario_ipsec_router(const cfg_node *ipsec, asic_world *w, uint32_t r, const char *pre, uint64_t seed,
                           const char *scenario_path, cfg_err *err) {
  if (!ipsec) return true;
  char f[128], base[96];
  snprintf(f, sizeof f, "%sipsec", pre);
  static const char *const ipsec_keys[] = {"tunnels", NULL};
  if (!scenario_check_keys(ipsec, f, ipsec_keys, err)) return false;
  const cfg_node *seq = cfg_get(ipsec, "tunnels");
  snprintf(f, sizeof f, "%sipsec.tunnels", pre);
  if (!seq) return cfg_fail(err, ipsec, f, "missing (allowed: a list of tunnels)");
  if (seq->kind != CFG_SEQ) return cfg_fail(err, seq, f, "expected a list (allowed: a list of tunnels)");
  snprintf(base, sizeof base, "%sipsec.tunnels[]", pre);
  const char *allowed[64];
  allowed_keys(allowed, 64);
  for (size_t k = 0; k < seq->n; k++) {
    tun_entry t = {.e = seq->items[k], .base = base, .w = w, .r = r, .seed = seed};
    if (!scenario_check_keys(t.e, base, allowed, err) || !parse_entry(&t, err) || !parse_key(&t, scenario_path, err))
      return false;
    bool ok = true;
    for (uint64_t i = 0; ok && i < t.count; i++) ok = expand(&t, i, err);
    if (t.keys_doc) cfg_free(t.keys_doc);
    if (!ok) return false;
  }
  return true;
}
