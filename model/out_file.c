/* Safe output files; see out_file.h for the rules. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE 1 /* realpath, mkstemp */
#include "out_file.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The resolved parent directory joined with the base name: "./a/../b" -> "/cwd/b". A parent
 * that does not resolve is kept as written. */
static void canonical_name(const char *path, char *out, size_t len) {
  char dir[OUT_PATH_MAX], real[PATH_MAX];
  const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
  if (!slash) snprintf(dir, sizeof dir, ".");
  else if (slash == path) snprintf(dir, sizeof dir, "/");
  else snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
  if (!realpath(dir, real)) snprintf(real, sizeof real, "%s", dir);
  snprintf(out, len, "%s/%s", strcmp(real, "/") ? real : "", base);
}

bool out_same_file(const char *a, const char *b) {
  struct stat sa, sb;
  const bool ea = stat(a, &sa) == 0, eb = stat(b, &sb) == 0;
  /* Devices and FIFOs (/dev/null twice, a terminal in and out) destroy nothing: not a clash. */
  if (ea && eb) return S_ISREG(sa.st_mode) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  if (ea != eb) return false; /* one exists, the other does not */
  char ca[OUT_PATH_MAX + 8], cb[OUT_PATH_MAX + 8];
  canonical_name(a, ca, sizeof ca);
  canonical_name(b, cb, sizeof cb);
  return strcmp(ca, cb) == 0;
}

static bool clash(const out_role *o, const out_role *with, char *err, size_t errlen) {
  snprintf(err, errlen, "%s %s: is the same file as %s %s (allowed: an output that is none of the inputs and no other output)",
           o->role, o->path, with->role, with->path);
  return false;
}

bool out_check_distinct(const out_role *outs, size_t n_outs, const out_role *ins, size_t n_ins, char *err,
                        size_t errlen) {
  for (size_t i = 0; i < n_outs; i++) {
    if (!outs[i].path) continue;
    for (size_t j = 0; j < n_ins; j++)
      if (ins[j].path && out_same_file(outs[i].path, ins[j].path)) return clash(&outs[i], &ins[j], err, errlen);
    for (size_t j = 0; j < i; j++)
      if (outs[j].path && out_same_file(outs[i].path, outs[j].path)) return clash(&outs[i], &outs[j], err, errlen);
  }
  return true;
}

static bool fail(const out_file *o, const char *what, int e, char *err, size_t errlen) {
  snprintf(err, errlen, "%s: %s (%s)", o->path, what, strerror(e));
  return false;
}

bool out_begin(out_file *o, const char *path, out_mode mode, char *err, size_t errlen) {
  memset(o, 0, sizeof *o);
  snprintf(o->path, sizeof o->path, "%s", path);
  if (strlen(path) >= OUT_PATH_MAX - 32) return fail(o, "cannot open for writing", ENAMETOOLONG, err, errlen);
  struct stat st;
  snprintf(o->target, sizeof o->target, "%s", path);
  if (stat(path, &st) == 0) {
    if (S_ISDIR(st.st_mode)) return fail(o, "cannot open for writing", EISDIR, err, errlen);
    if (!S_ISREG(st.st_mode)) { /* device, FIFO, socket: written in place */
      o->direct = true;
      snprintf(o->write_path, sizeof o->write_path, "%s", path);
      if (!(o->fp = fopen(path, "wb"))) return fail(o, "cannot open for writing", errno, err, errlen);
      o->active = true;
      return true;
    }
    char real[PATH_MAX];
    if (realpath(path, real)) snprintf(o->target, sizeof o->target, "%s", real); /* keep a symlink */
  }
  const char *slash = strrchr(o->target, '/');
  const int dir_len = slash ? (int)(slash - o->target) + 1 : 0;
  const int n = snprintf(o->write_path, sizeof o->write_path, "%.*s.%s.tmp-XXXXXX", dir_len, o->target,
                         o->target + dir_len);
  if (n < 0 || (size_t)n >= sizeof o->write_path) return fail(o, "cannot open for writing", ENAMETOOLONG, err, errlen);
  const int fd = mkstemp(o->write_path); /* created 0600 */
  if (fd < 0) return fail(o, "cannot open for writing", errno, err, errlen);
  if (mode == OUT_MODE_NORMAL) {
    const mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
      const int e = errno;
      close(fd);
      unlink(o->write_path);
      return fail(o, "cannot open for writing", e, err, errlen);
    }
  }
  if (!(o->fp = fdopen(fd, "wb"))) {
    const int e = errno;
    close(fd);
    unlink(o->write_path);
    return fail(o, "cannot open for writing", e, err, errlen);
  }
  o->active = true;
  return true;
}

void out_release_stream(out_file *o) {
  if (o->fp) fclose(o->fp);
  o->fp = NULL;
}

bool out_finish(out_file *o, char *err, size_t errlen) {
  if (!o->active) return fail(o, "cannot write", EBADF, err, errlen);
  if (o->fp) {
    errno = 0;
    bool bad = fflush(o->fp) != 0 || ferror(o->fp);
    int e = errno;
    if (fclose(o->fp) != 0 && !bad) bad = true, e = errno;
    o->fp = NULL;
    if (bad) {
      out_abort(o);
      return fail(o, "cannot write", e ? e : EIO, err, errlen);
    }
  }
  return true;
}

bool out_commit(out_file *o, char *err, size_t errlen) {
  if (!out_finish(o, err, errlen)) return false;
  o->active = false;
  if (o->direct) return true;
  if (rename(o->write_path, o->target) != 0) {
    const int e = errno;
    unlink(o->write_path);
    return fail(o, "cannot write", e, err, errlen);
  }
  return true;
}

void out_abort(out_file *o) {
  if (!o->active) return;
  if (o->fp) fclose(o->fp);
  o->fp = NULL;
  if (!o->direct) unlink(o->write_path);
  o->active = false;
}

void out_fix_message(const out_file *o, char *msg, size_t len, int errnum) {
  char buf[1024];
  const size_t wl = strlen(o->write_path);
  size_t n = 0;
  for (const char *p = msg; *p && n + 1 < sizeof buf;) {
    if (wl && !o->direct && strncmp(p, o->write_path, wl) == 0) {
      n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", o->path);
      if (n >= sizeof buf) n = sizeof buf - 1;
      p += wl;
    } else {
      buf[n++] = *p++;
    }
  }
  buf[n] = '\0';
  if (errnum && !strstr(buf, strerror(errnum)))
    snprintf(msg, len, "%s (%s)", buf, strerror(errnum));
  else
    snprintf(msg, len, "%s", buf);
}
