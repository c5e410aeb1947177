/* `ipsecsim params --analytic`: the closed-form ceiling per resource type and frame size, and
 * which registered resource binds a full slice of ports at line rate, read from the resource
 * registry of a world built from the parameters (a new block's resources appear with nothing
 * here changed); see asic_analytic.h. */
#include <stdlib.h>
#include <string.h>

#include "asic_analytic.h"
#include "asic_preset.h"

/* Below this ratio of ceiling to offered load a resource binds; at 1 the ports' line rate
 * does (a resource charged like the port, e.g. a port's MAC, gives 1 up to rounding). */
#define BIND_BELOW (1.0 - 1e-9)

bool asic_analytic_binding_world(const asic_params *p, const asic_platform *pl, asic_world *w, char *err, size_t errlen) {
  asic_router *rt = calloc(1, sizeof *rt);
  if (!rt) return snprintf(err, errlen, "out of memory"), false;
  snprintf(rt->name, sizeof rt->name, "r0");
  rt->p = *p;
  rt->plat = *pl;
  if (!asic_world_build(w, rt, 1, err, errlen)) return false;
  route_init(&w->routers[0].routes);
  uint32_t n = 0;
  for (uint32_t i = 0; i < w->n_ports; i++) n += w->ports[i].slice == 0;
  w->flows = calloc(n ? n : 1, sizeof *w->flows);
  if (!w->flows) return snprintf(err, errlen, "out of memory"), false;
  for (uint32_t i = 0; i < w->n_ports; i++) {
    if (w->ports[i].slice != 0) continue;
    asic_flow *f = &w->flows[w->n_flows++];
    snprintf(f->name, sizeof f->name, "p%u", i);
    f->port = i;
    f->family = 4;
    f->dst[0] = 10, f->dst[2] = (uint8_t)i, f->dst[3] = 1;
    f->n_addr = 1;
    f->fkind = FRAME_FIXED;
    f->sizes[0] = 64, f->n_sizes = 1;
    f->rate_bps = (double)w->ports[i].rate_bps;
    f->lookup_cycles = (uint32_t)p->lookup_cycles;
    f->esp_of = ASIC_NONE;
  }
  if (!asic_world_start(w, 0, 1000000000, 1, err, errlen)) return false;
  for (uint32_t fi = 0; fi < w->n_flows; fi++) /* back out of its own port */
    asic_world_set_next_hop(w, w->flows[fi].first_key, 0, (int32_t)w->flows[fi].port);
  return true;
}

/* ratio[i * n_res + k]: resource k's ceiling over the load offered to it at sizes[i] (0: no load). */
static double *binding_ratios(asic_world *w, const uint32_t *sizes, size_t n) {
  double *ratio = calloc(n * w->n_res + 1, sizeof *ratio);
  if (!ratio) return NULL;
  for (size_t i = 0; i < n; i++) {
    for (uint32_t fi = 0; fi < w->n_flows; fi++) w->flows[fi].sizes[0] = (uint16_t)sizes[i];
    size_t nr;
    asic_res *res = asic_res_list(w, &nr);
    if (!res) return free(ratio), NULL;
    asic_analytic_offered(w, res, nr);
    for (size_t k = 0; k < nr; k++)
      if (res[k].kind != RES_HOLDER && res[k].off_pps > 0)
        ratio[i * w->n_res + k] = asic_res_ceiling_pps(&res[k], asic_res_mean_frame(&res[k])) / res[k].off_pps;
    free(res);
  }
  return ratio;
}

/* The binding cell of one frame size: the registered resource with the least ceiling per
 * offered load (the first in registry order, with how many more tie), or the ports. */
static void binding_name(const asic_world *w, const double *ratio, char *out, size_t len) {
  size_t best = w->n_res, ties = 0;
  for (size_t k = 0; k < w->n_res; k++) {
    if (ratio[k] <= 0 || ratio[k] >= BIND_BELOW) continue;
    if (best == w->n_res || ratio[k] < ratio[best] * (1 - 1e-12)) best = k, ties = 0;
    else if (ratio[k] <= ratio[best] * (1 + 1e-12)) ties++;
  }
  if (best == w->n_res) {
    snprintf(out, len, "ports (line rate)");
    return;
  }
  int k = snprintf(out, len, "%s at %.2f%%", w->res[best].name, 100 * ratio[best]);
  if (ties && k > 0 && (size_t)k < len) snprintf(out + k, len - (size_t)k, " (+%zu tied)", ties);
}

/* The per-type table: ceilings from the parameters, the binding from the registry walk. */
static void print_types(const asic_world *w, const double *ratio, const uint32_t *sizes, size_t n, FILE *fp) {
  const asic_params *p = &w->routers[0].p;
  double threads = (double)(p->lookup_ppes * p->lookup_threads_per_ppe);
  double period = (double)sim_period_fs(p->lookup_clock) * 1e-15;
  double slice_ports = 0;
  for (uint32_t fi = 0; fi < w->n_flows; fi++) slice_ports += w->flows[fi].rate_bps;
  char bind_head[64];
  snprintf(bind_head, sizeof bind_head, "binding (%.0fG slice of ports)", slice_ports / 1e9);
  fprintf(fp, "Closed-form ceilings per resource (Mpps / L1 Gbit/s on frame + 20 B)\n");
  fprintf(fp, "lookup: %.0f threads x %.0f cycles x %.0f fs period (rounded once) = %.2f Mpps at any frame size\n",
          threads, (double)p->lookup_cycles, period * 1e15, threads / (p->lookup_cycles * period) / 1e6);
  fprintf(fp, "%7s | %14s | %14s | %14s | %14s | %14s | %14s | %s\n", "frame B", "100GE port", "400GE port",
          "port group", "slice", "fabric", "lookup", bind_head);
  for (size_t i = 0; i < n; i++) {
    double b = sizes[i];
    double l1 = 8.0 * (b + SIM_ETH_L1_OVERHEAD);
    double port100 = 100e9 / l1, port400 = 400e9 / l1, pg = p->pg_bw / l1, sl = p->slice_bw / l1;
    double fab = p->fabric_bw / (8.0 * (b + p->fabric_overhead));
    double lk = threads / (p->lookup_cycles * period);
    char bind[160];
    binding_name(w, ratio + i * w->n_res, bind, sizeof bind);
    fprintf(fp, "%7u | %6.2f %7.2f | %6.2f %7.2f | %6.2f %7.2f | %6.2f %7.2f | %6.2f %7.2f | %6.2f %7.2f | %s\n",
            sizes[i], port100 / 1e6, port100 * l1 / 1e9, port400 / 1e6, port400 * l1 / 1e9, pg / 1e6,
            pg * l1 / 1e9, sl / 1e6, sl * l1 / 1e9, fab / 1e6, fab * l1 / 1e9, lk / 1e6, lk * l1 / 1e9, bind);
  }
}

/* Every registered resource: its ceiling as % of its load per frame size, or in the list of
 * those the pattern does not load; the packet holders (no server) counted. */
static void print_registry(const asic_world *w, const double *ratio, const uint32_t *sizes, size_t n, FILE *fp) {
  const asic_router *rt = &w->routers[0];
  fprintf(fp, "\nBinding walk over the resource registry of r0 (%s, %u ports): every port of r0.asic0.slice0\n"
              "offered at line rate, each routed back out of its own port; per registered resource its\n"
              "closed-form ceiling as %% of the load offered to it (below 100: it binds)\n",
          asic_preset_name(rt->plat.preset), rt->n_ports);
  fprintf(fp, "%-36s", "resource \\ frame B");
  for (size_t i = 0; i < n; i++) fprintf(fp, " %7u", sizes[i]);
  fprintf(fp, "\n");
  size_t unloaded = 0, holders = 0;
  for (size_t k = 0; k < w->n_res; k++) {
    bool loaded = false;
    for (size_t i = 0; i < n; i++) loaded = loaded || ratio[i * w->n_res + k] > 0;
    if (w->res[k].kind == RES_HOLDER) holders++;
    else if (!loaded) unloaded++;
    if (!loaded) continue;
    fprintf(fp, "%-36s", w->res[k].name);
    for (size_t i = 0; i < n; i++) fprintf(fp, " %7.2f", 100 * ratio[i * w->n_res + k]);
    fprintf(fp, "\n");
  }
  fprintf(fp, "not loaded by this pattern (%zu of %zu resources):", unloaded, w->n_res - holders);
  size_t col = 80;
  for (size_t k = 0, i = 0; k < w->n_res; k++) {
    bool loaded = false;
    for (size_t s = 0; s < n; s++) loaded = loaded || ratio[s * w->n_res + k] > 0;
    if (loaded || w->res[k].kind == RES_HOLDER) continue;
    const size_t len = strlen(w->res[k].name);
    if (col + len > 100) fprintf(fp, "\n "), col = 1;
    fprintf(fp, " %s%s", w->res[k].name, ++i < unloaded ? "," : "");
    col += len + 2;
  }
  fprintf(fp, "\npacket holders without a server (no ceiling): %zu\n", holders);
}

bool asic_analytic_print_world(asic_world *w, const uint32_t *sizes, size_t n, FILE *fp) {
  double *ratio = binding_ratios(w, sizes, n);
  if (!ratio) return false;
  print_types(w, ratio, sizes, n, fp);
  print_registry(w, ratio, sizes, n, fp);
  free(ratio);
  return true;
}

bool asic_analytic_print(const asic_params *p, const asic_platform *pl, const uint32_t *sizes, size_t n, FILE *fp,
                         char *err, size_t errlen) {
  asic_world w = {0};
  bool ok = asic_analytic_binding_world(p, pl, &w, err, errlen);
  if (ok && !asic_analytic_print_world(&w, sizes, n, fp)) ok = false, snprintf(err, errlen, "out of memory");
  asic_world_free(&w);
  if (ok) asic_analytic_print_engine(p, sizes, n, fp);
  return ok;
}
