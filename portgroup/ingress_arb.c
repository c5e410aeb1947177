/* Per-input queues with a deficit-round-robin arbiter; see ingress_arb.h. */
#include "ingress_arb.h"

#include <stdlib.h>
#include <string.h>

bool ingress_arb_init(ingress_arb *a, uint32_t n_inputs, const uint32_t *weights, uint32_t quantum_unit,
                      uint64_t cap_bytes, uint32_t cap_pkts) {
  memset(a, 0, sizeof *a);
  a->w1 = SIM_FS_NEVER;
  if (n_inputs == 0 || cap_pkts == 0 || quantum_unit == 0) return false;
  a->pkts = &a->own_[0], a->drops = &a->own_[1], a->held_drops = &a->own_[2];
  a->in = calloc(n_inputs, sizeof *a->in);
  if (!a->in) return false;
  a->n_in = n_inputs;
  for (uint32_t i = 0; i < n_inputs; i++) {
    arb_input *q = &a->in[i];
    q->pkts = &q->own_[0], q->drops = &q->own_[1], q->held_drops = &q->own_[2];
    q->cap_pkts = cap_pkts;
    q->cap_bytes = cap_bytes;
    q->quantum = quantum_unit * (weights && weights[i] ? weights[i] : 1);
    q->ring = malloc((size_t)cap_pkts * sizeof *q->ring);
    if (!q->ring) return false;
  }
  return true;
}

void ingress_arb_free(ingress_arb *a) {
  for (uint32_t i = 0; a->in && i < a->n_in; i++) free(a->in[i].ring);
  free(a->in);
  a->in = NULL;
}

void ingress_arb_window(ingress_arb *a, sim_fs w0, sim_fs w1) {
  a->w0 = w0;
  a->w1 = w1;
  a->last = 0;
}

/* waiting-packet area for [last, t] clipped to the window */
static void integrate(ingress_arb *a, sim_fs t) {
  sim_fs lo = a->last > a->w0 ? a->last : a->w0;
  sim_fs hi = t < a->w1 ? t : a->w1;
  if (hi > lo && a->waiting) {
    a->area_pkts += (double)a->waiting * (double)(hi - lo);
    a->area_bytes += (double)a->waiting_bytes * (double)(hi - lo);
    if (a->series) occ_series_span(a->series, lo, hi, a->waiting, a->waiting_bytes);
  }
  if (t > a->last) a->last = t;
}

void ingress_arb_set_overhead(ingress_arb *a, uint32_t overhead) { a->overhead = overhead; }

void ingress_arb_set_weight(ingress_arb *a, uint32_t input, uint32_t quantum_unit, uint32_t weight) {
  if (input < a->n_in) a->in[input].quantum = quantum_unit * (weight ? weight : 1);
}

void ingress_arb_set_credit(ingress_arb *a, uint64_t cap_bytes, uint32_t cap_pkts) {
  a->credit.on = true;
  a->credit.bytes = a->credit.cap_bytes = cap_bytes;
  a->credit.pkts = a->credit.cap_pkts = cap_pkts;
}

/* A packet larger than the whole downstream queue is not flow-controlled (see header). */
static bool credit_exempt(const ingress_arb *a, uint32_t bytes) {
  return !a->credit.on || bytes > a->credit.cap_bytes;
}

static bool credit_fits(const ingress_arb *a, uint32_t bytes) {
  return credit_exempt(a, bytes) || (a->credit.pkts >= 1 && a->credit.bytes >= bytes);
}

static void credit_take(ingress_arb *a, uint32_t bytes) {
  if (credit_exempt(a, bytes)) return;
  a->credit.pkts--;
  a->credit.bytes -= bytes;
}

/* Downstream credits own the backlog: since this stage's queues were last empty, its sending
 * has been held for lack of credits (set when held, cleared when the queues drain). A backlog
 * that built up with credits always there is this stage's own server's. */
static bool downstream_owns_drop(const ingress_arb *a) {
  return a->credit.on && a->credit_backlog;
}

arb_result ingress_arb_arrive(ingress_arb *a, bw_server *srv, uint32_t input, sim_fs t, const sim_pkt *pkt,
                              uint32_t aux, sim_fs *t_out) {
  bool in_window = t >= a->w0 && t < a->w1;
  bw_server_advance(srv, t);
  if (a->waiting == 0 && srv->free_at <= t && credit_fits(a, pkt->bytes)) { /* nothing contends */
    credit_take(a, pkt->bytes);
    a->in[input].tot_in++;
    if (in_window) (*a->in[input].pkts)++, (*a->pkts)++;
    *t_out = bw_server_offer(srv, t, pkt->bytes);
    return ARB_SERVED;
  }
  arb_input *q = &a->in[input];
  if (q->n == q->cap_pkts || q->q_bytes + pkt->bytes > q->cap_bytes) {
    q->tot_drops++;
    a->tot_drops++;
    if (downstream_owns_drop(a)) {
      q->tot_held_drops++;
      a->tot_held_drops++;
      if (in_window) (*q->held_drops)++, (*a->held_drops)++;
      return ARB_DROPPED_HELD;
    }
    if (in_window) (*q->drops)++, (*a->drops)++;
    return ARB_DROPPED;
  }
  integrate(a, t);
  uint32_t tail = q->head + q->n;
  if (tail >= q->cap_pkts) tail -= q->cap_pkts;
  q->ring[tail].pkt = *pkt;
  q->ring[tail].aux = aux;
  q->ring[tail].input = input;
  q->n++;
  q->q_bytes += pkt->bytes;
  q->tot_in++;
  a->waiting++;
  a->waiting_bytes += pkt->bytes;
  if (in_window) {
    (*q->pkts)++;
    (*a->pkts)++;
    uint32_t occ = a->waiting + srv->n;
    if (occ > a->max_pkts) a->max_pkts = occ;
    if (a->waiting_bytes + srv->q_bytes > a->max_bytes) a->max_bytes = a->waiting_bytes + srv->q_bytes;
    if (a->series) occ_series_peak(a->series, t, occ, a->waiting_bytes + srv->q_bytes);
  }
  if (a->pending || a->held) return ARB_QUEUED;
  if (!credit_fits(a, pkt->bytes)) { /* the only waiting packet: wait for its credits */
    a->held = a->credit_backlog = true;
    return ARB_QUEUED;
  }
  a->pending = true;
  *t_out = srv->free_at;
  return ARB_QUEUED_SCHEDULE;
}

static void next_input(ingress_arb *a) {
  a->cur = a->cur + 1 == a->n_in ? 0 : a->cur + 1;
  a->granted = false;
}

/* DRR: the input whose head packet goes next. Idempotent until that packet is taken (a
 * second call finds the same input granted with the same head), so it may run early, to
 * check the head's credits. Terminates because some input is backlogged and deficits grow
 * each round. Requires a->waiting > 0. */
static arb_input *drr_select(ingress_arb *a) {
  for (;;) {
    arb_input *q = &a->in[a->cur];
    if (q->n == 0) {
      q->deficit = 0;
      next_input(a);
      continue;
    }
    if (!a->granted) {
      q->deficit += q->quantum;
      a->granted = true;
    }
    if ((uint64_t)q->ring[q->head].pkt.bytes + a->overhead > q->deficit) {
      next_input(a);
      continue;
    }
    return q;
  }
}

/* Packets wait: can the next one go when the server frees (credits)? Ample credits (room for
 * the largest frame) skip the early DRR selection, so without backpressure the choice is made
 * at dispatch time as before. */
static bool next_can_go(ingress_arb *a) {
  if (!a->credit.on || (a->credit.pkts >= 1 && a->credit.bytes >= UINT16_MAX)) return true;
  const arb_input *q = drr_select(a);
  return credit_fits(a, q->ring[q->head].pkt.bytes);
}

bool ingress_arb_credit_return(ingress_arb *a, const bw_server *srv, uint32_t bytes, sim_fs t, sim_fs *t_out) {
  if (credit_exempt(a, bytes)) return false;
  a->credit.pkts++;
  a->credit.bytes += bytes;
  if (!a->held || !next_can_go(a)) return false;
  a->held = false;
  a->pending = true;
  *t_out = srv->free_at > t ? srv->free_at : t;
  return true;
}

bool ingress_arb_dispatch(ingress_arb *a, bw_server *srv, sim_fs t, arb_item *item, sim_fs *depart, sim_fs *next) {
  a->pending = false;
  *next = SIM_FS_NEVER;
  if (a->waiting == 0) return false;
  arb_input *q = drr_select(a);
  if (!credit_fits(a, q->ring[q->head].pkt.bytes)) { /* not reached: checked when scheduled */
    a->held = a->credit_backlog = true;
    return false;
  }
  integrate(a, t);
  *item = q->ring[q->head];
  q->deficit -= (uint64_t)item->pkt.bytes + a->overhead;
  q->head = q->head + 1 == q->cap_pkts ? 0 : q->head + 1;
  q->n--;
  q->q_bytes -= item->pkt.bytes;
  a->waiting--;
  a->waiting_bytes -= item->pkt.bytes;
  if (a->waiting == 0) a->credit_backlog = false;
  if (q->n == 0) {
    q->deficit = 0;
    next_input(a);
  }
  credit_take(a, item->pkt.bytes);
  *depart = bw_server_offer(srv, t, item->pkt.bytes);
  if (a->waiting) {
    if (next_can_go(a)) {
      a->pending = true;
      *next = srv->free_at;
    } else {
      a->held = a->credit_backlog = true;
    }
  }
  return true;
}

static double window_len(const ingress_arb *a) {
  return a->w1 > a->w0 && a->w1 != SIM_FS_NEVER ? (double)(a->w1 - a->w0) : 0.0;
}

double ingress_arb_mean_pkts(const ingress_arb *a, const bw_server *srv) {
  double w = window_len(a);
  return (w > 0 ? a->area_pkts / w : 0.0) + bw_server_mean_pkts(srv);
}

double ingress_arb_mean_bytes(const ingress_arb *a, const bw_server *srv) {
  double w = window_len(a);
  return (w > 0 ? a->area_bytes / w : 0.0) + bw_server_mean_bytes(srv);
}
