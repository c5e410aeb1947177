/* The `c` GCM-core backend (gcm_backend.h): the engine's dispatcher, lanes and output FIFOs
 * (gcm_timing.h items 1-4) and their event loop; the engine's ESP rules run in its hooks.
 * Pops of a lane's output FIFO are computed, not ticked: within an out_ready epoch (out_ready
 * constant from cycle r) the beats of each started packet pop contiguously, the first at
 * max(cycle it leaves the lane, the pop after the previous packet's last), so a packet's pop
 * window [pf, pl] is known at dispatch and its tag leaves at pl. An epoch change freezes what
 * popped before r and recomputes the rest. */
#include "engine_internal.h"

#ifdef ENGINE_MEMO_CHECK /* a build that checks the memo against a recomputation each time */
#include <stdlib.h>
#endif

static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* Beats of job j not yet popped at the start of cycle c. */
static uint64_t unpopped_at(const engine_job *j, uint64_t c) {
  const uint64_t rem = j->beats - j->popped;
  if (j->pf == ENGINE_NEVER || c <= j->pf) return rem;
  if (c > j->pl) return 0;
  return j->pl - c + 1;
}

/* First cycle >= c0 at which the lane's credit covers `beats` (contract item 3: credit of a
 * beat popped in cycle c counts from c+1). ENGINE_NEVER while pops are suspended. */
static uint64_t credit_cycle(const engine *e, const engine_lane *l, uint64_t beats, uint64_t c0) {
  const uint64_t depth = e->p.out_fifo_depth;
  if (gcm_out_credit_ok(depth, l->reserved, beats)) return c0; /* U(c0) <= reserved: no walk */
  uint64_t u = 0;
  for (uint32_t j = l->head; j != ENGINE_NIL; j = e->jobs[j].next) u += unpopped_at(&e->jobs[j], c0);
  if (gcm_out_credit_ok(depth, u, beats)) return c0;
  if (!e->out_ready) return ENGINE_NEVER;
  uint64_t excess = u + beats - depth; /* beats that must pop at or after c0 first */
  for (uint32_t j = l->head; j != ENGINE_NIL; j = e->jobs[j].next) {
    const engine_job *x = &e->jobs[j];
    if (x->pf == ENGINE_NEVER || x->pl < c0) continue;
    const uint64_t from = max_u64(c0, x->pf), n = x->pl - from + 1;
    if (excess <= n) return from + excess; /* the cycle after the excess-th pop */
    excess -= n;
  }
  return ENGINE_NEVER; /* not reached: depth >= beats of any packet (engine_params_check) */
}

/* Earliest cycle and lane for the input FIFO's head; false when it cannot be decided now
 * (empty, its SA's reorder slots all taken, or no credit while out_ready is 0). *fill: the
 * head's SA is not cached and the event is its fill request (engine_sa_cache.h), in the
 * first cycle it is at the head and ready (lookup) that the fill port and a slot allow. */
static bool next_dispatch(const engine *e, uint64_t *cycle, uint32_t *lane, bool *fill) {
  *fill = false;
  if (e->q_head == ENGINE_NIL) return false;
  const engine_job *j = &e->jobs[e->q_head];
  const engine_sa_state *s = &e->sas[j->sa];
  const uint64_t lookup = max_u64(j->ready, e->floor);
  const uint64_t cached_from = sa_cache_ready_from(&e->cache, j->sa, lookup);
  if (cached_from == SA_CACHE_NEVER) {
    *fill = true;
    *cycle = sa_cache_fill_cycle(&e->cache, lookup);
    return *cycle != SA_CACHE_NEVER;
  }
  if (!gcm_reorder_may_dispatch(s->outstanding, e->p.reorder_depth)) return false;
  const uint64_t base = max_u64(max_u64(cached_from, e->floor), s->ok_from);
  uint32_t lo = 0, hi = e->n_lanes;
  if (e->p.sa_dispatch == ENGINE_PIN) lo = gcm_pin_lane(j->sa, e->n_lanes), hi = lo + 1;
  uint64_t best = ENGINE_NEVER;
  for (uint32_t l = lo; l < hi; l++) { /* earliest start, ties to the lowest lane */
    const uint64_t c0 = max_u64(base, e->lanes[l].free_at);
    const uint64_t c = credit_cycle(e, &e->lanes[l], j->beats, c0);
    if (c < best) best = c, *lane = l;
  }
  *cycle = best;
  return best != ENGINE_NEVER;
}

static bool next_completion(const engine *e, uint64_t *cycle, uint32_t *lane) {
  uint64_t best = ENGINE_NEVER;
  for (uint32_t l = 0; l < e->n_lanes; l++) {
    const uint32_t h = e->lanes[l].head;
    if (h != ENGINE_NIL && e->jobs[h].pl < best) best = e->jobs[h].pl, *lane = l;
  }
  *cycle = best;
  return best != ENGINE_NEVER;
}

/* The memo (engine_internal.h): next_dispatch reads only the FIFO head, the floor, the SA
 * cache, the head's SA reorder state and the lanes; next_completion the lane heads. Every
 * change of those below drops the memo it moves; the event loop, engine_offer and the
 * adapter's settle then ask once per state instead of once per call. */
static void memo_drop(engine *e) { e->nd_valid = e->nc_valid = false; }

static bool memo_dispatch(engine *e, uint64_t *cycle, uint32_t *lane, bool *fill) {
  if (!e->nd_valid) {
    e->nd_lane = 0;
    e->nd_can = next_dispatch(e, &e->nd_cycle, &e->nd_lane, &e->nd_fill);
    e->nd_valid = true;
  }
#ifdef ENGINE_MEMO_CHECK
  uint64_t c2 = 0; uint32_t l2 = 0; bool f2 = false;
  const bool can2 = next_dispatch(e, &c2, &l2, &f2);
  if (can2 != e->nd_can || (can2 && (c2 != e->nd_cycle || f2 != e->nd_fill || (!f2 && l2 != e->nd_lane)))) abort();
#endif
  *cycle = e->nd_cycle, *lane = e->nd_lane, *fill = e->nd_fill;
  return e->nd_can;
}

static bool memo_completion(engine *e, uint64_t *cycle, uint32_t *lane) {
  if (!e->nc_valid) {
    e->nc_lane = 0;
    e->nc_can = next_completion(e, &e->nc_cycle, &e->nc_lane);
    e->nc_valid = true;
  }
#ifdef ENGINE_MEMO_CHECK
  uint64_t c2 = 0; uint32_t l2 = 0;
  const bool can2 = next_completion(e, &c2, &l2);
  if (can2 != e->nc_can || (can2 && (c2 != e->nc_cycle || l2 != e->nc_lane))) abort();
#endif
  *cycle = e->nc_cycle, *lane = e->nc_lane;
  return e->nc_can;
}

static void schedule_pops(engine_lane *l, engine_job *j, bool ready) {
  if (!ready) {
    j->pf = j->pl = ENGINE_NEVER;
    return;
  }
  j->pf = max_u64(j->fe + j->popped, l->cursor);
  j->pl = j->pf + (j->beats - j->popped) - 1;
  if (j->popped == 0) j->first_pop = j->pf;
  l->cursor = j->pl + 1;
}

static void add_busy(engine *e, sim_fs a, sim_fs b) {
  if (a < e->w0) a = e->w0;
  if (b > e->w1) b = e->w1;
  if (b > a) e->busy_fs += b - a;
}

static void dispatch(engine *e, uint64_t d, uint32_t lane) {
  memo_drop(e);
  const uint32_t ji = e->q_head;
  engine_job *j = &e->jobs[ji];
  e->q_head = j->next;
  if (e->q_head == ENGINE_NIL) e->q_tail = ENGINE_NIL;
  e->q_bytes -= j->queue_bytes;
  if (j->queue_bytes) e->q_pkts--;
  e->floor = d; /* FIFO order: nothing behind starts earlier */
  const sim_fs t = d * e->period;
  if (e->series && j->queue_bytes) occ_series_span(e->series, j->offer_fs, t, 1, j->queue_bytes);
  const uint32_t sa_i = j->sa;
  const uint64_t hold = gcm_lane_hold_cycles(j->aad, j->text, e->p.overhead_cycles);
  if (!e->hooks.on_start(e->hooks.ctx, ji, d, lane)) { /* dropped: no lane time */
    sa_cache_dispatch(&e->cache, sa_i, d, 0, engine_in_window(e, t));
    return;
  }
  /* item 6: in use until past its END (d + hold - 1) + GCM_AES_STAGES */
  sa_cache_dispatch(&e->cache, sa_i, d, d + hold + GCM_AES_STAGES, engine_in_window(e, t));
  engine_lane *l = &e->lanes[lane];
  l->free_at = d + hold;
  l->reserved += j->beats;
  add_busy(e, t, (d + hold) * e->period);
  j->state = JOB_IN_LANE;
  j->lane = lane;
  j->start = d;
  j->fe = gcm_first_out_cycle(d, j->aad, j->text, e->p.overhead_cycles);
  j->popped = 0;
  schedule_pops(l, j, e->out_ready);
  j->next = ENGINE_NIL;
  if (l->tail == ENGINE_NIL) l->head = ji; else e->jobs[l->tail].next = ji;
  l->tail = ji;
}

static void complete(engine *e, uint32_t lane, uint64_t p) {
  memo_drop(e);
  engine_lane *l = &e->lanes[lane];
  const uint32_t ji = l->head;
  l->head = e->jobs[ji].next;
  if (l->head == ENGINE_NIL) l->tail = ENGINE_NIL;
  l->reserved -= e->jobs[ji].beats;
  /* Every dispatch at or before p is done (p < d for any candidate d), and this packet's
   * beats are no longer counted: later decisions must not fall back before p + 1. */
  e->floor = max_u64(e->floor, p + 1);
  e->hooks.on_complete(e->hooks.ctx, ji, p);
}

static sim_fs c_next_event_fs(const void *be) {
  engine *e = (engine *)(uintptr_t)be; /* the memo only: the engine it caches is not changed */
  uint64_t d, p;
  uint32_t dl, pl;
  bool fill;
  const bool can_d = memo_dispatch(e, &d, &dl, &fill), can_p = memo_completion(e, &p, &pl);
  const sim_fs td = can_d ? d * e->period : SIM_FS_NEVER;
  const sim_fs tp = can_p ? gcm_release_fs(p, e->period) : SIM_FS_NEVER;
  return td < tp ? td : tp;
}

static void c_advance(void *be, sim_fs t) {
  engine *e = be;
  for (;;) {
    uint64_t d, p;
    uint32_t dl = 0, pl = 0;
    bool fill;
    const bool can_d = memo_dispatch(e, &d, &dl, &fill), can_p = memo_completion(e, &p, &pl);
    /* A completion in cycle p is visible to dispatch from p+1: it goes first when
     * (p+1)*T <= d*T, i.e. p < d. */
    if (can_p && (!can_d || p < d)) {
      if (gcm_release_fs(p, e->period) > t) break;
      complete(e, pl, p);
      continue;
    }
    if (!can_d || d * e->period > t) break;
    if (fill) {
      const engine_job *h = &e->jobs[e->q_head];
      sa_cache_fill(&e->cache, h->sa, d, max_u64(h->ready, e->floor), engine_in_window(e, d * e->period));
      e->nd_valid = false;
      continue;
    }
    dispatch(e, d, dl);
  }
  /* Whatever is still waiting was not startable at or before t (the floor only grows, so an
   * earlier t than a previous call's changes nothing). */
  e->floor = max_u64(e->floor, gcm_ready_cycle(t, e->period));
  /* A higher floor moves no decided cycle at or after it (every term of next_dispatch is a
   * max with the floor, and credit_cycle is the first cycle from c0 at which a condition that
   * stays true holds); one before it is recomputed. */
  if (e->nd_valid && e->nd_can && e->nd_cycle < e->floor) e->nd_valid = false;
}

/* The packet's job (its index is the id) was filled by the engine; link it into the FIFO. */
static void c_submit(void *be, const gcm_backend_packet *pkt) {
  engine *e = be;
  engine_job *j = &e->jobs[pkt->id];
  j->aad = pkt->aad_bytes;
  j->text = pkt->text_bytes;
  j->beats = gcm_out_beats(pkt->text_bytes);
  j->ready = pkt->ready_cycle;
  j->next = ENGINE_NIL;
  if (e->q_tail == ENGINE_NIL) {
    e->q_head = pkt->id;
    e->nd_valid = false; /* a new head; behind one, the next dispatch does not change */
  } else {
    e->jobs[e->q_tail].next = pkt->id;
  }
  e->q_tail = pkt->id;
}

static void c_set_out_ready(void *be, uint64_t r, bool ready) {
  engine *e = be;
  if (ready == e->out_ready) return;
  memo_drop(e);
  for (uint32_t li = 0; li < e->n_lanes; li++) {
    engine_lane *l = &e->lanes[li];
    l->cursor = r;
    for (uint32_t ji = l->head; ji != ENGINE_NIL; ji = e->jobs[ji].next) {
      engine_job *j = &e->jobs[ji];
      const uint64_t rem = j->beats - j->popped;
      if (e->out_ready && j->pf != ENGINE_NEVER) {
        const uint64_t k = r > j->pf ? (r - j->pf < rem ? r - j->pf : rem) : 0;
        if (k == rem) continue; /* tag popped before r: its window stays as it was */
        j->popped += k;
      }
      schedule_pops(l, j, ready);
    }
  }
  e->out_ready = ready;
}

static void c_stats(const void *be, gcm_backend_stats *st) {
  const engine *e = be;
  uint64_t n = 0;
  for (uint32_t j = e->q_head; j != ENGINE_NIL; j = e->jobs[j].next) n++;
  st->busy_fs = e->busy_fs;
  st->queued = n;
}

const gcm_backend_ops gcm_backend_c = {.name = "c", .submit = c_submit,
                                       .next_event_fs = c_next_event_fs, .advance = c_advance,
                                       .set_out_ready = c_set_out_ready, .stats = c_stats};
