/* MPI runs of a sweep (sweep_spread.h): `mpirun -np N ipsecsim sweep --mpi ...`. Points are
 * dealt on request: a counter in an MPI-3 window on rank 0, which every rank (rank 0 too)
 * increments with MPI_Fetch_and_op to take its next point, so no rank idles while another
 * still has a queue of dealt points (the former static i mod N left one rank with the
 * costlier points). Within one node OpenMPI's osc/sm does the atomic in shared memory; across
 * nodes a request may wait until rank 0 next enters MPI (between its points). Rank 0 gathers
 * every rank's result text (lengths with MPI_Gather, texts with MPI_Gatherv) and orders them
 * like merged shards, so the files it writes are those of a serial run. A rank that finished
 * waits in MPI with mpi_yield_when_idle set (unless the user set it), so its polling yields
 * the core. Built with MPI when CMake finds it (option IPSECSIM_MPI); otherwise --mpi says so
 * and exits 2. */
#include "sweep_spread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef IPSECSIM_HAVE_MPI
#include <mpi.h>

bool sweep_mpi_built(void) { return true; }

typedef struct dealer {
  MPI_Win win;
} dealer;

/* The next point: counter += 1 on rank 0, atomically, returning the old value. */
static bool next_point(void *ctx, size_t *point) {
  dealer *d = ctx;
  const long one = 1;
  long got = 0;
  MPI_Fetch_and_op(&one, &got, MPI_LONG, 0, 0, MPI_SUM, d->win);
  MPI_Win_flush(0, d->win);
  *point = (size_t)got;
  return got >= 0;
}

int sweep_run_mpi(const sweep_job *j, sweep_text *out, sweep_text *wall, bool *is_root, unsigned *ranks) {
  int inited = 0, rank = 0, size = 1;
  MPI_Initialized(&inited);
  setenv("OMPI_MCA_mpi_yield_when_idle", "1", 0); /* read by MPI_Init; the user's value wins */
  if (!inited) MPI_Init(NULL, NULL);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  *is_root = rank == 0;
  *ranks = (unsigned)size;
  sweep_job mine_job = *j;
  mine_job.progress = j->progress && rank == 0; /* one progress line: rank 0's share */
  sweep_text mine = {0}, my_wall = {0};
  dealer d;
  long *counter = NULL;
  MPI_Win_allocate(rank == 0 ? (MPI_Aint)sizeof(long) : 0, (int)sizeof(long), MPI_INFO_NULL, MPI_COMM_WORLD, &counter,
                   &d.win);
  if (rank == 0) {
    MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, d.win);
    *counter = 0;
    MPI_Win_unlock(0, d.win);
  }
  MPI_Barrier(MPI_COMM_WORLD); /* the counter is 0 before anyone takes a point */
  MPI_Win_lock_all(0, d.win);
  const double t0 = sweep_wall_now(), c0 = sweep_cpu_now();
  unsigned points = 0;
  int rc = sweep_run_dealt(&mine_job, next_point, &d, &mine, &my_wall, &points);
  double stat[3] = {(double)points, sweep_cpu_now() - c0, sweep_wall_now() - t0}, *stats = NULL;
  MPI_Win_unlock_all(d.win);
  int worst = 0;
  MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Win_free(&d.win);
  if (rank == 0) stats = calloc(3 * (size_t)size, sizeof *stats);
  MPI_Gather(stat, 3, MPI_DOUBLE, stats, 3, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  for (int r = 0; stats && r < size; r++) {
    char who[32];
    snprintf(who, sizeof who, "rank %d", r);
    sweep_balance_add(j->balance, who, (unsigned)stats[3 * r], stats[3 * r + 1], stats[3 * r + 2]);
  }
  free(stats);
  /* each rank's per-point wall seconds, gathered like the results */
  int wlen = (int)my_wall.n, *wlens = NULL, *woffs = NULL;
  if (rank == 0) wlens = calloc((size_t)size, sizeof *wlens), woffs = calloc((size_t)size, sizeof *woffs);
  MPI_Gather(&wlen, 1, MPI_INT, wlens, 1, MPI_INT, 0, MPI_COMM_WORLD);
  long wtotal = 0;
  for (int r = 0; rank == 0 && r < size; r++) woffs[r] = (int)wtotal, wtotal += wlens[r];
  char *walls = rank == 0 ? malloc((size_t)wtotal + 1) : NULL;
  MPI_Gatherv(my_wall.s ? my_wall.s : "", wlen, MPI_CHAR, walls, wlens, woffs, MPI_CHAR, 0, MPI_COMM_WORLD);
  for (int r = 0; walls && wall && r < size; r++)
    if (wlens[r]) sweep_text_add(wall, "%s%.*s", wall->n ? ", " : "", wlens[r], walls + woffs[r]);
  free(walls), free(wlens), free(woffs);
  sweep_text_free(&my_wall);
  int len = (int)mine.n, *lens = NULL, *offs = NULL;
  char *all = NULL;
  if (rank == 0) lens = calloc((size_t)size, sizeof *lens), offs = calloc((size_t)size, sizeof *offs);
  MPI_Gather(&len, 1, MPI_INT, lens, 1, MPI_INT, 0, MPI_COMM_WORLD);
  long total = 0;
  for (int r = 0; rank == 0 && r < size; r++) offs[r] = (int)total, total += lens[r];
  if (rank == 0) all = malloc((size_t)total + 1);
  MPI_Gatherv(mine.s ? mine.s : "", len, MPI_CHAR, all, lens, offs, MPI_CHAR, 0, MPI_COMM_WORLD);
  if (rank == 0 && !worst) {
    char **texts = calloc((size_t)size, sizeof *texts), **names = calloc((size_t)size, sizeof *names);
    for (int r = 0; r < size; r++) {
      texts[r] = malloc((size_t)lens[r] + 1);
      memcpy(texts[r], all + offs[r], (size_t)lens[r]);
      texts[r][lens[r]] = 0;
      names[r] = malloc(32);
      snprintf(names[r], 32, "rank %d", r);
    }
    char err[1024];
    if (!sweep_merge_texts(texts, names, (size_t)size, out, err, sizeof err)) {
      fprintf(stderr, "ipsecsim sweep: --mpi: %s\n", err);
      worst = 1;
    }
    for (int r = 0; r < size; r++) free(texts[r]), free(names[r]);
    free(texts);
    free(names);
  }
  free(all);
  free(lens);
  free(offs);
  sweep_text_free(&mine);
  MPI_Finalize();
  return worst;
}

#else

bool sweep_mpi_built(void) { return false; }

int sweep_run_mpi(const sweep_job *j, sweep_text *out, sweep_text *wall, bool *is_root, unsigned *ranks) {
  (void)j, (void)out, (void)wall, (void)ranks;
  *is_root = true;
  fprintf(stderr, "ipsecsim sweep: --mpi: this build has no MPI (allowed: rebuild with Debian's libopenmpi-dev "
                  "installed, CMake option IPSECSIM_MPI=ON)\n");
  return 2;
}

#endif
