/* libFuzzer: the SA file loader (YAML via model/cfg.h, then sa_db admission). Any input
 * either loads or fails with one non-empty line. */
#include <stdint.h>
#include <string.h>

#include "fuzz_depth.h"
#include "ipsec_engine/sa_load.h"

enum { D_LOADED, D_SAS, D_REFUSED, D_COUNT };
static const char *const DEPTH_NAMES[D_COUNT] = {"sa files loaded", "sas admitted",
                                                 "sa files refused (one line)"};
static uint64_t depth[D_COUNT];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sa_db db;
  if (!sa_db_init(&db, NULL)) return 0;
  cfg_err err;
  err.msg[0] = 0;
  if (!sa_load_buffer(&db, "fuzz.yaml", (const char *)data, size, &err)) {
    if (err.msg[0] == 0 || strchr(err.msg, '\n')) __builtin_trap();
    depth[D_REFUSED]++;
  } else {
    depth[D_LOADED]++;
    depth[D_SAS] += db.n;
  }
  sa_db_free(&db);
  return 0;
}

int fuzz_replay_check(FILE *fp) {
  fuzz_depth d[D_COUNT];
  for (int i = 0; i < D_COUNT; i++) d[i] = (fuzz_depth){DEPTH_NAMES[i], depth[i]};
  return fuzz_depth_report(fp, d, D_COUNT);
}
