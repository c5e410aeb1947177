/* MPI runs of a sweep (sweep_spread.h): `mpirun -np N ipsecsim sweep --mpi ...`. Rank r runs
 * points i with i mod N == r in its own process; rank 0 gathers every rank's result text
 * through MPI (lengths with MPI_Gather, texts with MPI_Gatherv) and orders them like merged
 * shards, so the files it writes are those of a serial run. Built with MPI when CMake finds
 * it (option IPSECSIM_MPI); otherwise --mpi says so and exits 2. */
#include "sweep_spread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef IPSECSIM_HAVE_MPI
#include <mpi.h>

bool sweep_mpi_built(void) { return true; }

int sweep_run_mpi(const sweep_job *j, sweep_text *out, sweep_text *wall, bool *is_root, unsigned *ranks) {
  int inited = 0, rank = 0, size = 1;
  MPI_Initialized(&inited);
  if (!inited) MPI_Init(NULL, NULL);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  *is_root = rank == 0;
  *ranks = (unsigned)size;
  sweep_job mine_job = *j;
  mine_job.progress = j->progress && rank == 0; /* one progress line: rank 0's share */
  sweep_text mine = {0};
  int rc = sweep_run_here(&mine_job, (size_t)rank, (size_t)size, &mine, rank == 0 ? wall : NULL);
  int worst = 0;
  MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
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
