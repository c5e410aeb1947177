/* Runs CAVP GCM vectors through an engine, and the two built-in engines (OpenSSL, reference). */
#include <stdlib.h>
#include <string.h>

#include "cavp.h"
#include "gcm.h"
#include "gcm_ref.h"

bool cavp_bits_equal(const uint8_t *a, const uint8_t *b, unsigned bits) {
  const unsigned bytes = bits / 8, rest = bits % 8;
  if (memcmp(a, b, bytes) != 0) return false;
  if (!rest) return true;
  const uint8_t mask = (uint8_t)(0xff00u >> rest);
  return ((a[bytes] ^ b[bytes]) & mask) == 0;
}

/* ---- OpenSSL engine: a fresh context per vector (every CAVP vector has its own key). ---- */
static bool ossl_encrypt(void *st, const uint8_t *key, size_t key_len, const uint8_t iv[12],
                         const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t len,
                         uint8_t *ct, uint8_t tag[16]) {
  gcm_ctx *c = gcm_new(key, key_len);
  if (!c) return false;
  const bool ok = gcm_encrypt(c, iv, aad, aad_len, pt, len, ct, tag);
  gcm_free(c);
  return ok;
}

static bool ossl_decrypt(void *st, const uint8_t *key, size_t key_len, const uint8_t iv[12],
                         const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t len,
                         uint8_t *pt, const uint8_t *tag, unsigned tag_bits, bool *match) {
  if (tag_bits % 8) return false; /* EVP compares whole bytes only */
  gcm_ctx *c = gcm_new(key, key_len);
  if (!c) return false;
  *match = gcm_decrypt(c, iv, aad, aad_len, ct, len, pt, tag, tag_bits / 8);
  gcm_free(c);
  return true;
}

gcm_engine gcm_engine_openssl(void) {
  return (gcm_engine){.name = "openssl", .encrypt = ossl_encrypt, .decrypt = ossl_decrypt};
}

/* ---- Reference engine. ---- */
static bool ref_encrypt(void *st, const uint8_t *key, size_t key_len, const uint8_t iv[12],
                        const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t len,
                        uint8_t *ct, uint8_t tag[16]) {
  gcm_ref_key k;
  if (!gcm_ref_key_init(&k, key, key_len)) return false;
  gcm_ref_crypt(&k, iv, aad, aad_len, pt, len, ct, tag, false, NULL);
  return true;
}

static bool ref_decrypt(void *st, const uint8_t *key, size_t key_len, const uint8_t iv[12],
                        const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t len,
                        uint8_t *pt, const uint8_t *tag, unsigned tag_bits, bool *match) {
  gcm_ref_key k;
  uint8_t computed[16];
  if (!gcm_ref_key_init(&k, key, key_len)) return false;
  gcm_ref_crypt(&k, iv, aad, aad_len, ct, len, pt, computed, true, NULL);
  *match = cavp_bits_equal(computed, tag, tag_bits);
  return true;
}

gcm_engine gcm_engine_ref(void) {
  return (gcm_engine){.name = "ref", .encrypt = ref_encrypt, .decrypt = ref_decrypt};
}

/* One vector: encrypt files compare CT and the first Taglen bits of the tag; decrypt files
 * must accept (and give PT) or, for FAIL records, reject. Returns -1 on an engine error. */
static int check_vector(const cavp_vector *v, cavp_mode mode, const gcm_engine *e) {
  uint8_t *buf = malloc(v->ct_len + 1);
  uint8_t tag[16];
  bool ok = false, match = false;
  int verdict = -1;
  if (!buf) return -1;
  if (mode == CAVP_ENCRYPT) {
    if (e->encrypt(e->state, v->key, v->key_len, v->iv, v->aad, v->aad_len, v->pt, v->pt_len, buf, tag)) {
      ok = memcmp(buf, v->ct, v->ct_len) == 0 && cavp_bits_equal(tag, v->tag, v->taglen_bits);
      verdict = ok;
    }
  } else if (e->decrypt(e->state, v->key, v->key_len, v->iv, v->aad, v->aad_len, v->ct, v->ct_len,
                        buf, v->tag, v->taglen_bits, &match)) {
    ok = v->fail ? !match : (match && memcmp(buf, v->pt, v->pt_len) == 0);
    verdict = ok;
  }
  free(buf);
  return verdict;
}

cavp_result cavp_run(const cavp_file *f, const gcm_engine *e) {
  cavp_result r = {0};
  for (size_t i = 0; i < f->n; i++) {
    const cavp_vector *v = &f->v[i];
    if (v->ivlen_bits != 96 || (e->supports && !e->supports(e->state, v->key_len))) {
      r.skipped++;
      continue;
    }
    const int verdict = check_vector(v, f->mode, e);
    if (verdict < 0) r.engine_error = true;
    if (verdict == 1) {
      r.passed++;
    } else {
      if (r.failed == 0) r.first_failed_count = v->count, r.first_failed_line = v->line;
      r.failed++;
    }
    if (v->fail) r.fail_records++;
  }
  return r;
}
