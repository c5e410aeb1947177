// C++ driver of the Verilated GCM core: per-lane packet rings (no allocation per packet once
// warm), key-store loading with the ld_ready handshake,
// random input-valid gaps and output-ready deassertion, output reassembly per lane (in order),
// and structural checks (beat counts, valid-byte counts). Used by gcm_rtl.cpp, tests, bench.
#ifndef IPSECSIM_GCM_RTL_DRIVER_HPP
#define IPSECSIM_GCM_RTL_DRIVER_HPP

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

struct GcmRtlPacket {
  uint64_t id = 0;
  unsigned lane = 0;          // per-lane mode only; core_dispatch: the core chooses
  unsigned sa = 0;            // core_dispatch: reorder context (< reorder_contexts())
  uint64_t ready_cycle = 0;   // core_dispatch: first cycle it may be dispatched
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
  bool drop = false;          // the core's out_drop on the tag beat (decrypt, tag failed)
  uint64_t desc_cycle = 0;    // posedge index at which the DESC beat was accepted
  uint64_t end_cycle = 0;     // ... the END beat
  uint64_t tag_cycle = 0;     // ... the tag beat
  uint64_t first_out_cycle = 0;  // ... the packet's first output beat (text, or the tag)
  std::string protocol_error; // empty when beat counts and byte counts were as expected
};

// core_dispatch: a dispatch (cycle = the contract cycle in which the core took the packet)
// or a release (the cycle in which the core's per-SA reorder released it).
struct GcmRtlEvent {
  uint64_t id = 0;
  unsigned lane = 0;
  uint64_t cycle = 0;
  unsigned slot = 0;  // key_cache dispatches: the key slot the core's cache gave the packet
};

// key_cache: one fill of a slot from SA context memory (gcm_timing.h item 6), as the core
// signalled it: requested in start_cycle, last word written in done_cycle.
struct GcmRtlFill {
  unsigned slot = 0;
  uint64_t start_cycle = 0, done_cycle = 0;
};

// One accepted output beat, as the core's output port showed it (handed to on_out_beat).
struct GcmRtlOutBeat {
  uint64_t cycle = 0;
  unsigned lane = 0;
  bool is_tag = false, tag_match = false, drop = false;
  unsigned bytes = 0;
  uint8_t data[16] = {};
};

// The core's ports in one cycle as the driver drove and saw them before the clock edge
// (handed to on_probe, e.g. for a port-level waveform). No key bytes (the ks_key/ld_data
// buses are not shown).
struct GcmRtlProbeLane {
  bool in_valid = false, in_ready = false, out_valid = false, out_ready = false;
  bool out_is_tag = false, out_tag_match = false, out_drop = false;
  unsigned out_bytes = 0;
  uint8_t in_data[16] = {}, out_data[16] = {};
};
struct GcmRtlProbe {
  uint64_t cycle = 0;
  unsigned pd_valid = 0, pd_take = 0;  // bit k: entry k shown / dispatched
  unsigned pd_lane[8] = {};
  bool fill_start = false, fill_done = false, ld_valid = false, ld_ready = false;
  std::vector<GcmRtlProbeLane> lanes;
};

class GcmRtlDriver {
 public:
  virtual ~GcmRtlDriver() = default;
  virtual unsigned lanes() const = 0;
  virtual unsigned key_slots() const = 0;
  virtual unsigned reorder_contexts() const = 0;  // gcm_core SAS
  // Pulses the core's reset with the current configuration (out_fifo_credit is taken at
  // reset). Only before any traffic: it does not clear the driver's queues.
  virtual void reset() = 0;
  // SA install: round keys and H..H^4 computed in C (key expansion FIPS-197 5.2,
  // H = E(K, 0^128) and its powers via the reference GCM gcm_ref.h), written through the load
  // port one 128-bit word per cycle when ld_ready (gcm_key_install_cycles: 15 words for
  // AES-128, 19 for AES-256). Packets submitted before the call use the old key of the slot,
  // packets submitted after it the new one: the install starts once every older packet of the
  // slot has entered the core (the core's ld_ready then waits for them to leave the
  // key-reading stages), and newer packets of the slot are held until its last word is
  // written. Other slots never stall.
  void load_key(unsigned slot, const uint8_t *key, size_t key_len);
  // SA install through the core's own key setup (gcm_keysetup.v): only the key is written
  // (ks_* port); the core expands it, computes H..H^4 and fills the slot
  // (gcm_key_install_cycles). Same ordering rule as load_key. not_before: the request is not
  // shown on ks_* before that driver cycle (tests: a late request).
  void install_key(unsigned slot, const uint8_t *key, size_t key_len, uint64_t not_before = 0);
  // key_cache: writes an SA's expanded context (the words of load_key, computed with gcm_ref)
  // into the core's SA context memory, one word per cycle on the cm_* port, in call order and
  // before any packet submitted after the call is shown to the core. A cached copy of the SA
  // is invalidated by the core.
  void write_sa_context(unsigned sa, const uint8_t *key, size_t key_len);
  void submit(const GcmRtlPacket &p);
  // core_dispatch: packet `id` while still in the input FIFO and not yet dispatched (its bytes
  // may still be replaced: the core reads them only from its dispatch on), else nullptr.
  GcmRtlPacket *waiting(uint64_t id);
  void step();
  bool idle() const;
  // Steps until idle; false (and protocol error recorded) if max_cycles pass first.
  bool run_until_idle(uint64_t max_cycles);
  uint64_t cycle() const { return cycle_; }

  std::vector<GcmRtlDone> done;  // appended as tags come out (when keep_done)
  bool keep_done = true;         // false: completions are only counted (no allocation per packet)
  std::function<void(const GcmRtlOutBeat &)> on_out_beat;  // every accepted output beat
  std::function<void(const GcmRtlProbe &)> on_probe;       // every clocked cycle (unset: no cost)
  // Verilator's trace of the whole core (ports and every internal signal) into the FST file
  // path, dumped for the clocked cycles `when` accepts (it gives the fs time of the cycle's
  // first half; the half after the rising edge is dumped half_fs later). false when the build
  // has no tracing (IPSECSIM_RTL_TRACE=OFF) or the file cannot be written. Not tracing costs
  // nothing but Verilator's activity flags (README: measured).
  virtual bool open_trace(const char *path, std::function<bool(uint64_t cycle, uint64_t *fs)> when, uint64_t half_fs)
  {
    (void)path, (void)when, (void)half_fs;
    return false;
  }
  std::mt19937_64 rng{1};
  double in_gap_prob = 0.0;      // probability a lane drops in_valid for a cycle
  double out_stall_prob = 0.0;   // probability a lane drops out_ready for a cycle
  // out_ready pattern instead of out_stall_prob when set: (lane, cycle) -> ready
  std::function<bool(unsigned, uint64_t)> out_ready_fn;
  unsigned overhead_cycles = 0;  // the core's run-time overhead register (gcm_timing.h rule 1)
  // The core's own dispatcher and per-SA reorder (gcm_core sched_en = 1, gcm_timing.h items
  // 2-4): submit() queues packets in one FIFO (submission order, dispatchable from
  // ready_cycle); the core picks the lane; every dispatch is appended to `starts`, every
  // release to `releases`. Set these before the first submit (then call reset() if
  // out_fifo_credit changed); pin_mode = sa_dispatch pin.
  bool core_dispatch = false;
  bool pin_mode = false;
  unsigned reorder_depth = 64;     // <= 64 (gcm_core RMAX)
  unsigned out_fifo_credit = 1024; // <= 1024 (gcm_core OUT_FIFO_DEPTH), taken at reset()
  std::vector<GcmRtlEvent> starts, releases;
  // The key cache (gcm_core cache_en, with core_dispatch): the slot of each packet comes from
  // the core (GcmRtlPacket::slot is ignored), contexts from write_sa_context. Set before reset().
  bool key_cache = false;
  std::vector<GcmRtlFill> fills;
  // core_dispatch: asked, in FIFO order and before the clock edge, for every packet the core
  // would dispatch this cycle (id, lane, cycle); false drops it from the input FIFO (no lane
  // time: the core is evaluated again without it in the same cycle). Unset: all accepted.
  std::function<bool(uint64_t, unsigned, uint64_t)> accept_start;
  uint64_t refused = 0;
  // No packet in a lane, in the reorder or on the load port (the FIFO may hold packets).
  bool quiescent() const;
  // Ready cycle of the input FIFO's head (core_dispatch), UINT64_MAX when empty.
  uint64_t head_ready() const { return fifo_.empty() ? UINT64_MAX : fifo_.front().pkt.ready_cycle; }
  // Moves the driver's cycle count (only while quiescent: the core's state does not depend on
  // the absolute cycle, so an idle stretch need not be clocked).
  void skip_to(uint64_t c) { if (c > cycle_) cycle_ = c; }
  static constexpr unsigned kRelSeqMod = 128;  // rel_seq counts mod 2 * gcm_core RMAX
  uint64_t sched_overflows = 0;    // cycles the core flagged sched_overflow (must stay 0)
  uint64_t fifo_overflows = 0;   // cycles a lane flagged out_overflow (must stay 0)
  uint64_t in_beats = 0, out_beats = 0, packets_done = 0;
  uint64_t installs_done = 0, last_install_cycle = 0;  // cycle of the last install's final word
  // install_key: the cycle the core accepted the last request (the slot is usable from
  // install_request_cycle + gcm_key_install_cycles(), which is last_install_cycle)
  uint64_t install_request_cycle = 0;
  uint64_t ld_stall_cycles = 0;  // cycles a load word waited on the core's ld_ready

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
    bool ks = false;      // a key-setup request (install_key): key[] instead of data
    uint8_t key[32] = {};
    uint64_t not_before = 0;  // first driver cycle it may be shown
  };
  struct CmWord {  // one SA-context-memory word (key cache)
    unsigned sa = 0, index = 0;
    bool aes256 = false;
    uint8_t data[16] = {};
  };
  struct PdIo {  // the first entries of the input FIFO shown to the core's dispatcher
    unsigned n = 0;
    const GcmRtlPacket *pkt[8] = {};
    unsigned take = 0;          // bit k: entry k dispatched this cycle
    unsigned lane[8] = {};
    unsigned cslot[8] = {};     // key_cache: slot of entry k
    const CmWord *cm = nullptr; // SA context word written this cycle
    bool fill_start = false, fill_done = false;
    unsigned fill_slot = 0;
  };
  struct LaneIo {  // what the model shows / takes this cycle
    bool in_valid = false, out_ready = true;
    const Beat *beat = nullptr;
    bool in_ready = false, out_valid = false, out_is_tag = false, out_match = false;
    bool out_drop = false, overflow = false;
    unsigned out_bytes = 0;
    uint8_t out_data[16] = {};
  };
  // Drives the lanes' inputs and the load port (ld = nullptr: ld_valid low), evaluates, and
  // returns the outputs in io and the core's ld_ready.
  virtual void drive_and_eval(std::vector<LaneIo> &io, const Load *ld, bool &ld_ready, PdIo &pd) = 0;
  virtual void posedge() = 0;
  virtual unsigned rel_seq(unsigned sa) const = 0;  // after posedge: released count mod 128
  virtual bool sched_overflow() const = 0;
  virtual bool ks_idle() const = 0;  // after posedge: the key-setup unit has no install running
  void init_lanes(unsigned n);

 private:
  // A packet on its lane, from submit until its tag beat. Entries are reused: their vectors
  // keep their capacity, so steady-state traffic does not allocate.
  struct Entry {
    GcmRtlPacket pkt;
    uint64_t gen = 0;          // install generation of pkt.slot this packet must use
    size_t beats = 0, sent = 0;
    std::vector<uint8_t> out;  // text received (out_len bytes valid)
    size_t out_len = 0;
    uint64_t desc_cycle = 0, end_cycle = 0, first_out = 0;
    std::string protocol_error;
  };
  struct Lane {
    std::vector<Entry> ring;
    size_t head = 0, count = 0, entering = 0;  // entering: offset from head of the packet being sent
    Beat staged;
    bool staged_ok = false;
  };
  struct SlotKeys {
    uint64_t cur_gen = 0, req_gen = 0;
    std::deque<uint64_t> unentered;  // [i] = packets of generation cur_gen + i not yet entered
  };
  struct Queued {  // core_dispatch: an input-FIFO entry
    GcmRtlPacket pkt;
    uint64_t gen = 0;
  };
  Entry &entry(Lane &ln, size_t off) { return ln.ring[(ln.head + off) % ln.ring.size()]; }
  Entry &append(const GcmRtlPacket &p, unsigned lane);
  void show_fifo_head(PdIo &pd);
  void take_dispatches(const PdIo &pd);
  void take_releases();
  std::deque<Queued> fifo_;
  std::deque<CmWord> cm_words_;
  size_t cm_barrier_ = 0;  // fifo_ entries submitted before the last write_sa_context
  bool ks_inflight_ = false;
  unsigned ks_slot_ = 0;
  std::vector<std::deque<uint64_t>> sa_outstanding_;  // ids in per-SA dispatch order
  std::vector<unsigned> sa_rel_;
  bool stage_beat(Lane &ln);
  void probe(const PdIo &pd, bool ld_valid, bool ld_ready);
  GcmRtlProbe probe_;
  void take_output(unsigned l, const LaneIo &io);
  std::vector<Lane> lanes_;
  std::vector<SlotKeys> slots_;
  std::deque<Load> loads_;
  std::vector<LaneIo> io_;
  uint64_t cycle_ = 0;
  std::uniform_real_distribution<double> unif_{0.0, 1.0};
};

// Key-store words of a key: round keys 0..14 (AES-128: 11..14 zero), then H, H^2, H^3, H^4.
void gcm_rtl_key_words(const uint8_t *key, size_t key_len, uint8_t words[19][16]);

// The 1-lane test build with one ciphertext bit inverted in every text beat (tests/rtl/gcm_core_flip.v).
constexpr unsigned kGcmRtlFlipBuild = 101;
// lanes 1, 2, 3 or 4; lanes 0 = the 1-lane fault build (one extra output stage, tests only). trace_path non-null only works in IPSECSIM_RTL_TRACE builds (nullptr otherwise).
std::unique_ptr<GcmRtlDriver> gcm_rtl_make_driver(unsigned lanes, const char *trace_path);

#endif
