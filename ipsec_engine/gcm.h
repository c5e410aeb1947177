/* AES-GCM on OpenSSL EVP, the production path: one context per key (key schedule and GHASH
 * table built once, at SA install), a fresh 12-byte nonce per packet, AES-128/192/256,
 * any AAD and text length, 16-byte tag. */
#ifndef IPSECSIM_GCM_H
#define IPSECSIM_GCM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GCM_TAG_LEN 16
#define GCM_NONCE_LEN 12

typedef struct gcm_ctx gcm_ctx;

/* key_len 16, 24 or 32. NULL on a bad length or an OpenSSL failure. */
gcm_ctx *gcm_new(const uint8_t *key, size_t key_len);
void gcm_free(gcm_ctx *c);

/* ct may alias pt. tag gets 16 bytes. false only on an OpenSSL failure. */
bool gcm_encrypt(gcm_ctx *c, const uint8_t nonce[GCM_NONCE_LEN], const uint8_t *aad,
                 size_t aad_len, const uint8_t *pt, size_t len, uint8_t *ct,
                 uint8_t tag[GCM_TAG_LEN]);

/* One piece of a plaintext given in parts (len 0 allowed; p may then be NULL). */
typedef struct gcm_part {
  const uint8_t *p;
  size_t len;
} gcm_part;

/* gcm_encrypt of the concatenation parts[0] || ... || parts[n-1], written contiguously to
 * ct, without the caller first copying the parts together (ESP: the inner packet straight
 * from the input buffer, then the trailer). A part may alias the bytes of ct it encrypts to,
 * no others. false only on an OpenSSL failure. */
bool gcm_encrypt_parts(gcm_ctx *c, const uint8_t nonce[GCM_NONCE_LEN], const uint8_t *aad,
                       size_t aad_len, const gcm_part *parts, size_t n, uint8_t *ct,
                       uint8_t tag[GCM_TAG_LEN]);

/* Decrypts and checks the first tag_len bytes (1..16) of the tag in constant time. pt is
 * written even on mismatch (callers must drop it). Returns true when the tag matches. */
bool gcm_decrypt(gcm_ctx *c, const uint8_t nonce[GCM_NONCE_LEN], const uint8_t *aad,
                 size_t aad_len, const uint8_t *ct, size_t len, uint8_t *pt,
                 const uint8_t *tag, size_t tag_len);

#ifdef __cplusplus
}
#endif
#endif
