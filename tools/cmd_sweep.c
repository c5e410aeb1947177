/* `ipsecsim sweep SCENARIO [--axis KEY=V1,V2,...]... [--search none|rfc2544|mlr] ...`:
 * the cross product of the axes (sweep_plan.h), a throughput search per point
 * (sweep_search.h), long-form results (sweep_results.h), spread over processes, MPI ranks or
 * Slurm array tasks (sweep_spread.h, sweep_cli.h). --sizes LIST and --rfc2544 are aliases of
 * --axis traffic.frame=LIST and --search rfc2544. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asic/scenario.h"
#include "cli_help.h"
#include "commands.h"
#include "model/out_file.h"
#include "sweep_cli.h"
#include "sweep_spread.h"
#include "sweep_trial.h"

static int usage(void) {
  fprintf(stderr, "usage: ipsecsim sweep %s\n", cli_help_synopsis("sweep"));
  return IPSECSIM_EXIT_USAGE;
}

static int bad(const char *opt, const char *val, const char *allowed) {
  fprintf(stderr, "ipsecsim sweep: %s: '%s' (allowed: %s)\n", opt, val, allowed);
  return IPSECSIM_EXIT_USAGE;
}

static bool percent(const char *s, double lo, double hi, double *v) {
  char *end;
  *v = strtod(s, &end) / 100;
  return end != s && (!*end || !strcmp(end, "%")) && *v >= lo && *v <= hi;
}

static bool add_set(sweep_cli *c, const char *kv) {
  if (c->n_sets >= SWEEP_MAX_SETS) return false;
  c->sets[c->n_sets++] = strdup(kv);
  return true;
}

/* Parses argv into c; returns -1 to go on, else an exit status. */
static int parse(int argc, char **argv, sweep_cli *c) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    char err[1024];
    if (cli_help_is_flag(a)) {
      cli_help_print("sweep", stdout);
      return IPSECSIM_EXIT_OK;
    } else if ((!strcmp(a, "--axis") || !strcmp(a, "--sizes")) && v) {
      char spec[4096];
      i++;
      if (!strcmp(a, "--sizes")) {
        for (const char *p = v; *p;) { /* the old range check, then the frame axis */
          char *end;
          long s = strtol(p, &end, 10);
          if ((*end && *end != ',' && strncmp(end, "B", 1)) || s < 64 || s > 9600) return bad("--sizes", v, "64..9600, bytes");
          p = end + (*end == 'B');
          p += *p == ',';
        }
        snprintf(spec, sizeof spec, "traffic.frame=%s", v);
      } else {
        snprintf(spec, sizeof spec, "%s", v);
      }
      if (!sweep_plan_add_axis(&c->plan, spec, err, sizeof err)) return fprintf(stderr, "ipsecsim sweep: %s\n", err), 2;
    } else if (!strcmp(a, "--search") && v) {
      i++;
      c->mode_given = true;
      if (!strcmp(v, "none")) c->opts.mode = SWEEP_NONE;
      else if (!strcmp(v, "rfc2544")) c->opts.mode = SWEEP_RFC2544;
      else if (!strcmp(v, "mlr")) c->opts.mode = SWEEP_MLR;
      else return bad("--search", v, "none, rfc2544, mlr");
    } else if (!strcmp(a, "--rfc2544")) {
      c->mode_given = true, c->opts.mode = SWEEP_RFC2544;
    } else if (!strcmp(a, "--resolution") && v) {
      i++, c->resolution_given = true;
      if (!percent(v, 1e-6, 0.5, &c->opts.resolution)) return bad("--resolution", v, "0.0001%..50% of line rate");
    } else if (!strcmp(a, "--width") && v) {
      i++, c->width_given = true;
      if (!percent(v, 1e-6, 0.5, &c->opts.width)) return bad("--width", v, "0.0001%..50%, relative");
    } else if (!strcmp(a, "--pdr-loss") && v) {
      i++, c->pdr_given = true;
      if (!percent(v, 0, 0.5, &c->opts.pdr_loss)) return bad("--pdr-loss", v, "0%..50%");
    } else if ((!strcmp(a, "--trial") || !strcmp(a, "--warmup")) && v) {
      i++;
      snprintf(a[2] == 't' ? c->trial : c->warmup, sizeof c->trial, "%s", v);
    } else if (!strcmp(a, "--initial-trial") && v) {
      static const cfg_param t = {"initial-trial", CFG_T_TIME, "us", NULL, 1e6, 1e16, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
      char why[256];
      i++, c->initial_given = true;
      snprintf(c->initial, sizeof c->initial, "%s", v);
      if (!cfg_parse_text(&t, v, &c->opts.initial_fs, why, sizeof why)) return bad("--initial-trial", v, "1ns..10000s, e.g. 25us");
    } else if (!strcmp(a, "--mlr-phases") && v) {
      char *end;
      long n = strtol(v, &end, 10);
      i++, c->phases_given = true;
      if (*end || end == v || n < 0 || n > SWEEP_MLR_PHASES_MAX) return bad("--mlr-phases", v, "0..8 intermediate phases");
      c->opts.phases = (unsigned)n;
    } else if (!strcmp(a, "--no-backlog-rule")) {
      c->rule_given = true, c->opts.backlog_rule = false;
    } else if (!strcmp(a, "--slack") && v) {
      char *end;
      i++, c->slack_given = true;
      c->opts.slack = strtod(v, &end);
      if (*end || end == v || !(c->opts.slack >= 0 && c->opts.slack <= 1e6)) return bad("--slack", v, "0..1000000 frames per stream");
    } else if (!strcmp(a, "--seed") && v) {
      char *end;
      i++, c->seed_given = true;
      c->plan.base_seed = strtoull(v, &end, 0);
      if (*end || end == v || v[0] == '-') return bad("--seed", v, "an unsigned integer");
    } else if (!strcmp(a, "--jobs") && v) {
      char *end;
      long n = strtol(v, &end, 10);
      i++;
      if (*end || n < 1 || n > 4096) return bad("--jobs", v, "1..4096 processes");
      c->jobs = (unsigned)n;
    } else if (!strcmp(a, "--shard") && v) {
      i++;
      if (sscanf(v, "%ld/%ld", &c->shard_i, &c->shard_n) != 2 || c->shard_n < 1 || c->shard_i < 0 ||
          c->shard_i >= c->shard_n || !strchr(v, '/'))
        return bad("--shard", v, "I/N with 0 <= I < N");
    } else if (!strcmp(a, "--slurm") && v) {
      char *end;
      i++;
      c->slurm_tasks = strtol(v, &end, 10);
      if (*end || c->slurm_tasks < 1 || c->slurm_tasks > 100000) return bad("--slurm", v, "1..100000 array tasks");
    } else if (!strcmp(a, "--mpi")) {
      c->mpi = true;
    } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
      c->quiet = true;
    } else if (!strcmp(a, "--out") && v) {
      c->out = argv[++i];
    } else if (!strcmp(a, "--set") && v) {
      if (!strchr(argv[++i], '='))
        return fprintf(stderr, "ipsecsim sweep: --set %s: expected KEY=VALUE with '=' and no spaces (e.g. --set %s=VALUE)\n",
                       argv[i], argv[i]), IPSECSIM_EXIT_USAGE;
      if (!add_set(c, argv[i])) return bad("--set", argv[i], "up to 256 --set options");
    } else if (a[0] != '-' && !c->path) {
      c->path = a;
    } else if (a[0] == '-') {
      fprintf(stderr, "ipsecsim sweep: unknown or incomplete option '%s'\n", a);
      return usage();
    } else {
      fprintf(stderr, "ipsecsim sweep: one scenario only ('%s' after '%s')\n", a, c->path);
      return usage();
    }
  }
  return -1;
}

/* Options that would change nothing are refused (README: command line). */
static int check(sweep_cli *c) {
  if (!c->path) return fprintf(stderr, "ipsecsim sweep: missing SCENARIO.yaml\n"), usage();
  if (c->resolution_given && c->opts.mode != SWEEP_RFC2544)
    return fprintf(stderr, "ipsecsim sweep: --resolution has no effect without --rfc2544 (or --search rfc2544)\n"), 2;
  if ((c->width_given || c->pdr_given || c->initial_given || c->phases_given) && c->opts.mode != SWEEP_MLR)
    return fprintf(stderr, "ipsecsim sweep: --%s has no effect without --search mlr\n",
                   c->width_given ? "width" : c->pdr_given ? "pdr-loss" : c->initial_given ? "initial-trial" : "mlr-phases"), 2;
  if (c->initial_given && c->opts.phases == 0)
    return fprintf(stderr, "ipsecsim sweep: --initial-trial has no effect with --mlr-phases 0 (every trial at the full duration)\n"), 2;
  if ((c->shard_n || c->slurm_tasks || c->mpi) && (c->shard_n != 0) + (c->slurm_tasks != 0) + c->mpi > 1)
    return fprintf(stderr, "ipsecsim sweep: --shard, --slurm and --mpi exclude each other (allowed: one of them)\n"), 2;
  if ((c->shard_n || c->slurm_tasks) && !c->out)
    return fprintf(stderr, "ipsecsim sweep: --%s needs --out DIR (the shard files go there)\n", c->shard_n ? "shard" : "slurm"), 2;
  return -1;
}

/* The search settings as the header states them. */
static void search_text(const sweep_cli *c, char *buf, size_t len) {
  const sweep_search_opts *o = &c->opts;
  if (o->mode == SWEEP_NONE) {
    snprintf(buf, len, "none");
    return;
  }
  int l = o->mode == SWEEP_NONE ? snprintf(buf, len, "none")
        : o->mode == SWEEP_RFC2544 ? snprintf(buf, len, "rfc2544 resolution=%.6g%%", o->resolution * 100)
        : snprintf(buf, len, "mlr width=%.6g%% pdr_loss=%.6g%% phases=%u initial_trial=%s", o->width * 100, o->pdr_loss * 100,
                   o->phases, o->initial_fs ? c->initial : "trial/8");
  snprintf(buf + l, len - (size_t)l, " backlog_rule=%s slack=%.6g", o->backlog_rule ? "on" : "off", o->slack);
}

/* What a `junos:` import inferred, assumed and ignored, once for the whole sweep (every trial
 * loads the scenario again, quietly). */
static void print_import_notes(const sweep_cli *c) {
  scenario *sc = calloc(1, sizeof *sc); /* large: on the heap */
  cfg_err e = {{0}};
  if (sc && scenario_load(c->path, c->sets, c->n_sets, sc, &e) && sc->junos_notes) fputs(sc->junos_notes, stderr);
  if (sc) scenario_free(sc);
  free(sc);
}

/* Loads the scenario once per axis value (before any point runs): a bad value is exit 2. */
static int validate(sweep_cli *c) {
  sweep_limits l;
  char err[1024];
  if (!sweep_limits_get(c->path, c->sets, c->n_sets, &l, err, sizeof err))
    return fprintf(stderr, "%s\n", err), IPSECSIM_EXIT_USAGE;
  print_import_notes(c);
  if (c->opts.mode == SWEEP_MLR && c->opts.phases && c->opts.initial_fs >= l.measure_fs && c->initial_given)
    return fprintf(stderr, "ipsecsim sweep: --initial-trial %s: not shorter than the full trial of %.6g us (allowed: a "
                   "shorter duration, or --trial longer)\n", c->initial, (double)l.measure_fs / 1e9), sweep_limits_free(&l), 2;
  sweep_limits_free(&l);
  for (size_t a = 0; a < c->plan.n_axes; a++)
    for (size_t v = 0; v < c->plan.axes[a].n; v++) {
      char set[256];
      snprintf(set, sizeof set, "%s=%s", c->plan.axes[a].key, c->plan.axes[a].values[v]);
      c->sets[c->n_sets] = set;
      bool ok = sweep_limits_get(c->path, c->sets, c->n_sets + 1, &l, err, sizeof err);
      c->sets[c->n_sets] = NULL;
      sweep_limits_free(&l);
      if (!ok) return fprintf(stderr, "ipsecsim sweep: --axis %s: %s\n", set, err), IPSECSIM_EXIT_USAGE;
    }
  return -1;
}

/* The scenario's seed (with the --set overrides) as the base seed. */
static bool scenario_seed(sweep_cli *c) {
  cfg_err e = {0};
  cfg_doc *d = cfg_load_file(c->path, &e);
  if (!d) return fprintf(stderr, "%s\n", e.msg), false;
  const cfg_node *r = cfg_root(d), *s = r && r->kind == CFG_MAP ? cfg_get(r, "seed") : NULL;
  c->plan.base_seed = s && s->value ? strtoull(s->value, NULL, 0) : 1;
  for (size_t i = 0; i < c->n_sets; i++)
    if (!strncmp(c->sets[i], "seed=", 5)) c->plan.base_seed = strtoull(c->sets[i] + 5, NULL, 0);
  cfg_free(d);
  return true;
}

static int finish(sweep_cli *c, int rc, const sweep_text *csv, const sweep_text *wall, const sweep_text *balance,
                  double wall_s, const char *how) {
  char err[1024], name[96], wname[96];
  if (c->shard_n) {
    snprintf(name, sizeof name, "results.shard-%ld-of-%ld.csv", c->shard_i, c->shard_n);
    snprintf(wname, sizeof wname, "wallclock.shard-%ld-of-%ld.json", c->shard_i, c->shard_n);
  } else {
    snprintf(name, sizeof name, "results.csv");
    snprintf(wname, sizeof wname, "wallclock.json");
  }
  if (rc) return rc;
  if (!c->shard_n) sweep_print_table(csv->s, stdout);
  if (!c->out) return rc;
  sweep_text w = {0};
  /* workers: the load balance (points and CPU seconds per job or rank) */
  sweep_text_add(&w, "{\n  \"how\": \"%s\",\n  \"points\": %zu,\n  \"wall_s\": %.3f,\n  \"workers\": [%s],\n"
                 "  \"point_wall_s\": {%s}\n}\n", how, sweep_plan_points(&c->plan), wall_s, balance->s ? balance->s : "",
                 wall->s ? wall->s : "");
  bool ok = (c->shard_n ? sweep_write_file(c->out, name, csv->s, csv->n, err, sizeof err)
                        : sweep_write_results(c->out, csv->s, csv->n, err, sizeof err)) &&
            sweep_write_file(c->out, wname, w.s, w.n, err, sizeof err);
  sweep_text_free(&w);
  if (!ok) return fprintf(stderr, "ipsecsim sweep: %s\n", err), IPSECSIM_EXIT_USAGE;
  return rc;
}

/* Before anything runs: no file this run writes is the scenario. */
static bool outputs_distinct(const sweep_cli *c) {
  if (!c->out) return true;
  char names[5][96], paths[5][OUT_PATH_MAX], err[2 * OUT_PATH_MAX];
  size_t n = 0;
  if (c->slurm_tasks) {
    snprintf(names[n++], sizeof names[0], "sweep.sbatch");
    snprintf(names[n++], sizeof names[0], "merge.sbatch");
  } else if (c->shard_n) {
    snprintf(names[n++], sizeof names[0], "results.shard-%ld-of-%ld.csv", c->shard_i, c->shard_n);
    snprintf(names[n++], sizeof names[0], "wallclock.shard-%ld-of-%ld.json", c->shard_i, c->shard_n);
  } else {
    snprintf(names[n++], sizeof names[0], "results.csv");
    snprintf(names[n++], sizeof names[0], "results.json");
    snprintf(names[n++], sizeof names[0], "wallclock.json");
  }
  out_role outs[5], in = {"the scenario", c->path};
  for (size_t k = 0; k < n; k++) {
    snprintf(paths[k], sizeof paths[k], "%s/%s", c->out, names[k]);
    outs[k] = (out_role){"--out", paths[k]};
  }
  if (out_check_distinct(outs, n, &in, 1, err, sizeof err)) return true;
  fprintf(stderr, "ipsecsim sweep: %s\n", err);
  return false;
}

int cmd_sweep(int argc, char **argv) {
  sweep_cli *c = calloc(1, sizeof *c);
  if (!c) return IPSECSIM_EXIT_USAGE;
  c->opts = (sweep_search_opts){SWEEP_NONE, 0.001, 0.005, 0.005, true, 2, 0, 2};
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  c->jobs = ncpu > 0 ? (unsigned)ncpu : 1;
  int rc = parse(argc, argv, c);
  char err[1024];
  const char *task = getenv("SLURM_ARRAY_TASK_ID"), *count = getenv("SLURM_ARRAY_TASK_COUNT");
  if (rc < 0 && !c->shard_n && !c->mpi && !c->slurm_tasks && task && count) { /* a Slurm array task */
    const char *min = getenv("SLURM_ARRAY_TASK_MIN");
    c->shard_i = strtol(task, NULL, 10) - (min ? strtol(min, NULL, 10) : 0);
    c->shard_n = strtol(count, NULL, 10);
    if (c->shard_n < 1 || c->shard_i < 0 || c->shard_i >= c->shard_n)
      rc = bad("SLURM_ARRAY_TASK_ID", task, "MIN..MIN+COUNT-1 of SLURM_ARRAY_TASK_MIN/SLURM_ARRAY_TASK_COUNT");
  }
  if (rc < 0 && c->path && !sweep_block_apply(c, err, sizeof err)) rc = (fprintf(stderr, "%s\n", err), 2);
  if (rc < 0) rc = check(c);
  if (rc < 0 && !c->seed_given && !scenario_seed(c)) rc = IPSECSIM_EXIT_USAGE;
  if (rc < 0 && c->trial[0]) {
    snprintf(err, sizeof err, "phases.measure=%s", c->trial);
    if (!add_set(c, err)) rc = bad("--trial", c->trial, "up to 256 --set options in all");
  }
  if (rc < 0 && c->warmup[0]) {
    snprintf(err, sizeof err, "phases.warmup=%s", c->warmup);
    if (!add_set(c, err)) rc = bad("--warmup", c->warmup, "up to 256 --set options in all");
  }
  if (rc < 0 && !outputs_distinct(c)) rc = IPSECSIM_EXIT_USAGE;
  if (rc < 0) rc = validate(c);
  if (rc < 0 && c->slurm_tasks) {
    rc = sweep_slurm_write(c, argc, argv, err, sizeof err) ? IPSECSIM_EXIT_OK : (fprintf(stderr, "ipsecsim sweep: %s\n", err), 2);
    if (!rc) printf("wrote %s/sweep.sbatch (%ld array tasks) and %s/merge.sbatch; submit:\n"
                    "  jid=$(sbatch --parsable %s/sweep.sbatch) && sbatch --dependency=afterok:$jid %s/merge.sbatch\n",
                    c->out, c->slurm_tasks, c->out, c->out, c->out);
  }
  if (rc < 0) {
    char search[256];
    search_text(c, search, sizeof search);
    sweep_text header = {0}, csv = {0}, wall = {0}, balance = {0};
    sweep_header(&header, c->path, &c->plan, search, c->sets, c->n_sets);
    sweep_job j = {c->path, c->sets, c->n_sets, &c->plan, &c->opts, header.s, !c->quiet && isatty(2), &balance};
    double t0 = sweep_wall_now();
    char how[64];
    if (c->mpi) {
      bool root = true;
      unsigned ranks = 1;
      rc = sweep_run_mpi(&j, &csv, &wall, &root, &ranks);
      snprintf(how, sizeof how, "mpi ranks=%u", ranks);
      if (root) rc = finish(c, rc, &csv, &wall, &balance, sweep_wall_now() - t0, how); /* rank 0 writes */
    } else {
      if (c->shard_n) rc = sweep_run_here(&j, (size_t)c->shard_i, (size_t)c->shard_n, &csv, &wall);
      else rc = sweep_run_jobs(&j, c->jobs, &csv, &wall);
      if (c->shard_n) snprintf(how, sizeof how, "shard %ld of %ld", c->shard_i, c->shard_n);
      else snprintf(how, sizeof how, "jobs=%u", c->jobs);
      rc = finish(c, rc, &csv, &wall, &balance, sweep_wall_now() - t0, how);
    }
    sweep_text_free(&header);
    sweep_text_free(&csv);
    sweep_text_free(&wall);
    sweep_text_free(&balance);
  }
  for (size_t i = 0; i < c->n_sets; i++) free(c->sets[i]);
  sweep_plan_free(&c->plan);
  free(c);
  return rc;
}
