/* Sub-commands of the `ipsecsim` command line. Each lives in its own tools/cmd_*.c file,
 * picked up by tools/CMakeLists.txt; a sub-command whose file is not built yet is reported
 * as unavailable (weak symbol), never faked. Exit status: 0 ok, 1 an assertion or vector
 * failed, 2 unusable input. */
#ifndef IPSECSIM_COMMANDS_H
#define IPSECSIM_COMMANDS_H
#ifdef __cplusplus
extern "C" {
#endif

#define IPSECSIM_EXIT_OK 0
#define IPSECSIM_EXIT_FAIL 1
#define IPSECSIM_EXIT_USAGE 2

int cmd_gcm(int argc, char **argv) __attribute__((weak));
int cmd_esp(int argc, char **argv) __attribute__((weak));
int cmd_run(int argc, char **argv) __attribute__((weak));
int cmd_sweep(int argc, char **argv) __attribute__((weak));
int cmd_merge(int argc, char **argv) __attribute__((weak));
int cmd_params(int argc, char **argv) __attribute__((weak));
int cmd_report(int argc, char **argv) __attribute__((weak));
int cmd_junos(int argc, char **argv) __attribute__((weak));
int cmd_show(int argc, char **argv) __attribute__((weak));

#ifdef __cplusplus
}
#endif
#endif
