// Binds GcmRtlDriver to the Verilated builds of gcm_core (LANES=1, 2, 3 and 4): packs each
// lane's beat into the flattened LANES x width buses, evaluates, unpacks the outputs.
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <type_traits>

#include "Vgcm_core1.h"
#include "Vgcm_core2.h"
#include "Vgcm_core3.h"
#include "Vgcm_core4.h"
#include "Vgcm_core1_fault.h"
#include "Vgcm_core1_flip.h"
#include "gcm_rtl_driver.hpp"
#include "verilated.h"
#ifdef GCM_RTL_TRACE
#include "verilated_fst_c.h"
#endif

namespace {

template <class T>
void put_bits(T &sig, unsigned lsb, unsigned width, uint64_t v)
{
  static_assert(std::is_integral<T>::value, "integral port");
  uint64_t mask = (width >= 64) ? ~0ull : ((1ull << width) - 1);
  uint64_t s = (uint64_t)sig;
  s = (s & ~(mask << lsb)) | ((v & mask) << lsb);
  sig = (T)s;
}
template <std::size_t N>
void put_bits(VlWide<N> &sig, unsigned lsb, unsigned width, uint64_t v)
{
  for (unsigned i = 0; i < width; i++) {
    unsigned b = lsb + i;
    uint32_t bit = (uint32_t)((v >> i) & 1u);
    sig[b / 32] = (sig[b / 32] & ~(1u << (b % 32))) | (bit << (b % 32));
  }
}
template <class T>
uint64_t get_bits(const T &sig, unsigned lsb, unsigned width)
{
  uint64_t mask = (width >= 64) ? ~0ull : ((1ull << width) - 1);
  return ((uint64_t)sig >> lsb) & mask;
}
template <std::size_t N>
uint64_t get_bits(const VlWide<N> &sig, unsigned lsb, unsigned width)
{
  uint64_t v = 0;
  for (unsigned i = 0; i < width; i++) {
    unsigned b = lsb + i;
    v |= (uint64_t)((sig[b / 32] >> (b % 32)) & 1u) << i;
  }
  return v;
}
// Block byte j of lane l sits at bits 128*l + 8*(15-j); word w of the lane holds bytes 12-4w..15-4w.
template <std::size_t N>
void put_block(VlWide<N> &sig, unsigned lane, const uint8_t b[16])
{
  for (unsigned w = 0; w < 4; w++) {
    const uint8_t *p = b + 12 - 4 * w;
    sig[4 * lane + w] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
  }
}
template <std::size_t N>
void get_block(const VlWide<N> &sig, unsigned lane, uint8_t b[16])
{
  for (unsigned w = 0; w < 4; w++) {
    uint32_t x = sig[4 * lane + w];
    uint8_t *p = b + 12 - 4 * w;
    p[0] = (uint8_t)(x >> 24), p[1] = (uint8_t)(x >> 16), p[2] = (uint8_t)(x >> 8), p[3] = (uint8_t)x;
  }
}

constexpr unsigned kSlotW = 3;
constexpr unsigned kSaW = 4, kSas = 16, kQw = 7;  // gcm_core SA_W, SAS, QW (RMAX 64)

template <class M, unsigned LANES>
class ModelDriver : public GcmRtlDriver {
 public:
  explicit ModelDriver(const char *trace_path)
  {
    ctx_.reset(new VerilatedContext);
    top_.reset(new M(ctx_.get()));
#ifdef GCM_RTL_TRACE
    if (trace_path) {
      ctx_->traceEverOn(true);
      tfp_.reset(new VerilatedFstC);
      top_->trace(tfp_.get(), 99);
      tfp_->open(trace_path);
      std::fprintf(stderr, "gcm_rtl: WARNING: waveform %s contains key material (round keys, H)\n",
                   trace_path);
    }
#else
    (void)trace_path;
#endif
    init_lanes(LANES);
    top_->out_fifo_credit = (uint16_t)out_fifo_credit;
    top_->rst = 1;
    top_->clk = 0;
    top_->eval();
    for (int i = 0; i < 2; i++) {
      top_->clk = 1;
      top_->eval();
      top_->clk = 0;
      top_->eval();
    }
    top_->rst = 0;
    top_->eval();
  }
  void reset() override
  {
    M &t = *top_;
    drive_config();
    t.rst = 1;
    for (int i = 0; i < 3; i++) {  // two reset edges, then one that loads the config registers
      if (i == 2) t.rst = 0;
      t.clk = 0;
      t.eval();
      t.clk = 1;
      t.eval();
    }
    t.clk = 0;
    t.eval();
  }
  ~ModelDriver() override
  {
#ifdef GCM_RTL_TRACE
    if (tfp_) {
      const mode_t um = ::umask(077);  // the writer's last pass may recreate the file
      tfp_->close();
      ::umask(um);
      if (!path_.empty()) ::chmod(path_.c_str(), 0600);
    }
#endif
    top_->final();
  }
  unsigned lanes() const override { return LANES; }
  unsigned key_slots() const override { return 1u << kSlotW; }
  unsigned reorder_contexts() const override { return kSas; }

 protected:
  void drive_config()
  {
    M &t = *top_;
    t.overhead_cycles = (uint16_t)overhead_cycles;
    t.out_fifo_credit = (uint16_t)out_fifo_credit;
    t.sched_en = core_dispatch;
    t.cache_en = key_cache;
    t.pin_mode = pin_mode;
    t.reorder_depth = (uint8_t)reorder_depth;
  }
  void drive_pd(const PdIo &pd)
  {
    M &t = *top_;
    t.pd_valid = (1u << pd.n) - 1u;
    for (unsigned k = 0; k < pd.n; k++) {
      const GcmRtlPacket &p = *pd.pkt[k];
      put_bits(t.pd_sa, kSaW * k, kSaW, p.sa);
      for (unsigned w = 0; w < 3; w++) {  // IV byte 0 in bit 95 of the entry
        const uint8_t *b = p.iv + 4 * w;
        put_bits(t.pd_iv, 96 * k + 64 - 32 * w, 32,
                 (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]);
      }
      put_bits(t.pd_slot, kSlotW * k, kSlotW, p.slot);
      put_bits(t.pd_decrypt, k, 1, p.decrypt);
      put_bits(t.pd_aad_len, 32 * k, 32, p.aad.size());
      put_bits(t.pd_text_len, 32 * k, 32, p.text.size());
      put_bits(t.pd_tag_len, 5 * k, 5, p.tag_len);
    }
  }
  void drive_and_eval(std::vector<LaneIo> &io, const Load *ld, bool &ld_ready, PdIo &pd) override
  {
    M &t = *top_;
    t.clk = 0;
    drive_config();
    drive_pd(pd);
    t.cm_we = pd.cm != nullptr;
    if (pd.cm) {
      t.cm_sa = (uint8_t)pd.cm->sa;
      t.cm_index = (uint8_t)pd.cm->index;
      t.cm_aes256 = pd.cm->aes256;
      put_block(t.cm_data, 0, pd.cm->data);
    }
    t.ld_valid = ld != nullptr && !ld->ks;
    t.ks_valid = ld != nullptr && ld->ks;
    if (ld && ld->ks) {
      t.ks_slot = (uint8_t)ld->slot;
      t.ks_aes256 = ld->aes256;
      uint8_t k[32] = {};
      std::memcpy(k, ld->key, ld->aes256 ? 32 : 16);
      put_block(t.ks_key, 1, k);       // key bytes 0..15 in [255:128]
      put_block(t.ks_key, 0, k + 16);  // AES-256 bytes 16..31 in [127:0]
      std::memset(k, 0, sizeof k);
    } else if (ld) {
      t.ld_slot = (uint8_t)ld->slot;
      t.ld_index = (uint8_t)ld->index;
      t.ld_aes256 = ld->aes256;
      put_block(t.ld_data, 0, ld->data);
    }
    for (unsigned l = 0; l < LANES; l++) {
      const LaneIo &x = io[l];
      put_bits(t.in_valid, l, 1, x.in_valid);
      put_bits(t.out_ready, l, 1, x.out_ready);
      if (!x.beat) continue;
      const Beat &b = *x.beat;
      put_block(t.in_data, l, b.data);
      put_bits(t.in_slot, kSlotW * l, kSlotW, b.slot);
      put_bits(t.in_decrypt, l, 1, b.decrypt);
      put_bits(t.in_aad_len, 32 * l, 32, b.aad_len);
      put_bits(t.in_text_len, 32 * l, 32, b.text_len);
      put_bits(t.in_tag_len, 5 * l, 5, b.tag_len);
    }
    t.eval();
    ld_ready = (ld && ld->ks) ? t.ks_ready : t.ld_ready;
    pd.take = (unsigned)get_bits(t.pd_take, 0, LANES);
    for (unsigned k = 0; k < pd.n; k++) {
      pd.lane[k] = (unsigned)get_bits(t.pd_lane, kLw * k, kLw);
      pd.cslot[k] = (unsigned)get_bits(t.pd_cslot, kSlotW * k, kSlotW);
    }
    pd.fill_start = t.cache_fill_start;
    pd.fill_done = t.cache_fill_done;
    pd.fill_slot = (unsigned)t.cache_fill_slot;
    for (unsigned l = 0; l < LANES; l++) {
      LaneIo &x = io[l];
      x.in_ready = get_bits(t.in_ready, l, 1);
      x.out_valid = get_bits(t.out_valid, l, 1);
      x.overflow = get_bits(t.out_overflow, l, 1);
      if (!x.out_valid) continue;
      x.out_is_tag = get_bits(t.out_is_tag, l, 1);
      x.out_match = get_bits(t.out_tag_match, l, 1);
      x.out_drop = get_bits(t.out_drop, l, 1);
      x.out_bytes = (unsigned)get_bits(t.out_bytes, 5 * l, 5);
      get_block(t.out_data, l, x.out_data);
    }
  }
  void posedge() override
  {
    dump(false);  // the cycle's first half as its last evaluation left it
    top_->clk = 1;
    top_->eval();
    dump(true);
  }
#ifdef GCM_RTL_TRACE
  bool open_trace(const char *path, std::function<bool(uint64_t, uint64_t *)> when, uint64_t half_fs) override
  {
    if (tfp_) return false;
    ctx_->traceEverOn(true);
    ctx_->timeprecision(-15);  // dump times are fs
    tfp_.reset(new VerilatedFstC);
    top_->trace(tfp_.get(), 99);
    const mode_t um = ::umask(077);  // the writer unlinks and recreates its files: 0600 (keys)
    tfp_->open(path);
    ::umask(um);
    if (!tfp_->isOpen()) return tfp_.reset(), false;
    when_ = std::move(when);
    half_fs_ = half_fs;
    path_ = path;
    return true;
  }
#endif
  unsigned rel_seq(unsigned sa) const override
  {
    return (unsigned)get_bits(top_->rel_seq, kQw * sa, kQw);
  }
  bool sched_overflow() const override { return top_->sched_overflow; }
  bool ks_idle() const override { return top_->ks_ready; }
  static constexpr unsigned kLw = LANES > 2 ? 2 : 1;  // gcm_core LW

 private:
  void dump(bool high)
  {
#ifdef GCM_RTL_TRACE
    if (!tfp_) return;
    uint64_t fs = 0;
    if (!when_) tfp_->dump(ctx_->time()), ctx_->timeInc(1);  // the trace_path form: every half cycle
    else if (when_(cycle(), &fs)) tfp_->dump(fs + (high ? half_fs_ : 0));
#else
    (void)high;
#endif
  }
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<M> top_;
#ifdef GCM_RTL_TRACE
  std::unique_ptr<VerilatedFstC> tfp_;
  std::function<bool(uint64_t, uint64_t *)> when_;
  uint64_t half_fs_ = 0;
  std::string path_;
#endif
};

}  // namespace

std::unique_ptr<GcmRtlDriver> gcm_rtl_make_driver(unsigned lanes, const char *trace_path)
{
#ifndef GCM_RTL_TRACE
  if (trace_path) {
    std::fprintf(stderr, "gcm_rtl: tracing not built (configure with -DIPSECSIM_RTL_TRACE=ON)\n");
    return nullptr;
  }
#endif
  if (lanes == 1) return std::unique_ptr<GcmRtlDriver>(new ModelDriver<Vgcm_core1, 1>(trace_path));
  if (lanes == 0) return std::unique_ptr<GcmRtlDriver>(new ModelDriver<Vgcm_core1_fault, 1>(trace_path));
  if (lanes == kGcmRtlFlipBuild) return std::unique_ptr<GcmRtlDriver>(new ModelDriver<Vgcm_core1_flip, 1>(trace_path));
  if (lanes == 2) return std::unique_ptr<GcmRtlDriver>(new ModelDriver<Vgcm_core2, 2>(trace_path));
  if (lanes == 3) return std::unique_ptr<GcmRtlDriver>(new ModelDriver<Vgcm_core3, 3>(trace_path));
  if (lanes == 4) return std::unique_ptr<GcmRtlDriver>(new ModelDriver<Vgcm_core4, 4>(trace_path));
  return nullptr;
}
