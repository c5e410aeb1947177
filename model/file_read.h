/* Reading a whole input file (SA file, scenario, CAVP .rsp, later Junos configurations) with a
 * size limit, so that `--sa /dev/zero` or a multi-gigabyte file costs at most the limit in
 * memory and ends with one line instead of exhausting the machine.
 *
 * The limit is FILE_READ_DEFAULT_MAX (16 MiB) unless the environment variable
 * IPSECSIM_MAX_INPUT gives another size: a number of bytes with an optional suffix
 * KiB, MiB, GiB, TiB (or K, M, G, T, the same binary multiples), e.g. IPSECSIM_MAX_INPUT=64MiB.
 * Why 16 MiB: the largest input the project reads whole is a NIST CAVP response file (the
 * biggest gcmEncryptExtIV*.rsp is about 3 MiB) and a 2000-SA file is well under 1 MiB; every
 * loader keeps a few copies (text, tree, parsed records) so 16 MiB of text stays a few hundred
 * MiB of memory at worst, and anything bigger is almost surely a wrong path.
 *
 * Regular files are checked by size before a byte is read; devices, pipes and FIFOs are read
 * until end of file or until one byte more than the limit, so nothing is read without bound.
 * pcaps are not read whole: model/pcap_io streams them record by record. */
#ifndef IPSECSIM_FILE_READ_H
#define IPSECSIM_FILE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FILE_READ_DEFAULT_MAX ((uint64_t)16 << 20)
#define FILE_READ_ENV "IPSECSIM_MAX_INPUT"
#define FILE_READ_MIN_LIMIT ((uint64_t)1)
#define FILE_READ_MAX_LIMIT ((uint64_t)1 << 40) /* 1 TiB: beyond any input we read */

/* "4096", "64MiB", "2G": a size in bytes; false on anything else or outside
 * FILE_READ_MIN_LIMIT..FILE_READ_MAX_LIMIT. */
bool file_read_parse_size(const char *text, uint64_t *bytes);

/* The limit in force: IPSECSIM_MAX_INPUT when set, else the default. On a malformed value,
 * false and one line in err:
 *   "IPSECSIM_MAX_INPUT: 'abc' is not a size (allowed: 1..1099511627776 bytes, optional
 *    suffix KiB, MiB, GiB, TiB)" */
bool file_read_limit(uint64_t *limit, char *err, size_t errlen);

/* Reads path whole into a heap buffer (*text, NUL-terminated, caller frees; *len bytes, NUL
 * bytes inside are kept). False with one line in err:
 *   "PATH: cannot open file (No such file or directory)"
 *   "PATH: cannot read file (Is a directory)"
 *   "PATH: input size: larger than the limit of 16 MiB (allowed: up to 16777216 bytes; raise
 *    it with IPSECSIM_MAX_INPUT=SIZE, e.g. IPSECSIM_MAX_INPUT=64MiB)" */
bool file_read_all(const char *path, char **text, size_t *len, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
