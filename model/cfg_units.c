/* Numbers with units. Decimal text is scanned exactly (mantissa x 10^exp) so that integer
 * quantities (femtoseconds, bytes) are exact for any decimal that denotes a whole number
 * (1.2ns = 1200000fs, 0.5KiB = 512B) and doubles are the correctly rounded value of the
 * written decimal times the unit (1.2GHz == 1.2e9 exactly as a double literal). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_internal.h"

typedef struct unit_def {
  const char *name;
  cfg_type type;
  int exp10;      /* decimal multiplier 10^exp10 */
  unsigned pow2;  /* binary multiplier 2^pow2 (KiB MiB GiB TiB) */
  bool canonical; /* listed in "allowed:"; aliases are accepted but not listed */
} unit_def;

/* Prefixes are SI (1000) except the IEC binary sizes. Lower-case k aliases are accepted
 * because they are the correct SI spelling. */
static const unit_def UNITS[] = {
    {"bps", CFG_T_RATE, 0, 0, true},   {"Kbps", CFG_T_RATE, 3, 0, true},
    {"kbps", CFG_T_RATE, 3, 0, false}, {"Mbps", CFG_T_RATE, 6, 0, true},
    {"Gbps", CFG_T_RATE, 9, 0, true},  {"Tbps", CFG_T_RATE, 12, 0, true},
    {"pps", CFG_T_PPS, 0, 0, true},    {"Kpps", CFG_T_PPS, 3, 0, true},
    {"kpps", CFG_T_PPS, 3, 0, false},  {"Mpps", CFG_T_PPS, 6, 0, true},
    {"Gpps", CFG_T_PPS, 9, 0, true},   {"Hz", CFG_T_FREQ, 0, 0, true},
    {"kHz", CFG_T_FREQ, 3, 0, true},   {"KHz", CFG_T_FREQ, 3, 0, false},
    {"MHz", CFG_T_FREQ, 6, 0, true},   {"GHz", CFG_T_FREQ, 9, 0, true},
    {"fs", CFG_T_TIME, 0, 0, true},    {"ps", CFG_T_TIME, 3, 0, true},
    {"ns", CFG_T_TIME, 6, 0, true},    {"us", CFG_T_TIME, 9, 0, true},
    {"ms", CFG_T_TIME, 12, 0, true},   {"s", CFG_T_TIME, 15, 0, true},
    {"B", CFG_T_SIZE, 0, 0, true},     {"KB", CFG_T_SIZE, 3, 0, true},
    {"MB", CFG_T_SIZE, 6, 0, true},    {"GB", CFG_T_SIZE, 9, 0, true},
    {"TB", CFG_T_SIZE, 12, 0, true},   {"KiB", CFG_T_SIZE, 0, 10, true},
    {"MiB", CFG_T_SIZE, 0, 20, true},  {"GiB", CFG_T_SIZE, 0, 30, true},
    {"TiB", CFG_T_SIZE, 0, 40, true},  {"%", CFG_T_PERCENT, -2, 0, true},
};
#define N_UNITS (sizeof UNITS / sizeof UNITS[0])

static const char *const FAMILY[] = {
    [CFG_T_RATE] = "a rate",  [CFG_T_PPS] = "a packet rate", [CFG_T_FREQ] = "a frequency",
    [CFG_T_TIME] = "a time",  [CFG_T_SIZE] = "a size",       [CFG_T_PERCENT] = "a percentage",
};

static const char *const ALLOWED[] = {
    [CFG_T_RATE] = "bps, Kbps, Mbps, Gbps, Tbps", [CFG_T_PPS] = "pps, Kpps, Mpps, Gpps",
    [CFG_T_FREQ] = "Hz, kHz, MHz, GHz",           [CFG_T_TIME] = "fs, ps, ns, us, ms, s",
    [CFG_T_SIZE] = "B, KB, MB, GB, TB, KiB, MiB, GiB, TiB", [CFG_T_PERCENT] = "%",
};

bool cfg_type_is_dimensioned(cfg_type t) { return t >= CFG_T_RATE && t <= CFG_T_PERCENT; }

const char *cfg_units_allowed(cfg_type t) { return cfg_type_is_dimensioned(t) ? ALLOWED[t] : ""; }

const char *cfg_type_name(cfg_type t) {
  static const char *const names[] = {"bool", "int",  "uint", "double", "string",
                                      "enum", "hex",  "rate", "pps",    "freq",
                                      "time", "size", "percent"};
  return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

static const unit_def *find_unit(const char *name, cfg_type type_or_any, bool any) {
  for (size_t i = 0; i < N_UNITS; i++)
    if ((any || UNITS[i].type == type_or_any) && strcmp(UNITS[i].name, name) == 0)
      return &UNITS[i];
  return NULL;
}

bool cfg_scan_number(const char *s, cfg_number *num) {
  const char *p = s;
  memset(num, 0, sizeof *num);
  if (*p == '+' || *p == '-') num->neg = *p++ == '-';
  unsigned digits = 0;
  for (int frac = 0; frac < 2; frac++) {
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
      unsigned d = (unsigned)(*p - '0');
      if (num->mant_overflow || num->mant > (UINT64_MAX - d) / 10) {
        num->mant_overflow = true;
        if (!frac) num->exp10++; /* keep the magnitude right for messages */
      } else {
        num->mant = num->mant * 10 + d;
        if (frac) num->exp10--;
      }
    }
    if (frac == 0 && *p == '.') p++;
    else break;
  }
  if (digits == 0) return false;
  if (*p == 'e' || *p == 'E') { /* exponent only when digits follow, else 'e' is a unit */
    const char *q = p + 1;
    bool eneg = false;
    if (*q == '+' || *q == '-') eneg = *q++ == '-';
    if (*q >= '0' && *q <= '9') {
      long e = 0;
      for (; *q >= '0' && *q <= '9'; q++)
        if (e < 100000) e = e * 10 + (*q - '0');
      num->exp10 += (int)(eneg ? -e : e);
      p = q;
    }
  }
  num->len = (size_t)(p - s);
  return true;
}

double cfg_number_to_double(const char *s, const cfg_number *num) {
  char buf[128];
  size_t n = num->len < sizeof buf - 1 ? num->len : sizeof buf - 1;
  memcpy(buf, s, n);
  buf[n] = '\0';
  return strtod(buf, NULL);
}

/* Exact value of mant * 10^e * 2^pow2 as uint64; false when not whole or too large. */
static bool exact_u64(uint64_t mant, int e, unsigned pow2, uint64_t *out, bool *not_whole) {
  __extension__ typedef unsigned __int128 u128;
  *not_whole = false;
  if (mant == 0) return *out = 0, true;
  while (mant % 10 == 0 && e < 0) mant /= 10, e++;
  u128 v = (u128)mant << pow2; /* pow2 <= 40 and mant < 2^64: fits */
  for (; e < 0; e++) {
    if (v % 10) return *not_whole = true, false;
    v /= 10;
  }
  for (; e > 0; e--) {
    v *= 10;
    if (v > UINT64_MAX) return false;
  }
  if (v > UINT64_MAX) return false;
  *out = (uint64_t)v;
  return true;
}

bool cfg_parse_quantity(const cfg_param *p, const char *text, double *as_double,
                        uint64_t *as_u64, char *why, size_t why_len) {
  const char *allowed = ALLOWED[p->type];
  char shown[96];
  if (p->secret) snprintf(shown, sizeof shown, "the value");
  else snprintf(shown, sizeof shown, "'%.80s'", text);
  cfg_number num;
  if (!cfg_scan_number(text, &num)) {
    snprintf(why, why_len, "%s is not a number with a unit (allowed: %s)", shown, allowed);
    return false;
  }
  const char *u = text + num.len;
  while (*u == ' ') u++;
  if (*u == '\0') {
    snprintf(why, why_len, "missing unit in %s (allowed: %s)", shown, allowed);
    return false;
  }
  const unit_def *ud = find_unit(u, p->type, false);
  if (!ud) {
    const unit_def *other = find_unit(u, p->type, true);
    if (other)
      snprintf(why, why_len, "'%s' is a unit of %s, expected %s (allowed: %s)", other->name,
               FAMILY[other->type] + 2, FAMILY[p->type], allowed);
    else
      snprintf(why, why_len, "unknown unit '%.40s' in %s (allowed: %s)", u, shown, allowed);
    return false;
  }
  if (num.neg && num.mant != 0) {
    snprintf(why, why_len, "%s is negative (allowed: %s of 0 or more)", shown, FAMILY[p->type]);
    return false;
  }
  if (p->type == CFG_T_TIME || p->type == CFG_T_SIZE) {
    const char *what = p->type == CFG_T_TIME ? "femtoseconds" : "bytes";
    bool not_whole = false;
    if (num.mant_overflow || !exact_u64(num.mant, num.exp10 + ud->exp10, ud->pow2, as_u64,
                                        &not_whole)) {
      if (not_whole)
        snprintf(why, why_len, "%s is not a whole number of %s (allowed: multiples of 1%s)",
                 shown, what, p->type == CFG_T_TIME ? "fs" : "B");
      else
        snprintf(why, why_len, "%s is too large (allowed: up to %" PRIu64 "%s)", shown,
                 UINT64_MAX, p->type == CFG_T_TIME ? "fs" : "B");
      return false;
    }
    return true;
  }
  /* Doubles: round once, from the exact decimal times the unit's power of ten. */
  double v;
  if (num.mant_overflow) {
    v = cfg_number_to_double(text, &num) * pow(10.0, ud->exp10);
  } else {
    char buf[64];
    snprintf(buf, sizeof buf, "%" PRIu64 "e%d", num.mant, num.exp10 + ud->exp10);
    v = strtod(buf, NULL);
  }
  if (!isfinite(v)) {
    snprintf(why, why_len, "%s is too large (allowed: %s)", shown, allowed);
    return false;
  }
  *as_double = v;
  return true;
}

/* Scale of the display unit relative to the base unit (1 when unit is empty or unknown). */
static double display_scale(const cfg_param *p, const char **unit) {
  const unit_def *ud = p->unit && *p->unit ? find_unit(p->unit, p->type, false) : NULL;
  if (!ud) {
    *unit = "";
    for (size_t i = 0; i < N_UNITS && cfg_type_is_dimensioned(p->type); i++)
      if (UNITS[i].type == p->type && UNITS[i].exp10 == 0 && UNITS[i].pow2 == 0)
        *unit = UNITS[i].name;
    if (p->type == CFG_T_PERCENT) return *unit = "%", 0.01;
    return 1.0;
  }
  *unit = ud->name;
  return pow(10.0, ud->exp10) * ldexp(1.0, (int)ud->pow2);
}

void cfg_format_quantity(const cfg_param *p, double base_value, char *out, size_t out_len) {
  const char *unit = "";
  double scale = cfg_type_is_dimensioned(p->type) ? display_scale(p, &unit) : 1.0;
  snprintf(out, out_len, "%.12g%s", base_value / scale, unit);
}

void cfg_format_range(const cfg_param *p, char *out, size_t out_len) {
  if (p->min > p->max) {
    snprintf(out, out_len, "-");
    return;
  }
  char lo[48], hi[48];
  cfg_format_quantity(p, p->min, lo, sizeof lo);
  cfg_format_quantity(p, p->max, hi, sizeof hi);
  if (isinf(p->max) && isinf(p->min)) snprintf(out, out_len, "-");
  else if (isinf(p->max)) snprintf(out, out_len, ">= %s", lo);
  else if (isinf(p->min)) snprintf(out, out_len, "<= %s", hi);
  else snprintf(out, out_len, "%s..%s", lo, hi);
}
