#include "rtl_test_util.hpp"

#include <cstdio>
#include <cstring>

extern "C" {
#include "ipsec_engine/gcm.h"
#include "ipsec_engine/gcm_ref.h"
}

std::vector<uint8_t> rtl_random_bytes(std::mt19937_64 &rng, size_t n)
{
  std::vector<uint8_t> v(n);
  for (auto &b : v) b = (uint8_t)rng();
  return v;
}

static std::string hex(const uint8_t *b, size_t n)
{
  std::string s;
  char t[3];
  for (size_t i = 0; i < n; i++) std::snprintf(t, sizeof t, "%02x", b[i]), s += t;
  return s;
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
  const RtlExpect e = rtl_openssl_expect(k, p);
  std::string what;
  if (!d.protocol_error.empty()) what = "protocol: " + d.protocol_error;
  else if (d.text != e.text) what = "text";
  else if (std::memcmp(d.tag, e.tag, 16) != 0) what = "tag";
  else if (p.decrypt && d.tag_match != e.match) what = "match flag";
  if (what.empty()) return "";

  // Name the first wrong block from the transparent reference.
  gcm_ref_key rk;
  gcm_ref_key_init(&rk, k.key.data(), k.key.size());
  const size_t nb = (p.text.size() + 15) / 16, ng = (p.aad.size() + 15) / 16 + nb + 1;
  std::vector<gcm_ref_block> ctr(nb + 1), ks(nb + 1), gh(ng + 1);
  gcm_ref_trace t{};
  t.counter = ctr.data();
  t.keystream = ks.data();
  t.ghash_partial = gh.data();
  std::vector<uint8_t> out(p.text.size() + 1);
  uint8_t tag[16];
  gcm_ref_crypt(&rk, p.iv, p.aad.data(), p.aad.size(), p.text.data(), p.text.size(), out.data(),
                tag, p.decrypt, &t);
  std::string s = "packet " + std::to_string(p.id) + " (lane " + std::to_string(d.lane) +
                  ", key " + std::to_string(k.key.size() * 8) + ", aad " +
                  std::to_string(p.aad.size()) + ", text " + std::to_string(p.text.size()) +
                  (p.decrypt ? ", decrypt" : ", encrypt") + "): wrong " + what;
  for (size_t b = 0; b < nb && what == "text"; b++) {
    size_t n = std::min<size_t>(16, p.text.size() - 16 * b);
    if (d.text.size() < 16 * b + n || std::memcmp(d.text.data() + 16 * b, out.data() + 16 * b, n) != 0) {
      s += "; first wrong text block " + std::to_string(b) + " counter " + hex(ctr[b].b, 16) +
           " keystream(ref) " + hex(ks[b].b, 16) + " expected " + hex(out.data() + 16 * b, n) +
           " got " + (d.text.size() >= 16 * b + n ? hex(d.text.data() + 16 * b, n) : "(missing)");
      return s;
    }
  }
  s += "; H " + hex(t.h.b, 16) + " E(K,J0) " + hex(t.ek_j0.b, 16) + " len block " +
       hex(t.len_block.b, 16) + " S " + hex(t.s.b, 16) + " tag expected " + hex(e.tag, 16) +
       " got " + hex(d.tag, 16) + "; GHASH partials:";
  for (size_t i = 0; i < t.n_ghash; i++) s += " " + hex(gh[i].b, 16);
  return s;
}
