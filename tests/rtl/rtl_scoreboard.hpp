// Scoreboard of the RTL co-simulation: consumes the expected packets (in dispatch order per lane)
// and the observed output beats of the core, one at a time, and gives a verdict per packet
// against OpenSSL (gcm.h). A wrong packet's message names the first wrong block through the
// transparent reference GCM (gcm_ref.h): counter block and keystream of a text block, or H,
// E(K,J0), the length block and the GHASH partials for the tag. Beat-level faults (a block
// dropped, duplicated or swapped, a beat with the wrong byte count, a lost or extra packet)
// are reported too. Testable on its own by feeding it corrupted beat streams.
#ifndef IPSECSIM_TESTS_RTL_SCOREBOARD_HPP
#define IPSECSIM_TESTS_RTL_SCOREBOARD_HPP

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "rtl_test_util.hpp"

// "" when (text, tag, tag_match, protocol note) equals OpenSSL's result for packet p under key
// k, else the diagnosis described above (lane is only used in the message).
std::string rtl_diagnose(const RtlKey &k, const GcmRtlPacket &p, unsigned lane,
                         const std::vector<uint8_t> &text, const uint8_t tag[16], bool tag_match,
                         const std::string &protocol);

class RtlScoreboard {
 public:
  explicit RtlScoreboard(unsigned lanes) : lanes_(lanes) {}
  void expect(const RtlKey &k, const GcmRtlPacket &p);  // p.lane says where it will come out
  void observe(const GcmRtlOutBeat &b);
  // End of stream: every expected packet must have completed. Returns ok().
  bool finish();
  bool ok() const { return errors_ == 0; }
  size_t errors() const { return errors_; }
  size_t passed() const { return passed_; }
  // The first kept error messages (at most 8), in the order they were found.
  const std::vector<std::string> &messages() const { return messages_; }

 private:
  struct Pending {
    RtlKey key;
    GcmRtlPacket pkt;
    std::vector<uint8_t> text;  // observed
    size_t text_beats = 0;
    std::string protocol;
  };
  void fail(const std::string &m);
  std::vector<std::deque<Pending>> lanes_;
  size_t errors_ = 0, passed_ = 0;
  std::vector<std::string> messages_;
};

#endif
