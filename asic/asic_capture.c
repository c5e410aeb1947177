/* Packet captures on port wires (asic_tap.h): nanosecond pcap files of the real frame bytes,
 * written under --out through out_file (temporary, renamed when the run is done). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic_bytes.h"
#include "asic_sim.h"
#include "asic_tap.h"
#include "model/pcap_io.h"

static asic_taps *taps_of(asic_world *w) {
  if (!w->taps) w->taps = calloc(1, sizeof *w->taps);
  return w->taps;
}

bool asic_capture_add(asic_world *w, const asic_capture *c, char *err, size_t errlen) {
  asic_taps *t = taps_of(w);
  if (!t) return snprintf(err, errlen, "out of memory"), false;
  for (uint32_t i = 0; i < t->n_caps; i++)
    if (!strcmp(t->caps[i].file, c->file)) {
      snprintf(err, errlen, "duplicate file '%s' (also at %s) (allowed: one capture per file)", c->file,
               t->caps[i].where);
      return false;
    }
  if (t->n_caps == t->cap_caps) {
    uint32_t cap = t->cap_caps ? 2 * t->cap_caps : 4;
    asic_capture *n = realloc(t->caps, cap * sizeof *n);
    if (!n) return snprintf(err, errlen, "out of memory"), false;
    t->caps = n;
    t->cap_caps = cap;
  }
  t->caps[t->n_caps] = *c;
  t->caps[t->n_caps].pw = NULL;
  t->caps[t->n_caps].written = 0;
  memset(&t->caps[t->n_caps].out, 0, sizeof t->caps[t->n_caps].out);
  t->n_caps++;
  w->ports[c->port].tap |= (uint8_t)c->dir;
  return true;
}

uint32_t asic_capture_count(const asic_world *w) { return w->taps ? w->taps->n_caps : 0; }

bool asic_capture_open(asic_world *w, const char *dir, const out_role *ins, size_t n_ins, char *err, size_t errlen) {
  asic_taps *t = w->taps;
  if (!t || !t->n_caps) return true;
  /* each capture against the inputs and the captures before it: the message names its entry */
  out_role *roles = calloc(n_ins + t->n_caps, sizeof *roles);
  if (!roles) return snprintf(err, errlen, "out of memory"), false;
  memcpy(roles, ins, n_ins * sizeof *ins);
  bool ok = true;
  for (uint32_t i = 0; ok && i < t->n_caps; i++) {
    asic_capture *c = &t->caps[i];
    char path[OUT_PATH_MAX], why[2 * OUT_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, c->file);
    const out_role me = {"capture", path};
    if (!out_check_distinct(&me, 1, roles, n_ins + i, why, sizeof why)) {
      snprintf(err, errlen, "%s: capture[%u].file: %s", c->where, i, why);
      ok = false;
    } else if (!out_begin(&c->out, path, OUT_MODE_NORMAL, err, errlen)) {
      ok = false;
    } else {
      roles[n_ins + i] = (out_role){"capture", c->out.path};
      out_release_stream(&c->out);
      pcapio_err pe;
      c->pw = pcapio_open_write(c->out.write_path, PCAPIO_LINK_ETHERNET, true, 0, &pe);
      if (!c->pw) {
        out_fix_message(&c->out, pe.msg, sizeof pe.msg, 0);
        snprintf(err, errlen, "%s", pe.msg);
        ok = false;
      }
    }
  }
  free(roles);
  if (!ok) asic_capture_abort(w);
  return ok;
}

void asic_capture_frame(asic_world *w, uint32_t port, uint32_t dir, sim_fs t_first, const sim_pkt *pkt) {
  asic_taps *t = w->taps;
  for (uint32_t i = 0; i < t->n_caps; i++) {
    asic_capture *c = &t->caps[i];
    if (c->port != port || !(c->dir & dir) || !c->pw) continue;
    if (c->max_packets && c->written >= c->max_packets) continue;
    uint32_t len = 0;
    const uint8_t *b = asic_pkt_bytes(w, pkt, &len);
    if (!b) { /* the loader refuses captures without real bytes: this is a model fault */
      if (!t->err[0]) snprintf(t->err, sizeof t->err, "%.400s: frame %llu has no bytes", c->out.path,
                               (unsigned long long)pkt->pid);
      continue;
    }
    pcapio_err pe;
    if (!pcapio_write(c->pw, b, len, len, t_first / SIM_FS_PER_NS, &pe) && !t->err[0]) {
      out_fix_message(&c->out, pe.msg, sizeof pe.msg, 0);
      snprintf(t->err, sizeof t->err, "%s", pe.msg);
    }
    c->written++;
  }
}

bool asic_capture_commit(asic_world *w, char *err, size_t errlen) {
  asic_taps *t = w->taps;
  if (!t) return true;
  bool ok = !t->err[0];
  if (!ok) snprintf(err, errlen, "%s", t->err);
  for (uint32_t i = 0; i < t->n_caps; i++) {
    asic_capture *c = &t->caps[i];
    if (!c->pw) continue;
    pcapio_err pe;
    bool closed = pcapio_close_write(c->pw, &pe);
    c->pw = NULL;
    if (ok && !closed) {
      out_fix_message(&c->out, pe.msg, sizeof pe.msg, 0);
      snprintf(err, errlen, "%s", pe.msg);
      ok = false;
    }
    if (ok) ok = out_commit(&c->out, err, errlen);
    else out_abort(&c->out);
  }
  if (!ok) asic_capture_abort(w);
  return ok;
}

void asic_capture_abort(asic_world *w) {
  asic_taps *t = w->taps;
  for (uint32_t i = 0; t && i < t->n_caps; i++) {
    pcapio_err pe;
    if (t->caps[i].pw) pcapio_close_write(t->caps[i].pw, &pe);
    t->caps[i].pw = NULL;
    out_abort(&t->caps[i].out);
  }
}

void asic_taps_free(asic_world *w) {
  if (!w->taps) return;
  asic_capture_abort(w);
  free(w->taps->caps);
  free(w->taps->faults);
  free(w->taps->has_fault);
  free(w->taps);
  w->taps = NULL;
}

/* ---- the world's wire service (model/sim_world.h) ---- */

bool sim_world_wire(asic_world *w, uint32_t port, uint32_t dir, sim_fs t, const sim_pkt *pkt) {
  const asic_port *pt = &w->ports[port];
  link_verdict v = LINK_PASS;
  if (dir == SIM_WIRE_RX) {
    /* faults only on frames that crossed a link (a source's frame has taken no hop) */
    if (pkt->hops && w->taps->has_fault && w->taps->has_fault[port]) v = asic_link_fault_rx(w, port, pkt);
    if (v == LINK_LOST) return sim_world_drop(w, pkt, DROP_LINK, t), false;
  }
  if (w->taps->n_caps) /* rx: the frame as it arrives, corrupted or not; its first bit */
    asic_capture_frame(w, port, dir, dir == SIM_WIRE_RX ? t - sim_ser_fs(pkt->bytes + SIM_ETH_PREAMBLE_SFD, pt->rate_bps) : t, pkt);
  if (v == LINK_FCS_BAD) return sim_world_drop(w, pkt, DROP_FCS, t), false;
  return true;
}

/* ---- config.resolved.yaml (asic_resolved.c) ---- */

void asic_taps_resolved_fault(const asic_world *w, uint32_t port, FILE *fp) {
  const asic_taps *t = w->taps;
  if (!t || !t->has_fault || !t->has_fault[port]) return;
  const link_fault *f = &t->faults[port];
  fprintf(fp, ", fault: {drop_every: %llu, drop_rate: %.17g, corrupt_every: %llu, corrupt_bit: %lld, ber: %.17g, fcs: %s}",
          (unsigned long long)f->drop_every, f->drop_rate, (unsigned long long)f->corrupt_every,
          (long long)f->corrupt_bit, f->ber, f->fcs ? "true" : "false");
}

void asic_taps_resolved_captures(const asic_world *w, FILE *fp) {
  const asic_taps *t = w->taps;
  static const char *const dirs[] = {"", "tx", "rx", "both"};
  for (uint32_t i = 0; t && i < t->n_caps; i++) {
    const asic_capture *c = &t->caps[i];
    if (!i) fprintf(fp, "capture:\n");
    fprintf(fp, "  - {port: \"%s:%s\", file: \"%s\", direction: %s, max_packets: %llu}\n",
            w->routers[w->ports[c->port].router].name, w->ports[c->port].name, c->file, dirs[c->dir & 3],
            (unsigned long long)c->max_packets);
  }
}
