/* libFuzzer: the SA file loader (YAML via model/cfg.h, then sa_db admission). Any input
 * either loads or fails with one non-empty line. */
#include <stdint.h>
#include <string.h>

#include "ipsec_engine/sa_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sa_db db;
  if (!sa_db_init(&db, NULL)) return 0;
  cfg_err err;
  err.msg[0] = 0;
  if (!sa_load_buffer(&db, "fuzz.yaml", (const char *)data, size, &err)) {
    if (err.msg[0] == 0 || strchr(err.msg, '\n')) __builtin_trap();
  }
  sa_db_free(&db);
  return 0;
}
