/* Scenario keys `capture:` and `links[].fault` (asic_tap.h). */
#include <stdio.h>
#include <string.h>

#include "asic_tap.h"
#include "scenario.h"

/* A port named ROUTER:et-F/P/N (or et-F/P/N with one router), with the precise reason when
 * it is not one. */
static int32_t port_of(const cfg_node *n, const char *field, const asic_world *w, cfg_err *err) {
  const char *s = scenario_scalar(n, field, err);
  if (!s) return -1;
  const char *colon = strchr(s, ':');
  if (colon) {
    char rn[64];
    size_t l = (size_t)(colon - s);
    snprintf(rn, sizeof rn, "%.*s", (int)(l < sizeof rn ? l : sizeof rn - 1), s);
    if (asic_world_router(w, rn) < 0) {
      char list[256] = "";
      for (uint32_t r = 0, k = 0; r < w->n_routers && k < sizeof list - 40; r++)
        k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", r ? ", " : "", w->routers[r].name);
      cfg_fail(err, n, field, "no router '%s' (allowed: %s)", rn, list);
      return -1;
    }
  } else if (w->n_routers > 1) {
    cfg_fail(err, n, field, "'%s' names no router (allowed: ROUTER:et-F/P/N)", s);
    return -1;
  }
  int32_t p = asic_world_port(w, 0, s);
  if (p < 0) cfg_fail(err, n, field, "no port '%s' (allowed: ROUTER:et-F/P/N of a declared router)", s);
  return p;
}

/* A file name that stays inside --out: NAME.pcap, no folder, not hidden. */
static bool plain_pcap_name(const char *s) {
  size_t l = strlen(s);
  if (l < 6 || l >= CAPTURE_FILE_MAX || strcmp(s + l - 5, ".pcap") || s[0] == '.') return false;
  for (const char *c = s; *c; c++)
    if (*c == '/' || *c == '\\' || (unsigned char)*c < 0x20) return false;
  return true;
}

bool scenario_captures(const cfg_node *seq, asic_world *w, cfg_err *err) {
  static const char *const keys[] = {"port", "file", "direction", "max_packets", NULL};
  if (seq->kind != CFG_SEQ) return cfg_fail(err, seq, "capture", "expected a list (allowed: a list of maps)");
  for (size_t i = 0; i < seq->n; i++) {
    const cfg_node *e = seq->items[i];
    char f[64];
    snprintf(f, sizeof f, "capture[%zu]", i);
    if (!scenario_check_keys(e, f, keys, err)) return false;
    if (w->payload_mode == ASIC_PAYLOAD_NONE) /* a record is the frame's bytes */
      return cfg_fail(err, e, f, "needs payload: real (payload none carries no frame bytes)");
    asic_capture c = {0};
    snprintf(c.where, sizeof c.where, "%s:%u:%u", e->file, e->line, e->col);
    const cfg_node *pn = cfg_get(e, "port"), *fn = cfg_get(e, "file");
    snprintf(f, sizeof f, "capture[%zu].port", i);
    if (!pn) return cfg_fail(err, e, f, "missing (allowed: ROUTER:et-F/P/N)");
    int32_t port = port_of(pn, f, w, err);
    if (port < 0) return false;
    c.port = (uint32_t)port;
    snprintf(f, sizeof f, "capture[%zu].file", i);
    if (!fn) return cfg_fail(err, e, f, "missing (allowed: NAME.pcap)");
    const char *name = scenario_scalar(fn, f, err);
    if (!name) return false;
    if (!plain_pcap_name(name))
      return cfg_fail(err, fn, f, "'%s' is not a file name inside --out (allowed: NAME.pcap, no folder, not hidden)", name);
    snprintf(c.file, sizeof c.file, "%s", name);
    c.dir = SIM_WIRE_TX | SIM_WIRE_RX;
    const cfg_node *dn = cfg_get(e, "direction");
    snprintf(f, sizeof f, "capture[%zu].direction", i);
    if (dn) {
      const char *d = scenario_scalar(dn, f, err);
      if (!d) return false;
      if (!strcmp(d, "tx")) c.dir = SIM_WIRE_TX;
      else if (!strcmp(d, "rx")) c.dir = SIM_WIRE_RX;
      else if (strcmp(d, "both")) return cfg_fail(err, dn, f, "'%s' (allowed: tx, rx, both)", d);
    }
    const cfg_node *mn = cfg_get(e, "max_packets");
    snprintf(f, sizeof f, "capture[%zu].max_packets", i);
    static const cfg_param mp = {"max_packets", CFG_T_UINT, "", "0", 0, 1e15, NULL, CFG_SRC_ASSUMED,
                                 "every frame", "records written at most (0: no limit)", 0, false};
    if (mn) {
      const char *v = scenario_scalar(mn, f, err);
      char why[CFG_ERR_MAX];
      if (!v) return false;
      if (!cfg_parse_text(&mp, v, &c.max_packets, why, sizeof why)) return cfg_fail(err, mn, f, "%s", why);
    }
    char why[256];
    snprintf(f, sizeof f, "capture[%zu].file", i);
    if (!asic_capture_add(w, &c, why, sizeof why)) return cfg_fail(err, fn, f, "%s", why);
  }
  return true;
}

bool scenario_link_fault(const cfg_node *map, asic_world *w, const int32_t end[2], cfg_err *err) {
  static const cfg_param t[] = {
      {"drop_every", CFG_T_UINT, "", "0", 0, 1e15, NULL, CFG_SRC_ASSUMED, "off", "drop every Nth frame per direction (0: off)", offsetof(link_fault, drop_every), false},
      {"drop_rate", CFG_T_DOUBLE, "", "0", 0, 1, NULL, CFG_SRC_ASSUMED, "off", "probability a frame is dropped", offsetof(link_fault, drop_rate), false},
      {"corrupt_every", CFG_T_UINT, "", "0", 0, 1e15, NULL, CFG_SRC_ASSUMED, "off", "flip one bit of every Nth frame (0: off)", offsetof(link_fault, corrupt_every), false},
      {"corrupt_bit", CFG_T_INT, "", "-1", -1, 1e6, NULL, CFG_SRC_ASSUMED, "drawn", "bit flipped by corrupt_every, from the first byte's MSB (-1: drawn)", offsetof(link_fault, corrupt_bit), false},
      {"ber", CFG_T_DOUBLE, "", "0", 0, 1, NULL, CFG_SRC_ASSUMED, "off", "bit error rate on the frames' bits", offsetof(link_fault, ber), false},
      {"fcs", CFG_T_BOOL, "", "true", 1, 0, NULL, CFG_SRC_ASSUMED, "IEEE 802.3 MAC", "the receiving MAC checks the Ethernet FCS", offsetof(link_fault, fcs), false},
  };
  link_fault f;
  memset(&f, 0, sizeof f);
  if (!cfg_apply_table(map, "links.fault", t, sizeof t / sizeof t[0], NULL, &f, err)) return false;
  if (!f.drop_every && !(f.drop_rate > 0) && !f.corrupt_every && !(f.ber > 0))
    return cfg_fail(err, map, "links.fault", "no fault set (allowed: drop_every, drop_rate, corrupt_every, ber)");
  if (f.corrupt_bit >= 0 && !f.corrupt_every)
    return cfg_fail(err, cfg_get(map, "corrupt_bit"), "links.fault.corrupt_bit", "needs corrupt_every (allowed: with corrupt_every)");
  if (f.corrupt_bit >= 0 && f.corrupt_bit < 112 && !f.fcs)
    return cfg_fail(err, cfg_get(map, "corrupt_bit"), "links.fault.corrupt_bit",
                    "%lld is in the Ethernet header, which fcs: false does not model (allowed: 112 and above, the IP packet)",
                    (long long)f.corrupt_bit);
  if (w->payload_mode == ASIC_PAYLOAD_NONE && (f.corrupt_every || f.ber > 0)) {
    const char *k = f.corrupt_every ? "corrupt_every" : "ber";
    char fld[64];
    snprintf(fld, sizeof fld, "links.fault.%s", k);
    return cfg_fail(err, cfg_get(map, k), fld, "changes frame bytes: needs payload: real (allowed with payload none: drop_every, drop_rate)");
  }
  snprintf(f.where, sizeof f.where, "%s:%u:%u", map->file, map->line, map->col);
  for (int k = 0; k < 2; k++)
    if (!asic_link_fault_set(w, (uint32_t)end[k], &f)) return cfg_fail(err, map, "links.fault", "out of memory");
  return true;
}
