/* The byte path of the IPsec engines (asic_ipsec_bytes.h). */
#include "asic_ipsec_bytes_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic_events.h"
#include "asic_ipsec_rt.h"

#define ETH_HDR 14u

static uint64_t now_ns(sim_fs t) { return (uint64_t)(t / 1000000u); }

static uint32_t *link_of(asic_world *w, uint32_t h) {
  asic_ipsec_bytes *b = w->ipsec_bytes;
  if (h >= b->n_link) {
    uint32_t n = b->n_link ? b->n_link : 1024;
    while (n <= h) n *= 2;
    uint32_t *l = realloc(b->link, (size_t)n * sizeof *l);
    if (!l) abort(); /* nothing sensible is left to simulate */
    b->link = l;
    b->n_link = n;
  }
  return &b->link[h];
}

/* A chain of buffers holding the n packets of a burst, each behind a copy of eth's addresses. */
static uint32_t chain_burst(asic_world *w, const uint8_t *eth, const uint8_t *base, const size_t *off,
                            const size_t *len, size_t n) {
  uint32_t head = SIM_PAYLOAD_NONE, *tail = &head;
  for (size_t i = 0; i < n; i++) {
    if (len[i] + ETH_HDR > w->bytes.buf_size) break;
    uint32_t h = asic_bytes_alloc(&w->bytes);
    if (h == SIM_PAYLOAD_NONE) break;
    uint8_t *d = asic_bytes_buf(&w->bytes, h);
    memcpy(d, eth, 12);
    pkt_wr16(d + 12, (base[off[i]] >> 4) == 6 ? 0x86DDu : 0x0800u);
    memcpy(d + ETH_HDR, base + off[i], len[i]);
    w->bytes.len[h] = (uint32_t)(len[i] + ETH_HDR);
    *link_of(w, h) = SIM_PAYLOAD_NONE;
    *tail = h;
    tail = link_of(w, h);
  }
  return head;
}

static void chain_free(void *ctx, uint32_t head) {
  asic_world *w = ctx;
  while (head != SIM_PAYLOAD_NONE) {
    uint32_t next = *link_of(w, head);
    asic_bytes_release(&w->bytes, head);
    head = next;
  }
}

static uint32_t chain_take(void *ctx, uint32_t head, uint32_t i) {
  asic_world *w = ctx;
  while (i-- && head != SIM_PAYLOAD_NONE) head = *link_of(w, head);
  return head;
}

size_t asic_bytes_esp_offset(const uint8_t *ip, size_t n) {
  size_t at;
  uint8_t proto;
  if (n >= 20 && ip[0] >> 4 == 4) at = (size_t)(ip[0] & 15u) * 4, proto = ip[9];
  else if (n >= 40 && ip[0] >> 4 == 6) at = 40, proto = ip[6];
  else return 0;
  if (proto == 17) at += 8; /* RFC 3948 UDP encapsulation */
  return at + 8 <= n ? at : 0;
}

/* The sequence number of an ESP packet's header (low 32 bits) and its SPI, 0 when it has none. */
static uint32_t esp_seq_of(const uint8_t *ip, size_t n, uint32_t *spi) {
  const size_t at = asic_bytes_esp_offset(ip, n);
  *spi = at ? pkt_rd32(ip + at) : 0;
  return at ? pkt_rd32(ip + at + 4) : 0;
}

/* The texts' buffer of the GCM inputs (co-simulation only), made at its first use. */
static bool gcm_room(asic_ipsec_bytes *b) {
  if (!b->gcm_text) b->gcm_text = malloc(ESP_BURST_OUT_CAP);
  return b->gcm_text != NULL;
}

static void transform(void *ctx, uint32_t tunnel, engine_dir dir, const sim_pkt *in, sim_fs t, engine_pg_bytes *r) {
  asic_world *w = ctx;
  asic_ipsec_bytes *b = w->ipsec_bytes;
  uint32_t n;
  const uint8_t *f = asic_pkt_bytes(w, in, &n);
  r->head = SIM_PAYLOAD_NONE;
  if (!f || n < ETH_HDR || tunnel >= b->n_sa) {
    r->icv_ok = false;
    r->reason = ESP_R_OUTER_MALFORMED;
    if (f) asic_bytes_release(&w->bytes, in->payload);
    return;
  }
  if (dir == ENGINE_ENCRYPT) {
    sa_db *rdb = &b->db[w->tunnels[w->ipsec->stats_tunnel[tunnel]].router], *db = b->out_db[tunnel];
    if (db != rdb) db->icmp = rdb->icmp; /* one ICMP too-big limiter per router */
    esp_burst burst;
    r->reason = esp_encrypt_burst_on(db, b->out_sa[tunnel], f + ETH_HDR, n - ETH_HDR, now_ns(t), b->scratch,
                                     ESP_BURST_OUT_CAP, b->host, sizeof b->host, &burst, NULL);
    if (db != rdb) rdb->icmp = db->icmp;
    if (r->reason == ESP_R_OK) r->head = chain_burst(w, f, b->scratch, burst.off, burst.len, burst.n);
    if (r->reason == ESP_R_OK && r->want_gcm && gcm_room(b) && burst.n <= ENGINE_GCM_INPUTS_MAX) {
      const sa *s = b->out_sa[tunnel]; /* its seq: the burst's last packet's */
      size_t used = 0;
      for (size_t i = 0; i < burst.n; i++) {
        if (!asic_bytes_gcm_input(s, b->scratch + burst.off[i], burst.len[i], s->seq - (burst.n - 1 - i), &b->gcm[i],
                                  b->gcm_text + used))
          break;
        used += b->gcm[i].text_len;
        r->n_gcm = (uint32_t)i + 1;
      }
      r->gcm = b->gcm;
    }
  } else {
    uint32_t spi;
    r->seq = esp_seq_of(f + ETH_HDR, n - ETH_HDR, &spi);
    size_t out_len = 0;
    const sa *named = spi ? sa_db_find_inbound(b->in_db[tunnel], spi) : NULL;
    if (named && named != b->in_sa[tunnel]) /* the bytes name another SA than the lookup bound: */
      r->reason = ESP_R_ICV_MISMATCH;       /* the bound SA's key fails them (SPI in the AAD) */
    else
      r->reason = esp_decrypt(b->in_db[tunnel], f + ETH_HDR, n - ETH_HDR, now_ns(t), b->scratch, ESP_BURST_OUT_CAP,
                              &out_len, NULL);
    r->icv_ok = r->reason == ESP_R_OK;
    if (r->icv_ok && r->want_gcm && gcm_room(b)) {
      const sa *s = named ? named : b->in_sa[tunnel];
      if (asic_bytes_gcm_input(s, f + ETH_HDR, n - ETH_HDR, s->replay.top, &b->gcm[0], b->gcm_text)) r->n_gcm = 1;
      r->gcm = b->gcm;
    }
    size_t off = 0;
    if (r->icv_ok) r->head = chain_burst(w, f, b->scratch, &off, &out_len, 1);
    if (r->head != SIM_PAYLOAD_NONE && b->test_corrupt_every && ++b->decrypted % b->test_corrupt_every == 0) {
      asic_bytes_buf(&w->bytes, r->head)[w->bytes.len[r->head] - 1] ^= 0x01; /* the last byte */
      b->test_corrupted++;
    }
  }
  asic_bytes_release(&w->bytes, in->payload);
}

void asic_ipsec_bytes_hooks(engine_pg_host *h) {
  h->bytes = transform;
  h->bytes_take = chain_take;
  h->bytes_free = chain_free;
}


/* The peer's mirror for the SPI the stream sends on (the generation asic_events_peer_gen chose
 * for the packet's send time; the one mirror without events:). */
static sa *peer_sa(asic_ipsec_bytes *b, uint32_t fi, uint32_t spi) {
  sa_db *db = &b->peer[fi];
  for (size_t i = 0; i < db->n; i++) {
    const size_t j = (b->peer_cur[fi] + i) % db->n;
    if (db->sas[j]->cfg.spi == spi) return b->peer_cur[fi] = (uint32_t)j, db->sas[j];
  }
  return db->sas[b->peer_cur[fi]];
}

uint32_t asic_ipsec_bytes_esp_source(asic_world *w, uint32_t fi, const sim_pkt *p, bool first, uint32_t inner_frame) {
  asic_ipsec_bytes *b = w->ipsec_bytes;
  if (!b || !b->peer[fi].n) return SIM_PAYLOAD_NONE;
  if (first) {
    chain_free(w, b->peer_next[fi]); /* a datagram cut short by the window's end */
    sim_pkt inner = *p;
    inner.route_key = p->inner_key;
    inner.bytes = (uint16_t)inner_frame;
    uint32_t h = asic_bytes_source(w, fi, &inner);
    b->peer_next[fi] = SIM_PAYLOAD_NONE;
    if (h == SIM_PAYLOAD_NONE) return h;
    const uint8_t *f = asic_bytes_buf(&w->bytes, h);
    esp_burst burst;
    esp_reason r = esp_encrypt_burst_on(&b->peer[fi], peer_sa(b, fi, p->spi), f + ETH_HDR, w->bytes.len[h] - ETH_HDR,
                                        now_ns(p->t_first_in), b->scratch, ESP_BURST_OUT_CAP, b->host, sizeof b->host,
                                        &burst, NULL);
    if (r == ESP_R_OK) b->peer_next[fi] = chain_burst(w, f, b->scratch, burst.off, burst.len, burst.n);
    asic_bytes_release(&w->bytes, h);
    for (uint32_t c = b->peer_next[fi]; c != SIM_PAYLOAD_NONE; c = *link_of(w, c)) b->pending++;
  }
  uint32_t h = b->peer_next[fi];
  if (h == SIM_PAYLOAD_NONE) return h;
  b->peer_next[fi] = *link_of(w, h);
  b->pending--;
  return h;
}

uint64_t asic_ipsec_bytes_pending(const asic_world *w) { return w->ipsec_bytes ? w->ipsec_bytes->pending : 0; }
uint64_t asic_ipsec_bytes_test_corrupted(const asic_world *w) {
  return w->ipsec_bytes ? w->ipsec_bytes->test_corrupted : 0;
}
