// C API over GcmRtlDriver: one packet at a time, lanes taken in turn, key cached in slot 0.
#include "gcm_rtl.h"

#include <cstdio>
#include <cstring>

#include "gcm_rtl_driver.hpp"

struct gcm_rtl {
  std::unique_ptr<GcmRtlDriver> drv;
  uint8_t key[32];
  size_t key_len = 0;
  uint64_t next_id = 1;
};

extern "C" gcm_rtl *gcm_rtl_new(unsigned lanes, const char *trace_path)
{
  if (lanes == 0) return nullptr;  // 0 selects the test-only fault build in the C++ driver
  auto d = gcm_rtl_make_driver(lanes, trace_path);
  if (!d) return nullptr;
  gcm_rtl *r = new gcm_rtl;
  r->drv = std::move(d);
  return r;
}

extern "C" void gcm_rtl_free(gcm_rtl *r)
{
  if (!r) return;
  std::memset(r->key, 0, sizeof r->key);
  delete r;
}

extern "C" bool gcm_rtl_trace_available(void)
{
#ifdef GCM_RTL_TRACE
  return true;
#else
  return false;
#endif
}

extern "C" uint64_t gcm_rtl_cycles(const gcm_rtl *r) { return r ? r->drv->cycle() : 0; }

extern "C" bool gcm_rtl_crypt(gcm_rtl *r, const uint8_t *key, size_t key_len, const uint8_t iv[12],
                              const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                              uint8_t *out, uint8_t tag[16], bool decrypt,
                              const uint8_t *expected_tag, size_t expected_tag_len,
                              bool *tag_match, uint64_t *cycles)
{
  if (!r || (key_len != 16 && key_len != 32)) return false;
  if (aad_len > 0xffffffffu || len > 0xffffffffu) return false;
  if (decrypt && (expected_tag_len < 1 || expected_tag_len > 16 || !expected_tag)) return false;
  if (key_len != r->key_len || std::memcmp(key, r->key, key_len) != 0) {
    r->drv->install_key(0, key, key_len);  // the core expands it (gcm_keysetup.v)
    std::memcpy(r->key, key, key_len);
    r->key_len = key_len;
  }
  GcmRtlPacket p;
  p.id = r->next_id++;
  p.lane = (unsigned)(p.id % r->drv->lanes());
  p.decrypt = decrypt;
  std::memcpy(p.iv, iv, 12);
  if (aad_len) p.aad.assign(aad, aad + aad_len);
  if (len) p.text.assign(in, in + len);
  if (decrypt) {
    std::memcpy(p.expected_tag, expected_tag, expected_tag_len);
    p.tag_len = (unsigned)expected_tag_len;
  }
  r->drv->done.clear();
  r->drv->submit(p);
  if (!r->drv->run_until_idle(64 + 2 * (len / 16 + aad_len / 16) + 64) || r->drv->done.size() != 1) {
    std::fprintf(stderr, "gcm_rtl: packet did not complete\n");
    return false;
  }
  const GcmRtlDone &d = r->drv->done[0];
  if (!d.protocol_error.empty()) {
    std::fprintf(stderr, "gcm_rtl: %s\n", d.protocol_error.c_str());
    return false;
  }
  if (d.drop != (decrypt && !d.tag_match)) {  // out_drop qualifies exactly the failed decrypts
    std::fprintf(stderr, "gcm_rtl: out_drop %d on a %s with tag match %d\n", d.drop,
                 decrypt ? "decrypt" : "encrypt", d.tag_match);
    return false;
  }
  if (len) std::memcpy(out, d.text.data(), len);
  std::memcpy(tag, d.tag, 16);
  if (tag_match) *tag_match = decrypt && d.tag_match;
  if (cycles) *cycles = d.tag_cycle - d.desc_cycle;
  return true;
}
