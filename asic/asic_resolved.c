/* config.resolved.yaml: the configuration a run used (defaults + scenario + --set), written
 * as a scenario that loads again and reproduces the same statistics, its expect: entries
 * included, every value in the largest unit a person writes that keeps it exact. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic_preset.h"
#include "asic_report.h"
#include "asic_tap.h"
#include "asic_events.h"
#include "scenario_ipsec.h"

static const char *addr_text(uint8_t family, const uint8_t *a, char *buf, size_t len) {
  return inet_ntop(family == 4 ? AF_INET : AF_INET6, a, buf, (socklen_t)len);
}

/* Largest unit in which v is a whole number (v itself exact): 20us, 50ns, 400Gbps, 16KiB. */
static const char *t_(sim_fs v, char *b, size_t n) {
  static const struct { const char *u; sim_fs f; } us[] = {
      {"s", 1000000000000000ull}, {"ms", 1000000000000ull}, {"us", 1000000000ull}, {"ns", 1000000ull}, {"ps", 1000ull}};
  for (size_t i = 0; i < sizeof us / sizeof us[0]; i++)
    if (v && v % us[i].f == 0) return snprintf(b, n, "%llu%s", (unsigned long long)(v / us[i].f), us[i].u), b;
  return snprintf(b, n, "%llufs", (unsigned long long)v), b;
}
static const char *b_(uint64_t v, char *b, size_t n) {
  if (v && v % (1ull << 20) == 0) return snprintf(b, n, "%lluMiB", (unsigned long long)(v >> 20)), b;
  if (v && v % 1024 == 0) return snprintf(b, n, "%lluKiB", (unsigned long long)(v >> 10)), b;
  return snprintf(b, n, "%lluB", (unsigned long long)v), b;
}
/* rates and frequencies (doubles): a whole multiple of a decimal unit, else the base unit */
static const char *d_(double v, const char *base, char *b, size_t n) {
  static const struct { const char *p; double f; } ps[] = {{"T", 1e12}, {"G", 1e9}, {"M", 1e6}, {"K", 1e3}};
  for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
    double q = v / ps[i].f;
    if (v > 0 && q == (double)(uint64_t)q && (double)(uint64_t)q * ps[i].f == v && q < 1e15)
      return snprintf(b, n, "%llu%s%s", (unsigned long long)q, !strcmp(base, "Hz") && i == 3 ? "k" : ps[i].p, base), b;
  }
  return snprintf(b, n, "%.17g%s", v, base), b;
}

/* shortest of %.15g / %.17g that reads back exactly */
static const char *g_(double v, char *b, size_t n) {
  snprintf(b, n, "%.15g", v);
  if (strtod(b, NULL) != v) snprintf(b, n, "%.17g", v);
  return b;
}

/* A YAML double-quoted scalar (YAML 1.2 s5.7 escapes). */
static void yaml_quoted(FILE *fp, const char *text) {
  fputc('"', fp);
  for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
    if (*c == '"' || *c == '\\') fprintf(fp, "\\%c", *c);
    else if (*c < 0x20 || *c == 0x7f) fprintf(fp, "\\x%02x", *c);
    else fputc(*c, fp);
  }
  fputc('"', fp);
}

/* The port runs below its cage's speed (an interface's `speed:`). */
static bool port_speed_reduced(const asic_world *w, const asic_router *rt, const asic_port *pt) {
  asic_port_desc d;
  asic_preset_port(&rt->plat, (uint32_t)(pt - w->ports) - rt->first_port, &d);
  return pt->rate_bps != d.rate_bps;
}

static const asic_iface *iface_of(const asic_router *rt, uint32_t port) {
  for (uint32_t k = 0; k < rt->n_ifaces; k++)
    if (rt->ifaces[k].port == port) return &rt->ifaces[k];
  return NULL;
}

static bool speed_reduced_without_iface(const asic_world *w, const asic_router *rt) {
  for (uint32_t i = 0; i < rt->n_ports; i++)
    if (port_speed_reduced(w, rt, &w->ports[rt->first_port + i]) && !iface_of(rt, rt->first_port + i)) return true;
  return false;
}

static bool same_prefix(const uint8_t *a, const uint8_t *b, unsigned len) {
  for (unsigned bit = 0; bit < len; bit++)
    if (((a[bit / 8] ^ b[bit / 8]) >> (7 - bit % 8)) & 1) return false;
  return true;
}

/* The route an interface's address installed (the loader adds it with route_add). */
static bool is_connected_route(const asic_router *rt, const route_entry *e) {
  for (uint32_t k = 0; k < rt->n_ifaces; k++) {
    const asic_iface *ifc = &rt->ifaces[k];
    uint8_t fam, addr[16], len;
    if (!ifc->address[0] || (int32_t)ifc->port != e->nexthop) continue;
    if (!route_parse_prefix(ifc->address, &fam, addr, &len)) continue;
    if (fam == e->family && len == e->len && same_prefix(addr, e->addr, len)) return true;
  }
  return false;
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

/* A parameter block walked from its table (engine: every entry, in its display unit). */
static void table_yaml(FILE *fp, const cfg_param *t, size_t n, const void *base) {
  char u[64];
  for (size_t i = 0; i < n; i++) {
    const void *v = (const char *)base + t[i].offset;
    fprintf(fp, "%s%s: ", i ? ", " : "", t[i].name);
    switch (t[i].type) {
      case CFG_T_BOOL: fputs(*(const bool *)v ? "true" : "false", fp); break;
      case CFG_T_INT: fprintf(fp, "%lld", (long long)*(const int64_t *)v); break;
      case CFG_T_UINT: fprintf(fp, "%llu", (unsigned long long)*(const uint64_t *)v); break;
      case CFG_T_DOUBLE: fputs(g_(*(const double *)v, u, sizeof u), fp); break;
      case CFG_T_RATE: fputs(d_(*(const double *)v, "bps", u, sizeof u), fp); break;
      case CFG_T_PPS: fputs(d_(*(const double *)v, "pps", u, sizeof u), fp); break;
      case CFG_T_FREQ: fputs(d_(*(const double *)v, "Hz", u, sizeof u), fp); break;
      case CFG_T_TIME: fputs(t_(*(const sim_fs *)v, u, sizeof u), fp); break;
      case CFG_T_SIZE: fputs(b_(*(const uint64_t *)v, u, sizeof u), fp); break;
      case CFG_T_PERCENT: fprintf(fp, "%s%%", g_(*(const double *)v * 100, u, sizeof u)); break;
      case CFG_T_ENUM: {
        const char *a = t[i].allowed;
        for (int k = *(const int *)v; k > 0 && a; k--) a = strchr(a, '|') ? strchr(a, '|') + 1 : NULL;
        fprintf(fp, "%.*s", a ? (int)(strchr(a, '|') ? (size_t)(strchr(a, '|') - a) : strlen(a)) : 1, a ? a : "?");
        break;
      }
      default: fputs("\"\"", fp); break; /* strings and hex: no such engine entry (never a secret) */
    }
  }
}

static const char *udp_yaml(const sa_config *c, char *b, size_t n) {
  if (c->udp == SA_UDP_NATT) return "nat-t";
  if (c->udp == SA_UDP_NONE) return "none";
  if (c->udp_dst_port == SA_MULTIPATH_DEFAULT_PORT) return "multipath";
  return snprintf(b, n, "{dst_port: %u}", c->udp_dst_port), b;
}

/* ipsec: tunnels: of router r, expanded (one entry per tunnel, no count: names, binds,
 * addresses and SPIs as the loader expanded them; routes via st0.N are under routes:).
 * Never a key: auto stays auto, other keys are in the 0600 keys file it names. */
static void tunnels_yaml(const asic_world *w, uint32_t r, FILE *fp) {
  static const char *const df[] = {"clear", "set", "copy"};
  bool any = false;
  char a[64], b[64], u[48];
  for (uint32_t i = 0; i < w->n_tunnels; i++) {
    const asic_tunnel *t = &w->tunnels[i];
    const sa_config *o = &t->out;
    if (t->router != r) continue;
    if (!any) fprintf(fp, "    ipsec:\n      tunnels:\n");
    any = true;
    sa_format_addr(&o->local, a, sizeof a);
    sa_format_addr(&o->remote, b, sizeof b);
    fprintf(fp, "        - {name: %s, anchor: %s, bind: %s, local: \"%s\", remote: \"%s\", algorithm: %s, key: %s%s, "
                "spi_out: 0x%08x, spi_in: 0x%08x,\n           esn: %s, replay_window: %u, udp_encap: %s, tunnel_mtu: %u, "
                "df_bit: %s, copy_outer_dscp: %s, lifetime_seconds: %llu, lifetime_kilobytes: %llu,\n"
                "           soft_lifetime_seconds: %llu, soft_lifetime_kilobytes: %llu, nat_detected: false, "
                "initial_seq: %llu, outer_ttl: %u, protocol: esp, mode: tunnel, ike_version: 2%s%s%s%s%s}\n",
            t->name, t->anchor, t->bind, a, b, o->alg == SA_AES128_GCM ? "aes-128-gcm" : "aes-256-gcm",
            t->key_source == ASIC_KEY_AUTO ? "auto" : "file:", t->key_source == ASIC_KEY_AUTO ? "" : SCENARIO_KEYS_FILE,
            o->spi, t->in.spi, o->esn ? "true" : "false", o->replay_window, udp_yaml(o, u, sizeof u), o->tunnel_mtu,
            df[o->df], o->copy_outer_dscp ? "true" : "false", (unsigned long long)o->lifetime_seconds,
            (unsigned long long)o->lifetime_kilobytes, (unsigned long long)o->soft_lifetime_seconds,
            (unsigned long long)o->soft_lifetime_kilobytes, (unsigned long long)o->initial_seq, o->outer_ttl,
            t->installed_later ? ", installed: false" : "", *t->ipsec_policy ? ", ipsec_policy: " : "", t->ipsec_policy,
            *t->ike_gateway ? ", ike_gateway: " : "", t->ike_gateway);
  }
}

static const char *via_name(const asic_world *w, int32_t nh) {
  return SLICE_NH_IS_TUNNEL(nh) ? w->tunnels[SLICE_NH_TUNNEL_INDEX(nh)].bind : w->ports[nh].name;
}

void asic_report_resolved(scenario *sc, FILE *fp) {
  asic_world *w = &sc->world;
  char a[64];
  fprintf(fp, "# resolved configuration of %s (defaults + scenario + --set); loads as a scenario\n", sc->path);
  char u1[48], u2[48], u3[48], u4[48], u5[48], u6[48], u7[48], u8[48];
  fprintf(fp, "version: 1\nseed: %llu\nphases: {warmup: %s, measure: %s}\nrouters:\n", (unsigned long long)sc->seed,
          t_(sc->warmup, u1, sizeof u1), t_(sc->measure, u2, sizeof u2));
  for (uint32_t r = 0; r < w->n_routers; r++) {
    const asic_router *rt = &w->routers[r];
    const asic_params *p = &rt->p;
    const char *release = rt->plat.release == RELEASE_24_2R1 ? "24.2R1" : "24.4R1";
    if (rt->plat.preset == PRESET_MX304) /* lmics, port_mode apply to MX304 only */
      fprintf(fp, "  - name: %s\n    platform: {preset: %s, lmics: %llu, port_mode: %s, release: %s}\n", rt->name,
              asic_preset_name(rt->plat.preset), (unsigned long long)rt->plat.lmics,
              rt->plat.port_mode == PORT_MODE_4X400 ? "4x400GE" : "16x100GE", release);
    else
      fprintf(fp, "  - name: %s\n    platform: {preset: %s, release: %s}\n", rt->name, asic_preset_name(rt->plat.preset),
              release);
    fprintf(fp, "    params:\n      portgroup: {pg_bw: %s, pg_in_queue: %s, pg_out_queue: %s, port_tx_queue: %s}\n",
            d_(p->pg_bw, "bps", u1, sizeof u1), b_(p->pg_in_queue, u2, sizeof u2), b_(p->pg_out_queue, u3, sizeof u3),
            b_(p->port_tx_queue, u4, sizeof u4));
    fprintf(fp, "      pfe: {slice_bw: %s, slice_in_queue: %s, slice_out_queue: %s, lookup_ppes: %llu, "
                "lookup_threads_per_ppe: %llu, lookup_clock: %s, lookup_cycles: %llu, lookup_queue: %llu}\n",
            d_(p->slice_bw, "bps", u1, sizeof u1), b_(p->slice_in_queue, u2, sizeof u2), b_(p->slice_out_queue, u3, sizeof u3),
            (unsigned long long)p->lookup_ppes, (unsigned long long)p->lookup_threads_per_ppe,
            d_(p->lookup_clock, "Hz", u4, sizeof u4), (unsigned long long)p->lookup_cycles, (unsigned long long)p->lookup_queue);
    fprintf(fp, "      fabric: {fabric_bw: %s, fabric_overhead: %lluB, fabric_latency_slice: %s, "
                "fabric_latency_asic: %s, fabric_queue: %s}\n",
            d_(p->fabric_bw, "bps", u5, sizeof u5), (unsigned long long)p->fabric_overhead,
            t_(p->fabric_latency_slice, u6, sizeof u6), t_(p->fabric_latency_asic, u7, sizeof u7),
            b_(p->fabric_queue, u8, sizeof u8));
    size_t n_eng;
    const cfg_param *eng = engine_param_table(&n_eng);
    fputs("      engine: {", fp);
    table_yaml(fp, eng, n_eng, &p->engine);
    fputs("}\n", fp);
    const asic_param_block *hb = asic_param_block_find("host");
    fputs("      host: {", fp);
    table_yaml(fp, hb->table, hb->n, &p->host);
    fputs("}\n", fp);
    tunnels_yaml(w, r, fp);
    if (rt->n_ifaces || speed_reduced_without_iface(w, rt)) fprintf(fp, "    interfaces:\n");
    for (uint32_t k = 0; k < rt->n_ifaces; k++) {
      const asic_iface *ifc = &rt->ifaces[k];
      const asic_port *pt = &w->ports[ifc->port];
      fprintf(fp, "      - {name: %s", pt->name);
      if (ifc->address[0]) fprintf(fp, ", address: \"%s\"", ifc->address);
      if (ifc->description[0]) {
        fputs(", description: ", fp);
        yaml_quoted(fp, ifc->description);
      }
      if (port_speed_reduced(w, rt, pt)) fprintf(fp, ", speed: %s", d_((double)pt->rate_bps, "bps", u1, sizeof u1));
      fputs("}\n", fp);
    }
    for (uint32_t i = 0; i < rt->n_ports; i++) { /* reduced without an entry: not from a scenario */
      const asic_port *pt = &w->ports[rt->first_port + i];
      if (port_speed_reduced(w, rt, pt) && !iface_of(rt, rt->first_port + i))
        fprintf(fp, "      - {name: %s, speed: %s}\n", pt->name, d_((double)pt->rate_bps, "bps", u1, sizeof u1));
    }
    bool any_route = false;
    for (size_t i = 0; i < rt->routes.n; i++) {
      const route_entry *e = &rt->routes.e[i];
      if (is_connected_route(rt, e)) continue; /* written above as an interface address */
      if (e->nexthop == SLICE_NH_LOCAL) continue; /* a tunnel's local gateway: from its local: */
      if (!any_route) fprintf(fp, "    routes:\n");
      any_route = true;
      fprintf(fp, "      - {prefix: \"%s/%u\", via: %s}\n", addr_text(e->family, e->addr, a, sizeof a), e->len,
              via_name(w, e->nexthop));
    }
  }
  bool any = false;
  for (uint32_t i = 0; i < w->n_ports; i++) {
    const asic_port *pt = &w->ports[i];
    if (pt->peer < (int32_t)i) continue; /* each link once */
    if (!any) fprintf(fp, "links:\n");
    any = true;
    const asic_port *q = &w->ports[pt->peer];
    fprintf(fp, "  - {a: \"%s:%s\", b: \"%s:%s\", latency: %s", w->routers[pt->router].name, pt->name,
            w->routers[q->router].name, q->name, t_(pt->link_latency, u1, sizeof u1));
    asic_taps_resolved_fault(w, i, fp);
    fputs("}\n", fp);
  }
  asic_taps_resolved_captures(w, fp);
  fprintf(fp, "traffic:\n");
  for (uint32_t i = 0; i < w->n_flows; i++) {
    const asic_flow *f = &w->flows[i];
    fprintf(fp, "  - {name: %s, router: %s, port: %s, rate: %s, frame: ", f->name, w->routers[f->router].name,
            w->ports[f->port].name, d_(f->rate_bps, "bps", u1, sizeof u1));
    frame_yaml(f, fp);
    if (f->src_given) fprintf(fp, ", src: \"%s\"", addr_text(f->family, f->src, a, sizeof a));
    fprintf(fp, ", dst: \"%s\", flows: %u, ip: ipv%u, dscp: %u, arrival: %s, burst: %u, lookup_cycles: %u, start: %s",
            addr_text(f->family, f->dst, a, sizeof a), f->n_addr, f->family, f->dscp,
            f->arrival == ARRIVAL_POISSON ? "poisson" : "cbr", f->burst, f->lookup_cycles, t_(f->start, u2, sizeof u2));
    if (f->esp_of != ASIC_NONE) fprintf(fp, ", esp_of: %s", w->tunnels[f->esp_of].name);
    fputs("}\n", fp);
  }
  asic_events_yaml(w, fp);
  static const char *const ops[] = {"approx", "eq", "ge", "gt", "le", "lt"};
  if (sc->n_expects) fprintf(fp, "expect:\n");
  for (size_t i = 0; i < sc->n_expects; i++) {
    const scenario_expect *x = &sc->expects[i];
    fprintf(fp, "  - {metric: %s, %s: ", x->metric, ops[x->op]);
    if (x->ref[0]) fprintf(fp, "%s", x->ref);
    else fprintf(fp, "%s", g_(x->value, u1, sizeof u1));
    if (x->op == EXP_APPROX) fprintf(fp, ", tol: %s%%", g_(x->tol * 100, u2, sizeof u2));
    fprintf(fp, "}\n");
  }
}
