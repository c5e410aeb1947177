/* Co-simulation of the engine with the Verilated GCM core ([cosim], issue 17; engine.h
 * engine_use_rtl). The core replaces the `c` backend; a second engine on the `c` backend (the
 * predictor) gets the same offers and out_ready changes at the same times, and every packet's
 * tag-pop cycle out of the RTL is compared with the predictor's (no tolerance). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "gcm_backend_rtl.h"

#define COSIM_MSGS 8 /* mismatch lines kept for the user (the counters count all) */

typedef struct cosim_pending {
  uint64_t user;
  uint32_t frag;
  uint64_t cycle;
  bool from_rtl; /* the RTL finished it first (already counted as a mismatch) */
} cosim_pending;

struct engine_cosim {
  engine *e, *pred;
  void *be;
  uint64_t last_dispatch; /* cycle of the core's last start (the C dispatcher's floor) */
  cosim_pending *pend;
  size_t n_pend, cap_pend;
  char *msgs[COSIM_MSGS];
  size_t n_msgs;
  uint64_t more_msgs;
};

static void keep_msg(engine_cosim *c, const char *m) {
  if (c->n_msgs < COSIM_MSGS) c->msgs[c->n_msgs++] = strdup(m);
  else c->more_msgs++;
}

/* Takes the pending entry of (user, frag) made by the other side; false when none. */
static bool take(engine_cosim *c, uint64_t user, uint32_t frag, bool from_rtl, uint64_t *cycle) {
  for (size_t i = c->n_pend; i-- > 0;) {
    cosim_pending *p = &c->pend[i];
    if (p->user != user || p->frag != frag || p->from_rtl == from_rtl) continue;
    *cycle = p->cycle;
    c->pend[i] = c->pend[--c->n_pend];
    return true;
  }
  return false;
}

static void put(engine_cosim *c, uint64_t user, uint32_t frag, uint64_t cycle, bool from_rtl) {
  if (c->n_pend == c->cap_pend) {
    size_t cap = c->cap_pend ? 2 * c->cap_pend : 256;
    cosim_pending *n = realloc(c->pend, cap * sizeof *n);
    if (!n) abort(); /* out of memory: nothing sensible to simulate */
    c->pend = n;
    c->cap_pend = cap;
  }
  c->pend[c->n_pend++] = (cosim_pending){user, frag, cycle, from_rtl};
}

bool engine_on_rtl(const engine *e) { return e->cosim != NULL; }

uint32_t engine_give_gcm_inputs(engine *e, const engine_gcm_input *g, uint32_t n) {
  if (!e->cosim || !gcm_backend_rtl_give) return 0;
  uint32_t took = 0;
  for (uint32_t i = 0; i < n && i < e->n_offer_jobs; i++) {
    const uint32_t ji = e->offer_jobs[i];
    if (!gcm_backend_rtl_give(e->cosim->be, ji, g[i].nonce, g[i].aad, g[i].aad_len, g[i].text, g[i].text_len)) continue;
    e->jobs[ji].sb_real = true;
    took++;
  }
  return took;
}

/* ---- the engine on the RTL: its hooks write what the `c` backend writes itself ---- */
static bool rtl_start(void *ctx, uint32_t id, uint64_t d, uint32_t lane) {
  engine_cosim *c = ctx;
  engine *e = c->e;
  engine_job *j = &e->jobs[id];
  const uint32_t sa_i = j->sa;
  const uint64_t hold = gcm_lane_hold_cycles(j->aad, j->text, e->p.overhead_cycles);
  const bool win = engine_in_window(e, d * e->period);
  e->q_bytes -= j->queue_bytes; /* it leaves the input FIFO (engine_dispatch.c dispatch) */
  if (j->queue_bytes) e->q_pkts--;
  if (!engine_start_hook(e, id, d, lane)) {
    sa_cache_dispatch(&e->cache, sa_i, d, 0, win);
    c->last_dispatch = d;
    return false;
  }
  sa_cache_dispatch(&e->cache, sa_i, d, d + hold + GCM_AES_STAGES, win);
  c->last_dispatch = d;
  j->state = JOB_IN_LANE;
  j->lane = lane;
  j->start = d;
  return true;
}

/* The core's key cache filled the slot for packet id, requested in cycle a: the engine's SA
 * cache counts the miss as engine_dispatch.c would (lookup: when it became the ready head). */
static void rtl_fill(void *ctx, uint32_t id, uint64_t a) {
  engine_cosim *c = ctx;
  engine *e = c->e;
  const engine_job *j = &e->jobs[id];
  const uint64_t lookup = j->ready > c->last_dispatch ? j->ready : c->last_dispatch;
  sa_cache_fill(&e->cache, j->sa, a, lookup, engine_in_window(e, a * e->period));
}

static void rtl_first_pop(void *ctx, uint32_t id, uint64_t cycle) {
  engine_cosim *c = ctx;
  c->e->jobs[id].first_pop = cycle;
}

static void rtl_complete(void *ctx, uint32_t id, uint64_t p) {
  engine_cosim *c = ctx;
  engine *e = c->e;
  const engine_job *j = &e->jobs[id];
  engine_run_until(c->pred, gcm_release_fs(p, e->period)); /* the predictor up to this pop */
  uint64_t want = 0;
  const bool known = take(c, j->user, j->frag_index, true, &want);
  if (!known || want != p) {
    (*e->c.sb_cycle_mismatches)++;
    char m[256];
    if (known)
      snprintf(m, sizeof m, "scoreboard: cycle mismatch: ESP packet %u of engine packet %llu, SA %u: RTL tag popped in "
               "cycle %llu, the C model predicts cycle %llu (%+lld)", j->frag_index, (unsigned long long)j->user,
               j->sa, (unsigned long long)p, (unsigned long long)want, (long long)(p - want));
    else
      snprintf(m, sizeof m, "scoreboard: cycle mismatch: ESP packet %u of engine packet %llu, SA %u: RTL tag popped in "
               "cycle %llu, the C model has not finished it by then", j->frag_index, (unsigned long long)j->user,
               j->sa, (unsigned long long)p);
    keep_msg(c, m);
    if (!known) put(c, j->user, j->frag_index, p, true);
  }
  engine_complete_hook(e, id, p);
}

static void rtl_checked(void *ctx, uint32_t id, const char *msg) {
  engine_cosim *c = ctx;
  c->e->jobs[id].sb_checked = true; /* counted when released or dropped (engine.c), in the window */
  if (!msg) return;
  (*c->e->c.sb_mismatches)++;
  keep_msg(c, msg);
}

/* ---- the predictor: the `c` backend; its tag pops are recorded ---- */
static bool pred_start(void *ctx, uint32_t id, uint64_t d, uint32_t lane) {
  return engine_start_hook(((engine_cosim *)ctx)->pred, id, d, lane);
}

static void pred_complete(void *ctx, uint32_t id, uint64_t p) {
  engine_cosim *c = ctx;
  const engine_job *j = &c->pred->jobs[id];
  uint64_t rtl_cycle;
  if (!take(c, j->user, j->frag_index, false, &rtl_cycle)) put(c, j->user, j->frag_index, p, false);
  engine_complete_hook(c->pred, id, p);
}

static void pred_emit(void *ctx, const engine_out *o) {
  (void)ctx;
  (void)o;
}

bool engine_use_rtl(engine *e, const uint8_t *const *keys, const uint8_t *key_len, const bool *at_start, int fault,
                    char *why, size_t why_len) {
  if (!gcm_backend_rtl_available()) {
    snprintf(why, why_len, "--gcm-model rtl: this ipsecsim was built without the Verilated GCM core");
    return false;
  }
  if (e->cosim || e->tot_offered) {
    snprintf(why, why_len, "--gcm-model rtl: the engine has already started");
    return false;
  }
  engine_cosim *c = calloc(1, sizeof *c);
  bool *dec = calloc(e->n_sas ? e->n_sas : 1, sizeof *dec);
  if (!c || !dec) {
    free(c), free(dec);
    snprintf(why, why_len, "out of memory");
    return false;
  }
  c->e = e;
  c->pred = engine_create(&e->p, e->cfgs, e->n_sas, pred_emit, NULL, why, why_len);
  if (!c->pred) {
    free(c), free(dec);
    return false;
  }
  c->pred->hooks = (gcm_backend_hooks){.ctx = c, .on_start = pred_start, .on_complete = pred_complete};
  if (at_start) engine_sa_cache_preload(c->pred, at_start); /* the others come by engine_install_sa */
  for (uint32_t i = 0; i < e->n_sas; i++) dec[i] = e->cfgs[i].dir == ENGINE_DECRYPT;
  const gcm_backend_rtl_cfg rc = {
      .lanes = (unsigned)e->p.lanes, .overhead_cycles = (unsigned)e->p.overhead_cycles,
      .out_fifo_depth = (unsigned)e->p.out_fifo_depth, .reorder_depth = (unsigned)e->p.reorder_depth,
      .pin = e->p.sa_dispatch == ENGINE_PIN, .period_fs = e->period, .n_sas = e->n_sas, .keys = keys,
      .key_len = key_len, .decrypt = dec, .sa_cache_entries = e->p.sa_cache_entries,
      .sa_miss_cycles = e->p.sa_miss_cycles, .window_from = &e->w0, .window_to = &e->w1,
      .fault = (gcm_rtl_fault)fault, .msg_ctx = c, .on_checked = rtl_checked, .on_fill = rtl_fill,
      .at_start = at_start};
  e->hooks = (gcm_backend_hooks){.ctx = c, .on_start = rtl_start, .on_complete = rtl_complete,
                                 .on_first_pop = rtl_first_pop};
  const gcm_backend_ops *ops = NULL;
  c->be = gcm_backend_rtl_open(&rc, &e->hooks, &ops, why, why_len);
  free(dec);
  if (!c->be) {
    engine_destroy(c->pred);
    free(c);
    e->hooks = (gcm_backend_hooks){.ctx = e, .on_start = engine_start_hook, .on_complete = engine_complete_hook};
    return false;
  }
  e->be_ops = ops;
  e->be = c->be;
  e->cosim = c;
  return true;
}

/* engine_install_sa on the engine of the core (it has advanced to t): the predictor installs
 * the SA as the `c` engine does, and the core's key setup is requested in the first cycle at
 * or after t (gcm_ready_cycle; the C side's a): the core accepts it when no install runs (its
 * ks_ready, the C side's port_free) and the SA's packets wait for the slot at the FIFO head. */
void engine_cosim_install(engine_cosim *c, uint32_t sa_index, sim_fs t) {
  engine_install_sa(c->pred, sa_index, t);
  const uint64_t r = gcm_ready_cycle(t, c->e->period);
  if (gcm_backend_rtl_install && gcm_backend_rtl_install(c->be, sa_index, r)) return;
  (*c->e->c.sb_cycle_mismatches)++; /* the core cannot take it in cycle r: its timing is off */
  char m[160];
  snprintf(m, sizeof m, "scoreboard: cycle mismatch: SA %u's key setup is due in cycle %llu, the RTL core had "
           "clocked past it", sa_index, (unsigned long long)r);
  keep_msg(c, m);
}

void engine_cosim_free(engine_cosim *c) {
  if (!c) return;
  gcm_backend_rtl_close(c->be);
  engine_destroy(c->pred);
  for (size_t i = 0; i < c->n_msgs; i++) free(c->msgs[i]);
  free(c->pend);
  free(c);
}

engine *engine_cosim_predictor(engine_cosim *c) { return c ? c->pred : NULL; }

uint64_t engine_rtl_cycles(const engine *e) {
  return e->cosim && gcm_backend_rtl_cycles ? gcm_backend_rtl_cycles(e->cosim->be) : 0;
}

bool engine_rtl_wave(engine *e, const char *path, sim_fs from, sim_fs to, char *why, size_t why_len) {
  if (!e->cosim) return snprintf(why, why_len, "--wave: the engine is not on the RTL core"), false;
  return gcm_backend_rtl_wave(e->cosim->be, path, from, to, why, why_len);
}

void engine_scoreboard_finish(engine *e) {
  engine_cosim *c = e->cosim;
  if (!c) return;
  for (size_t i = 0; i < c->n_pend;) {
    const cosim_pending *p = &c->pend[i];
    if (p->from_rtl || gcm_release_fs(p->cycle, e->period) >= e->now) {
      i++;
      continue;
    }
    (*e->c.sb_cycle_mismatches)++;
    char m[256];
    snprintf(m, sizeof m, "scoreboard: cycle mismatch: ESP packet %u of engine packet %llu: the C model popped its tag "
             "in cycle %llu, the RTL had not by the end of the run", p->frag, (unsigned long long)p->user,
             (unsigned long long)p->cycle);
    keep_msg(c, m);
    c->pend[i] = c->pend[--c->n_pend];
  }
}

size_t engine_scoreboard_report(const engine *e, FILE *fp) {
  const engine_cosim *c = e->cosim;
  if (!c) return 0;
  for (size_t i = 0; i < c->n_msgs; i++) fprintf(fp, "%s\n", c->msgs[i]);
  if (c->more_msgs) fprintf(fp, "scoreboard: %llu more mismatches not shown\n", (unsigned long long)c->more_msgs);
  return c->n_msgs + c->more_msgs;
}
