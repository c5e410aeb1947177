/* report.json "paths": the resources on each flow's path (the closed form's walk of its first
 * destination address, asic_flow_path) and the flows whose path passes each tunnel's engine,
 * so a report can show every resource a tunnel's traffic uses beside its utilisation. */
#include <stdlib.h>
#include <string.h>

#include "asic_analytic.h"
#include "asic_report.h"

typedef struct path_list {
  char (*names)[96];
  size_t n, cap;
  bool *tunnel; /* [n_tunnels]: the path passes this tunnel's engine */
  bool oom;
} path_list;

static void add(void *vctx, const char *name, uint32_t tunnel) {
  path_list *p = vctx;
  if (tunnel != ASIC_NONE && p->tunnel) p->tunnel[tunnel] = true;
  for (size_t i = 0; i < p->n; i++)
    if (!strcmp(p->names[i], name)) return; /* each once, in the order first reached */
  if (p->n == p->cap) {
    size_t nc = p->cap ? 2 * p->cap : 16;
    char (*nn)[96] = realloc(p->names, nc * sizeof *nn);
    if (!nn) {
      p->oom = true;
      return;
    }
    p->names = nn, p->cap = nc;
  }
  snprintf(p->names[p->n++], sizeof p->names[0], "%s", name);
}

void asic_report_paths_json(asic_world *w, FILE *fp) {
  bool *through = calloc((size_t)(w->n_flows ? w->n_flows : 1) * (w->n_tunnels ? w->n_tunnels : 1), sizeof *through);
  fprintf(fp, "{\"flows\": {");
  for (uint32_t fi = 0; fi < w->n_flows; fi++) {
    path_list p = {.tunnel = through ? through + (size_t)fi * (w->n_tunnels ? w->n_tunnels : 1) : NULL};
    asic_flow_path(w, fi, add, &p); /* unrouted: the hops up to where it ends */
    fprintf(fp, "%s\n  ", fi ? "," : "");
    asic_json_str(fp, w->flows[fi].name);
    fprintf(fp, ": [");
    for (size_t i = 0; i < p.n; i++) {
      fprintf(fp, "%s", i ? ", " : "");
      asic_json_str(fp, p.names[i]);
    }
    fprintf(fp, "]");
    free(p.names);
  }
  fprintf(fp, "},\n \"tunnels\": {");
  bool first = true;
  for (uint32_t t = 0; through && t < w->n_tunnels; t++) {
    bool any = false;
    for (uint32_t fi = 0; fi < w->n_flows && !any; fi++) any = through[(size_t)fi * w->n_tunnels + t];
    if (!any) continue;
    char n[160];
    snprintf(n, sizeof n, "%s.%s", w->routers[w->tunnels[t].router].name, w->tunnels[t].name);
    fprintf(fp, "%s\n  ", first ? "" : ",");
    first = false;
    asic_json_str(fp, n);
    fprintf(fp, ": [");
    bool lead = true;
    for (uint32_t fi = 0; fi < w->n_flows; fi++) {
      if (!through[(size_t)fi * w->n_tunnels + t]) continue;
      fprintf(fp, "%s", lead ? "" : ", ");
      lead = false;
      asic_json_str(fp, w->flows[fi].name);
    }
    fprintf(fp, "]");
  }
  fprintf(fp, "}}");
  free(through);
}
