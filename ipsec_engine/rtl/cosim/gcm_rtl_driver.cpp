// Model-independent half of the GCM core driver: key material for the key store, beat queues,
// handshake bookkeeping and output reassembly. The Verilated model sits behind
// drive_and_eval()/posedge() (gcm_rtl_model.cpp).
#include "gcm_rtl_driver.hpp"

extern "C" {
#include "ipsec_engine/gcm_ref.h"
}

#include <algorithm>
#include <cstdio>
#include <cstring>

void GcmRtlDriver::init_lanes(unsigned n)
{
  lanes_.resize(n);
  for (Lane &ln : lanes_) ln.ring.resize(16);
  io_.resize(n);
  sa_outstanding_.assign(reorder_contexts(), {});
  sa_rel_.assign(reorder_contexts(), 0);
  slots_.resize(key_slots());
  for (SlotKeys &k : slots_) k.unentered.assign(1, 0);
}

// Key-store words for one slot, computed at SA install with the reference GCM's key schedule
// and GF(2^128) multiply (gcm_ref.h): round keys 0..14 (AES-128 leaves 11..14 zero), then
// H = E(K, 0^128), H^2, H^3, H^4. The RTL's output is checked against OpenSSL, so a fault here
// cannot hide behind a shared mistake.
void gcm_rtl_key_words(const uint8_t *key, size_t key_len, uint8_t words[19][16])
{
  gcm_ref_key k{};
  std::memset(words, 0, 19 * 16);
  if (!gcm_ref_key_init(&k, key, key_len)) {
    std::fprintf(stderr, "gcm_rtl: key length %zu is not an AES key length\n", key_len);
    return;
  }
  for (unsigned r = 0; r <= k.rounds; r++) std::memcpy(words[r], k.round_key[r].b, 16);
  const uint8_t zero[16] = {};
  gcm_ref_aes_encrypt_block(&k, zero, words[15]);
  for (int p = 1; p < 4; p++) gcm_ref_gf_mult(words[15 + p - 1], words[15], words[15 + p]);
  std::memset(&k, 0, sizeof k);
}

void GcmRtlDriver::load_key(unsigned slot, const uint8_t *key, size_t key_len)
{
  uint8_t w[19][16];
  gcm_rtl_key_words(key, key_len, w);
  // The context words only (gcm_key_context_words): AES-128 bypasses rounds 11..14, so its
  // words 11..14 are never read and not written (15 words; AES-256: 19).
  for (unsigned i = 0; i < 19; i++) {
    if (key_len == 16 && i >= 11 && i <= 14) continue;
    Load l{slot, i < 15 ? i : i + 1, key_len == 32, {}};  // load index 16..19 = H^1..H^4
    std::memcpy(l.data, w[i], 16);
    loads_.push_back(l);
  }
  std::memset(w, 0, sizeof w);
  slots_[slot].req_gen++;
  slots_[slot].unentered.push_back(0);
}

GcmRtlDriver::Entry &GcmRtlDriver::append(const GcmRtlPacket &p, unsigned lane)
{
  Lane &ln = lanes_[lane];
  if (ln.count == ln.ring.size()) {  // grow: rare, keeps the entries' buffers
    std::vector<Entry> bigger(2 * ln.ring.size());
    for (size_t i = 0; i < ln.count; i++) bigger[i] = std::move(entry(ln, i));
    ln.ring.swap(bigger);
    ln.head = 0;
  }
  Entry &e = entry(ln, ln.count++);
  e.pkt.id = p.id;
  e.pkt.lane = lane;
  e.pkt.sa = p.sa;
  e.pkt.ready_cycle = p.ready_cycle;
  e.pkt.slot = p.slot;
  e.pkt.decrypt = p.decrypt;
  std::memcpy(e.pkt.iv, p.iv, 12);
  e.pkt.aad.assign(p.aad.begin(), p.aad.end());
  e.pkt.text.assign(p.text.begin(), p.text.end());
  std::memcpy(e.pkt.expected_tag, p.expected_tag, 16);
  e.pkt.tag_len = p.tag_len;
  e.beats = 2 + (p.aad.size() + 15) / 16 + (p.text.size() + 15) / 16;
  e.sent = 0;
  if (e.out.size() < p.text.size()) e.out.resize(p.text.size());
  e.out_len = 0;
  e.desc_cycle = e.end_cycle = e.first_out = 0;
  e.protocol_error.clear();
  return e;
}

void GcmRtlDriver::write_sa_context(unsigned sa, const uint8_t *key, size_t key_len)
{
  uint8_t w[19][16];
  gcm_rtl_key_words(key, key_len, w);
  for (unsigned i = 0; i < 19; i++) {
    if (key_len == 16 && i >= 11 && i <= 14) continue;
    CmWord c;
    c.sa = sa;
    c.index = i < 15 ? i : i + 1;
    c.aes256 = key_len == 32;
    std::memcpy(c.data, w[i], 16);
    cm_words_.push_back(c);
    std::memset(c.data, 0, 16);
  }
  std::memset(w, 0, sizeof w);
  cm_barrier_ = fifo_.size();
}

void GcmRtlDriver::install_key(unsigned slot, const uint8_t *key, size_t key_len, uint64_t not_before)
{
  if (key_len != 16 && key_len != 32) {
    std::fprintf(stderr, "gcm_rtl: key length %zu: the core's key setup takes 16 or 32\n", key_len);
    return;
  }
  Load l{slot, 0, key_len == 32, {}};
  l.ks = true;
  l.not_before = not_before;
  std::memcpy(l.key, key, key_len);
  loads_.push_back(l);
  std::memset(l.key, 0, sizeof l.key);
  slots_[slot].req_gen++;
  slots_[slot].unentered.push_back(0);
}

void GcmRtlDriver::submit(const GcmRtlPacket &p)
{
  SlotKeys &sk = slots_[p.slot];
  sk.unentered[sk.req_gen - sk.cur_gen]++;
  if (core_dispatch) {
    if (p.sa >= reorder_contexts())
      std::fprintf(stderr, "gcm_rtl: SA %u beyond the core's %u reorder contexts\n", p.sa,
                   reorder_contexts());
    fifo_.push_back({p, sk.req_gen});
    return;
  }
  append(p, p.lane).gen = sk.req_gen;
}

GcmRtlPacket *GcmRtlDriver::waiting(uint64_t id)
{
  // an entry leaves the FIFO when the core dispatches it (take_dispatches); between steps none
  // is being read. A just-submitted packet is at the back.
  for (auto it = fifo_.rbegin(); it != fifo_.rend(); ++it)
    if (it->pkt.id == id) return &it->pkt;
  return nullptr;
}

// core_dispatch: the FIFO's first entries that may be dispatched this cycle (a prefix: ready,
// and their slot's key generation installed).
void GcmRtlDriver::show_fifo_head(PdIo &pd)
{
  pd.n = 0;
  pd.take = 0;
  if (!core_dispatch) return;
  for (size_t k = 0; k < fifo_.size() && k < lanes_.size(); k++) {
    if (!cm_words_.empty() && k >= cm_barrier_) break;  // its SA context is still being written
    const Queued &q = fifo_[k];
    if (q.pkt.ready_cycle > cycle_ || q.gen != slots_[q.pkt.slot].cur_gen) break;
    pd.pkt[pd.n++] = &q.pkt;
  }
}

// The entries the core took move to their lanes with the DESC delivered (the core's pd port
// carried it); their AAD, TEXT and END beats follow on the lane's input.
void GcmRtlDriver::take_dispatches(const PdIo &pd)
{
  for (unsigned k = 0; k < pd.n && (pd.take >> k & 1u); k++) {
    const Queued &q = fifo_.front();
    Entry &e = append(q.pkt, pd.lane[k]);
    e.gen = q.gen;
    e.sent = 1;
    starts.push_back({q.pkt.id, pd.lane[k], cycle_, key_cache ? pd.cslot[k] : q.pkt.slot});
    sa_outstanding_[q.pkt.sa].push_back(q.pkt.id << 8 | pd.lane[k]);
    fifo_.pop_front();
    if (cm_barrier_) cm_barrier_--;
  }
}

// After the edge: what each SA's reorder released in the cycle before it.
void GcmRtlDriver::take_releases()
{
  for (unsigned s = 0; s < sa_outstanding_.size(); s++) {
    std::deque<uint64_t> &q = sa_outstanding_[s];
    if (q.empty()) continue;
    const unsigned r = rel_seq(s);
    for (unsigned n = (r - sa_rel_[s]) % kRelSeqMod; n && !q.empty(); n--) {
      releases.push_back({q.front() >> 8, (unsigned)(q.front() & 0xff), cycle_ - 1});
      q.pop_front();
    }
    sa_rel_[s] = r;
  }
}

// Builds the lane's next input beat into ln.staged; false when there is none to offer (no
// packet entering, or its DESC must wait for an install of its slot).
bool GcmRtlDriver::stage_beat(Lane &ln)
{
  if (ln.staged_ok) return true;
  if (ln.entering >= ln.count) return false;
  const Entry &e = entry(ln, ln.entering);
  const GcmRtlPacket &p = e.pkt;
  Beat &b = ln.staged;
  b.id = p.id;
  b.desc = e.sent == 0;
  b.end = e.sent + 1 == e.beats;
  if (b.desc) {
    if (e.gen != slots_[p.slot].cur_gen) return false;  // new key not installed yet
    std::memset(b.data, 0, 16);
    std::memcpy(b.data, p.iv, 12);
    b.slot = p.slot;
    b.decrypt = p.decrypt;
    b.aad_len = (uint32_t)p.aad.size();
    b.text_len = (uint32_t)p.text.size();
    b.tag_len = p.tag_len;
  } else if (b.end) {
    std::memcpy(b.data, p.expected_tag, 16);
  } else {
    const size_t na = (p.aad.size() + 15) / 16, i = e.sent - 1;
    const std::vector<uint8_t> &v = i < na ? p.aad : p.text;
    const size_t off = 16 * (i < na ? i : i - na), n = std::min<size_t>(16, v.size() - off);
    std::memset(b.data, 0, 16);
    std::memcpy(b.data, v.data() + off, n);
  }
  ln.staged_ok = true;
  return true;
}

void GcmRtlDriver::take_output(unsigned l, const LaneIo &io)
{
  out_beats++;
  if (on_out_beat) {
    GcmRtlOutBeat ob;
    ob.cycle = cycle_;
    ob.lane = l;
    ob.is_tag = io.out_is_tag;
    ob.tag_match = io.out_match;
    ob.drop = io.out_drop;
    ob.bytes = io.out_bytes;
    std::memcpy(ob.data, io.out_data, 16);
    on_out_beat(ob);
  }
  Lane &ln = lanes_[l];
  if (ln.count == 0 || (io.out_is_tag && ln.entering == 0)) {
    std::fprintf(stderr, "gcm_rtl: lane %u output beat with no packet in flight\n", l);
    return;
  }
  Entry &e = entry(ln, 0);
  const size_t text_len = e.pkt.text.size();
  if (e.first_out == 0) e.first_out = cycle_;
  if (!io.out_is_tag) {
    size_t want = std::min<size_t>(16, text_len - e.out_len);
    if ((io.out_bytes != want || want == 0) && e.protocol_error.empty())
      e.protocol_error = "text beat of " + std::to_string(io.out_bytes) + " bytes at offset " +
                         std::to_string(e.out_len) + ", expected " + std::to_string(want);
    std::memcpy(e.out.data() + e.out_len, io.out_data, want);
    e.out_len += want;
    return;
  }
  if (e.out_len != text_len && e.protocol_error.empty())
    e.protocol_error = "tag after " + std::to_string(e.out_len) + " of " + std::to_string(text_len) +
                       " text bytes";
  packets_done++;
  if (keep_done) {
    GcmRtlDone d;
    d.id = e.pkt.id;
    d.lane = l;
    d.text.assign(e.out.begin(), e.out.begin() + (ptrdiff_t)e.out_len);
    std::memcpy(d.tag, io.out_data, 16);
    d.tag_match = io.out_match;
    d.drop = io.out_drop;
    d.desc_cycle = e.desc_cycle;
    d.end_cycle = e.end_cycle;
    d.tag_cycle = cycle_;
    d.first_out_cycle = e.first_out;
    d.protocol_error = e.protocol_error;
    done.push_back(std::move(d));
  }
  ln.head = (ln.head + 1) % ln.ring.size();
  ln.count--;
  ln.entering--;
}

void GcmRtlDriver::probe(const PdIo &pd, bool ld_valid, bool ld_ready)
{
  GcmRtlProbe &p = probe_;
  p.cycle = cycle_;
  p.pd_valid = pd.n ? (1u << pd.n) - 1u : 0u;
  p.pd_take = pd.take;
  for (unsigned k = 0; k < pd.n && k < 8; k++) p.pd_lane[k] = pd.lane[k];
  p.fill_start = pd.fill_start;
  p.fill_done = pd.fill_done;
  p.ld_valid = ld_valid;
  p.ld_ready = ld_ready;
  p.lanes.resize(io_.size());
  for (size_t l = 0; l < io_.size(); l++) {
    const LaneIo &io = io_[l];
    GcmRtlProbeLane &o = p.lanes[l];
    o.in_valid = io.in_valid;
    o.in_ready = io.in_ready;
    o.out_valid = io.out_valid;
    o.out_ready = io.out_ready;
    o.out_is_tag = io.out_is_tag;
    o.out_tag_match = io.out_match;
    o.out_drop = io.out_drop;
    o.out_bytes = io.out_bytes;
    std::memcpy(o.out_data, io.out_data, 16);
    if (io.beat) std::memcpy(o.in_data, io.beat->data, 16);
    else std::memset(o.in_data, 0, 16);
  }
  on_probe(p);
}

void GcmRtlDriver::step()
{
  // Load port: the first word of an install waits until every older packet of the slot has
  // entered; every word waits for the core's ld_ready (older packets still in the pipeline).
  const Load *ld = nullptr;
  if (!loads_.empty() && !ks_inflight_) {
    const Load &f = loads_.front();
    if ((f.index != 0 || slots_[f.slot].unentered[0] == 0) && f.not_before <= cycle_) ld = &f;
  }
  for (unsigned l = 0; l < io_.size(); l++) {
    LaneIo &io = io_[l];
    const bool have = stage_beat(lanes_[l]);
    io.beat = have ? &lanes_[l].staged : nullptr;
    io.in_valid = have && !(in_gap_prob > 0 && unif_(rng) < in_gap_prob);
    io.out_ready = out_ready_fn ? out_ready_fn(l, cycle_)
                                : !(out_stall_prob > 0 && unif_(rng) < out_stall_prob);
  }
  bool ld_ready = false;
  PdIo pd;
  unsigned accepted = 0;  // entries already accepted this cycle (a prefix of the FIFO)
  for (;;) {
    show_fifo_head(pd);
    if (!cm_words_.empty()) pd.cm = &cm_words_.front();
    drive_and_eval(io_, ld, ld_ready, pd);
    if (!accept_start) break;
    unsigned k = accepted;
    while (k < pd.n && (pd.take >> k & 1u) && accept_start(pd.pkt[k]->id, pd.lane[k], cycle_)) k++;
    accepted = k;
    if (k >= pd.n || !(pd.take >> k & 1u)) break;
    const GcmRtlPacket &p = fifo_[k].pkt;  // refused: it leaves the FIFO, never enters a lane
    SlotKeys &sk = slots_[p.slot];
    sk.unentered[fifo_[k].gen - sk.cur_gen]--;
    if (k < cm_barrier_) cm_barrier_--;
    fifo_.erase(fifo_.begin() + (std::ptrdiff_t)k);
    refused++;
  }
  if (on_probe) probe(pd, ld != nullptr, ld_ready);
  take_dispatches(pd);
  if (pd.cm) {
    cm_words_.front() = CmWord{};
    cm_words_.pop_front();
  }
  if (pd.fill_start) fills.push_back({0, cycle_, 0});
  if (pd.fill_done && !fills.empty()) {
    fills.back().slot = pd.fill_slot;
    fills.back().done_cycle = cycle_;
  }
  posedge();
  cycle_++;
  if (core_dispatch) take_releases();
  if (sched_overflow()) sched_overflows++;
  if (ld && !ld_ready) ld_stall_cycles++;
  if (ks_inflight_ && ks_idle()) {  // the key setup wrote its last word at this edge
    SlotKeys &sk = slots_[ks_slot_];
    sk.unentered.pop_front();
    sk.cur_gen++;
    installs_done++;
    last_install_cycle = cycle_;
    ks_inflight_ = false;
  }
  if (ld && ld_ready && ld->ks) {
    ks_inflight_ = true;
    ks_slot_ = ld->slot;
    install_request_cycle = cycle_ - 1;
    loads_.front() = Load{};  // the key leaves the driver's memory
    loads_.pop_front();
  } else if (ld && ld_ready) {
    if (ld->index == 19) {  // last word (H^4): the slot's new generation is live
      SlotKeys &sk = slots_[ld->slot];
      sk.unentered.pop_front();
      sk.cur_gen++;
      installs_done++;
      last_install_cycle = cycle_;
    }
    loads_.pop_front();
  }
  for (unsigned l = 0; l < io_.size(); l++) {
    const LaneIo &io = io_[l];
    Lane &ln = lanes_[l];
    if (io.in_valid && io.in_ready) {
      in_beats++;
      Entry &e = entry(ln, ln.entering);
      if (ln.staged.desc) e.desc_cycle = cycle_;
      e.sent++;
      ln.staged_ok = false;
      if (ln.staged.end) {
        e.end_cycle = cycle_;
        SlotKeys &sk = slots_[e.pkt.slot];
        sk.unentered[e.gen - sk.cur_gen]--;
        ln.entering++;
      }
    }
    if (io.overflow) fifo_overflows++;
    if (io.out_valid && io.out_ready) take_output(l, io);
  }
}

bool GcmRtlDriver::quiescent() const
{
  if (!loads_.empty() || ks_inflight_ || !cm_words_.empty()) return false;
  for (const std::deque<uint64_t> &q : sa_outstanding_)
    if (!q.empty()) return false;
  for (const Lane &ln : lanes_)
    if (ln.count) return false;
  return true;
}

bool GcmRtlDriver::idle() const
{
  if (!loads_.empty() || !fifo_.empty() || ks_inflight_ || !cm_words_.empty()) return false;
  for (const std::deque<uint64_t> &q : sa_outstanding_)
    if (!q.empty()) return false;
  for (const Lane &ln : lanes_)
    if (ln.count) return false;
  return true;
}

bool GcmRtlDriver::run_until_idle(uint64_t max_cycles)
{
  uint64_t stop = cycle_ + max_cycles;
  while (!idle()) {
    if (cycle_ >= stop) return false;
    step();
  }
  return true;
}
