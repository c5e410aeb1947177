// The Verilated GCM core as a GCM-core backend of the engine (ipsec_engine/gcm_backend.h):
// the engine's dispatcher, lanes, output FIFOs and per-SA reorder are the RTL's (gcm_core
// with sched_en = 1), the step toward [cosim] (issue 17). The engine's hooks see the RTL's
// dispatch cycles and lanes and the cycles its tag beats pop.
//
// Time: engine cycle c is RTL cycle base + c. advance(t) clocks every cycle c with c*T < t
// (a start stamped c is reported by the first advance past c*T; next_event_fs says c*T + 1),
// and reports a tag popped in cycle p once t >= gcm_release_fs(p): so completions of cycle p
// reach the engine before dispatches of p + 1, as in the `c` backend. While no packet is in a
// lane or the reorder, idle cycles are not clocked (base moves instead).
//
// SAs: one key slot each (keys through the core's own key setup at creation, or under traffic
// by install() for the SAs not at_start, <= 8 SAs), or the
// core's key cache (key_cache, <= 16 SAs). Bytes come from a data callback (default: zero IV,
// AAD and text); results are kept for the caller (text, tag, cycles) when keep_results is set.
// The C entry points for the engine (ipsec_engine/gcm_backend_rtl.h) are gcm_backend_rtl_c.cpp.
#ifndef IPSECSIM_GCM_BACKEND_RTL_HPP
#define IPSECSIM_GCM_BACKEND_RTL_HPP

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gcm_rtl_driver.hpp"

extern "C" {
#include "ipsec_engine/gcm_backend.h"
}

struct GcmBackendRtlConfig {
  unsigned lanes = 1;             // 1..4 (Verilated builds)
  unsigned overhead_cycles = 5;   // engine.overhead_cycles
  unsigned out_fifo_depth = 1024; // <= 1024
  unsigned reorder_depth = 64;    // <= 64
  bool pin = false;               // sa_dispatch pin
  sim_fs period_fs = 0;           // the engine clock's period
  unsigned n_sas = 1;             // <= 8 key slots; with key_cache <= 16 (gcm_core SAS)
  // The core's key cache (gcm_key_cache.v): SA i's context in SA context memory, slots filled
  // on a miss; preloaded like the engine's SA cache (SAs 0..n-1 installed in order, so the
  // last 8 are cached, LRU in install order) by one empty packet per SA before cycle 0.
  bool key_cache = false;
  // Without the key cache: at_start[i] false = SA i's slot is not keyed at creation but by
  // install() under traffic (empty: every SA keyed at creation).
  std::vector<bool> at_start;
  const sim_fs *window_from = nullptr, *window_to = nullptr;  // busy_fs clipped to it
  bool fault_extra_stage = false; // the 1-lane test build with one extra output stage
  bool fault_flip_bit = false;    // the 1-lane test build that inverts a ciphertext bit
  unsigned install_delay = 0;     // test fault: install() requests the key setup this many cycles late
};

// One backend instance; ops() is the gcm_backend_ops table whose `be` is this object.
class GcmBackendRtl {
 public:
  // nullptr and a reason in err when the configuration does not fit the built core.
  static std::unique_ptr<GcmBackendRtl> create(const GcmBackendRtlConfig &c,
                                               const gcm_backend_hooks &hooks,
                                               const std::vector<std::vector<uint8_t>> &keys,
                                               std::string &err);
  static const gcm_backend_ops *ops();
  // Bytes of packet `id` (IV, AAD, text, decrypt, expected tag); sa/lengths are the engine's.
  std::function<void(uint32_t id, GcmRtlPacket &p)> fill_data;
  // key_cache: a fill the core requested in engine cycle `cycle` for the packet about to start
  // (called before its on_start).
  std::function<void(uint32_t id, uint64_t cycle)> on_fill;
  // Called just before on_complete with the cycle the packet's first output beat popped.
  std::function<void(uint32_t id, uint64_t first_pop)> on_first_pop;
  // Every finished packet (engine cycles), before it is kept or dropped: the scoreboard.
  std::function<void(GcmRtlDone &d)> on_done;
  bool keep_results = false;
  std::vector<GcmRtlDone> results;  // engine cycles in desc/end/tag_cycle (tag = pop cycle)
  GcmRtlDriver &driver() { return *drv_; }
  uint64_t clocked() const { return clocked_; }  // cycles actually clocked (idle skipped)
  uint64_t base() const { return base_; }         // driver cycle of engine cycle 0 (moves while idle)

  // The key setup of SA sa's slot (key: 16 or 32 bytes) requested on the ks_* port in engine
  // cycle `cycle` (>= the cycles already clocked; the driver's rule: packets submitted after
  // the call use the new key and wait for it, gcm_rtl_driver.hpp install_key). false when
  // `cycle` was already clocked (the request then goes in the next cycle: a harness fault).
  bool install(unsigned sa, const uint8_t *key, size_t key_len, uint64_t cycle);
  void submit(const gcm_backend_packet *pkt);
  sim_fs next_event_fs() const;
  void advance(sim_fs t);
  void set_out_ready(uint64_t cycle, bool ready);
  void stats(gcm_backend_stats *s) const;

 private:
  GcmBackendRtl() = default;
  void step_one();
  void take_completions();
  uint64_t engine_cycle() const { return drv_->cycle() - base_; }
  struct Pop {
    uint32_t id;
    uint64_t cycle, first;
  };
  GcmBackendRtlConfig cfg_;
  gcm_backend_hooks hooks_{};
  std::unique_ptr<GcmRtlDriver> drv_;
  uint64_t base_ = 0;
  std::vector<Pop> pops_;  // popped tags not yet reported (cycle order)
  size_t pops_head_ = 0;
  std::vector<std::pair<uint64_t, bool>> ready_;  // (engine cycle, out_ready from then)
  std::vector<uint32_t> hold_;  // per id seen: lane hold cycles (busy accounting)
  sim_fs busy_fs_ = 0;
  uint64_t queued_ = 0, clocked_ = 0;
  size_t fills_seen_ = 0;
  GcmRtlPacket scratch_;
};

#endif
