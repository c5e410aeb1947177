/* `ipsecsim params [BLOCK] [--analytic] [--map] [--sizes 64,128,...] [--set BLOCK.PARAM=VALUE]...`
 * `ipsecsim params --metrics SCENARIO [--set KEY=VALUE]...`: every metric name `expect:`
 * accepts for that scenario, with its unit and description, read from the stats registry
 * the world publishes into (no run: the values are not computed).
 * --map prints the port map port -> PIC -> ASIC -> slice -> port group of the platform
 * (--set platform.preset=..., platform.lmics=..., platform.port_mode=...), then the si map
 * (si-FPC/PIC/PORT -> ASIC, slice: assumed) with the release rules (--set platform.release=...).
 * Prints the parameter tables (name, type, unit, default, range, source, why) and, with
 * --analytic, the closed-form ceiling of every resource for the given frame sizes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic/asic_analytic.h"
#include "asic/asic_ipsec.h"
#include "asic/asic_params.h"
#include "asic/asic_preset.h"
#include "cli_help.h"
#include "asic/asic_report.h"
#include "asic/scenario.h"
#include "commands.h"
#include "ipsec_engine/sa_load.h"

/* The names a scenario publishes: load it, publish the (empty) run's figures, walk the registry. */
static int list_metrics(const char *path, char **sets, size_t n_sets) {
  scenario *scp = calloc(1, sizeof *scp); /* large: on the heap */
  cfg_err err = {{0}};
  if (!scp || !scenario_load(path, sets, n_sets, scp, &err)) {
    fprintf(stderr, "%s\n", scp ? err.msg : "out of memory");
    if (scp) scenario_free(scp);
    free(scp);
    return IPSECSIM_EXIT_USAGE;
  }
  if (scp->junos_notes) fputs(scp->junos_notes, stderr);
  asic_report_publish(scp);
  static const char *const hist_stats[] = {"count", "min", "mean", "p50", "p99", "p99.9", "max"};
  printf("%-64s %-8s %s\n", "metric", "unit", "description");
  for (size_t i = 0, n = stats_count(scp->world.stats); i < n; i++) {
    stats_entry e = stats_at(scp->world.stats, i);
    if (e.kind != STATS_HISTOGRAM) {
      printf("%-64s %-8s %s\n", e.name, e.unit && *e.unit ? e.unit : "-", e.desc ? e.desc : "");
      continue;
    }
    for (size_t k = 0; k < sizeof hist_stats / sizeof hist_stats[0]; k++) {
      char name[256];
      snprintf(name, sizeof name, "%s.%s", e.name, hist_stats[k]);
      printf("%-64s %-8s %s (%s)\n", name, k ? e.unit : "packets", e.desc ? e.desc : "", hist_stats[k]);
    }
  }
  scenario_free(scp);
  free(scp);
  return IPSECSIM_EXIT_OK;
}

int cmd_params(int argc, char **argv) {
  const char *block = NULL, *metrics = NULL;
  char *sets[64];
  size_t n_sets = 0;
  bool analytic = false, map = false, sizes_given = false, set_given = false;
  bool platform_set[2] = {false, false}; /* port_mode, lmics given with --set */
  uint32_t sizes[32] = {64, 128, 256, 512, 594, 1024, 1280, 1518, 9000};
  size_t n_sizes = 9;
  asic_params p;
  asic_platform pl;
  cfg_err err;
  size_t nb;
  const asic_param_block *b = asic_param_blocks(&nb);
  for (size_t i = 0; i < nb; i++) cfg_apply_defaults(b[i].table, b[i].n, asic_param_block_base(&b[i], &p, &pl), &err);
  for (int i = 1; i < argc; i++) {
    if (cli_help_is_flag(argv[i])) {
      cli_help_print("params", stdout);
      return IPSECSIM_EXIT_OK;
    } else if (!strcmp(argv[i], "--analytic")) {
      analytic = true;
    } else if (!strcmp(argv[i], "--map")) {
      map = true;
    } else if (!strcmp(argv[i], "--metrics") && i + 1 < argc) {
      metrics = argv[++i];
    } else if (!strcmp(argv[i], "--sizes") && i + 1 < argc) {
      sizes_given = true;
      n_sizes = 0;
      for (char *s = strtok(argv[++i], ","); s && n_sizes < 32; s = strtok(NULL, ",")) {
        long v = strtol(s, NULL, 10);
        if (v < 64 || v > 9600) {
          fprintf(stderr, "ipsecsim params: --sizes: %s (allowed: 64..9600)\n", s);
          return IPSECSIM_EXIT_USAGE;
        }
        sizes[n_sizes++] = (uint32_t)v;
      }
    } else if (!strcmp(argv[i], "--set") && i + 1 < argc && metrics) { /* scenario keys */
      if (n_sets == sizeof sets / sizeof sets[0]) {
        fprintf(stderr, "ipsecsim params: more than 64 --set options\n");
        return IPSECSIM_EXIT_USAGE;
      }
      sets[n_sets++] = argv[++i];
    } else if (!strcmp(argv[i], "--set") && i + 1 < argc) {
      set_given = true;
      char key[128], why[CFG_ERR_MAX];
      const char *kv = argv[++i], *eq = strchr(kv, '='), *dot = strchr(kv, '.');
      if (!eq || !dot || dot > eq || (size_t)(eq - kv) >= sizeof key) {
        fprintf(stderr, "ipsecsim params: --set %s: expected BLOCK.PARAM=VALUE\n", kv);
        return IPSECSIM_EXIT_USAGE;
      }
      memcpy(key, kv, (size_t)(dot - kv));
      key[dot - kv] = 0;
      char name[128];
      snprintf(name, sizeof name, "%.*s", (int)(eq - dot - 1), dot + 1);
      const cfg_param *cp = asic_param_find(key, name);
      if (!cp) {
        fprintf(stderr, "ipsecsim params: --set %s: unknown parameter (allowed: platform.*, portgroup.*, pfe.*, fabric.*, engine.*, host.*)\n", kv);
        return IPSECSIM_EXIT_USAGE;
      }
      bool plat = !strcmp(key, "platform");
      if (plat && !strcmp(name, "port_mode")) platform_set[0] = true;
      if (plat && !strcmp(name, "lmics")) platform_set[1] = true;
      if (!cfg_parse_text(cp, eq + 1, asic_param_block_base(asic_param_block_find(key), &p, &pl), why, sizeof why)) {
        fprintf(stderr, "ipsecsim params: --set %s: %s\n", kv, why);
        return IPSECSIM_EXIT_USAGE;
      }
    } else if (argv[i][0] != '-' && !block) {
      block = argv[i];
      if (!asic_param_block_find(block) && strcmp(block, "sa")) {
        fprintf(stderr, "ipsecsim params: unknown block '%s' (allowed: platform, portgroup, pfe, fabric, engine, host, sa)\n", block);
        return IPSECSIM_EXIT_USAGE;
      }
    } else {
      if (argv[i][0] == '-') fprintf(stderr, "ipsecsim params: unknown or incomplete option '%s'\n", argv[i]);
      else fprintf(stderr, "ipsecsim params: one BLOCK only ('%s' after '%s')\n", argv[i], block);
      fprintf(stderr, "usage: ipsecsim params %s\n", cli_help_synopsis("params"));
      return IPSECSIM_EXIT_USAGE;
    }
  }
  if (metrics) {
    if (block || analytic || map) {
      fprintf(stderr, "ipsecsim params: --metrics takes a scenario alone (allowed: params --metrics SCENARIO [--set KEY=VALUE])\n");
      return IPSECSIM_EXIT_USAGE;
    }
    return list_metrics(metrics, sets, n_sets);
  }
  /* Options that would change nothing are refused rather than ignored. */
  const char *no_effect = sizes_given && !analytic ? "--sizes has no effect without --analytic"
                          : analytic && map        ? "--analytic has no effect with --map (the port map alone is printed)"
                          : set_given && !analytic && !map ? "--set has no effect without --analytic or --map (the tables list defaults)"
                                                           : NULL;
  if (no_effect) {
    fprintf(stderr, "ipsecsim params: %s\n", no_effect);
    return IPSECSIM_EXIT_USAGE;
  }
  for (int k = 0; k < 2; k++) {
    const char *key = k ? "lmics" : "port_mode", *fixed = asic_preset_key_not_applicable(&pl, key);
    if (platform_set[k] && fixed) {
      fprintf(stderr, "ipsecsim params: --set platform.%s: does not apply to %s (fixed: %s) (allowed: only with preset MX304)\n",
              key, asic_preset_name(pl.preset), fixed);
      return IPSECSIM_EXIT_USAGE;
    }
  }
  if (map) { /* `params --map` or `params platform --map`: the port map alone */
    if (block && strcmp(block, "platform")) {
      fprintf(stderr, "ipsecsim params: --map goes with the platform block (allowed: params [platform] --map)\n");
      return IPSECSIM_EXIT_USAGE;
    }
    asic_preset_print_map(&pl, stdout);
    asic_ipsec_print_si_map(&pl, stdout); /* si -> slice and the release rules (issue 11) */
    return IPSECSIM_EXIT_OK;
  }
  for (size_t i = 0; i < nb; i++) {
    if (block && strcmp(block, b[i].name)) continue;
    cfg_print_table(b[i].name, b[i].table, b[i].n, stdout);
    printf("\n");
  }
  if (!block || !strcmp(block, "sa")) {
    size_t n_sa;
    const cfg_param *sa_table = sa_param_table(&n_sa); /* fields of each `sas:` entry */
    cfg_print_table("sa (ipsecsim esp --sa FILE: each entry of sas:)", sa_table, n_sa, stdout);
    printf("\n");
  }
  char why[256];
  if (analytic && !asic_analytic_print(&p, &pl, sizes, n_sizes, stdout, why, sizeof why)) {
    fprintf(stderr, "ipsecsim params: --analytic: %s\n", why);
    return IPSECSIM_EXIT_FAIL;
  }
  return IPSECSIM_EXIT_OK;
}
