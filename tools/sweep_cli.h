/* Settings of one `ipsecsim sweep` run, from the command line (cmd_sweep.c) and the
 * scenario's `sweep:` block (sweep_block.c; the command line wins), and the Slurm script
 * writer (sweep_slurm.c). */
#ifndef IPSECSIM_SWEEP_CLI_H
#define IPSECSIM_SWEEP_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "sweep_plan.h"
#include "sweep_search.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SWEEP_MAX_SETS 256

typedef struct sweep_cli {
  const char *path, *out;
  sweep_plan plan;
  char *sets[SWEEP_MAX_SETS];  /* --set, then phases from --trial/--warmup (owned copies) */
  size_t n_sets;
  sweep_search_opts opts;
  bool mode_given, resolution_given, width_given, pdr_given, rule_given, slack_given, initial_given, phases_given;
  char initial[48];            /* --initial-trial as given (messages) */
  char trial[48], warmup[48];  /* "" = the scenario's phases */
  bool quiet, mpi, seed_given;
  unsigned jobs;
  long shard_i, shard_n;       /* shard_n 0 = not a shard */
  long slurm_tasks;            /* --slurm N: write the array scripts, run nothing */
} sweep_cli;

/* Reads the scenario's sweep: block into what the command line left unset. false: one
 * line "FILE:LINE:COL: sweep.KEY: ..." in err. */
bool sweep_block_apply(sweep_cli *c, char *err, size_t errlen);
/* Writes DIR/sweep.sbatch (array of N tasks, each `ipsecsim sweep ARGS --out DIR`, the
 * shard from Slurm's variables) and DIR/merge.sbatch (`ipsecsim merge DIR`). args: the
 * command line without --slurm/--jobs/--mpi/--shard. */
bool sweep_slurm_write(const sweep_cli *c, int argc, char **argv, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
