/* Long-form sweep results: header, records, results.csv/json, table, merge (sweep_results.h). */
#include "sweep_results.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/file_read.h"
#include "cli_cleanup.h"
#include "model/out_file.h"

void sweep_text_add(sweep_text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int need = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (need < 0) return;
  if (t->n + (size_t)need + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 4096;
    while (cap < t->n + (size_t)need + 1) cap *= 2;
    char *g = realloc(t->s, cap);
    if (!g) return;
    t->s = g, t->cap = cap;
  }
  va_start(ap, fmt);
  vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
  va_end(ap);
  t->n += (size_t)need;
}

void sweep_text_free(sweep_text *t) {
  free(t->s);
  memset(t, 0, sizeof *t);
}

void sweep_header(sweep_text *out, const char *scenario_path, const sweep_plan *p, const char *search,
                  char *const *sets, size_t n_sets) {
  char why[512];
  size_t len = 0;
  char *bytes = NULL;
  uint64_t h = SWEEP_FNV_OFFSET;
  if (file_read_all(scenario_path, &bytes, &len, why, sizeof why)) h = sweep_fnv1a64(bytes, len, h);
  free(bytes);
  sweep_text_add(out, "# tool: ipsecsim sweep\n# version: %s\n# scenario: %s\n# scenario_fnv1a64: %016llx\n",
                 IPSECSIM_VERSION, scenario_path, (unsigned long long)h);
  sweep_text_add(out, "# seed: %llu\n# search: %s\n", (unsigned long long)p->base_seed, search);
  for (size_t i = 0; i < n_sets; i++) {
    const char *eq = strchr(sets[i], '=');
    size_t kl = eq ? (size_t)(eq - sets[i]) : strlen(sets[i]);
    char key[160];
    snprintf(key, sizeof key, "%.*s", (int)kl, sets[i]);
    bool secret = strstr(key, "key") || strstr(key, "salt") || strstr(key, "psk");
    sweep_text_add(out, "# set: %s=%s\n", key, secret ? "(not shown)" : eq ? eq + 1 : "");
  }
  for (size_t a = 0; a < p->n_axes; a++) {
    sweep_text_add(out, "# axis: %s=", p->axes[a].key);
    for (size_t v = 0; v < p->axes[a].n; v++) sweep_text_add(out, "%s%s", v ? "," : "", p->axes[a].values[v]);
    sweep_text_add(out, "\n");
  }
  sweep_text_add(out, "# points: %zu\npoint,seed", sweep_plan_points(p));
  for (size_t a = 0; a < p->n_axes; a++) sweep_text_add(out, ",%s", p->axes[a].key);
  sweep_text_add(out, ",metric,value\n");
}

void sweep_records(sweep_text *out, const sweep_plan *p, size_t i, const sweep_rows *rows) {
  char id[32], lead[SWEEP_MAX_AXES * (SWEEP_VALUE_MAX + 1) + 64];
  const char *vals[SWEEP_MAX_AXES];
  sweep_plan_id(i, id, sizeof id);
  sweep_plan_values(p, i, vals);
  size_t l = (size_t)snprintf(lead, sizeof lead, "%s,%llu", id, (unsigned long long)sweep_plan_seed(p, i));
  for (size_t a = 0; a < p->n_axes; a++) l += (size_t)snprintf(lead + l, sizeof lead - l, ",%s", vals[a]);
  for (size_t r = 0; r < rows->n; r++) {
    char m[sizeof rows->r[0].metric], v[sizeof rows->r[0].value];
    snprintf(m, sizeof m, "%s", rows->r[r].metric);
    snprintf(v, sizeof v, "%s", rows->r[r].value);
    for (char *c = m; *c; c++) if (*c == ',' || *c == '"' || *c == '\n') *c = '_';
    for (char *c = v; *c; c++) if (*c == ',' || *c == '"' || *c == '\n') *c = '_';
    sweep_text_add(out, "%s,%s,%s\n", lead, m, v);
  }
}

static bool mkdir_p(const char *dir, char *err, size_t errlen) {
  char path[OUT_PATH_MAX];
  snprintf(path, sizeof path, "%s", dir);
  for (char *p = path + 1;; p++) {
    if (*p && *p != '/') continue;
    char c = *p;
    *p = 0;
    struct stat st;
    if (mkdir(path, 0777) && !(errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
      snprintf(err, errlen, "--out %s: cannot create %s (%s)", dir, path, strerror(errno));
      return false;
    }
    *p = c;
    if (!c) return true;
  }
}

bool sweep_write_file(const char *dir, const char *name, const char *text, size_t len, char *err, size_t errlen) {
  if (!mkdir_p(dir, err, errlen)) return false;
  char path[OUT_PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  out_file o;
  /* signals wait until the file is renamed into place or removed (cli_cleanup.h) */
  cli_cleanup_hold();
  bool ok = out_begin(&o, path, OUT_MODE_NORMAL, err, errlen);
  if (ok && len && fwrite(text, 1, len, o.fp) != len) {
    out_abort(&o);
    snprintf(err, errlen, "%s: cannot write (%s)", path, strerror(errno ? errno : EIO));
    ok = false;
  } else if (ok) {
    ok = out_commit(&o, err, errlen);
  }
  cli_cleanup_release();
  return ok;
}

/* Splits a CSV line into fields in place (no quoting: records never hold ',' or '"'). */
static size_t split(char *line, char **f, size_t max) {
  size_t n = 0;
  for (char *p = line; n < max;) {
    f[n++] = p;
    char *c = strchr(p, ',');
    if (!c) break;
    *c = 0;
    p = c + 1;
  }
  return n;
}

static void json_str(sweep_text *o, const char *s) {
  sweep_text_add(o, "\"");
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') sweep_text_add(o, "\\%c", *s);
    else if ((unsigned char)*s < 0x20) sweep_text_add(o, "\\u%04x", (unsigned char)*s);
    else sweep_text_add(o, "%c", *s);
  }
  sweep_text_add(o, "\"");
}

static void json_value(sweep_text *o, const char *v) {
  char *end;
  strtod(v, &end);
  if (*v && !*end && strspn(v, "0123456789+-.eE") == strlen(v)) sweep_text_add(o, "%s", v);
  else json_str(o, v);
}

/* results.json from the CSV text. */
static void to_json(const char *csv, sweep_text *o) {
  char *copy = strdup(csv ? csv : "");
  char *cols[SWEEP_MAX_AXES + 4], *f[SWEEP_MAX_AXES + 4];
  size_t n_cols = 0, n_axes = 0;
  char last[32] = "";
  bool first_axis = true, in_points = false;
  sweep_text axes = {0}, sets = {0};
  sweep_text_add(o, "{\n  \"run\": {");
  for (char *line = copy, *nl; line && *line; line = nl) {
    nl = strchr(line, '\n');
    if (nl) *nl++ = 0;
    if (line[0] == '#') {
      char *colon = strstr(line, ": ");
      if (!colon) continue;
      *colon = 0;
      const char *k = line + 2, *v = colon + 2;
      if (!strcmp(k, "axis")) { /* KEY=V1,V2,... */
        const char *eq = strchr(v, '=');
        sweep_text_add(&axes, "%s\n      {\"key\": \"%.*s\", \"values\": [", first_axis ? "" : ",",
                       (int)(eq ? eq - v : 0), v);
        first_axis = false;
        for (const char *p = eq ? eq + 1 : v, *c; *p; p = c ? c + 1 : p + strlen(p)) {
          c = strchr(p, ',');
          char one[SWEEP_VALUE_MAX + 1];
          snprintf(one, sizeof one, "%.*s", (int)(c ? (size_t)(c - p) : strlen(p)), p);
          sweep_text_add(&axes, "%s", p == eq + 1 ? "" : ", ");
          json_str(&axes, one);
          if (!c) break;
        }
        sweep_text_add(&axes, "]}");
      } else if (!strcmp(k, "set")) {
        sweep_text_add(&sets, "%s", sets.n ? ", " : "");
        json_str(&sets, v);
      } else {
        sweep_text_add(o, "%s\n    ", strcmp(k, "tool") ? "," : "");
        json_str(o, k);
        sweep_text_add(o, ": ");
        if (!strcmp(k, "version")) json_str(o, v);
        else json_value(o, v);
      }
      continue;
    }
    if (!n_cols) {
      n_cols = split(line, cols, SWEEP_MAX_AXES + 4);
      n_axes = n_cols >= 4 ? n_cols - 4 : 0;
      sweep_text_add(o, ",\n    \"sets\": [%s],\n    \"axes\": [%s\n    ]\n  },\n  \"points\": [", sets.s ? sets.s : "",
                     axes.s ? axes.s : "");
      continue;
    }
    size_t n = split(line, f, SWEEP_MAX_AXES + 4);
    if (n != n_cols) continue;
    if (strcmp(last, f[0])) {
      sweep_text_add(o, "%s\n    {\"id\": \"%s\", \"seed\": %s, \"axes\": {", in_points ? "\n    }}," : "", f[0], f[1]);
      for (size_t a = 0; a < n_axes; a++) {
        sweep_text_add(o, "%s", a ? ", " : "");
        json_str(o, cols[2 + a]);
        sweep_text_add(o, ": ");
        json_str(o, f[2 + a]);
      }
      sweep_text_add(o, "},\n     \"metrics\": {");
      snprintf(last, sizeof last, "%s", f[0]);
      in_points = true;
    } else {
      sweep_text_add(o, ",");
    }
    sweep_text_add(o, "\n      ");
    json_str(o, f[n - 2]);
    sweep_text_add(o, ": ");
    json_value(o, f[n - 1]);
  }
  sweep_text_add(o, "%s\n  ]\n}\n", in_points ? "\n    }}" : "");
  free(copy);
  sweep_text_free(&axes);
  sweep_text_free(&sets);
}

bool sweep_write_results(const char *dir, const char *csv, size_t len, char *err, size_t errlen) {
  sweep_text j = {0};
  to_json(csv, &j);
  bool ok = sweep_write_file(dir, "results.csv", csv, len, err, errlen) &&
            sweep_write_file(dir, "results.json", j.s, j.n, err, errlen);
  sweep_text_free(&j);
  return ok;
}
