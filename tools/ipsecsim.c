/* ipsecsim: command-line front door. Dispatches to the sub-commands in tools/cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

typedef struct command {
  const char *name;
  int (*fn)(int, char **);
  const char *usage;
} command;

static void usage(FILE *fp, const command *cmds, size_t n) {
  fprintf(fp, "usage: ipsecsim COMMAND [ARGS]\n\ncommands:\n");
  for (size_t i = 0; i < n; i++)
    fprintf(fp, "  %-7s %s%s\n", cmds[i].name, cmds[i].usage, cmds[i].fn ? "" : "  (not built yet)");
}

int main(int argc, char **argv) {
  const command cmds[] = {
      {"run", cmd_run, "SCENARIO.yaml [--out DIR] [--seed N] [--gcm-model c|rtl] [--set k=v]"},
      {"sweep", cmd_sweep, "SCENARIO.yaml --sizes LIST [--rfc2544] [--out DIR]"},
      {"esp", cmd_esp, "encrypt|decrypt --sa SA.yaml --in IN.pcap --out OUT.pcap [--vectors F.jsonl] [--exceptions HOST.pcap]"},
      {"gcm", cmd_gcm, "--rsp FILE.rsp [--engine openssl|ref|rtl]"},
      {"params", cmd_params, "[BLOCK] [--analytic]"},
      {"report", cmd_report, "DIR"},
  };
  const size_t n = sizeof cmds / sizeof cmds[0];
  if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
    usage(argc < 2 ? stderr : stdout, cmds, n);
    return argc < 2 ? IPSECSIM_EXIT_USAGE : IPSECSIM_EXIT_OK;
  }
  for (size_t i = 0; i < n; i++) {
    if (strcmp(argv[1], cmds[i].name) != 0) continue;
    if (!cmds[i].fn) {
      fprintf(stderr, "ipsecsim: command '%s' is not part of this build yet\n", argv[1]);
      return IPSECSIM_EXIT_USAGE;
    }
    return cmds[i].fn(argc - 1, argv + 1);
  }
  fprintf(stderr, "ipsecsim: unknown command '%s' (allowed: run, sweep, esp, gcm, params, report)\n", argv[1]);
  return IPSECSIM_EXIT_USAGE;
}
