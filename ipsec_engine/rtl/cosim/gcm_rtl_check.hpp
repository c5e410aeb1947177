// Scoreboard check of one packet out of the Verilated core (the co-simulation's, issue 17):
// the core's text and tag against the expected ones (OpenSSL), the first difference named by
// byte and by GCM block through the transparent reference GCM (gcm_ref.h). No key material in
// the message (no round key, H or E(K,J0)): only the counter block and the bytes that differ.
#ifndef IPSECSIM_GCM_RTL_CHECK_HPP
#define IPSECSIM_GCM_RTL_CHECK_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "gcm_rtl_driver.hpp"

// "" when the core's output (d) equals exp_text / exp_tag (decrypt: also the tag compared
// true and no drop), else one line naming the first wrong byte and GCM block.
std::string gcm_rtl_check(const std::vector<uint8_t> &key, const GcmRtlPacket &in,
                          const std::vector<uint8_t> &exp_text, const uint8_t exp_tag[16],
                          const GcmRtlDone &d);

#endif
