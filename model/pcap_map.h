/* Internal to pcap_io.c: a classic pcap regular file mapped into memory, its records handed
 * out in place (no copy). Only classic pcap (micro- or nanosecond magic, either byte order);
 * anything else is left to libpcap. */
#ifndef IPSECSIM_PCAP_MAP_H
#define IPSECSIM_PCAP_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest caplen accepted, as libpcap's (MAXIMUM_SNAPLEN). */
#define PCAP_MAP_MAX_CAPLEN 262144u

typedef struct pcap_map {
  const uint8_t *base;
  size_t len, at;       /* at = next record header */
  bool swapped, nano;
  uint32_t linktype;    /* the file's LINKTYPE_* value */
} pcap_map;

/* true: path is a regular file with a classic pcap header, now mapped. false: nothing held
 * (a FIFO is never opened: opening it would block, closing it again lose its writer). */
bool pcap_map_open(const char *path, pcap_map *m);
/* 1 = a record (data points into the map), 0 = end, -1 = corrupt (why: one phrase). */
int pcap_map_next(pcap_map *m, const uint8_t **data, uint32_t *caplen, uint32_t *len,
                  uint64_t *ts_ns, char *why, size_t why_len);
void pcap_map_close(pcap_map *m);

#endif
