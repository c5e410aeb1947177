/* Sweep plan: axes, ranges, the cross product, point ids and seeds (sweep_plan.h). */
#include "sweep_plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t sweep_fnv1a64(const void *data, size_t len, uint64_t h) {
  const unsigned char *p = data;
  for (size_t i = 0; i < len; i++) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

static uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

static bool push_value(sweep_axis *ax, const char *v, size_t len, char *err, size_t errlen) {
  if (len == 0 || len >= SWEEP_VALUE_MAX) {
    snprintf(err, errlen, "--axis %s: value '%.*s' %s (allowed: 1..%d characters)", ax->key, (int)len, v,
             len ? "too long" : "empty", SWEEP_VALUE_MAX - 1);
    return false;
  }
  for (size_t i = 0; i < len; i++)
    if (v[i] == '"' || v[i] == ';' || v[i] == '=' || v[i] == ' ' || v[i] == '\n') {
      snprintf(err, errlen, "--axis %s: value '%.*s' has '%c' (allowed: no quotes, ';', '=' or spaces)", ax->key,
               (int)len, v, v[i]);
      return false;
    }
  if (ax->n >= SWEEP_MAX_VALUES) {
    snprintf(err, errlen, "--axis %s: more than %d values (allowed: up to %d per axis)", ax->key, SWEEP_MAX_VALUES,
             SWEEP_MAX_VALUES);
    return false;
  }
  char *dst = ax->values[ax->n++];
  memcpy(dst, v, len);
  dst[len] = 0;
  /* a bare number on the frame axis is bytes (CSIT names frame sizes 64, 78, 1518, 9000) */
  if (!strcmp(ax->key, "traffic.frame") && strspn(dst, "0123456789") == len && len + 1 < SWEEP_VALUE_MAX)
    dst[len] = 'B', dst[len + 1] = 0;
  return true;
}

/* One number of a range and its unit: text [b, e). */
static bool range_part(const char *b, const char *e, double *v, char *unit, size_t ul) {
  char num[SWEEP_VALUE_MAX * 3], *end;
  snprintf(num, sizeof num, "%.*s", (int)(e - b), b);
  *v = strtod(num, &end);
  snprintf(unit, ul, "%s", end);
  return end != num && num[0] != '-';
}

/* "A..B/STEP" (same unit suffix on all three) expanded into the axis. */
static bool push_range(sweep_axis *ax, const char *v, size_t len, char *err, size_t errlen) {
  char text[SWEEP_VALUE_MAX * 3], ua[SWEEP_VALUE_MAX * 3], ub[sizeof ua], us[sizeof ua];
  snprintf(text, sizeof text, "%.*s", (int)len, v);
  char *dots = strstr(text, ".."), *slash = strrchr(text, '/');
  double a = 0, b = 0, s = 0, n = 0;
  const char *bad = NULL;
  if (!slash || slash < dots) bad = "no /STEP";
  else if (!range_part(text, dots, &a, ua, sizeof ua) || !range_part(dots + 2, slash, &b, ub, sizeof ub) ||
           !range_part(slash + 1, text + strlen(text), &s, us, sizeof us))
    bad = "not numbers";
  else if (strcmp(ua, ub) || strcmp(ua, us)) bad = "different units";
  else if (!(s > 0) || !(b >= a)) bad = "empty range";
  else if ((n = floor((b - a) / s + 1e-9) + 1) > SWEEP_MAX_VALUES) bad = "too many values";
  if (bad) {
    snprintf(err, errlen, "--axis %s: range '%s': %s (allowed: A..B/STEP, same unit on all three, A <= B, STEP > 0, "
             "up to %d values, e.g. 10%%..100%%/10%%)", ax->key, text, bad, SWEEP_MAX_VALUES);
    return false;
  }
  for (long i = 0; i < (long)n; i++) {
    char one[SWEEP_VALUE_MAX];
    int l = snprintf(one, sizeof one, "%.10g%s", a + (double)i * s, ua);
    if (!push_value(ax, one, (size_t)l, err, errlen)) return false;
  }
  return true;
}

static bool push_list(sweep_axis *ax, const char *list, char *err, size_t errlen) {
  for (const char *p = list;;) {
    const char *c = strchr(p, ',');
    size_t len = c ? (size_t)(c - p) : strlen(p);
    bool range = false;
    for (size_t k = 0; k + 1 < len && !range; k++) range = p[k] == '.' && p[k + 1] == '.';
    if (!(range ? push_range(ax, p, len, err, errlen) : push_value(ax, p, len, err, errlen))) return false;
    if (!c) return true;
    p = c + 1;
  }
}

static sweep_axis *new_axis(sweep_plan *p, const char *key, size_t klen, char *err, size_t errlen) {
  if (klen == 0 || klen >= sizeof p->axes[0].key) {
    snprintf(err, errlen, "--axis: key '%.*s' %s (allowed: a --set key, e.g. traffic.rate)", (int)klen, key,
             klen ? "too long" : "missing");
    return NULL;
  }
  for (size_t i = 0; i < p->n_axes; i++)
    if (strlen(p->axes[i].key) == klen && !strncmp(p->axes[i].key, key, klen)) {
      snprintf(err, errlen, "--axis %.*s: given twice (allowed: one axis per key)", (int)klen, key);
      return NULL;
    }
  if (p->n_axes >= SWEEP_MAX_AXES) {
    snprintf(err, errlen, "--axis %.*s: more than %d axes (allowed: up to %d)", (int)klen, key, SWEEP_MAX_AXES,
             SWEEP_MAX_AXES);
    return NULL;
  }
  sweep_axis *ax = &p->axes[p->n_axes];
  memset(ax, 0, sizeof *ax);
  memcpy(ax->key, key, klen);
  ax->values = calloc(SWEEP_MAX_VALUES, sizeof *ax->values);
  if (!ax->values) {
    snprintf(err, errlen, "--axis: out of memory");
    return NULL;
  }
  p->n_axes++;
  return ax;
}

bool sweep_plan_add_axis(sweep_plan *p, const char *spec, char *err, size_t errlen) {
  const char *eq = strchr(spec, '=');
  if (!eq) {
    snprintf(err, errlen, "--axis %s: expected KEY=V1,V2,... (allowed: e.g. --axis traffic.frame=64,1518,imix)", spec);
    return false;
  }
  sweep_axis *ax = new_axis(p, spec, (size_t)(eq - spec), err, errlen);
  if (ax && push_list(ax, eq + 1, err, errlen)) return true;
  if (ax) free(ax->values), p->n_axes--; /* a refused axis leaves the plan as it was */
  return false;
}

bool sweep_plan_add_axis_node(sweep_plan *p, const char *key, const cfg_node *values, cfg_err *err) {
  char f[192], why[512];
  snprintf(f, sizeof f, "sweep.axes.%s", key);
  sweep_axis *ax = new_axis(p, key, strlen(key), why, sizeof why);
  if (!ax) return cfg_fail(err, values, f, "%s", why);
  if (values->kind == CFG_SCALAR) {
    if (!push_list(ax, values->value, why, sizeof why)) return cfg_fail(err, values, f, "%s", why);
    return true;
  }
  if (values->kind != CFG_SEQ || values->n == 0)
    return cfg_fail(err, values, f, "expected a list of values (allowed: [V1, V2], or 'A..B/STEP')");
  for (size_t i = 0; i < values->n; i++) {
    const cfg_node *v = values->items[i];
    if (v->kind != CFG_SCALAR) return cfg_fail(err, v, f, "expected a scalar value (allowed: a value or A..B/STEP)");
    if (!push_list(ax, v->value, why, sizeof why)) return cfg_fail(err, v, f, "%s", why);
  }
  return true;
}

size_t sweep_plan_points(const sweep_plan *p) {
  size_t n = 1;
  for (size_t a = 0; a < p->n_axes; a++) n *= p->axes[a].n;
  return n;
}

void sweep_plan_values(const sweep_plan *p, size_t i, const char **vals) {
  for (size_t a = p->n_axes; a-- > 0;) {
    vals[a] = p->axes[a].values[i % p->axes[a].n];
    i /= p->axes[a].n;
  }
}

void sweep_plan_id(size_t i, char *buf, size_t len) { snprintf(buf, len, "p%04zu", i); }

void sweep_plan_key(const sweep_plan *p, size_t i, char *buf, size_t len) {
  const char *vals[SWEEP_MAX_AXES];
  sweep_plan_values(p, i, vals);
  size_t l = 0;
  buf[0] = 0;
  for (size_t a = 0; a < p->n_axes && l < len; a++)
    l += (size_t)snprintf(buf + l, len - l, "%s%s=%s", a ? ";" : "", p->axes[a].key, vals[a]);
}

static int by_key(const void *a, const void *b) {
  return strcmp((*(const sweep_axis *const *)a)->key, (*(const sweep_axis *const *)b)->key);
}

/* The seed's key lists the axes sorted by key: the order axes were given in does not matter. */
uint64_t sweep_plan_seed(const sweep_plan *p, size_t i) {
  char key[SWEEP_MAX_AXES * 192];
  const char *vals[SWEEP_MAX_AXES];
  const sweep_axis *order[SWEEP_MAX_AXES];
  sweep_plan_values(p, i, vals);
  for (size_t a = 0; a < p->n_axes; a++) order[a] = &p->axes[a];
  qsort(order, p->n_axes, sizeof *order, by_key);
  size_t l = 0;
  key[0] = 0;
  for (size_t a = 0; a < p->n_axes && l < sizeof key; a++)
    l += (size_t)snprintf(key + l, sizeof key - l, "%s%s=%s", a ? ";" : "", order[a]->key,
                          vals[order[a] - p->axes]);
  uint64_t s = splitmix64(p->base_seed ^ sweep_fnv1a64(key, strlen(key), SWEEP_FNV_OFFSET));
  return s ? s : 1; /* seed 0 is not a scenario seed */
}

void sweep_plan_free(sweep_plan *p) {
  for (size_t a = 0; a < p->n_axes; a++) free(p->axes[a].values);
  memset(p, 0, sizeof *p);
}
