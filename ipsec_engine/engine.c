/* The engine block: admission into the input FIFO, per-SA release and decrypt commit,
 * counters, the hooks the GCM-core backend calls (gcm_backend.h; the `c` backend, the
 * dispatcher and lanes, is engine_dispatch.c). */
#include "engine_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const engine_drop_names[ENGINE_DROP_N] = {
    [ENGINE_DROP_NONE] = "none",
    [ENGINE_DROP_QUEUE_FULL] = "engine_queue_full",
    [ENGINE_DROP_EXCEEDS_MTU] = "exceeds_tunnel_mtu",
    [ENGINE_DROP_BODY_TOO_SHORT] = "body_too_short",
    [ENGINE_DROP_BAD_DESC] = "bad_descriptor",
    [ENGINE_DROP_SEQ_EXHAUSTED] = "seq_exhausted",
    [ENGINE_DROP_REPLAY_DUPLICATE] = "replay_duplicate",
    [ENGINE_DROP_REPLAY_TOO_OLD] = "replay_too_old",
    [ENGINE_DROP_ICV_MISMATCH] = "icv_mismatch",
    [ENGINE_DROP_BAD_PAD_LENGTH] = "bad_pad_length",
};

static bool range_ok(const cfg_param *t, size_t n, const char *name, double v, char *why, size_t len) {
  for (size_t i = 0; i < n; i++) {
    if (strcmp(t[i].name, name) || t[i].min > t[i].max) continue;
    if (v >= t[i].min && v <= t[i].max) return true;
    snprintf(why, len, "engine.%s: %g is out of range (allowed: %g..%g)", name, v, t[i].min, t[i].max);
    return false;
  }
  return true;
}

/* Anti-replay windows of the inbound SAs live in one 64-byte-aligned arena. After replay_init,
 * replay.c touches only the header and bits[0 .. blocks-1] (blocks = the power of two >=
 * ceil(W/64) + 1; indices are masked by blocks - 1), so each window keeps only that prefix:
 * 64 bytes for W <= 64 instead of sizeof(replay_window) = 1056, and the windows of 2000 SAs
 * stay cache-resident (bench_engine: the per-packet cost stays flat in the SA count). */
static size_t window_line_bytes(const replay_window *w) {
  const size_t used = offsetof(replay_window, bits) + w->blocks * sizeof w->bits[0];
  return (used + 63u) & ~(size_t)63u;
}

static bool place_windows(engine *e, const engine_sa *sas, size_t bytes) {
  if (!bytes) return true;
  e->arena = aligned_alloc(64, bytes);
  if (!e->arena) return false;
  size_t at = 0;
  for (uint32_t i = 0; i < e->n_sas; i++) {
    if (sas[i].dir != ENGINE_DECRYPT) continue;
    replay_window w;
    replay_init(&w, sas[i].replay_window, sas[i].esn, sas[i].initial_seq); /* checked above */
    const size_t n = window_line_bytes(&w);
    memcpy(e->arena + at, &w, offsetof(replay_window, bits) + w.blocks * sizeof w.bits[0]);
    e->sas[i].rw = (replay_window *)(void *)(e->arena + at);
    at += n;
  }
  return true;
}

engine *engine_create(const engine_params *p, const engine_sa *sas, uint32_t n_sas,
                      engine_emit_fn emit, void *ctx, char *why, size_t why_len) {
  size_t nt;
  const cfg_param *t = engine_param_table(&nt);
  if (!range_ok(t, nt, "lanes", (double)p->lanes, why, why_len) ||
      !range_ok(t, nt, "clock", p->clock, why, why_len) ||
      !range_ok(t, nt, "overhead_cycles", (double)p->overhead_cycles, why, why_len) ||
      !range_ok(t, nt, "in_queue", (double)p->in_queue, why, why_len) ||
      !range_ok(t, nt, "reorder_depth", (double)p->reorder_depth, why, why_len) ||
      !range_ok(t, nt, "out_fifo_depth", (double)p->out_fifo_depth, why, why_len) ||
      !range_ok(t, nt, "sa_cache_entries", (double)p->sa_cache_entries, why, why_len) ||
      !range_ok(t, nt, "sa_miss_cycles", (double)p->sa_miss_cycles, why, why_len) ||
      !engine_params_check(p, sas, n_sas, why, why_len))
    return NULL;
  engine *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  e->p = *p;
  e->period = sim_period_fs(p->clock);
  e->be_ops = &gcm_backend_c;
  e->be = e;
  e->hooks = (gcm_backend_hooks){.ctx = e, .on_start = engine_start_hook,
                                 .on_complete = engine_complete_hook};
  e->emit = emit;
  e->ctx = ctx;
  e->n_lanes = (uint32_t)p->lanes;
  e->n_sas = n_sas;
  e->lanes = calloc(e->n_lanes, sizeof *e->lanes);
  e->sas = aligned_alloc(64, (n_sas ? n_sas : 1) * sizeof *e->sas);
  e->cfgs = calloc(n_sas ? n_sas : 1, sizeof *e->cfgs);
  if (!e->lanes || !e->sas || !e->cfgs) goto fail;
  memset(e->sas, 0, (n_sas ? n_sas : 1) * sizeof *e->sas);
  for (uint32_t l = 0; l < e->n_lanes; l++) e->lanes[l].head = e->lanes[l].tail = ENGINE_NIL;
  size_t arena_bytes = 0;
  for (uint32_t i = 0; i < n_sas; i++) {
    engine_sa_state *s = &e->sas[i];
    e->cfgs[i] = sas[i];
    s->dir = (uint8_t)sas[i].dir;
    s->esn = sas[i].esn;
    s->store_forward = engine_sa_store_and_forward(&sas[i]);
    s->around = (uint16_t)(engine_esp_fixed_bytes(&sas[i]) - 2u);
    s->tunnel_mtu = sas[i].tunnel_mtu;
    s->max_inner = engine_sa_max_inner(&sas[i]);
    s->head = s->tail = ENGINE_NIL;
    if (sas[i].dir == ENGINE_ENCRYPT) {
      s->seq = sas[i].initial_seq;
      continue;
    }
    replay_window w;
    if (!replay_init(&w, sas[i].replay_window, sas[i].esn, sas[i].initial_seq)) {
      snprintf(why, why_len, "sa %u: replay_window %u / initial_seq %llu rejected (allowed: "
               "window %u..%u, initial_seq < 2^32 without ESN)", i, sas[i].replay_window,
               (unsigned long long)sas[i].initial_seq, REPLAY_WINDOW_MIN, REPLAY_WINDOW_MAX);
      goto fail;
    }
    arena_bytes += window_line_bytes(&w);
  }
  if (!place_windows(e, sas, arena_bytes)) goto fail;
  uint16_t *key_bits = malloc((n_sas ? n_sas : 1) * sizeof *key_bits);
  if (!key_bits) goto fail;
  for (uint32_t i = 0; i < n_sas; i++) key_bits[i] = sas[i].key_bits;
  const bool cache_ok = sa_cache_init(&e->cache, (uint32_t)p->sa_cache_entries, n_sas, key_bits,
                                      p->sa_miss_cycles);
  free(key_bits);
  if (!cache_ok) goto fail;
  e->q_head = e->q_tail = ENGINE_NIL;
  e->free_head = ENGINE_NIL;
  e->out_ready = true;
  e->w1 = SIM_FS_NEVER;
  stats_counter **c[] = {&e->c.pkts, &e->c.done_pkts, &e->c.encrypt_pkts, &e->c.decrypt_pkts,
                         &e->c.wan_l1_bytes, &e->c.clear_l1_bytes, &e->c.host_pkts};
  for (size_t i = 0; i < 7; i++) *c[i] = &e->own_[i];
  for (size_t i = 0; i < ENGINE_DROP_N; i++) e->c.drops[i] = &e->own_[7 + i];
  e->c.sb_checked = &e->own_[7 + ENGINE_DROP_N];
  e->c.sb_mismatches = &e->own_[8 + ENGINE_DROP_N];
  e->c.sb_cycle_mismatches = &e->own_[9 + ENGINE_DROP_N];
  e->c.sb_real_bytes = &e->own_[10 + ENGINE_DROP_N];
  return e;
fail:
  engine_destroy(e);
  return NULL;
}

void engine_destroy(engine *e) {
  if (!e) return;
  engine_cosim_free(e->cosim);
  sa_cache_free(&e->cache);
  free(e->arena);
  free(e->sas);
  free(e->cfgs);
  free(e->lanes);
  free(e->jobs);
  free(e);
}

const engine_sa *engine_sa_config(const engine *e, uint32_t i) { return &e->cfgs[i]; }
engine_dir engine_sa_dir(const engine *e, uint32_t i) { return (engine_dir)e->sas[i].dir; }

sim_fs engine_period_fs(const engine *e) { return e->period; }

uint32_t engine_job_alloc(engine *e) {
  if (e->free_head != ENGINE_NIL) {
    const uint32_t j = e->free_head;
    e->free_head = e->jobs[j].next;
    return j;
  }
  if (e->n_jobs == e->cap_jobs) {
    const uint32_t cap = e->cap_jobs ? e->cap_jobs * 2 : 256;
    engine_job *n = realloc(e->jobs, (size_t)cap * sizeof *n);
    if (!n) abort(); /* out of memory: nothing sensible to simulate */
    e->jobs = n;
    e->cap_jobs = cap;
  }
  return e->n_jobs++;
}

void engine_job_free(engine *e, uint32_t j) {
  e->jobs[j].next = e->free_head;
  e->free_head = j;
  e->jobs_inside--;
}

static engine_out out_of(const engine *e, const engine_job *j, engine_out_kind k, sim_fs t) {
  return (engine_out){.kind = k, .dir = (engine_dir)e->sas[j->sa].dir, .user = j->user, .sa = j->sa,
                      .frag_index = j->frag_index, .frag_count = j->frag_count,
                      .ip_bytes = j->out_ip, .frame_bytes = engine_frame_bytes(j->out_ip),
                      .seq = j->seq, .lane = j->state == JOB_QUEUED ? UINT32_MAX : j->lane,
                      .offer_fs = j->offer_fs,
                      .start_fs = j->state == JOB_QUEUED ? 0 : j->start * e->period,
                      .first_out_fs = t, .release_fs = t};
}

void engine_emit_drop(engine *e, const engine_job *j, engine_drop why, sim_fs t, bool late) {
  engine_out o = out_of(e, j, ENGINE_OUT_DROP, t);
  o.reason = why;
  if (engine_in_window(e, t)) (*e->c.drops[why])++;
  if (engine_in_window(e, t) && j->sb_checked) (*e->c.sb_checked)++, *e->c.sb_real_bytes += j->sb_real;
  if (late) e->tot_late_drops++;
  e->emit(e->ctx, &o);
}

/* Per-SA order: decrypt commits here (ICV, trailer, anti-replay against what committed). */
static void release(engine *e, uint32_t ji, uint64_t p) {
  engine_job *j = &e->jobs[ji];
  engine_sa_state *s = &e->sas[j->sa];
  const sim_fs t = gcm_release_fs(p, e->period);
  s->head = j->sa_next;
  if (s->head == ENGINE_NIL) s->tail = ENGINE_NIL;
  if (s->outstanding-- == e->p.reorder_depth) s->ok_from = p + 1;
  if (j->waiting) e->reorder_waiting--;
  engine_drop why = ENGINE_DROP_NONE;
  if (s->dir == ENGINE_DECRYPT) {
    uint64_t seq;
    const replay_verdict v = replay_check(s->rw, j->seq_wire, &seq);
    if (!j->icv_ok) why = ENGINE_DROP_ICV_MISMATCH;       /* before the window: RFC 4303 s3.4.3 */
    else if (!j->trailer_ok) why = ENGINE_DROP_BAD_PAD_LENGTH;
    else if (v != REPLAY_OK)
      why = v == REPLAY_DUPLICATE ? ENGINE_DROP_REPLAY_DUPLICATE : ENGINE_DROP_REPLAY_TOO_OLD;
    else replay_update(s->rw, seq);
  }
  if (why != ENGINE_DROP_NONE) {
    engine_emit_drop(e, j, why, t, true);
  } else {
    engine_out o = out_of(e, j, ENGINE_OUT_PACKET, t);
    const sim_fs first = j->first_pop * e->period;
    if (!s->store_forward && !j->waiting && s->last_release_fs <= first) o.first_out_fs = first;
    if (engine_in_window(e, t)) {
      (*e->c.done_pkts)++;
      if (j->sb_checked) (*e->c.sb_checked)++, *e->c.sb_real_bytes += j->sb_real;
      (*(s->dir == ENGINE_ENCRYPT ? e->c.encrypt_pkts : e->c.decrypt_pkts))++;
      *e->c.wan_l1_bytes += j->wan_frame + ENGINE_L1_OVERHEAD;
      if (j->clear_frame) *e->c.clear_l1_bytes += j->clear_frame + ENGINE_L1_OVERHEAD;
    }
    e->tot_released++;
    e->emit(e->ctx, &o);
  }
  s->last_release_fs = t;
  engine_job_free(e, ji);
}

bool engine_start_hook(void *ctx, uint32_t ji, uint64_t d, uint32_t lane) {
  engine *e = ctx;
  engine_job *j = &e->jobs[ji];
  engine_sa_state *s = &e->sas[j->sa];
  const sim_fs t = d * e->period;
  (void)lane;
  if (s->dir == ENGINE_ENCRYPT) {
    s->queued--;
    /* RFC 4303 s3.3.3: the counter never cycles. One number per ESP packet, at dispatch.
     * Admission refuses a datagram whose packets would not all get one (engine_offer.c), so
     * this drop only guards that invariant. */
    if (s->seq >= (s->esn ? UINT64_MAX : UINT32_MAX)) {
      engine_emit_drop(e, j, ENGINE_DROP_SEQ_EXHAUSTED, t, true);
      engine_job_free(e, ji);
      return false;
    }
    j->seq = ++s->seq;
  } else {
    const replay_verdict v = replay_check(s->rw, j->seq_wire, &j->seq);
    if (v != REPLAY_OK) {
      engine_emit_drop(e, j, v == REPLAY_DUPLICATE ? ENGINE_DROP_REPLAY_DUPLICATE
                                                   : ENGINE_DROP_REPLAY_TOO_OLD, t, true);
      engine_job_free(e, ji);
      return false;
    }
  }
  /* in flight in dispatch order: released in this order (per-SA order over all lanes) */
  j->sa_next = ENGINE_NIL;
  if (s->tail == ENGINE_NIL) s->head = ji; else e->jobs[s->tail].sa_next = ji;
  s->tail = ji;
  if (++s->outstanding == e->p.reorder_depth) s->ok_from = ENGINE_NEVER;
  return true;
}

void engine_complete_hook(void *ctx, uint32_t ji, uint64_t p) {
  engine *e = ctx;
  engine_job *j = &e->jobs[ji];
  engine_sa_state *s = &e->sas[j->sa];
  j->state = JOB_DONE;
  if (s->head != ji) {
    j->waiting = true; /* an earlier packet of its SA is still in a lane */
    if (++e->reorder_waiting > e->reorder_max && engine_in_window(e, gcm_release_fs(p, e->period)))
      e->reorder_max = e->reorder_waiting;
    return;
  }
  while (s->head != ENGINE_NIL && e->jobs[s->head].state == JOB_DONE) release(e, s->head, p);
}
