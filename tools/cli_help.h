/* Help texts of the `ipsecsim` sub-commands, kept in one table (cli_help.c) so that
 * `ipsecsim --help` (every command, every option) and `ipsecsim COMMAND --help` print the
 * same words. tests/cli/check_help.py checks that every option a cmd_*.c parser accepts is
 * listed here and in README.md. */
#ifndef IPSECSIM_CLI_HELP_H
#define IPSECSIM_CLI_HELP_H

#include <stdbool.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "usage: ipsecsim NAME SYNOPSIS", what it does, its options and the environment, on fp.
 * False for an unknown command name. */
bool cli_help_print(const char *name, FILE *fp);
/* The one-line synopsis ("SCENARIO.yaml [--out DIR] ..."), NULL for an unknown command. */
const char *cli_help_synopsis(const char *name);
/* True when arg is -h or --help. */
bool cli_help_is_flag(const char *arg);
/* Every command's full help, for `ipsecsim --help`. */
void cli_help_print_all(FILE *fp);

#ifdef __cplusplus
}
#endif
#endif
