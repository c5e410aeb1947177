/* Link faults at the receiving end of a link (asic_tap.h): drops, bit corruption of the real
 * frame bytes, and the receiving MAC's FCS check. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic_analytic.h"
#include "asic_sim.h"
#include "asic_tap.h"
#include "asic_bytes.h"

/* one rng stream per receiving port, apart from the sources' streams (flow indices) */
#define LINK_FAULT_STREAM 0x4C494E4B00000000ull
#define ETH_HDR_BYTES 14u /* destination, source, EtherType */

/* The links own their fault drops (lost on the link, failed FCS at the receiving MAC),
 * counted by the faults themselves for the conservation census. */
static void link_fault_census(const asic_world *w, void *ctx, uint32_t i, sim_fs t, uint64_t *held, uint64_t *drops) {
  (void)ctx, (void)i, (void)t, (void)held;
  for (uint32_t p = 0; p < w->n_ports; p++)
    if (w->taps->has_fault[p]) *drops += w->taps->faults[p].dropped + w->taps->faults[p].fcs_errors;
}

bool asic_link_fault_set(asic_world *w, uint32_t port, const link_fault *f) {
  if (!w->taps) w->taps = calloc(1, sizeof *w->taps);
  asic_taps *t = w->taps;
  if (!t) return false;
  if (!t->faults) {
    t->faults = calloc(w->n_ports, sizeof *t->faults);
    t->has_fault = calloc(w->n_ports, sizeof *t->has_fault);
    if (!t->faults || !t->has_fault) return false;
    asic_res r = {.kind = RES_HOLDER, .census = link_fault_census};
    snprintf(r.name, sizeof r.name, "world.link_faults");
    if (!asic_registry_add(w, &r)) return false;
  }
  t->faults[port] = *f;
  t->has_fault[port] = true;
  w->ports[port].tap |= SIM_WIRE_RX;
  return true;
}

bool asic_link_fault_corrupts(const asic_world *w, const char **where) {
  const asic_taps *t = w->taps;
  for (uint32_t p = 0; t && t->faults && p < w->n_ports; p++)
    if (t->has_fault[p] && (t->faults[p].corrupt_every || t->faults[p].ber > 0)) {
      if (where) *where = t->faults[p].where;
      return true;
    }
  return false;
}

uint32_t asic_eth_crc32(const uint8_t *p, size_t n) {
  /* reflected polynomial 0xEDB88320, initial and final XOR all ones (IEEE 802.3 s3.2.9) */
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

/* Bits until the next bit error of a stream with bit error rate ber (geometric). */
static uint64_t next_gap(sim_rng *r, double ber) {
  if (ber >= 1) return 0;
  double g = floor(log(sim_rng_unit(r)) / log1p(-ber));
  return g >= 1e18 ? (uint64_t)1e18 : (uint64_t)g;
}

/* Bit k of the frame counts from the first byte's most significant bit; bits past the data
 * are the FCS (4 bytes, sent after it). */
static void flip(uint8_t *data, uint32_t len, uint8_t fcs[4], uint64_t k) {
  uint8_t *b = k < 8ull * len ? &data[k / 8] : &fcs[k / 8 - len];
  *b ^= (uint8_t)(0x80u >> (k % 8));
}

link_verdict asic_link_fault_rx(asic_world *w, uint32_t port, const sim_pkt *pkt) {
  link_fault *f = &w->taps->faults[port];
  if (!f->seeded) {
    sim_rng_seed(&f->rng, w->seed, LINK_FAULT_STREAM + port);
    f->seeded = true;
    if (f->ber > 0) f->bits_to_error = next_gap(&f->rng, f->ber);
  }
  const uint64_t n = ++f->frames;
  if ((f->drop_every && n % f->drop_every == 0) || (f->drop_rate > 0 && sim_rng_unit(&f->rng) < f->drop_rate)) {
    f->dropped++;
    return LINK_LOST;
  }
  const bool every = f->corrupt_every && n % f->corrupt_every == 0;
  if (!every && !(f->ber > 0)) return LINK_PASS;
  uint32_t len = 0;
  uint8_t *data = asic_pkt_bytes_mut(w, pkt, &len);
  /* fcs: the frame's bits and its FCS, as on the wire; no fcs: the bits past the Ethernet
   * header only (the receiving MAC's address filter and the egress L2 rewrite are not
   * modelled, so a changed MAC header would be neither caught nor repaired) */
  const uint64_t first = f->fcs ? 0 : 8ull * ETH_HDR_BYTES;
  const uint64_t end = f->fcs ? 8ull * ((uint64_t)len + 4) : 8ull * len;
  if (!data || end <= first) { /* payload none is refused at load: the ber stream moves on */
    if (f->ber > 0) f->bits_to_error = f->bits_to_error > 8ull * len ? f->bits_to_error - 8ull * len : 0;
    return LINK_PASS;
  }
  uint8_t fcs[4];
  const uint32_t crc = asic_eth_crc32(data, len); /* as the sender appended it, least significant byte first */
  for (int i = 0; i < 4; i++) fcs[i] = (uint8_t)(crc >> (8 * i));
  bool data_hit = false, fcs_hit = false;
  if (every) {
    const uint64_t data_bits = 8ull * len;
    uint64_t k = f->corrupt_bit >= 0 ? (uint64_t)f->corrupt_bit % data_bits : sim_rng_range(&f->rng, first, data_bits - 1);
    flip(data, len, fcs, k);
    data_hit = true;
  }
  if (f->ber > 0) {
    uint64_t k = f->bits_to_error;
    for (; k < end - first; k += 1 + next_gap(&f->rng, f->ber)) {
      flip(data, len, fcs, first + k);
      if (first + k < 8ull * len) data_hit = true;
      else fcs_hit = true;
    }
    f->bits_to_error = k - (end - first);
  }
  if (!f->fcs) { /* nobody checks the FCS: only changed data bytes matter downstream */
    if (data_hit) f->corrupted++;
    return LINK_PASS;
  }
  if (!data_hit && !fcs_hit) return LINK_PASS;
  f->corrupted++;
  uint32_t got = (uint32_t)fcs[0] | (uint32_t)fcs[1] << 8 | (uint32_t)fcs[2] << 16 | (uint32_t)fcs[3] << 24;
  if (asic_eth_crc32(data, len) != got) {
    f->fcs_errors++;
    return LINK_FCS_BAD;
  }
  return LINK_PASS; /* a pattern the CRC-32 misses (probability about 2^-32) */
}

/* Whole-run counters of each faulted link end: link.ROUTER.PORT.rx_fault_dropped (lost on the
 * link), rx_fault_corrupted (frames with a changed bit: data, or the FCS when it is checked),
 * rx_fcs_errors (dropped by the MAC's FCS check). */
void asic_link_fault_publish(asic_world *w, stats_registry *r) {
  const asic_taps *t = w->taps;
  for (uint32_t p = 0; t && t->faults && p < w->n_ports; p++) {
    if (!t->has_fault[p]) continue;
    const link_fault *f = &t->faults[p];
    const char *rn = w->routers[w->ports[p].router].name, *pn = w->ports[p].name;
    const struct { const char *name, *desc; uint64_t v; } c[] = {
        {"rx_fault_dropped", "frames the link's fault dropped (whole run)", f->dropped},
        {"rx_fault_corrupted", "frames the link's fault corrupted (whole run)", f->corrupted},
        {"rx_fcs_errors", "corrupted frames the MAC dropped on their FCS (whole run)", f->fcs_errors}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
      char name[160];
      snprintf(name, sizeof name, "link.%s.%s.%s", rn, pn, c[i].name);
      stats_counter *k = stats_counter_add(r, name, "frames", c[i].desc);
      if (k) *k = c[i].v;
    }
  }
}
