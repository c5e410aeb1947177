// Worlds with IPsec tunnels built in C (the YAML loader is the tunnels branch's): routers with
// their default parameters, interfaces' routes, links, streams and tunnels added the way the
// loader does (asic_ipsec_add_tunnel, routes via SLICE_NH_TUNNEL(t)), then started.
#pragma once
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "asic/asic_analytic.h"
#include "asic/asic_ipsec_rt.h"
#include "asic/asic_report.h"
#include "asic/asic_sim.h"
#include "asic/scenario.h"
}

struct IpsecWorld {
  scenario sc{};
  asic_world *w = &sc.world;
  std::vector<asic_flow> flows;
  std::string err;

  explicit IpsecWorld(uint32_t n_routers, const char *engine_lanes = nullptr) {
    auto *rt = static_cast<asic_router *>(calloc(n_routers, sizeof(asic_router)));
    size_t nb;
    const asic_param_block *b = asic_param_blocks(&nb);
    cfg_err cerr{};
    for (uint32_t r = 0; r < n_routers; r++) {
      snprintf(rt[r].name, sizeof rt[r].name, "r%u", r);
      for (size_t i = 0; i < nb; i++) cfg_apply_defaults(b[i].table, b[i].n, asic_param_block_base(&b[i], &rt[r].p, &rt[r].plat), &cerr);
    }
    (void)engine_lanes;
    char e[256];
    if (!asic_world_build(w, rt, n_routers, e, sizeof e)) err = e;
    for (uint32_t r = 0; r < n_routers; r++) route_init(&w->routers[r].routes);
  }
  ~IpsecWorld() { scenario_free(&sc); }
  asic_params &params(uint32_t r) { return w->routers[r].p; }

  static void addr(const char *text, uint8_t *family, uint8_t a[16]) {
    uint8_t len;
    route_parse_prefix(text, family, a, &len);
  }
  uint32_t port(uint32_t r, const char *name) { return (uint32_t)asic_world_port(w, r, name); }
  // a route PREFIX -> next hop (a port index, or SLICE_NH_TUNNEL(t) ...)
  void route(uint32_t r, const char *prefix, int32_t nh) {
    uint8_t f, a[16], len;
    route_parse_prefix(prefix, &f, a, &len);
    route_add(&w->routers[r].routes, f, a, len, nh);
  }
  void link(uint32_t a, uint32_t b, sim_fs latency = 50 * SIM_FS_PER_NS) {
    w->ports[a].peer = (int32_t)b, w->ports[b].peer = (int32_t)a;
    w->ports[a].link_latency = w->ports[b].link_latency = latency;
  }
  // a stream of fixed frames at `gbps` (L1) into port `in` toward dst
  uint32_t stream(const char *name, uint32_t in, const char *dst, uint32_t frame, double gbps, uint32_t esp_of = ASIC_NONE) {
    asic_flow f{};
    snprintf(f.name, sizeof f.name, "%s", name);
    f.port = in;
    f.router = w->ports[in].router;
    addr(dst, &f.family, f.dst);
    f.n_addr = 1;
    f.fkind = FRAME_FIXED;
    f.sizes[0] = (uint16_t)frame;
    f.n_sizes = 1;
    snprintf(f.frame_text, sizeof f.frame_text, "%uB", frame);
    f.rate_bps = gbps * 1e9;
    f.lookup_cycles = (uint32_t)w->routers[f.router].p.lookup_cycles;
    f.esp_of = esp_of;
    flows.push_back(f);
    return (uint32_t)flows.size() - 1;
  }
  // tunnel NAME on router r anchored on global slice `slice`: local/remote gateways, SPIs
  uint32_t tunnel(uint32_t r, const char *name, uint32_t slice, const char *local, const char *remote, uint32_t spi_out,
                  uint32_t spi_in, uint32_t mtu = 1600) {
    asic_tunnel t{};
    snprintf(t.name, sizeof t.name, "%s", name);
    snprintf(t.anchor, sizeof t.anchor, "si-0/0/0");
    snprintf(t.bind, sizeof t.bind, "st0.%u", w->n_tunnels);
    snprintf(t.where, sizeof t.where, "test.yaml:%u:5", 10 + w->n_tunnels);
    t.router = r;
    t.slice = slice;
    t.peer = ASIC_NONE;
    sa_config *c[2] = {&t.out, &t.in};
    for (int k = 0; k < 2; k++) {
      c[k]->dir = k ? SA_INBOUND : SA_OUTBOUND;
      c[k]->spi = k ? spi_in : spi_out;
      c[k]->alg = SA_AES256_GCM;
      c[k]->key_len = 32;
      sa_parse_addr(local, &c[k]->local);
      sa_parse_addr(remote, &c[k]->remote);
      c[k]->replay_window = 64;
      c[k]->tunnel_mtu = mtu;
      c[k]->df = SA_DF_COPY;
    }
    char why[256];
    if (!asic_ipsec_add_tunnel(w, &t, why, sizeof why)) err = why;
    return w->n_tunnels - 1;
  }
  bool start(sim_fs warmup = 10 * SIM_FS_PER_US, sim_fs measure = 100 * SIM_FS_PER_US) {
    w->flows = static_cast<asic_flow *>(calloc(flows.size() ? flows.size() : 1, sizeof(asic_flow)));
    for (size_t i = 0; i < flows.size(); i++) w->flows[i] = flows[i];
    w->n_flows = (uint32_t)flows.size();
    sc.seed = 1;
    sc.warmup = warmup;
    sc.measure = measure;
    snprintf(sc.path, sizeof sc.path, "test.yaml");
    char e[512];
    if (!asic_world_start(w, warmup, measure, 1, e, sizeof e)) {
      err = e;
      return false;
    }
    return true;
  }
  // runs (C driver), checks conservation, publishes
  bool run() {
    asic_sim_run_c(w);
    char msg[512];
    bool ok = asic_sim_conservation(w, msg, sizeof msg);
    if (!ok) err = msg;
    asic_report_publish(&sc);
    return ok;
  }
  double m(const char *name) const {
    double v = NAN;
    if (!asic_metric(w, name, &v)) return NAN;
    return v;
  }
  const asic_flow &flow(uint32_t i) const { return w->flows[i]; }
};

// r0 -- et-0/0/5 link -- r1; the clear stream enters r0 at et-0/0/4 (PG1 of slice 0) toward
// 10.2.0.1, routed via tunnel vpn (anchor: slice 0 of r0); r1's end (vpn-b) decrypts and sends
// the inner packet out of et-0/0/6.
struct TwoRouters : IpsecWorld {
  uint32_t t0, t1, clear;
  explicit TwoRouters(uint32_t frame = 1000, double gbps = 50, uint32_t mtu = 1600) : IpsecWorld(2) {
    t0 = tunnel(0, "vpn", w->routers[0].first_asic_slice, "16.1.1.1", "16.1.1.2", 0x100, 0x200, mtu);
    t1 = tunnel(1, "vpn-b", w->routers[1].first_asic_slice, "16.1.1.2", "16.1.1.1", 0x200, 0x100, mtu);
    route(0, "10.2.0.0/24", SLICE_NH_TUNNEL(t0));
    route(0, "16.1.1.2/32", (int32_t)port(0, "et-0/0/5"));
    route(1, "10.2.0.0/24", (int32_t)port(1, "et-0/0/6"));
    link(port(0, "et-0/0/5"), port(1, "et-0/0/5"));
    clear = stream("clear", port(0, "et-0/0/4"), "10.2.0.1", frame, gbps);
  }
};
