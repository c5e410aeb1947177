// Port-level FST waveform of the Verilated core inside `ipsecsim run` (--wave, issue 17): the
// core's ports as the driver drives and sees them (GcmRtlProbe) in every clocked cycle whose
// time lies in [from, to), time in fs (cycle x period). Idle stretches are not clocked, so
// they show as no change. Written with GTKWave's fstapi as shipped with Verilator.
#include "gcm_rtl_wave.hpp"

#define FST_CONFIG_INCLUDE "fst_config.h"
#ifdef GCM_RTL_TRACE  // the traced build: Verilator's verilated_fst_c.cpp compiles the writer
#include "gtkwave/fstapi.h"
#else
#include "gtkwave/fastlz.c"
#include "gtkwave/fstapi.c"
#include "gtkwave/lz4.c"
#endif

#include <sys/stat.h>

#include <string>

namespace {

std::string bits(uint64_t v, unsigned w)
{
  std::string s(w, '0');
  for (unsigned i = 0; i < w; i++) s[w - 1 - i] = (v >> i & 1u) ? '1' : '0';
  return s;
}

std::string bytes_bits(const uint8_t *b, unsigned n)
{
  std::string s;
  for (unsigned i = 0; i < n; i++) s += bits(b[i], 8);
  return s;
}

}  // namespace


GcmRtlWave::GcmRtlWave(void *ctx, unsigned lanes, sim_fs from, sim_fs to, sim_fs period, uint64_t base)
    : ctx_(ctx), from_(from), to_(to), period_(period), base_(base)
{
  auto var = [&](const std::string &name, unsigned w) {
    sigs_.push_back({fstWriterCreateVar(ctx_, w == 1 ? FST_VT_VCD_WIRE : FST_VT_VCD_REG, FST_VD_IMPLICIT, w,
                                        name.c_str(), 0),
                     w, std::string()});
  };
  fstWriterSetTimescale(ctx_, -15);  // 1 fs, the model's time base
  fstWriterSetScope(ctx_, FST_ST_VCD_MODULE, "gcm_core", nullptr);
  var("clk_cycle", 64);
  var("pd_valid", 8);
  var("pd_take", 8);
  var("cache_fill_start", 1);
  var("cache_fill_done", 1);
  var("ld_valid", 1);
  var("ld_ready", 1);
  for (unsigned l = 0; l < lanes; l++) {
    const std::string p = "lane" + std::to_string(l) + "_";
    fstWriterSetScope(ctx_, FST_ST_VCD_MODULE, ("lane" + std::to_string(l)).c_str(), nullptr);
    for (const char *n : {"in_valid", "in_ready", "out_valid", "out_ready", "out_is_tag", "out_tag_match", "out_drop"})
      var(p + n, 1);
    var(p + "out_bytes", 5);
    var(p + "in_data", 128);
    var(p + "out_data", 128);
    fstWriterSetUpscope(ctx_);
  }
  fstWriterSetUpscope(ctx_);
}

GcmRtlWave::~GcmRtlWave()
{
  fstWriterClose(ctx_);
  ::chmod(path_.c_str(), 0600);  // fstapi rewrites the file on close: keep it private
}

std::unique_ptr<GcmRtlWave> GcmRtlWave::open(const char *path, unsigned lanes, sim_fs from, sim_fs to,
                                             sim_fs period, uint64_t base)
{
  void *ctx = fstWriterCreate(path, 1);
  if (!ctx) return nullptr;
  ::chmod(path, 0600);  // fstapi creates the file itself: private before any signal is written
  std::unique_ptr<GcmRtlWave> w(new GcmRtlWave(ctx, lanes, from, to, period, base));
  w->path_ = path;
  return w;
}

void GcmRtlWave::emit(size_t i, const std::string &v)
{
  Sig &s = sigs_[i];
  if (v == s.last) return;
  s.last = v;
  fstWriterEmitValueChange(ctx_, s.h, v.c_str());
}

void GcmRtlWave::cycle(const GcmRtlProbe &p)
{
  if ((int64_t)(p.cycle - base_) < 0) return;  // key setup before the engine's cycle 0
  const uint64_t c = p.cycle - base_;
  const sim_fs t = (sim_fs)c * period_;
  if (t < from_ || t >= to_) return;
  fstWriterEmitTimeChange(ctx_, t);
  size_t i = 0;
  emit(i++, bits(c, 64));
  emit(i++, bits(p.pd_valid, 8));
  emit(i++, bits(p.pd_take, 8));
  emit(i++, p.fill_start ? "1" : "0");
  emit(i++, p.fill_done ? "1" : "0");
  emit(i++, p.ld_valid ? "1" : "0");
  emit(i++, p.ld_ready ? "1" : "0");
  for (const GcmRtlProbeLane &l : p.lanes) {
    for (bool b : {l.in_valid, l.in_ready, l.out_valid, l.out_ready, l.out_is_tag, l.out_tag_match, l.out_drop})
      emit(i++, b ? "1" : "0");
    emit(i++, bits(l.out_bytes, 5));
    emit(i++, bytes_bits(l.in_data, 16));
    emit(i++, bytes_bits(l.out_data, 16));
  }
}
