// Shared helpers of the RTL tests: random packets, the OpenSSL expectation (gcm.h), and the
// mismatch diagnosis through the transparent reference GCM (gcm_ref.h) that names the first
// wrong block.
#ifndef IPSECSIM_TESTS_RTL_UTIL_HPP
#define IPSECSIM_TESTS_RTL_UTIL_HPP

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gcm_rtl_driver.hpp"

struct RtlKey {
  std::vector<uint8_t> key;
  unsigned slot;
};

// Expected result of a packet from OpenSSL: output text and the 16-byte tag over the ciphertext.
struct RtlExpect {
  std::vector<uint8_t> text;
  uint8_t tag[16];
  bool match;  // decrypt: whether the expected tag given to the core is right
};

RtlExpect rtl_openssl_expect(const RtlKey &k, const GcmRtlPacket &p);

// Random packet: given lengths, random IV/AAD/text; decrypt packets carry OpenSSL's ciphertext
// and (when good_tag) its tag, else a tag with one flipped bit in the first tag_len bytes.
GcmRtlPacket rtl_random_packet(std::mt19937_64 &rng, const RtlKey &k, uint64_t id, size_t aad_len,
                               size_t text_len, bool decrypt, bool good_tag, unsigned tag_len = 16);

// "" when the core's result equals the expectation, else a description naming the first wrong
// text block (with its counter block and reference keystream) or the tag (with H, E(K,J0), the
// length block and the reference GHASH partials).
std::string rtl_check(const RtlKey &k, const GcmRtlPacket &p, const GcmRtlDone &d);

std::vector<uint8_t> rtl_random_bytes(std::mt19937_64 &rng, size_t n);

#endif
