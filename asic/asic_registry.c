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
  w->res[w->n_res++] = *r;
  return true;
}

static uint32_t local_asic(const asic_world *w, const asic_slice *s) {
  return s->asic - w->slices[w->routers[s->router].first_asic_slice].asic;
}

static bool add_bw(asic_world *w, const char *name, bw_server *bw, ingress_arb *arb, asic_drop why) {
  asic_res r = {.kind = RES_BW, .bw = bw, .arb = arb, .reason = why};
  snprintf(r.name, sizeof r.name, "%s", name);
  return asic_registry_add(w, &r);
}

bool asic_registry_build(asic_world *w) {
  bool ok = true;
  char n[96];
  for (uint32_t i = 0; i < w->n_slices && ok; i++) {
    asic_slice *s = &w->slices[i];
    char base[64];
    snprintf(base, sizeof base, "%s.asic%u.slice%u", w->routers[s->router].name, local_asic(w, s), s->index);
    for (uint32_t g = 0; g < 2 && ok; g++) {
      asic_pg *pg = &w->pgs[s->first_pg + g];
      snprintf(n, sizeof n, "%s.pg%u.in", base, g);
      ok = add_bw(w, n, &pg->in, &pg->arb, DROP_PG_IN);
      snprintf(n, sizeof n, "%s.pg%u.out", base, g);
      ok = ok && add_bw(w, n, &pg->out, NULL, DROP_PG_OUT);
    }
    snprintf(n, sizeof n, "%s.in", base);
    ok = ok && add_bw(w, n, &s->in, &s->arb, DROP_SLICE_IN);
    asic_res lk = {.kind = RES_LOOKUP, .lk = &s->lk, .reason = DROP_LOOKUP, .no_route = true,
                   .tot_extra_drops = &s->tot_noroute_drops};
    snprintf(lk.name, sizeof lk.name, "%s.lookup", base);
    ok = ok && asic_registry_add(w, &lk);
    snprintf(n, sizeof n, "%s.out", base);
    ok = ok && add_bw(w, n, &s->out, NULL, DROP_SLICE_OUT);
    snprintf(n, sizeof n, "%s.fabric", base);
    ok = ok && add_bw(w, n, &s->fab, NULL, DROP_FABRIC);
  }
  for (uint32_t i = 0; i < w->n_ports && ok; i++) {
    asic_port *pt = &w->ports[i];
    snprintf(n, sizeof n, "%s.port.%s.tx", w->routers[pt->router].name, pt->name);
    ok = add_bw(w, n, &pt->tx, NULL, DROP_PORT_TX);
  }
  return ok;
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
  }
}

void asic_registry_free(asic_world *w) {
  for (size_t i = 0; i < w->n_res; i++) {
    asic_res *r = &w->res[i];
    if (r->bw) bw_server_free(r->bw);
    if (r->arb) ingress_arb_free(r->arb);
    if (r->lk) lookup_free(r->lk);
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
