/* `events:` of a scenario (asic_events.h): parsed, checked (one-line errors naming file, line,
 * field), expanded to the named tunnels and their peers, then run in time order through each
 * tunnel's state (installed or not) into SA generations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic_events.h"
#include "scenario.h"
#include "scenario_ipsec.h"

enum { EV_INSTALL, EV_DELETE, EV_REKEY };
static const char *const action_names[] = {"install", "delete", "rekey"};

/* One event applied to one tunnel (the named one or its peer). */
typedef struct ev_op {
  sim_fs at, grace;
  int action;
  uint32_t tunnel, order;
  uint64_t spi_out, spi_in; /* 0: auto */
  const cfg_node *node;
} ev_op;

typedef struct ev_build {
  asic_world *w;
  uint64_t seed;
  ev_op *ops;
  uint32_t n_ops, cap_ops;
  asic_sa_gen *gens; /* per tunnel lists, built then grouped */
  uint32_t n_gens, cap_gens;
} ev_build;

static bool time_field(const cfg_node *e, const char *key, const char *field, sim_fs *v, cfg_err *err) {
  const cfg_param p = {key, CFG_T_TIME, "us", NULL, 0, 1e18, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
  const cfg_node *n = cfg_get(e, key);
  const char *s = scenario_scalar(n, field, err);
  if (!s) return false;
  char why[CFG_ERR_MAX];
  uint64_t x = 0;
  if (!cfg_parse_text(&p, s, &x, why, sizeof why)) return cfg_fail(err, n, field, "%s", why);
  *v = x;
  return true;
}

static bool spi_field(const cfg_node *e, const char *key, uint64_t *v, cfg_err *err) {
  char f[64];
  snprintf(f, sizeof f, "events[].%s", key);
  const cfg_node *n = cfg_get(e, key);
  *v = 0;
  if (!n) return true;
  const cfg_param p = {key, CFG_T_UINT, "", NULL, 256, 4294967295.0, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
  const char *s = scenario_scalar(n, f, err);
  char why[CFG_ERR_MAX];
  if (!s) return false;
  if (!cfg_parse_text(&p, s, v, why, sizeof why)) return cfg_fail(err, n, f, "%s (SPIs 0..255 are reserved, RFC 4303 s2.1)", why);
  return true;
}

static bool add_op(ev_build *b, const ev_op *op) {
  for (uint32_t i = 0; i < b->n_ops; i++) /* the same tunnel reached twice (both ends named) */
    if (b->ops[i].order == op->order && b->ops[i].tunnel == op->tunnel) return true;
  if (b->n_ops == b->cap_ops) {
    uint32_t nc = b->cap_ops ? 2 * b->cap_ops : 16;
    ev_op *n = realloc(b->ops, nc * sizeof *n);
    if (!n) return false;
    b->ops = n, b->cap_ops = nc;
  }
  b->ops[b->n_ops++] = *op;
  return true;
}

/* One `events:` entry into ops on its tunnels and their peers. */
static bool parse_event(ev_build *b, const cfg_node *e, uint32_t order, sim_fs run_end, asic_event_src *src, cfg_err *err) {
  static const char *const keys[] = {"at", "action", "tunnel", "router", "grace", "spi_out", "spi_in", NULL};
  asic_world *w = b->w;
  if (!scenario_check_keys(e, "events[]", keys, err)) return false;
  static const char *const req[] = {"at", "action", "tunnel"};
  for (int i = 0; i < 3; i++)
    if (!cfg_get(e, req[i])) return cfg_fail(err, e, req[i] == req[0] ? "events[].at" : i == 1 ? "events[].action" : "events[].tunnel",
                                             "missing required key");
  ev_op op = {.order = order, .node = e};
  if (!time_field(e, "at", "events[].at", &op.at, err)) return false;
  if (op.at >= run_end)
    return cfg_fail(err, cfg_get(e, "at"), "events[].at", "%.3f us is outside the run (allowed: 0 up to before warmup + "
                    "measure = %.3f us)", (double)op.at / SIM_FS_PER_US, (double)run_end / SIM_FS_PER_US);
  const char *a = scenario_scalar(cfg_get(e, "action"), "events[].action", err);
  if (!a) return false;
  op.action = -1;
  for (int i = 0; i < 3; i++)
    if (!strcmp(a, action_names[i])) op.action = i;
  if (op.action < 0) return cfg_fail(err, cfg_get(e, "action"), "events[].action", "unknown action '%s' (allowed: install, delete, rekey)", a);
  if (op.action == EV_REKEY) {
    if (!cfg_get(e, "grace")) return cfg_fail(err, e, "events[].grace", "missing: a rekey keeps the old inbound SA for a grace time (allowed: a time, e.g. 10us)");
    if (!time_field(e, "grace", "events[].grace", &op.grace, err)) return false;
  } else if (cfg_get(e, "grace")) {
    return cfg_fail(err, cfg_get(e, "grace"), "events[].grace", "only a rekey has a grace time (allowed: with action: rekey)");
  }
  if (op.action == EV_DELETE && (cfg_get(e, "spi_out") || cfg_get(e, "spi_in")))
    return cfg_fail(err, cfg_get(e, cfg_get(e, "spi_out") ? "spi_out" : "spi_in"), cfg_get(e, "spi_out") ? "events[].spi_out" : "events[].spi_in",
                    "a delete installs no SA (allowed: with action: install or rekey)");
  if (!spi_field(e, "spi_out", &op.spi_out, err) || !spi_field(e, "spi_in", &op.spi_in, err)) return false;
  const char *name = scenario_scalar(cfg_get(e, "tunnel"), "events[].tunnel", err);
  if (!name) return false;
  uint32_t r0 = 0, r1 = w->n_routers;
  if (cfg_get(e, "router")) {
    const char *rn = scenario_scalar(cfg_get(e, "router"), "events[].router", err);
    if (!rn) return false;
    int32_t r = asic_world_router(w, rn);
    if (r < 0) return cfg_fail(err, cfg_get(e, "router"), "events[].router", "unknown router '%s' (allowed: a routers[].name)", rn);
    r0 = (uint32_t)r, r1 = r0 + 1;
  }
  *src = (asic_event_src){.at = op.at, .grace = op.grace, .action = op.action, .spi_out = op.spi_out, .spi_in = op.spi_in};
  snprintf(src->tunnel, sizeof src->tunnel, "%s", name);
  if (r1 == r0 + 1) snprintf(src->router, sizeof src->router, "%s", w->routers[r0].name);
  uint32_t named = 0;
  for (uint32_t r = r0; r < r1; r++) {
    uint32_t t = asic_ipsec_find_name(w, r, name);
    if (t == ASIC_NONE) continue;
    if (named++ && (op.spi_out || op.spi_in))
      return cfg_fail(err, cfg_get(e, op.spi_out ? "spi_out" : "spi_in"), op.spi_out ? "events[].spi_out" : "events[].spi_in",
                      "tunnel '%s' exists on more than one router: whose SPI is it (allowed: router: NAME with spi_out/spi_in)", name);
    ev_op o = op;
    o.tunnel = t;
    if (!add_op(b, &o)) return cfg_fail(err, e, "events[]", "out of memory");
    uint32_t p = w->tunnels[t].peer;
    if (p != ASIC_NONE) { /* the other end: the same change, its SPIs the other way round */
      o.tunnel = p, o.spi_out = op.spi_in, o.spi_in = op.spi_out;
      if (!add_op(b, &o)) return cfg_fail(err, e, "events[]", "out of memory");
    }
  }
  if (!named)
    return cfg_fail(err, cfg_get(e, "tunnel"), "events[].tunnel", "unknown tunnel '%s'%s%s (allowed: the name: of an ipsec: tunnels: "
                    "entry)", name, cfg_get(e, "router") ? " on router " : "", cfg_get(e, "router") ? w->routers[r0].name : "");
  return true;
}

static int op_cmp(const void *pa, const void *pb) {
  const ev_op *a = pa, *b = pb;
  if (a->at != b->at) return a->at < b->at ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

static asic_sa_gen *new_gen(ev_build *b) {
  if (b->n_gens == b->cap_gens) {
    uint32_t nc = b->cap_gens ? 2 * b->cap_gens : 64;
    asic_sa_gen *n = realloc(b->gens, nc * sizeof *n);
    if (!n) return NULL;
    b->gens = n, b->cap_gens = nc;
  }
  asic_sa_gen *g = &b->gens[b->n_gens++];
  memset(g, 0, sizeof *g);
  return g;
}

/* Generation `gen` of tunnel t from time at: SPIs given or derived, keys new when auto. */
static bool make_gen(ev_build *b, uint32_t t, uint32_t gen, const ev_op *op, cfg_err *err) {
  const asic_tunnel *tu = &b->w->tunnels[t];
  asic_sa_gen *g = new_gen(b);
  if (!g) return cfg_fail(err, op->node, "events[]", "out of memory");
  g->tunnel = t, g->gen = gen;
  g->out = tu->out, g->in = tu->in;
  g->out_from = g->in_from = op->at;
  g->out_until = g->in_until = SIM_FS_NEVER;
  const sa_addr *lo = &tu->out.local, *re = &tu->out.remote;
  g->out.spi = op->spi_out ? (uint32_t)op->spi_out : scenario_ipsec_auto_spi_gen(b->seed, lo, re, gen);
  g->in.spi = op->spi_in ? (uint32_t)op->spi_in : scenario_ipsec_auto_spi_gen(b->seed, re, lo, gen);
  if (tu->key_source == ASIC_KEY_AUTO) {
    sa_config *c[2] = {&g->out, &g->in};
    for (int d = 0; d < 2; d++) {
      uint8_t km[36];
      const size_t n = sa_keymat_len(c[d]->alg);
      scenario_ipsec_auto_keymat_gen(b->seed, d ? re : lo, d ? lo : re, gen, km, n);
      memcpy(c[d]->key, km, c[d]->key_len);
      memcpy(c[d]->salt, km + c[d]->key_len, SA_SALT_LEN);
      memset(km, 0, sizeof km);
    }
  }
  return true;
}

static bool fail_state(const ev_build *b, const ev_op *op, cfg_err *err, const char *what, const char *allowed) {
  const asic_tunnel *tu = &b->w->tunnels[op->tunnel];
  return cfg_fail(err, cfg_get(op->node, "action"), "events[].action", "%s of tunnel %s on router %s at %.3f us: %s (allowed: %s)",
                  action_names[op->action], tu->name, b->w->routers[tu->router].name, (double)op->at / SIM_FS_PER_US, what, allowed);
}

/* Tunnel t's events in time order into its generations (appended to b->gens). */
static bool run_tunnel(ev_build *b, uint32_t t, cfg_err *err) {
  const uint32_t first = b->n_gens;
  ev_op zero = {.at = 0};
  if (!make_gen(b, t, 0, &zero, err)) return false;
  asic_sa_gen *g0 = &b->gens[first];
  g0->out.spi = b->w->tunnels[t].out.spi, g0->in.spi = b->w->tunnels[t].in.spi; /* as declared */
  g0->out = b->w->tunnels[t].out, g0->in = b->w->tunnels[t].in;
  bool installed = !b->w->tunnels[t].installed_later, pending0 = !installed;
  if (pending0) g0->out_from = g0->in_from = g0->out_until = g0->in_until = SIM_FS_NEVER;
  uint32_t gen = 0;
  for (uint32_t i = 0; i < b->n_ops; i++) {
    const ev_op *op = &b->ops[i];
    if (op->tunnel != t) continue;
    if (op->action == EV_INSTALL) {
      if (installed) return fail_state(b, op, err, "it is installed", "install a tunnel declared installed: false, or after its delete");
      if (pending0) {
        g0 = &b->gens[first];
        g0->out_from = g0->in_from = op->at;
        g0->out_until = g0->in_until = SIM_FS_NEVER;
        if (op->spi_out) g0->out.spi = (uint32_t)op->spi_out;
        if (op->spi_in) g0->in.spi = (uint32_t)op->spi_in;
        pending0 = false;
      } else if (!make_gen(b, t, ++gen, op, err)) {
        return false;
      }
      installed = true;
      continue;
    }
    if (!installed)
      return fail_state(b, op, err, "it is not installed then", op->action == EV_DELETE ? "delete an installed tunnel" : "rekey an installed tunnel");
    for (uint32_t k = first; k < b->n_gens; k++) {
      asic_sa_gen *g = &b->gens[k];
      if (op->action == EV_DELETE) {
        if (g->out_until > op->at) g->out_until = op->at;
        if (g->in_until > op->at) g->in_until = op->at;
      } else if (k + 1 == b->n_gens) { /* rekey: the current generation */
        g->out_until = op->at;
        sim_fs end = op->grace > SIM_FS_NEVER - op->at ? SIM_FS_NEVER : op->at + op->grace;
        if (g->in_until > end) g->in_until = end;
      }
    }
    if (op->action == EV_DELETE) installed = false;
    else if (!make_gen(b, t, ++gen, op, err)) return false;
  }
  return true;
}

bool scenario_events(const cfg_node *events, asic_world *w, uint64_t seed, sim_fs run_end, cfg_err *err) {
  bool later = false;
  for (uint32_t t = 0; t < w->n_tunnels; t++) later |= w->tunnels[t].installed_later;
  if (!events && !later) return true;
  if (events && events->kind != CFG_SEQ) return cfg_fail(err, events, "events", "expected a list (allowed: a list of {at, action, tunnel, ...})");
  if (events && !w->n_tunnels) return cfg_fail(err, events, "events", "no tunnel to act on (allowed: with ipsec: tunnels:)");
  ev_build b = {.w = w, .seed = seed};
  const size_t n_src = events ? events->n : 0;
  asic_event_src *src = calloc(n_src ? n_src : 1, sizeof *src);
  bool ok = src != NULL;
  if (!ok) return cfg_fail(err, events, "events", "out of memory");
  for (size_t i = 0; ok && i < n_src; i++) ok = parse_event(&b, events->items[i], (uint32_t)i, run_end, &src[i], err);
  if (ok) qsort(b.ops, b.n_ops, sizeof *b.ops, op_cmp);
  asic_events *ev = ok ? calloc(1, sizeof *ev) : NULL;
  if (ok && (!ev || !(ev->first = malloc((w->n_tunnels + 1) * sizeof *ev->first)))) ok = cfg_fail(err, events, "events", "out of memory");
  for (uint32_t t = 0; ok && t < w->n_tunnels; t++) {
    ev->first[t] = b.n_gens;
    ok = run_tunnel(&b, t, err);
  }
  free(b.ops);
  if (!ok) {
    if (ev) free(ev->first);
    free(ev);
    free(b.gens);
    free(src);
    return false;
  }
  ev->src = src;
  ev->first[w->n_tunnels] = b.n_gens;
  ev->gens = b.gens;
  ev->n_gens = b.n_gens;
  ev->n_events = events ? (uint32_t)events->n : 0;
  w->sa_events = ev;
  return true;
}

const asic_sa_gen *asic_events_peer_gen(const asic_world *w, uint32_t t, sim_fs t0) {
  const asic_events *ev = w->sa_events;
  const asic_sa_gen *best = &ev->gens[ev->first[t]];
  for (uint32_t k = ev->first[t]; k < ev->first[t + 1]; k++)
    if (ev->gens[k].in_from <= t0 && ev->gens[k].in_from != SIM_FS_NEVER) best = &ev->gens[k];
  return best;
}

void asic_events_free(asic_world *w) {
  if (!w->sa_events) return;
  for (uint32_t k = 0; k < w->sa_events->n_gens; k++) { /* keys are secret: not left in freed memory */
    memset(w->sa_events->gens[k].out.key, 0, sizeof w->sa_events->gens[k].out.key);
    memset(w->sa_events->gens[k].in.key, 0, sizeof w->sa_events->gens[k].in.key);
  }
  free(w->sa_events->gens);
  free(w->sa_events->first);
  free(w->sa_events->src);
  free(w->sa_events);
  w->sa_events = NULL;
}

void asic_events_yaml(const asic_world *w, void *fpv) {
  FILE *fp = fpv;
  if (!w->sa_events || !w->sa_events->n_events) return;
  fprintf(fp, "events:\n");
  for (uint32_t i = 0; i < w->sa_events->n_events; i++) {
    const asic_event_src *e = &w->sa_events->src[i];
    fprintf(fp, "  - {at: %llufs, action: %s, tunnel: %s", (unsigned long long)e->at, action_names[e->action], e->tunnel);
    if (e->router[0]) fprintf(fp, ", router: %s", e->router);
    if (e->action == EV_REKEY) fprintf(fp, ", grace: %llufs", (unsigned long long)e->grace);
    if (e->spi_out) fprintf(fp, ", spi_out: 0x%08llx", (unsigned long long)e->spi_out);
    if (e->spi_in) fprintf(fp, ", spi_in: 0x%08llx", (unsigned long long)e->spi_in);
    fputs("}\n", fp);
  }
}
