/* Running a sweep's points: in this process, in --jobs N forked worker processes (each takes
 * the next point from a shared task pipe and writes its records to a private temporary
 * file; the parent orders them by point), a shard of them (Slurm arrays: points i with
 * i mod N == I), or MPI ranks (sweep_mpi.c: each rank takes the next point from a shared
 * counter). Every way ends in sweep_merge_texts, so the result text does not depend on how
 * the points were spread. Dealing the next point on request (not i mod N) keeps the workers
 * busy until the last point however unequal the points' costs. */
#ifndef IPSECSIM_SWEEP_SPREAD_H
#define IPSECSIM_SWEEP_SPREAD_H

#include "sweep_plan.h"
#include "sweep_results.h"
#include "sweep_search.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sweep_job {
  const char *path;              /* scenario */
  char *const *sets;             /* --set overrides (before every point's axes and seed) */
  size_t n_sets;
  const sweep_plan *plan;
  const sweep_search_opts *opts;
  const char *header;            /* sweep_header text */
  bool progress;                 /* points done, rate, ETA on stderr */
  sweep_text *balance;           /* NULL, or gets one JSON object per worker (sweep_balance_add) */
} sweep_job;

/* The load balance of a run, for wallclock*.json only: worker `who` ran `points` points in
 * cpu_s CPU seconds of its own process (user + system) and busy_s wall seconds. */
void sweep_balance_add(sweep_text *balance, const char *who, unsigned points, double cpu_s, double busy_s);
/* CPU seconds (user + system) of this process so far. */
double sweep_cpu_now(void);

/* Points i = first, first + stride, ... in this process: header + their records into out;
 * per-point wall seconds as JSON members into wall. Returns an exit status (0 ok; 1 a point
 * failed; 2 unusable input), message on stderr. */
int sweep_run_here(const sweep_job *j, size_t first, size_t stride, sweep_text *out, sweep_text *wall);
/* The points next() hands out (false or a point past the last: no more) in this process:
 * header + their records into out, their count in *points. Returns an exit status. */
int sweep_run_dealt(const sweep_job *j, bool (*next)(void *ctx, size_t *point), void *ctx, sweep_text *out,
                    sweep_text *wall, unsigned *points);
/* All points over `jobs` worker processes; out: the ordered result text. */
int sweep_run_jobs(const sweep_job *j, unsigned jobs, sweep_text *out, sweep_text *wall);

/* MPI (sweep_mpi.c): built with MPI when found at configure time. */
bool sweep_mpi_built(void);
/* Points dealt to ranks on request (an MPI-3 shared counter on rank 0, MPI_Fetch_and_op);
 * rank 0 gathers and gets the ordered text in out (*is_root). Returns an exit status (the
 * same on every rank). */
int sweep_run_mpi(const sweep_job *j, sweep_text *out, sweep_text *wall, bool *is_root, unsigned *ranks);

double sweep_wall_now(void);

#ifdef __cplusplus
}
#endif
#endif
