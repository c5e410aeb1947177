/* Real packet bytes (asic_bytes.h): the sources' frames, the lookup's L3 forwarding (TTL / hop
 * limit, RFC 1624 checksum update), the sinks' byte check, the end of a buffer's life. */
#include "asic_bytes.h"

#include <stdio.h>
#include <string.h>

#include "asic_sim.h"
#include "ipsec_engine/esp_frag.h"
#include "model/checksum.h"
#include "model/pkt_udp.h"

#define ETH_HDR 14u
#define FCS 4u
#define GEN_TTL 64u /* TTL / hop limit of every generated frame */
#define PROTO_UDP 17u
#define PROTO_EXPERIMENT 253u /* RFC 3692: an IPv6 frame too short for a UDP header */

const uint8_t *asic_pkt_bytes(const asic_world *w, const sim_pkt *p, uint32_t *len) {
  if (w->payload_mode != ASIC_PAYLOAD_REAL || p->payload == SIM_PAYLOAD_NONE) {
    if (len) *len = 0;
    return NULL;
  }
  if (len) *len = w->bytes.len[p->payload];
  return asic_bytes_buf(&w->bytes, p->payload);
}

uint8_t *asic_pkt_bytes_mut(asic_world *w, const sim_pkt *p, uint32_t *len) {
  return (uint8_t *)asic_pkt_bytes(w, p, len);
}

/* Payload pattern byte j of packet pid (after the 8-byte pid), pattern(pid, j) =
 * (29 j + c) mod 256 with c = 0x9D pid + 7 (pid >> 20): independent of the frame length, so a
 * fragment's bytes are checked at their offset; written by one copy from the pool's table. */

/* The frame packet pid of flow f would carry when sent: frame bytes (with FCS), the
 * destination from route key `dst_key`, into out (frame - 4 bytes). Returns the byte count. */
static uint32_t gen_frame(const asic_world *w, const asic_flow *f, uint32_t fi, uint64_t pid, uint32_t dst_key,
                          uint32_t frame, uint8_t *out) {
  const asic_route_key *k = &w->keys[dst_key];
  const bool v6 = k->family == 6;
  const uint32_t n = frame - FCS, ip = frame - ETH_HDR - FCS;
  static const uint8_t dmac[6] = {0x02, 0, 0, 0, 0, 0x01};
  memcpy(out, dmac, 6);
  out[6] = 0x02, out[7] = 0, out[8] = 0, out[9] = 0, out[10] = (uint8_t)(fi >> 8), out[11] = (uint8_t)fi;
  pkt_wr16(out + 12, v6 ? 0x86DDu : 0x0800u);
  uint8_t *h = out + ETH_HDR;
  uint32_t l4;
  if (v6) {
    const uint32_t label = (fi * 2654435761u) & 0xFFFFFu;
    pkt_wr32(h, 0x60000000u | (f->dscp & 63u) << 22 | label);
    pkt_wr16(h + 4, (uint16_t)(ip - 40u));
    h[6] = ip >= 48u ? PROTO_UDP : PROTO_EXPERIMENT;
    h[7] = GEN_TTL;
    memcpy(h + 8, f->src, 16);
    memcpy(h + 24, k->addr, 16);
    l4 = 40;
  } else {
    h[0] = 0x45, h[1] = (uint8_t)((f->dscp & 63u) << 2);
    pkt_wr16(h + 2, (uint16_t)ip);
    pkt_wr16(h + 4, (uint16_t)(pid >> 20)); /* identification: the flow's packet number */
    pkt_wr16(h + 6, 0);
    h[8] = GEN_TTL, h[9] = PROTO_UDP;
    pkt_wr16(h + 10, 0);
    memcpy(h + 12, f->src, 4);
    memcpy(h + 16, k->addr, 4);
    pkt_wr16(h + 10, csum_compute(h, 20));
    l4 = 20;
  }
  uint8_t *u = h + l4;
  uint32_t data = l4, j = 0;
  const bool udp = !v6 || ip >= 48u;
  if (udp) {
    pkt_wr16(u, f->sport);
    pkt_wr16(u + 2, f->dport);
    pkt_wr16(u + 4, (uint16_t)(ip - l4));
    pkt_wr16(u + 6, 0);
    data += 8;
  }
  for (; data < ip && j < 8; data++, j++) h[data] = (uint8_t)(pid >> (56 - 8 * j));
  if (data < ip) { /* pattern(pid, j) = 29 (j + m) mod 256 with m = 53 c (29 x 53 = 1 mod 256) */
    const uint32_t c = (uint32_t)pid * 0x9Du + (uint32_t)(pid >> 20) * 7u;
    memcpy(h + data, w->bytes.pattern + ((j + c * 53u) & 255u), ip - data);
  }
  if (udp && v6) { /* mandatory over IPv6 (RFC 8200 s8.1); 0 over IPv4 (RFC 768) */
    uint16_t c = pkt_udp_checksum_v6(h + 8, h + 24, u, ip - l4);
    pkt_wr16(u + 6, c ? c : 0xFFFFu);
  }
  return n;
}

uint32_t asic_bytes_source(asic_world *w, uint32_t fi, const sim_pkt *p) {
  uint32_t h = asic_bytes_alloc(&w->bytes);
  if (h == SIM_PAYLOAD_NONE) return h;
  w->bytes.len[h] = gen_frame(w, &w->flows[fi], fi, p->pid, p->route_key, p->bytes, asic_bytes_buf(&w->bytes, h));
  return h;
}

void asic_bytes_forward_l3(asic_world *w, const sim_pkt *p) {
  uint32_t n;
  uint8_t *b = asic_pkt_bytes_mut(w, p, &n);
  if (!b || n < ETH_HDR + 40u) return;
  uint8_t *h = b + ETH_HDR;
  const uint16_t et = pkt_rd16(b + 12);
  if (et == 0x86DDu) {
    if (h[7] > 1) h[7]--;
  } else if (et == 0x0800u && h[8] > 1) { /* RFC 1624 eqn. 3 on the TTL/protocol word */
    const uint16_t old = pkt_rd16(h + 8);
    h[8]--;
    pkt_wr16(h + 10, csum_update16(pkt_rd16(h + 10), old, pkt_rd16(h + 8)));
  }
}

/* ---- start, the sink's check, the end of a buffer's life ---- */

/* Largest frame a stream of the world can offer (the engine's output adds ESP_MAX_OVERHEAD). */
static uint32_t max_frame(const asic_world *w) {
  uint32_t m = 64;
  for (uint32_t fi = 0; fi < w->n_flows; fi++) {
    const asic_flow *f = &w->flows[fi];
    if (f->fkind == FRAME_UNIFORM && f->hi > m) m = f->hi;
    for (uint32_t i = 0; f->fkind != FRAME_UNIFORM && i < f->n_sizes; i++)
      if (f->sizes[i] > m) m = f->sizes[i];
  }
  return m;
}

bool asic_bytes_flow_counters(asic_world *w, uint32_t fi) {
  asic_flow *f = &w->flows[fi];
  char name[128];
  snprintf(name, sizeof name, "flow.%s.payload_checked", f->name);
  f->payload_checked = stats_counter_add(w->stats, name, "packets",
                                         "delivered packets whose bytes the sink compared (payload real, window)");
  snprintf(name, sizeof name, "flow.%s.payload_mismatch", f->name);
  f->payload_mismatch = stats_counter_add(w->stats, name, "packets",
                                          "delivered packets whose bytes differ from the ones sent (window)");
  return f->payload_checked && f->payload_mismatch;
}

bool asic_bytes_start(asic_world *w, char *err, size_t errlen) {
  for (uint32_t fi = 0; fi < w->n_flows; fi++) {
    asic_flow *f = &w->flows[fi];
    f->tot_checked = f->tot_mismatch = 0;
    /* source address: traffic[].src, else one per stream from the RFC 2544 / RFC 5180
     * benchmarking ranges */
    if (!f->src_given) {
      memset(f->src, 0, sizeof f->src);
      if (f->family == 6) {
        static const uint8_t pfx[6] = {0x20, 0x01, 0x00, 0x02, 0x00, 0x00}; /* 2001:2::/48 */
        memcpy(f->src, pfx, 6);
        pkt_wr32(f->src + 12, fi + 1);
      } else {
        pkt_wr32(f->src, 0xC6120000u + fi + 1); /* 198.18.0.0/15 */
      }
    }
    sim_rng r;
    sim_rng_seed(&r, w->seed, ((uint64_t)fi + 1) << 40); /* apart from the timing streams */
    f->sport = (uint16_t)sim_rng_range(&r, 1024, 65535);
    f->dport = (uint16_t)sim_rng_range(&r, 1024, 65535);
  }
  if (w->payload_mode != ASIC_PAYLOAD_REAL) return true;
  if (!asic_bytes_pool_init(&w->bytes, max_frame(w) + ESP_MAX_OVERHEAD + 64u))
    return snprintf(err, errlen, "out of memory"), false;
  return true;
}

/* IPv4 fragment fields: offset in bytes, more fragments. */
static bool v4_fragment(const uint8_t *h, uint32_t *off, bool *mf) {
  const uint16_t fo = pkt_rd16(h + 6);
  *off = (uint32_t)(fo & 0x1FFFu) * 8u;
  *mf = (fo & 0x2000u) != 0;
  return *off || *mf;
}

/* The flow's frame size of its packet number k when the size does not depend on a draw. */
static uint32_t known_size(const asic_flow *f, uint64_t k) {
  if (f->fkind == FRAME_FIXED) return f->sizes[0];
  if (f->fkind == FRAME_LIST) return f->sizes[k % f->n_sizes];
  return 0;
}

/* An IPv4 fragment (pre-fragmentation before ESP) of packet pid: checked at its offset
 * against the original, its header but for length, fragment fields and checksum (which must
 * verify). The TTL is ttl. */
static bool fragment_match(const asic_world *w, const sim_pkt *p, uint64_t pid, uint8_t ttl, const uint8_t *b,
                           uint32_t n, uint32_t off, uint8_t *exp, size_t cap) {
  const asic_flow *f = &w->flows[p->flow];
  const uint8_t *h = b + ETH_HDR;
  uint32_t orig = f->esp_of < w->n_tunnels ? 0 : known_size(f, pid >> 20);
  const uint32_t flen = pkt_rd16(h + 2);
  if (flen < 20u || flen + ETH_HDR != n) return false;
  const uint32_t need = ETH_HDR + 20u + off + (flen - 20u) + FCS;
  const bool len_known = orig != 0;
  if (!orig) orig = need; /* size drawn: the pattern does not depend on it, the UDP length does */
  if (need > orig || orig > cap) return false;
  gen_frame(w, f, p->flow, pid, p->route_key, orig, exp);
  if (memcmp(b, exp, ETH_HDR) || memcmp(h + 4, exp + ETH_HDR + 4, 2) || h[8] != ttl ||
      memcmp(h + 9, exp + ETH_HDR + 9, 1) || memcmp(h + 12, exp + ETH_HDR + 12, 8) || csum_compute(h, 20) != 0)
    return false;
  const uint8_t *ed = exp + ETH_HDR + 20 + off, *gd = h + 20;
  uint32_t len = flen - 20u;
  if (off == 0 && !len_known) { /* the UDP length of a size not known here: not compared */
    if (len < 8 || memcmp(gd, ed, 4) || memcmp(gd + 6, ed + 6, 2)) return false;
    gd += 8, ed += 8, len -= 8;
  }
  return !memcmp(gd, ed, len);
}

/* Compares a delivered clear frame with the one its source sent, every lookup on the way
 * accounted for: the TTL / hop limit is GEN_TTL - (hops + 1) (one lookup per router crossed;
 * a router that only forwards the ESP would need its own term: none in the shipped scenarios).
 * A fragment an engine made carries pid | i << 56; one an `esp_of` peer made is the i-th ESP
 * packet after the datagram's first (pid - i << 20), i found by trying. */
static bool bytes_match(const asic_world *w, const sim_pkt *p, const uint8_t *b, uint32_t n) {
  const asic_flow *f = &w->flows[p->flow];
  uint8_t exp[10000];
  const uint64_t pid = p->pid & ((1ull << 56) - 1);
  const uint8_t ttl = (uint8_t)(GEN_TTL - (p->hops + 1u));
  if (n < ETH_HDR + 20u || p->route_key >= w->n_keys) return false;
  const uint8_t *h = b + ETH_HDR;
  uint32_t off = 0;
  bool mf = false;
  if (w->keys[p->route_key].family == 4 && pkt_rd16(b + 12) == 0x0800u && v4_fragment(h, &off, &mf)) {
    if (f->esp_of >= w->n_tunnels || off == 0) return fragment_match(w, p, pid, ttl, b, n, off, exp, sizeof exp);
    for (uint64_t i = 1; i < ESP_BURST_MAX && (i << 20) <= pid; i++)
      if (fragment_match(w, p, pid - (i << 20), ttl, b, n, off, exp, sizeof exp)) return true;
    return false;
  }
  if (p->bytes - FCS != n || p->bytes > sizeof exp) return false;
  gen_frame(w, f, p->flow, pid, p->route_key, p->bytes, exp);
  uint8_t *eh = exp + ETH_HDR;
  if (w->keys[p->route_key].family == 6) {
    eh[7] = ttl;
  } else {
    const uint16_t old = pkt_rd16(eh + 8);
    eh[8] = ttl;
    pkt_wr16(eh + 10, csum_update16(pkt_rd16(eh + 10), old, pkt_rd16(eh + 8)));
  }
  return !memcmp(b, exp, n);
}

void asic_bytes_deliver(asic_world *w, const sim_pkt *p, bool in_window) {
  uint32_t n;
  const uint8_t *b = asic_pkt_bytes(w, p, &n);
  if (!b) return;
  if (p->spi == 0) { /* a clear frame: checked; ESP leaving the model is no stream's frame */
    asic_flow *f = &w->flows[p->flow];
    const bool ok = bytes_match(w, p, b, n);
    f->tot_checked++;
    f->tot_mismatch += !ok;
    if (in_window) {
      (*f->payload_checked)++;
      if (!ok) (*f->payload_mismatch)++;
    }
  }
  asic_bytes_release(&w->bytes, p->payload);
}

void asic_bytes_drop(asic_world *w, const sim_pkt *p) {
  if (p->payload != SIM_PAYLOAD_NONE && w->payload_mode == ASIC_PAYLOAD_REAL) asic_bytes_release(&w->bytes, p->payload);
}
