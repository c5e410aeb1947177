/* Closed-form ceilings and zero-load latencies; see asic_analytic.h. */
#include "asic_analytic.h"

#include <stdlib.h>
#include <string.h>

double asic_flow_mean_frame(const asic_flow *f) {
  if (f->fkind == FRAME_UNIFORM) return (f->lo + f->hi) / 2.0;
  double s = 0;
  uint32_t n = f->fkind == FRAME_FIXED ? 1 : f->n_sizes;
  for (uint32_t i = 0; i < n; i++) s += f->sizes[i];
  return s / n;
}

double asic_flow_offered_pps(const asic_flow *f) {
  return f->rate_bps / (8.0 * (asic_flow_mean_frame(f) + SIM_ETH_L1_OVERHEAD));
}

double asic_res_mean_frame(const asic_res *r) { return r->off_pps > 0 ? r->off_bytes / r->off_pps : 64.0; }

double asic_res_ceiling_pps(const asic_res *r, double frame) {
  if (r->kind == RES_LOOKUP) {
    double cycles = r->off_pps > 0 ? r->off_cycles / r->off_pps : 0;
    return cycles > 0 ? r->lk->threads / (cycles * (double)r->lk->period * 1e-15) : 0;
  }
  return (double)r->bw->rate_bps / (8.0 * (frame + r->bw->overhead));
}

static asic_res *find_bw(asic_res *res, size_t n, const void *obj) {
  for (size_t i = 0; i < n; i++)
    if ((const void *)res[i].bw == obj || (const void *)res[i].lk == obj) return &res[i];
  return NULL;
}

/* Walks the path of (flow, first address); calls visit() per resource with the latency
 * contribution of one packet of `bytes` at zero load. Returns false when unroutable. */
typedef void (*visit_fn)(void *ctx, const void *obj, bool is_lookup, sim_fs lat);
static bool walk(asic_world *w, const asic_flow *f, uint32_t bytes, visit_fn visit, void *ctx) {
  uint32_t port = f->port;
  for (uint32_t hop = 0; hop <= ASIC_MAX_HOPS; hop++) {
    asic_port *in = &w->ports[port];
    asic_pg *pg = &w->pgs[in->pg];
    asic_slice *s = &w->slices[in->slice];
    visit(ctx, &pg->in, false, bw_server_service(&pg->in, bytes));
    visit(ctx, &s->in, false, bw_server_service(&s->in, bytes));
    /* the occupancy at this router (asic_world.c occupancy_table) */
    uint32_t cycles = w->cycles[(size_t)in->router * w->n_flows + (uint32_t)(f - w->flows)];
    visit(ctx, &s->lk, true, (sim_fs)cycles * s->lk.period);
    int32_t nh = asic_world_next_hop(w, f->first_key, in->router);
    if (nh < 0) return false;
    visit(ctx, &s->out, false, bw_server_service(&s->out, bytes));
    asic_port *out = &w->ports[nh];
    if (out->slice != in->slice) {
      asic_slice *d = &w->slices[out->slice];
      const asic_params *p = &w->routers[s->router].p;
      sim_fs lat = d->asic == s->asic ? p->fabric_latency_slice : p->fabric_latency_asic;
      visit(ctx, &s->fab, false, bw_server_service(&s->fab, bytes) + lat);
      visit(ctx, &d->in, false, bw_server_service(&d->in, bytes));
      visit(ctx, &d->out, false, bw_server_service(&d->out, bytes));
    }
    asic_pg *pgo = &w->pgs[out->pg];
    visit(ctx, &pgo->out, false, bw_server_service(&pgo->out, bytes));
    visit(ctx, &out->tx, false, 0); /* first bit out when the MAC starts */
    if (out->peer < 0) return true;
    visit(ctx, NULL, false, sim_ser_fs(bytes + SIM_ETH_PREAMBLE_SFD, out->rate_bps) + out->link_latency);
    port = (uint32_t)out->peer;
  }
  return false;
}

typedef struct offered_ctx {
  asic_res *res;
  size_t n;
  double pps, frame;
} offered_ctx;

static void visit_offered(void *vctx, const void *obj, bool is_lookup, sim_fs lat) {
  offered_ctx *c = vctx;
  asic_res *r = obj ? find_bw(c->res, c->n, obj) : NULL;
  if (!r) return;
  r->off_pps += c->pps;
  r->off_bytes += c->pps * c->frame;
  if (is_lookup) r->off_cycles += c->pps * (double)(lat / ((const lookup_pool *)obj)->period);
}

void asic_analytic_offered(asic_world *w, asic_res *res, size_t n) {
  for (uint32_t fi = 0; fi < w->n_flows; fi++) {
    const asic_flow *f = &w->flows[fi];
    offered_ctx c = {res, n, asic_flow_offered_pps(f), asic_flow_mean_frame(f)};
    walk(w, f, (uint32_t)c.frame, visit_offered, &c);
  }
}

typedef struct ceiling_ctx {
  const asic_flow *f;
  double frame, min_pps;
} ceiling_ctx;

static void visit_ceiling(void *vctx, const void *obj, bool is_lookup, sim_fs lat) {
  ceiling_ctx *c = vctx;
  if (!obj) return;
  double pps;
  if (is_lookup) {
    const lookup_pool *lk = obj; /* lat = this router's cycles x period */
    pps = lk->threads / ((double)(lat / lk->period) * (double)lk->period * 1e-15);
  } else {
    const bw_server *bw = obj;
    pps = (double)bw->rate_bps / (8.0 * (c->frame + bw->overhead));
  }
  if (pps < c->min_pps) c->min_pps = pps;
}

double asic_flow_ceiling_pps(asic_world *w, uint32_t fi) {
  const asic_flow *f = &w->flows[fi];
  ceiling_ctx c = {f, asic_flow_mean_frame(f), 1e300};
  /* the ingress port's line rate also bounds what the source can offer */
  double line = (double)w->ports[f->port].rate_bps / (8.0 * (c.frame + SIM_ETH_L1_OVERHEAD));
  if (line < c.min_pps) c.min_pps = line;
  /* no route: nothing is delivered, whatever the resources before the lookup could carry */
  if (!walk(w, f, (uint32_t)c.frame, visit_ceiling, &c)) return 0;
  return c.min_pps;
}

typedef struct lat_ctx {
  sim_fs sum;
  asic_world *w;
} lat_ctx;

static void visit_lat(void *vctx, const void *obj, bool is_lookup, sim_fs lat) { ((lat_ctx *)vctx)->sum += lat; }

bool asic_flow_zero_load(asic_world *w, uint32_t fi, uint32_t bytes, sim_fs *lifo, sim_fs *fifo) {
  const asic_flow *f = &w->flows[fi];
  lat_ctx c = {0, w};
  if (!walk(w, f, bytes, visit_lat, &c)) return false;
  *lifo = c.sum;
  *fifo = c.sum + sim_ser_fs(bytes + SIM_ETH_PREAMBLE_SFD, w->ports[f->port].rate_bps);
  return true;
}

void asic_analytic_print(const asic_params *p, const uint32_t *sizes, size_t n, FILE *fp) {
  double threads = (double)(p->lookup_ppes * p->lookup_threads_per_ppe);
  double period = (double)sim_period_fs(p->lookup_clock) * 1e-15;
  fprintf(fp, "Closed-form ceilings per resource (Mpps / L1 Gbit/s on frame + 20 B)\n");
  fprintf(fp, "lookup: %.0f threads x %.0f cycles x %.0f fs period (rounded once) = %.2f Mpps at any frame size\n",
          threads, (double)p->lookup_cycles, period * 1e15, threads / (p->lookup_cycles * period) / 1e6);
  fprintf(fp, "%7s | %14s | %14s | %14s | %14s | %14s | %14s | %s\n", "frame B", "100GE port", "400GE port",
          "port group", "slice", "fabric", "lookup", "binding (800G slice of ports)");
  for (size_t i = 0; i < n; i++) {
    double b = sizes[i];
    double l1 = 8.0 * (b + SIM_ETH_L1_OVERHEAD);
    double port100 = 100e9 / l1, port400 = 400e9 / l1, pg = p->pg_bw / l1, sl = p->slice_bw / l1;
    double fab = p->fabric_bw / (8.0 * (b + p->fabric_overhead));
    double lk = threads / (p->lookup_cycles * period);
    double need = 800e9 / l1; /* a full slice of ports at line rate */
    /* binding: the resource with the least capacity per unit of the load a full slice of
     * ports offers it (lookup and slice carry all of it, each of the two port groups half;
     * the fabric only cross-slice traffic, so it is not a candidate) */
    struct { const char *name; double cap; } cand[] = {{"lookup", lk}, {"slice", sl}, {"port group", 2 * pg}};
    const char *bind = "ports (line rate)";
    double least = need;
    for (size_t k = 0; k < sizeof cand / sizeof cand[0]; k++)
      if (cand[k].cap < least) least = cand[k].cap, bind = cand[k].name;
    fprintf(fp, "%7u | %6.2f %7.2f | %6.2f %7.2f | %6.2f %7.2f | %6.2f %7.2f | %6.2f %7.2f | %6.2f %7.2f | %s\n",
            sizes[i], port100 / 1e6, port100 * l1 / 1e9, port400 / 1e6, port400 * l1 / 1e9, pg / 1e6,
            pg * l1 / 1e9, sl / 1e6, sl * l1 / 1e9, fab / 1e6, fab * l1 / 1e9, lk / 1e6, lk * l1 / 1e9, bind);
  }
  asic_analytic_print_engine(p, sizes, n, fp);
}
