/* Per-input ingress queues with a deficit-round-robin arbiter in front of a shared
 * bandwidth resource (bw_server). Used where several inputs merge: the port group's ingress
 * (one queue per port, plus the IPsec engine on PG0) and the slice's buffer writes (PG0,
 * PG1, fabric). A single tail-drop FIFO there lets constant-rate inputs that arrive in
 * lockstep starve one input completely; hardware (MQSS) buffers per input and arbitrates,
 * weighted by the input's speed, so a shared ceiling C is split C / n between n equal
 * inputs that each offer more than C / n.
 *
 * Deficit round robin over bytes (Shreedhar & Varghese 1995): each visit to a backlogged
 * input adds its quantum (bytes, proportional to its weight) to its deficit; the input
 * sends head packets while they fit in the deficit; an input that empties loses its deficit.
 *
 * Event budget: a packet that finds every queue empty and the server free is served on
 * arrival (no event, departure computed straight through). Otherwise it waits in its input
 * queue and the caller schedules one dispatch event at the time the server frees
 * (ingress_arb_arrive returns ARB_QUEUED_SCHEDULE with that time); each dispatch serves one
 * packet and asks for the next dispatch while packets wait: at most one event per packet.
 * Tail drop is per input queue (bytes and descriptors).
 *
 * Downstream flow control (optional, ingress_arb_set_credit): when the arbiter's output feeds
 * one queue of a downstream arbiter (a port group into its slice's buffer-write queue), the
 * arbiter holds credits equal to that queue's capacity (bytes and descriptors). Sending a
 * packet takes its credits, the downstream returns them when it takes the packet off its queue
 * (ingress_arb_credit_return), so the downstream queue never overflows: a packet whose credits
 * are not there waits here, in its input queue, and DRR keeps the inputs fair (credit/XOFF
 * backpressure, no kernel event while held). A queue-full drop is the downstream's
 * (ARB_DROPPED_HELD, counted apart in held_drops) when, since this stage's queues were last
 * empty, its sending has been held for lack of credits (the backlog grew while credits were
 * short); a backlog that built up with credits always there is this stage's own (ARB_DROPPED).
 * A packet larger than the whole downstream queue is not flow-controlled
 * (takes and returns no credits; the downstream tail-drops it if it has to queue).
 * Window counters are incremented
 * through stats_counter pointers (own storage until the owner points them at registered
 * counters; do not copy an arbiter after init). */
#ifndef IPSECSIM_INGRESS_ARB_H
#define IPSECSIM_INGRESS_ARB_H

#include <stdbool.h>
#include <stdint.h>

#include "bw_server.h"
#include "model/sim_heap.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct arb_item {
  sim_pkt pkt;
  uint32_t aux;   /* caller's routing word, returned with the packet */
  uint32_t input; /* the input queue it waited in */
} arb_item;

typedef struct arb_input {
  arb_item *ring;
  uint32_t head, n, cap_pkts;
  uint64_t q_bytes, cap_bytes;
  uint32_t quantum;
  uint64_t deficit;
  stats_counter *pkts, *drops; /* window: accepted / tail-dropped arrivals (registry or own_) */
  stats_counter *held_drops;   /* window: tail drops while held by downstream credits */
  stats_counter own_[3];
  uint64_t tot_in, tot_drops;  /* all-time (tot_drops includes held drops) */
  uint64_t tot_held_drops;
} arb_input;

typedef struct arb_credit {
  bool on;
  uint64_t bytes, cap_bytes; /* credits held / downstream queue capacity */
  uint32_t pkts, cap_pkts;
} arb_credit;

typedef struct ingress_arb {
  arb_input *in;
  uint32_t n_in;
  uint32_t cur;      /* input the round robin is visiting */
  bool granted;      /* cur got its quantum on this visit */
  bool pending;      /* a dispatch event is scheduled */
  bool held;         /* packets wait for downstream credits (no dispatch scheduled) */
  bool credit_backlog; /* held at least once since the queues were last empty */
  arb_credit credit;
  uint32_t overhead; /* bytes DRR charges per packet besides the frame (ingress_arb_set_overhead) */
  uint32_t waiting;  /* packets queued over all inputs (not yet in service) */
  uint64_t waiting_bytes;
  /* window statistics of the whole stage (waiting + in service) */
  sim_fs w0, w1, last;
  double area_pkts, area_bytes; /* waiting packets only; the server integrates its own */
  uint32_t max_pkts;
  uint64_t max_bytes;
  stats_counter *pkts, *drops;  /* window, all inputs (registry counters or own_) */
  stats_counter *held_drops;    /* window, all inputs: drops while held by downstream credits */
  stats_counter own_[3];
  uint64_t tot_drops;           /* all-time, held drops included */
  uint64_t tot_held_drops;
  occ_series *series; /* the stage's occupancy per time bucket (shared with its server), or NULL */
} ingress_arb;

typedef enum arb_result { ARB_SERVED, ARB_QUEUED, ARB_QUEUED_SCHEDULE, ARB_DROPPED, ARB_DROPPED_HELD } arb_result;

/* weights[i] >= 1: input i's quantum is quantum_unit x weights[i] bytes. */
bool ingress_arb_init(ingress_arb *a, uint32_t n_inputs, const uint32_t *weights, uint32_t quantum_unit,
                      uint64_t cap_bytes, uint32_t cap_pkts);
void ingress_arb_free(ingress_arb *a);
void ingress_arb_window(ingress_arb *a, sim_fs w0, sim_fs w1);

/* DRR charges frame + overhead bytes per packet (0 by default): set it to what the server
 * behind the arbiter charges, so inputs of different frame sizes get their weighted share
 * of the server's time. */
void ingress_arb_set_overhead(ingress_arb *a, uint32_t overhead);
/* Input i's weight (quantum = quantum_unit x weight), e.g. from an attached block's capacity. */
void ingress_arb_set_weight(ingress_arb *a, uint32_t input, uint32_t quantum_unit, uint32_t weight);

/* Turns on downstream flow control with the downstream queue's capacity (see above). */
void ingress_arb_set_credit(ingress_arb *a, uint64_t cap_bytes, uint32_t cap_pkts);
/* The downstream took a packet of `bytes` off its queue at t: its credits come back. Returns
 * true when the arbiter was held and can now send: the caller schedules a dispatch at *t_out. */
bool ingress_arb_credit_return(ingress_arb *a, const bw_server *srv, uint32_t bytes, sim_fs t, sim_fs *t_out);

/* A packet arrives on `input` at t. ARB_SERVED: *t_out = departure from `srv` (done +
 * latency). ARB_QUEUED_SCHEDULE: queued, the caller schedules a dispatch at *t_out.
 * ARB_QUEUED: queued, a dispatch is already scheduled (or the arbiter is held by credits).
 * ARB_DROPPED: input queue full. ARB_DROPPED_HELD: input queue full in a backlog during which
 * sending was held for lack of downstream credits (the downstream owns the drop). */
arb_result ingress_arb_arrive(ingress_arb *a, bw_server *srv, uint32_t input, sim_fs t, const sim_pkt *pkt,
                              uint32_t aux, sim_fs *t_out);
/* The dispatch event at t (>= srv->free_at): serves the next packet by DRR into `srv`.
 * Fills *item and *depart (done + latency); *next = time of the next dispatch to schedule,
 * SIM_FS_NEVER when nothing waits or the next packet must wait for credits (the arbiter is
 * then held until ingress_arb_credit_return). Returns false when nothing waited (no packet). */
bool ingress_arb_dispatch(ingress_arb *a, bw_server *srv, sim_fs t, arb_item *item, sim_fs *depart, sim_fs *next);

/* Mean / max occupancy of the stage in the window (waiting + in service). */
double ingress_arb_mean_pkts(const ingress_arb *a, const bw_server *srv);
double ingress_arb_mean_bytes(const ingress_arb *a, const bw_server *srv);

#ifdef __cplusplus
}
#endif
#endif
