/* Scenario loader: top level, routers, parameters, interfaces, routes, links, phases,
 * --set overrides. Traffic and expect entries are in scenario_traffic.c. */
#include "scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "asic_preset.h"
#include "asic_report.h"
#include "scenario_ipsec.h"

static const char *const top_keys[] = {"version", "seed", "platform", "params", "routers", "interfaces",
                                       "routes", "links", "traffic", "phases", "expect", "ipsec", "sweep", "junos",
                                       "payload", "capture", "events", "gcm_model", NULL};
static const char *const router_keys[] = {"name", "platform", "params", "interfaces", "routes", "ipsec", NULL};
static const char *const block_keys[] = {"portgroup", "pfe", "fabric", "engine", "host", NULL};

static size_t count(const char *const *l) {
  size_t n = 0;
  while (l[n]) n++;
  return n;
}

bool scenario_check_keys(const cfg_node *map, const char *field, const char *const *allowed, cfg_err *err) {
  if (map->kind != CFG_MAP) return cfg_fail(err, map, field, "expected a map (allowed: a map)");
  size_t n = count(allowed);
  for (size_t i = 0; i < map->n; i++) {
    bool ok = false;
    for (size_t k = 0; k < n && !ok; k++) ok = !strcmp(allowed[k], map->keys[i]);
    if (ok) continue;
    char f[256], list[400] = "";
    snprintf(f, sizeof f, "%s%s%s", field && *field ? field : "", field && *field ? "." : "", map->keys[i]);
    const char *dym = cfg_did_you_mean(map->keys[i], (const char **)allowed, n);
    if (dym) return cfg_fail(err, map->key_nodes[i], f, "unknown key (did you mean '%s'?)", dym);
    for (size_t k = 0, len = 0; k < n && len < sizeof list - 40; k++)
      len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "", allowed[k]);
    return cfg_fail(err, map->key_nodes[i], f, "unknown key (allowed: %s)", list);
  }
  return true;
}

const char *scenario_scalar(const cfg_node *n, const char *field, cfg_err *err) {
  if (n->kind != CFG_SCALAR) {
    cfg_fail(err, n, field, "expected a scalar, found a %s (allowed: a scalar)",
             n->kind == CFG_MAP ? "map" : "sequence");
    return NULL;
  }
  return n->value;
}

static bool parse_field(const cfg_param *p, const cfg_node *node, const char *field, void *dst, cfg_err *err) {
  const char *text = scenario_scalar(node, field, err);
  if (!text) return false;
  char why[CFG_ERR_MAX];
  if (!cfg_parse_text(p, text, dst, why, sizeof why)) return cfg_fail(err, node, field, "%s", why);
  return true;
}

/* Applies a map of one table's keys (no defaults: overrides on top of what is there). */
static bool apply_map(const cfg_node *map, const char *field, const cfg_param *t, size_t n, void *dst, cfg_err *err) {
  const char *names[64];
  for (size_t i = 0; i < n; i++) names[i] = t[i].name;
  names[n] = NULL;
  if (!scenario_check_keys(map, field, names, err)) return false;
  for (size_t i = 0; i < map->n; i++) {
    char f[256];
    snprintf(f, sizeof f, "%s.%s", field, map->keys[i]);
    for (size_t k = 0; k < n; k++)
      if (!strcmp(t[k].name, map->keys[i]) && !parse_field(&t[k], map->items[i], f, dst, err)) return false;
  }
  return true;
}

static bool apply_params(const cfg_node *map, const char *field, asic_params *p, cfg_err *err) {
  if (!scenario_check_keys(map, field, block_keys, err)) return false;
  for (size_t i = 0; i < map->n; i++) {
    const asic_param_block *b = asic_param_block_find(map->keys[i]);
    char f[256];
    snprintf(f, sizeof f, "%s.%s", field, map->keys[i]);
    if (!apply_map(map->items[i], f, b->table, b->n, asic_param_block_base(b, p, NULL), err)) return false;
  }
  return true;
}

static bool defaults(asic_router *r, cfg_err *err) {
  size_t nb;
  const asic_param_block *b = asic_param_blocks(&nb);
  for (size_t i = 0; i < nb; i++)
    if (!cfg_apply_defaults(b[i].table, b[i].n, asic_param_block_base(&b[i], &r->p, &r->plat), err)) return false;
  return true;
}

/* --set KEY=VALUE for one router: BLOCK.PARAM or platform.KEY */
static int apply_set(asic_router *r, const char *key, const char *val, char *why, size_t wl) {
  char blk[64];
  const char *dot = strchr(key, '.');
  if (!dot || (size_t)(dot - key) >= sizeof blk) return 0;
  memcpy(blk, key, (size_t)(dot - key));
  blk[dot - key] = 0;
  const cfg_param *p = asic_param_find(blk, dot + 1);
  if (!p) return 0;
  return cfg_parse_text(p, val, asic_param_block_base(asic_param_block_find(blk), &r->p, &r->plat), why, wl) ? 1 : -1;
}

static bool router_body(const cfg_node *m, const cfg_node *top_params, asic_router *r, bool top, cfg_err *err) {
  const char *pre = top ? "" : "routers[].";
  char f[128];
  if (!defaults(r, err)) return false;
  const cfg_node *pl = cfg_get(m, "platform");
  size_t nb;
  const asic_param_block *b = asic_param_blocks(&nb);
  snprintf(f, sizeof f, "%splatform", pre);
  if (pl && !apply_map(pl, f, b[0].table, b[0].n, &r->plat, err)) return false;
  if (top_params && !apply_params(top_params, "params", &r->p, err)) return false;
  const cfg_node *pp = top ? NULL : cfg_get(m, "params");
  if (pp && !apply_params(pp, "routers[].params", &r->p, err)) return false;
  return true;
}

/* `speed:` on an interface: a reduced (channelized) port speed, at most the cage's (assumed:
 * the MAC serializes at the configured speed; nothing else of the port group changes). The
 * port's MAC and its ingress arbiter weight follow the new speed. */
static bool port_speed(asic_world *w, uint32_t port, const cfg_node *n, cfg_err *err) {
  asic_port *pt = &w->ports[port];
  const cfg_param sp = {"speed", CFG_T_RATE, "Gbps", NULL, 1e9, (double)pt->rate_bps, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
  double v;
  if (!parse_field(&sp, n, "interfaces.speed", &v, err)) return false;
  portgroup_port_set_speed(pt, &w->pgs[pt->pg], (uint64_t)llround(v));
  return true;
}

/* Keeps an interfaces: entry as written, for config.resolved.yaml. */
static bool keep_iface(asic_world *w, uint32_t ri, uint32_t port, const cfg_node *addr_n, const cfg_node *desc_n,
                       const char *f, cfg_err *err) {
  asic_router *rt = &w->routers[ri];
  asic_iface *grown = realloc(rt->ifaces, (rt->n_ifaces + 1) * sizeof *grown);
  if (!grown) return cfg_fail(err, addr_n ? addr_n : desc_n, f, "out of memory");
  rt->ifaces = grown;
  asic_iface *ifc = &rt->ifaces[rt->n_ifaces++];
  memset(ifc, 0, sizeof *ifc);
  ifc->port = port;
  const cfg_node *nodes[2] = {addr_n, desc_n};
  char *dst[2] = {ifc->address, ifc->description};
  size_t cap[2] = {sizeof ifc->address, sizeof ifc->description};
  for (int k = 0; k < 2; k++) {
    if (!nodes[k]) continue;
    const char *text = scenario_scalar(nodes[k], f, err);
    if (!text) return false;
    if (strlen(text) >= cap[k])
      return cfg_fail(err, nodes[k], f, "%s too long (allowed: up to %zu characters)", k ? "description" : "address",
                      cap[k] - 1);
    memcpy(dst[k], text, strlen(text) + 1);
  }
  return true;
}

/* Interfaces (connected routes) and routes of router index ri. */
static bool router_routes(const cfg_node *m, asic_world *w, uint32_t ri, const char *pre, cfg_err *err) {
  static const char *const if_keys[] = {"name", "address", "description", "speed", NULL};
  static const char *const rt_keys[] = {"prefix", "via", NULL};
  const char *lists[2] = {"interfaces", "routes"};
  for (int li = 0; li < 2; li++) {
    const cfg_node *seq = cfg_get(m, lists[li]);
    if (!seq) continue;
    char f[128];
    snprintf(f, sizeof f, "%s%s", pre, lists[li]);
    if (seq->kind != CFG_SEQ) return cfg_fail(err, seq, f, "expected a list (allowed: a list of maps)");
    for (size_t i = 0; i < seq->n; i++) {
      const cfg_node *e = seq->items[i];
      if (!scenario_check_keys(e, f, li ? rt_keys : if_keys, err)) return false;
      const cfg_node *port_n = cfg_get(e, li ? "via" : "name");
      const cfg_node *pfx_n = cfg_get(e, li ? "prefix" : "address");
      if (!port_n) return cfg_fail(err, e, f, "missing key '%s'", li ? "via" : "name");
      const char *pname = scenario_scalar(port_n, f, err);
      if (!pname) return false;
      int32_t port = asic_world_port(w, ri, pname);
      if (li && port < 0 && !strncmp(pname, "st0.", 4) && !scenario_ipsec_via(w, ri, pname, port_n, f, &port, err))
        return false; /* via: st0.N enters tunnel N's outbound SA */
      if (port < 0 && port > SLICE_NH_TUNNEL_BASE)
        return cfg_fail(err, port_n, f, "no port '%s' on %s (allowed: %s .. %s)", pname, w->routers[ri].name,
                        w->ports[w->routers[ri].first_port].name,
                        w->ports[w->routers[ri].first_port + w->routers[ri].n_ports - 1].name);
      const cfg_node *sp_n = li ? NULL : cfg_get(e, "speed");
      if (sp_n && !port_speed(w, (uint32_t)port, sp_n, err)) return false;
      if (!li && !keep_iface(w, ri, (uint32_t)port, pfx_n, cfg_get(e, "description"), f, err)) return false;
      if (!pfx_n) {
        if (li) return cfg_fail(err, e, f, "missing key 'prefix'");
        continue;
      }
      const char *pfx = scenario_scalar(pfx_n, f, err);
      uint8_t fam, addr[16], len;
      if (!pfx) return false;
      if (!route_parse_prefix(pfx, &fam, addr, &len))
        return cfg_fail(err, pfx_n, f, "'%s' is not a prefix (allowed: A.B.C.D/LEN or IPv6/LEN)", pfx);
      route_add(&w->routers[ri].routes, fam, addr, len, port);
    }
  }
  return true;
}

static bool links(const cfg_node *seq, asic_world *w, cfg_err *err) {
  static const char *const keys[] = {"a", "b", "latency", "fault", NULL};
  static const cfg_param lat = {"latency", CFG_T_TIME, "ns", "50ns", 0, 1e15, NULL, CFG_SRC_ASSUMED,
                                "10 m of fibre", "link propagation delay", 0, false};
  if (seq->kind != CFG_SEQ) return cfg_fail(err, seq, "links", "expected a list (allowed: a list of maps)");
  for (size_t i = 0; i < seq->n; i++) {
    const cfg_node *e = seq->items[i];
    if (!scenario_check_keys(e, "links", keys, err)) return false;
    int32_t end[2];
    const char *ab[2] = {"a", "b"};
    for (int k = 0; k < 2; k++) {
      const cfg_node *n = cfg_get(e, ab[k]);
      char f[32];
      snprintf(f, sizeof f, "links.%s", ab[k]);
      if (!n) return cfg_fail(err, e, f, "missing key (allowed: ROUTER:et-F/P/N)");
      const char *s = scenario_scalar(n, f, err);
      if (!s) return false;
      end[k] = asic_world_port(w, 0, s);
      if (end[k] < 0) return cfg_fail(err, n, f, "no port '%s' (allowed: ROUTER:et-F/P/N of a declared router)", s);
      if (w->ports[end[k]].peer >= 0) return cfg_fail(err, n, f, "port '%s' is already linked", s);
    }
    if (w->ports[end[0]].rate_bps != w->ports[end[1]].rate_bps)
      return cfg_fail(err, e, "links", "ports of different speeds (allowed: same speed at both ends)");
    sim_fs l = 50 * SIM_FS_PER_NS;
    const cfg_node *ln = cfg_get(e, "latency");
    if (ln && !parse_field(&lat, ln, "links.latency", &l, err)) return false;
    for (int k = 0; k < 2; k++) {
      w->ports[end[k]].peer = end[1 - k];
      w->ports[end[k]].link_latency = l;
    }
    const cfg_node *fault = cfg_get(e, "fault");
    if (fault && !scenario_link_fault(fault, w, end, err)) return false;
  }
  return true;
}

static bool phases(const cfg_node *m, scenario *sc, cfg_err *err) {
  static const cfg_param t[] = {
      {"warmup", CFG_T_TIME, "us", "20us", 0, 1e15, NULL, CFG_SRC_ASSUMED, "", "warm-up", offsetof(scenario, warmup), false},
      {"measure", CFG_T_TIME, "us", "200us", 1e6, 1e16, NULL, CFG_SRC_ASSUMED, "", "measurement", offsetof(scenario, measure), false},
  };
  if (!cfg_apply_defaults(t, 2, sc, err)) return false;
  return !m || apply_map(m, "phases", t, 2, sc, err);
}

/* `payload: real | none` (asic_bytes.h); *set = mode + 1. */
static const cfg_param payload_p = {"payload", CFG_T_ENUM, "", "real", 0, 0, "real|none", CFG_SRC_ASSUMED, "",
                                    "real: frames carry bytes through the model; none: descriptors only", 0, false};
static bool payload_mode_text(const char *text, uint32_t *set, char *why, size_t wl) {
  int v = 0;
  if (!cfg_parse_text(&payload_p, text, &v, why, wl)) return false;
  *set = (uint32_t)v + 1;
  return true;
}

/* An unknown --set key: a ROUTER.BLOCK.PARAM naming no router says so; otherwise the
 * closest key of the parameter tables (walked from their cfg_param tables), if any. */
static bool unknown_set_key(const char *key, const asic_router *rt, uint32_t nr, cfg_err *err) {
  static const char *const fixed[] = {"phases.warmup", "phases.measure", "seed", "traffic.frame", "traffic.rate",
                                      "traffic.flows", "payload", "gcm_model"};
  size_t nb, n = 0;
  const asic_param_block *b = asic_param_blocks(&nb);
  const char *first_dot = strchr(key, '.');
  bool names_block = false;
  for (size_t i = 0; i < nb && first_dot; i++)
    names_block |= strlen(b[i].name) == (size_t)(first_dot - key) && !strncmp(b[i].name, key, (size_t)(first_dot - key));
  bool names_router = false;
  for (uint32_t r = 0; r < nr && first_dot; r++)
    names_router |= strlen(rt[r].name) == (size_t)(first_dot - key) && !strncmp(rt[r].name, key, (size_t)(first_dot - key));
  if (first_dot && strchr(first_dot + 1, '.') && !names_block && !names_router && strncmp(key, "phases.", 7) &&
      strncmp(key, "traffic.", 8) && strncmp(key, "ipsec.", 6)) {
    char routers[256] = "";
    for (uint32_t r = 0, len = 0; r < nr && len < sizeof routers - 40; r++)
      len += (uint32_t)snprintf(routers + len, sizeof routers - len, "%s%s", r ? ", " : "", rt[r].name);
    snprintf(err->msg, sizeof err->msg, "--set %s: no router '%.*s' (routers: %s)", key, (int)(first_dot - key), key,
             routers);
    return false;
  }
  size_t cap = sizeof fixed / sizeof fixed[0];
  for (size_t i = 0; i < nb; i++) cap += b[i].n;
  char **names = calloc(cap, sizeof *names);
  for (size_t i = 0; names && i < nb; i++)
    for (size_t k = 0; k < b[i].n; k++) {
      names[n] = malloc(strlen(b[i].name) + strlen(b[i].table[k].name) + 2);
      if (names[n]) sprintf(names[n++], "%s.%s", b[i].name, b[i].table[k].name);
    }
  for (size_t i = 0; names && i < sizeof fixed / sizeof fixed[0]; i++) names[n++] = strdup(fixed[i]);
  const char *bare = names_router ? first_dot + 1 : key; /* ROUTER.BLOCK.PARAM: its BLOCK.PARAM */
  const char *dym = names ? cfg_did_you_mean(bare, (const char *const *)names, n) : NULL;
  if (dym)
    snprintf(err->msg, sizeof err->msg, "--set %s: unknown key (did you mean '%.*s%s'?)", key, (int)(bare - key), key, dym);
  else
    snprintf(err->msg, sizeof err->msg,
             "--set %s: unknown key (allowed: BLOCK.PARAM, ROUTER.BLOCK.PARAM, platform.KEY, phases.warmup, "
             "phases.measure, seed, traffic.frame, traffic.rate, traffic.flows, ipsec.tunnels.NAME.count)", key);
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  return false;
}

/* [ROUTER.]ipsec.tunnels.NAME.count (scenario_ipsec.h): 0 when key is not one. */
static int tunnel_count_set(scenario_count_sets *counts, const asic_router *rt, uint32_t nr, const char *key,
                            const char *val, char *why, size_t wl) {
  int done = scenario_ipsec_count_set(counts, "", key, key, val, why, wl);
  for (uint32_t r = 0; r < nr && !done; r++) {
    size_t l = strlen(rt[r].name);
    if (!strncmp(key, rt[r].name, l) && key[l] == '.')
      done = scenario_ipsec_count_set(counts, rt[r].name, key + l + 1, key, val, why, wl);
  }
  return done;
}

static bool apply_sets(scenario *sc, asic_router *rt, uint32_t nr, char *const *sets, size_t n,
                       scenario_count_sets *counts, cfg_err *err) {
  for (size_t i = 0; i < n; i++) {
    char key[128], why[CFG_ERR_MAX];
    const char *eq = strchr(sets[i], '=');
    if (!eq || (size_t)(eq - sets[i]) >= sizeof key) {
      snprintf(err->msg, sizeof err->msg, "--set %s: expected KEY=VALUE", sets[i]);
      return false;
    }
    memcpy(key, sets[i], (size_t)(eq - sets[i]));
    key[eq - sets[i]] = 0;
    const char *val = eq + 1;
    int done = 0;
    if (!strcmp(key, "payload")) { /* asic_bytes.h */
      done = payload_mode_text(val, &sc->payload_set, why, sizeof why) ? 1 : -1;
    } else if (!strcmp(key, "gcm_model")) {
      done = !strcmp(val, "c") || !strcmp(val, "rtl") ? 1 : -1;
      if (done > 0) sc->gcm_model = !strcmp(val, "rtl") ? ASIC_GCM_RTL : ASIC_GCM_C;
      snprintf(why, sizeof why, "'%.60s' (allowed: c, rtl)", val);
    } else if (!strcmp(key, "seed")) {
      char *end;
      sc->seed = strtoull(val, &end, 0);
      done = *end ? -1 : 1;
      snprintf(why, sizeof why, "not an integer");
    } else if (!strcmp(key, "traffic.frame")) {
      static const cfg_param t = {"frame", CFG_T_SIZE, "B", NULL, 64, 9600, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
      uint64_t v = 0;
      asic_flow probe;
      if (scenario_frame_mix(val, &probe)) {
        snprintf(sc->frame_mix, sizeof sc->frame_mix, "%s", val);
        sc->frame_override = 0;
        done = 1;
      } else {
        done = cfg_parse_text(&t, val, &v, why, sizeof why) ? 1 : -1;
        if (done < 0 && !strstr(why, "out of range")) snprintf(why, sizeof why, "'%.100s' is not a frame size or mix (allowed: 64B..9600B, imix, IMIX_v4_1)", val);
        sc->frame_override = (uint32_t)v;
        sc->frame_mix[0] = 0;
      }
    } else if (!strcmp(key, "traffic.rate")) {
      static const cfg_param t = {"rate", CFG_T_PERCENT, "%", NULL, 1e-9, 1.0, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
      done = cfg_parse_text(&t, val, &sc->rate_override, why, sizeof why) ? 1 : -1;
    } else if (!strcmp(key, "traffic.flows")) { /* the active tunnels of a stream spread over them */
      static const cfg_param t = {"flows", CFG_T_UINT, "", NULL, 1, 65536, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
      uint64_t v = 0;
      done = cfg_parse_text(&t, val, &v, why, sizeof why) ? 1 : -1;
      sc->flows_override = (uint32_t)v;
    } else if (!strncmp(key, "phases.", 7)) {
      static const cfg_param t = {"phases", CFG_T_TIME, "us", NULL, 1, 1e16, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
      sim_fs *dst = !strcmp(key + 7, "warmup") ? &sc->warmup : !strcmp(key + 7, "measure") ? &sc->measure : NULL;
      done = dst ? (cfg_parse_text(&t, val, dst, why, sizeof why) ? 1 : -1) : 0;
    } else if (!(done = tunnel_count_set(counts, rt, nr, key, val, why, sizeof why))) {
      for (uint32_t r = 0; r < nr && done >= 0; r++) {
        size_t l = strlen(rt[r].name);
        int d = !strncmp(key, rt[r].name, l) && key[l] == '.' ? apply_set(&rt[r], key + l + 1, val, why, sizeof why)
                                                               : apply_set(&rt[r], key, val, why, sizeof why);
        if (d) done = d;
      }
    }
    if (done == 0) return unknown_set_key(key, rt, nr, err);
    if (done < 0) {
      snprintf(err->msg, sizeof err->msg, "--set %s: %.300s", key, why);
      return false;
    }
  }
  return true;
}

/* port_mode and lmics describe MX304 LMICs: refused with another preset (scenario or --set). */
static bool platform_keys_apply(const cfg_node *root, const cfg_node *rs, const asic_router *rt, uint32_t nr,
                                char *const *sets, size_t n_sets, cfg_err *err) {
  static const char *const keys[] = {"port_mode", "lmics"};
  for (uint32_t r = 0; r < nr; r++) {
    const cfg_node *pl = cfg_get(rs ? rs->items[r] : root, "platform");
    for (int k = 0; k < 2; k++) {
      const char *fixed = asic_preset_key_not_applicable(&rt[r].plat, keys[k]);
      if (!fixed) continue;
      const cfg_node *n = pl && pl->kind == CFG_MAP ? cfg_get(pl, keys[k]) : NULL;
      char f[64];
      snprintf(f, sizeof f, "%splatform.%s", rs ? "routers[]." : "", keys[k]);
      if (n)
        return cfg_fail(err, n, f, "does not apply to %s (fixed: %s) (allowed: only with preset MX304)",
                        asic_preset_name(rt[r].plat.preset), fixed);
      for (size_t i = 0; i < n_sets; i++) {
        char want[64], want_r[96];
        snprintf(want, sizeof want, "platform.%s=", keys[k]);
        snprintf(want_r, sizeof want_r, "%s.platform.%s=", rt[r].name, keys[k]);
        if (strncmp(sets[i], want, strlen(want)) && strncmp(sets[i], want_r, strlen(want_r))) continue;
        snprintf(err->msg, sizeof err->msg, "--set platform.%s: does not apply to %s (fixed: %s) (allowed: only with preset MX304)",
                 keys[k], asic_preset_name(rt[r].plat.preset), fixed);
        return false;
      }
    }
  }
  return true;
}

static bool load_scenario(const char *path, char *const *sets, size_t n_sets, scenario *sc, cfg_err *err);

bool scenario_load(const char *path, char *const *sets, size_t n_sets, scenario *sc, cfg_err *err) {
  if (load_scenario(path, sets, n_sets, sc, err)) return true;
  /* messages formatted past cfg_fail (expect names, --set, tunnels) obey its rules too */
  size_t pl = strlen(path);
  cfg_err_tidy(err, strncmp(err->msg, path, pl) ? 0 : pl);
  return false;
}

static bool load_scenario(const char *path, char *const *sets, size_t n_sets, scenario *sc, cfg_err *err) {
  memset(sc, 0, sizeof *sc);
  snprintf(sc->path, sizeof sc->path, "%s", path);
  sc->doc = cfg_load_file(path, err);
  /* an empty file (or comments only): name the first field a scenario needs */
  size_t el = strlen(err->msg), sl = strlen(": empty document");
  if (!sc->doc && el > sl && !strcmp(err->msg + el - sl, ": empty document"))
    snprintf(err->msg + el - sl, sizeof err->msg - (el - sl),
             ": version: missing, the file is empty (allowed: a scenario map, version: %d first)", SCENARIO_VERSION);
  if (!sc->doc) return false;
  const cfg_node *root = cfg_root(sc->doc);
  if (!root || root->kind != CFG_MAP) return cfg_fail(err, root, NULL, "a scenario is a map (allowed: version, traffic, ...)");
  if (!scenario_check_keys(root, "", top_keys, err)) return false;
  if (!(root = scenario_junos_root(sc, root, err))) return false;
  const cfg_node *v = cfg_get(root, "version");
  if (!v) return cfg_fail(err, root, "version", "missing (allowed: %d)", SCENARIO_VERSION);
  if (v->kind != CFG_SCALAR || strcmp(v->value, "1"))
    return cfg_fail(err, v, "version", "unsupported version '%s' (allowed: %d)", v->kind == CFG_SCALAR ? v->value : "?", SCENARIO_VERSION);
  sc->seed = 1;
  const cfg_node *sn = cfg_get(root, "seed");
  if (sn) {
    static const cfg_param sp = {"seed", CFG_T_UINT, "", "1", 1, 0, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
    if (!parse_field(&sp, sn, "seed", &sc->seed, err)) return false;
  }
  const cfg_node *gm = cfg_get(root, "gcm_model"); /* GCM core of the engines; --gcm-model overrides */
  uint8_t gcm_model = ASIC_GCM_C;
  if (gm) {
    const char *s = scenario_scalar(gm, "gcm_model", err);
    if (!s) return false;
    if (strcmp(s, "c") && strcmp(s, "rtl")) return cfg_fail(err, gm, "gcm_model", "'%s' (allowed: c, rtl)", s);
    gcm_model = !strcmp(s, "rtl") ? ASIC_GCM_RTL : ASIC_GCM_C;
  }
  sc->gcm_model = gcm_model;
  const cfg_node *rs = cfg_get(root, "routers");
  const cfg_node *params = cfg_get(root, "params");
  uint32_t nr = rs ? (uint32_t)rs->n : 1;
  if (rs && (rs->kind != CFG_SEQ || rs->n == 0))
    return cfg_fail(err, rs, "routers", "expected a non-empty list (allowed: a list of maps with name, platform, ...)");
  if (rs)
    for (const char *const *k = (const char *const[]){"platform", "interfaces", "routes", "ipsec", NULL}; *k; k++)
      if (cfg_get(root, *k))
        return cfg_fail(err, cfg_get(root, *k), *k, "not allowed at the top level with routers: (allowed: inside each router)");
  asic_router *rt = calloc(nr, sizeof *rt);
  if (!rt) return cfg_fail(err, root, NULL, "out of memory");
  for (uint32_t i = 0; i < nr; i++) {
    const cfg_node *m = rs ? rs->items[i] : root;
    if (rs) {
      if (!scenario_check_keys(m, "routers[]", router_keys, err)) return free(rt), false;
      const cfg_node *nm = cfg_get(m, "name");
      if (!nm) return free(rt), cfg_fail(err, m, "routers[].name", "missing");
      const char *s = scenario_scalar(nm, "routers[].name", err);
      if (!s) return free(rt), false;
      if (strlen(s) >= sizeof rt[i].name || strchr(s, '.') || strchr(s, ':') || strchr(s, '/') || !stats_name_ok(s))
        return free(rt), cfg_fail(err, nm, "routers[].name", "bad name '%s' (allowed: up to 31 characters of a-z 0-9 _ -)", s);
      for (uint32_t k = 0; k < i; k++)
        if (!strcmp(rt[k].name, s)) return free(rt), cfg_fail(err, nm, "routers[].name", "duplicate router '%s'", s);
      snprintf(rt[i].name, sizeof rt[i].name, "%s", s);
    } else {
      snprintf(rt[i].name, sizeof rt[i].name, "r0");
    }
    if (!router_body(m, params, &rt[i], !rs, err)) return free(rt), false;
  }
  if (!phases(cfg_get(root, "phases"), sc, err)) return free(rt), false;
  scenario_count_sets counts = {0};
  if (!apply_sets(sc, rt, nr, sets, n_sets, &counts, err)) return free(rt), false;
  if (!platform_keys_apply(root, rs, rt, nr, sets, n_sets, err)) return free(rt), false;
  char why[256];
  if (!asic_world_build(&sc->world, rt, nr, why, sizeof why)) return cfg_fail(err, root, NULL, "%s", why);
  uint32_t pm = 0;
  const cfg_node *pn = cfg_get(root, "payload");
  if (pn) {
    const char *t = scenario_scalar(pn, "payload", err);
    char pw[CFG_ERR_MAX];
    if (!t) return false;
    if (!payload_mode_text(t, &pm, pw, sizeof pw)) return cfg_fail(err, pn, "payload", "%s", pw);
  }
  if (sc->payload_set) pm = sc->payload_set;
  sc->world.payload_mode = pm ? (asic_payload_mode)(pm - 1) : ASIC_PAYLOAD_REAL;
  sc->world.gcm_model = sc->gcm_model;
  for (uint32_t i = 0; i < nr; i++) {
    route_init(&sc->world.routers[i].routes);
    const cfg_node *m = rs ? rs->items[i] : root;
    if (!scenario_ipsec_router(cfg_get(m, "ipsec"), &sc->world, i, rs ? "routers[]." : "", sc->seed, path, &counts, err))
      return false;
  }
  if (!scenario_ipsec_count_sets_used(&counts, &sc->world, err)) return false;
  if (!scenario_ipsec_finish(&sc->world, rs ? "routers[]." : "", err)) return false;
  if (!scenario_events(cfg_get(root, "events"), &sc->world, sc->seed, sc->warmup + sc->measure, err)) return false;
  for (uint32_t i = 0; i < nr; i++) {
    if (!router_routes(rs ? rs->items[i] : root, &sc->world, i, rs ? "routers[]." : "", err)) return false;
  }
  const cfg_node *ln = cfg_get(root, "links");
  if (ln && !links(ln, &sc->world, err)) return false;
  const cfg_node *cap = cfg_get(root, "capture");
  if (cap && !scenario_captures(cap, &sc->world, err)) return false;
  const cfg_node *tr = cfg_get(root, "traffic");
  if (!tr) return cfg_fail(err, root, "traffic", "missing (allowed: a list of traffic streams)");
  if (!scenario_traffic(tr, &sc->world, err)) return false;
  for (uint32_t i = 0; sc->frame_override && i < sc->world.n_flows; i++) {
    asic_flow *f = &sc->world.flows[i];
    f->fkind = FRAME_FIXED;
    f->n_sizes = 1;
    f->sizes[0] = (uint16_t)sc->frame_override;
    snprintf(f->frame_text, sizeof f->frame_text, "%uB", sc->frame_override);
  }
  for (uint32_t i = 0; sc->frame_mix[0] && i < sc->world.n_flows; i++) scenario_frame_mix(sc->frame_mix, &sc->world.flows[i]);
  for (uint32_t i = 0; sc->flows_override && i < sc->world.n_flows; i++)
    if (sc->world.flows[i].n_addr > 1) sc->world.flows[i].n_addr = sc->flows_override;
  for (uint32_t i = 0; sc->rate_override > 0 && i < sc->world.n_flows; i++)
    sc->world.flows[i].rate_bps = sc->rate_override * (double)sc->world.ports[sc->world.flows[i].port].rate_bps;
  const cfg_node *ex = cfg_get(root, "expect");
  if (ex && !scenario_expects(ex, sc, err)) return false;
  if (!asic_world_start(&sc->world, sc->warmup, sc->measure, sc->seed, why, sizeof why))
    return cfg_fail(err, root, NULL, "%s", why);
  if (!asic_expect_check_names(sc, err)) return false;
  /* glibc keeps the small chunks the load freed in its fast bins and merges them all at the
   * next large request, which was the run's first growth of a queue: the run paid a cost
   * growing with the scenario (2000 tunnels: 7.5 M instructions and 125 k cache misses, 3 %
   * of a 2 ms run). Merged here, at the end of the load; nothing simulated changes. */
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
  return true;
}

void scenario_free(scenario *sc) {
  if (sc->world.routers) asic_world_free(&sc->world);
  free(sc->expects);
  scenario_junos_free(sc);
  if (sc->doc) cfg_free(sc->doc);
  memset(sc, 0, sizeof *sc);
}
