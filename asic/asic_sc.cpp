// SystemC driver; see asic_sc.h.
#include "asic_sc.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <systemc>
#include <vector>

namespace {

struct SliceProc : sc_core::sc_module {
  asic_world *w;
  uint32_t heap;
  unsigned long long *activations;
  sc_core::sc_event wake;

  SC_HAS_PROCESS(SliceProc);
  SliceProc(sc_core::sc_module_name n, asic_world *world, uint32_t h, unsigned long long *act)
      : sc_core::sc_module(n), w(world), heap(h), activations(act) {
    SC_METHOD(run);
    sensitive << wake;  // first run at time 0 (initialization), then on wake
  }

  void run() {
    ++*activations;
    sim_fs now = sc_core::sc_time_stamp().value();
    asic_sim_step(w, heap, now + w->lookahead);
    sim_fs t = sim_heap_top_time(&w->slices[heap].heap);
    if (t != SIM_FS_NEVER) wake.notify(sc_core::sc_time::from_value(t - now));
  }
};

// A push into another slice's heap wakes that slice's process (ctx: this run's processes).
void notify_push(void *ctx, uint32_t heap, sim_fs t) {
  auto *procs = static_cast<std::vector<std::unique_ptr<SliceProc>> *>(ctx);
  sim_fs now = sc_core::sc_time_stamp().value();
  (*procs)[heap]->wake.notify(sc_core::sc_time::from_value(t > now ? t - now : 0));
}

}  // namespace

extern "C" unsigned long long asic_sc_run(asic_world *w, bool progress) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  sc_core::sc_set_time_resolution(1, sc_core::SC_FS);
  unsigned long long activations = 0;
  std::vector<std::unique_ptr<SliceProc>> procs;
  for (uint32_t h = 0; h < w->n_slices; h++) {
    char name[32];
    std::snprintf(name, sizeof name, "slice%u", h);
    procs.emplace_back(new SliceProc(name, w, h, &activations));
  }
  w->notify = notify_push;
  w->notify_ctx = &procs;
  if (!progress) {
    sc_core::sc_start();
  } else {
    sc_core::sc_time chunk = sc_core::sc_time::from_value((w->w1 / 50) ? w->w1 / 50 : 1);
    do {
      sc_core::sc_start(chunk);
      const double now = (double)sc_core::sc_time_stamp().value();  // after the window: draining, not shown
      if (now < (double)w->w1) std::fprintf(stderr, "\r  simulated %.1f us of %.1f us", now / 1e9, w->w1 / 1e9);
    } while (sc_core::sc_pending_activity());
    std::fprintf(stderr, "\r  simulated %.1f us of %.1f us\n", w->w1 / 1e9, w->w1 / 1e9);
  }
  w->notify = nullptr;
  w->notify_ctx = nullptr;
  for (auto &p : procs) (void)p.release();  // SystemC keeps module pointers until exit
  return activations;
}

// libsystemc.so's own main() refers to sc_main; ipsecsim has its own main() and drives the
// kernel with sc_start(), so this entry point is never called.
extern "C" int sc_main(int, char *[]) { return 2; }
