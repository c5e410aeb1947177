/* `ipsecsim gcm --rsp FILE.rsp [--rsp ...] [--engine openssl|ref|rtl]`: runs NIST CAVP GCM
 * files through a GCM engine and ends with "N passed, N failed, N skipped". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "ipsec_engine/cavp.h"
#include "ipsec_engine/gcm_engine_rtl.h"

#define MAX_FILES 64

static int usage_error(const char *msg) {
  fprintf(stderr, "ipsecsim gcm: %s\nusage: ipsecsim gcm --rsp FILE.rsp [--rsp FILE2.rsp ...] [--engine openssl|ref|rtl] [--lanes N] [--trace FILE.fst]\n", msg);
  return IPSECSIM_EXIT_USAGE;
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

int cmd_gcm(int argc, char **argv) {
  const char *files[MAX_FILES];
  size_t n_files = 0;
  const char *engine_name = "openssl", *trace = NULL;
  unsigned lanes = 1;
  for (int i = 1; i < argc; i++) {
    const bool has_val = i + 1 < argc;
    if (!strcmp(argv[i], "--rsp") && has_val) {
      if (n_files == MAX_FILES) return usage_error("too many --rsp files (at most 64)");
      files[n_files++] = argv[++i];
    } else if (!strcmp(argv[i], "--engine") && has_val) {
      engine_name = argv[++i];
    } else if (!strcmp(argv[i], "--lanes") && has_val) {
      char *end;
      const unsigned long v = strtoul(argv[++i], &end, 10);
      if (*end || v < 1 || v > 16) return usage_error("--lanes: must be 1..16");
      lanes = (unsigned)v;
    } else if (!strcmp(argv[i], "--trace") && has_val) {
      trace = argv[++i];
    } else {
      char msg[200];
      snprintf(msg, sizeof msg, "unknown or incomplete argument '%s'", argv[i]);
      return usage_error(msg);
    }
  }
  if (n_files == 0) return usage_error("missing --rsp FILE.rsp");

  gcm_engine engine;
  if (!strcmp(engine_name, "openssl")) {
    engine = gcm_engine_openssl();
  } else if (!strcmp(engine_name, "ref")) {
    engine = gcm_engine_ref();
  } else if (!strcmp(engine_name, "rtl")) {
    if (!gcm_engine_rtl_available()) {
      fprintf(stderr, "ipsecsim gcm: --engine rtl: this build has no Verilated GCM core (configure with -DIPSECSIM_RTL=ON)\n");
      return IPSECSIM_EXIT_USAGE;
    }
    char err[256];
    if (!gcm_engine_rtl_open(&engine, lanes, trace, err, sizeof err)) {
      fprintf(stderr, "ipsecsim gcm: --engine rtl: %s\n", err);
      return IPSECSIM_EXIT_USAGE;
    }
    if (trace)
      fprintf(stderr, "ipsecsim gcm: writing waveform %s: it contains key material (a debug artefact; do not share it)\n", trace);
  } else {
    return usage_error("--engine: unknown engine (allowed: openssl, ref, rtl)");
  }

  size_t passed = 0, failed = 0, skipped = 0;
  int status = IPSECSIM_EXIT_OK;
  for (size_t i = 0; i < n_files; i++) {
    char err[512];
    cavp_file *f = cavp_load(files[i], err, sizeof err);
    if (!f) {
      fprintf(stderr, "%s\n", err);
      status = IPSECSIM_EXIT_USAGE;
      break;
    }
    const cavp_result r = cavp_run(f, &engine);
    printf("%s: %s, engine %s: %zu passed, %zu failed, %zu skipped (%zu FAIL records checked as must-reject)\n",
           base_name(files[i]), f->mode == CAVP_ENCRYPT ? "encrypt" : "decrypt", engine.name,
           r.passed, r.failed, r.skipped, r.fail_records);
    if (r.failed)
      printf("  first failure: %s:%u (Count = %zu)%s\n", files[i], r.first_failed_line,
             r.first_failed_count, r.engine_error ? "; the engine reported an internal error" : "");
    passed += r.passed, failed += r.failed, skipped += r.skipped;
    cavp_free(f);
  }
  if (!strcmp(engine_name, "rtl")) gcm_engine_rtl_close(&engine);
  if (status != IPSECSIM_EXIT_OK) return status;
  printf("%zu passed, %zu failed, %zu skipped\n", passed, failed, skipped);
  return failed ? IPSECSIM_EXIT_FAIL : IPSECSIM_EXIT_OK;
}
