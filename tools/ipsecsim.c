/* ipsecsim: command-line front door. Dispatches to the sub-commands in tools/cmd_*.c; the
 * help texts live in cli_help.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli_cleanup.h"
#include "cli_help.h"
#include "commands.h"

typedef struct command {
  const char *name;
  int (*fn)(int, char **);
} command;

static void usage(FILE *fp, const command *cmds, size_t n) {
  fprintf(fp, "usage: ipsecsim COMMAND [ARGS]   (ipsecsim --help: every option)\n\ncommands:\n");
  for (size_t i = 0; i < n; i++)
    fprintf(fp, "  %-7s %s%s\n", cmds[i].name, cli_help_synopsis(cmds[i].name), cmds[i].fn ? "" : "  (not built yet)");
}

/* Standard output is an output too (`ipsecsim params > /dev/full`): a lost table is exit 2. */
static int stdout_checked(const char *cmd, int rc) {
  errno = 0;
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "ipsecsim %s: standard output: write failed (%s)\n", cmd, strerror(errno ? errno : EIO));
    return IPSECSIM_EXIT_USAGE;
  }
  return rc;
}

int main(int argc, char **argv) {
  const command cmds[] = {
      {"run", cmd_run}, {"sweep", cmd_sweep}, {"merge", cmd_merge}, {"esp", cmd_esp},
      {"gcm", cmd_gcm}, {"params", cmd_params}, {"report", cmd_report},
      {"junos", cmd_junos}, {"show", cmd_show},
  };
  const size_t n = sizeof cmds / sizeof cmds[0];
  cli_cleanup_install();
  if (argc < 2) {
    usage(stderr, cmds, n);
    return IPSECSIM_EXIT_USAGE;
  }
  if (cli_help_is_flag(argv[1]) || !strcmp(argv[1], "help")) {
    if (argc > 2 && cli_help_print(argv[2], stdout)) return stdout_checked("help", IPSECSIM_EXIT_OK); /* help COMMAND */
    cli_help_print_all(stdout);
    return stdout_checked("help", IPSECSIM_EXIT_OK);
  }
  for (size_t i = 0; i < n; i++) {
    if (strcmp(argv[1], cmds[i].name) != 0) continue;
    if (!cmds[i].fn) {
      if (argc == 3 && cli_help_is_flag(argv[2])) {
        cli_help_print(argv[1], stdout);
        return stdout_checked(argv[1], IPSECSIM_EXIT_OK);
      }
      fprintf(stderr, "ipsecsim: command '%s' is not part of this build yet\n", argv[1]);
      return IPSECSIM_EXIT_USAGE;
    }
    return stdout_checked(argv[1], cmds[i].fn(argc - 1, argv + 1));
  }
  fprintf(stderr, "ipsecsim: unknown command '%s' (allowed: run, sweep, merge, esp, gcm, params, report, junos, show)\n", argv[1]);
  return IPSECSIM_EXIT_USAGE;
}
