/* Classic pcap over a memory buffer (file header 24 bytes, record header 16 bytes;
 * https://www.tcpdump.org/manpages/pcap-savefile.5.txt). */
#include "pcap_walk.h"

#include <string.h>

#define PCAP_WALK_MAX_CAPLEN 262144u /* libpcap's MAXIMUM_SNAPLEN */

static uint32_t rd32(const pcap_walk *w, size_t at) {
  const uint8_t *b = w->data + at;
  return w->swapped ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]
                    : (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

bool pcap_walk_open(pcap_walk *w, const uint8_t *data, size_t len) {
  memset(w, 0, sizeof *w);
  w->data = data;
  w->len = len;
  if (len < 24) return false;
  /* The magic as written on a little-endian host; a big-endian writer gives the swapped one. */
  static const uint32_t magics[2] = {0xA1B2C3D4u, 0xA1B23C4Du};
  bool found = false;
  for (int swapped = 0; swapped < 2 && !found; swapped++) {
    w->swapped = swapped;
    for (int nano = 0; nano < 2 && !found; nano++)
      if (rd32(w, 0) == magics[nano]) {
        w->nano = nano;
        found = true;
      }
  }
  if (!found) return false;
  w->snaplen = rd32(w, 16);
  switch (rd32(w, 20) & 0x0FFFFFFFu) { /* the upper bits carry FCS information */
  case 1: w->link = PCAPIO_LINK_ETHERNET; break;
  case 101: w->link = PCAPIO_LINK_RAW; break;
  case 228: w->link = PCAPIO_LINK_IPV4; break;
  case 229: w->link = PCAPIO_LINK_IPV6; break;
  default: return false;
  }
  w->at = 24;
  return true;
}

int pcap_walk_next(pcap_walk *w, pcapio_packet *p) {
  if (w->at == w->len) return 0;
  if (w->len - w->at < 16) return -1;
  const uint32_t sec = rd32(w, w->at), frac = rd32(w, w->at + 4);
  const uint32_t caplen = rd32(w, w->at + 8), origlen = rd32(w, w->at + 12);
  if (caplen > PCAP_WALK_MAX_CAPLEN || caplen > w->len - w->at - 16) return -1;
  p->data = w->data + w->at + 16;
  p->caplen = caplen;
  p->origlen = origlen;
  p->ts_ns = (uint64_t)sec * 1000000000u + (w->nano ? frac : (uint64_t)frac * 1000u);
  p->index = ++w->index;
  w->at += 16 + (size_t)caplen;
  return 1;
}
