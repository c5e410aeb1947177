/* Parser for NIST CAVP GCM .rsp files. Layout: comment lines (#), section headers
 * "[Keylen = 128]" ..., then records "Count = N", "Key = hex", ..., optional "FAIL". */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cavp.h"
#include "model/file_read.h"

typedef struct parser {
  const char *path;
  unsigned line;
  char *err;
  size_t err_len;
  unsigned sect[5]; /* Keylen, IVlen, PTlen, AADlen, Taglen; UINT32_MAX = not seen */
} parser;

static bool fail(parser *p, const char *field, const char *fmt, ...) {
  char what[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  snprintf(p->err, p->err_len, "%s:%u: %s: %s", p->path, p->line, field, what);
  return false;
}

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  char *e = s + strlen(s);
  while (e > s && isspace((unsigned char)e[-1])) *--e = '\0';
  return s;
}

static bool parse_hex(parser *p, const char *field, const char *text, uint8_t **out, size_t *len) {
  const size_t n = strlen(text);
  if (n % 2) return fail(p, field, "odd number of hex digits (%zu)", n);
  uint8_t *buf = malloc(n / 2 + 1); /* +1: never malloc(0) */
  if (!buf) return fail(p, field, "out of memory");
  for (size_t i = 0; i < n / 2; i++) {
    unsigned v;
    if (!isxdigit((unsigned char)text[2 * i]) || !isxdigit((unsigned char)text[2 * i + 1]) ||
        sscanf(text + 2 * i, "%2x", &v) != 1) {
      free(buf);
      return fail(p, field, "not a hex string (allowed: 0-9 a-f A-F)");
    }
    buf[i] = (uint8_t)v;
  }
  free(*out);
  *out = buf;
  *len = n / 2;
  return true;
}

static const char *const SECT_NAMES[5] = {"Keylen", "IVlen", "PTlen", "AADlen", "Taglen"};

static bool parse_section(parser *p, char *s) {
  char *close = strchr(s, ']');
  char *eq = strchr(s, '=');
  if (!close || !eq || eq > close) return fail(p, "section", "expected '[Name = value]'");
  *close = '\0';
  *eq = '\0';
  const char *name = trim(s + 1);
  const char *val = trim(eq + 1);
  for (int i = 0; i < 5; i++) {
    if (strcmp(name, SECT_NAMES[i]) != 0) continue;
    char *end;
    errno = 0;
    const unsigned long v = strtoul(val, &end, 10);
    if (errno || *end || end == val || v > 1u << 20)
      return fail(p, name, "not a bit count: '%s'", val);
    p->sect[i] = (unsigned)v;
    return true;
  }
  return true; /* other sections (none in GCM files) are ignored deliberately */
}

static bool field_ptr(cavp_vector *v, const char *name, uint8_t ***buf, size_t **len) {
  struct { const char *n; uint8_t **b; size_t *l; } map[] = {
      {"Key", &v->key, &v->key_len}, {"IV", &v->iv, &v->iv_len}, {"PT", &v->pt, &v->pt_len},
      {"AAD", &v->aad, &v->aad_len}, {"CT", &v->ct, &v->ct_len}, {"Tag", &v->tag, &v->tag_len}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (!strcmp(name, map[i].n)) {
      *buf = map[i].b;
      *len = map[i].l;
      return true;
    }
  return false;
}

/* Checks a finished record against its section header. */
static bool check_record(parser *p, const cavp_vector *v, cavp_mode mode) {
  p->line = v->line;
  if (!v->key || !v->iv || !v->tag || !v->aad) return fail(p, "Count", "record lacks Key, IV, AAD or Tag");
  if (mode == CAVP_ENCRYPT && (!v->has_pt || !v->ct)) return fail(p, "Count", "encrypt record lacks PT or CT");
  if (mode == CAVP_DECRYPT && !v->ct) return fail(p, "Count", "decrypt record lacks CT");
  if (mode == CAVP_DECRYPT && !v->fail && !v->has_pt) return fail(p, "Count", "record has neither PT nor FAIL");
  if (v->key_len * 8 != v->keylen_bits) return fail(p, "Key", "%zu bits, section says Keylen = %u", v->key_len * 8, v->keylen_bits);
  if (v->ivlen_bits % 8 == 0 && v->iv_len * 8 != v->ivlen_bits) return fail(p, "IV", "%zu bits, section says IVlen = %u", v->iv_len * 8, v->ivlen_bits);
  if (v->ct_len * 8 != v->ptlen_bits) return fail(p, "CT", "%zu bits, section says PTlen = %u", v->ct_len * 8, v->ptlen_bits);
  if (v->has_pt && v->pt_len != v->ct_len) return fail(p, "PT", "length differs from CT");
  if (v->aad_len * 8 != v->aadlen_bits) return fail(p, "AAD", "%zu bits, section says AADlen = %u", v->aad_len * 8, v->aadlen_bits);
  if (v->taglen_bits == 0 || v->taglen_bits > 128 || (v->taglen_bits + 7) / 8 != v->tag_len)
    return fail(p, "Tag", "%zu bytes, section says Taglen = %u", v->tag_len, v->taglen_bits);
  if (v->key_len != 16 && v->key_len != 24 && v->key_len != 32) return fail(p, "Key", "AES key must be 128, 192 or 256 bits");
  return true;
}

static bool parse_lines(parser *p, cavp_file *f, char *text) {
  size_t cap = 0;
  cavp_vector *cur = NULL;
  bool mode_known = false;
  unsigned lineno = 0;
  for (char *ln = text, *next; ln; ln = next) {
    char *nl = strchr(ln, '\n');
    if (nl) *nl = '\0';
    next = nl ? nl + 1 : NULL;
    p->line = ++lineno;
    char *s = trim(ln);
    if (!*s) continue;
    if (*s == '#') {
      if (strstr(s, "Decrypt")) f->mode = CAVP_DECRYPT, mode_known = true;
      else if (strstr(s, "Encrypt")) f->mode = CAVP_ENCRYPT, mode_known = true;
      continue;
    }
    if (*s == '[') {
      if (!parse_section(p, s)) return false;
      continue;
    }
    if (!strcmp(s, "FAIL")) {
      if (!cur) return fail(p, "FAIL", "outside a record");
      cur->fail = true;
      f->n_fail++;
      continue;
    }
    char *eq = strchr(s, '=');
    if (!eq) return fail(p, "line", "expected 'Name = value', got '%.40s'", s);
    *eq = '\0';
    char *name = trim(s), *val = trim(eq + 1);
    if (!strcmp(name, "Count")) {
      for (int i = 0; i < 5; i++)
        if (p->sect[i] == UINT32_MAX) return fail(p, SECT_NAMES[i], "record before its [%s = ...] section header", SECT_NAMES[i]);
      if (f->n == cap) {
        cap = cap ? 2 * cap : 256;
        cavp_vector *nv = realloc(f->v, cap * sizeof *nv);
        if (!nv) return fail(p, "Count", "out of memory");
        f->v = nv;
      }
      cur = &f->v[f->n++];
      memset(cur, 0, sizeof *cur);
      cur->line = p->line;
      cur->count = (unsigned)strtoul(val, NULL, 10);
      cur->keylen_bits = p->sect[0], cur->ivlen_bits = p->sect[1], cur->ptlen_bits = p->sect[2];
      cur->aadlen_bits = p->sect[3], cur->taglen_bits = p->sect[4];
      continue;
    }
    uint8_t **buf;
    size_t *len;
    if (!field_ptr(cur ? cur : &(cavp_vector){0}, name, &buf, &len))
      return fail(p, name, "unknown field (allowed: Count, Key, IV, PT, AAD, CT, Tag, FAIL)");
    if (!cur) return fail(p, name, "field outside a record (no 'Count =' before it)");
    if (!parse_hex(p, name, val, buf, len)) return false;
    if (!strcmp(name, "PT")) {
      cur->has_pt = true;
      if (!mode_known) f->mode = cur->ct ? CAVP_DECRYPT : CAVP_ENCRYPT, mode_known = true;
    }
  }
  if (f->n == 0) {
    p->line = 1;
    return fail(p, "file", "no GCM test vectors found");
  }
  for (size_t i = 0; i < f->n; i++)
    if (!check_record(p, &f->v[i], f->mode)) return false;
  return true;
}

cavp_file *cavp_load(const char *path, char *err, size_t err_len) {
  parser p = {.path = path, .line = 0, .err = err, .err_len = err_len};
  for (int i = 0; i < 5; i++) p.sect[i] = UINT32_MAX;
  char *text;
  size_t len;
  if (!file_read_all(path, &text, &len, err, err_len)) return NULL; /* bounded: see file_read.h */
  cavp_file *f = calloc(1, sizeof *f);
  if (!f) {
    free(text);
    snprintf(err, err_len, "%s: out of memory", path);
    return NULL;
  }
  if (len == 0 || memchr(text, '\0', len)) {
    free(text);
    free(f);
    snprintf(err, err_len, "%s:1: file: %s", path, len ? "binary data (NUL bytes), not a CAVP .rsp file" : "empty file");
    return NULL;
  }
  f->path = strdup(path);
  f->mode = CAVP_ENCRYPT;
  const bool ok = parse_lines(&p, f, text);
  free(text);
  if (!ok) {
    cavp_free(f);
    return NULL;
  }
  return f;
}

void cavp_free(cavp_file *f) {
  if (!f) return;
  for (size_t i = 0; i < f->n; i++) {
    cavp_vector *v = &f->v[i];
    free(v->key), free(v->iv), free(v->pt), free(v->aad), free(v->ct), free(v->tag);
  }
  free(f->v);
  free(f->path);
  free(f);
}
