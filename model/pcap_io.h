/* pcap file reading and writing on libpcap. Timestamps are nanoseconds since the Unix
 * epoch (uint64_t); simulation time in femtoseconds is relative to a run's start because
 * absolute epoch times do not fit in 64 bits of femtoseconds (2^64 fs ~ 5.1 hours).
 * Every error is one line naming the file, e.g.
 *   "in.pcap: not a readable pcap file: unknown file format"
 *   "in.pcap: packet 3: truncated dump file; tried to read 60 captured bytes, only got 12" */
#ifndef IPSECSIM_PCAP_IO_H
#define IPSECSIM_PCAP_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PCAPIO_ERR_MAX 512
typedef struct pcapio_err {
  char msg[PCAPIO_ERR_MAX];
} pcapio_err;

/* Link types the simulator handles. File values: 1, 101 (DLT_RAW), 228, 229. */
typedef enum pcapio_link {
  PCAPIO_LINK_ETHERNET, /* DLT_EN10MB: frames without FCS */
  PCAPIO_LINK_RAW,      /* LINKTYPE_RAW: IPv4 or IPv6, told apart by the version nibble */
  PCAPIO_LINK_IPV4,     /* DLT_IPV4 */
  PCAPIO_LINK_IPV6,     /* DLT_IPV6 */
} pcapio_link;

const char *pcapio_link_name(pcapio_link l);

typedef struct pcapio_packet {
  const uint8_t *data;  /* valid until the next pcapio_next or close */
  uint32_t caplen;      /* bytes in data */
  uint32_t origlen;     /* length on the wire */
  uint64_t ts_ns;       /* since the epoch */
  uint64_t index;       /* 1-based packet number in the file */
} pcapio_packet;

typedef struct pcapio_reader pcapio_reader;

/* Opens path (pcap, micro- or nanosecond, or pcapng as libpcap reads it). NULL with a
 * message on an unreadable file, garbage, or an unsupported link type. */
pcapio_reader *pcapio_open_read(const char *path, pcapio_err *err);
pcapio_link pcapio_reader_link(const pcapio_reader *r);
/* 1 = a packet in *pkt, 0 = clean end of file, -1 = error (truncated record etc.). */
int pcapio_next(pcapio_reader *r, pcapio_packet *pkt, pcapio_err *err);
void pcapio_close_read(pcapio_reader *r);

typedef struct pcapio_writer pcapio_writer;

/* nanosecond selects the nanosecond pcap magic (0xA1B23C4D); otherwise microseconds
 * (timestamps truncated). snaplen 0 means 262144. */
pcapio_writer *pcapio_open_write(const char *path, pcapio_link link, bool nanosecond,
                                 uint32_t snaplen, pcapio_err *err);
/* Writes one record; origlen 0 means origlen = caplen. */
bool pcapio_write(pcapio_writer *w, const uint8_t *data, uint32_t caplen, uint32_t origlen,
                  uint64_t ts_ns, pcapio_err *err);
/* Flushes and closes; false if any write failed (disk full...). Frees w either way. */
bool pcapio_close_write(pcapio_writer *w, pcapio_err *err);

#ifdef __cplusplus
}
#endif
#endif
