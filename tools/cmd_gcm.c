/* `ipsecsim gcm --rsp FILE.rsp [--rsp ...] [--engine openssl|ref|rtl] [--lanes N] [--trace F]`:
 * runs NIST CAVP GCM files through a GCM engine and ends with "N passed, N failed, N skipped".
 * Options and their help: cli_help.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_cleanup.h"
#include "cli_help.h"
#include "commands.h"
#include "ipsec_engine/cavp.h"
#include "ipsec_engine/gcm_engine_rtl.h"
#include "model/out_file.h"

#define MAX_FILES 64

static int usage_error(const char *msg) {
  fprintf(stderr, "ipsecsim gcm: %s\nusage: ipsecsim gcm %s\n", msg, cli_help_synopsis("gcm"));
  return IPSECSIM_EXIT_USAGE;
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

typedef struct gcm_args {
  const char *files[MAX_FILES];
  size_t n_files;
  const char *engine, *trace;
  unsigned lanes;
  bool lanes_given;
} gcm_args;

/* 0 parsed, -1 help printed, else an exit status. */
static int parse_args(int argc, char **argv, gcm_args *a) {
  memset(a, 0, sizeof *a);
  a->engine = "openssl";
  a->lanes = 1;
  for (int i = 1; i < argc; i++) {
    const bool has_val = i + 1 < argc;
    if (cli_help_is_flag(argv[i])) {
      cli_help_print("gcm", stdout);
      return -1;
    } else if (!strcmp(argv[i], "--rsp") && has_val) {
      if (a->n_files == MAX_FILES) return usage_error("too many --rsp files (at most 64)");
      a->files[a->n_files++] = argv[++i];
    } else if (!strcmp(argv[i], "--engine") && has_val) {
      a->engine = argv[++i];
    } else if (!strcmp(argv[i], "--lanes") && has_val) {
      char *end;
      const unsigned long v = strtoul(argv[++i], &end, 10);
      if (*end || v < 1 || v > 16) return usage_error("--lanes: must be 1..16");
      a->lanes = (unsigned)v;
      a->lanes_given = true;
    } else if (!strcmp(argv[i], "--trace") && has_val) {
      a->trace = argv[++i];
    } else {
      char msg[200];
      snprintf(msg, sizeof msg, "unknown or incomplete argument '%.60s'", argv[i]);
      return usage_error(msg);
    }
  }
  if (a->n_files == 0) return usage_error("missing --rsp FILE.rsp");
  const bool rtl = !strcmp(a->engine, "rtl");
  if (!rtl && a->lanes_given) return usage_error("--lanes has no effect without --engine rtl");
  if (!rtl && a->trace) return usage_error("--trace has no effect without --engine rtl");
  if (a->trace) { /* the waveform must not replace one of the .rsp files */
    out_role outs[1] = {{"--trace", a->trace}}, ins[MAX_FILES];
    for (size_t i = 0; i < a->n_files; i++) ins[i] = (out_role){"--rsp", a->files[i]};
    char err[OUT_PATH_MAX + 256];
    if (!out_check_distinct(outs, 1, ins, a->n_files, err, sizeof err)) {
      fprintf(stderr, "ipsecsim gcm: %s\n", err);
      return IPSECSIM_EXIT_USAGE;
    }
  }
  return 0;
}

/* Records the engine skips for their key size (the RTL core has no AES-192 key schedule). */
static size_t key_size_skips(const cavp_file *f, const gcm_engine *e, size_t *key_bits) {
  size_t n = 0;
  for (size_t i = 0; i < f->n; i++)
    if (f->v[i].ivlen_bits == 96 && e->supports && !e->supports(e->state, f->v[i].key_len))
      n++, *key_bits = f->v[i].key_len * 8; /* a CAVP file holds one key size */
  return n;
}

int cmd_gcm(int argc, char **argv) {
  gcm_args a;
  const int prc = parse_args(argc, argv, &a);
  if (prc) return prc < 0 ? IPSECSIM_EXIT_OK : prc;
  gcm_engine engine;
  out_file trace = {0};
  if (!strcmp(a.engine, "openssl")) {
    engine = gcm_engine_openssl();
  } else if (!strcmp(a.engine, "ref")) {
    engine = gcm_engine_ref();
  } else if (!strcmp(a.engine, "rtl")) {
    if (!gcm_engine_rtl_available()) {
      fprintf(stderr, "ipsecsim gcm: --engine rtl: this build has no Verilated GCM core (configure with -DIPSECSIM_RTL=ON)\n");
      return IPSECSIM_EXIT_USAGE;
    }
    char err[OUT_PATH_MAX + 256];
    if (a.trace) { /* created 0600 (it holds the keys), renamed into place when complete */
      if (!out_begin(&trace, a.trace, OUT_MODE_SECRET, err, sizeof err)) {
        fprintf(stderr, "ipsecsim gcm: --trace %s\n", err);
        return IPSECSIM_EXIT_USAGE;
      }
      out_release_stream(&trace);
      cli_cleanup_track(&trace);
    }
    if (!gcm_engine_rtl_open(&engine, a.lanes, a.trace ? trace.write_path : NULL, err, sizeof err)) {
      out_fix_message(&trace, err, sizeof err, 0);
      fprintf(stderr, "ipsecsim gcm: --engine rtl: %s\n", err);
      cli_cleanup_untrack_all();
      out_abort(&trace);
      return IPSECSIM_EXIT_USAGE;
    }
    if (a.trace)
      fprintf(stderr, "ipsecsim gcm: writing waveform %s: it contains key material (a debug artefact; do not share it)\n", a.trace);
  } else {
    return usage_error("--engine: unknown engine (allowed: openssl, ref, rtl)");
  }

  size_t passed = 0, failed = 0, skipped = 0;
  int status = IPSECSIM_EXIT_OK;
  for (size_t i = 0; i < a.n_files; i++) {
    char err[512];
    cavp_file *f = cavp_load(a.files[i], err, sizeof err);
    if (!f) {
      fprintf(stderr, "%s\n", err);
      status = IPSECSIM_EXIT_USAGE;
      break;
    }
    const cavp_result r = cavp_run(f, &engine);
    printf("%s: %s, engine %s: %zu passed, %zu failed, %zu skipped (%zu FAIL records checked as must-reject)\n",
           base_name(a.files[i]), f->mode == CAVP_ENCRYPT ? "encrypt" : "decrypt", engine.name,
           r.passed, r.failed, r.skipped, r.fail_records);
    size_t key_bits = 0;
    const size_t by_key = key_size_skips(f, &engine, &key_bits);
    if (by_key)
      printf("  %zu of the skipped records have a %zu-bit key: the %s engine does AES-128 and AES-256 only\n",
             by_key, key_bits, engine.name);
    if (r.failed)
      printf("  first failure: %s:%u (Count = %zu)%s\n", a.files[i], r.first_failed_line,
             r.first_failed_count, r.engine_error ? "; the engine reported an internal error" : "");
    passed += r.passed, failed += r.failed, skipped += r.skipped;
    cavp_free(f);
  }
  if (!strcmp(a.engine, "rtl")) gcm_engine_rtl_close(&engine);
  if (a.trace) {
    char err[OUT_PATH_MAX + 256];
    bool ok = true;
    if (status != IPSECSIM_EXIT_OK) out_abort(&trace);
    else ok = out_commit(&trace, err, sizeof err);
    cli_cleanup_untrack_all(); /* before trace goes out of scope */
    if (!ok) {
      fprintf(stderr, "ipsecsim gcm: --trace %s\n", err);
      return IPSECSIM_EXIT_USAGE;
    }
  }
  if (status != IPSECSIM_EXIT_OK) return status;
  printf("%zu passed, %zu failed, %zu skipped\n", passed, failed, skipped);
  return failed ? IPSECSIM_EXIT_FAIL : IPSECSIM_EXIT_OK;
}
