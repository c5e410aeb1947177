/* `ipsecsim merge DIR` / `ipsecsim merge --out DIR SHARD.csv...`: joins the shard files of a
 * sweep (Slurm array tasks, --shard I/N) into results.csv and results.json (sweep_results.h). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_help.h"
#include "commands.h"
#include "model/out_file.h"
#include "sweep_results.h"

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every DIR/results.shard-*.csv, sorted by name. */
static size_t shards_in(const char *dir, char ***out) {
  DIR *d = opendir(dir);
  size_t n = 0, cap = 16;
  char **v = malloc(cap * sizeof *v);
  for (struct dirent *e; d && v && (e = readdir(d));) {
    size_t l = strlen(e->d_name);
    if (strncmp(e->d_name, "results.shard-", 14) || l < 18 || strcmp(e->d_name + l - 4, ".csv")) continue;
    if (n == cap) {
      char **g = realloc(v, (cap *= 2) * sizeof *v);
      if (!g) break;
      v = g;
    }
    v[n] = malloc(strlen(dir) + l + 2);
    if (v[n]) sprintf(v[n++], "%s/%s", dir, e->d_name);
  }
  if (d) closedir(d);
  if (v) qsort(v, n, sizeof *v, by_name);
  *out = v;
  return n;
}

int cmd_merge(int argc, char **argv) {
  const char *out = NULL;
  char **files = calloc((size_t)argc + 1, sizeof *files);
  size_t n = 0;
  bool listed = false;
  int rc = IPSECSIM_EXIT_OK;
  for (int i = 1; files && i < argc; i++) {
    if (cli_help_is_flag(argv[i])) {
      cli_help_print("merge", stdout);
      free(files);
      return IPSECSIM_EXIT_OK;
    } else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
      out = argv[++i];
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "ipsecsim merge: unknown or incomplete option '%s'\nusage: ipsecsim merge %s\n", argv[i],
              cli_help_synopsis("merge"));
      free(files);
      return IPSECSIM_EXIT_USAGE;
    } else {
      files[n++] = strdup(argv[i]);
    }
  }
  if (!files || n == 0) {
    fprintf(stderr, "ipsecsim merge: missing DIR or shard files\nusage: ipsecsim merge %s\n", cli_help_synopsis("merge"));
    free(files);
    return IPSECSIM_EXIT_USAGE;
  }
  if (!out && n == 1) { /* ipsecsim merge DIR */
    out = files[0];
    free(files);
    char *dir = strdup(out);
    n = shards_in(dir, &files);
    listed = true;
    out = dir;
    if (n == 0) {
      fprintf(stderr, "ipsecsim merge: %s: no results.shard-*.csv (allowed: a directory of sweep shards)\n", dir);
      rc = IPSECSIM_EXIT_USAGE;
    }
  } else if (!out) {
    fprintf(stderr, "ipsecsim merge: several shard files need --out DIR (where results.csv goes)\n");
    rc = IPSECSIM_EXIT_USAGE;
  }
  char err[1024];
  if (!rc) { /* no output may be one of the shards */
    char csv_path[OUT_PATH_MAX], json_path[OUT_PATH_MAX];
    snprintf(csv_path, sizeof csv_path, "%s/results.csv", out);
    snprintf(json_path, sizeof json_path, "%s/results.json", out);
    out_role outs[2] = {{"results", csv_path}, {"results", json_path}};
    out_role *ins = calloc(n, sizeof *ins);
    for (size_t i = 0; ins && i < n; i++) ins[i] = (out_role){"shard", files[i]};
    if (!ins || !out_check_distinct(outs, 2, ins, n, err, sizeof err)) rc = (fprintf(stderr, "ipsecsim merge: %s\n", err), 2);
    free(ins);
  }
  sweep_text csv = {0};
  if (!rc && !sweep_merge(files, n, &csv, err, sizeof err)) rc = (fprintf(stderr, "ipsecsim merge: %s\n", err), 2);
  if (!rc && !sweep_write_results(out, csv.s, csv.n, err, sizeof err)) rc = (fprintf(stderr, "ipsecsim merge: %s\n", err), 2);
  if (!rc) printf("merged %zu shard file(s) into %s/results.csv and results.json\n", n, out);
  sweep_text_free(&csv);
  for (size_t i = 0; i < n; i++) free(files[i]);
  free(files);
  if (listed) free((char *)out);
  return rc;
}
