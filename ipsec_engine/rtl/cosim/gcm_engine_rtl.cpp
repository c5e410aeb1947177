// The Verilated core as a CAVP gcm_engine (ipsec_engine/gcm_engine_rtl.h), used by
// `ipsecsim gcm --engine rtl` and the RTL CAVP tests. AES-128 and AES-256 only.
#include "gcm_engine_rtl.h"

#include <cstdio>

#include "gcm_rtl.h"

namespace {

bool rtl_supports(void *, size_t key_len) { return key_len == 16 || key_len == 32; }

bool rtl_encrypt(void *state, const uint8_t *key, size_t key_len, const uint8_t iv[12],
                 const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t len, uint8_t *ct,
                 uint8_t tag[16])
{
  return gcm_rtl_crypt(static_cast<gcm_rtl *>(state), key, key_len, iv, aad, aad_len, pt, len, ct,
                       tag, false, nullptr, 0, nullptr, nullptr);
}

bool rtl_decrypt(void *state, const uint8_t *key, size_t key_len, const uint8_t iv[12],
                 const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t len, uint8_t *pt,
                 const uint8_t *tag, unsigned tag_bits, bool *match)
{
  // The core compares whole bytes: CAVP tag lengths are 32..128 bits in steps of 8.
  if (tag_bits == 0 || tag_bits > 128 || tag_bits % 8 != 0) return false;
  uint8_t full_tag[16];
  return gcm_rtl_crypt(static_cast<gcm_rtl *>(state), key, key_len, iv, aad, aad_len, ct, len, pt,
                       full_tag, true, tag, tag_bits / 8, match, nullptr);
}

}  // namespace

extern "C" bool gcm_engine_rtl_open(gcm_engine *e, unsigned lanes, const char *trace_path,
                                    char *err, size_t err_len)
{
  if (lanes < 1 || lanes > 4) {
    if (err && err_len) std::snprintf(err, err_len, "--lanes %u: built cores have 1, 2, 3 or 4 lanes", lanes);
    return false;
  }
  if (trace_path && !gcm_rtl_trace_available()) {
    if (err && err_len)
      std::snprintf(err, err_len, "waveform tracing not built (configure with -DIPSECSIM_RTL_TRACE=ON)");
    return false;
  }
  gcm_rtl *r = gcm_rtl_new(lanes, trace_path);
  if (!r) {
    if (err && err_len) std::snprintf(err, err_len, "could not start the Verilated core");
    return false;
  }
  e->name = "rtl";
  e->state = r;
  e->supports = rtl_supports;
  e->encrypt = rtl_encrypt;
  e->decrypt = rtl_decrypt;
  return true;
}

extern "C" void gcm_engine_rtl_close(gcm_engine *e)
{
  if (!e || !e->state) return;
  gcm_rtl_free(static_cast<gcm_rtl *>(e->state));
  e->state = nullptr;
}
