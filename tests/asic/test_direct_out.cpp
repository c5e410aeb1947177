// Lookup completions computed straight through (asic_sim_direct.c: no SLICE_EV_OUT heap
// event when nothing else can feed slice.out, decided per slice) must not change any result.
// The same scenario runs twice: once as shipped, once with a block that no route uses
// attached on every slice that has none, which turns the straight-through path off; every
// metric of the report (event count and end time included) must be equal, and conservation
// must hold in both. A block's returns may carry any key: every slice some key leads to may
// then get packets over the fabric, and takes the heap too.
#include <gtest/gtest.h>

#include "asic_test_util.h"

extern "C" {
#include "asic/asic_sim.h"
}

namespace {
bool engine_never_called(void *, uint32_t, sim_fs, const sim_pkt *) {
  ADD_FAILURE() << "no route leads to the engine";
  return false;
}

struct SimRun {
  std::unique_ptr<AsicRun> r;
  uint32_t direct_slices = 0;
};

// blocks: attach an unused block to slices 0 .. blocks-1 that have none (the IPsec engines)
SimRun run_once(const std::string &path, uint32_t blocks) {
  SimRun out;
  out.r = asic_run(path, {"phases.warmup=2us", "phases.measure=20us"}, false);
  EXPECT_TRUE(out.r->loaded) << out.r->err;
  if (!out.r->loaded) return out;
  asic_world *w = &out.r->sc.world;
  for (uint32_t s = 0; s < blocks && s < w->n_slices; s++) {
    if (w->attach[s].on) continue;
    pg_block_ops ops{};
    ops.rate_bps = 300000000000ull;
    ops.offer = engine_never_called;
    char err[128];
    EXPECT_TRUE(asic_attach_block(w, s, &ops, err, sizeof err)) << err;
  }
  asic_sim_run_c(w);
  for (uint32_t s = 0; s < w->n_slices; s++) out.direct_slices += w->slices[s].direct_out;
  char msg[256];
  EXPECT_TRUE(asic_sim_conservation(w, msg, sizeof msg)) << path << ": " << msg;
  asic_report_publish(&out.r->sc);
  return out;
}
}  // namespace

TEST(DirectOut, SameReportAsTheHeapPath) {
  for (const char *name : {"bench_64", "bench_1518", "slice_bound", "lookup_bound", "fabric_bound"}) {
    SCOPED_TRACE(name);
    SimRun direct = run_once(scenario_path(name), 0), heap = run_once(scenario_path(name), UINT32_MAX);
    if (!direct.r->loaded || !heap.r->loaded) continue;
    EXPECT_EQ(heap.direct_slices, 0u);
    EXPECT_EQ(direct.r->json(), heap.r->json());
    EXPECT_EQ(direct.r->m("run.events"), heap.r->m("run.events"));
    EXPECT_GT(direct.r->m("run.sent"), 0);
  }
  // with IPsec: the slices without an engine whose ports no key leads to keep the straight-
  // through path (the clear side of a remote anchor, an idle slice), with the same report
  for (const char *name : {"ipsec_remote_anchor", "ipsec_engine_1518", "ipsec_pin_spray"}) {
    SCOPED_TRACE(name);
    SimRun direct = run_once(scenario_path(name), 0), heap = run_once(scenario_path(name), UINT32_MAX);
    if (!direct.r->loaded || !heap.r->loaded) continue;
    EXPECT_GT(direct.direct_slices, 0u);
    EXPECT_EQ(heap.direct_slices, 0u);
    EXPECT_EQ(direct.r->json(), heap.r->json());
  }
  // the benchmark (16 ports, each pair inside its port group, one lookup occupancy) takes the
  // straight-through path on both slices; a scenario with fabric traffic on at most some
  SimRun bench = run_once(scenario_path("bench_64"), 0);
  EXPECT_EQ(bench.direct_slices, 2u);
  // a block on slice 0: its returns could carry any key, and keys lead to both slices
  EXPECT_EQ(run_once(scenario_path("bench_64"), 1).direct_slices, 0u);
  SimRun fabric = run_once(scenario_path("fabric_bound"), 0);
  EXPECT_LT(fabric.direct_slices, fabric.r->sc.world.n_slices);
}
