/* Bounded whole-file reads; see file_read.h for the limit and why it is 16 MiB. */
#define _POSIX_C_SOURCE 200809L
#include "file_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool file_read_parse_size(const char *text, uint64_t *bytes) {
  static const struct { const char *suffix; unsigned shift; } units[] = {
      {"", 0}, {"B", 0}, {"K", 10}, {"KiB", 10}, {"M", 20}, {"MiB", 20},
      {"G", 30}, {"GiB", 30}, {"T", 40}, {"TiB", 40},
  };
  if (!text || text[0] < '0' || text[0] > '9') return false;
  uint64_t v = 0;
  const char *p = text;
  for (; *p >= '0' && *p <= '9'; p++) {
    if (v > (FILE_READ_MAX_LIMIT - (unsigned)(*p - '0')) / 10) return false;
    v = v * 10 + (unsigned)(*p - '0');
  }
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    if (strcmp(p, units[i].suffix) != 0) continue;
    if (v > FILE_READ_MAX_LIMIT >> units[i].shift) return false;
    v <<= units[i].shift;
    if (v < FILE_READ_MIN_LIMIT) return false;
    *bytes = v;
    return true;
  }
  return false;
}

bool file_read_limit(uint64_t *limit, char *err, size_t errlen) {
  const char *env = getenv(FILE_READ_ENV);
  if (!env) {
    *limit = FILE_READ_DEFAULT_MAX;
    return true;
  }
  if (file_read_parse_size(env, limit)) return true;
  snprintf(err, errlen, "%s: '%.40s' is not a size (allowed: %llu..%llu bytes, optional suffix KiB, MiB, GiB, TiB)",
           FILE_READ_ENV, env, (unsigned long long)FILE_READ_MIN_LIMIT, (unsigned long long)FILE_READ_MAX_LIMIT);
  return false;
}

/* "16 MiB" when the size is a whole number of a binary unit, else "N bytes". */
static void size_text(uint64_t v, char *out, size_t len) {
  static const char *const names[] = {"TiB", "GiB", "MiB", "KiB"};
  for (unsigned i = 0; i < 4; i++) {
    const unsigned shift = 40 - 10 * i;
    if (v >= ((uint64_t)1 << shift) && v % ((uint64_t)1 << shift) == 0) {
      snprintf(out, len, "%llu %s", (unsigned long long)(v >> shift), names[i]);
      return;
    }
  }
  snprintf(out, len, "%llu bytes", (unsigned long long)v);
}

static bool too_large(const char *path, uint64_t limit, char *err, size_t errlen) {
  char t[32];
  size_text(limit, t, sizeof t);
  snprintf(err, errlen, "%s: input size: larger than the limit of %s (allowed: up to %llu bytes; raise it with "
           "%s=SIZE, e.g. %s=64MiB)", path, t, (unsigned long long)limit, FILE_READ_ENV, FILE_READ_ENV);
  return false;
}

static bool read_error(const char *path, int e, char *err, size_t errlen) {
  snprintf(err, errlen, "%s: cannot read file (%s)", path, strerror(e));
  return false;
}

/* Reads fd to its end, growing *buf; fails once more than limit bytes arrived. */
static bool read_bounded(int fd, const char *path, uint64_t limit, size_t hint, char **buf, size_t *len,
                         char *err, size_t errlen) {
  size_t cap = hint + 1 > 4096 ? hint + 1 : 4096, n = 0; /* +1: a regular file's EOF in one read */
  if (cap > limit + 1) cap = (size_t)limit + 1;
  char *b = malloc(cap + 1);
  if (!b) return read_error(path, ENOMEM, err, errlen);
  for (;;) {
    if (n == cap) {
      if (n > limit) break; /* one byte more than allowed: stop reading */
      size_t ncap = cap * 2 > limit + 1 ? (size_t)limit + 1 : cap * 2;
      char *nb = realloc(b, ncap + 1);
      if (!nb) {
        free(b);
        return read_error(path, ENOMEM, err, errlen);
      }
      b = nb, cap = ncap;
    }
    ssize_t got = read(fd, b + n, cap - n);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int e = errno;
      free(b);
      return read_error(path, e, err, errlen);
    }
    if (got == 0) break;
    n += (size_t)got;
  }
  if (n > limit) {
    free(b);
    return too_large(path, limit, err, errlen);
  }
  b[n] = '\0';
  *buf = b;
  *len = n;
  return true;
}

bool file_read_all(const char *path, char **text, size_t *len, char *err, size_t errlen) {
  *text = NULL;
  *len = 0;
  uint64_t limit;
  if (!file_read_limit(&limit, err, errlen)) return false;
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, errlen, "%s: cannot open file (%s)", path, strerror(errno));
    return false;
  }
  struct stat st;
  bool ok;
  if (fstat(fd, &st) != 0) ok = read_error(path, errno, err, errlen);
  else if (S_ISDIR(st.st_mode)) ok = read_error(path, EISDIR, err, errlen);
  else if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > limit) ok = too_large(path, limit, err, errlen);
  else ok = read_bounded(fd, path, limit, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0, text, len, err, errlen);
  close(fd);
  return ok;
}
