/* Output files that never destroy an input and never leave a half-written file behind.
 *
 * - out_check_distinct: before anything is opened, every output must be a different file
 *   from every input and from every other output. Existing files compare by device and inode
 *   (so hard links, symbolic links and `./x` spellings are caught); a name that does not exist
 *   yet compares by its resolved parent directory and base name. Devices and FIFOs never
 *   clash (/dev/null may be named twice).
 * - out_begin / out_commit: a regular-file output is written to a temporary file in the same
 *   folder (".NAME.tmp-XXXXXX") and renamed over NAME only when everything was written and
 *   flushed; out_abort (or a failed commit) removes the temporary, so a failed run leaves
 *   nothing under the final name. A symbolic link as output keeps the link: the file it points
 *   to is replaced. An existing device, FIFO or socket (/dev/null, /dev/full, a pipe) is
 *   written in place, since it cannot be renamed over.
 * - Mode: OUT_MODE_SECRET (0600) for files with key material (ESP vectors: the salt; RTL
 *   waveforms: the key), else OUT_MODE_NORMAL (0666 less the umask), like fopen.
 * Every failure is one line in err naming the final path and the errno text, e.g.
 *   "out.pcap: cannot write (No space left on device)". */
#ifndef IPSECSIM_OUT_FILE_H
#define IPSECSIM_OUT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OUT_PATH_MAX 4096

typedef enum out_mode { OUT_MODE_NORMAL, OUT_MODE_SECRET } out_mode;

/* A file named on the command line and the words that name its role in messages, e.g.
 * {"--in", "in.pcap"} or {"the scenario", "s.yaml"}. A NULL path is skipped. */
typedef struct out_role {
  const char *role;
  const char *path;
} out_role;

/* False with one line in err when outs[i] is the same file as an input or as another output:
 *   "--out in.pcap: is the same file as --in ./in.pcap (allowed: an output that is none of
 *    the inputs and no other output)" */
bool out_check_distinct(const out_role *outs, size_t n_outs, const out_role *ins, size_t n_ins, char *err,
                        size_t errlen);
/* True when a and b name the same file (the rule above). */
bool out_same_file(const char *a, const char *b);

typedef struct out_file {
  char path[OUT_PATH_MAX];       /* the final name, as given */
  char write_path[OUT_PATH_MAX]; /* where the bytes go: the temporary, or path for a device */
  char target[OUT_PATH_MAX];     /* what is renamed over: path, or the file a symlink names */
  FILE *fp;                      /* open stream (out_begin); NULL after out_release_stream */
  bool direct;                   /* a device/FIFO written in place */
  bool active;
} out_file;

/* Creates the temporary (or opens the device) and a "wb" stream on it in o->fp. */
bool out_begin(out_file *o, const char *path, out_mode mode, char *err, size_t errlen);
/* For writers that open by name (libpcap, Verilator's waveform writer): closes o->fp and
 * leaves the created, empty o->write_path (mode already set) for them to open and fill. */
void out_release_stream(out_file *o);
/* Flushes and closes o->fp (when still open) without renaming: lets a command finish every
 * output before it renames any. False (temporary removed) with "PATH: cannot write (...)". */
bool out_finish(out_file *o, char *err, size_t errlen);
/* out_finish when still needed, then renames the temporary over the final name.
 * False (temporary removed) with "PATH: cannot write (errno text)". */
bool out_commit(out_file *o, char *err, size_t errlen);
/* Closes and removes the temporary; the final name is untouched. Safe on an inactive o. */
void out_abort(out_file *o);
/* Rewrites a library's message that names o->write_path so that it names o->path, and
 * appends " (errno text)" when errnum is not 0 and the text is not in it yet. */
void out_fix_message(const out_file *o, char *msg, size_t len, int errnum);

#ifdef __cplusplus
}
#endif
#endif
