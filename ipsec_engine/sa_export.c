/* SA export for other tools (sa_export.h). */
#include "sa_export.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "model/hexutil.h"
#include "model/out_file.h"

/* key || salt (RFC 4106 s8.1), the keying material both sa_load and Wireshark take. */
static void keymat_hex(const sa_config *c, char *out, size_t cap) {
  uint8_t km[32 + SA_SALT_LEN];
  memcpy(km, c->key, c->key_len);
  memcpy(km + c->key_len, c->salt, SA_SALT_LEN);
  hex_encode(km, c->key_len + SA_SALT_LEN, out, cap);
  memset(km, 0, sizeof km);
}

static const char *df_name(sa_df_mode d) { return d == SA_DF_SET ? "set" : d == SA_DF_COPY ? "copy" : "clear"; }

void sa_export_yaml_entry(const sa_config *c, FILE *fp) {
  char key[2 * (32 + SA_SALT_LEN) + 1], loc[64], rem[64];
  keymat_hex(c, key, sizeof key);
  sa_format_addr(&c->local, loc, sizeof loc);
  sa_format_addr(&c->remote, rem, sizeof rem);
  fprintf(fp, "  - {name: %s, direction: %s, spi: 0x%08x, algorithm: %s, key: %s, local: '%s', remote: '%s',\n",
          c->name, c->dir == SA_OUTBOUND ? "outbound" : "inbound", c->spi,
          c->alg == SA_AES256_GCM ? "aes-256-gcm" : "aes-128-gcm", key, loc, rem);
  memset(key, 0, sizeof key);
  fprintf(fp, "     esn: %s, replay_window: %u, tunnel_mtu: %u, df_bit: %s, copy_outer_dscp: %s,\n",
          c->esn ? "true" : "false", c->replay_window, c->tunnel_mtu, df_name(c->df),
          c->copy_outer_dscp ? "true" : "false");
  fprintf(fp, "     lifetime_seconds: %llu, lifetime_kilobytes: %llu, soft_lifetime_seconds: %llu, "
          "soft_lifetime_kilobytes: %llu,\n", (unsigned long long)c->lifetime_seconds,
          (unsigned long long)c->lifetime_kilobytes, (unsigned long long)c->soft_lifetime_seconds,
          (unsigned long long)c->soft_lifetime_kilobytes);
  fprintf(fp, "     initial_seq: %llu, outer_ttl: %u", (unsigned long long)c->initial_seq, c->outer_ttl);
  if (c->udp == SA_UDP_NATT) fprintf(fp, ", udp_encap: nat-t");
  else if (c->udp == SA_UDP_MULTIPATH) fprintf(fp, ", udp_encap: {dst_port: %u}", c->udp_dst_port);
  if (c->has_selector && c->dir == SA_OUTBOUND) {
    char sel[64];
    sa_format_addr(&c->selector, sel, sizeof sel);
    fprintf(fp, ", selector: '%s/%u'", sel, c->selector_len);
  }
  fprintf(fp, "}\n");
}

void sa_export_wireshark_record(const sa_config *c, char *out, size_t cap) {
  char key[2 * (32 + SA_SALT_LEN) + 1], loc[64], rem[64];
  keymat_hex(c, key, sizeof key);
  sa_format_addr(&c->local, loc, sizeof loc);
  sa_format_addr(&c->remote, rem, sizeof rem);
  /* the ESP of an outbound SA goes local -> remote, that of an inbound SA remote -> local */
  const char *src = c->dir == SA_OUTBOUND ? loc : rem, *dst = c->dir == SA_OUTBOUND ? rem : loc;
  snprintf(out, cap, "\"%s\",\"%s\",\"%s\",\"0x%08x\",\"AES-GCM with 16 octet ICV [RFC4106]\",\"0x%s\",\"NULL\",\"\"",
           c->local.family == 6 ? "IPv6" : "IPv4", src, dst, c->spi, key);
  memset(key, 0, sizeof key);
}

static bool write_one(const char *dir, const char *name, const sa_config *const *sas, size_t n, bool wireshark,
                      char *err, size_t errlen) {
  char path[OUT_PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  out_file o;
  if (!out_begin(&o, path, OUT_MODE_SECRET, err, errlen)) return false;
  if (wireshark) {
    fprintf(o.fp, "# Wireshark ESP SAs written by ipsecsim --export-sas: KEY MATERIAL, keep private\n");
    char rec[512];
    for (size_t i = 0; i < n; i++) {
      sa_export_wireshark_record(sas[i], rec, sizeof rec);
      fprintf(o.fp, "%s\n", rec);
    }
    memset(rec, 0, sizeof rec);
  } else {
    fprintf(o.fp, "# SAs written by ipsecsim --export-sas (an `ipsecsim esp --sa` file): KEY MATERIAL\nsas:\n");
    for (size_t i = 0; i < n; i++) sa_export_yaml_entry(sas[i], o.fp);
  }
  return out_commit(&o, err, errlen);
}

bool sa_export_write(const char *dir, const sa_config *const *sas, size_t n, char *err, size_t errlen) {
  struct stat st;
  if (mkdir(dir, 0700) && !(errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))) {
    snprintf(err, errlen, "%s: cannot create the --export-sas folder (%s)", dir, strerror(errno));
    return false;
  }
  return write_one(dir, SA_EXPORT_FILE, sas, n, false, err, errlen) &&
         write_one(dir, SA_EXPORT_WIRESHARK, sas, n, true, err, errlen);
}
