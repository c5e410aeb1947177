/* The world's IPsec tunnel table (asic_ipsec.h). The run-time part (SAs on the anchor
 * engines, SPI demux, gateway route keys) is built at asic_world_start. */
#include "asic_ipsec_rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool asic_ipsec_add_tunnel(asic_world *w, const asic_tunnel *t, char *why, size_t why_len) {
  uint32_t on_router = 0;
  for (uint32_t i = 0; i < w->n_tunnels; i++) on_router += w->tunnels[i].router == t->router;
  if (on_router >= ASIC_MAX_TUNNELS) {
    snprintf(why, why_len, "tunnel %s: more than %u tunnels on router %s (the chassis limit)", t->name,
             ASIC_MAX_TUNNELS, w->routers[t->router].name);
    return false;
  }
  if (w->n_tunnels == w->cap_tunnels) {
    uint32_t cap = w->cap_tunnels ? 2 * w->cap_tunnels : 16;
    asic_tunnel *n = realloc(w->tunnels, (size_t)cap * sizeof *n);
    if (!n) {
      snprintf(why, why_len, "tunnel %s: out of memory", t->name);
      return false;
    }
    w->tunnels = n;
    w->cap_tunnels = cap;
  }
  w->tunnels[w->n_tunnels++] = *t;
  return true;
}

uint32_t asic_ipsec_find_bind(const asic_world *w, uint32_t router, const char *bind) {
  for (uint32_t i = 0; i < w->n_tunnels; i++)
    if (w->tunnels[i].router == router && !strcmp(w->tunnels[i].bind, bind)) return i;
  return ASIC_NONE;
}

uint32_t asic_ipsec_find_name(const asic_world *w, uint32_t router, const char *name) {
  for (uint32_t i = 0; i < w->n_tunnels; i++)
    if (w->tunnels[i].router == router && !strcmp(w->tunnels[i].name, name)) return i;
  return ASIC_NONE;
}

void asic_ipsec_free(asic_world *w) {
  asic_ipsec_rt_free(w);
  if (w->tunnels) memset(w->tunnels, 0, (size_t)w->cap_tunnels * sizeof *w->tunnels); /* keys */
  free(w->tunnels);
  w->tunnels = NULL;
  w->n_tunnels = w->cap_tunnels = 0;
}
