/* The resource registry: the one list of the world's resources; see asic_analytic.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic_analytic.h"

bool asic_registry_add(asic_world *w, const asic_res *r) {
  if (w->n_res == w->cap_res) {
    size_t nc = w->cap_res ? 2 * w->cap_res : 64;
    asic_res *n = realloc(w->res, nc * sizeof *n);
    if (!n) return false;
    w->res = n;
    w->cap_res = nc;
  }
  asic_res c = *r;
  if (r->arb) { /* the registry's own copy of the input names (in0, in1, ... when none given) */
    char (*in)[ASIC_INPUT_LABEL] = calloc(r->arb->n_in ? r->arb->n_in : 1, sizeof *in);
    if (!in) return false;
    for (uint32_t k = 0; k < r->arb->n_in; k++) {
      if (r->inputs) snprintf(in[k], sizeof in[k], "%s", r->inputs[k]);
      else snprintf(in[k], sizeof in[k], "in%u", k);
    }
    c.inputs = (const char (*)[ASIC_INPUT_LABEL])in;
  } else {
    c.inputs = NULL;
  }
  w->res[w->n_res++] = c;
  return true;
}

static uint32_t local_asic(const asic_world *w, const asic_slice *s) {
  return s->asic - w->slices[w->routers[s->router].first_asic_slice].asic;
}

static bool add_bw(asic_world *w, const char *name, bw_server *bw, ingress_arb *arb, asic_drop why,
                   const char (*inputs)[ASIC_INPUT_LABEL]) {
  asic_res r = {.kind = RES_BW, .bw = bw, .arb = arb, .reason = why, .inputs = inputs};
  snprintf(r.name, sizeof r.name, "%s", name);
  return asic_registry_add(w, &r);
}

/* Input names of PG pgi's arbiter: its ports by pg_input, then "engine" (PG0's block input,
 * portgroup/pg_attach.h). */
static bool add_port_group_ingress(asic_world *w, const char *name, uint32_t pgi) {
  asic_pg *pg = &w->pgs[pgi];
  char (*in)[ASIC_INPUT_LABEL] = calloc(pg->arb.n_in ? pg->arb.n_in : 1, sizeof *in);
  if (!in) return false;
  for (uint32_t k = 0; k < pg->arb.n_in; k++) snprintf(in[k], sizeof in[k], "engine");
  for (uint32_t p = 0; p < w->n_ports; p++)
    if (w->ports[p].pg == pgi && w->ports[p].pg_input < pg->arb.n_in)
      snprintf(in[w->ports[p].pg_input], sizeof in[0], "%s", w->ports[p].name);
  bool ok = add_bw(w, name, &pg->in, &pg->arb, DROP_PG_IN, (const char (*)[ASIC_INPUT_LABEL])in);
  free(in);
  return ok;
}

/* A port's receive side (its MAC has no queue there): what came in on the wire in the window. */
static void publish_port_receive(const asic_world *w, void *ctx, uint32_t i, stats_registry *r) {
  (void)ctx;
  const asic_port *p = &w->ports[i];
  char n[128];
  snprintf(n, sizeof n, "%s.port.%s.rx_l1_gbps", w->routers[p->router].name, p->name);
  double *g = stats_gauge_add(r, n, "Gbps", "received on the wire, L1");
  if (g) *g = (p->rx_bytes + 20.0 * p->rx_pkts) * 8 / sim_fs_to_s(w->w1 - w->w0) / 1e9;
}

/* ---- packet holders that are no resource ---- */

static void heap_census(const asic_world *w, void *ctx, uint32_t i, sim_fs t, uint64_t *held, uint64_t *drops) {
  (void)ctx, (void)t, (void)drops;
  *held += sim_heap_size(&w->slices[i].heap); /* every event carries a packet */
}

/* PG0's attachment point: its queue toward the block, the block's own buffers, its refusals. */
static void attach_census(const asic_world *w, void *ctx, uint32_t i, sim_fs t, uint64_t *held, uint64_t *drops) {
  (void)ctx, (void)t;
  const pg_attach *a = &w->attach[i];
  if (!a->on) return;
  *drops += a->to_block.tot_drops + a->tot_refused + (a->ops.lost ? a->ops.lost(a->ops.ctx, i) : 0);
  *held += a->to_block.waiting + (a->ops.held ? a->ops.held(a->ops.ctx, i) : 0);
}

static uint64_t attach_made(const asic_world *w, void *ctx, uint32_t i) {
  (void)ctx;
  const pg_attach *a = &w->attach[i];
  return a->on && a->ops.made ? a->ops.made(a->ops.ctx, i) : 0;
}

/* The lookup's IPsec outcomes decided without a queue: unknown SPI, the exception path. */
static void lookup_local_census(const asic_world *w, void *ctx, uint32_t i, sim_fs t, uint64_t *held, uint64_t *drops) {
  (void)ctx, (void)t, (void)held;
  *drops += w->slices[i].tot_unknown_spi + w->slices[i].tot_host + w->slices[i].tot_no_sa +
            w->slices[i].tot_sa_deleted + w->slices[i].tot_host_policer;
}

/* Hop-limit drops are decided at a port group's input without a queue: the flows count them. */
static void hop_limit_census(const asic_world *w, void *ctx, uint32_t i, sim_fs t, uint64_t *held, uint64_t *drops) {
  (void)ctx, (void)i, (void)t, (void)held;
  for (uint32_t fi = 0; fi < w->n_flows; fi++) *drops += w->flows[fi].tot_drops[DROP_HOP_LIMIT];
}

static bool add_holder(asic_world *w, const char *name,
                       void (*census)(const asic_world *, void *, uint32_t, sim_fs, uint64_t *, uint64_t *), uint32_t index) {
  asic_res r = {.kind = RES_HOLDER, .census = census, .index = index};
  snprintf(r.name, sizeof r.name, "%s", name);
  return asic_registry_add(w, &r);
}

bool asic_registry_build(asic_world *w) {
  static const char slice_inputs[SLICE_IN_N][ASIC_INPUT_LABEL] = {"pg0", "pg1", "fabric"};
  bool ok = true;
  char n[96];
  for (uint32_t i = 0; i < w->n_slices && ok; i++) {
    asic_slice *s = &w->slices[i];
    char base[64];
    snprintf(base, sizeof base, "%s.asic%u.slice%u", w->routers[s->router].name, local_asic(w, s), s->index);
    for (uint32_t g = 0; g < 2 && ok; g++) {
      asic_pg *pg = &w->pgs[s->first_pg + g];
      snprintf(n, sizeof n, "%s.pg%u.in", base, g);
      ok = add_port_group_ingress(w, n, s->first_pg + g);
      snprintf(n, sizeof n, "%s.pg%u.out", base, g);
      ok = ok && add_bw(w, n, &pg->out, NULL, DROP_PG_OUT, NULL);
    }
    /* slice.in owns the drops at its port groups' queues while it held them back */
    asic_res in = {.kind = RES_BW, .bw = &s->in, .arb = &s->arb, .reason = DROP_SLICE_IN, .inputs = slice_inputs,
                   .extra_drops = &s->backpressure_drops, .extra_reason = DROP_SLICE_BACKPRESSURE,
                   .extra_desc = "drops at this slice's port-group input queues caused by its backpressure",
                   .extra_note = " (at its port groups)"};
    snprintf(in.name, sizeof in.name, "%s.in", base);
    ok = ok && asic_registry_add(w, &in);
    asic_res lk = {.kind = RES_LOOKUP, .lk = &s->lk, .reason = DROP_LOOKUP, .no_route = true,
                   .tot_extra_drops = &s->tot_noroute_drops, .extra_drops = &s->noroute_drops,
                   .extra_reason = DROP_NO_ROUTE, .extra_desc = "no route in the window"};
    snprintf(lk.name, sizeof lk.name, "%s.lookup", base);
    ok = ok && asic_registry_add(w, &lk);
    snprintf(n, sizeof n, "%s.out", base);
    ok = ok && add_bw(w, n, &s->out, NULL, DROP_SLICE_OUT, NULL);
    snprintf(n, sizeof n, "%s.fabric", base);
    ok = ok && add_bw(w, n, &s->fab, NULL, DROP_FABRIC, NULL);
  }
  for (uint32_t i = 0; i < w->n_ports && ok; i++) {
    asic_port *pt = &w->ports[i];
    asic_res tx = {.kind = RES_BW, .bw = &pt->tx, .reason = DROP_PORT_TX, .publish_figures = publish_port_receive, .index = i};
    snprintf(tx.name, sizeof tx.name, "%s.port.%s.tx", w->routers[pt->router].name, pt->name);
    ok = asic_registry_add(w, &tx);
  }
  /* what holds packets or owns drops without being a resource */
  for (uint32_t i = 0; i < w->n_slices && ok; i++) {
    const asic_slice *s = &w->slices[i];
    char base[64];
    snprintf(base, sizeof base, "%s.asic%u.slice%u", w->routers[s->router].name, local_asic(w, s), s->index);
    snprintf(n, sizeof n, "%s.heap", base);
    ok = add_holder(w, n, heap_census, i);
    snprintf(n, sizeof n, "%s.pg0.block", base);
    asic_res blk = {.kind = RES_HOLDER, .census = attach_census, .made = attach_made, .index = i};
    snprintf(blk.name, sizeof blk.name, "%s", n);
    ok = ok && asic_registry_add(w, &blk);
    snprintf(n, sizeof n, "%s.lookup.local", base);
    ok = ok && add_holder(w, n, lookup_local_census, i);
  }
  return ok && add_holder(w, "world.hop_limit", hop_limit_census, 0);
}

void asic_registry_window(asic_world *w) {
  for (size_t i = 0; i < w->n_res; i++) {
    asic_res *r = &w->res[i];
    if (r->bw) bw_server_window(r->bw, w->w0, w->w1);
    if (r->arb) ingress_arb_window(r->arb, w->w0, w->w1);
    if (r->lk) lookup_window(r->lk, w->w0, w->w1);
  }
}

sim_fs asic_registry_final_time(const asic_world *w, sim_fs t) {
  for (size_t i = 0; i < w->n_res; i++) {
    const asic_res *r = &w->res[i];
    if (r->bw) t = sim_max(t, r->bw->free_at);
    for (uint32_t k = 0; r->lk && k < r->lk->threads; k++) t = sim_max(t, r->lk->free_at[k]);
  }
  return t;
}

void asic_registry_advance(asic_world *w, sim_fs t) {
  for (size_t i = 0; i < w->n_res; i++)
    if (w->res[i].bw) bw_server_advance(w->res[i].bw, t);
}

void asic_registry_census(asic_world *w, sim_fs t, uint64_t *held, uint64_t *drops) {
  for (size_t i = 0; i < w->n_res; i++) {
    asic_res *r = &w->res[i];
    if (r->bw) *held += bw_server_census(r->bw, t), *drops += r->bw->tot_drops;
    if (r->arb) *held += r->arb->waiting, *drops += r->arb->tot_drops;
    if (r->lk) *held += lookup_census(r->lk, t), *drops += r->lk->tot_drops;
    if (r->tot_extra_drops) *drops += *r->tot_extra_drops;
    if (r->census) r->census(w, r->ctx, r->index, t, held, drops);
  }
}

uint64_t asic_registry_made(const asic_world *w) {
  uint64_t made = 0;
  for (size_t i = 0; i < w->n_res; i++)
    if (w->res[i].made) made += w->res[i].made(w, w->res[i].ctx, w->res[i].index);
  return made;
}

void asic_registry_free(asic_world *w) {
  for (size_t i = 0; i < w->n_res; i++) {
    asic_res *r = &w->res[i];
    if (r->bw) bw_server_free(r->bw);
    if (r->arb) ingress_arb_free(r->arb);
    if (r->lk) lookup_free(r->lk);
    free((void *)r->inputs);
  }
  free(w->res);
  w->res = NULL;
  w->n_res = w->cap_res = 0;
}

asic_res *asic_res_list(asic_world *w, size_t *n) {
  asic_res *r = malloc((w->n_res ? w->n_res : 1) * sizeof *r);
  if (!r) return NULL;
  memcpy(r, w->res, w->n_res * sizeof *r);
  *n = w->n_res;
  return r;
}
