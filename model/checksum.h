/* Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 * Sums are carried unfolded in a uint64_t so any length can be accumulated, then folded
 * once. Data is summed as big-endian 16-bit words; only the LAST chunk given to
 * csum_add may have odd length (its final byte is padded with a zero, RFC 1071 4.1). */
#ifndef IPSECSIM_CHECKSUM_H
#define IPSECSIM_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Adds the 16-bit words of data to an unfolded running sum. */
uint64_t csum_add(uint64_t sum, const void *data, size_t len);
/* Adds one 16-bit value (e.g. a pseudo-header field). */
static inline uint64_t csum_add16(uint64_t sum, uint16_t v) { return sum + v; }
/* Folds to 16 bits with end-around carry (the one's-complement sum, not inverted). */
uint16_t csum_fold(uint64_t sum);
/* The checksum field value: ~fold(sum). */
static inline uint16_t csum_finish(uint64_t sum) { return (uint16_t)~csum_fold(sum); }
/* Checksum of one buffer (e.g. an IPv4 header with its checksum field zeroed). */
uint16_t csum_compute(const void *data, size_t len);
/* True when data including its stored checksum sums to 0xFFFF (RFC 1071 verification). */
int csum_verify(const void *data, size_t len);

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') when a 16-bit word m becomes m'.
 * (Eqn. 2, HC - ~m - m', gives 0xFFFF instead of 0x0000 in the RFC's own example.) */
uint16_t csum_update16(uint16_t old_csum, uint16_t old_word, uint16_t new_word);
/* Same for a 32-bit field (two words), e.g. an address rewrite. */
uint16_t csum_update32(uint16_t old_csum, uint32_t old_val, uint32_t new_val);

#ifdef __cplusplus
}
#endif
#endif
