/* Reference GCM (NIST SP 800-38D, 96-bit IV only) with a full trace of intermediates. */
#include <string.h>

#include "gcm_ref.h"

/* SP 800-38D Algorithm 1: Z = X * Y in GF(2^128), bit 0 = MSB of byte 0, R = 0xE1 || 0^120. */
void gcm_ref_gf_mult(const uint8_t x[16], const uint8_t y[16], uint8_t out[16]) {
  uint8_t z[16] = {0}, v[16];
  memcpy(v, y, 16);
  for (int i = 0; i < 128; i++) {
    if (x[i / 8] & (0x80 >> (i % 8)))
      for (int j = 0; j < 16; j++) z[j] ^= v[j];
    const int lsb = v[15] & 1;
    for (int j = 15; j > 0; j--) v[j] = (uint8_t)((v[j] >> 1) | (v[j - 1] << 7));
    v[0] >>= 1;
    if (lsb) v[0] ^= 0xe1;
  }
  memcpy(out, z, 16);
}

/* Y <- (Y xor X) * H, recording Y in the trace. */
static void ghash_step(uint8_t y[16], const uint8_t x[16], const uint8_t h[16], gcm_ref_trace *t,
                       size_t *step) {
  for (int j = 0; j < 16; j++) y[j] ^= x[j];
  gcm_ref_gf_mult(y, h, y);
  if (t && t->ghash_partial) memcpy(t->ghash_partial[*step].b, y, 16);
  (*step)++;
}

/* GHASH over data zero-padded to whole blocks. */
static void ghash_blocks(uint8_t y[16], const uint8_t *data, size_t len, const uint8_t h[16],
                         gcm_ref_trace *t, size_t *step) {
  for (size_t off = 0; off < len; off += 16) {
    uint8_t blk[16] = {0};
    memcpy(blk, data + off, len - off < 16 ? len - off : 16);
    ghash_step(y, blk, h, t, step);
  }
}

static void put_be64(uint8_t *p, uint64_t v) {
  for (int i = 7; i >= 0; i--, v >>= 8) p[i] = (uint8_t)v;
}

/* inc32: increments only the low 32 bits of the counter block, modulo 2^32. */
static void inc32(uint8_t cb[16]) {
  for (int i = 15; i >= 12; i--)
    if (++cb[i] != 0) break;
}

void gcm_ref_crypt(const gcm_ref_key *k, const uint8_t iv[12], const uint8_t *aad, size_t aad_len,
                   const uint8_t *in, size_t len, uint8_t *out, uint8_t tag_out[16], bool decrypt,
                   gcm_ref_trace *trace) {
  uint8_t h[16] = {0}, j0[16], ek_j0[16], cb[16], y[16] = {0}, len_block[16];
  gcm_ref_aes_encrypt_block(k, h, h);
  memcpy(j0, iv, 12);
  j0[12] = j0[13] = j0[14] = 0;
  j0[15] = 1;
  gcm_ref_aes_encrypt_block(k, j0, ek_j0);

  size_t step = 0;
  ghash_blocks(y, aad, aad_len, h, trace, &step);

  /* CTR over the text; GHASH always runs over the ciphertext. */
  memcpy(cb, j0, 16);
  size_t blk_index = 0;
  for (size_t off = 0; off < len; off += 16, blk_index++) {
    uint8_t ks[16], c_blk[16] = {0};
    const size_t n = len - off < 16 ? len - off : 16;
    inc32(cb);
    gcm_ref_aes_encrypt_block(k, cb, ks);
    if (trace && trace->counter) memcpy(trace->counter[blk_index].b, cb, 16);
    if (trace && trace->keystream) memcpy(trace->keystream[blk_index].b, ks, 16);
    for (size_t i = 0; i < n; i++) {
      const uint8_t x = in[off + i];
      out[off + i] = (uint8_t)(x ^ ks[i]);
      c_blk[i] = decrypt ? x : out[off + i];
    }
    ghash_step(y, c_blk, h, trace, &step);
  }

  put_be64(len_block, (uint64_t)aad_len * 8);
  put_be64(len_block + 8, (uint64_t)len * 8);
  ghash_step(y, len_block, h, trace, &step);

  for (int i = 0; i < 16; i++) tag_out[i] = (uint8_t)(y[i] ^ ek_j0[i]);
  if (trace) {
    memcpy(trace->h.b, h, 16);
    memcpy(trace->j0.b, j0, 16);
    memcpy(trace->ek_j0.b, ek_j0, 16);
    memcpy(trace->len_block.b, len_block, 16);
    memcpy(trace->s.b, y, 16);
    trace->n_keystream = blk_index;
    trace->n_ghash = step;
  }
}
