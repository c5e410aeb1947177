// C++ driver of the Verilated GCM core: per-lane input beat queues, key-store loading,
// random input-valid gaps and output-ready deassertion, output reassembly per lane (in order),
// and structural checks (beat counts, valid-byte counts). Used by gcm_rtl.cpp, tests, bench.
#ifndef IPSECSIM_GCM_RTL_DRIVER_HPP
#define IPSECSIM_GCM_RTL_DRIVER_HPP

#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

struct GcmRtlPacket {
  uint64_t id = 0;
  unsigned lane = 0;
  unsigned slot = 0;          // key slot, installed with load_key
  bool decrypt = false;
  uint8_t iv[12] = {};
  std::vector<uint8_t> aad;
  std::vector<uint8_t> text;  // plaintext (encrypt) or ciphertext (decrypt)
  uint8_t expected_tag[16] = {};
  unsigned tag_len = 16;
};

struct GcmRtlDone {
  uint64_t id = 0;
  unsigned lane = 0;
  std::vector<uint8_t> text;
  uint8_t tag[16] = {};
  bool tag_match = false;
  uint64_t desc_cycle = 0;    // posedge index at which the DESC beat was accepted
  uint64_t end_cycle = 0;     // ... the END beat
  uint64_t tag_cycle = 0;     // ... the tag beat
  std::string protocol_error; // empty when beat counts and byte counts were as expected
};

class GcmRtlDriver {
 public:
  virtual ~GcmRtlDriver() = default;
  virtual unsigned lanes() const = 0;
  virtual unsigned key_slots() const = 0;
  // Round keys and H..H^4 computed in C (key expansion FIPS-197 5.2, H = E(K, 0^128) via
  // OpenSSL), written through the load port one 128-bit word per cycle (19 cycles).
  void load_key(unsigned slot, const uint8_t *key, size_t key_len);
  void submit(const GcmRtlPacket &p);
  void step();
  bool idle() const;
  // Steps until idle; false (and protocol error recorded) if max_cycles pass first.
  bool run_until_idle(uint64_t max_cycles);
  uint64_t cycle() const { return cycle_; }

  std::vector<GcmRtlDone> done;  // appended as tags come out
  std::mt19937_64 rng{1};
  double in_gap_prob = 0.0;      // probability a lane drops in_valid for a cycle
  double out_stall_prob = 0.0;   // probability a lane drops out_ready for a cycle
  uint64_t in_beats = 0, out_beats = 0;

 protected:
  struct Beat {
    bool desc = false, end = false;
    uint8_t data[16] = {};
    unsigned slot = 0, tag_len = 16;
    bool decrypt = false;
    uint32_t aad_len = 0, text_len = 0;
    uint64_t id = 0;
  };
  struct Load {
    unsigned slot, index;
    bool aes256;
    uint8_t data[16];
  };
  struct InFlight {
    GcmRtlDone d;
    size_t text_len = 0;
  };
  struct LaneIo {  // what the model shows / takes this cycle
    bool in_valid = false, out_ready = true;
    const Beat *beat = nullptr;
    bool in_ready = false, out_valid = false, out_is_tag = false, out_match = false;
    unsigned out_bytes = 0;
    uint8_t out_data[16] = {};
  };
  virtual void drive_and_eval(std::vector<LaneIo> &io, const Load *ld) = 0;
  virtual void posedge() = 0;

  void init_lanes(unsigned n);
  std::vector<std::deque<Beat>> inq_;
  std::vector<std::deque<InFlight>> flight_;
  std::deque<Load> loads_;
  std::vector<LaneIo> io_;
  uint64_t cycle_ = 0;
};

// Key-store words of a key: round keys 0..14 (AES-128: 11..14 zero), then H, H^2, H^3, H^4.
void gcm_rtl_key_words(const uint8_t *key, size_t key_len, uint8_t words[19][16]);

// lanes 1 or 4. trace_path non-null only works in IPSECSIM_RTL_TRACE builds (nullptr otherwise).
std::unique_ptr<GcmRtlDriver> gcm_rtl_make_driver(unsigned lanes, const char *trace_path);

#endif
