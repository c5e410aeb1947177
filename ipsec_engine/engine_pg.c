/* The engine as PG0's attached block; see engine_pg.h. */
#include "engine_pg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/sim_ring.h"

typedef struct epg_slot {
  sim_pkt pkt;    /* the packet as offered (payload real: its bytes consumed by the transform) */
  uint32_t left;  /* outcomes still to come (0: not known yet) */
  uint32_t next;  /* free list */
  uint32_t bytes; /* payload real: the transform's output chain (engine_pg_host.bytes) */
  esp_reason real; /* payload real: the transform's outcome */
} epg_slot;

/* Rings of the adapter: out of memory leaves nothing sensible to simulate. */
static void ring_push(sim_ring *r, const void *x) {
  if (!sim_ring_push(r, x)) abort();
}

struct engine_pg {
  engine *e;
  uint32_t slice, n_sas;
  engine_pg_host host;
  engine_params p;
  engine_pg_sa *bind;
  uint32_t *seen;           /* inbound: highest sequence number offered (32 bits) */
  engine_pg_tunnel_stats *tun;
  sim_fs w0, w1;
  /* ticks in the heap, latest first: each is scheduled only before all the others (so the
   * last is the earliest, the one that fires next), and none twice at one time */
  sim_fs *ticks;
  uint32_t n_ticks, cap_ticks;
  epg_slot *slots;
  uint32_t n_slots, cap_slots, free_slot;
  sim_ring credits;       /* frame bytes of accepted packets, FIFO order */
  uint64_t credit_bytes;
  sim_ring held;            /* released, refused by PG0.in, in order */
  engine_out *outq;         /* outcomes emitted during one engine call */
  uint32_t n_out, cap_out;
  bool blocked;
  struct epg_install { sim_fs t; uint32_t sa; } *installs; /* pending, latest first */
  uint32_t n_installs, cap_installs;
  uint64_t tot_arrived, tot_returned, tot_lost, tot_made, tot_blocked;
  /* window: drops the byte transform named (payload real) that the engine counts as its
   * icv_mismatch outcome, by the ESP reason the SA counted instead (engine_pg_real_drops) */
  uint64_t real_drops[ESP_R_COUNT];
};

/* Doubles a full array of `*cap` elements (first size `first`); aborts when memory is out:
 * nothing sensible is left to simulate. */
static void *grow_full(void *arr, uint32_t *cap, uint32_t first, size_t elem) {
  uint32_t nc = *cap ? 2 * *cap : first;
  void *n = realloc(arr, (size_t)nc * elem);
  if (!n) abort();
  *cap = nc;
  return n;
}

static void on_emit(void *ctx, const engine_out *o) {
  engine_pg *g = ctx;
  if (g->n_out == g->cap_out) g->outq = grow_full(g->outq, &g->cap_out, 64, sizeof *g->outq);
  g->outq[g->n_out++] = *o;
}

engine_pg *engine_pg_create(uint32_t slice, const engine_params *p, const engine_sa *sas,
                            const engine_pg_sa *bind, uint32_t n_sas, engine_pg_tunnel_stats *tun,
                            const engine_pg_host *host, char *why, size_t why_len) {
  engine_pg *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->slice = slice;
  g->n_sas = n_sas;
  g->host = *host;
  g->p = *p;
  g->tun = tun;
  g->credits.size = sizeof(uint32_t);
  g->held.size = sizeof(sim_pkt);
  g->w1 = SIM_FS_NEVER;
  g->free_slot = UINT32_MAX;
  g->bind = malloc((n_sas ? n_sas : 1) * sizeof *g->bind);
  g->seen = malloc((n_sas ? n_sas : 1) * sizeof *g->seen);
  if (!g->bind || !g->seen) return engine_pg_destroy(g), NULL;
  memcpy(g->bind, bind, n_sas * sizeof *bind);
  for (uint32_t i = 0; i < n_sas; i++) g->seen[i] = (uint32_t)sas[i].initial_seq;
  g->e = engine_create(p, sas, n_sas, on_emit, g, why, why_len);
  if (!g->e) return engine_pg_destroy(g), NULL;
  return g;
}

void engine_pg_destroy(engine_pg *g) {
  if (!g) return;
  engine_destroy(g->e);
  free(g->bind);
  free(g->seen);
  free(g->slots);
  free(g->credits.v);
  free(g->held.v);
  free(g->outq);
  free(g->ticks);
  free(g->installs);
  free(g);
}

engine *engine_pg_engine(engine_pg *g) { return g->e; }

void engine_pg_set_window(engine_pg *g, sim_fs w0, sim_fs w1) {
  g->w0 = w0;
  g->w1 = w1;
  engine_set_window(g->e, w0, w1);
}

static bool in_window(const engine_pg *g, sim_fs t) { return t >= g->w0 && t < g->w1; }

static uint32_t slot_alloc(engine_pg *g, const sim_pkt *pkt) {
  uint32_t i = g->free_slot;
  if (i != UINT32_MAX) {
    g->free_slot = g->slots[i].next;
  } else {
    if (g->n_slots == g->cap_slots) {
      uint32_t nc = g->cap_slots ? 2 * g->cap_slots : 256;
      epg_slot *n = realloc(g->slots, (size_t)nc * sizeof *n);
      if (!n) abort();
      g->slots = n;
      g->cap_slots = nc;
    }
    i = g->n_slots++;
  }
  g->slots[i].pkt = *pkt;
  g->slots[i].left = 0;
  g->slots[i].bytes = SIM_PAYLOAD_NONE;
  g->slots[i].real = ESP_R_OK;
  return i;
}

/* The wire's 16 low bits, widened to the 32-bit value nearest the highest one seen. */
static uint32_t widen_seq(engine_pg *g, uint32_t sa_index, uint16_t lo) {
  const int64_t last = g->seen[sa_index];
  int64_t c = (last & ~(int64_t)0xFFFF) | lo;
  if (c + 0x8000 < last) c += 0x10000;
  else if (c > last + 0x8000 && c >= 0x10000) c -= 0x10000;
  if (c > last) g->seen[sa_index] = (uint32_t)c;
  return (uint32_t)c;
}

/* Payload real: the transform of the packet's bytes into slot u (engine_pg_host.bytes). */
static engine_pg_bytes real_bytes(engine_pg *g, uint32_t u, const sim_pkt *pkt, sim_fs t) {
  engine_pg_bytes r = {.head = SIM_PAYLOAD_NONE, .icv_ok = true, .reason = ESP_R_OK, .want_gcm = engine_on_rtl(g->e)};
  g->host.bytes(g->host.ctx, g->bind[pkt->sa].tunnel, engine_sa_dir(g->e, pkt->sa), pkt, t, &r);
  g->slots[u].pkt.payload = SIM_PAYLOAD_NONE;
  g->slots[u].bytes = r.head;
  g->slots[u].real = r.reason;
  return r;
}

static void arrive(engine_pg *g, sim_fs t, const sim_pkt *pkt) {
  g->tot_arrived++;
  const uint32_t si = pkt->sa < g->n_sas ? pkt->sa : 0;
  const uint32_t u = slot_alloc(g, pkt);
  const bool real = g->host.bytes && pkt->payload != SIM_PAYLOAD_NONE && pkt->sa < g->n_sas;
  engine_pg_bytes rd = {.n_gcm = 0};
  engine_desc d = {.user = u, .sa = pkt->sa, .icv_ok = true};
  d.ip_bytes = pkt->bytes > ENGINE_ETH_OVERHEAD ? pkt->bytes - ENGINE_ETH_OVERHEAD : 0;
  const engine_dir dir = pkt->sa < g->n_sas ? engine_sa_dir(g->e, si) : ENGINE_ENCRYPT;
  if (pkt->sa < g->n_sas && dir == ENGINE_DECRYPT) {
    d.clear_ip_bytes = pkt->inner_bytes;
    d.seq = widen_seq(g, si, pkt->esp_seq16);
    if (real) { /* the bytes say what the descriptor infers */
      rd = real_bytes(g, u, pkt, t);
      d.seq = rd.seq;
      d.icv_ok = rd.icv_ok;
    }
  } else {
    d.inner_family = g->host.family(g->host.ctx, pkt->route_key);
  }
  if (engine_offer(g->e, t, &d) == ENGINE_OUT_PACKET) {
    uint32_t b = pkt->bytes;
    ring_push(&g->credits, &b);
    g->credit_bytes += pkt->bytes;
    if (real && dir == ENGINE_ENCRYPT) rd = real_bytes(g, u, pkt, t);
    if (rd.n_gcm) engine_give_gcm_inputs(g->e, rd.gcm, rd.n_gcm); /* the RTL core: the queued packets' own bytes */
  } else {
    g->host.credit(g->host.ctx, g->slice, pkt->bytes, t);
  }
}

static void hand_back(engine_pg *g, sim_fs t, const sim_pkt *p) {
  if (!g->blocked && g->host.ret(g->host.ctx, g->slice, t, p)) {
    g->tot_returned++;
    return;
  }
  ring_push(&g->held, p);
  if (!g->blocked) {
    g->blocked = true;
    g->tot_blocked++;
    engine_set_out_ready(g->e, t, false);
  }
}

esp_reason engine_pg_drop_reason(engine_drop why, engine_dir dir) {
  switch (why) {
  case ENGINE_DROP_EXCEEDS_MTU: return ESP_R_EXCEEDS_MTU;
  case ENGINE_DROP_BODY_TOO_SHORT: return ESP_R_BODY_TOO_SHORT;
  case ENGINE_DROP_BAD_DESC: return dir == ENGINE_ENCRYPT ? ESP_R_INNER_INVALID : ESP_R_OUTER_MALFORMED;
  case ENGINE_DROP_SEQ_EXHAUSTED: return ESP_R_SEQ_EXHAUSTED;
  case ENGINE_DROP_REPLAY_DUPLICATE: return ESP_R_REPLAY_DUPLICATE;
  case ENGINE_DROP_REPLAY_TOO_OLD: return ESP_R_REPLAY_TOO_OLD;
  case ENGINE_DROP_ICV_MISMATCH: return ESP_R_ICV_MISMATCH;
  case ENGINE_DROP_BAD_PAD_LENGTH: return ESP_R_BAD_PAD_LENGTH;
  default: return ESP_R_OK; /* none, engine_queue_full: no SA's error */
  }
}

/* The IPsec counters of the outcome's SA (engine_pg.h), inside the window. */
/* real: payload real, the byte transform's outcome (a drop it caused counts under it). */
static void count_sa(engine_pg *g, const engine_out *o, const sim_pkt *in, uint32_t inner, esp_reason real) {
  if (o->sa >= g->n_sas || !in_window(g, o->release_fs)) return;
  sa_stats *st = &g->tun[g->bind[o->sa].tunnel].sa[o->dir]; /* o->dir: the SA's (engine.h) */
  if (o->kind == ENGINE_OUT_HOST) {
    sa_stats_count(st, ESP_R_MTU_ICMP_SENT);
  } else if (o->kind == ENGINE_OUT_DROP) {
    const bool by_bytes = real != ESP_R_OK && o->reason == ENGINE_DROP_ICV_MISMATCH;
    if (by_bytes && real < ESP_R_COUNT) g->real_drops[real]++;
    sa_stats_count(st, by_bytes ? real : engine_pg_drop_reason(o->reason, o->dir));
  } else if (o->dir == ENGINE_ENCRYPT) {
    sa_stats_add(st, IPSEC_CTR_ENC_PKTS, 1);
    sa_stats_add(st, IPSEC_CTR_ENC_BYTES, inner);
    if (o->frag_count > 1 && o->frag_index == 0) sa_stats_add(st, IPSEC_CTR_MTU_FRAGMENTED, 1);
  } else {
    sa_stats_add(st, IPSEC_CTR_DEC_PKTS, 1);
    sa_stats_add(st, IPSEC_CTR_DEC_BYTES, in->bytes - ENGINE_ETH_OVERHEAD);
  }
}

static void outcome(engine_pg *g, sim_fs t, const engine_out *o) {
  epg_slot *s = &g->slots[o->user];
  if (s->left == 0) {
    s->left = o->frag_count ? o->frag_count : 1;
    g->tot_made += s->left - 1;
  }
  const sim_fs at = o->release_fs > t ? o->release_fs : t;
  if (o->kind != ENGINE_OUT_PACKET) {
    g->tot_lost++;
    if (s->bytes != SIM_PAYLOAD_NONE) g->host.bytes_free(g->host.ctx, s->bytes);
    s->bytes = SIM_PAYLOAD_NONE;
    count_sa(g, o, &s->pkt, 0, s->real);
    g->host.drop(g->host.ctx, g->slice, &s->pkt, o->kind, o->reason, at);
  } else {
    sim_pkt p = s->pkt;
    if (s->bytes != SIM_PAYLOAD_NONE) p.payload = g->host.bytes_take(g->host.ctx, s->bytes, o->frag_index);
    const engine_pg_sa *b = &g->bind[o->sa];
    engine_pg_tunnel_stats *ts = &g->tun[b->tunnel];
    const bool win = in_window(g, o->release_fs);
    p.sa = SIM_SA_NONE;
    if (o->dir == ENGINE_ENCRYPT) {
      uint32_t inner = p.bytes - ENGINE_ETH_OVERHEAD;
      if (o->frag_count > 1) {
        engine_esp_plan plan;
        engine_esp_plan_encrypt(engine_sa_config(g->e, o->sa), g->host.family(g->host.ctx, p.route_key), false, inner, &plan);
        inner = engine_plan_at(&plan, o->frag_index)->inner_bytes;
        p.pid |= (uint64_t)o->frag_index << 56;
      }
      p.inner_key = p.route_key;
      p.route_key = b->outer_key;
      p.spi = b->spi;
      p.inner_bytes = (uint16_t)inner;
      p.esp_seq16 = (uint16_t)o->seq;
      p.bytes = (uint16_t)o->frame_bytes;
      if (win) (*ts->tx_pkts)++, *ts->wan_l1_bytes += p.bytes + ENGINE_L1_OVERHEAD;
      count_sa(g, o, &s->pkt, inner, ESP_R_OK);
    } else {
      count_sa(g, o, &s->pkt, 0, ESP_R_OK);
      if (win) (*ts->rx_pkts)++, *ts->wan_l1_bytes += p.bytes + ENGINE_L1_OVERHEAD;
      p.route_key = p.inner_key;
      p.spi = 0;
      p.inner_key = 0;
      p.inner_bytes = 0;
      p.esp_seq16 = 0;
      p.bytes = (uint16_t)o->frame_bytes;
    }
    hand_back(g, at, &p);
  }
  if (--s->left == 0) {
    s->next = g->free_slot;
    g->free_slot = (uint32_t)o->user;
  }
}

static void installs_until(engine_pg *g, sim_fs t);

static sim_fs next_tick(const engine_pg *g) { return g->n_ticks ? g->ticks[g->n_ticks - 1] : SIM_FS_NEVER; }

static void tick_push(engine_pg *g, sim_fs t) {
  if (g->n_ticks == g->cap_ticks) g->ticks = grow_full(g->ticks, &g->cap_ticks, 16, sizeof *g->ticks);
  g->ticks[g->n_ticks++] = t;
}

static bool run_now(const engine_pg *g, sim_fs t, uint64_t pid) {
  return g->host.run_now && g->host.run_now(g->host.ctx, g->slice, t, pid);
}

/* After every engine call at t: outcomes, credits of what left the input FIFO, next tick.
 * tail: nothing follows in the event being handled, so a tick that would be the slice's next
 * event runs here at once (the loop), with the same effect as the tick event. */
static void settle(engine_pg *g, sim_fs t, bool tail) {
again:
  for (uint32_t i = 0; i < g->n_out; i++) { /* outcome() may make the engine emit more */
    engine_out o = g->outq[i];
    outcome(g, t, &o);
  }
  g->n_out = 0;
  const uint64_t inside = engine_queue_bytes(g->e);
  while (g->credits.n && g->credit_bytes > inside) {
    uint32_t b = *(const uint32_t *)sim_ring_front(&g->credits);
    sim_ring_pop(&g->credits);
    g->credit_bytes -= b;
    g->host.credit(g->host.ctx, g->slice, b, t);
  }
  sim_fs nt = engine_next_event_time(g->e);
  /* a tick already scheduled at or before nt will settle again then: none is added */
  const sim_fs at = nt > t ? nt : t;
  if (nt != SIM_FS_NEVER && at < next_tick(g)) {
    const uint64_t tick_pid = UINT64_MAX - (1ull << 41) - g->slice; /* apart from packets and other keys */
    if (tail && run_now(g, at, tick_pid)) { /* the tick, handled now (op_handle's EPG_EV_TICK) */
      installs_until(g, at);
      engine_advance(g->e, at);
      t = at;
      goto again;
    }
    tick_push(g, at);
    sim_pkt none;
    memset(&none, 0, sizeof none);
    none.pid = tick_pid;
    g->host.push(g->host.ctx, g->slice, at, EPG_EV_TICK, 0, &none);
  }
}

void engine_pg_schedule_install(engine_pg *g, sim_fs t, uint32_t sa_index) {
  if (g->n_installs == g->cap_installs) g->installs = grow_full(g->installs, &g->cap_installs, 8, sizeof *g->installs);
  uint32_t i = g->n_installs++; /* keep latest first: the next one due is the last */
  while (i > 0 && g->installs[i - 1].t < t) g->installs[i] = g->installs[i - 1], i--;
  g->installs[i] = (struct epg_install){t, sa_index};
}

/* Installs due at or before t, in time order, before the engine handles t. */
static void installs_until(engine_pg *g, sim_fs t) {
  while (g->n_installs && g->installs[g->n_installs - 1].t <= t) {
    const struct epg_install in = g->installs[--g->n_installs];
    engine_install_sa(g->e, in.sa, in.t);
  }
}

static bool op_offer(void *ctx, uint32_t slice, sim_fs t, const sim_pkt *pkt) {
  engine_pg *g = ctx;
  if (run_now(g, t, pkt->pid)) { /* the EPG_EV_ARRIVE event, handled now */
    installs_until(g, t);
    arrive(g, t, pkt);
    settle(g, t, true);
  } else {
    g->host.push(g->host.ctx, slice, t, EPG_EV_ARRIVE, 0, pkt);
  }
  return true; /* the engine decides at the event: its refusals are its own drops */
}

static void op_handle(void *ctx, uint32_t slice, const sim_event *ev) {
  engine_pg *g = ctx;
  (void)slice;
  installs_until(g, ev->t);
  if ((ev->kind & 0xFFu) == EPG_EV_ARRIVE) {
    arrive(g, ev->t, &ev->pkt);
  } else {
    if (ev->t == next_tick(g)) g->n_ticks--; /* the earliest fires first */
    engine_advance(g->e, ev->t);
  }
  settle(g, ev->t, true);
}

static void op_returned(void *ctx, uint32_t slice, uint32_t bytes, sim_fs t) {
  engine_pg *g = ctx;
  (void)slice, (void)bytes;
  while (g->held.n && g->host.ret(g->host.ctx, g->slice, t, sim_ring_front(&g->held))) {
    sim_ring_pop(&g->held);
    g->tot_returned++;
  }
  if (g->held.n || !g->blocked) return;
  g->blocked = false;
  installs_until(g, t);
  engine_set_out_ready(g->e, t, true);
  settle(g, t, false); /* PG0.in forwards the packet it took after this */
}

static uint64_t op_held(void *ctx, uint32_t slice) {
  const engine_pg *g = ctx;
  (void)slice;
  return g->tot_arrived + g->tot_made - g->tot_returned - g->tot_lost;
}
static uint64_t op_made(void *ctx, uint32_t slice) { return (void)slice, ((const engine_pg *)ctx)->tot_made; }
static uint64_t op_lost(void *ctx, uint32_t slice) { return (void)slice, ((const engine_pg *)ctx)->tot_lost; }

pg_block_ops engine_pg_ops(engine_pg *g) {
  /* raw lane rate: lanes x clock x one 16-byte block per cycle */
  const uint64_t rate = (uint64_t)llround((double)g->p.lanes * g->p.clock * 16.0 * 8.0);
  pg_block_ops o = {.ctx = g, .rate_bps = rate, .credit_bytes = g->p.in_queue, .offer = op_offer,
                    .handle = op_handle, .returned = op_returned, .held = op_held, .made = op_made,
                    .lost = op_lost};
  return o;
}

uint64_t engine_pg_blocked_count(const engine_pg *g) { return g->tot_blocked; }

const uint64_t *engine_pg_real_drops(const engine_pg *g) { return g->real_drops; }
