/* Internal to pcap_io.c: a classic pcap regular file read through one large buffer with
 * read(2), its records handed out in place in that buffer (no per-record copy). Only classic
 * pcap (micro- or nanosecond magic, either byte order); anything else is left to libpcap.
 *
 * Why not mmap (the first version): a file truncated while it is mapped (another process
 * rewriting the capture) turns the next access to a vanished page into SIGBUS, anywhere the
 * record is read. With read(2) a file that shrinks under the reader is just a shorter file:
 * the record cut in half is reported as "truncated dump file" (one line, exit 2) and nothing
 * crashes. The buffer costs one kernel copy per byte, which the mapping also paid in page
 * faults; tools/bench_esp_cli.sh measures the whole path against cp + AES-GCM. */
#ifndef IPSECSIM_PCAP_MAP_H
#define IPSECSIM_PCAP_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest caplen accepted, as libpcap's (MAXIMUM_SNAPLEN). */
#define PCAP_MAP_MAX_CAPLEN 262144u
/* Read buffer: 128 KiB, small enough to stay in the L2 cache between the kernel's copy and
 * the cipher reading it (1 MiB measured ~15% slower per 1500-byte packet), large enough that
 * a read(2) moves ~87 such records. A record larger than the buffer grows it, up to
 * 16 + PCAP_MAP_MAX_CAPLEN. */
#define PCAP_MAP_BUF (1u << 17)

typedef struct pcap_map {
  const uint8_t *base;  /* the buffer; non-NULL while open */
  size_t cap;           /* its size: PCAP_MAP_BUF, more after a larger record */
  int fd;
  size_t len, at;       /* bytes in the buffer; at = next record header in it */
  bool eof;             /* read(2) returned 0: len is all that is left */
  int read_errno;       /* a failed read(2), reported with the record it cut */
  bool swapped, nano;
  uint32_t linktype;    /* the file's LINKTYPE_* value */
} pcap_map;

/* true: path is a regular file with a classic pcap header, now open. false: nothing held
 * (a FIFO is never opened: opening it would block, closing it again lose its writer). */
bool pcap_map_open(const char *path, pcap_map *m);
/* 1 = a record (data points into the buffer, valid until the next call), 0 = end, -1 =
 * corrupt or unreadable (why: one phrase). */
int pcap_map_next(pcap_map *m, const uint8_t **data, uint32_t *caplen, uint32_t *len,
                  uint64_t *ts_ns, char *why, size_t why_len);
void pcap_map_close(pcap_map *m);

#endif
