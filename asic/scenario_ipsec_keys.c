/* Tunnel keys: auto SPIs and keying material from the seed and the ordered gateway pair
 * (HMAC-SHA256, OpenSSL), the 0600 keys file (`key: file:PATH`) read and written. Nothing
 * here prints a key: errors name files, tunnels and fields only. */
#include "scenario_ipsec.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "model/hexutil.h"
#include "model/out_file.h"

static int addr_cmp(const sa_addr *a, const sa_addr *b) {
  if (a->family != b->family) return a->family < b->family ? -1 : 1;
  return memcmp(a->b, b->b, a->family == 4 ? 4 : 16);
}

/* HMAC-SHA256("ipsecsim-tunnel-v1", "SEED|LO|HI|LABEL|DIR|BLOCK"), BLOCK = 1, 2, ... */
static void derive(uint64_t seed, const sa_addr *from, const sa_addr *to, const char *label, uint8_t *out, size_t n) {
  static const char hkey[] = "ipsecsim-tunnel-v1";
  const bool up = addr_cmp(from, to) < 0;
  char lo[64], hi[64], msg[256];
  sa_format_addr(up ? from : to, lo, sizeof lo);
  sa_format_addr(up ? to : from, hi, sizeof hi);
  for (unsigned block = 1; n; block++) {
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    int len = snprintf(msg, sizeof msg, "%llu|%s|%s|%s|%s|%u", (unsigned long long)seed, lo, hi, label,
                       up ? "lo-hi" : "hi-lo", block);
    HMAC(EVP_sha256(), hkey, (int)sizeof hkey - 1, (const unsigned char *)msg, (size_t)len, md, &md_len);
    size_t take = n < md_len ? n : md_len;
    memcpy(out, md, take);
    memset(md, 0, sizeof md);
    out += take;
    n -= take;
  }
}

uint32_t scenario_ipsec_auto_spi(uint64_t seed, const sa_addr *from, const sa_addr *to) {
  uint8_t b[4];
  derive(seed, from, to, "spi", b, 4);
  uint32_t v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
  return 256u + v % (4294967295u - 255u); /* 256..2^32-1: 0..255 are reserved (RFC 4303 s2.1) */
}

void scenario_ipsec_auto_keymat(uint64_t seed, const sa_addr *from, const sa_addr *to, uint8_t *out, size_t n) {
  derive(seed, from, to, "keymat", out, n);
}

uint32_t scenario_ipsec_auto_spi_gen(uint64_t seed, const sa_addr *from, const sa_addr *to, uint32_t gen) {
  if (!gen) return scenario_ipsec_auto_spi(seed, from, to);
  char label[32];
  snprintf(label, sizeof label, "spi/g%u", gen);
  uint8_t b[4];
  derive(seed, from, to, label, b, 4);
  uint32_t v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
  return 256u + v % (4294967295u - 255u);
}

void scenario_ipsec_auto_keymat_gen(uint64_t seed, const sa_addr *from, const sa_addr *to, uint32_t gen, uint8_t *out,
                                    size_t n) {
  char label[32];
  snprintf(label, sizeof label, gen ? "keymat/g%u" : "keymat", gen);
  derive(seed, from, to, label, out, n);
}

cfg_doc *scenario_ipsec_keys_load(const char *path, const cfg_node *at, const char *field, cfg_err *err) {
  struct stat st;
  if (stat(path, &st) != 0) {
    cfg_fail(err, at, field, "cannot read keys file %s (%s) (allowed: file:PATH of a 0600 keys file)", path, strerror(errno));
    return NULL;
  }
  if (S_ISREG(st.st_mode) && (st.st_mode & 077)) {
    cfg_fail(err, at, field, "keys file %s has mode %04o: others may read it (allowed: mode 0600)", path,
             (unsigned)(st.st_mode & 07777));
    return NULL;
  }
  cfg_doc *doc = cfg_load_file(path, err);
  if (!doc) return NULL;
  const cfg_node *root = cfg_root(doc), *keys = cfg_get(root, "keys");
  if (!root || root->kind != CFG_MAP || root->n != 1 || !keys || keys->kind != CFG_MAP) {
    cfg_fail(err, root ? root : at, "keys", "a keys file is one map keys: {[ROUTER:]NAME: {out: HEX, in: HEX}} (allowed: keys)");
    cfg_free(doc);
    return NULL;
  }
  return doc;
}

bool scenario_ipsec_has_keys(const asic_world *w) {
  for (uint32_t i = 0; i < w->n_tunnels; i++)
    if (w->tunnels[i].key_source != ASIC_KEY_AUTO) return true;
  return false;
}

static void hex_line(FILE *fp, const sa_config *c) {
  uint8_t km[36];
  char hex[80];
  memcpy(km, c->key, c->key_len);
  memcpy(km + c->key_len, c->salt, SA_SALT_LEN);
  hex_encode(km, c->key_len + SA_SALT_LEN, hex, sizeof hex);
  fputs(hex, fp);
  memset(km, 0, sizeof km);
  memset(hex, 0, sizeof hex);
}

bool scenario_ipsec_keys_write(const asic_world *w, const char *scenario_path, const char *dir, char *err, size_t errlen) {
  if (!scenario_ipsec_has_keys(w)) return true;
  char path[1024];
  const size_t dl = strlen(dir);
  snprintf(path, sizeof path, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", SCENARIO_KEYS_FILE);
  /* never over an input: the scenario or a keys file a tunnel read */
  const out_role out = {"--out", path};
  const out_role scen = {"the scenario", scenario_path};
  if (!out_check_distinct(&out, 1, &scen, 1, err, errlen)) return false;
  const char *slash = strrchr(scenario_path, '/');
  for (uint32_t i = 0; i < w->n_tunnels; i++) {
    const asic_tunnel *t = &w->tunnels[i];
    if (t->key_source != ASIC_KEY_FILE) continue;
    char in[1024];
    if (t->key_file[0] == '/' || !slash) snprintf(in, sizeof in, "%s", t->key_file);
    else snprintf(in, sizeof in, "%.*s/%s", (int)(slash - scenario_path), scenario_path, t->key_file);
    const out_role kin = {"a keys file", in};
    if (!out_check_distinct(&out, 1, &kin, 1, err, errlen)) return false;
  }
  out_file of;
  if (!out_begin(&of, path, OUT_MODE_SECRET, err, errlen)) return false;
  fprintf(of.fp, "# tunnel keying material (key + 4-byte salt, RFC 4106 s8.1) per direction: secret, mode 0600\nkeys:\n");
  for (uint32_t i = 0; i < w->n_tunnels; i++) {
    const asic_tunnel *t = &w->tunnels[i];
    if (t->key_source == ASIC_KEY_AUTO) continue;
    fprintf(of.fp, "  \"%s:%s\": {out: ", w->routers[t->router].name, t->name);
    hex_line(of.fp, &t->out);
    fprintf(of.fp, ", in: ");
    hex_line(of.fp, &t->in);
    fprintf(of.fp, "}\n");
  }
  return out_commit(&of, err, errlen);
}
