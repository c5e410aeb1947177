/* Serial and --jobs N runs of a sweep's points (sweep_spread.h). */
#define _POSIX_C_SOURCE 200809L
#include "sweep_spread.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli_cleanup.h"
#include "model/file_read.h"

double sweep_wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double sweep_cpu_now(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru)) return 0;
  return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

void sweep_balance_add(sweep_text *balance, const char *who, unsigned points, double cpu_s, double busy_s) {
  if (!balance) return;
  sweep_text_add(balance, "%s{\"worker\": \"%s\", \"points\": %u, \"cpu_s\": %.3f, \"busy_s\": %.3f}",
                 balance->n ? ", " : "", who, points, cpu_s, busy_s);
}

static void progress(const sweep_job *j, size_t done, size_t total, double t0) {
  if (!j->progress) return;
  double dt = sweep_wall_now() - t0, rate = dt > 0 ? done / dt : 0;
  fprintf(stderr, "\r  sweep: %zu/%zu points, %.2f points/s, ETA %.0f s   ", done, total, rate,
          rate > 0 ? (double)(total - done) / rate : 0.0);
  if (done == total) fprintf(stderr, "\n");
}

/* One point: its overrides (sets, axes, seed), the search, its records. */
static int run_point(const sweep_job *j, size_t i, sweep_text *out, sweep_text *wall) {
  const sweep_plan *p = j->plan;
  size_t n = j->n_sets + p->n_axes + 1;
  char **sets = calloc(n, sizeof *sets);
  char (*own)[SWEEP_VALUE_MAX + 160] = calloc(p->n_axes + 1, sizeof *own);
  if (!sets || !own) return free(sets), free(own), fprintf(stderr, "ipsecsim sweep: out of memory\n"), 2;
  const char *vals[SWEEP_MAX_AXES];
  sweep_plan_values(p, i, vals);
  for (size_t k = 0; k < j->n_sets; k++) sets[k] = j->sets[k];
  for (size_t a = 0; a < p->n_axes; a++) {
    snprintf(own[a], sizeof own[a], "%s=%s", p->axes[a].key, vals[a]);
    sets[j->n_sets + a] = own[a];
  }
  snprintf(own[p->n_axes], sizeof own[0], "seed=%llu", (unsigned long long)sweep_plan_seed(p, i));
  sets[n - 1] = own[p->n_axes];
  sweep_rows rows = {0};
  char err[1024], id[32];
  double t0 = sweep_wall_now();
  bool ok = sweep_search_point(j->path, sets, n, j->opts, &rows, err, sizeof err);
  sweep_plan_id(i, id, sizeof id);
  if (ok) sweep_records(out, p, i, &rows);
  else {
    char key[SWEEP_MAX_AXES * 192];
    sweep_plan_key(p, i, key, sizeof key);
    fprintf(stderr, "ipsecsim sweep: %s (%s): %s\n", id, key, err);
  }
  if (wall) sweep_text_add(wall, "%s\"%s\": %.3f", wall->n ? ", " : "", id, sweep_wall_now() - t0);
  sweep_rows_free(&rows);
  free(sets);
  free(own);
  /* a load error was checked before any point ran: what fails here is the model's */
  return ok ? 0 : strstr(err, "conservation") ? 1 : 2;
}

int sweep_run_here(const sweep_job *j, size_t first, size_t stride, sweep_text *out, sweep_text *wall) {
  size_t total = sweep_plan_points(j->plan), mine = total > first ? (total - first + stride - 1) / stride : 0;
  sweep_text_add(out, "%s", j->header);
  double t0 = sweep_wall_now(), c0 = sweep_cpu_now();
  size_t done = 0;
  int rc = 0;
  for (size_t i = first; !rc && i < total; i += stride) {
    rc = run_point(j, i, out, wall);
    if (!rc) progress(j, ++done, mine, t0);
  }
  sweep_balance_add(j->balance, "this process", (unsigned)done, sweep_cpu_now() - c0, sweep_wall_now() - t0);
  return rc;
}

int sweep_run_dealt(const sweep_job *j, bool (*next)(void *ctx, size_t *point), void *ctx, sweep_text *out,
                    sweep_text *wall, unsigned *points) {
  sweep_text_add(out, "%s", j->header);
  size_t total = sweep_plan_points(j->plan), i;
  double t0 = sweep_wall_now();
  int rc = 0;
  *points = 0;
  size_t shown = 0;
  while (!rc && next(ctx, &i) && i < total) {
    rc = run_point(j, i, out, wall);
    ++*points;
    /* points up to the one just done were all dealt: those done or running anywhere */
    if (!rc && i + 1 > shown) progress(j, shown = i + 1, total, t0);
  }
  if (j->progress && shown && shown < total) fprintf(stderr, "\n");
  return rc;
}

/* A worker: takes point numbers from the task pipe until it is empty, writes its records
 * (after the header) to file `path`, one byte per point done to the progress pipe. */
static int worker(const sweep_job *j, unsigned k, int tasks, int done_fd, const char *path, const char *wall_path) {
  sweep_text out = {0}, wall = {0};
  sweep_text_add(&out, "%s", j->header);
  uint32_t i;
  unsigned points = 0;
  int rc = 0;
  const double t0 = sweep_wall_now(), c0 = sweep_cpu_now();
  while (!rc && read(tasks, &i, sizeof i) == (ssize_t)sizeof i) {
    rc = run_point(j, i, &out, &wall);
    points++;
    char b = 1;
    if (write(done_fd, &b, 1) != 1) rc = rc ? rc : 2;
  }
  /* its balance line goes first in its wall file, before a tab; the point members follow */
  sweep_text bal = {0};
  char who[32];
  snprintf(who, sizeof who, "job %u", k);
  sweep_balance_add(&bal, who, points, sweep_cpu_now() - c0, sweep_wall_now() - t0);
  FILE *fp = fopen(path, "wb"), *fw = fopen(wall_path, "wb");
  if (!fp || !fw || fwrite(out.s, 1, out.n, fp) != out.n || fprintf(fw, "%s\t", bal.s) < 0 ||
      (wall.n && fwrite(wall.s, 1, wall.n, fw) != wall.n)) rc = 2;
  sweep_text_free(&bal);
  if (fp && fclose(fp)) rc = 2;
  if (fw && fclose(fw)) rc = 2;
  sweep_text_free(&out);
  sweep_text_free(&wall);
  return rc;
}

int sweep_run_jobs(const sweep_job *j, unsigned jobs, sweep_text *out, sweep_text *wall) {
  size_t total = sweep_plan_points(j->plan);
  if (jobs > total) jobs = (unsigned)total;
  if (jobs <= 1) return sweep_run_here(j, 0, 1, out, wall);
  const char *tmp = getenv("TMPDIR");
  char dir[512];
  snprintf(dir, sizeof dir, "%s/ipsecsim-sweep-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  int tp[2], dp[2];
  if (!mkdtemp(dir) || pipe(tp) || pipe(dp)) {
    fprintf(stderr, "ipsecsim sweep: --jobs: cannot create the worker pipes or %s (%s)\n", dir, strerror(errno));
    return 2;
  }
  /* every task is written before the workers start: a 4-byte write to a pipe is atomic, so
   * workers reading 4 bytes each never split one; beyond the pipe's buffer the parent
   * feeds the rest while the workers run */
  pid_t *pids = calloc(jobs, sizeof *pids);
  /* an interrupt stops the workers and removes their scratch files and directory
   * (cli_cleanup.h); signals are held across the forks so none falls between a fork and
   * its registration */
  char (*scratch)[600] = calloc(2 * (size_t)jobs, sizeof *scratch);
  cli_cleanup_path(dir);
  for (unsigned k = 0; scratch && k < jobs && 2 * k + 2 < CLI_CLEANUP_PATHS; k++) {
    snprintf(scratch[2 * k], sizeof scratch[0], "%s/w%u.csv", dir, k);
    snprintf(scratch[2 * k + 1], sizeof scratch[0], "%s/w%u.wall", dir, k);
    cli_cleanup_path(scratch[2 * k]);
    cli_cleanup_path(scratch[2 * k + 1]);
  }
  fflush(NULL);
  cli_cleanup_hold();
  for (unsigned k = 0; pids && k < jobs; k++) {
    pids[k] = fork();
    if (pids[k] > 0) cli_cleanup_child(pids[k]);
    if (pids[k] == 0) {
      cli_cleanup_child(0); /* a worker answers for itself only */
      cli_cleanup_paths_clear();
      cli_cleanup_release();
      close(tp[1]);
      close(dp[0]);
      char path[600], wall_path[600];
      snprintf(path, sizeof path, "%s/w%u.csv", dir, k);
      snprintf(wall_path, sizeof wall_path, "%s/w%u.wall", dir, k);
      _exit(worker(j, k, tp[0], dp[1], path, wall_path));
    }
  }
  cli_cleanup_release();
  close(tp[0]);
  close(dp[1]);
  signal(SIGPIPE, SIG_IGN); /* a worker that stopped early must not kill the parent */
  for (uint32_t i = 0; i < total; i++)
    if (write(tp[1], &i, sizeof i) != (ssize_t)sizeof i) break; /* workers gone: their status says why */
  close(tp[1]);
  double t0 = sweep_wall_now();
  size_t done = 0;
  char b;
  while (read(dp[0], &b, 1) == 1) progress(j, ++done, total, t0);
  close(dp[0]);
  int rc = pids ? 0 : 2;
  for (unsigned k = 0; pids && k < jobs; k++) {
    int st = 0;
    if (pids[k] < 0 || waitpid(pids[k], &st, 0) < 0) rc = 2;
    else if (!WIFEXITED(st) || WEXITSTATUS(st)) rc = rc ? rc : WIFEXITED(st) ? WEXITSTATUS(st) : 1;
  }
  char **texts = calloc(jobs, sizeof *texts), **names = calloc(jobs, sizeof *names);
  for (unsigned k = 0; texts && names && k < jobs; k++) {
    char path[600], why[600];
    size_t len;
    names[k] = malloc(600);
    snprintf(names[k], 600, "%s/w%u.csv", dir, k);
    if (!file_read_all(names[k], &texts[k], &len, why, sizeof why)) texts[k] = strdup(j->header);
    snprintf(path, sizeof path, "%s/w%u.wall", dir, k);
    char *w = NULL;
    if (file_read_all(path, &w, &len, why, sizeof why) && len) {
      char *tab = strchr(w, '\t');
      if (tab) *tab = 0;
      if (tab && j->balance) sweep_text_add(j->balance, "%s%s", j->balance->n ? ", " : "", w);
      if (wall && tab && tab[1]) sweep_text_add(wall, "%s%s", wall->n ? ", " : "", tab + 1);
    }
    free(w);
    unlink(path);
    unlink(names[k]);
  }
  rmdir(dir);
  cli_cleanup_child(0);
  cli_cleanup_paths_clear();
  free(scratch);
  char err[1024];
  if (!rc && !sweep_merge_texts(texts, names, jobs, out, err, sizeof err)) {
    fprintf(stderr, "ipsecsim sweep: %s\n", err);
    rc = 1;
  }
  for (unsigned k = 0; texts && names && k < jobs; k++) free(texts[k]), free(names[k]);
  free(texts);
  free(names);
  free(pids);
  return rc;
}
