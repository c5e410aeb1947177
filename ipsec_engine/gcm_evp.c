/* AES-GCM on OpenSSL EVP. Keys are set once per context (the expensive part: key schedule
 * and GHASH table); each packet only sets its 12-byte nonce. Measured on this machine,
 * re-keying per packet costs up to 2x at 64 B (research/perf_limits.md section 1). */
#include "gcm.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>

struct gcm_ctx {
  EVP_CIPHER_CTX *enc;
  EVP_CIPHER_CTX *dec;
};

static const EVP_CIPHER *cipher_for(size_t key_len) {
  switch (key_len) {
    case 16: return EVP_aes_128_gcm();
    case 24: return EVP_aes_192_gcm();
    case 32: return EVP_aes_256_gcm();
    default: return NULL;
  }
}

static EVP_CIPHER_CTX *keyed_ctx(const EVP_CIPHER *cipher, const uint8_t *key, int enc) {
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  if (!ctx) return NULL;
  /* Nonce length 12 is OpenSSL's GCM default; set it explicitly anyway. */
  if (EVP_CipherInit_ex(ctx, cipher, NULL, NULL, NULL, enc) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, GCM_NONCE_LEN, NULL) != 1 ||
      EVP_CipherInit_ex(ctx, NULL, NULL, key, NULL, enc) != 1) {
    EVP_CIPHER_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

gcm_ctx *gcm_new(const uint8_t *key, size_t key_len) {
  const EVP_CIPHER *cipher = cipher_for(key_len);
  if (!cipher || !key) return NULL;
  gcm_ctx *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->enc = keyed_ctx(cipher, key, 1);
  c->dec = keyed_ctx(cipher, key, 0);
  if (!c->enc || !c->dec) {
    gcm_free(c);
    return NULL;
  }
  return c;
}

void gcm_free(gcm_ctx *c) {
  if (!c) return;
  EVP_CIPHER_CTX_free(c->enc);
  EVP_CIPHER_CTX_free(c->dec);
  free(c);
}

/* EVP lengths are int; a packet never approaches INT_MAX, but CAVP-style callers could. */
static bool len_ok(size_t n) { return n <= (size_t)0x7fffffff; }

bool gcm_encrypt(gcm_ctx *c, const uint8_t nonce[GCM_NONCE_LEN], const uint8_t *aad,
                 size_t aad_len, const uint8_t *pt, size_t len, uint8_t *ct,
                 uint8_t tag[GCM_TAG_LEN]) {
  int out_len = 0;
  if (!len_ok(aad_len) || !len_ok(len)) return false;
  if (EVP_EncryptInit_ex(c->enc, NULL, NULL, NULL, nonce) != 1) return false;
  if (aad_len && EVP_EncryptUpdate(c->enc, NULL, &out_len, aad, (int)aad_len) != 1) return false;
  if (len && EVP_EncryptUpdate(c->enc, ct, &out_len, pt, (int)len) != 1) return false;
  if (EVP_EncryptFinal_ex(c->enc, ct + (len ? (size_t)out_len : 0), &out_len) != 1) return false;
  return EVP_CIPHER_CTX_ctrl(c->enc, EVP_CTRL_GCM_GET_TAG, GCM_TAG_LEN, tag) == 1;
}

bool gcm_encrypt_parts(gcm_ctx *c, const uint8_t nonce[GCM_NONCE_LEN], const uint8_t *aad,
                       size_t aad_len, const gcm_part *parts, size_t n, uint8_t *ct,
                       uint8_t tag[GCM_TAG_LEN]) {
  int out_len = 0;
  size_t at = 0;
  if (!len_ok(aad_len)) return false;
  if (EVP_EncryptInit_ex(c->enc, NULL, NULL, NULL, nonce) != 1) return false;
  if (aad_len && EVP_EncryptUpdate(c->enc, NULL, &out_len, aad, (int)aad_len) != 1) return false;
  /* GCM is a stream mode in EVP: each update outputs exactly its input length, partial
   * blocks carry over between updates. */
  for (size_t i = 0; i < n; i++) {
    if (!parts[i].len) continue;
    if (!len_ok(parts[i].len) || !len_ok(at + parts[i].len)) return false;
    if (EVP_EncryptUpdate(c->enc, ct + at, &out_len, parts[i].p, (int)parts[i].len) != 1)
      return false;
    at += (size_t)out_len;
  }
  if (EVP_EncryptFinal_ex(c->enc, ct + at, &out_len) != 1) return false;
  return EVP_CIPHER_CTX_ctrl(c->enc, EVP_CTRL_GCM_GET_TAG, GCM_TAG_LEN, tag) == 1;
}

bool gcm_decrypt(gcm_ctx *c, const uint8_t nonce[GCM_NONCE_LEN], const uint8_t *aad,
                 size_t aad_len, const uint8_t *ct, size_t len, uint8_t *pt,
                 const uint8_t *tag, size_t tag_len) {
  int out_len = 0;
  uint8_t tag_copy[GCM_TAG_LEN];
  if (tag_len < 1 || tag_len > GCM_TAG_LEN || !len_ok(aad_len) || !len_ok(len)) return false;
  for (size_t i = 0; i < tag_len; i++) tag_copy[i] = tag[i];
  if (EVP_DecryptInit_ex(c->dec, NULL, NULL, NULL, nonce) != 1) return false;
  if (aad_len && EVP_DecryptUpdate(c->dec, NULL, &out_len, aad, (int)aad_len) != 1) return false;
  if (len && EVP_DecryptUpdate(c->dec, pt, &out_len, ct, (int)len) != 1) return false;
  /* OpenSSL compares the first tag_len bytes in constant time (CRYPTO_memcmp). */
  if (EVP_CIPHER_CTX_ctrl(c->dec, EVP_CTRL_GCM_SET_TAG, (int)tag_len, tag_copy) != 1) return false;
  return EVP_DecryptFinal_ex(c->dec, pt + (len ? (size_t)out_len : 0), &out_len) == 1;
}
