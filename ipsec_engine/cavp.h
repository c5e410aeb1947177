/* NIST CAVP GCM response files (gcmEncryptExtIV*.rsp, gcmDecrypt*.rsp): reader and a runner
 * that checks every vector through a pluggable GCM engine (OpenSSL, the reference, the RTL). */
#ifndef IPSECSIM_CAVP_H
#define IPSECSIM_CAVP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cavp_mode { CAVP_ENCRYPT, CAVP_DECRYPT } cavp_mode;

typedef struct cavp_vector {
  unsigned line; /* line of its "Count =" */
  unsigned count;
  unsigned keylen_bits, ivlen_bits, ptlen_bits, aadlen_bits, taglen_bits; /* from [section] */
  uint8_t *key, *iv, *pt, *aad, *ct, *tag;
  size_t key_len, iv_len, pt_len, aad_len, ct_len, tag_len;
  bool has_pt; /* decrypt files: PT present unless FAIL */
  bool fail;   /* FAIL record: the tag must be rejected */
} cavp_vector;

typedef struct cavp_file {
  char *path;
  cavp_mode mode;
  cavp_vector *v;
  size_t n;
  size_t n_fail;
} cavp_file;

/* Parses the whole file. On unusable input returns NULL with a one-line
 * "FILE:LINE: FIELD: what is wrong" message in err. */
cavp_file *cavp_load(const char *path, char *err, size_t err_len);
void cavp_free(cavp_file *f);

/* A GCM engine under test. Full 16-byte tags out of encrypt; decrypt reports whether the
 * first tag_bits of the given tag match. */
typedef struct gcm_engine {
  const char *name;
  void *state;
  bool (*supports)(void *state, size_t key_len); /* NULL: 16/24/32 all supported */
  bool (*encrypt)(void *state, const uint8_t *key, size_t key_len, const uint8_t iv[12],
                  const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t len, uint8_t *ct,
                  uint8_t tag[16]);
  bool (*decrypt)(void *state, const uint8_t *key, size_t key_len, const uint8_t iv[12],
                  const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t len, uint8_t *pt,
                  const uint8_t *tag, unsigned tag_bits, bool *match);
} gcm_engine;

gcm_engine gcm_engine_openssl(void);
gcm_engine gcm_engine_ref(void);

typedef struct cavp_result {
  size_t passed, failed, skipped;
  size_t fail_records;       /* FAIL records run (must-reject) */
  size_t first_failed_count; /* Count of the first failed vector */
  unsigned first_failed_line;
  bool engine_error;         /* an engine call failed (not a mismatch) */
} cavp_result;

/* Runs every vector: IV lengths other than 96 bits and key sizes the engine does not support
 * are skipped and counted. */
cavp_result cavp_run(const cavp_file *f, const gcm_engine *e);

/* True when the first `bits` bits of a and b are equal. */
bool cavp_bits_equal(const uint8_t *a, const uint8_t *b, unsigned bits);

#ifdef __cplusplus
}
#endif
#endif
