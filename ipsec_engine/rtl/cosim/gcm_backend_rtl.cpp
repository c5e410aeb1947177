// The Verilated GCM core behind gcm_backend.h (see gcm_backend_rtl.hpp for the time rules).
#include "gcm_backend_rtl.hpp"

#include <algorithm>
#include <cstring>

extern "C" {
#include "ipsec_engine/gcm_timing.h"
}

std::unique_ptr<GcmBackendRtl> GcmBackendRtl::create(const GcmBackendRtlConfig &c,
                                                     const gcm_backend_hooks &hooks,
                                                     const std::vector<std::vector<uint8_t>> &keys,
                                                     std::string &err)
{
  if (c.lanes < 1 || c.lanes > 4) err = "lanes " + std::to_string(c.lanes) + ": built for 1..4";
  else if (c.out_fifo_depth < 1 || c.out_fifo_depth > 1024)
    err = "out_fifo_depth " + std::to_string(c.out_fifo_depth) + ": the core holds 1..1024";
  else if (c.reorder_depth < 1 || c.reorder_depth > 64)
    err = "reorder_depth " + std::to_string(c.reorder_depth) + ": the core holds 1..64";
  else if (c.overhead_cycles > 65535) err = "overhead_cycles above the core's 16-bit register";
  else if (c.n_sas < 1 || c.n_sas > (c.key_cache ? 16u : 8u))
    err = std::to_string(c.n_sas) + " SAs: " + (c.key_cache ? "1..16 (the core's SA contexts)" : "1..8 (one key slot each)");
  else if (c.period_fs == 0) err = "period 0";
  if (!err.empty()) return nullptr;
  std::unique_ptr<GcmBackendRtl> b(new GcmBackendRtl);
  b->cfg_ = c;
  b->hooks_ = hooks;
  if ((c.fault_extra_stage || c.fault_flip_bit) && c.lanes != 1) {
    err = "lanes " + std::to_string(c.lanes) + ": the test fault builds have 1 lane";
    return nullptr;
  }
  b->drv_ = gcm_rtl_make_driver(c.fault_extra_stage ? 0 : c.fault_flip_bit ? kGcmRtlFlipBuild : c.lanes, nullptr);
  if (!b->drv_) {
    err = "no Verilated model for " + std::to_string(c.lanes) + " lanes";
    return nullptr;
  }
  GcmRtlDriver &d = *b->drv_;
  d.core_dispatch = true;
  d.pin_mode = c.pin;
  d.reorder_depth = c.reorder_depth;
  d.out_fifo_credit = c.out_fifo_depth;
  d.overhead_cycles = c.overhead_cycles;
  d.keep_done = true;
  d.key_cache = c.key_cache;
  d.reset();
  if (c.key_cache && !c.at_start.empty()) {
    err = "SAs installed under traffic: the key cache takes no installs";
    return nullptr;
  }
  for (unsigned s = 0; s < c.n_sas; s++) {
    static const uint8_t zero[16] = {};
    if (s < c.at_start.size() && !c.at_start[s]) continue;  // keyed by install() under traffic
    const bool have = s < keys.size() && (keys[s].size() == 16 || keys[s].size() == 32);
    if (c.key_cache) d.write_sa_context(s, have ? keys[s].data() : zero, have ? keys[s].size() : 16);
    else d.install_key(s, have ? keys[s].data() : zero, have ? keys[s].size() : 16);
  }
  for (unsigned s = 0; c.key_cache && s < c.n_sas; s++) {  // the install order fills the cache
    GcmRtlPacket p;
    p.id = s;
    p.sa = s;
    p.ready_cycle = d.cycle();
    d.submit(p);
  }
  if (!d.run_until_idle(100000)) {
    err = "key setup did not finish";
    return nullptr;
  }
  d.done.clear();
  d.starts.clear();
  d.releases.clear();
  b->fills_seen_ = d.fills.size();
  b->base_ = d.cycle();
  GcmBackendRtl *self = b.get();
  d.accept_start = [self](uint64_t id, unsigned lane, uint64_t cycle) {
    self->queued_--;
    const uint64_t ec = cycle - self->base_;
    GcmRtlDriver &dr = *self->drv_;
    for (; self->fills_seen_ < dr.fills.size(); self->fills_seen_++)
      if (self->on_fill) self->on_fill((uint32_t)id, dr.fills[self->fills_seen_].start_cycle - self->base_);
    if (!self->hooks_.on_start(self->hooks_.ctx, (uint32_t)id, ec, lane)) return false;
    const sim_fs T = self->cfg_.period_fs;
    sim_fs a = ec * T, z = (ec + self->hold_[(uint32_t)id]) * T;
    if (self->cfg_.window_from && a < *self->cfg_.window_from) a = *self->cfg_.window_from;
    if (self->cfg_.window_to && z > *self->cfg_.window_to) z = *self->cfg_.window_to;
    if (z > a) self->busy_fs_ += z - a;
    return true;
  };
  d.out_ready_fn = [self](unsigned, uint64_t cycle) {
    const uint64_t ec = cycle - self->base_;
    bool r = true;
    for (const auto &x : self->ready_)
      if (x.first <= ec) r = x.second;
    return r;
  };
  return b;
}

bool GcmBackendRtl::install(unsigned sa, const uint8_t *key, size_t key_len, uint64_t cycle)
{
  const uint64_t want = base_ + cycle;
  const bool on_time = drv_->cycle() <= want;  // else the request goes in the driver's next cycle
  if (on_time && drv_->quiescent()) drv_->skip_to(want);  // nothing in the core: no clock needed
  while (drv_->cycle() < want) step_one();
  // shown on ks_* in the driver's next step (cycle `cycle`), or install_delay later (test fault)
  drv_->install_key(sa, key, key_len, want + cfg_.install_delay);
  return on_time;
}

void GcmBackendRtl::submit(const gcm_backend_packet *pkt)
{
  GcmRtlPacket &p = scratch_;
  p.id = pkt->id;
  p.sa = pkt->sa;
  p.slot = cfg_.key_cache ? 0 : pkt->sa;  // key cache: the core picks the slot
  p.decrypt = false;
  std::memset(p.iv, 0, sizeof p.iv);
  std::memset(p.expected_tag, 0, sizeof p.expected_tag);
  p.tag_len = 16;
  p.aad.assign(pkt->aad_bytes, 0);
  p.text.assign(pkt->text_bytes, 0);
  p.ready_cycle = base_ + pkt->ready_cycle;
  if (fill_data) fill_data(pkt->id, p);
  if (hold_.size() <= pkt->id) hold_.resize(pkt->id + 1u);
  hold_[pkt->id] = (uint32_t)gcm_lane_hold_cycles(pkt->aad_bytes, pkt->text_bytes, cfg_.overhead_cycles);
  queued_++;
  drv_->submit(p);
}

// Tags the last edge popped become pending completions (engine cycles).
void GcmBackendRtl::take_completions()
{
  for (GcmRtlDone &d : drv_->done) {
    const uint64_t p = d.tag_cycle - 1 - base_;  // posedge index -> the cycle it popped in
    pops_.push_back({(uint32_t)d.id, p, d.first_out_cycle - 1 - base_});
    if (on_done) on_done(d);
    if (keep_results) {
      d.desc_cycle -= 1 + base_;
      d.end_cycle -= 1 + base_;
      d.tag_cycle = p;
      d.first_out_cycle -= 1 + base_;
      results.push_back(std::move(d));
    }
  }
  drv_->done.clear();
}

void GcmBackendRtl::step_one()
{
  drv_->step();
  clocked_++;
  take_completions();
  // keep only the out_ready epoch in force and the ones after it
  while (ready_.size() > 1 && ready_[1].first <= engine_cycle()) ready_.erase(ready_.begin());
}

sim_fs GcmBackendRtl::next_event_fs() const
{
  const sim_fs T = cfg_.period_fs;
  sim_fs best = SIM_FS_NEVER;
  if (pops_head_ < pops_.size()) best = gcm_release_fs(pops_[pops_head_].cycle, T);
  bool any = true;
  uint64_t c = engine_cycle();
  if (drv_->quiescent()) {
    any = drv_->head_ready() != UINT64_MAX;
    if (any && drv_->head_ready() - base_ > c) c = drv_->head_ready() - base_;
  }
  if (any && (sim_fs)(c * T + 1) < best) best = (sim_fs)(c * T + 1);
  return best;
}

void GcmBackendRtl::advance(sim_fs t)
{
  const sim_fs T = cfg_.period_fs;
  for (;;) {
    while (pops_head_ < pops_.size() && gcm_release_fs(pops_[pops_head_].cycle, T) <= t) {
      const Pop &p = pops_[pops_head_++];
      if (on_first_pop) on_first_pop(p.id, p.first);
      hooks_.on_complete(hooks_.ctx, p.id, p.cycle);
    }
    if (pops_head_ == pops_.size()) pops_.clear(), pops_head_ = 0;
    if (drv_->quiescent()) {
      if (drv_->head_ready() == UINT64_MAX) break;
      // idle cycles need no clock; never past the first cycle at or after t, so that a key
      // setup the engine requests at t (install) starts in that cycle
      const uint64_t first = (uint64_t)((t + T - 1) / T);
      drv_->skip_to(std::min(drv_->head_ready(), base_ + first));
    }
    if (engine_cycle() * T >= t) break;
    step_one();
  }
}

void GcmBackendRtl::set_out_ready(uint64_t cycle, bool ready) { ready_.push_back({cycle, ready}); }

void GcmBackendRtl::stats(gcm_backend_stats *s) const
{
  s->busy_fs = busy_fs_;
  s->queued = queued_;
}

static void rtl_submit(void *be, const gcm_backend_packet *p) { static_cast<GcmBackendRtl *>(be)->submit(p); }
static sim_fs rtl_next(const void *be) { return static_cast<const GcmBackendRtl *>(be)->next_event_fs(); }
static void rtl_advance(void *be, sim_fs t) { static_cast<GcmBackendRtl *>(be)->advance(t); }
static void rtl_ready(void *be, uint64_t c, bool r) { static_cast<GcmBackendRtl *>(be)->set_out_ready(c, r); }
static void rtl_stats(const void *be, gcm_backend_stats *s) { static_cast<const GcmBackendRtl *>(be)->stats(s); }

const gcm_backend_ops *GcmBackendRtl::ops()
{
  static const gcm_backend_ops o = {"rtl", rtl_submit, rtl_next, rtl_advance, rtl_ready, rtl_stats};
  return &o;
}
