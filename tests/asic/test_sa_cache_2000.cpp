// 2000 tunnels between two MX304s (scenarios/ipsec_sa_cache_2000.yaml): every SA carries
// traffic and its share. A stream round-robins over its 2000 tunnels (flows: 2000, one /32
// prefix each), so inside the window each tunnel's outbound SA encrypts
// floor or ceil(stream's encrypted packets / 2000), and the peer's inbound SA decrypts them.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "asic_test_util.h"

namespace {

TEST(SaCache2000, EverySaCarriesItsShare) {
  auto r = asic_run(scenario_path("ipsec_sa_cache_2000"));
  ASSERT_TRUE(r->loaded) << r->err;
  ASSERT_TRUE(r->balanced) << r->conservation;
  for (const char *rt : {"r1", "r2"}) {
    const char *peer = rt[1] == '1' ? "r2" : "r1";
    double tx_sum = 0, tx_min = 1e300, tx_max = 0, rx_min = 1e300, rx_max = 0;
    for (int t = 0; t < 2000; t++) {
      const std::string base = std::string("tunnel.") + rt + ".t-" + std::to_string(t);
      const double tx = r->m(base + ".tx_pkts");
      const double rx = r->m(std::string("tunnel.") + peer + ".t-" + std::to_string(t) + ".rx_pkts");
      ASSERT_FALSE(std::isnan(tx) || std::isnan(rx)) << base;
      EXPECT_GT(tx, 0) << base;
      EXPECT_GT(rx, 0) << peer << " t-" << t;
      tx_sum += tx;
      tx_min = std::min(tx_min, tx), tx_max = std::max(tx_max, tx);
      rx_min = std::min(rx_min, rx), rx_max = std::max(rx_max, rx);
    }
    // the offered share: round-robin gives each tunnel the same count to one packet; the
    // peer decrypts the same packets, shifted by at most those in flight at the window edges
    EXPECT_LE(tx_max - tx_min, 1) << rt;
    EXPECT_LE(rx_max - rx_min, 2) << peer;
    const double enc = r->m(std::string(rt) + ".asic0.slice0.engine.encrypt_pkts");
    EXPECT_EQ(tx_sum, enc) << rt;
    // hit rate 0: 4000 SAs visited round-robin through 2048 entries (LRU)
    EXPECT_EQ(r->m(std::string(rt) + ".asic0.slice0.engine.sa_cache_hits"), 0) << rt;
    const double misses = r->m(std::string(rt) + ".asic0.slice0.engine.sa_cache_misses");
    EXPECT_GT(misses, 0);
    EXPECT_EQ(r->m(std::string(rt) + ".asic0.slice0.engine.sa_miss_cycles"), misses * 27) << rt;
  }
}

}  // namespace
