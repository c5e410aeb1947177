/* Scenario traffic streams and expect: entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_ipsec.h"

static const char *const traffic_keys[] = {"name", "router", "port", "rate", "frame", "src", "dst", "flows", "ip",
                                           "dscp", "arrival", "burst", "lookup_cycles", "start", "esp_of", "flow_order", NULL};

/* Simple IMIX 7:4:1 of 64/594/1518 B, interleaved so every 12 packets carry the exact mix. */
static const uint16_t imix_simple[12] = {64, 594, 64, 64, 1518, 64, 594, 64, 64, 594, 64, 594};

#define FRAME_MIN 64
#define FRAME_MAX 9600

static const cfg_param frame_p = {"frame", CFG_T_SIZE, "B", NULL, FRAME_MIN, FRAME_MAX, NULL, CFG_SRC_ASSUMED,
                                  "", "frame size incl. FCS", 0, false};

static bool parse_size(const cfg_node *n, uint32_t *out, cfg_err *err) {
  const char *s = scenario_scalar(n, "traffic[].frame", err);
  if (!s) return false;
  uint64_t v;
  char why[CFG_ERR_MAX];
  if (!cfg_parse_text(&frame_p, s, &v, why, sizeof why)) return cfg_fail(err, n, "traffic[].frame", "%s", why);
  *out = (uint32_t)v;
  return true;
}

/* CSIT's IMIX_v4_1: 28 x 64 B + 16 x 570 B + 4 x 1518 B per 48 packets (FD.io CSIT
 * traffic profiles), spread evenly: slot i takes the size furthest behind its share. */
static void imix_v4_1(uint16_t sizes[48]) {
  static const uint16_t sz[3] = {64, 570, 1518};
  static const uint32_t cnt[3] = {28, 16, 4};
  uint32_t done[3] = {0, 0, 0};
  for (uint32_t i = 0; i < 48; i++) {
    int best = 0;
    double lag_best = -1e9;
    for (int k = 0; k < 3; k++) {
      double lag = (double)(i + 1) * cnt[k] / 48.0 - done[k];
      if (done[k] < cnt[k] && lag > lag_best) best = k, lag_best = lag;
    }
    sizes[i] = sz[best];
    done[best]++;
  }
}

bool scenario_frame_mix(const char *name, asic_flow *f) {
  if (!strcmp(name, "imix") || !strcmp(name, "imix-simple")) {
    f->fkind = FRAME_LIST;
    f->n_sizes = 12;
    memcpy(f->sizes, imix_simple, sizeof imix_simple);
    snprintf(f->frame_text, sizeof f->frame_text, "imix (simple 7:4:1 of 64/594/1518)");
    return true;
  }
  if (!strcmp(name, "IMIX_v4_1")) {
    f->fkind = FRAME_LIST;
    f->n_sizes = 48;
    imix_v4_1(f->sizes);
    snprintf(f->frame_text, sizeof f->frame_text, "IMIX_v4_1 (28x64 + 16x570 + 4x1518)");
    return true;
  }
  return false;
}

static bool parse_frame(const cfg_node *n, asic_flow *f, cfg_err *err) {
  const char *F = "traffic[].frame";
  if (n->kind == CFG_SCALAR && scenario_frame_mix(n->value, f)) return true;
  if (n->kind == CFG_SCALAR) {
    uint32_t v;
    if (!parse_size(n, &v, err)) return false;
    f->fkind = FRAME_FIXED;
    f->sizes[0] = (uint16_t)v;
    f->n_sizes = 1;
    snprintf(f->frame_text, sizeof f->frame_text, "%uB", v);
    return true;
  }
  if (n->kind == CFG_SEQ) {
    if (n->n == 0 || n->n > FLOW_MAX_SIZES)
      return cfg_fail(err, n, F, "list of %zu sizes (allowed: 1..%d)", n->n, FLOW_MAX_SIZES);
    f->fkind = FRAME_LIST;
    f->n_sizes = (uint32_t)n->n;
    size_t len = 0;
    for (size_t i = 0; i < n->n; i++) {
      uint32_t v;
      if (!parse_size(n->items[i], &v, err)) return false;
      f->sizes[i] = (uint16_t)v;
      if (len < sizeof f->frame_text - 8) len += (size_t)snprintf(f->frame_text + len, sizeof f->frame_text - len, "%s%u", i ? "," : "", v);
    }
    return true;
  }
  const cfg_node *u = cfg_get(n, "uniform");
  if (n->n != 1 || !u)
    return cfg_fail(err, n, F, "unknown frame form (allowed: 64B, [64B, 1518B], imix, IMIX_v4_1, {uniform: [64B, 1518B]})");
  if (u->kind != CFG_SEQ || u->n != 2) return cfg_fail(err, u, "traffic[].frame.uniform", "expected [MIN, MAX]");
  if (!parse_size(u->items[0], &f->lo, err) || !parse_size(u->items[1], &f->hi, err)) return false;
  if (f->lo > f->hi) return cfg_fail(err, u, "traffic[].frame.uniform", "MIN > MAX");
  f->fkind = FRAME_UNIFORM;
  snprintf(f->frame_text, sizeof f->frame_text, "uniform %u..%u B", f->lo, f->hi);
  return true;
}

static bool one_flow(const cfg_node *e, asic_world *w, asic_flow *f, uint32_t fi, cfg_err *err) {
  if (!scenario_check_keys(e, "traffic[]", traffic_keys, err)) return false;
  const cfg_node *n;
  const char *s;
  f->esp_of = ASIC_NONE;
  snprintf(f->name, sizeof f->name, "f%u", fi);
  if ((n = cfg_get(e, "name"))) {
    if (!(s = scenario_scalar(n, "traffic[].name", err))) return false;
    if (strlen(s) >= sizeof f->name || strchr(s, '.') || !stats_name_ok(s)) /* metric names */
      return cfg_fail(err, n, "traffic[].name", "bad name '%s' (allowed: up to 47 characters of a-z 0-9 _ - / :)", s);
    snprintf(f->name, sizeof f->name, "%s", s);
  }
  for (uint32_t k = 0; k < fi; k++)
    if (!strcmp(w->flows[k].name, f->name)) return cfg_fail(err, n ? n : e, "traffic[].name", "duplicate stream '%s'", f->name);
  uint32_t router = 0;
  if ((n = cfg_get(e, "router"))) {
    if (!(s = scenario_scalar(n, "traffic[].router", err))) return false;
    int32_t r = asic_world_router(w, s);
    if (r < 0) return cfg_fail(err, n, "traffic[].router", "no router '%s'", s);
    router = (uint32_t)r;
  }
  if (!(n = cfg_get(e, "port"))) return cfg_fail(err, e, "traffic[].port", "missing (allowed: et-F/P/N)");
  if (!(s = scenario_scalar(n, "traffic[].port", err))) return false;
  int32_t port = asic_world_port(w, router, s);
  if (port < 0) {
    const asic_router *rt = &w->routers[router];
    return cfg_fail(err, n, "traffic[].port", "no port '%s' on %s (allowed: %s .. %s)", s, rt->name,
                    w->ports[rt->first_port].name, w->ports[rt->first_port + rt->n_ports - 1].name);
  }
  f->port = (uint32_t)port;
  f->router = w->ports[port].router;
  /* esp_of: the ESP the remote peer of that tunnel sends; dst is the inner destination */
  if ((n = cfg_get(e, "esp_of")) && !scenario_ipsec_esp_of(w, f->router, n, &f->esp_of, err)) return false;
  double line = (double)w->ports[port].rate_bps;
  f->rate_bps = line;
  if ((n = cfg_get(e, "rate"))) {
    if (!(s = scenario_scalar(n, "traffic[].rate", err))) return false;
    static const cfg_param pct = {"rate", CFG_T_PERCENT, "%", NULL, 1e-9, 1.0, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
    static const cfg_param rate = {"rate", CFG_T_RATE, "Gbps", NULL, 1e3, 1.6e12, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
    char why[CFG_ERR_MAX];
    double v;
    bool is_pct = s[strlen(s) - 1] == '%';
    /* the real range: above 0 (the parameters' minimum) up to the port's line rate */
    bool ok = cfg_parse_text(is_pct ? &pct : &rate, s, &v, why, sizeof why);
    if (!ok && !strstr(why, "negative") && !strstr(why, "out of range"))
      return cfg_fail(err, n, "traffic[].rate", "%s", why); /* not a rate at all (unit, syntax) */
    if (ok) f->rate_bps = is_pct ? v * line : v;
    if (!ok || f->rate_bps > line * (1 + 1e-12))
      return cfg_fail(err, n, "traffic[].rate", "'%s' is %s (allowed: 1Kbps..%.0fGbps L1, the port's line rate, or 1e-07%%..100%%)",
                      s, !ok && s[0] == '-' ? "negative" : ok ? "above the port's line rate" : "out of range", line / 1e9);
  }
  f->fkind = FRAME_FIXED;
  f->sizes[0] = 64;
  f->n_sizes = 1;
  snprintf(f->frame_text, sizeof f->frame_text, "64B");
  if ((n = cfg_get(e, "frame")) && !parse_frame(n, f, err)) return false;
  if (!(n = cfg_get(e, "dst"))) return cfg_fail(err, e, "traffic[].dst", "missing (allowed: an IPv4 or IPv6 address)");
  if (!(s = scenario_scalar(n, "traffic[].dst", err))) return false;
  uint8_t len;
  if (!route_parse_prefix(s, &f->family, f->dst, &len) || strchr(s, '/'))
    return cfg_fail(err, n, "traffic[].dst", "'%s' is not an address (allowed: IPv4 or IPv6 address)", s);
  static const cfg_param ip_p = {"ip", CFG_T_ENUM, "", NULL, 1, 0, "ipv4|ipv6", CFG_SRC_ASSUMED, "", "", 0, false};
  if ((n = cfg_get(e, "ip"))) {
    int ip;
    char why[CFG_ERR_MAX];
    if (!(s = scenario_scalar(n, "traffic[].ip", err))) return false;
    if (!cfg_parse_text(&ip_p, s, &ip, why, sizeof why)) return cfg_fail(err, n, "traffic[].ip", "%s", why);
    if ((ip == 0) != (f->family == 4)) return cfg_fail(err, n, "traffic[].ip", "does not match the dst address family");
  }
  if ((n = cfg_get(e, "src"))) {
    /* the inner source address of the stream's frames; without it one per stream from the
     * RFC 2544 / RFC 5180 benchmarking ranges (asic_bytes_start) */
    uint8_t fam, slen;
    if (!(s = scenario_scalar(n, "traffic[].src", err))) return false;
    if (!route_parse_prefix(s, &fam, f->src, &slen) || strchr(s, '/'))
      return cfg_fail(err, n, "traffic[].src", "'%s' is not an address (allowed: IPv4 or IPv6 address)", s);
    if (fam != f->family)
      return cfg_fail(err, n, "traffic[].src", "'%s' is IPv%u but dst is IPv%u (allowed: an address of dst's family)", s,
                      fam, f->family);
    f->src_given = true;
  }
  struct {
    const char *key;
    cfg_param p;
    void *dst;
    uint64_t def;
  } ints[] = {
      {"flows", {"flows", CFG_T_UINT, "", NULL, 1, 65536, NULL, 0, "", "", 0, false}, &f->n_addr, 1},
      {"dscp", {"dscp", CFG_T_UINT, "", NULL, 0, 63, NULL, 0, "", "", 0, false}, &f->dscp, 0},
      {"burst", {"burst", CFG_T_UINT, "pkts", NULL, 0, 1000000, NULL, 0, "", "", 0, false}, &f->burst, 0},
      {"lookup_cycles", {"lookup_cycles", CFG_T_UINT, "cycles", NULL, 1, 1000000, NULL, 0, "", "", 0, false},
       &f->lookup_cycles, w->routers[router].p.lookup_cycles},
  };
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    uint64_t v = ints[i].def;
    char field[64], why[CFG_ERR_MAX];
    snprintf(field, sizeof field, "traffic[].%s", ints[i].key);
    if ((n = cfg_get(e, ints[i].key))) {
      if (!(s = scenario_scalar(n, field, err))) return false;
      if (!cfg_parse_text(&ints[i].p, s, &v, why, sizeof why)) {
        /* a number too large for any integer is out of this key's range, not of uint64's */
        bool digits = s[0] != 0;
        for (const char *c = s[0] == '-' ? s + 1 : s; *c && digits; c++) digits = *c >= '0' && *c <= '9';
        if (digits)
          return cfg_fail(err, n, field, "'%s' is out of range (allowed: %.0f..%.0f)", s, ints[i].p.min, ints[i].p.max);
        return cfg_fail(err, n, field, "%s", why);
      }
    }
    *(uint32_t *)ints[i].dst = (uint32_t)v;
  }
  static const cfg_param arr_p = {"arrival", CFG_T_ENUM, "", NULL, 1, 0, "cbr|poisson", CFG_SRC_ASSUMED, "", "", 0, false};
  if ((n = cfg_get(e, "arrival"))) {
    int a;
    char why[CFG_ERR_MAX];
    if (!(s = scenario_scalar(n, "traffic[].arrival", err))) return false;
    if (!cfg_parse_text(&arr_p, s, &a, why, sizeof why)) return cfg_fail(err, n, "traffic[].arrival", "%s", why);
    f->arrival = a ? ARRIVAL_POISSON : ARRIVAL_CBR;
  }
  /* flow_order: the order the packets visit the `flows:` addresses (so the tunnels they route
   * to): round_robin (default) or random (uniform, independent draws from the seed) */
  static const cfg_param order_p = {"flow_order", CFG_T_ENUM, "", NULL, 1, 0, "round_robin|random", CFG_SRC_ASSUMED,
                                    "", "", 0, false};
  if ((n = cfg_get(e, "flow_order"))) {
    int o;
    char why[CFG_ERR_MAX];
    if (!(s = scenario_scalar(n, "traffic[].flow_order", err))) return false;
    if (!cfg_parse_text(&order_p, s, &o, why, sizeof why)) return cfg_fail(err, n, "traffic[].flow_order", "%s", why);
    f->addr_random = (uint8_t)o;
  }
  static const cfg_param start_p = {"start", CFG_T_TIME, "ns", NULL, 0, 1e16, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
  if ((n = cfg_get(e, "start"))) {
    char why[CFG_ERR_MAX];
    if (!(s = scenario_scalar(n, "traffic[].start", err))) return false;
    if (!cfg_parse_text(&start_p, s, &f->start, why, sizeof why)) return cfg_fail(err, n, "traffic[].start", "%s", why);
  }
  return true;
}

bool scenario_traffic(const cfg_node *seq, asic_world *w, cfg_err *err) {
  if (seq->kind != CFG_SEQ || seq->n == 0)
    return cfg_fail(err, seq, "traffic", "expected a non-empty list (allowed: a list of traffic streams)");
  if (seq->n >= (1u << 20)) return cfg_fail(err, seq, "traffic", "too many streams (allowed: < 1048576)");
  w->flows = calloc(seq->n, sizeof *w->flows);
  if (!w->flows) return cfg_fail(err, seq, "traffic", "out of memory");
  for (size_t i = 0; i < seq->n; i++) {
    w->n_flows = (uint32_t)i;
    if (!one_flow(seq->items[i], w, &w->flows[i], (uint32_t)i, err)) return false;
  }
  w->n_flows = (uint32_t)seq->n;
  return true;
}

bool scenario_expects(const cfg_node *seq, scenario *sc, cfg_err *err) {
  static const char *const keys[] = {"metric", "approx", "eq", "ge", "gt", "le", "lt", "tol", "if", NULL};
  static const char *const if_keys[] = {"gcm_model", NULL};
  static const char *const ops[] = {"approx", "eq", "ge", "gt", "le", "lt"};
  if (seq->kind != CFG_SEQ) return cfg_fail(err, seq, "expect", "expected a list (allowed: a list of {metric, OP: value})");
  sc->expects = calloc(seq->n ? seq->n : 1, sizeof *sc->expects);
  for (size_t i = 0; i < seq->n; i++) {
    const cfg_node *e = seq->items[i];
    scenario_expect *x = &sc->expects[i];
    if (!scenario_check_keys(e, "expect[]", keys, err)) return false;
    const cfg_node *m = cfg_get(e, "metric");
    if (!m) return cfg_fail(err, e, "expect[].metric", "missing (allowed: a stats name such as flow.f1.rx_l1_gbps)");
    const char *s = scenario_scalar(m, "expect[].metric", err);
    if (!s) return false;
    snprintf(x->metric, sizeof x->metric, "%s", s);
    snprintf(x->where, sizeof x->where, "%s:%u:%u", m->file, m->line, m->col);
    int found = -1;
    for (int k = 0; k < 6; k++)
      if (cfg_get(e, ops[k])) {
        if (found >= 0) return cfg_fail(err, e, "expect[]", "more than one comparison (allowed: one of approx, eq, ge, gt, le, lt)");
        found = k;
      }
    if (found < 0) return cfg_fail(err, e, "expect[]", "no comparison (allowed: one of approx, eq, ge, gt, le, lt)");
    x->op = (expect_op)found;
    const cfg_node *vn = cfg_get(e, ops[found]);
    if (!(s = scenario_scalar(vn, "expect[].value", err))) return false;
    char *end;
    x->value = strtod(s, &end);
    if (end != s && *end && !strchr(end, '.')) /* a number with a unit (a metric name has dots) */
      return cfg_fail(err, vn, "expect[].value", "'%s': values are unitless numbers in the metric's unit "
                      "(allowed: a number such as %.*s, or a metric name)", s, (int)(end - s), s);
    if (end == s || *end) snprintf(x->ref, sizeof x->ref, "%s", s);
    x->if_gcm_model = -1;
    const cfg_node *cond = cfg_get(e, "if"); /* if: {gcm_model: rtl}: only under that GCM model */
    if (cond) {
      if (cond->kind != CFG_MAP) return cfg_fail(err, cond, "expect[].if", "expected a map (allowed: {gcm_model: c|rtl})");
      if (!scenario_check_keys(cond, "expect[].if", if_keys, err)) return false;
      const cfg_node *gm = cfg_get(cond, "gcm_model");
      if (!gm) return cfg_fail(err, cond, "expect[].if.gcm_model", "missing (allowed: c, rtl)");
      const char *g = scenario_scalar(gm, "expect[].if.gcm_model", err);
      if (!g) return false;
      if (strcmp(g, "c") && strcmp(g, "rtl")) return cfg_fail(err, gm, "expect[].if.gcm_model", "'%s' (allowed: c, rtl)", g);
      x->if_gcm_model = !strcmp(g, "rtl") ? ASIC_GCM_RTL : ASIC_GCM_C;
    }
    x->tol = 0.01;
    const cfg_node *tn = cfg_get(e, "tol");
    if (tn) {
      static const cfg_param tol = {"tol", CFG_T_PERCENT, "%", NULL, 0, 1, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
      char why[CFG_ERR_MAX];
      if (!(s = scenario_scalar(tn, "expect[].tol", err))) return false;
      if (x->op != EXP_APPROX) return cfg_fail(err, tn, "expect[].tol", "only with approx");
      if (!cfg_parse_text(&tol, s, &x->tol, why, sizeof why)) return cfg_fail(err, tn, "expect[].tol", "%s", why);
    }
  }
  sc->n_expects = seq->n;
  return true;
}
