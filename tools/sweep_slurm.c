/* `ipsecsim sweep ... --slurm N --out DIR`: the sbatch scripts of a Slurm job array
 * (sweep_cli.h). Task k of the array runs shard k of N (from SLURM_ARRAY_TASK_ID,
 * SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT) and writes DIR/results.shard-k-of-N.csv;
 * merge.sbatch, run after the array (afterok dependency), joins them into DIR/results.csv and
 * results.json, byte-identical to a serial run. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sweep_cli.h"
#include "sweep_results.h"

/* One shell word in single quotes. */
static void quoted(sweep_text *t, const char *s) {
  sweep_text_add(t, " '");
  for (; *s; s++) sweep_text_add(t, *s == '\'' ? "'\\''" : "%c", *s);
  sweep_text_add(t, "'");
}

static bool dropped_with_value(const char *a) {
  return !strcmp(a, "--slurm") || !strcmp(a, "--jobs") || !strcmp(a, "--shard") || !strcmp(a, "--out");
}

bool sweep_slurm_write(const sweep_cli *c, int argc, char **argv, char *err, size_t errlen) {
  char exe[PATH_MAX], cwd[PATH_MAX];
  ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (l <= 0 || !getcwd(cwd, sizeof cwd)) {
    snprintf(err, errlen, "--slurm: cannot find this executable or the working directory");
    return false;
  }
  exe[l] = 0;
  sweep_text a = {0}, m = {0};
  sweep_text_add(&a, "#!/bin/bash\n"
                     "# Written by `ipsecsim sweep --slurm %ld`: a Slurm job array, one task per shard of the\n"
                     "# sweep's points (task k runs points i with i mod %ld == k, its shard from\n"
                     "# SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT). Submit both:\n"
                     "#   jid=$(sbatch --parsable %s/sweep.sbatch) && sbatch --dependency=afterok:$jid %s/merge.sbatch\n"
                     "#SBATCH --job-name=ipsecsim-sweep\n#SBATCH --array=0-%ld\n#SBATCH --ntasks=1\n"
                     "#SBATCH --cpus-per-task=1\n#SBATCH --output=%s/slurm-%%A_%%a.out\nset -eu\ncd",
                 c->slurm_tasks, c->slurm_tasks, c->out, c->out, c->slurm_tasks - 1, c->out);
  quoted(&a, cwd);
  sweep_text_add(&a, "\nexec");
  quoted(&a, exe);
  sweep_text_add(&a, " sweep");
  for (int i = 1; i < argc; i++) {
    if (dropped_with_value(argv[i]) && i + 1 < argc) {
      i++;
      continue;
    }
    if (!strcmp(argv[i], "--mpi") || !strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) continue;
    quoted(&a, argv[i]);
  }
  sweep_text_add(&a, " --jobs 1 --quiet --out");
  quoted(&a, c->out);
  sweep_text_add(&a, "\n");
  sweep_text_add(&m, "#!/bin/bash\n"
                     "# Written by `ipsecsim sweep --slurm %ld`: joins the array's shards into results.csv and\n"
                     "# results.json (run after sweep.sbatch: sbatch --dependency=afterok:JOBID merge.sbatch).\n"
                     "#SBATCH --job-name=ipsecsim-merge\n#SBATCH --ntasks=1\n#SBATCH --output=%s/slurm-merge-%%j.out\n"
                     "set -eu\ncd",
                 c->slurm_tasks, c->out);
  quoted(&m, cwd);
  sweep_text_add(&m, "\nexec");
  quoted(&m, exe);
  sweep_text_add(&m, " merge");
  quoted(&m, c->out);
  sweep_text_add(&m, "\n");
  bool ok = sweep_write_file(c->out, "sweep.sbatch", a.s, a.n, err, errlen) &&
            sweep_write_file(c->out, "merge.sbatch", m.s, m.n, err, errlen);
  sweep_text_free(&a);
  sweep_text_free(&m);
  return ok;
}
