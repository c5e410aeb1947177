/* `ipsecsim report DIR`: writes DIR/report.html (and DIR/plots/NAME.png + NAME.csv) from a run
 * directory (report.json, timeseries.csv, config.resolved.yaml) or a sweep directory
 * (results.json). The page and plots are made by tools/report_html.py with Debian's
 * /usr/bin/python3 + python3-matplotlib; this command checks its arguments, then runs it and
 * returns its exit status (2: unusable input, one line naming file, line and field). */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "cli_help.h"
#include "commands.h"

#ifndef IPSECSIM_TOOLS_DIR
#error "IPSECSIM_TOOLS_DIR (the folder holding report_html.py) comes from tools/CMakeLists.txt"
#endif

extern char **environ;

static const char kPython[] = "/usr/bin/python3";

static int usage_error(const char *msg) {
  fprintf(stderr, "ipsecsim report: %s\nusage: ipsecsim report DIR\n", msg);
  return IPSECSIM_EXIT_USAGE;
}

int cmd_report(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) /* anywhere on the line, as for every command */
      return cli_help_print("report", stdout) ? IPSECSIM_EXIT_OK : IPSECSIM_EXIT_USAGE;
  if (argc != 2) return usage_error(argc < 2 ? "DIR missing" : "exactly one DIR expected");
  if (argv[1][0] == '-') {
    char msg[256];
    snprintf(msg, sizeof msg, "unknown option '%.200s'", argv[1]);
    return usage_error(msg);
  }
  struct stat st;
  if (stat(argv[1], &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "ipsecsim report: %s: not a directory\n", argv[1]);
    return IPSECSIM_EXIT_USAGE;
  }
  char script[4096];
  snprintf(script, sizeof script, "%s/report_html.py", IPSECSIM_TOOLS_DIR);
  char *args[] = {(char *)kPython, script, argv[1], NULL};
  fflush(stdout);
  pid_t pid;
  int rc = posix_spawn(&pid, kPython, NULL, NULL, args, environ);
  if (rc != 0) {
    fprintf(stderr, "ipsecsim report: cannot start %s (%s): tools/install-deps.sh installs it\n", kPython, strerror(rc));
    return IPSECSIM_EXIT_USAGE;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return IPSECSIM_EXIT_USAGE;
  if (WIFEXITED(status)) return WEXITSTATUS(status) == 0 ? IPSECSIM_EXIT_OK : IPSECSIM_EXIT_USAGE;
  fprintf(stderr, "ipsecsim report: %s %s ended by signal %d\n", kPython, script, WTERMSIG(status));
  return IPSECSIM_EXIT_USAGE;
}
