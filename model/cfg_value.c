/* One scalar -> one typed field, with the range check. Messages never quote the text of a
 * secret entry. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_internal.h"

#define FIELD(T) ((T *)((char *)dst + p->offset))

static void show(const cfg_param *p, const char *text, char *out, size_t len) {
  if (p->secret) snprintf(out, len, "the value");
  else snprintf(out, len, "'%.80s'", text);
}

/* Integers: decimal, or 0x hex. Magnitude in *mag, sign in *neg. */
static bool scan_integer(const char *s, bool *neg, uint64_t *mag, bool *overflow) {
  *neg = false;
  *overflow = false;
  *mag = 0;
  if (*s == '+' || *s == '-') *neg = *s++ == '-';
  bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  if (hex) s += 2;
  unsigned base = hex ? 16 : 10;
  if (*s == '\0') return false;
  for (; *s; s++) {
    unsigned d;
    if (*s >= '0' && *s <= '9') d = (unsigned)(*s - '0');
    else if (hex && *s >= 'a' && *s <= 'f') d = (unsigned)(*s - 'a' + 10);
    else if (hex && *s >= 'A' && *s <= 'F') d = (unsigned)(*s - 'A' + 10);
    else return false;
    if (*mag > (UINT64_MAX - d) / base) *overflow = true;
    else *mag = *mag * base + d;
  }
  return true;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static bool parse_hex(const cfg_param *p, const char *text, void *dst, char *why, size_t wl) {
  const char *h = text;
  if (h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) h += 2;
  size_t n = strlen(h);
  for (size_t i = 0; i < n; i++)
    if (hex_digit(h[i]) < 0) {
      snprintf(why, wl, "not a hex digit at position %zu (allowed: 0-9 a-f A-F, optional 0x)",
               (size_t)(h - text) + i + 1);
      return false;
    }
  if (n % 2) {
    snprintf(why, wl, "odd number of hex digits (%zu) (allowed: whole bytes, 2 digits each)", n);
    return false;
  }
  /* min/max, when set, bound the length in bytes (e.g. a key of 16 or 32 bytes + salt). */
  if (p->min <= p->max && ((double)(n / 2) < p->min || (double)(n / 2) > p->max)) {
    snprintf(why, wl, "%zu bytes is out of range (allowed: %.0f..%.0f bytes)", n / 2, p->min,
             p->max);
    return false;
  }
  uint8_t *data = n ? malloc(n / 2) : NULL;
  if (n && !data) {
    snprintf(why, wl, "out of memory");
    return false;
  }
  for (size_t i = 0; i < n / 2; i++)
    data[i] = (uint8_t)(hex_digit(h[2 * i]) << 4 | hex_digit(h[2 * i + 1]));
  cfg_bytes *b = FIELD(cfg_bytes);
  free(b->data);
  b->data = data;
  b->len = n / 2;
  return true;
}

static bool parse_enum(const cfg_param *p, const char *text, void *dst, char *why, size_t wl) {
  char buf[512], listed[600];
  const char *cands[64];
  size_t n = 0, ln = 0;
  snprintf(buf, sizeof buf, "%s", p->allowed ? p->allowed : "");
  listed[0] = '\0';
  for (char *tok = buf, *bar; tok && n < 64; tok = bar ? bar + 1 : NULL) {
    bar = strchr(tok, '|');
    if (bar) *bar = '\0';
    if (strcmp(tok, text) == 0) return *FIELD(int) = (int)n, true;
    cands[n++] = tok;
    int w = snprintf(listed + ln, sizeof listed - ln, "%s%s", ln ? ", " : "", tok);
    if (w > 0 && (size_t)w < sizeof listed - ln) ln += (size_t)w;
  }
  char shown[96];
  show(p, text, shown, sizeof shown);
  const char *dym = cfg_did_you_mean(text, cands, n);
  if (dym && !p->secret)
    snprintf(why, wl, "unknown value %s, did you mean '%s'? (allowed: %s)", shown, dym, listed);
  else
    snprintf(why, wl, "unknown value %s (allowed: %s)", shown, listed);
  return false;
}

static bool check_range(const cfg_param *p, const char *text, double v, char *why, size_t wl) {
  if (p->min > p->max || (v >= p->min && v <= p->max)) return true;
  char shown[96], range[128];
  show(p, text, shown, sizeof shown);
  cfg_format_range(p, range, sizeof range);
  snprintf(why, wl, "%s is out of range (allowed: %s)", shown, range);
  return false;
}

bool cfg_parse_scalar(const cfg_param *p, const char *text, bool quoted, void *dst, char *why,
                      size_t wl) {
  char shown[96];
  show(p, text, shown, sizeof shown);
  if (cfg_text_is_null(text, quoted)) {
    if (p->type == CFG_T_STRING || p->type == CFG_T_HEX)
      snprintf(why, wl, "missing value (allowed: a %s; quote \"\" for an empty one)",
               p->type == CFG_T_HEX ? "hex string" : "string");
    else if (p->type == CFG_T_ENUM)
      snprintf(why, wl, "missing value (allowed: %s)", p->allowed ? p->allowed : "");
    else if (cfg_type_is_dimensioned(p->type))
      snprintf(why, wl, "missing value (allowed: a number with a unit: %s)",
               cfg_units_allowed(p->type));
    else
      snprintf(why, wl, "missing value (allowed: a %s)", cfg_type_name(p->type));
    return false;
  }
  bool neg, ovf;
  uint64_t mag;
  switch (p->type) {
  case CFG_T_BOOL:
    if (!strcmp(text, "true") || !strcmp(text, "True") || !strcmp(text, "TRUE"))
      return *FIELD(bool) = true, true;
    if (!strcmp(text, "false") || !strcmp(text, "False") || !strcmp(text, "FALSE"))
      return *FIELD(bool) = false, true;
    snprintf(why, wl, "%s is not a boolean (allowed: true, false)", shown);
    return false;
  case CFG_T_INT:
    if (!scan_integer(text, &neg, &mag, &ovf)) {
      snprintf(why, wl, "%s is not an integer (allowed: decimal or 0x hex)", shown);
      return false;
    }
    if (ovf || mag > (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX)) {
      if (p->min <= p->max) return check_range(p, text, neg ? -INFINITY : INFINITY, why, wl);
      snprintf(why, wl, "%s does not fit (allowed: %" PRId64 "..%" PRId64 ")", shown, INT64_MIN,
               INT64_MAX);
      return false;
    }
    {
      int64_t v = neg ? (int64_t)(0 - mag) : (int64_t)mag;
      if (!check_range(p, text, (double)v, why, wl)) return false;
      return *FIELD(int64_t) = v, true;
    }
  case CFG_T_UINT:
    if (!scan_integer(text, &neg, &mag, &ovf)) {
      snprintf(why, wl, "%s is not an unsigned integer (allowed: decimal or 0x hex)", shown);
      return false;
    }
    if ((neg && mag) || ovf) {
      /* The entry's own range when it has one (an SPI: 256..4294967295, not 0..2^64-1). */
      if (p->min <= p->max) return check_range(p, text, neg ? -INFINITY : INFINITY, why, wl);
      snprintf(why, wl, "%s does not fit (allowed: 0..%" PRIu64 ")", shown, UINT64_MAX);
      return false;
    }
    if (!check_range(p, text, (double)mag, why, wl)) return false;
    return *FIELD(uint64_t) = mag, true;
  case CFG_T_DOUBLE: {
    cfg_number num;
    if (!cfg_scan_number(text, &num) || text[num.len] != '\0') {
      snprintf(why, wl, "%s is not a number (allowed: a decimal number, no unit)", shown);
      return false;
    }
    double v = cfg_number_to_double(text, &num);
    if (!isfinite(v)) {
      snprintf(why, wl, "%s is too large (allowed: a finite number)", shown);
      return false;
    }
    if (!check_range(p, text, v, why, wl)) return false;
    return *FIELD(double) = v, true;
  }
  case CFG_T_STRING: {
    char *s = strdup(text);
    if (!s) return snprintf(why, wl, "out of memory"), false;
    free(*FIELD(char *));
    return *FIELD(char *) = s, true;
  }
  case CFG_T_ENUM: return parse_enum(p, text, dst, why, wl);
  case CFG_T_HEX: return parse_hex(p, text, dst, why, wl);
  case CFG_T_TIME:
  case CFG_T_SIZE: {
    uint64_t v;
    if (!cfg_parse_quantity(p, text, NULL, &v, why, wl)) return false;
    if (!check_range(p, text, (double)v, why, wl)) return false;
    return *FIELD(uint64_t) = v, true;
  }
  case CFG_T_RATE:
  case CFG_T_PPS:
  case CFG_T_FREQ:
  case CFG_T_PERCENT: {
    double v;
    if (!cfg_parse_quantity(p, text, &v, NULL, why, wl)) return false;
    if (!check_range(p, text, v, why, wl)) return false;
    return *FIELD(double) = v, true;
  }
  }
  snprintf(why, wl, "unsupported parameter type %d", (int)p->type);
  return false;
}

bool cfg_parse_value(const cfg_param *p, const cfg_node *node, void *dst, cfg_err *err) {
  if (!node) return cfg_fail(err, NULL, p->name, "missing value");
  if (node->kind != CFG_SCALAR)
    return cfg_fail(err, node, p->name, "expected a %s value, found a %s (allowed: a scalar)",
                    cfg_type_name(p->type), node->kind == CFG_MAP ? "map" : "sequence");
  char why[CFG_ERR_MAX];
  if (!cfg_parse_scalar(p, node->value, node->quoted, dst, why, sizeof why))
    return cfg_fail(err, node, p->name, "%s", why);
  return true;
}

bool cfg_parse_text(const cfg_param *p, const char *text, void *dst, char *why, size_t why_len) {
  char buf[1024];
  while (*text == ' ' || *text == '\t') text++;
  size_t n = strlen(text);
  while (n && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\n')) n--;
  if (n >= sizeof buf) {
    snprintf(why, why_len, "value too long (allowed: up to %zu characters)", sizeof buf - 1);
    return false;
  }
  memcpy(buf, text, n);
  buf[n] = '\0';
  char tmp[CFG_ERR_MAX];
  if (cfg_parse_scalar(p, buf, false, dst, tmp, sizeof tmp)) return true;
  if (why && why_len) snprintf(why, why_len, "%s", tmp);
  return false;
}
