/* Buffered classic pcap reading (see pcap_map.h). File format: 24-byte header (magic,
 * version, zone, sigfigs, snaplen, linktype), then records of a 16-byte header (seconds,
 * micro- or nanoseconds, caplen, len) and caplen bytes. */
#define _DEFAULT_SOURCE 1 /* posix_fadvise */

#include "pcap_map.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t rd32(const uint8_t *p, bool swapped) {
  uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  return swapped ? __builtin_bswap32(v) : v;
}

/* Moves the unread bytes to the front and reads until at least `need` are held, the buffer
 * is full or the file ends. A read error ends the input too (remembered for the message). */
static void fill(pcap_map *m, size_t need) {
  if (need > m->cap) { /* need <= 16 + PCAP_MAP_MAX_CAPLEN: checked by the caller */
    uint8_t *bigger = realloc((void *)m->base, need);
    if (!bigger) { /* handled as a read error: the record cannot be held */
      m->eof = true;
      m->read_errno = ENOMEM;
      return;
    }
    m->base = bigger;
    m->cap = need;
  }
  uint8_t *buf = (uint8_t *)m->base;
  if (m->at) {
    memmove(buf, buf + m->at, m->len - m->at);
    m->len -= m->at;
    m->at = 0;
  }
  while (!m->eof && m->len < need) {
    ssize_t n = read(m->fd, buf + m->len, m->cap - m->len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      m->eof = true;
      if (n < 0) m->read_errno = errno;
      break;
    }
    m->len += (size_t)n;
  }
}

bool pcap_map_open(const char *path, pcap_map *m) {
  memset(m, 0, sizeof *m);
  m->fd = -1;
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  int fd = open(path, O_RDONLY | O_NONBLOCK);
  if (fd < 0) return false;
  uint8_t *buf = NULL;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 24)
    buf = malloc(PCAP_MAP_BUF);
  if (!buf) {
    close(fd);
    return false;
  }
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  m->base = buf;
  m->cap = PCAP_MAP_BUF;
  m->fd = fd;
  fill(m, PCAP_MAP_BUF);
  const uint32_t magic = m->len >= 24 ? rd32(buf, false) : 0;
  const bool swapped = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
  if (!swapped && magic != 0xa1b2c3d4u && magic != 0xa1b23c4du) {
    pcap_map_close(m);
    return false;
  }
  m->at = 24;
  m->swapped = swapped;
  m->nano = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u;
  m->linktype = rd32(buf + 20, swapped) & 0x03FFFFFFu; /* upper bits: FCS length flags */
  return true;
}

/* The phrase for a record cut short: the file ended (or shrank while read) or a read failed. */
static int cut_short(const pcap_map *m, const char *what, size_t want, size_t got, char *why,
                     size_t why_len) {
  if (m->read_errno)
    snprintf(why, why_len, "read error (%s); tried to read %zu %s, only got %zu",
             strerror(m->read_errno), want, what, got);
  else
    snprintf(why, why_len, "truncated dump file; tried to read %zu %s, only got %zu", want, what,
             got);
  return -1;
}

int pcap_map_next(pcap_map *m, const uint8_t **data, uint32_t *caplen, uint32_t *len,
                  uint64_t *ts_ns, char *why, size_t why_len) {
  if (m->len - m->at < 16) fill(m, 16);
  const size_t left = m->len - m->at;
  if (left == 0 && !m->read_errno) return 0;
  if (left < 16) return cut_short(m, "header bytes", 16, left, why, why_len);
  const uint8_t *h = m->base + m->at;
  *caplen = rd32(h + 8, m->swapped);
  *len = rd32(h + 12, m->swapped);
  if (*caplen > PCAP_MAP_MAX_CAPLEN) {
    snprintf(why, why_len, "invalid packet capture length %u, bigger than maximum of %u", *caplen,
             PCAP_MAP_MAX_CAPLEN);
    return -1;
  }
  if (left - 16 < *caplen) {
    fill(m, 16 + (size_t)*caplen); /* moves the record to the front */
    h = m->base + m->at;
    if (m->len - m->at - 16 < *caplen)
      return cut_short(m, "captured bytes", *caplen, m->len - m->at - 16, why, why_len);
  }
  const uint32_t sec = rd32(h, m->swapped), frac = rd32(h + 4, m->swapped);
  m->at += 16 + (size_t)*caplen;
  *data = h + 16;
  *ts_ns = (uint64_t)sec * 1000000000u + (m->nano ? frac : (uint64_t)frac * 1000u);
  return 1;
}

void pcap_map_close(pcap_map *m) {
  free((void *)m->base);
  if (m->fd >= 0) close(m->fd);
  memset(m, 0, sizeof *m);
  m->fd = -1;
}
