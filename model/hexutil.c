/* Hex encode/decode. */
#include "hexutil.h"

#include <string.h>

size_t hex_encode(const uint8_t *in, size_t n, char *out, size_t out_cap) {
  static const char digits[] = "0123456789abcdef";
  if (out_cap == 0) return 0;
  if (n > (out_cap - 1) / 2) {
    out[0] = '\0';
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[in[i] >> 4];
    out[2 * i + 1] = digits[in[i] & 15u];
  }
  out[2 * n] = '\0';
  return 2 * n;
}

const char *hex_err_str(hex_err e) {
  switch (e) {
  case HEX_OK: return "ok";
  case HEX_ERR_ODD_LENGTH: return "odd number of hex digits";
  case HEX_ERR_BAD_CHAR: return "not a hex digit";
  case HEX_ERR_TOO_LONG: return "too many bytes";
  }
  return "unknown";
}

static int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

hex_err hex_decode(const char *in, size_t len, uint8_t *out, size_t out_cap, size_t *out_len,
                   size_t *err_pos) {
  size_t start = 0;
  *out_len = 0;
  if (len >= 2 && in[0] == '0' && (in[1] == 'x' || in[1] == 'X')) start = 2;
  for (size_t i = start; i < len; i++) {
    if (nibble(in[i]) < 0) {
      if (err_pos) *err_pos = i;
      return HEX_ERR_BAD_CHAR;
    }
  }
  size_t digits = len - start;
  if (digits % 2) return HEX_ERR_ODD_LENGTH;
  if (digits / 2 > out_cap) return HEX_ERR_TOO_LONG;
  for (size_t i = 0; i < digits / 2; i++)
    out[i] = (uint8_t)(nibble(in[start + 2 * i]) << 4 | nibble(in[start + 2 * i + 1]));
  *out_len = digits / 2;
  return HEX_OK;
}

bool hex_decode_exact(const char *in, uint8_t *out, size_t want) {
  size_t got = 0;
  size_t len = strlen(in);
  if (len != 2 * want && len != 2 * want + 2) return false;
  return hex_decode(in, len, out, want, &got, NULL) == HEX_OK && got == want;
}
