/* config.resolved.yaml: the configuration a run used (defaults + scenario + --set), written
 * as a scenario that loads again and reproduces the same statistics (expect: left out). */
#include <arpa/inet.h>
#include <stdio.h>

#include "asic_preset.h"
#include "asic_report.h"

static const char *addr_text(uint8_t family, const uint8_t *a, char *buf, size_t len) {
  return inet_ntop(family == 4 ? AF_INET : AF_INET6, a, buf, (socklen_t)len);
}

static void frame_yaml(const asic_flow *f, FILE *fp) {
  if (f->fkind == FRAME_FIXED) {
    fprintf(fp, "%uB", f->sizes[0]);
  } else if (f->fkind == FRAME_UNIFORM) {
    fprintf(fp, "{uniform: [%uB, %uB]}", f->lo, f->hi);
  } else {
    fprintf(fp, "[");
    for (uint32_t i = 0; i < f->n_sizes; i++) fprintf(fp, "%s%uB", i ? ", " : "", f->sizes[i]);
    fprintf(fp, "]");
  }
}

void asic_report_resolved(scenario *sc, FILE *fp) {
  asic_world *w = &sc->world;
  char a[64];
  fprintf(fp, "# resolved configuration of %s (defaults + scenario + --set); loads as a scenario\n", sc->path);
  fprintf(fp, "version: 1\nseed: %llu\nphases: {warmup: %llufs, measure: %llufs}\nrouters:\n",
          (unsigned long long)sc->seed, (unsigned long long)sc->warmup, (unsigned long long)sc->measure);
  for (uint32_t r = 0; r < w->n_routers; r++) {
    const asic_router *rt = &w->routers[r];
    const asic_params *p = &rt->p;
    if (rt->plat.preset == PRESET_MX304) /* lmics, port_mode apply to MX304 only */
      fprintf(fp, "  - name: %s\n    platform: {preset: %s, lmics: %llu, port_mode: %s}\n", rt->name,
              asic_preset_name(rt->plat.preset), (unsigned long long)rt->plat.lmics,
              rt->plat.port_mode == PORT_MODE_4X400 ? "4x400GE" : "16x100GE");
    else
      fprintf(fp, "  - name: %s\n    platform: {preset: %s}\n", rt->name, asic_preset_name(rt->plat.preset));
    fprintf(fp, "    params:\n      portgroup: {pg_bw: %.17gbps, pg_in_queue: %lluB, pg_out_queue: %lluB, port_tx_queue: %lluB}\n",
            p->pg_bw, (unsigned long long)p->pg_in_queue, (unsigned long long)p->pg_out_queue,
            (unsigned long long)p->port_tx_queue);
    fprintf(fp, "      pfe: {slice_bw: %.17gbps, slice_in_queue: %lluB, slice_out_queue: %lluB, lookup_ppes: %llu, "
                "lookup_threads_per_ppe: %llu, lookup_clock: %.17gHz, lookup_cycles: %llu, lookup_queue: %llu}\n",
            p->slice_bw, (unsigned long long)p->slice_in_queue, (unsigned long long)p->slice_out_queue,
            (unsigned long long)p->lookup_ppes, (unsigned long long)p->lookup_threads_per_ppe, p->lookup_clock,
            (unsigned long long)p->lookup_cycles, (unsigned long long)p->lookup_queue);
    fprintf(fp, "      fabric: {fabric_bw: %.17gbps, fabric_overhead: %lluB, fabric_latency_slice: %llufs, "
                "fabric_latency_asic: %llufs, fabric_queue: %lluB}\n",
            p->fabric_bw, (unsigned long long)p->fabric_overhead, (unsigned long long)p->fabric_latency_slice,
            (unsigned long long)p->fabric_latency_asic, (unsigned long long)p->fabric_queue);
    bool any_if = false; /* ports whose speed an interface reduced */
    for (uint32_t i = 0; i < rt->n_ports; i++) {
      const asic_port *pt = &w->ports[rt->first_port + i];
      asic_port_desc d;
      asic_preset_port(&rt->plat, i, &d);
      if (pt->rate_bps == d.rate_bps) continue;
      if (!any_if) fprintf(fp, "    interfaces:\n");
      any_if = true;
      fprintf(fp, "      - {name: %s, speed: %llubps}\n", pt->name, (unsigned long long)pt->rate_bps);
    }
    if (rt->routes.n) fprintf(fp, "    routes:\n");
    for (size_t i = 0; i < rt->routes.n; i++) {
      const route_entry *e = &rt->routes.e[i];
      fprintf(fp, "      - {prefix: \"%s/%u\", via: %s}\n", addr_text(e->family, e->addr, a, sizeof a), e->len,
              w->ports[e->nexthop].name);
    }
  }
  bool any = false;
  for (uint32_t i = 0; i < w->n_ports; i++) {
    const asic_port *pt = &w->ports[i];
    if (pt->peer < (int32_t)i) continue; /* each link once */
    if (!any) fprintf(fp, "links:\n");
    any = true;
    const asic_port *q = &w->ports[pt->peer];
    fprintf(fp, "  - {a: \"%s:%s\", b: \"%s:%s\", latency: %llufs}\n", w->routers[pt->router].name, pt->name,
            w->routers[q->router].name, q->name, (unsigned long long)pt->link_latency);
  }
  fprintf(fp, "traffic:\n");
  for (uint32_t i = 0; i < w->n_flows; i++) {
    const asic_flow *f = &w->flows[i];
    fprintf(fp, "  - {name: %s, router: %s, port: %s, rate: %.17gbps, frame: ", f->name, w->routers[f->router].name,
            w->ports[f->port].name, f->rate_bps);
    frame_yaml(f, fp);
    fprintf(fp, ", dst: \"%s\", flows: %u, ip: ipv%u, dscp: %u, arrival: %s, burst: %u, lookup_cycles: %u, start: %llufs}\n",
            addr_text(f->family, f->dst, a, sizeof a), f->n_addr, f->family, f->dscp,
            f->arrival == ARRIVAL_POISSON ? "poisson" : "cbr", f->burst, f->lookup_cycles, (unsigned long long)f->start);
  }
}
