/* Engine state shared by engine.c (admission, release, counters) and engine_dispatch.c
 * (dispatcher, lanes, output FIFOs, the event loop). Not part of the block's contract. */
#ifndef IPSECSIM_ENGINE_INTERNAL_H
#define IPSECSIM_ENGINE_INTERNAL_H

#include "engine.h"
#include "gcm_backend.h"
#include "replay.h"

#define ENGINE_NIL UINT32_MAX
typedef struct engine_cosim engine_cosim;
#define ENGINE_NEVER UINT64_MAX

typedef enum job_state { JOB_QUEUED, JOB_IN_LANE, JOB_DONE } job_state;

/* One ESP packet (one GCM operation): in the input FIFO, then in a lane's output FIFO until
 * its tag beat is popped, and in its SA's in-flight list until released. */
typedef struct engine_job {
  uint64_t user;
  uint32_t sa;
  uint32_t next;          /* input FIFO, then lane FIFO */
  uint32_t sa_next;       /* SA's in-flight list, dispatch order */
  uint32_t frag_index, frag_count;
  job_state state;
  bool icv_ok, trailer_ok, waiting;
  bool sb_checked;        /* the RTL scoreboard checked its bytes (engine_cosim.c) */
  bool sb_real;           /* ... on the packet's own bytes (engine_give_gcm_inputs) */
  uint32_t seq_wire;
  uint32_t queue_bytes;   /* input-FIFO bytes freed when this entry is dispatched */
  uint32_t out_ip;        /* IP bytes leaving the engine */
  uint32_t wan_frame, clear_frame; /* frames counted at release (clear 0: a non-last fragment) */
  uint32_t aad, text;
  uint64_t seq;
  uint64_t ready;         /* cycle it becomes dispatchable */
  uint32_t lane;
  uint64_t start;         /* dispatch cycle */
  uint64_t fe;            /* cycle its first output beat enters the lane FIFO */
  uint64_t beats, popped; /* output beats; popped in earlier out_ready epochs */
  uint64_t pf, pl;        /* pops of beats popped..beats-1: cycles pf..pl (NEVER: suspended) */
  uint64_t first_pop;
  sim_fs offer_fs;
} engine_job;

typedef struct engine_lane {
  uint64_t free_at;       /* cycle it may dispatch its next packet */
  uint32_t head, tail;    /* started jobs whose tag beat is not yet popped */
  uint64_t cursor;        /* earliest pop cycle for a job appended now */
  uint64_t reserved;      /* output beats of the jobs in its FIFO list (>= unpopped) */
} engine_lane;

/* Per-SA state touched per packet, one 64-byte line (SA access is random over up to 2000 SAs;
 * the full engine_sa sits in a cold array). */
typedef struct engine_sa_state {
  _Alignas(64) uint64_t seq; /* outbound: last assigned */
  uint64_t ok_from;       /* cycle from which a freed reorder slot may be used */
  sim_fs last_release_fs;
  replay_window *rw;      /* inbound */
  uint32_t head, tail;    /* in flight, dispatch order */
  uint32_t outstanding;
  uint32_t max_inner;     /* sa_max_inner: larger clear datagrams are fragmented */
  uint32_t tunnel_mtu;
  uint32_t queued;        /* outbound: ESP packets admitted, not yet started (no number yet) */
  uint16_t around;        /* ESP IP bytes besides the lane text P */
  uint8_t dir;            /* engine_dir */
  bool esn, store_forward;
} engine_sa_state;

struct engine {
  engine_params p;
  const gcm_backend_ops *be_ops; /* the core; the engine calls only these (gcm_backend.h) */
  void *be;
  gcm_backend_hooks hooks;       /* engine_start_hook, engine_complete_hook */
  sim_fs period;
  engine_emit_fn emit;
  void *ctx;
  uint32_t n_lanes;
  engine_lane *lanes;
  engine_sa_state *sas;
  engine_sa *cfgs;
  unsigned char *arena;   /* the inbound SAs' replay windows (engine.c place_windows) */
  uint32_t n_sas;
  engine_job *jobs;       /* pool; free list through next */
  uint32_t n_jobs, cap_jobs, free_head;
  uint32_t q_head, q_tail;
  uint64_t q_bytes, q_pkts;
  uint64_t floor;         /* no dispatch may be decided for a cycle before this one */
  bool out_ready;
  sim_fs now;
  uint64_t reorder_waiting;
  sa_cache cache;          /* SA contexts (engine_sa_cache.h); only the FIFO head asks it */
  /* `c` backend memo of its next dispatch and next completion (engine_dispatch.c): pure
   * functions of the state, kept until a change that can move them */
  bool nd_valid, nd_can, nd_fill, nc_valid, nc_can;
  uint32_t nd_lane, nc_lane;
  uint64_t nd_cycle, nc_cycle;
  /* window and statistics */
  sim_fs w0, w1;
  engine_counters c;
  stats_counter own_[11 + ENGINE_DROP_N];
  engine_cosim *cosim;     /* engine_use_rtl: the RTL backend, its predictor, the scoreboard */
  uint32_t offer_jobs[ENGINE_GCM_INPUTS_MAX]; /* on the RTL: the jobs the last offer queued (ESP packet order) */
  uint32_t n_offer_jobs;
  sim_fs busy_fs;
  uint64_t queue_max, reorder_max;
  occ_series *series;      /* input FIFO occupancy per time bucket, or NULL */
  /* all-time, for conservation */
  uint64_t tot_offered, tot_accepted, tot_input_drops, tot_host;
  uint64_t tot_jobs, tot_released, tot_late_drops, jobs_inside;
};

static inline bool engine_in_window(const engine *e, sim_fs t) { return t >= e->w0 && t < e->w1; }

_Static_assert(sizeof(engine_sa_state) == 64, "per-SA hot state is one cache line");

/* engine.c */
uint32_t engine_job_alloc(engine *e);
void engine_job_free(engine *e, uint32_t j);
void engine_emit_drop(engine *e, const engine_job *j, engine_drop why, sim_fs t, bool late);
/* Backend hooks (gcm_backend.h), ctx = the engine. start: sequence number or anti-replay at
 * dispatch (false: dropped and freed); complete: the tag beat popped in cycle p, release what
 * its SA can release. */
bool engine_start_hook(void *ctx, uint32_t j, uint64_t d, uint32_t lane);
void engine_complete_hook(void *ctx, uint32_t j, uint64_t p);
/* engine_cosim.c */
void engine_cosim_free(engine_cosim *c);
engine *engine_cosim_predictor(engine_cosim *c);
void engine_cosim_install(engine_cosim *c, uint32_t sa_index, sim_fs t); /* engine_install_sa under the RTL */
/* engine_offer.c: the time API through the backend */
void engine_run_until(engine *e, sim_fs t);

#endif
