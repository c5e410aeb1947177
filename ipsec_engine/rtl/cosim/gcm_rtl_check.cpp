// See gcm_rtl_check.hpp.
#include "gcm_rtl_check.hpp"

#include <cstdio>

extern "C" {
#include "ipsec_engine/gcm_ref.h"
#include "model/hexutil.h"
}

namespace {

std::string hex16(const uint8_t b[16])
{
  char x[33];
  hex_encode(b, 16, x, sizeof x);  // model/hexutil.h
  return x;
}

std::string byte_pair(uint8_t rtl, uint8_t c)
{
  char b[64];
  std::snprintf(b, sizeof b, "rtl 0x%02x, C model (OpenSSL) 0x%02x", rtl, c);
  return b;
}

}  // namespace

std::string gcm_rtl_check(const std::vector<uint8_t> &key, const GcmRtlPacket &in,
                          const std::vector<uint8_t> &exp_text, const uint8_t exp_tag[16],
                          const GcmRtlDone &d)
{
  if (!d.protocol_error.empty()) return "protocol: " + d.protocol_error;
  if (d.text.size() != exp_text.size())
    return "text length " + std::to_string(d.text.size()) + " bytes, expected " + std::to_string(exp_text.size());
  size_t b = 0;
  while (b < exp_text.size() && d.text[b] == exp_text[b]) b++;
  if (b < exp_text.size()) {
    // the reference names the block: counter block inc32^(k+1)(J0) of text block k
    const size_t nblk = (exp_text.size() + 15) / 16, k = b / 16;
    std::vector<gcm_ref_block> ctr(nblk), ks(nblk);
    gcm_ref_trace tr{};
    tr.counter = ctr.data();
    tr.keystream = ks.data();
    gcm_ref_key rk;
    std::vector<uint8_t> out(in.text.size());
    uint8_t tag[16];
    gcm_ref_key_init(&rk, key.data(), key.size());
    gcm_ref_crypt(&rk, in.iv, in.aad.data(), in.aad.size(), in.text.data(), in.text.size(), out.data(), tag,
                  in.decrypt, &tr);
    return "first differing byte " + std::to_string(b) + " of the " + (in.decrypt ? "plaintext" : "ciphertext") +
           " (" + byte_pair(d.text[b], exp_text[b]) + "); first wrong GCM block: text block " + std::to_string(k) +
           " of " + std::to_string(nblk) + ", counter block " + hex16(ctr[k].b) +
           (out == exp_text ? " (the reference GCM agrees with OpenSSL)" : " (the reference GCM disagrees with OpenSSL)");
  }
  for (b = 0; b < 16 && d.tag[b] == exp_tag[b]; b++) {
  }
  if (b < 16)
    return "text equal, first differing byte " + std::to_string(b) + " of the tag (" + byte_pair(d.tag[b], exp_tag[b]) +
           "); first wrong GCM block: the tag (GHASH over " + std::to_string((in.aad.size() + 15) / 16) + " AAD + " +
           std::to_string((in.text.size() + 15) / 16) + " text blocks + the length block, masked by E(K,J0))";
  if (in.decrypt && (!d.tag_match || d.drop)) return "tag equal but the core's tag compare said mismatch";
  return "";
}
