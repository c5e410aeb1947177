/* Hex encoding and decoding for key files, JSON vector writers and test fixtures. */
#ifndef IPSECSIM_HEXUTIL_H
#define IPSECSIM_HEXUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes 2*n lower-case hex digits and a NUL into out (needs out_cap >= 2*n + 1).
 * Returns the number of digits written, or 0 when out_cap is too small (out[0] = 0 then,
 * if out_cap > 0). */
size_t hex_encode(const uint8_t *in, size_t n, char *out, size_t out_cap);

typedef enum hex_err {
  HEX_OK = 0,
  HEX_ERR_ODD_LENGTH,   /* an odd number of digits */
  HEX_ERR_BAD_CHAR,     /* not 0-9 a-f A-F; *err_pos names it */
  HEX_ERR_TOO_LONG,     /* decoded bytes exceed out_cap */
} hex_err;

const char *hex_err_str(hex_err e);

/* Decodes in[0..len) (case-insensitive, optional leading "0x"/"0X", no separators) into out.
 * *out_len = bytes decoded. On HEX_ERR_BAD_CHAR, *err_pos (if not NULL) = offset in `in`. */
hex_err hex_decode(const char *in, size_t len, uint8_t *out, size_t out_cap, size_t *out_len,
                   size_t *err_pos);

/* Decodes a NUL-terminated string that must give exactly `want` bytes (e.g. a 16-byte key);
 * false otherwise. */
bool hex_decode_exact(const char *in, uint8_t *out, size_t want);

#ifdef __cplusplus
}
#endif
#endif
