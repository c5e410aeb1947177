/* Which slices compute lookup completions straight through (slice.direct_out); see
 * asic_sim.h and docs/architecture.md (fewer kernel events where nothing contends). */
#include <stdlib.h>

#include "asic_sim.h"

/* slice.out, and behind it PG.out, the port MACs and the fabric link, are touched only by the
 * slice's SLICE_EV_OUT* events, popped in (t, pid) order. A slice may skip them and offer a
 * packet to slice.out when its lookup is computed, with the same result, when the order of
 * lookup computations is already that order and nothing else feeds slice.out:
 * - every flow has the same lookup occupancy at the slice's router, so the pool stays a ring
 *   and lookup ends strictly increase with slice.in departures (a FIFO server's);
 * - no packet reaches the slice over the fabric: no route of a packet looked up on another
 *   slice leads to one of its ports (flows' keys from their ingress slice; with inter-router
 *   links any slice of a router may be an ingress, conservatively; an engine's returns may
 *   carry any key, so every egress slice of every key at its router counts, or at every
 *   router with links);
 * - no block is attached to it (its returns and its credits touch PG0.out at their own
 *   times) and no route sends a packet it looks up to a block of its own (SLICE_NH_BLOCK).
 * An IPsec next hop to another slice's engine is a lookup completion like any: straight
 * through too (slice.out, then the fabric). Decided once, when stepping starts. */
static void mark_egress(const asic_world *w, uint32_t key, uint32_t r, int32_t from_slice, bool links, bool *no) {
  int32_t nh = asic_world_next_hop(w, key, r);
  const asic_router *rt = &w->routers[r];
  if (nh == SLICE_NH_BLOCK) { /* the lookup slice's own block: every slice that may look it up */
    for (uint32_t s = 0; s < 2 * rt->n_asics; s++)
      if (links || from_slice < 0 || (int32_t)(rt->first_asic_slice + s) == from_slice) no[rt->first_asic_slice + s] = true;
    return;
  }
  if (nh < 0) return;
  uint32_t e = w->ports[nh].slice;
  if (links || from_slice < 0 || (uint32_t)from_slice != e) no[e] = true;
}

static bool uniform_occupancy(const asic_world *w, uint32_t r) {
  for (uint32_t fi = 0; fi < w->n_flows; fi++)
    if (w->cycles[(size_t)r * w->n_flows + fi] != w->cycles[(size_t)r * w->n_flows]) return false;
  return true;
}

void asic_sim_prepare_direct_out(asic_world *w) {
  w->stepping = true;
  for (uint32_t s = 0; s < w->n_slices; s++) { /* routing and occupancy are fixed from now on */
    asic_slice *sl = &w->slices[s];
    sl->nh_by_key = w->key_nh;
    sl->nh_stride = w->n_routers;
    sl->cycles_by_flow = &w->cycles[(size_t)sl->router * w->n_flows];
    sl->direct_out = false;
  }
  bool links = false;
  for (uint32_t i = 0; i < w->n_ports; i++) links |= w->ports[i].peer >= 0;
  bool *no = calloc(w->n_slices ? w->n_slices : 1, sizeof *no); /* slice may not go straight through */
  if (!no) return; /* out of memory: every completion through the heap (same result) */
  for (uint32_t fi = 0; fi < w->n_flows; fi++) {
    const asic_flow *f = &w->flows[fi];
    const bool esp = f->esp_of < w->n_tunnels; /* its packets carry the local gateway's key */
    const uint32_t n_keys = esp ? 1 : f->n_addr;
    for (uint32_t r = 0; r < w->n_routers; r++) {
      if (!links && r != f->router) continue; /* the flow never reaches r */
      for (uint32_t k = 0; k < n_keys; k++)
        mark_egress(w, esp ? f->esp_key : f->first_key + k, r, (int32_t)w->ports[f->port].slice, links, no);
    }
  }
  for (uint32_t a = 0; a < w->n_slices; a++) {
    if (!w->attach[a].on) continue;
    no[a] = true;
    for (uint32_t k = 0; k < w->n_keys; k++)
      for (uint32_t r = 0; r < w->n_routers; r++)
        if (links || r == w->slices[a].router) mark_egress(w, k, r, (int32_t)a, links, no);
  }
  for (uint32_t s = 0; s < w->n_slices; s++) w->slices[s].direct_out = !no[s] && uniform_occupancy(w, w->slices[s].router);
  free(no);
}
