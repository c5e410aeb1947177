/* Internet checksum, RFC 1071 / RFC 1624. */
#include "checksum.h"

#include <string.h>

/* RFC 1071 s2(B): the one's complement sum does not depend on byte order, and s2(C): it
 * may be accumulated in wider words (2^16 == 1 mod 0xFFFF). So the even part is summed as
 * native 32-bit words (two per 8-byte load), folded, byte-swapped to network order on a
 * little-endian host, and added to the caller's big-endian running sum. */
uint64_t csum_add(uint64_t sum, const void *data, size_t len) {
  const uint8_t *p = (const uint8_t *)data;
  uint64_t acc = 0;
  for (; len >= 8; p += 8, len -= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    acc += (w & 0xFFFFFFFFu) + (w >> 32);
  }
  if (len >= 4) {
    uint32_t w;
    memcpy(&w, p, 4);
    acc += w;
    p += 4;
    len -= 4;
  }
  if (len >= 2) {
    uint16_t w;
    memcpy(&w, p, 2);
    acc += w;
    p += 2;
    len -= 2;
  }
  uint16_t folded = csum_fold(acc);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  folded = (uint16_t)(folded << 8 | folded >> 8);
#elif !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__
#error "csum_add: unknown byte order"
#endif
  sum += folded;
  if (len) sum += (uint64_t)p[0] << 8; /* odd trailing byte padded with zero */
  return sum;
}

uint16_t csum_fold(uint64_t sum) {
  while (sum >> 16) sum = (sum & 0xFFFFu) + (sum >> 16);
  return (uint16_t)sum;
}

uint16_t csum_compute(const void *data, size_t len) { return csum_finish(csum_add(0, data, len)); }

int csum_verify(const void *data, size_t len) { return csum_fold(csum_add(0, data, len)) == 0xFFFFu; }

uint16_t csum_update16(uint16_t old_csum, uint16_t old_word, uint16_t new_word) {
  uint64_t sum = (uint16_t)~old_csum;
  sum += (uint16_t)~old_word;
  sum += new_word;
  return (uint16_t)~csum_fold(sum);
}

uint16_t csum_update32(uint16_t old_csum, uint32_t old_val, uint32_t new_val) {
  uint16_t c = csum_update16(old_csum, (uint16_t)(old_val >> 16), (uint16_t)(new_val >> 16));
  return csum_update16(c, (uint16_t)old_val, (uint16_t)new_val);
}
