/* Interrupt cleanup of output temporaries; see cli_cleanup.h. */
#define _POSIX_C_SOURCE 200809L
#include "cli_cleanup.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Read by the signal handler: a fixed array of pointers, written only outside it. */
static const out_file *volatile tracked[CLI_CLEANUP_MAX];
static volatile sig_atomic_t child_pids[CLI_CLEANUP_CHILDREN]; /* running workers, 0 = none */
static const char *volatile scratch[CLI_CLEANUP_PATHS];         /* scratch paths, NULL = none */
static sigset_t held_old;               /* the mask before cli_cleanup_hold */

static const int SIGNALS[] = {SIGINT, SIGTERM, SIGHUP};
#define N_SIGNALS (sizeof SIGNALS / sizeof SIGNALS[0])

static void on_signal(int sig) {
  for (int i = 0; i < CLI_CLEANUP_MAX; i++) {
    const out_file *o = tracked[i];
    if (o && o->active && !o->direct) unlink(o->write_path); /* async-signal-safe */
  }
  for (int i = 0; i < CLI_CLEANUP_CHILDREN; i++) /* kill and waitpid are async-signal-safe */
    if (child_pids[i] > 0) kill((pid_t)child_pids[i], sig);
  for (int i = 0; i < CLI_CLEANUP_CHILDREN; i++)
    while (child_pids[i] > 0 && waitpid((pid_t)child_pids[i], NULL, 0) < 0 && errno == EINTR) {
    }
  for (int i = CLI_CLEANUP_PATHS - 1; i >= 0; i--) { /* files first, their directory last */
    const char *p = scratch[i];
    if (p && unlink(p) != 0) rmdir(p);
  }
  signal(sig, SIG_DFL); /* then die of the same signal: the exit status tells the caller */
  raise(sig);
}

void cli_cleanup_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < N_SIGNALS; i++) sigaddset(&sa.sa_mask, SIGNALS[i]); /* one at a time */
  for (size_t i = 0; i < N_SIGNALS; i++) {
    struct sigaction old;
    /* keep an ignored signal ignored (nohup, background jobs) */
    if (sigaction(SIGNALS[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    sigaction(SIGNALS[i], &sa, NULL);
  }
}

void cli_cleanup_track(const out_file *o) {
  for (int i = 0; i < CLI_CLEANUP_MAX; i++)
    if (!tracked[i]) {
      tracked[i] = o;
      return;
    }
}

void cli_cleanup_untrack_all(void) {
  for (int i = 0; i < CLI_CLEANUP_MAX; i++) tracked[i] = NULL;
}

void cli_cleanup_hold(void) {
  sigset_t set;
  sigemptyset(&set);
  for (size_t i = 0; i < N_SIGNALS; i++) sigaddset(&set, SIGNALS[i]);
  sigprocmask(SIG_BLOCK, &set, &held_old);
}

/* A signal that came while held is delivered here, before sigprocmask returns. */
void cli_cleanup_release(void) { sigprocmask(SIG_SETMASK, &held_old, NULL); }

void cli_cleanup_child(int pid) {
  if (pid == 0) {
    for (int i = 0; i < CLI_CLEANUP_CHILDREN; i++) child_pids[i] = 0;
    return;
  }
  for (int i = 0; i < CLI_CLEANUP_CHILDREN; i++)
    if (child_pids[i] == 0) {
      child_pids[i] = pid;
      return;
    }
}

void cli_cleanup_path(const char *path) {
  for (int i = 0; i < CLI_CLEANUP_PATHS; i++)
    if (!scratch[i]) {
      scratch[i] = path;
      return;
    }
}

void cli_cleanup_paths_clear(void) {
  for (int i = 0; i < CLI_CLEANUP_PATHS; i++) scratch[i] = NULL;
}
