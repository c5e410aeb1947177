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
static volatile sig_atomic_t child_pid; /* a running worker, 0 = none */
static sigset_t held_old;               /* the mask before cli_cleanup_hold */

static const int SIGNALS[] = {SIGINT, SIGTERM, SIGHUP};
#define N_SIGNALS (sizeof SIGNALS / sizeof SIGNALS[0])

static void on_signal(int sig) {
  for (int i = 0; i < CLI_CLEANUP_MAX; i++) {
    const out_file *o = tracked[i];
    if (o && o->active && !o->direct) unlink(o->write_path); /* async-signal-safe */
  }
  const pid_t child = (pid_t)child_pid;
  if (child > 0) { /* kill and waitpid are async-signal-safe */
    kill(child, sig);
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {
    }
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

void cli_cleanup_child(int pid) { child_pid = pid; }
