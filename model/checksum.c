/* Internet checksum, RFC 1071 / RFC 1624. */
#include "checksum.h"

uint64_t csum_add(uint64_t sum, const void *data, size_t len) {
  const uint8_t *p = (const uint8_t *)data;
  while (len >= 2) {
    sum += (uint64_t)((p[0] << 8) | p[1]);
    p += 2;
    len -= 2;
  }
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
