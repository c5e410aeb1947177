#include "rtl_test_util.hpp"

#include "rtl_scoreboard.hpp"

#include <cstdio>
#include <cstring>

extern "C" {
#include "ipsec_engine/gcm.h"
}

std::vector<uint8_t> rtl_random_bytes(std::mt19937_64 &rng, size_t n)
{
  std::vector<uint8_t> v(n);
  for (auto &b : v) b = (uint8_t)rng();
  return v;
}

RtlExpect rtl_openssl_expect(const RtlKey &k, const GcmRtlPacket &p)
{
  RtlExpect e{};
  gcm_ctx *c = gcm_new(k.key.data(), k.key.size());
  e.text.resize(p.text.size());
  if (!p.decrypt) {
    gcm_encrypt(c, p.iv, p.aad.data(), p.aad.size(), p.text.data(), p.text.size(), e.text.data(), e.tag);
    e.match = false;
  } else {
    // The tag over this ciphertext is what encrypting the recovered plaintext gives.
    e.match = gcm_decrypt(c, p.iv, p.aad.data(), p.aad.size(), p.text.data(), p.text.size(),
                          e.text.data(), p.expected_tag, p.tag_len);
    std::vector<uint8_t> ct(p.text.size());
    gcm_encrypt(c, p.iv, p.aad.data(), p.aad.size(), e.text.data(), e.text.size(), ct.data(), e.tag);
  }
  gcm_free(c);
  return e;
}

GcmRtlPacket rtl_random_packet(std::mt19937_64 &rng, const RtlKey &k, uint64_t id, size_t aad_len,
                               size_t text_len, bool decrypt, bool good_tag, unsigned tag_len)
{
  GcmRtlPacket p;
  p.id = id;
  p.slot = k.slot;
  p.decrypt = decrypt;
  auto iv = rtl_random_bytes(rng, 12);
  std::memcpy(p.iv, iv.data(), 12);
  p.aad = rtl_random_bytes(rng, aad_len);
  p.text = rtl_random_bytes(rng, text_len);
  p.tag_len = tag_len;
  if (decrypt) {
    gcm_ctx *c = gcm_new(k.key.data(), k.key.size());
    std::vector<uint8_t> ct(text_len);
    gcm_encrypt(c, p.iv, p.aad.data(), aad_len, p.text.data(), text_len, ct.data(), p.expected_tag);
    gcm_free(c);
    p.text = ct;
    if (!good_tag) p.expected_tag[rng() % tag_len] ^= (uint8_t)(1u << (rng() % 8));
  }
  return p;
}

std::string rtl_check(const RtlKey &k, const GcmRtlPacket &p, const GcmRtlDone &d)
{
  return rtl_diagnose(k, p, d.lane, d.text, d.tag, d.tag_match, d.protocol_error);
}
