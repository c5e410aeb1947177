/* `ipsec: tunnels:` entries of a scenario (scenario_ipsec.h): keys, required fields, the seed's
 * unsupported features, the anchor (si map, release), SPIs, count, prefix and key forms; then
 * each entry is expanded (scenario_ipsec_expand.c). The per-SA keys accepted are those of
 * `ipsecsim params sa`, walked from sa_param_table(). */
#include "scenario_ipsec_entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec_engine/sa_load.h"
#include "model/stats.h"
#include "scenario.h"

static const char *const own_keys[] = {"name",   "anchor", "bind",   "local", "remote", "algorithm", "key",
                                       "spi_out", "spi_in", "prefix", "count", "reassemble",
                                       "installed", "ipsec_policy", "ike_gateway", NULL};
/* Keys of the SA table a tunnel states its own way: one SA per direction (direction), spi_out
 * and spi_in (spi), routes via its bind choose it (selector). */
static const char *const sa_own[] = {"name", "direction", "spi", "algorithm", "key", "local", "remote", "selector", NULL};

static bool in_list(const char *k, const char *const *l) {
  for (; *l; l++)
    if (!strcmp(*l, k)) return true;
  return false;
}

const char *scenario_ipsec_field(const tun_entry *t, const char *key, char *buf, size_t n) {
  snprintf(buf, n, "%s%s%s", t->base, *key ? "." : "", key);
  return buf;
}

bool scenario_ipsec_fail_at(const tun_entry *t, const char *key, cfg_err *err, const char *msg) {
  char f[128];
  const cfg_node *n = key ? cfg_get(t->e, key) : NULL;
  return cfg_fail(err, n ? n : t->e, scenario_ipsec_field(t, key ? key : "", f, sizeof f), "%s", msg);
}

bool scenario_ipsec_own_key(const char *key) { return in_list(key, own_keys); }

static const char *text_of(const tun_entry *t, const char *key, cfg_err *err) {
  char f[128];
  const cfg_node *n = cfg_get(t->e, key);
  return n ? scenario_scalar(n, scenario_ipsec_field(t, key, f, sizeof f), err) : NULL;
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
    if (!named && i == 3) return scenario_ipsec_fail_at(t, "reassemble", err, "not a boolean (allowed: false)");
    if (!named) continue; /* anything else: the SA table's own message */
    snprintf(msg, sizeof msg, "%s is not supported by inline IPsec (seed: 'The following features are not "
             "supported') (allowed: %s)", rules[i].feature, rules[i].ok);
    return scenario_ipsec_fail_at(t, rules[i].key, err, msg);
  }
  const cfg_node *a = cfg_get(t->e, "algorithm");
  const char *v = a && a->kind == CFG_SCALAR ? (a->value ? a->value : "") : NULL;
  if (v && (!*v || !strcmp(v, "~") || strstr(v, "null") || strstr(v, "NULL") || strstr(v, "Null") || strstr(v, "gmac")))
    return scenario_ipsec_fail_at(t, "algorithm", err, "null encryption (RFC 4543) is not supported by inline IPsec (seed: 'The "
                   "following features are not supported') (allowed: aes-128-gcm, aes-256-gcm)");
  return true;
}

static bool parse_uint_key(const tun_entry *t, const char *key, double lo, double hi, uint64_t *v, cfg_err *err) {
  const cfg_param p = {key, CFG_T_UINT, "", NULL, lo, hi, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
  char f[128], why[CFG_ERR_MAX];
  const cfg_node *n = cfg_get(t->e, key);
  const char *s = scenario_scalar(n, scenario_ipsec_field(t, key, f, sizeof f), err);
  if (!s) return false;
  if (!cfg_parse_text(&p, s, v, why, sizeof why)) return cfg_fail(err, n, f, "%s", why);
  return true;
}

static bool parse_entry(tun_entry *t, cfg_err *err) {
  const char *s;
  char f[128], why[256];
  if (!unsupported(t, err)) return false;
  static const char *const req[] = {"name", "anchor", "bind", "local", "remote"};
  for (size_t i = 0; i < 5; i++)
    if (!cfg_get(t->e, req[i])) return cfg_fail(err, t->e, scenario_ipsec_field(t, req[i], f, sizeof f), "missing required key");
  if (!(t->name = text_of(t, "name", err)) || !(t->anchor = text_of(t, "anchor", err))) return false;
  if (strchr(t->name, '.') || !stats_name_ok(t->name)) { /* it names metrics tunnel.ROUTER.NAME.* */
    snprintf(why, sizeof why, "bad name '%.40s' (allowed: lower-case letters, digits, _ and -)", t->name);
    return scenario_ipsec_fail_at(t, "name", err, why);
  }
  if (strlen(t->anchor) >= sizeof ((asic_tunnel *)0)->anchor ||
      !asic_ipsec_anchor(&t->w->routers[t->r].plat, t->anchor, &t->asic, &t->slice, why, sizeof why))
    return scenario_ipsec_fail_at(t, "anchor", err, strlen(t->anchor) >= 32 ? "too long (allowed: si-FPC/PIC/PORT)" : why);
  if (!(s = text_of(t, "bind", err))) return false;
  char *end = NULL;
  unsigned long unit = strncmp(s, "st0.", 4) ? 0 : strtoul(s + 4, &end, 10);
  if (!end || end == s + 4 || *end || unit > 1000000)
    return scenario_ipsec_fail_at(t, "bind", err, "not a tunnel interface (allowed: st0.N, N = 0..1000000)");
  t->bind_unit = (uint32_t)unit;
  const char *lr[2] = {"local", "remote"};
  sa_addr *ad[2] = {&t->local, &t->remote};
  for (int k = 0; k < 2; k++) {
    if (!(s = text_of(t, lr[k], err))) return false;
    if (!sa_parse_addr(s, ad[k])) {
      snprintf(why, sizeof why, "'%.60s' is not an IPv4 or IPv6 address (allowed: a gateway address)", s);
      return scenario_ipsec_fail_at(t, lr[k], err, why);
    }
  }
  if (t->local.family != t->remote.family)
    return scenario_ipsec_fail_at(t, "remote", err, "address family differs from local (allowed: both IPv4 or both IPv6)");
  if (!memcmp(&t->local, &t->remote, sizeof t->local))
    return scenario_ipsec_fail_at(t, "remote", err, "is the local gateway itself (allowed: another address)");
  const char *spi_keys[2] = {"spi_out", "spi_in"};
  for (int k = 0; k < 2; k++) {
    t->spi[k] = 0;
    if (!cfg_get(t->e, spi_keys[k])) continue;
    if (!parse_uint_key(t, spi_keys[k], 0, 4294967295.0, &t->spi[k], err)) return false;
    if (t->spi[k] < 256) return scenario_ipsec_fail_at(t, spi_keys[k], err, "SPIs 0..255 are reserved (RFC 4303 s2.1) (allowed: 256..4294967295)");
  }
  t->installed_later = false;
  if (cfg_get(t->e, "installed")) { /* issue 13: false = installed later by an `events:` install */
    if (!(s = text_of(t, "installed", err))) return false;
    if (strcmp(s, "true") && strcmp(s, "false"))
      return scenario_ipsec_fail_at(t, "installed", err, "not a boolean (allowed: true, false)");
    t->installed_later = !strcmp(s, "false");
  }
  /* Junos's policy and IKE gateway names: labels the `show` views print, no effect on the model */
  static const char *const labels[2] = {"ipsec_policy", "ike_gateway"};
  for (int k = 0; k < 2; k++) {
    t->label[k] = "";
    if (!cfg_get(t->e, labels[k])) continue;
    if (!(s = text_of(t, labels[k], err))) return false;
    bool ok = *s && strlen(s) < sizeof ((asic_tunnel *)0)->ipsec_policy;
    for (const char *c = s; ok && *c; c++)
      ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.';
    if (!ok) return scenario_ipsec_fail_at(t, labels[k], err, "not a name (allowed: 1 to 63 letters, digits, _, - and .)");
    t->label[k] = s;
  }
  t->count = 1;
  t->counted = cfg_get(t->e, "count") != NULL;
  if (t->counted && !parse_uint_key(t, "count", 1, 4294967295.0, &t->count, err)) return false;
  if ((t->has_prefix = cfg_get(t->e, "prefix") != NULL)) {
    if (!(s = text_of(t, "prefix", err))) return false;
    if (!route_parse_prefix(s, &t->pfam, t->paddr, &t->plen) || !strchr(s, '/'))
      return scenario_ipsec_fail_at(t, "prefix", err, "not a prefix (allowed: A.B.C.D/LEN or IPv6/LEN)");
  }
  return true;
}

/* key: auto | HEX | {out: HEX, in: HEX} | file:PATH */
static bool parse_key(tun_entry *t, const char *scenario_path, cfg_err *err) {
  char f[128];
  const cfg_node *k = cfg_get(t->e, "key");
  t->key_source = ASIC_KEY_AUTO;
  if (!k) return true;
  scenario_ipsec_field(t, "key", f, sizeof f);
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

static size_t allowed_keys(const char **out, size_t cap) {
  size_t n = 0, n_sa;
  for (size_t i = 0; own_keys[i] && n + 1 < cap; i++) out[n++] = own_keys[i];
  const cfg_param *tab = sa_param_table(&n_sa);
  for (size_t i = 0; i < n_sa && n + 1 < cap; i++)
    if (!in_list(tab[i].name, sa_own)) out[n++] = tab[i].name;
  out[n] = NULL;
  return n;
}

int scenario_ipsec_count_set(scenario_count_sets *c, const char *router, const char *key, const char *full_key,
                             const char *val, char *why, size_t why_len) {
  static const char pre[] = "ipsec.tunnels.", suf[] = ".count";
  size_t kl = strlen(key), pl = sizeof pre - 1, sl = sizeof suf - 1;
  if (kl <= pl + sl || strncmp(key, pre, pl) || strcmp(key + kl - sl, suf)) return 0;
  const cfg_param p = {"count", CFG_T_UINT, "", NULL, 1, 4294967295.0, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
  uint64_t v = 0;
  if (!cfg_parse_text(&p, val, &v, why, why_len)) return -1;
  if (c->n >= SCENARIO_COUNT_SETS || kl - pl - sl >= sizeof c->s[0].name || strlen(router) >= sizeof c->s[0].router) {
    snprintf(why, why_len, "too many or too long (allowed: up to %d tunnel counts, names up to %zu characters)",
             SCENARIO_COUNT_SETS, sizeof c->s[0].name - 1);
    return -1;
  }
  scenario_count_set *s = &c->s[c->n++];
  memset(s, 0, sizeof *s);
  snprintf(s->key, sizeof s->key, "%s", full_key);
  snprintf(s->router, sizeof s->router, "%s", router);
  snprintf(s->name, sizeof s->name, "%.*s", (int)(kl - pl - sl), key + pl);
  s->count = v;
  return 1;
}

bool scenario_ipsec_count_sets_used(const scenario_count_sets *c, const asic_world *w, cfg_err *err) {
  for (size_t i = 0; i < c->n; i++) {
    if (c->s[i].used) continue;
    char names[200] = "";
    size_t len = 0, shown = 0;
    for (uint32_t t = 0; t < w->n_tunnels && shown < 4 && len < sizeof names; t++)
      len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", shown++ ? ", " : "", w->tunnels[t].name);
    snprintf(err->msg, sizeof err->msg, "--set %s: no tunnels entry '%s'%s%s (allowed: the name: of an ipsec: tunnels: "
             "entry%s%s)", c->s[i].key, c->s[i].name, c->s[i].router[0] ? " on router " : "", c->s[i].router,
             shown ? "; tunnels: " : "", names);
    return false;
  }
  return true;
}

/* A --set count for entry t (its router's or every router's) replaces its count:. */
static void count_override(tun_entry *t, scenario_count_sets *counts) {
  for (size_t i = 0; counts && i < counts->n; i++) {
    scenario_count_set *s = &counts->s[i];
    if (strcmp(s->name, t->name) || (s->router[0] && strcmp(s->router, t->w->routers[t->r].name))) continue;
    t->count = s->count, t->counted = true, s->used = true;
  }
}

bool scenario_ipsec_router(const cfg_node *ipsec, asic_world *w, uint32_t r, const char *pre, uint64_t seed,
                           const char *scenario_path, scenario_count_sets *counts, cfg_err *err) {
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
    count_override(&t, counts);
    bool ok = true;
    for (uint64_t i = 0; ok && i < t.count; i++) ok = scenario_ipsec_expand(&t, i, err);
    if (t.keys_doc) cfg_free(t.keys_doc);
    if (!ok) return false;
  }
  return true;
}
