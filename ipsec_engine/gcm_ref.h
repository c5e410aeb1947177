/* Transparent reference AES-GCM (NIST SP 800-38D), slow and readable, 96-bit IV only.
 * Exposes every intermediate an RTL engineer debugs against: H = E(K, 0^128), J0, E(K, J0),
 * each counter block and keystream block, and each GHASH partial sum. Scoreboards use it to
 * name the first wrong block. Independent of OpenSSL (own AES, own GF(2^128) multiply). */
#ifndef IPSECSIM_GCM_REF_H
#define IPSECSIM_GCM_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gcm_ref_block {
  uint8_t b[16];
} gcm_ref_block;

/* AES key schedule: up to 15 round keys (AES-256). */
typedef struct gcm_ref_key {
  unsigned key_len; /* 16, 24, 32 */
  unsigned rounds;  /* 10, 12, 14 */
  gcm_ref_block round_key[15];
} gcm_ref_key;

bool gcm_ref_key_init(gcm_ref_key *k, const uint8_t *key, size_t key_len);
void gcm_ref_aes_encrypt_block(const gcm_ref_key *k, const uint8_t in[16], uint8_t out[16]);
/* GF(2^128) multiply in GCM's bit-reflected convention (SP 800-38D Algorithm 1). */
void gcm_ref_gf_mult(const uint8_t x[16], const uint8_t y[16], uint8_t out[16]);

/* Trace of one GCM operation. Arrays sized by the caller: ceil(len/16) entries for keystream
 * and counters; ceil(aad/16) + ceil(len/16) + 1 entries for ghash_partial (Y_i after each
 * GHASH input block, the last one after the length block). Any pointer may be NULL. */
typedef struct gcm_ref_trace {
  gcm_ref_block h;         /* E(K, 0^128) */
  gcm_ref_block j0;        /* IV || 0^31 || 1 */
  gcm_ref_block ek_j0;     /* E(K, J0), the tag mask */
  gcm_ref_block len_block; /* [len(A)]_64 || [len(C)]_64 in bits */
  gcm_ref_block s;         /* GHASH result before masking */
  gcm_ref_block *counter;  /* inc32^i(J0), i = 1.. */
  gcm_ref_block *keystream;
  size_t n_keystream;
  gcm_ref_block *ghash_partial;
  size_t n_ghash;
} gcm_ref_trace;

/* Encrypt: text_out = pt XOR keystream, tag = S XOR E(K,J0) (16 bytes). decrypt=true
 * treats `in` as ciphertext (GHASH over it). Returns the full 16-byte tag in tag_out. */
void gcm_ref_crypt(const gcm_ref_key *k, const uint8_t iv[12], const uint8_t *aad, size_t aad_len,
                   const uint8_t *in, size_t len, uint8_t *out, uint8_t tag_out[16], bool decrypt,
                   gcm_ref_trace *trace);

#ifdef __cplusplus
}
#endif
#endif
