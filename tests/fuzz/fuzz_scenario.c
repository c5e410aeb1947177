/* libFuzzer: the ASIC scenario loader through its public entry point (asic/scenario.h:
 * scenario_load, the one `ipsecsim run` uses): platform presets, parameter overrides,
 * routers, interfaces, routes, links, traffic, phases and expect: entries, then building the
 * world. Leading lines "#set KEY=VALUE" (YAML comments, so the file parses the same) are
 * passed as --set overrides. Any input either loads or fails with one non-empty line
 * "FILE:LINE:COL: FIELD: ..." (the file name leads every message). The input is written to
 * a file in /dev/shm because scenario_load reads a path. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asic/scenario.h"
#include "fuzz_depth.h"

#define MAX_SETS 8

enum { D_LOADED, D_REFUSED, D_WITH_SETS, D_ROUTERS_2PLUS, D_EXPECTS, D_COUNT };
static const char *const DEPTH_NAMES[D_COUNT] = {
    "scenarios loaded", "scenarios refused (one line)", "--set overrides passed",
    "loaded with 2+ routers", "loaded with expect: entries"};
static uint64_t depth[D_COUNT];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1u << 16) return 0;
  char path[64];
  snprintf(path, sizeof path, "/dev/shm/fuzz_scenario_%d.yaml", (int)getpid());
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  fwrite(data, 1, size, f);
  fclose(f);

  char set_text[MAX_SETS][128];
  char *sets[MAX_SETS];
  size_t n_sets = 0, at = 0;
  while (n_sets < MAX_SETS && size - at > 5 && memcmp(data + at, "#set ", 5) == 0) {
    const uint8_t *nl = memchr(data + at, '\n', size - at);
    size_t end = nl ? (size_t)(nl - data) : size, len = end - at - 5;
    if (len >= sizeof set_text[0]) len = sizeof set_text[0] - 1;
    memcpy(set_text[n_sets], data + at + 5, len);
    set_text[n_sets][len] = 0;
    sets[n_sets] = set_text[n_sets];
    n_sets++;
    at = nl ? end + 1 : size;
  }
  depth[D_WITH_SETS] += n_sets > 0;

  scenario sc;
  cfg_err err;
  err.msg[0] = 0;
  if (scenario_load(path, sets, n_sets, &sc, &err)) {
    depth[D_LOADED]++;
    depth[D_ROUTERS_2PLUS] += sc.world.n_routers >= 2;
    depth[D_EXPECTS] += sc.n_expects > 0;
  } else {
    depth[D_REFUSED]++;
    if (err.msg[0] == 0 || strchr(err.msg, '\n')) __builtin_trap();
  }
  scenario_free(&sc); /* after a refusal too, as `ipsecsim run` does */
  unlink(path);
  return 0;
}

int fuzz_replay_check(FILE *fp) {
  fuzz_depth d[D_COUNT];
  for (int i = 0; i < D_COUNT; i++) d[i] = (fuzz_depth){DEPTH_NAMES[i], depth[i]};
  return fuzz_depth_report(fp, d, D_COUNT);
}
