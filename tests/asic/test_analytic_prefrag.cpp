// The analytic walk (asic_analytic.c) with pre-fragmentation: every ESP packet of a clear
// datagram counts at its own size and lane cycles, not at the first fragment's. Expected values
// are worked by hand below, never the code's own output.
//
// scenarios/ipsec_engine_1518.yaml at traffic.frame=9000B (tunnel MTU 9000, IPv4 in and out,
// no UDP): the clear frame is an 8982 B datagram (20 B header + 8962 data). An ESP packet of
// inner L bytes is 20 + 8 + 8 + L + pad + 2 + 16 B with (L + pad + 2) % 4 == 0, <= 9000 B:
//   first fragment: 20 + 8920 data (8928 would give ESP IP 9004) = L 8940, pad 2, ESP IP 8996,
//     frame 9014 (L1 9034); P = 8944 = 559 blocks: 5 + 1 + 559 + 2 = 567 lane cycles
//   last fragment: 20 + 42 data = L 62, pad 0, ESP IP 116, frame 134 (L1 154); P = 64 = 4
//     blocks: 5 + 1 + 4 + 2 = 12 lane cycles
//   per datagram: 9034 + 154 = 9188 B on the WAN wire, 579 lane cycles; decrypted, it leaves
//   as two clear fragments of 8940 + 18 and 62 + 18 B: 8978 + 100 = 9078 B L1.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "asic_test_util.h"

extern "C" {
#include "asic/asic_analytic.h"
}

namespace {

struct Run9000 {
  std::unique_ptr<AsicRun> run;
  asic_world *w = nullptr;
  explicit Run9000(std::vector<std::string> sets = {}) {
    sets.push_back("traffic.frame=9000B");
    run = asic_run(scenario_path("ipsec_engine_1518"), sets, false);
    if (run->loaded) w = &run->sc.world;
  }
  uint32_t flow(const char *name) const {
    for (uint32_t i = 0; i < w->n_flows; i++)
      if (!std::strcmp(w->flows[i].name, name)) return i;
    ADD_FAILURE() << "no flow " << name;
    return 0;
  }
};

}  // namespace

// Alone, enc_a is bound by et-0/0/6.tx carrying both ESP fragments: 100e9 / (8 x 9188) =
// 1360470.18 datagrams/s (the first fragment's size twice would give 100e9 / (8 x 18068)).
TEST(AnalyticPrefrag, EncryptCeilingCountsEachFragmentOnTheWanPort) {
  Run9000 x;
  ASSERT_TRUE(x.run->loaded) << x.run->err;
  EXPECT_NEAR(asic_flow_ceiling_pps(x.w, x.flow("enc_a")), 1360470.18, 0.01);
  // dec_a's fragments leave et-0/0/5 as 9078 B L1: 100e9 / (8 x 9078) = 1376955.28
  EXPECT_NEAR(asic_flow_ceiling_pps(x.w, x.flow("dec_a")), 1376955.28, 0.01);
}

// The resource view the sweep's max.binding reads: et-0/0/6.tx is offered enc_a's 80 Gbit/s
// of clear 9000 B frames, 80e9 / (8 x 9020) = 1108647.45 datagrams/s, two ESP packets each;
// its ceiling over the offer is 100e9 / (8 x 9188) / 1108647.45 = 9020 x 100 / (9188 x 80).
TEST(AnalyticPrefrag, WanPortOfferedBytesAreTheFragmentsOwn) {
  Run9000 x;
  ASSERT_TRUE(x.run->loaded) << x.run->err;
  size_t n = 0;
  asic_res *res = asic_res_list(x.w, &n);
  ASSERT_NE(res, nullptr);
  asic_analytic_offered(x.w, res, n);
  const asic_res *tx = nullptr;
  for (size_t i = 0; i < n; i++)
    if (!std::strcmp(res[i].name, "r0.port.et-0/0/6.tx")) tx = &res[i];
  ASSERT_NE(tx, nullptr);
  const double dgram = 80e9 / (8 * 9020.0);  // 1108647.45
  EXPECT_NEAR(tx->off_pps, 2 * dgram, 1e-6);
  EXPECT_NEAR(tx->off_bytes, dgram * (9014 + 134), 1e-3);
  const double headroom = asic_res_ceiling_pps(tx, asic_res_mean_frame(tx)) / tx->off_pps;
  EXPECT_NEAR(headroom, 9020.0 * 100 / (9188.0 * 80), 1e-9);  // 1.227144
  free(res);
}

// Moving the owning parameter: at engine.clock 300 MHz (period 3333333 fs) the engine binds
// each stream alone at 2 lanes / (579 x 3333333 fs) = 1036269.53 datagrams/s, encrypt (both
// ESP packets of a datagram) and decrypt (each ESP packet at its own cycles) alike.
TEST(AnalyticPrefrag, EngineCeilingSumsEachFragmentsLaneCycles) {
  Run9000 x({"engine.clock=0.3GHz"});
  ASSERT_TRUE(x.run->loaded) << x.run->err;
  const double expect = 2.0 / (579 * 3333333e-15);
  EXPECT_NEAR(asic_flow_ceiling_pps(x.w, x.flow("enc_a")), expect, 0.01);
  EXPECT_NEAR(asic_flow_ceiling_pps(x.w, x.flow("dec_a")), expect, 0.01);
}
