/* SA file loader: a cfg parameter table for the scalar fields, hand-checked fields for the
 * ones with structure (udp_encap, selector) and for refusing unsupported features by name. */
#include "sa_load.h"
#include "sa_set.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sa_raw {
  char *name;
  int direction;
  uint64_t spi;
  char *algorithm;
  cfg_bytes key;
  char *local, *remote;
  bool esn;
  uint64_t replay_window;
  uint64_t tunnel_mtu;
  int df_bit;
  bool copy_outer_dscp;
  uint64_t lifetime_seconds, lifetime_kilobytes;
  uint64_t soft_lifetime_seconds, soft_lifetime_kilobytes;
  bool nat_detected;
  uint64_t initial_seq;
  uint64_t outer_ttl;
  char *protocol, *mode;
  uint64_t ike_version;
} sa_raw;

#define P(name, type, def, lo, hi, allowed, doc, field, secret)                                \
  { name, type, "", def, lo, hi, allowed, CFG_SRC_ASSUMED, NULL, doc, offsetof(sa_raw, field), \
    secret }
/* Entries with a unit and a stated source (published = the seed / RFC; assumed = our default). */
#define PU(name, def, lo, hi, unit, src, why, doc, field)                                       \
  { name, CFG_T_UINT, unit, def, lo, hi, NULL, src, why, doc, offsetof(sa_raw, field), false }
static const cfg_param SA_TABLE[] = {
    P("name", CFG_T_STRING, NULL, 1, 0, NULL, "SA name (unique, used in counters)", name, false),
    P("direction", CFG_T_ENUM, NULL, 1, 0, "outbound|inbound", "outbound encrypts, inbound decrypts", direction, false),
    P("spi", CFG_T_UINT, NULL, 256, 4294967295.0, NULL, "SPI; 0..255 are reserved (RFC 4303 s2.1)", spi, false),
    P("algorithm", CFG_T_STRING, NULL, 1, 0, NULL, "aes-128-gcm or aes-256-gcm (RFC 4106)", algorithm, false),
    P("key", CFG_T_HEX, NULL, 1, 0, NULL, "keying material: key then 4-byte salt (RFC 4106 s8.1)", key, true),
    P("local", CFG_T_STRING, NULL, 1, 0, NULL, "local tunnel endpoint (outer source on encrypt)", local, false),
    P("remote", CFG_T_STRING, NULL, 1, 0, NULL, "remote tunnel endpoint", remote, false),
    P("esn", CFG_T_BOOL, "false", 1, 0, NULL, "64-bit extended sequence numbers (RFC 4303 s2.2.1)", esn, false),
    PU("replay_window", "64", REPLAY_WINDOW_MIN, REPLAY_WINDOW_MAX, "packets", CFG_SRC_PUBLISHED,
       "seed: anti-replay window 64 by default; RFC 4303 s3.4.3 (>= 32); 4096 as Linux/MS-MPC", "anti-replay window in packets", replay_window),
    PU("tunnel_mtu", "9000", 576, 65535, "B", CFG_SRC_ASSUMED,
       "DESIGN: jumbo WAN by default; scenarios that want pre-fragmentation set it", "largest outer (ESP) IP packet", tunnel_mtu),
    P("df_bit", CFG_T_ENUM, "clear", 1, 0, "clear|set|copy", "outer IPv4 DF (RFC 4301 s8.1)", df_bit, false),
    P("copy_outer_dscp", CFG_T_BOOL, "false", 1, 0, NULL, "decrypt: outer DSCP copied to the inner header", copy_outer_dscp, false),
    PU("lifetime_seconds", "3600", 0, 4294967295.0, "s", CFG_SRC_ASSUMED,
       "Junos IPsec proposals default to 3600 s", "hard lifetime from the first packet, 0 = none", lifetime_seconds),
    PU("lifetime_kilobytes", "0", 0, 1e15, "KiB", CFG_SRC_ASSUMED,
       "DESIGN: 1 KB = 1024 clear-side bytes of authenticated packets", "hard lifetime in clear-side KiB, 0 = none", lifetime_kilobytes),
    PU("soft_lifetime_seconds", "0", 0, 4294967295.0, "s", CFG_SRC_DERIVED,
       "seed's show output: 2798 of 3405 s = 82%", "soft lifetime (rekey event), 0 = 82% of the hard one", soft_lifetime_seconds),
    PU("soft_lifetime_kilobytes", "0", 0, 1e15, "KiB", CFG_SRC_DERIVED,
       "82% as for seconds", "soft lifetime in clear-side KiB, 0 = 82% of the hard one", soft_lifetime_kilobytes),
    P("nat_detected", CFG_T_BOOL, "false", 1, 0, NULL, "IKE detected a NAT: NAT-T (4500/4500) replaces any other encapsulation", nat_detected, false),
    P("initial_seq", CFG_T_UINT, "0", 0, 18446744073709551615.0, NULL, "outbound: last seq sent; inbound: window right edge", initial_seq, false),
    PU("outer_ttl", "64", 1, 255, "hops", CFG_SRC_ASSUMED, "DESIGN: outer TTL / hop limit 64",
       "outer TTL / hop limit", outer_ttl),
    P("protocol", CFG_T_STRING, "esp", 1, 0, NULL, "esp (AH is not supported)", protocol, false),
    P("mode", CFG_T_STRING, "tunnel", 1, 0, NULL, "tunnel (transport mode is not supported)", mode, false),
    P("ike_version", CFG_T_UINT, "2", 0, 255, NULL, "2 (IKEv1 is not supported)", ike_version, false),
    /* The keys parsed by hand (EXTRA_KEYS), last: documented here, not applied by the table. */
    P("udp_encap", CFG_T_ENUM, "none", 1, 0, "none|nat-t|multipath|{dst_port: N}",
      "UDP encapsulation: NAT-T 4500/4500, multipath to 500 or dst_port 1025..65535 except 4500", name, false),
    P("selector", CFG_T_STRING, "catch-all", 1, 0, NULL,
      "outbound: inner destination prefix (A.B.C.D/N, X:X::X/N), longest match wins", name, false),
};
#undef P
#define SA_DOC_N (sizeof SA_TABLE / sizeof SA_TABLE[0])
static const char *const EXTRA_KEYS[] = {"udp_encap", "selector", NULL};
#define SA_TABLE_N (SA_DOC_N - 2) /* the entries cfg_apply_table parses */

const cfg_param *sa_param_table(size_t *n) {
  *n = SA_DOC_N;
  return SA_TABLE;
}

const char *const *sa_load_extra_keys(void) { return EXTRA_KEYS; }

static bool parse_algorithm(const cfg_node *at, const char *field, const char *text, sa_alg *alg,
                            cfg_err *err) {
  if (!strcmp(text, "aes-128-gcm")) { *alg = SA_AES128_GCM; return true; }
  if (!strcmp(text, "aes-256-gcm")) { *alg = SA_AES256_GCM; return true; }
  /* "no cipher" in any spelling: "null", "NULL", "~", "" (quoted or not; see load_one). */
  if (!*text || !strcmp(text, "~") || strstr(text, "null") || strstr(text, "NULL") ||
      strstr(text, "Null") || strstr(text, "gmac"))
    return cfg_fail(err, at, field, "NULL encryption (RFC 4543 AES-GMAC) is not supported "
                    "(allowed: aes-128-gcm, aes-256-gcm)");
  if (strstr(text, "gcm"))
    return cfg_fail(err, at, field, "'%.40s' is not supported by the inline engine "
                    "(allowed: aes-128-gcm, aes-256-gcm)", text);
  return cfg_fail(err, at, field, "non-GCM cipher '%.40s' is not supported (allowed: "
                  "aes-128-gcm, aes-256-gcm)", text);
}

static bool parse_udp_encap(const cfg_node *v, const char *prefix, sa_config *c, cfg_err *err) {
  char field[128];
  snprintf(field, sizeof field, "%s.udp_encap", prefix);
  if (v->kind == CFG_SCALAR) {
    if (!strcmp(v->value, "none")) { c->udp = SA_UDP_NONE; return true; }
    if (!strcmp(v->value, "nat-t")) { c->udp = SA_UDP_NATT; c->udp_dst_port = SA_NATT_PORT; return true; }
    if (!strcmp(v->value, "multipath")) {
      c->udp = SA_UDP_MULTIPATH;
      c->udp_dst_port = SA_MULTIPATH_DEFAULT_PORT;
      return true;
    }
    return cfg_fail(err, v, field, "'%.40s' is not an encapsulation (allowed: none, nat-t, "
                    "multipath, or a map with dst_port)", v->value);
  }
  if (v->kind != CFG_MAP)
    return cfg_fail(err, v, field, "expected a scalar or a map (allowed: none, nat-t, "
                    "{dst_port: N})");
  for (size_t i = 0; i < v->n; i++)
    if (strcmp(v->keys[i], "dst_port") != 0)
      return cfg_fail(err, v->key_nodes[i], field, "unknown key '%.40s' (allowed: dst_port)",
                      v->keys[i]);
  const cfg_node *p = cfg_get(v, "dst_port");
  snprintf(field, sizeof field, "%s.udp_encap.dst_port", prefix);
  if (!p) return cfg_fail(err, v, field, "missing required key");
  char *end = NULL;
  unsigned long port = p->kind == CFG_SCALAR ? strtoul(p->value, &end, 10) : 0;
  if (p->kind != CFG_SCALAR || !*p->value || *end)
    return cfg_fail(err, p, field, "not a port number (allowed: 1025..65535 except 4500)");
  /* The seed forbids 500 and 4500 as configured ports; unconfigured means 500. */
  if (port < 1025 || port > 65535 || port == 4500)
    return cfg_fail(err, p, field, "%lu is out of range (allowed: 1025..65535 except 4500)", port);
  c->udp = SA_UDP_MULTIPATH;
  c->udp_dst_port = (uint16_t)port;
  return true;
}

static bool parse_selector(const cfg_node *v, const char *field, sa_config *c, cfg_err *err) {
  if (v->kind != CFG_SCALAR)
    return cfg_fail(err, v, field, "expected a prefix such as 10.1.0.0/16 or 2001:db8::/32");
  char buf[80];
  snprintf(buf, sizeof buf, "%s", v->value);
  char *slash = strchr(buf, '/');
  if (slash) *slash = '\0';
  if (!sa_parse_addr(buf, &c->selector))
    return cfg_fail(err, v, field, "'%.60s' is not an address prefix (allowed: A.B.C.D/N, X:X::X/N)",
                    v->value);
  unsigned max = c->selector.family == 4 ? 32 : 128;
  unsigned long len = max;
  if (slash) {
    char *end = NULL;
    len = strtoul(slash + 1, &end, 10);
    if (!slash[1] || *end || len > max)
      return cfg_fail(err, v, field, "bad prefix length (allowed: 0..%u)", max);
  }
  c->has_selector = true;
  c->selector_len = (uint8_t)len;
  return true;
}

static bool load_one(sa_db *db, const sa_set_ctx *set, size_t idx, cfg_err *err) {
  const cfg_node *m = set->sas->items[idx];
  char prefix[32], field[128];
  snprintf(prefix, sizeof prefix, "sas[%zu]", idx);
  sa_raw r;
  memset(&r, 0, sizeof r);
  sa_config c;
  memset(&c, 0, sizeof c);
  /* An unquoted null, ~ or empty algorithm is YAML's null, which the table would report
   * as "missing value"; say what it asks for instead: NULL encryption. */
  const cfg_node *alg_node = m->kind == CFG_MAP ? cfg_get(m, "algorithm") : NULL;
  if (alg_node && alg_node->kind == CFG_SCALAR && !alg_node->quoted &&
      (!alg_node->value || !*alg_node->value || !strcmp(alg_node->value, "~") ||
       !strcmp(alg_node->value, "null") || !strcmp(alg_node->value, "Null") ||
       !strcmp(alg_node->value, "NULL"))) {
    snprintf(field, sizeof field, "%s.algorithm", prefix);
    return parse_algorithm(alg_node, field, "", &c.alg, err);
  }
  bool ok = cfg_apply_table(m, prefix, SA_TABLE, SA_TABLE_N, EXTRA_KEYS, &r, err);
#define FAIL_AT(key, ...)                                                 \
  do {                                                                    \
    snprintf(field, sizeof field, "%s.%s", prefix, key);                  \
    const cfg_node *at_ = cfg_get(m, key);                                \
    ok = cfg_fail(err, at_ ? at_ : m, field, __VA_ARGS__);                \
    goto out;                                                             \
  } while (0)
  if (!ok) goto out;
  if (strcmp(r.protocol, "esp") != 0) {
    if (!strcmp(r.protocol, "ah")) FAIL_AT("protocol", "AH is not supported (allowed: esp)");
    FAIL_AT("protocol", "'%.40s' is not supported (allowed: esp)", r.protocol);
  }
  if (strcmp(r.mode, "tunnel") != 0) {
    if (!strcmp(r.mode, "transport")) FAIL_AT("mode", "transport mode is not supported (allowed: tunnel)");
    FAIL_AT("mode", "'%.40s' is not a mode (allowed: tunnel)", r.mode);
  }
  if (r.ike_version != 2) {
    if (r.ike_version == 1) FAIL_AT("ike_version", "IKEv1 is not supported (allowed: 2)");
    FAIL_AT("ike_version", "%llu is not an IKE version (allowed: 2)", (unsigned long long)r.ike_version);
  }
  if (strlen(r.name) >= SA_NAME_MAX || strspn(r.name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != strlen(r.name))
    FAIL_AT("name", "'%.40s' is not a valid name (allowed: letters, digits, _ and -, at most %u characters)",
            r.name, SA_NAME_MAX - 1);
  /* A name is printed in every report: one that looks like key material is refused unseen. */
  if (cfg_text_key_like(r.name))
    FAIL_AT("name", "the value looks like key material (allowed: a name that is not key-like)");
  snprintf(c.name, sizeof c.name, "%s", r.name);
  snprintf(field, sizeof field, "%s.algorithm", prefix);
  if (!parse_algorithm(cfg_get(m, "algorithm"), field, r.algorithm, &c.alg, err)) { ok = false; goto out; }
  size_t want = sa_keymat_len(c.alg);
  if (r.key.len != want)
    FAIL_AT("key", "%zu bytes of keying material, %s needs %zu (%zu-byte key + 4-byte salt, RFC 4106 s8.1)",
            r.key.len, r.algorithm, want, want - SA_SALT_LEN);
  c.key_len = want - SA_SALT_LEN;
  memcpy(c.key, r.key.data, c.key_len);
  memcpy(c.salt, r.key.data + c.key_len, SA_SALT_LEN);
  if (!sa_parse_addr(r.local, &c.local)) FAIL_AT("local", "'%.60s' is not an IPv4 or IPv6 address", r.local);
  if (!sa_parse_addr(r.remote, &c.remote)) FAIL_AT("remote", "'%.60s' is not an IPv4 or IPv6 address", r.remote);
  if (c.local.family != c.remote.family)
    FAIL_AT("remote", "address family differs from local (allowed: both IPv4 or both IPv6)");
  c.dir = r.direction == 0 ? SA_OUTBOUND : SA_INBOUND;
  c.spi = (uint32_t)r.spi;
  c.esn = r.esn;
  c.replay_window = (uint32_t)r.replay_window;
  c.tunnel_mtu = (uint32_t)r.tunnel_mtu;
  c.df = (sa_df_mode)r.df_bit;
  c.copy_outer_dscp = r.copy_outer_dscp;
  c.lifetime_seconds = r.lifetime_seconds;
  c.lifetime_kilobytes = r.lifetime_kilobytes;
  c.soft_lifetime_seconds = r.soft_lifetime_seconds;
  c.soft_lifetime_kilobytes = r.soft_lifetime_kilobytes;
  c.initial_seq = r.initial_seq;
  c.outer_ttl = (uint8_t)r.outer_ttl;
  if (!c.esn && c.initial_seq > UINT32_MAX)
    FAIL_AT("initial_seq", "%llu does not fit 32 bits (allowed: 0..4294967295 without esn)",
            (unsigned long long)c.initial_seq);
  const cfg_node *u = cfg_get(m, "udp_encap");
  if (u && !parse_udp_encap(u, prefix, &c, err)) { ok = false; goto out; }
  if (r.nat_detected) { /* RFC 3948: NAT-T takes precedence over multipath encapsulation */
    c.udp = SA_UDP_NATT;
    c.udp_dst_port = SA_NATT_PORT;
  }
  if (c.lifetime_seconds && c.soft_lifetime_seconds >= c.lifetime_seconds)
    FAIL_AT("soft_lifetime_seconds", "%llu is not below lifetime_seconds %llu (allowed: 0..%llu)",
            (unsigned long long)c.soft_lifetime_seconds, (unsigned long long)c.lifetime_seconds,
            (unsigned long long)c.lifetime_seconds - 1);
  if (c.lifetime_kilobytes && c.soft_lifetime_kilobytes >= c.lifetime_kilobytes)
    FAIL_AT("soft_lifetime_kilobytes", "%llu is not below lifetime_kilobytes %llu (allowed: 0..%llu)",
            (unsigned long long)c.soft_lifetime_kilobytes, (unsigned long long)c.lifetime_kilobytes,
            (unsigned long long)c.lifetime_kilobytes - 1);
  const cfg_node *s = cfg_get(m, "selector");
  snprintf(field, sizeof field, "%s.selector", prefix);
  if (s && !parse_selector(s, field, &c, err)) { ok = false; goto out; }
  if (s && c.dir == SA_INBOUND) FAIL_AT("selector", "only outbound SAs choose by selector");
  if (sa_carries_ipv6(&c) && sa_max_inner(&c) < 1280)
    FAIL_AT("tunnel_mtu", "%u leaves %u bytes for an inner packet, below IPv6's 1280 (allowed: "
            ">= %u, or an IPv4 selector for an IPv4-only SA)", c.tunnel_mtu, sa_max_inner(&c),
            1280u + (c.local.family == 4 ? 20u : 40u) + (c.udp != SA_UDP_NONE ? 8u : 0u) + 36u);
  if (!sa_set_check_entry(db, set, idx, &c, err)) { ok = false; goto out; }
  char why[256];
  if (!sa_db_add(db, &c, why, sizeof why)) {
    snprintf(field, sizeof field, "%s", prefix);
    ok = cfg_fail(err, m, field, "%s", why);
  }
out:
#undef FAIL_AT
  if (r.key.data) memset(r.key.data, 0, r.key.len);
  memset(&c, 0, sizeof c);
  cfg_table_free(SA_TABLE, SA_TABLE_N, &r);
  return ok;
}

bool sa_load_doc(sa_db *db, const cfg_doc *doc, cfg_err *err) {
  const cfg_node *root = cfg_root(doc);
  if (!root || root->kind != CFG_MAP)
    return cfg_fail(err, root, "sas", "expected a map with one key 'sas' (allowed: sas)");
  for (size_t i = 0; i < root->n; i++)
    if (strcmp(root->keys[i], "sas") != 0) {
      const char *cand[] = {"sas"};
      const char *dym = cfg_did_you_mean(root->keys[i], cand, 1);
      return cfg_fail(err, root->key_nodes[i], root->keys[i], "unknown key%s (allowed: sas)",
                      dym ? " (did you mean 'sas'?)" : "");
    }
  const cfg_node *sas = cfg_get(root, "sas");
  if (!sas) return cfg_fail(err, root, "sas", "missing required key");
  return sa_load_list(db, sas, err);
}

bool sa_load_list(sa_db *db, const cfg_node *sas, cfg_err *err) {
  if (sas->kind != CFG_SEQ || sas->n == 0)
    return cfg_fail(err, sas, "sas", "expected a non-empty list of SAs");
  const sa_set_ctx set = {sas, db->n};
  for (size_t i = 0; i < sas->n; i++)
    if (!load_one(db, &set, i, err)) return false;
  return sa_set_check_final(db, &set, err);
}

bool sa_load_buffer(sa_db *db, const char *name, const char *text, size_t len, cfg_err *err) {
  cfg_doc *doc = cfg_load_buffer(name, text, len, err);
  if (!doc) return false;
  bool ok = sa_load_doc(db, doc, err);
  cfg_free(doc);
  return ok;
}

bool sa_load_file(sa_db *db, const char *path, cfg_err *err) {
  cfg_doc *doc = cfg_load_file(path, err);
  if (!doc) return false;
  bool ok = sa_load_doc(db, doc, err);
  cfg_free(doc);
  return ok;
}
