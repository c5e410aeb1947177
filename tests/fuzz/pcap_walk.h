/* A classic pcap record walker over a memory buffer, for the fuzz harnesses: compiled with
 * the harness (so libFuzzer sees its coverage, unlike libpcap's), it yields the same
 * pcapio_packet records `ipsecsim esp` gets from model/pcap_io.c. Reads the four classic
 * magics (micro/nanosecond, either byte order) and the link types the simulator handles
 * (1, 101, 228, 229); pcapng is left to libpcap. */
#ifndef IPSECSIM_FUZZ_PCAP_WALK_H
#define IPSECSIM_FUZZ_PCAP_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/pcap_io.h"

typedef struct pcap_walk {
  const uint8_t *data;
  size_t len, at;
  bool swapped, nano;
  uint32_t snaplen;
  pcapio_link link;
  uint64_t index;
} pcap_walk;

/* false: shorter than the 24-byte file header, unknown magic or unsupported link type. */
bool pcap_walk_open(pcap_walk *w, const uint8_t *data, size_t len);
/* 1 = a record in *p (p->data points into the buffer), 0 = clean end, -1 = a truncated
 * record header or body, or caplen above the 256 KiB libpcap also refuses. */
int pcap_walk_next(pcap_walk *w, pcapio_packet *p);

#endif
