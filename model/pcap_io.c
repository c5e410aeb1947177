/* pcap I/O. Reading: a classic pcap regular file with a supported link type is read with
 * read(2) into one 128 KiB buffer and its records are handed out in place there (pcap_map.c:
 * libpcap's stdio path copied every record twice; a memory map, tried first, dies of SIGBUS
 * when the file is truncated during the run); any
 * other input (pcapng, FIFOs, devices, other link types, files that do not parse) goes
 * through libpcap, whose messages the errors keep. Writing: libpcap's dumper on a large
 * stdio buffer. */
/* libpcap headers use the BSD u_char/u_int types, hidden under strict -std=c11. */
#define _DEFAULT_SOURCE 1

#include "pcap_io.h"
#include "pcap_map.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* stdio buffer of every pcap file: with the default 4 KiB, `esp` made one read and one write
 * system call per 4 KiB and spent twice cp's system time on the same bytes (issue 10). */
#define PCAPIO_STDIO_BUF (1u << 17)

struct pcapio_reader {
  pcap_t *pc;           /* NULL on the buffered path */
  char *iobuf;
  pcap_map map;         /* buffered path when map.base */
  pcapio_link link;
  uint64_t count;
  char path[]; /* own copy, for messages */
};

struct pcapio_writer {
  pcap_t *pc;
  char *iobuf;
  pcap_dumper_t *dump;
  uint32_t snaplen;
  bool nanosecond;
  bool failed;
  char path[]; /* own copy, for messages */
};

static void set_err(pcapio_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(pcapio_err *err, const char *fmt, ...) {
  if (!err) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  for (char *p = err->msg; *p; p++) /* keep it one line */
    if (*p == '\n' || *p == '\r') *p = ' ';
}

const char *pcapio_link_name(pcapio_link l) {
  switch (l) {
  case PCAPIO_LINK_ETHERNET: return "ethernet";
  case PCAPIO_LINK_RAW: return "raw";
  case PCAPIO_LINK_IPV4: return "ipv4";
  case PCAPIO_LINK_IPV6: return "ipv6";
  }
  return "unknown";
}

static bool link_from_dlt(int dlt, pcapio_link *l) {
  switch (dlt) {
  case DLT_EN10MB: *l = PCAPIO_LINK_ETHERNET; return true;
  case DLT_RAW: *l = PCAPIO_LINK_RAW; return true; /* libpcap maps file value 101 to this */
  case DLT_IPV4: *l = PCAPIO_LINK_IPV4; return true;
  case DLT_IPV6: *l = PCAPIO_LINK_IPV6; return true;
  default: return false;
  }
}

/* File (LINKTYPE_*) values of the link types handled, as libpcap maps them. */
static bool link_from_file_value(uint32_t v, pcapio_link *l) {
  switch (v) {
  case 1: *l = PCAPIO_LINK_ETHERNET; return true;
  case 101: *l = PCAPIO_LINK_RAW; return true;
  case 228: *l = PCAPIO_LINK_IPV4; return true;
  case 229: *l = PCAPIO_LINK_IPV6; return true;
  default: return false;
  }
}

static int dlt_from_link(pcapio_link l) {
  switch (l) {
  case PCAPIO_LINK_ETHERNET: return DLT_EN10MB;
  case PCAPIO_LINK_RAW: return DLT_RAW;
  case PCAPIO_LINK_IPV4: return DLT_IPV4;
  case PCAPIO_LINK_IPV6: return DLT_IPV6;
  }
  return -1;
}

/* fopen with a large buffer of our own (glibc ignores the size for a NULL buffer); libpcap
 * reads and writes through it and closes the file; *buf is freed after that. Without memory
 * for the buffer the default one serves. */
static FILE *open_buffered(const char *path, const char *mode, char **buf) {
  FILE *fp = fopen(path, mode);
  *buf = fp ? malloc(PCAPIO_STDIO_BUF) : NULL;
  if (*buf && setvbuf(fp, *buf, _IOFBF, PCAPIO_STDIO_BUF) != 0) {
    free(*buf);
    *buf = NULL;
  }
  return fp;
}

/* The buffered path, or NULL (then libpcap decides, with its own messages). */
static pcapio_reader *open_mapped(const char *path) {
  pcap_map m;
  if (!pcap_map_open(path, &m)) return NULL;
  pcapio_link link;
  size_t plen = strlen(path) + 1;
  pcapio_reader *r = link_from_file_value(m.linktype, &link) ? calloc(1, sizeof *r + plen) : NULL;
  if (!r) {
    pcap_map_close(&m);
    return NULL;
  }
  r->map = m;
  r->link = link;
  memcpy(r->path, path, plen);
  return r;
}

pcapio_reader *pcapio_open_read(const char *path, pcapio_err *err) {
  pcapio_reader *mapped = open_mapped(path);
  if (mapped) return mapped;
  char ebuf[PCAP_ERRBUF_SIZE] = "";
  char *iobuf;
  FILE *fp = open_buffered(path, "rb", &iobuf);
  if (!fp) {
    set_err(err, "%s: not a readable pcap file: %s: %s", path, path, strerror(errno));
    return NULL;
  }
  /* Nanosecond precision: libpcap scales microsecond files up, so tv_usec is always ns. */
  pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
  if (!pc) {
    fclose(fp);
    free(iobuf);
    set_err(err, "%s: not a readable pcap file: %s", path, ebuf);
    return NULL;
  }
  pcapio_link link;
  int dlt = pcap_datalink(pc);
  if (!link_from_dlt(dlt, &link)) {
    const char *name = pcap_datalink_val_to_name(dlt);
    set_err(err, "%s: unsupported link type %d (%s) (allowed: EN10MB, RAW, IPV4, IPV6)", path,
            dlt, name ? name : "?");
    pcap_close(pc);
    free(iobuf);
    return NULL;
  }
  size_t plen = strlen(path) + 1;
  pcapio_reader *r = calloc(1, sizeof *r + plen);
  if (!r) {
    set_err(err, "%s: out of memory", path);
    pcap_close(pc);
    free(iobuf);
    return NULL;
  }
  r->pc = pc;
  r->iobuf = iobuf;
  memcpy(r->path, path, plen);
  r->link = link;
  return r;
}

pcapio_link pcapio_reader_link(const pcapio_reader *r) { return r->link; }

/* A record that claims more captured bytes than the packet had is corrupt: refused by name
 * (libpcap would pass it on as a good packet). */
static int check_lengths(pcapio_reader *r, const pcapio_packet *pkt, pcapio_err *err) {
  if (pkt->caplen <= pkt->origlen) return 1;
  set_err(err, "%s: packet %llu: caplen %u is greater than len %u (allowed: caplen <= len)",
          r->path, (unsigned long long)pkt->index, pkt->caplen, pkt->origlen);
  return -1;
}

static int next_mapped(pcapio_reader *r, pcapio_packet *pkt, pcapio_err *err) {
  char why[160];
  int rc = pcap_map_next(&r->map, &pkt->data, &pkt->caplen, &pkt->origlen, &pkt->ts_ns, why,
                         sizeof why);
  if (rc < 0) set_err(err, "%s: packet %llu: %s", r->path, (unsigned long long)r->count + 1, why);
  if (rc <= 0) return rc;
  pkt->index = ++r->count;
  return check_lengths(r, pkt, err);
}

int pcapio_next(pcapio_reader *r, pcapio_packet *pkt, pcapio_err *err) {
  if (r->map.base) return next_mapped(r, pkt, err);
  struct pcap_pkthdr *h;
  const u_char *data;
  int rc = pcap_next_ex(r->pc, &h, &data);
  if (rc == PCAP_ERROR_BREAK) return 0; /* end of file */
  if (rc != 1) {
    set_err(err, "%s: packet %llu: %s", r->path, (unsigned long long)r->count + 1,
            pcap_geterr(r->pc));
    return -1;
  }
  r->count++;
  pkt->data = data;
  pkt->caplen = h->caplen;
  pkt->origlen = h->len;
  pkt->ts_ns = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
  pkt->index = r->count;
  return check_lengths(r, pkt, err);
}

void pcapio_close_read(pcapio_reader *r) {
  if (!r) return;
  if (r->map.base) pcap_map_close(&r->map);
  else pcap_close(r->pc);
  free(r->iobuf);
  free(r);
}

pcapio_writer *pcapio_open_write(const char *path, pcapio_link link, bool nanosecond,
                                 uint32_t snaplen, pcapio_err *err) {
  int dlt = dlt_from_link(link);
  if (dlt < 0) {
    set_err(err, "%s: unknown link type %d", path, (int)link);
    return NULL;
  }
  if (snaplen == 0) snaplen = 262144;
  pcap_t *pc = pcap_open_dead_with_tstamp_precision(
      dlt, (int)snaplen, nanosecond ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
  if (!pc) {
    set_err(err, "%s: cannot create pcap handle", path);
    return NULL;
  }
  char *iobuf;
  FILE *fp = open_buffered(path, "wb", &iobuf);
  if (!fp) {
    set_err(err, "%s: cannot open for writing: %s: %s", path, path, strerror(errno));
    pcap_close(pc);
    return NULL;
  }
  pcap_dumper_t *dump = pcap_dump_fopen(pc, fp);
  if (!dump) {
    set_err(err, "%s: cannot open for writing: %s", path, pcap_geterr(pc));
    fclose(fp);
    free(iobuf);
    pcap_close(pc);
    return NULL;
  }
  size_t plen = strlen(path) + 1;
  pcapio_writer *w = calloc(1, sizeof *w + plen);
  if (!w) {
    set_err(err, "%s: out of memory", path);
    pcap_dump_close(dump);
    pcap_close(pc);
    free(iobuf);
    return NULL;
  }
  w->pc = pc;
  w->iobuf = iobuf;
  w->dump = dump;
  memcpy(w->path, path, plen);
  w->snaplen = snaplen;
  w->nanosecond = nanosecond;
  return w;
}

bool pcapio_write(pcapio_writer *w, const uint8_t *data, uint32_t caplen, uint32_t origlen,
                  uint64_t ts_ns, pcapio_err *err) {
  if (origlen == 0) origlen = caplen;
  if (caplen > w->snaplen || origlen < caplen) {
    set_err(err, "%s: record with caplen %u, origlen %u does not fit snaplen %u", w->path,
            caplen, origlen, w->snaplen);
    return false;
  }
  struct pcap_pkthdr h;
  h.ts.tv_sec = (long)(ts_ns / 1000000000u);
  uint64_t frac = ts_ns % 1000000000u;
  h.ts.tv_usec = (long)(w->nanosecond ? frac : frac / 1000u); /* ns in a nanosecond dumper */
  h.caplen = caplen;
  h.len = origlen;
  pcap_dump((u_char *)w->dump, &h, data);
  if (ferror(pcap_dump_file(w->dump))) {
    w->failed = true;
    set_err(err, "%s: write failed", w->path);
    return false;
  }
  return true;
}

bool pcapio_close_write(pcapio_writer *w, pcapio_err *err) {
  if (!w) return true;
  bool ok = !w->failed && pcap_dump_flush(w->dump) == 0 && !ferror(pcap_dump_file(w->dump));
  if (!ok) set_err(err, "%s: write failed", w->path);
  pcap_dump_close(w->dump);
  pcap_close(w->pc);
  free(w->iobuf);
  free(w);
  return ok;
}
