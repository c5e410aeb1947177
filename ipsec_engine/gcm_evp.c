/* AES-GCM on OpenSSL EVP. Keys are set once per context (the expensive part: key schedule
 * and GHASH table); each packet only sets its 12-byte nonce. Measured on this machine,
 * re-keying per packet costs up to 2x at 64 B (research/perf_limits.md section 1). */
#include "gcm.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/* An SA only encrypts (outbound) or only decrypts (inbound): each direction's context (its
 * key schedule and GHASH table, ~1.1 KB in OpenSSL 3) is keyed at its first use, not both at
 * gcm_new (8000 SAs: 9 MB less). The key stays here for that, wiped at gcm_free. */
struct gcm_ctx {
  EVP_CIPHER_CTX *enc;
  EVP_CIPHER_CTX *dec;
  const EVP_CIPHER *cipher;
  uint8_t key[32]; /* secret */
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

/* Only the key length can be refused here (16, 24, 32); keying a direction later fails only
 * for memory, and then that packet's encrypt or decrypt fails. */
gcm_ctx *gcm_new(const uint8_t *key, size_t key_len) {
  const EVP_CIPHER *cipher = cipher_for(key_len);
  if (!cipher || !key || key_len > sizeof ((gcm_ctx *)0)->key) return NULL;
  gcm_ctx *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->cipher = cipher;
  memcpy(c->key, key, key_len);
  return c;
}

static EVP_CIPHER_CTX *enc_of(gcm_ctx *c) { return c->enc ? c->enc : (c->enc = keyed_ctx(c->cipher, c->key, 1)); }
static EVP_CIPHER_CTX *dec_of(gcm_ctx *c) { return c->dec ? c->dec : (c->dec = keyed_ctx(c->cipher, c->key, 0)); }

void gcm_free(gcm_ctx *c) {
  if (!c) return;
  EVP_CIPHER_CTX_free(c->enc);
  EVP_CIPHER_CTX_free(c->dec);
  OPENSSL_cleanse(c->key, sizeof c->key);
  free(c);
}

/* EVP lengths are int; a packet never approaches INT_MAX, but CAVP-style callers could. */
static bool len_ok(size_t n) { return n <= (size_t)0x7fffffff; }

bool gcm_encrypt(gcm_ctx *c, const uint8_t nonce[GCM_NONCE_LEN], const uint8_t *aad,
                 size_t aad_len, const uint8_t *pt, size_t len, uint8_t *ct,
                 uint8_t tag[GCM_TAG_LEN]) {
  int out_len = 0;
  if (!len_ok(aad_len) || !len_ok(len) || !enc_of(c)) return false;
  if (EVP_EncryptInit_ex(c->enc, NULL, NULL, NULL, nonce) != 1) return false;
  if (aad_len && EVP_EncryptUpdate(c->enc, NULL, &out_len, aad, (int)aad_len) != 1) return false;
  if (len && EVP_EncryptUpdate(c->enc, ct, &out_len, pt, (int)len) != 1) return false;
  if (EVP_EncryptFinal_ex(c->enc, ct + (len ? (size_t)out_len : 0), &out_len) != 1) return false;
  return EVP_CIPHER_CTX_ctrl(c->enc, EVP_CTRL_GCM_GET_TAG, GCM_TAG_LEN, tag) == 1;
}

/* GCM is a stream mode in EVP: each update outputs exactly its input length and partial
 * blocks carry over between updates, but a carried partial block sends OpenSSL down its
 * byte-at-a-time path on both sides of the seam. So every update here is whole blocks
 * except the last: bytes that straddle a part boundary are gathered in one block on the
 * stack (the ciphertext stays contiguous, only the input is split). */
static bool enc_update(EVP_CIPHER_CTX *ctx, uint8_t *ct, const uint8_t *p, size_t len) {
  int out_len = 0;
  return EVP_EncryptUpdate(ctx, ct, &out_len, p, (int)len) == 1 && (size_t)out_len == len;
}

bool gcm_encrypt_parts(gcm_ctx *c, const uint8_t nonce[GCM_NONCE_LEN], const uint8_t *aad,
                       size_t aad_len, const gcm_part *parts, size_t n, uint8_t *ct,
                       uint8_t tag[GCM_TAG_LEN]) {
  int out_len = 0;
  size_t at = 0, total = 0;
  for (size_t i = 0; i < n; i++) {
    total += parts[i].len;
    if (!len_ok(parts[i].len) || !len_ok(total)) return false;
  }
  if (!len_ok(aad_len) || !enc_of(c)) return false;
  if (EVP_EncryptInit_ex(c->enc, NULL, NULL, NULL, nonce) != 1) return false;
  if (aad_len && EVP_EncryptUpdate(c->enc, NULL, &out_len, aad, (int)aad_len) != 1) return false;
  uint8_t blk[16];
  size_t held = 0; /* bytes in blk, not yet encrypted; their ciphertext goes to ct + at */
  for (size_t i = 0; i < n; i++) {
    const uint8_t *p = parts[i].p;
    size_t len = parts[i].len;
    if (!len) continue;
    if (held) {
      const size_t take = len < sizeof blk - held ? len : sizeof blk - held;
      memcpy(blk + held, p, take);
      held += take;
      p += take;
      len -= take;
      if (held < sizeof blk) continue;
      if (!enc_update(c->enc, ct + at, blk, sizeof blk)) return false;
      at += sizeof blk;
      held = 0;
    }
    const size_t whole = len & ~(size_t)15;
    if (whole) {
      if (!enc_update(c->enc, ct + at, p, whole)) return false;
      at += whole;
    }
    memcpy(blk, p + whole, len - whole);
    held = len - whole;
  }
  if (held && !enc_update(c->enc, ct + at, blk, held)) return false;
  at += held;
  if (EVP_EncryptFinal_ex(c->enc, ct + at, &out_len) != 1) return false;
  return EVP_CIPHER_CTX_ctrl(c->enc, EVP_CTRL_GCM_GET_TAG, GCM_TAG_LEN, tag) == 1;
}

bool gcm_decrypt(gcm_ctx *c, const uint8_t nonce[GCM_NONCE_LEN], const uint8_t *aad,
                 size_t aad_len, const uint8_t *ct, size_t len, uint8_t *pt,
                 const uint8_t *tag, size_t tag_len) {
  int out_len = 0;
  uint8_t tag_copy[GCM_TAG_LEN];
  if (tag_len < 1 || tag_len > GCM_TAG_LEN || !len_ok(aad_len) || !len_ok(len)) return false;
  memcpy(tag_copy, tag, tag_len);
  if (!dec_of(c) || EVP_DecryptInit_ex(c->dec, NULL, NULL, NULL, nonce) != 1) return false;
  if (aad_len && EVP_DecryptUpdate(c->dec, NULL, &out_len, aad, (int)aad_len) != 1) return false;
  if (len && EVP_DecryptUpdate(c->dec, pt, &out_len, ct, (int)len) != 1) return false;
  /* OpenSSL compares the first tag_len bytes in constant time (CRYPTO_memcmp). */
  if (EVP_CIPHER_CTX_ctrl(c->dec, EVP_CTRL_GCM_SET_TAG, (int)tag_len, tag_copy) != 1) return false;
  return EVP_DecryptFinal_ex(c->dec, pt + (len ? (size_t)out_len : 0), &out_len) == 1;
}
