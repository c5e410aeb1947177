/* Depth counters of a fuzz harness, read by the corpus replay (fuzz_replay_main.c).
 * Each harness counts, in a static array, the outcomes that show how deep an input went
 * (a packet decrypted, a drop reason, a file loaded ...) and defines fuzz_replay_check,
 * which the replay main calls after running every corpus file through
 * LLVMFuzzerTestOneInput. A replay fails when any required depth counter is 0, so a
 * harness that returns early, or a corpus that lost its deep inputs, cannot pass.
 * libFuzzer builds never call fuzz_replay_check. */
#ifndef IPSECSIM_FUZZ_DEPTH_H
#define IPSECSIM_FUZZ_DEPTH_H

#include <stdint.h>
#include <stdio.h>

typedef struct fuzz_depth {
  const char *name;
  uint64_t count;
} fuzz_depth;

/* Prints "  NAME COUNT" per entry (MISSING when 0) and returns how many are 0. */
static inline int fuzz_depth_report(FILE *fp, const fuzz_depth *d, size_t n) {
  int missing = 0;
  for (size_t i = 0; i < n; i++) {
    fprintf(fp, "  %-44s %10llu%s\n", d[i].name, (unsigned long long)d[i].count,
            d[i].count ? "" : "  MISSING");
    missing += d[i].count == 0;
  }
  return missing;
}

/* Defined by each harness: prints its depth counters to fp, returns the number missing. */
int fuzz_replay_check(FILE *fp);

#endif
