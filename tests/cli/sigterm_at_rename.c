/* LD_PRELOAD test shim for run_signal.sh: the first rename(2) of an out_file temporary
 * (".NAME.tmp-XXXXXX") first raises SIGTERM in the calling process. That puts the signal
 * exactly where the old `run`/`sweep` lost their temporaries (reports half renamed, a
 * temporary left behind), deterministically, instead of racing a kill against a write that
 * takes milliseconds. */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

int rename(const char *from, const char *to) {
  static int raised;
  int (*real)(const char *, const char *) = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
  if (!raised && strstr(from, ".tmp-")) {
    raised = 1;
    raise(SIGTERM);
  }
  return real(from, to);
}
