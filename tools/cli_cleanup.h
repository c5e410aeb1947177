/* Temporaries of model/out_file removed when the command line is interrupted (SIGINT,
 * SIGTERM, SIGHUP): without this a ^C during `esp` or `gcm --trace` would leave the hidden
 * ".NAME.tmp-XXXXXX" behind (never a half-written NAME: that is out_file's rename). The CLI
 * tracks each out_file it begins and untracks them all before the out_files go out of scope.
 * Process-wide state of the command-line front end, not of any model. */
#ifndef IPSECSIM_CLI_CLEANUP_H
#define IPSECSIM_CLI_CLEANUP_H

#include "model/out_file.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CLI_CLEANUP_MAX 8

/* Installs the handlers (once, from main). */
void cli_cleanup_install(void);
/* The handler unlinks o->write_path while o is active and not a device. */
void cli_cleanup_track(const out_file *o);
void cli_cleanup_untrack_all(void);

/* Output files written by code that keeps its out_file to itself (asic_report_write: `run`
 * and `sweep` reports): hold blocks SIGINT, SIGTERM and SIGHUP while they are written and
 * release unblocks them, so a signal that arrives meanwhile takes effect once every one of
 * them is renamed into place or removed. An interrupted run thus leaves the previous outputs
 * (signal before the writing) or the complete new set (signal during it), never a temporary
 * or a mixture cut halfway through. Not nested: one hold, then its release. */
void cli_cleanup_hold(void);
void cli_cleanup_release(void);

/* Forked workers (sweep --jobs) that the handler signals too and waits for before the front
 * end dies, so no worker keeps writing after its parent is gone. cli_cleanup_child(pid)
 * adds one (at most CLI_CLEANUP_CHILDREN), cli_cleanup_child(0) forgets them all. */
#define CLI_CLEANUP_CHILDREN 64
void cli_cleanup_child(int pid);

/* Scratch files and directories of the command (a sweep's per-worker result files and their
 * directory): the handler unlinks each path (rmdir when it is a directory), in reverse
 * order of registration. The caller keeps the strings alive until cli_cleanup_paths_clear. */
#define CLI_CLEANUP_PATHS 160
void cli_cleanup_path(const char *path);
void cli_cleanup_paths_clear(void);

#ifdef __cplusplus
}
#endif
#endif
