// Port-level FST waveform of the Verilated core for a window of simulated time (--wave FILE
// --wave-window FROM..TO of `ipsecsim run`, issue 17). It holds packet text (key material by
// the project's rule: the caller prints the warning), file mode set by the caller.
#ifndef IPSECSIM_GCM_RTL_WAVE_HPP
#define IPSECSIM_GCM_RTL_WAVE_HPP

#include <memory>
#include <string>
#include <vector>

#include "gcm_rtl_driver.hpp"

extern "C" {
#include "model/sim_time.h"
}

class GcmRtlWave {
 public:
  // nullptr when the file cannot be created. base: the driver cycle of engine cycle 0.
  static std::unique_ptr<GcmRtlWave> open(const char *path, unsigned lanes, sim_fs from, sim_fs to,
                                          sim_fs period, uint64_t base);
  ~GcmRtlWave();
  void cycle(const GcmRtlProbe &p);  // one clocked cycle (ignored outside the window)

 private:
  GcmRtlWave(void *ctx, unsigned lanes, sim_fs from, sim_fs to, sim_fs period, uint64_t base);
  struct Sig {
    uint32_t h;  // fstHandle
    unsigned w;
    std::string last;
  };
  void emit(size_t i, const std::string &v);
  void *ctx_;
  std::string path_;
  sim_fs from_, to_, period_;
  uint64_t base_;
  std::vector<Sig> sigs_;
};

#endif
