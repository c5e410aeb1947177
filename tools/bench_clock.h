/* Shared by the benchmarks: CPU time of the calling thread (time lost to other processes on
 * the shared cores is not charged to whichever operation happened to be running) and the
 * comparator for sorting repetitions to take their median. */
#ifndef IPSECSIM_BENCH_CLOCK_H
#define IPSECSIM_BENCH_CLOCK_H

#include <time.h>

static inline double bench_cpu_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

#endif
