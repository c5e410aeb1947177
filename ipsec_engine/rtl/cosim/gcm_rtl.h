/* C-callable front end of the Verilated AES-GCM core (ipsec_engine/rtl). One packet at a time
 * through lane 0 (a blocking call), for `ipsecsim gcm --engine rtl` and simple callers. Streams
 * over several lanes with backpressure use the C++ driver in gcm_rtl_driver.hpp.
 * Only AES-128 and AES-256 (the IPsec engine's key sizes) and 96-bit IVs. */
#ifndef IPSECSIM_GCM_RTL_H
#define IPSECSIM_GCM_RTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gcm_rtl gcm_rtl;

/* lanes: 1, 2, 3 or 4 (the Verilated builds). trace_path: NULL, or an FST waveform file (only in
 * builds configured with -DIPSECSIM_RTL_TRACE=ON; the trace contains key material and a warning
 * saying so goes to stderr). NULL on an unsupported lane count or when tracing is unavailable. */
gcm_rtl *gcm_rtl_new(unsigned lanes, const char *trace_path);
void gcm_rtl_free(gcm_rtl *r);

/* Encrypts (decrypt=false) or decrypts one packet. The key is installed into key slot 0 when it
 * differs from the last one. out gets len bytes (may be NULL when len is 0), tag the full 16-byte
 * tag computed by the core (over the ciphertext on both directions). On decrypt, *tag_match says
 * whether the first expected_tag_len (1..16) bytes of expected_tag equal the tag (the core's
 * compare). cycles (may be NULL) gets DESC-accepted-to-tag-accepted cycles (gcm_timing.h).
 * Returns false only on unsupported input (key_len not 16/32, tag length outside 1..16,
 * lengths >= 2^32) or a protocol error of the core (reported on stderr). */
bool gcm_rtl_crypt(gcm_rtl *r, const uint8_t *key, size_t key_len, const uint8_t iv[12],
                   const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                   uint8_t *out, uint8_t tag[16], bool decrypt, const uint8_t *expected_tag,
                   size_t expected_tag_len, bool *tag_match, uint64_t *cycles);

/* True when this build can write FST waveforms (-DIPSECSIM_RTL_TRACE=ON). */
bool gcm_rtl_trace_available(void);

/* Simulated clock cycles since gcm_rtl_new. */
uint64_t gcm_rtl_cycles(const gcm_rtl *r);

#ifdef __cplusplus
}
#endif
#endif
