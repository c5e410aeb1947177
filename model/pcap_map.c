/* Mapped classic pcap reading (see pcap_map.h). File format: 24-byte header (magic, version,
 * zone, sigfigs, snaplen, linktype), then records of a 16-byte header (seconds, micro- or
 * nanoseconds, caplen, len) and caplen bytes. */
#define _DEFAULT_SOURCE 1 /* madvise */

#include "pcap_map.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t rd32(const uint8_t *p, bool swapped) {
  uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  return swapped ? __builtin_bswap32(v) : v;
}

bool pcap_map_open(const char *path, pcap_map *m) {
  memset(m, 0, sizeof *m);
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  int fd = open(path, O_RDONLY | O_NONBLOCK);
  if (fd < 0) return false;
  void *map = MAP_FAILED;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 24)
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return false;
  const uint8_t *b = map;
  const uint32_t magic = rd32(b, false);
  const bool swapped = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
  if (!swapped && magic != 0xa1b2c3d4u && magic != 0xa1b23c4du) {
    munmap(map, (size_t)st.st_size);
    return false;
  }
  madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
  *m = (pcap_map){b, (size_t)st.st_size, 24, swapped,
                  magic == 0xa1b23c4du || magic == 0x4d3cb2a1u,
                  rd32(b + 20, swapped) & 0x03FFFFFFu /* upper bits: FCS length flags */};
  return true;
}

int pcap_map_next(pcap_map *m, const uint8_t **data, uint32_t *caplen, uint32_t *len,
                  uint64_t *ts_ns, char *why, size_t why_len) {
  const size_t left = m->len - m->at;
  if (left == 0) return 0;
  const uint8_t *h = m->base + m->at;
  if (left < 16) {
    snprintf(why, why_len, "truncated dump file; tried to read 16 header bytes, only got %zu", left);
    return -1;
  }
  const uint32_t sec = rd32(h, m->swapped), frac = rd32(h + 4, m->swapped);
  *caplen = rd32(h + 8, m->swapped);
  *len = rd32(h + 12, m->swapped);
  if (*caplen > PCAP_MAP_MAX_CAPLEN) {
    snprintf(why, why_len, "invalid packet capture length %u, bigger than maximum of %u", *caplen,
             PCAP_MAP_MAX_CAPLEN);
    return -1;
  }
  if (left - 16 < *caplen) {
    snprintf(why, why_len, "truncated dump file; tried to read %u captured bytes, only got %zu",
             *caplen, left - 16);
    return -1;
  }
  m->at += 16 + (size_t)*caplen;
  *data = h + 16;
  *ts_ns = (uint64_t)sec * 1000000000u + (m->nano ? frac : (uint64_t)frac * 1000u);
  return 1;
}

void pcap_map_close(pcap_map *m) {
  if (m->base) munmap((void *)m->base, m->len);
  memset(m, 0, sizeof *m);
}
