/* `ipsecsim junos import FILE.conf [--mirror] [-o SCENARIO.yaml] [--router NAME] [--peer NAME]`
 * and `ipsecsim junos defaults`. The import writes SCENARIO (default: FILE with .yaml) and
 * SCENARIO's keys file (X.keys.yaml, mode 0600) and prints on stderr what it inferred,
 * assumed and ignored. Exit 0 ok, 2 a refused statement or unusable input (one line). */
#include <stdio.h>
#include <string.h>

#include "asic/junos.h"
#include "cli_help.h"
#include "commands.h"

static int usage(void) {
  fprintf(stderr, "usage: ipsecsim junos %s\n", cli_help_synopsis("junos"));
  return IPSECSIM_EXIT_USAGE;
}

/* Router names become metric names: lower case letters, digits, _ and -. */
static bool name_ok(const char *n) {
  if (!*n || strlen(n) > 31) return false;
  for (const char *c = n; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-')) return false;
  return true;
}

int cmd_junos(int argc, char **argv) {
  if (argc >= 2 && cli_help_is_flag(argv[1])) {
    cli_help_print("junos", stdout);
    return IPSECSIM_EXIT_OK;
  }
  if (argc == 2 && !strcmp(argv[1], "defaults")) {
    junos_print_defaults(stdout);
    return IPSECSIM_EXIT_OK;
  }
  if (argc < 3 || strcmp(argv[1], "import")) return usage();
  const char *conf = NULL, *out = NULL, *router = "peer1", *peer = "peer2";
  bool mirror = false;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--mirror")) mirror = true;
    else if ((!strcmp(a, "-o") || !strcmp(a, "--router") || !strcmp(a, "--peer")) && i + 1 < argc) {
      const char *v = argv[++i];
      if (!strcmp(a, "-o")) out = v;
      else if (!name_ok(v)) {
        fprintf(stderr, "ipsecsim junos import: %s %s: not a router name (allowed: a-z, 0-9, _ and -, up to 31)\n", a, v);
        return IPSECSIM_EXIT_USAGE;
      } else if (!strcmp(a, "--router")) router = v;
      else peer = v;
    } else if (cli_help_is_flag(a)) {
      cli_help_print("junos", stdout);
      return IPSECSIM_EXIT_OK;
    } else if (a[0] == '-') {
      fprintf(stderr, "ipsecsim junos import: unknown option %s (or a missing value)\n", a);
      return usage();
    } else if (!conf) conf = a;
    else return usage();
  }
  if (!conf) return usage();
  if (mirror && !strcmp(router, peer)) {
    fprintf(stderr, "ipsecsim junos import: --router and --peer are both %s (allowed: two names)\n", router);
    return IPSECSIM_EXIT_USAGE;
  }
  char def_out[4096], keys[4200], err[JN_ERR_MAX];
  if (!out) {
    size_t n = strlen(conf);
    if (n > 5 && !strcmp(conf + n - 5, ".conf")) n -= 5;
    snprintf(def_out, sizeof def_out, "%.*s.yaml", (int)n, conf);
    out = def_out;
  }
  junos_keys_path_for(out, keys, sizeof keys);
  if (!junos_import_files(conf, mirror, router, peer, out, keys, stderr, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    return IPSECSIM_EXIT_USAGE;
  }
  return IPSECSIM_EXIT_OK;
}
