/* Interrupt cleanup of output temporaries; see cli_cleanup.h. */
#define _POSIX_C_SOURCE 200809L
#include "cli_cleanup.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

/* Read by the signal handler: a fixed array of pointers, written only outside it. */
static const out_file *volatile tracked[CLI_CLEANUP_MAX];

static void on_signal(int sig) {
  for (int i = 0; i < CLI_CLEANUP_MAX; i++) {
    const out_file *o = tracked[i];
    if (o && o->active && !o->direct) unlink(o->write_path); /* async-signal-safe */
  }
  signal(sig, SIG_DFL); /* then die of the same signal: the exit status tells the caller */
  raise(sig);
}

void cli_cleanup_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  for (int i = 0; i < 3; i++) {
    struct sigaction old;
    /* keep an ignored signal ignored (nohup, background jobs) */
    if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    sigaction(sigs[i], &sa, NULL);
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
