// Real bytes through the ASIC model (issue 13, asic/asic_bytes.h): the two-router acceptance
// scenario delivers every inner frame byte-exact, a test-only corruption after decryption is
// counted on exactly the packets it hit, a leaked buffer breaks conservation, and payload
// none carries no bytes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "asic_test_util.h"

extern "C" {
#include "asic/asic_bytes.h"
#include "asic/asic_ipsec_bytes.h"
}

namespace {

const char *const kFlows[] = {"east4", "west4", "east6", "west6"};

TEST(PayloadReal, TwoRoutersDeliverEveryInnerFrameByteExact) {
  auto r = asic_run(scenario_path("ipsec_payload_real"));
  ASSERT_TRUE(r->loaded) << r->err;
  ASSERT_TRUE(r->balanced) << r->conservation;
  for (const char *f : kFlows) {
    const std::string b = std::string("flow.") + f;
    // every packet delivered in the window was compared (fragments each on their own)
    EXPECT_GT(r->m(b + ".payload_checked"), 0) << f;
    EXPECT_EQ(r->m(b + ".payload_checked"), r->m(b + ".rx_pkts")) << f;
    EXPECT_EQ(r->m(b + ".payload_mismatch"), 0) << f;
  }
  // the IPv4 tunnels pre-fragment the 1518 B frames (tunnel_mtu 1400): fragments were checked
  EXPECT_GT(r->m("sa.r1.v4.out.exceeds_tunnel_mtu_fragmented"), 0);
}

TEST(PayloadReal, CorruptionAfterDecryptionIsCountedOnExactlyThosePackets) {
  const unsigned every = 7;
  setenv("IPSECSIM_TEST_ONLY_CORRUPT_DECRYPTED_EVERY", std::to_string(every).c_str(), 1);
  auto r = asic_run(scenario_path("ipsec_payload_real"));
  unsetenv("IPSECSIM_TEST_ONLY_CORRUPT_DECRYPTED_EVERY");
  ASSERT_TRUE(r->loaded) << r->err;
  ASSERT_TRUE(r->balanced) << r->conservation;
  const asic_world *w = &r->sc.world;
  uint64_t delivered = 0, mismatched = 0, checked = 0, dropped = 0;
  for (uint32_t i = 0; i < w->n_flows; i++) {
    delivered += w->flows[i].tot_recv;
    mismatched += w->flows[i].tot_mismatch;
    checked += w->flows[i].tot_checked;
    for (int d = 0; d < DROP_N; d++) dropped += w->flows[i].tot_drops[d];
  }
  // every stream crosses a tunnel and nothing is lost: each delivered packet was decrypted
  // once, so every `every`-th decryption hit one of them
  ASSERT_EQ(dropped, 0u);
  ASSERT_EQ(checked, delivered);
  EXPECT_EQ(mismatched, delivered / every);
  EXPECT_GT(mismatched, 10u);
}

TEST(PayloadReal, ALeakedBufferBreaksConservation) {
  auto r = asic_run(scenario_path("ipsec_payload_real"));
  ASSERT_TRUE(r->loaded) << r->err;
  ASSERT_TRUE(r->balanced) << r->conservation;
  ASSERT_NE(asic_bytes_alloc(&r->sc.world.bytes), SIM_PAYLOAD_NONE);
  char msg[256];
  EXPECT_FALSE(asic_sim_conservation(&r->sc.world, msg, sizeof msg));
  EXPECT_NE(std::string(msg).find("payload buffers in use 1, packets in flight 0"), std::string::npos) << msg;
}

TEST(PayloadReal, NoneCarriesNoBytesAndChecksNothing) {
  auto r = asic_run(scenario_path("ipsec_payload_real"), {"payload=none"});
  ASSERT_TRUE(r->loaded) << r->err;
  ASSERT_TRUE(r->balanced) << r->conservation;
  for (const char *f : kFlows) {
    EXPECT_EQ(r->m(std::string("flow.") + f + ".payload_checked"), 0) << f;
    EXPECT_EQ(r->m(std::string("flow.") + f + ".payload_mismatch"), 0) << f;
  }
  sim_pkt p{};
  p.payload = 0;
  uint32_t len = 99;
  EXPECT_EQ(asic_pkt_bytes(&r->sc.world, &p, &len), nullptr);
  EXPECT_EQ(len, 0u);
  EXPECT_EQ(r->sc.world.bytes.allocs, 0u);
}

TEST(PayloadReal, PoolReusesBuffersAndRefusesDoubleFree) {
  asic_bytes_pool p;
  ASSERT_TRUE(asic_bytes_pool_init(&p, 100));
  EXPECT_EQ(p.buf_size, 128u);
  uint32_t a = asic_bytes_alloc(&p), b = asic_bytes_alloc(&p);
  EXPECT_NE(a, b);
  EXPECT_TRUE(asic_bytes_release(&p, a));
  EXPECT_FALSE(asic_bytes_release(&p, a));
  EXPECT_FALSE(asic_bytes_release(&p, SIM_PAYLOAD_NONE));
  EXPECT_EQ(asic_bytes_alloc(&p), a); // the free list hands the last freed back first
  for (uint32_t i = 0; i < 2 * ASIC_BYTES_CHUNK; i++) ASSERT_NE(asic_bytes_alloc(&p), SIM_PAYLOAD_NONE);
  EXPECT_EQ(p.n_chunks, 3u);
  EXPECT_EQ(p.in_use, 2u + 2 * ASIC_BYTES_CHUNK);
  asic_bytes_pool_free(&p);
}

}  // namespace
