// The engine binds by its own arithmetic inside the ASIC (issue 11 section 2): four 100GE
// clear streams into four tunnels anchored on one slice saturate its engine; the measured WAN
// rate meets the hand-derived closed form, the engine owns the drops; same seed, same report;
// set-up errors name their field.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "engine_asic_util.h"

namespace {
// streams s0..s3 enter et-0/0/4..7 (PG1 of slice 0) toward 10.2.i.1, via tunnel vpn-i (anchor
// slice 0); the ESP leaves on the same ports' transmit side (remote gateway 17.0.0.i)
struct Saturated : IpsecWorld {
  explicit Saturated(uint64_t lanes) : IpsecWorld(1) {
    params(0).engine.lanes = lanes;
    for (uint32_t i = 0; i < 4; i++) {
      char name[16], local[32], remote[32], prefix[32], gw[32], port_name[16];
      snprintf(name, sizeof name, "vpn-%u", i);
      snprintf(local, sizeof local, "16.0.0.%u", i + 1);
      snprintf(remote, sizeof remote, "17.0.0.%u", i + 1);
      snprintf(prefix, sizeof prefix, "10.2.%u.0/24", i);
      snprintf(gw, sizeof gw, "17.0.0.%u/32", i + 1);
      snprintf(port_name, sizeof port_name, "et-0/0/%u", 4 + i);
      uint32_t t = tunnel(0, name, 0, local, remote, 0x100 + i, 0x200 + i);
      route(0, prefix, SLICE_NH_TUNNEL(t));
      route(0, gw, (int32_t)port(0, port_name));
      snprintf(prefix, sizeof prefix, "10.2.%u.1", i);
      snprintf(name, sizeof name, "s%u", i);
      stream(name, port(0, port_name), prefix, 1518, 100);
    }
  }
};

std::string json_of(const asic_world *w) {
  char *buf = nullptr;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  stats_write_json(w->stats, nullptr, fp);
  fclose(fp);
  std::string s(buf, len);
  free(buf);
  return s;
}
}  // namespace

// Closed form at 1518 B (1500 B IP): P = 1500 + 2 pad + 2 = 1504 -> 94 blocks, A = 8 -> 1
// block; lane cycles 1 + 94 + 2 + 5 overhead = 102; period 833333 fs (1.2 GHz rounded);
// lanes / (102 x 833333 fs) packets/s; ESP IP 20 + 8 + 8 + 1504 + 16 = 1556 -> 1574 B frame
// + 20 = 1594 B on the WAN side: 2 lanes 300.00 Gbit/s, 1 lane 150.00.
class EngineSaturation : public ::testing::TestWithParam<uint64_t> {};

TEST_P(EngineSaturation, EngineOwnsTheCeilingAndTheDrops) {
  const uint64_t lanes = GetParam();
  Saturated x(lanes);
  ASSERT_TRUE(x.start()) << x.err;
  ASSERT_TRUE(x.run()) << x.err;
  const double pps = (double)lanes / (102 * 833333e-15);
  EXPECT_NEAR(x.m("r0.asic0.slice0.engine.mpps"), pps / 1e6, pps / 1e6 * 0.01);
  EXPECT_NEAR(x.m("r0.asic0.slice0.engine.l1_gbps"), pps * 1594 * 8 / 1e9, pps * 1594 * 8 / 1e9 * 0.01);
  EXPECT_GE(x.m("r0.asic0.slice0.engine.util"), 0.99);
  // the losses are the engine's (its input full, or PG0.out held by its credits)
  double drops = 0, engine_drops = 0;
  for (uint32_t i = 0; i < 4; i++) {
    char n[64];
    snprintf(n, sizeof n, "flow.s%u.drops.total", i);
    drops += x.m(n);
    snprintf(n, sizeof n, "flow.s%u.drops.engine_queue_full", i);
    engine_drops += x.m(n);
  }
  EXPECT_GT(drops, 0);
  EXPECT_EQ(engine_drops, drops);
  EXPECT_GT(x.m("r0.asic0.slice0.engine.drops.engine_queue_full"), 0);
  EXPECT_LT(x.m("r0.asic0.slice0.pg0.out.util"), 1.0);
  EXPECT_EQ(x.m("r0.asic0.slice0.engine.decrypt_pkts"), 0);
}

INSTANTIATE_TEST_SUITE_P(Lanes, EngineSaturation, ::testing::Values(2u, 1u));

TEST(EngineAsicDeterminism, SameSeedSameReport) {
  std::string a, b;
  for (std::string *out : {&a, &b}) {
    Saturated x(2);
    ASSERT_TRUE(x.start()) << x.err;
    ASSERT_TRUE(x.run()) << x.err;
    *out = json_of(x.w);
  }
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("vpn-3"), std::string::npos);
}

TEST(EngineAsicErrors, EngineParamsCheckNamesTheField) {
  IpsecWorld x(1);
  x.params(0).engine.out_fifo_depth = 64;  // 1 KiB per lane: a 9000-byte packet does not fit
  x.tunnel(0, "vpn", 0, "16.1.1.1", "16.1.1.2", 0x100, 0x200, 9000);
  EXPECT_FALSE(x.start());
  EXPECT_EQ(x.err.rfind("test.yaml:10:5: engine.out_fifo_depth: 64 beats cannot hold the ", 0), 0u) << x.err;
}

TEST(EngineAsicErrors, DuplicateInboundSpiOnOneGateway) {
  IpsecWorld x(1);
  x.tunnel(0, "a", 0, "16.1.1.1", "16.1.1.2", 0x100, 0x200);
  x.tunnel(0, "b", 1, "16.1.1.1", "16.1.1.3", 0x101, 0x200);
  EXPECT_FALSE(x.start());
  EXPECT_EQ(x.err, "test.yaml:11:5: ipsec.tunnels[].spi_in: 0x00000200 of tunnel b is already the inbound SPI of "
                   "another tunnel on gateway 16.1.1.1 (allowed: one inbound SA per gateway and SPI)");
}

TEST(EngineAsicErrors, AnchorOnAnotherRouter) {
  IpsecWorld x(2);
  x.tunnel(0, "a", x.w->routers[1].first_asic_slice, "16.1.1.1", "16.1.1.2", 0x100, 0x200);
  EXPECT_FALSE(x.start());
  EXPECT_EQ(x.err, "test.yaml:10:5: ipsec.tunnels[].anchor: si-0/0/0 is not a slice of router r0");
}
