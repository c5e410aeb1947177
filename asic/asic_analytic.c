/* Closed-form ceilings and zero-load latencies; see asic_analytic.h. */
#include "asic_analytic.h"
#include "asic_ipsec_rt.h"

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

/* What a walk hands its visitor per hop: the resource (bw_server or lookup_pool; NULL for a
 * wire or the engine), its kind, the zero-load latency of the packet there, the packet's
 * frame bytes there and how many packets one offered packet is there (an engine that
 * pre-fragments makes several); for the engine its ceiling in packets/s as if alone. */
typedef enum visit_kind { V_BW, V_LOOKUP, V_WIRE, V_ENGINE } visit_kind;
typedef struct visit_at {
  const void *obj;
  visit_kind kind;
  sim_fs lat;
  double bytes;    /* a frame mix's mean frame on the clear part of the path (not rounded) */
  double mult, engine_pps;
  const void *engine_at; /* V_ENGINE: the anchor slice's slice.in (names the engine's slice) */
  uint32_t tunnel;       /* V_ENGINE: the tunnel whose SA it applies */
} visit_at;
typedef void (*visit_fn)(void *ctx, const visit_at *v);

typedef struct walker {
  asic_world *w;
  visit_fn visit;
  void *ctx;
  sim_fs now;      /* absolute time of the packet (engine clock edges depend on it) */
  uint32_t bytes;  /* frame bytes now (latencies use whole bytes) */
  double frac;     /* the mean frame's fraction beyond `bytes` while the packet is clear */
  double mult;
  /* ESP: the packets the last engine pass made of one packet (esp.n of them, each shape at
   * its own size: a pre-fragmented datagram's fragments differ); decrypt: inner_bytes of each
   * is the inner IP packet (fragment) it carries */
  engine_esp_plan esp;
  const void *engine_at; /* the engine pass being visited (visit_at.engine_at, .tunnel) */
  uint32_t tunnel;
} walker;

/* Mean frame bytes and mean lane hold cycles over a plan's packets, each at its own size: the
 * ESP packets, or (inner) the inner packets they carry. */
static void plan_means(const engine_esp_plan *p, bool inner, uint64_t overhead, double *frame, double *cycles) {
  double f = 0, c = 0;
  for (uint32_t i = 0; i < p->n; i++) {
    const engine_esp_shape *s = engine_plan_at(p, i);
    f += engine_frame_bytes(inner ? s->inner_bytes : s->esp_ip_bytes);
    c += (double)gcm_lane_hold_cycles(s->aad_bytes, s->text_bytes, overhead);
  }
  *frame = f / p->n;
  *cycles = c / p->n;
}

static void hop(walker *k, const void *obj, visit_kind kind, sim_fs lat, double engine_pps) {
  const visit_at v = {obj, kind, lat, k->bytes + k->frac, k->mult, engine_pps, k->engine_at, k->tunnel};
  k->visit(k->ctx, &v);
  k->now += lat;
}

/* One pass through tunnel t's anchor engine from slice `from` (after its lookup): slice.out,
 * the fabric when the anchor is elsewhere, the anchor's PG0.out, the engine (first ESP packet
 * at zero load: first clock edge at or after its last byte, then O + n - 1 + GCM_PIPE_CYCLES
 * cycles to the tag pop, last byte out one cycle later; gcm_timing.h items 1-4), PG0.in,
 * slice.in and the second lookup. Encrypt turns the frame into its ESP packets (the
 * pre-fragmentation plan of esp_frag_plan_make, via engine_esp_plan_encrypt), decrypt each
 * ESP packet into the inner packet it carries. Latency follows the first packet; loads and
 * ceilings count every packet at its own size and lane cycles. Returns the anchor slice. */
static uint32_t engine_pass(walker *k, uint32_t from, uint32_t t, bool decrypt, uint8_t family, uint32_t cycles) {
  asic_world *w = k->w;
  asic_slice *s = &w->slices[from];
  const uint32_t a = w->tunnels[t].slice;
  asic_slice *d = &w->slices[a];
  hop(k, &s->out, V_BW, bw_server_service(&s->out, k->bytes), 0);
  if (a != from) {
    const asic_params *p = &w->routers[s->router].p;
    sim_fs lat = d->asic == s->asic ? p->fabric_latency_slice : p->fabric_latency_asic;
    hop(k, &s->fab, V_BW, bw_server_service(&s->fab, k->bytes) + lat, 0);
    hop(k, &d->in, V_BW, bw_server_service(&d->in, k->bytes), 0);
    hop(k, &d->out, V_BW, bw_server_service(&d->out, k->bytes), 0);
  }
  asic_pg *pg0 = &w->pgs[d->first_pg];
  hop(k, &pg0->out, V_BW, bw_server_service(&pg0->out, k->bytes), 0);
  engine_sa shape;
  engine_sa_from_config(decrypt ? &w->tunnels[t].in : &w->tunnels[t].out, &shape);
  shape.dir = ENGINE_ENCRYPT; /* the shape the ESP packets have (decrypt: the peer's outbound) */
  engine_esp_plan plan = {.n = 1};
  if (decrypt) { /* each ESP packet carries its inner packet's bytes */
    plan = k->esp;
    plan.first = engine_esp_shape_of(&shape, k->esp.first.inner_bytes);
    plan.middle = engine_esp_shape_of(&shape, k->esp.middle.inner_bytes);
    plan.last = engine_esp_shape_of(&shape, k->esp.last.inner_bytes);
  } else {
    const uint32_t clear = k->bytes > ENGINE_ETH_OVERHEAD ? k->bytes - ENGINE_ETH_OVERHEAD : 0;
    if (engine_esp_plan_encrypt(&shape, family, false, clear, &plan) != ENGINE_PLAN_OK) {
      plan.n = 1;
      plan.first = plan.middle = plan.last = engine_esp_shape_of(&shape, clear);
    }
  }
  const engine_esp_shape sh = plan.first;
  const engine_params *e = &w->routers[d->router].p.engine;
  const sim_fs T = sim_period_fs(e->clock);
  const uint64_t n = gcm_cycles_per_packet(sh.aad_bytes, sh.text_bytes, 128);
  const sim_fs start = (sim_fs)gcm_ready_cycle((uint64_t)k->now, (uint64_t)T) * T;
  const sim_fs out = start + (sim_fs)(e->overhead_cycles + n - 1 + GCM_PIPE_CYCLES + 1) * T;
  const double lanes = e->sa_dispatch == ENGINE_PIN ? 1.0 : (double)e->lanes;
  double frame, hold;
  plan_means(&plan, decrypt, e->overhead_cycles, &frame, &hold);
  /* per packet entering: a clear datagram costs all its ESP packets, an ESP packet itself */
  const double per_packet = decrypt ? hold : hold * plan.n;
  k->engine_at = &d->in, k->tunnel = t;
  hop(k, NULL, V_ENGINE, out - k->now, lanes / (per_packet * sim_fs_to_s(T)));
  k->engine_at = NULL;
  k->bytes = engine_frame_bytes(decrypt ? sh.inner_bytes : sh.esp_ip_bytes);
  k->frac = frame - k->bytes; /* the packets' mean beyond the first (<= 0) */
  k->esp = plan;
  if (!decrypt) k->mult *= plan.n;
  hop(k, &pg0->in, V_BW, bw_server_service(&pg0->in, k->bytes), 0);
  hop(k, &d->in, V_BW, bw_server_service(&d->in, k->bytes), 0);
  hop(k, &d->lk, V_LOOKUP, (sim_fs)cycles * d->lk.period, 0);
  return a;
}

/* Walks the path of (flow, first address), IPsec included (route via a tunnel: encrypt at its
 * anchor, then the remote gateway's route; ESP for a local gateway: decrypt at the SA's
 * anchor, then the inner destination's route); calls visit() per hop with the latency of one
 * packet of `bytes` (the clear frame; an esp_of flow's first ESP packet is derived from it)
 * at zero load, its first packet starting at the flow's start. Returns false when
 * unroutable. */
static bool walk(asic_world *w, const asic_flow *f, double frame, visit_fn visit, void *ctx) {
  const uint32_t fi = (uint32_t)(f - w->flows);
  const uint32_t bytes = (uint32_t)frame;
  walker k = {w, visit, ctx, f->start, bytes, frame - bytes, 1.0, {.n = 1}, NULL, ASIC_NONE};
  uint32_t port = f->port, key = f->first_key, decrypt_t = ASIC_NONE;
  const asic_ipsec_rt *rt = w->ipsec;
  if (rt && f->esp_of < rt->tab.n_tunnels) { /* the first ESP packet its remote peer sends */
    engine_esp_plan plan;
    if (engine_esp_plan_encrypt(&f->esp_sa, f->family, false, bytes - ENGINE_ETH_OVERHEAD, &plan) == ENGINE_PLAN_OK) {
      double mean, cycles;
      plan_means(&plan, false, 0, &mean, &cycles);
      k.bytes = engine_frame_bytes(plan.first.esp_ip_bytes);
      k.frac = mean - k.bytes; /* every ESP packet at its own size */
      k.esp = plan;
      k.mult = plan.n;
    }
    key = rt->local_key[f->esp_of];
    decrypt_t = f->esp_of;
  }
  k.now += sim_ser_fs(k.bytes + SIM_ETH_PREAMBLE_SFD, w->ports[port].rate_bps); /* last bit in */
  const uint32_t clear_key = f->first_key;
  for (uint32_t h = 0; h <= ASIC_MAX_HOPS; h++) {
    asic_port *in = &w->ports[port];
    asic_pg *pg = &w->pgs[in->pg];
    uint32_t sl = in->slice;
    const uint32_t cycles = w->cycles[(size_t)in->router * w->n_flows + fi];
    hop(&k, &pg->in, V_BW, bw_server_service(&pg->in, k.bytes), 0);
    hop(&k, &w->slices[sl].in, V_BW, bw_server_service(&w->slices[sl].in, k.bytes), 0);
    hop(&k, &w->slices[sl].lk, V_LOOKUP, (sim_fs)cycles * w->slices[sl].lk.period, 0);
    int32_t nh = asic_world_next_hop(w, key, in->router);
    for (int pass = 0; pass < 2 && rt && (SLICE_NH_IS_TUNNEL(nh) || nh == SLICE_NH_LOCAL); pass++) {
      if (SLICE_NH_IS_TUNNEL(nh)) {
        const uint32_t t = SLICE_NH_TUNNEL_INDEX(nh);
        if (t >= w->n_tunnels || t >= rt->tab.n_tunnels) return false;
        sl = engine_pass(&k, sl, t, false, f->family, cycles);
        key = rt->remote_key[t];
        decrypt_t = w->tunnels[t].peer; /* the peer decrypts it, if it is in the scenario */
      } else {
        if (decrypt_t >= rt->tab.n_tunnels) return false; /* not ESP for this gateway: host path */
        sl = engine_pass(&k, sl, decrypt_t, true, f->family, cycles);
        key = clear_key;
        decrypt_t = ASIC_NONE;
      }
      nh = asic_world_next_hop(w, key, in->router);
    }
    if (nh < 0) return false;
    asic_slice *s = &w->slices[sl];
    hop(&k, &s->out, V_BW, bw_server_service(&s->out, k.bytes), 0);
    asic_port *out = &w->ports[nh];
    if (out->slice != sl) {
      asic_slice *d = &w->slices[out->slice];
      const asic_params *p = &w->routers[s->router].p;
      sim_fs lat = d->asic == s->asic ? p->fabric_latency_slice : p->fabric_latency_asic;
      hop(&k, &s->fab, V_BW, bw_server_service(&s->fab, k.bytes) + lat, 0);
      hop(&k, &d->in, V_BW, bw_server_service(&d->in, k.bytes), 0);
      hop(&k, &d->out, V_BW, bw_server_service(&d->out, k.bytes), 0);
    }
    asic_pg *pgo = &w->pgs[out->pg];
    hop(&k, &pgo->out, V_BW, bw_server_service(&pgo->out, k.bytes), 0);
    hop(&k, &out->tx, V_BW, 0, 0); /* first bit out when the MAC starts */
    if (out->peer < 0) return true;
    hop(&k, NULL, V_WIRE, sim_ser_fs(k.bytes + SIM_ETH_PREAMBLE_SFD, out->rate_bps) + out->link_latency, 0);
    port = (uint32_t)out->peer;
  }
  return false;
}

typedef struct offered_ctx {
  asic_res *res;
  size_t n;
  double pps;
} offered_ctx;

static void visit_offered(void *vctx, const visit_at *v) {
  offered_ctx *c = vctx;
  asic_res *r = v->obj ? find_bw(c->res, c->n, v->obj) : NULL;
  if (!r) return;
  r->off_pps += c->pps * v->mult;
  r->off_bytes += c->pps * v->mult * v->bytes;
  if (v->kind == V_LOOKUP) r->off_cycles += c->pps * v->mult * (double)(v->lat / ((const lookup_pool *)v->obj)->period);
}

double asic_flow_wire_bytes(const asic_flow *f, double frame, double *l2_bytes) {
  double wire = frame + SIM_ETH_L1_OVERHEAD, l2 = frame;
  engine_esp_plan plan;
  if (f->esp_of != ASIC_NONE &&
      engine_esp_plan_encrypt(&f->esp_sa, f->family, false, (uint32_t)frame - ENGINE_ETH_OVERHEAD, &plan) == ENGINE_PLAN_OK) {
    wire = l2 = 0;
    for (uint32_t i = 0; i < plan.n; i++) {
      double b = engine_frame_bytes(engine_plan_at(&plan, i)->esp_ip_bytes);
      wire += b + 20.0, l2 += b;
    }
  }
  if (l2_bytes) *l2_bytes = l2;
  return wire;
}

/* Offered packets/s at the ingress port: an esp_of source paces its ESP frames at its rate. */
static double offered_pps_on_wire(const asic_flow *f, double frame) {
  if (f->esp_of == ASIC_NONE) return asic_flow_offered_pps(f);
  return f->rate_bps / (8.0 * asic_flow_wire_bytes(f, frame, NULL));
}

void asic_analytic_offered(asic_world *w, asic_res *res, size_t n) {
  for (uint32_t fi = 0; fi < w->n_flows; fi++) {
    const asic_flow *f = &w->flows[fi];
    const double frame = asic_flow_mean_frame(f);
    offered_ctx c = {res, n, offered_pps_on_wire(f, frame)};
    walk(w, f, frame, visit_offered, &c);
  }
}

typedef struct ceiling_ctx {
  double min_pps; /* offered packets per second at the ingress */
} ceiling_ctx;

static void visit_ceiling(void *vctx, const visit_at *v) {
  ceiling_ctx *c = vctx;
  double pps;
  if (v->kind == V_ENGINE) {
    pps = v->engine_pps;
  } else if (!v->obj || v->kind == V_WIRE) {
    return;
  } else if (v->kind == V_LOOKUP) {
    const lookup_pool *lk = v->obj; /* lat = this router's cycles x period */
    pps = lk->threads / ((double)(v->lat / lk->period) * (double)lk->period * 1e-15);
  } else {
    const bw_server *bw = v->obj;
    pps = (double)bw->rate_bps / (8.0 * (v->bytes + bw->overhead));
  }
  pps /= v->mult; /* per packet offered at the ingress */
  if (pps < c->min_pps) c->min_pps = pps;
}

double asic_flow_ceiling_pps(asic_world *w, uint32_t fi) {
  const asic_flow *f = &w->flows[fi];
  const double frame = asic_flow_mean_frame(f);
  ceiling_ctx c = {1e300};
  /* the ingress port's line rate also bounds what the source can offer */
  double line = (double)w->ports[f->port].rate_bps / (8.0 * (frame + SIM_ETH_L1_OVERHEAD));
  if (line < c.min_pps) c.min_pps = line;
  /* no route: nothing is delivered, whatever the resources before the lookup could carry */
  if (!walk(w, f, frame, visit_ceiling, &c)) return 0;
  return c.min_pps;
}

static void visit_lat(void *vctx, const visit_at *v) { *(sim_fs *)vctx += v->lat; }

typedef struct path_ctx {
  asic_world *w;
  void (*each)(void *ctx, const char *name, uint32_t tunnel);
  void *ctx;
} path_ctx;

/* Registry names of the hops; an engine as SLICE.engine (its metrics' prefix), named from
 * its slice's slice.in entry. */
static void visit_path(void *vctx, const visit_at *v) {
  path_ctx *c = vctx;
  if (v->kind == V_ENGINE) {
    const asic_res *r = find_bw(c->w->res, c->w->n_res, v->engine_at);
    size_t len = r ? strlen(r->name) : 0;
    if (len < 3) return;
    char n[sizeof r->name + 8];
    snprintf(n, sizeof n, "%.*s.engine", (int)(len - 3), r->name); /* strip ".in" */
    c->each(c->ctx, n, v->tunnel);
    return;
  }
  const asic_res *r = v->obj ? find_bw(c->w->res, c->w->n_res, v->obj) : NULL;
  if (r) c->each(c->ctx, r->name, ASIC_NONE);
}

bool asic_flow_path(asic_world *w, uint32_t fi, void (*each)(void *ctx, const char *name, uint32_t tunnel), void *ctx) {
  path_ctx c = {w, each, ctx};
  return walk(w, &w->flows[fi], asic_flow_mean_frame(&w->flows[fi]), visit_path, &c);
}

bool asic_flow_zero_load(asic_world *w, uint32_t fi, uint32_t bytes, sim_fs *lifo, sim_fs *fifo) {
  const asic_flow *f = &w->flows[fi];
  sim_fs sum = 0;
  if (!walk(w, f, bytes, visit_lat, &sum)) return false;
  uint32_t wire = bytes;
  if (f->esp_of < w->n_tunnels) { /* an esp_of flow's first frame on the wire is ESP */
    engine_esp_plan plan;
    if (engine_esp_plan_encrypt(&f->esp_sa, f->family, false, bytes - ENGINE_ETH_OVERHEAD, &plan) == ENGINE_PLAN_OK)
      wire = engine_frame_bytes(plan.first.esp_ip_bytes);
  }
  *lifo = sum;
  *fifo = sum + sim_ser_fs(wire + SIM_ETH_PREAMBLE_SFD, w->ports[f->port].rate_bps);
  return true;
}
