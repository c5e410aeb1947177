// Engine timing on the C API (issue 11 acceptance): dispatch of three packets offered in one
// cycle, one lane cycle per 16-byte block, saturation ceilings against hand-derived figures
// and the closed form, zero-load latencies in femtoseconds, pin vs spray.
#include <algorithm>

#include "engine_test_util.h"

using namespace enginetest;

namespace {

// 1518-byte clear frame: IP 1500, ESP text P = 1500 + pad 2 + 2 = 1504 (94 blocks), AAD 8
// (1 block): 1 + 94 + 2 = 97 lane cycles + 5 overhead = 102 cycles = 84999966 fs.
TEST(EngineTiming, ThreePacketsInOneCycleTwoStartThirdOnePacketTimeLater) {
  Rec r(defaults(), {out_sa()});
  ASSERT_TRUE(r.e) << r.why;
  for (uint64_t u = 0; u < 3; u++) {
    engine_desc d = enc(0, 1518, u);
    // last byte at 1 ns: first edge at or after it is cycle ceil(1e6 / 833333) = 2
    ASSERT_EQ(engine_offer(r.e, 1000000, &d), ENGINE_OUT_PACKET);
  }
  r.drain();
  ASSERT_EQ(r.out.size(), 3u);
  EXPECT_EQ(r.by_user(0)->start_fs, 1666666u);   // cycle 2, lane 0
  EXPECT_EQ(r.by_user(1)->start_fs, 1666666u);   // cycle 2, lane 1
  EXPECT_EQ(r.by_user(2)->start_fs, 86666632u);  // cycle 2 + 102 = 104, lane 0
  EXPECT_EQ(r.by_user(0)->lane, 0u);
  EXPECT_EQ(r.by_user(1)->lane, 1u);
  EXPECT_EQ(r.by_user(2)->lane, 0u);
  EXPECT_EQ(r.by_user(2)->start_fs - r.by_user(0)->start_fs, 102 * T12);
}

// Zero-load latency, engine level. Encrypt 1518 B offered at 1 ns: dispatch at cycle 2, DESC
// at 2 + 5, tag beat at 2 + 102 - 1 + 20 = 123, last byte out at the end of cycle 123 =
// 124 * 833333 = 103333292 fs; cut-through: first text beat leaves at 2 + 5 + 1 + 1 + 20 = 29.
// Decrypt of a 594-byte clear frame: ESP IP 20 + 8 + 8 + 576 + 2 + 2 + 16 = 632, P = 580
// (37 blocks): 1 + 37 + 2 = 40 + 5 = 45 cycles; tag at 2 + 45 - 1 + 20 = 66, released (store-
// and-forward: first byte = last byte) at 67 * 833333 = 55833311 fs.
TEST(EngineTiming, ZeroLoadLatencyLiterals) {
  const engine_sa in = in_sa();
  Rec r(defaults(), {out_sa(), in});
  ASSERT_TRUE(r.e) << r.why;
  engine_desc e = enc(0, 1518, 1);
  ASSERT_EQ(engine_offer(r.e, 1000000, &e), ENGINE_OUT_PACKET);
  r.drain();
  engine_desc d = dec(in, 1, 594, 1, true, 2);
  EXPECT_EQ(d.ip_bytes, 632u);
  ASSERT_EQ(engine_offer(r.e, 1000000000, &d), ENGINE_OUT_PACKET);  // idle again at 1 us
  r.drain();
  const engine_out *oe = r.by_user(1), *od = r.by_user(2);
  ASSERT_TRUE(oe && od);
  EXPECT_EQ(oe->kind, ENGINE_OUT_PACKET);
  EXPECT_EQ(oe->release_fs - oe->offer_fs, 103333292u - 1000000u);
  EXPECT_EQ(oe->first_out_fs, 24166657u);  // 29 * 833333
  EXPECT_EQ(oe->frame_bytes, 1574u);       // ESP IP 1556 + 18
  // 1 us = cycle 1200.0004 -> edge 1201; tag at 1201 + 64; released at 1266 * 833333
  EXPECT_EQ(od->kind, ENGINE_OUT_PACKET);
  EXPECT_EQ(od->start_fs, 1201u * T12);
  EXPECT_EQ(od->release_fs, 1266u * T12);
  EXPECT_EQ(od->release_fs - od->offer_fs, 1266u * T12 - 1000000000u);
  EXPECT_EQ(od->first_out_fs, od->release_fs);
  EXPECT_EQ(od->frame_bytes, 594u);
}

// IPv6 outer with UDP: the checksum covers the ICV, so encrypt is store-and-forward too.
TEST(EngineTiming, Ipv6UdpEncryptIsStoreAndForward) {
  Rec r(defaults(), {out_sa(6, SA_UDP_NATT)});
  ASSERT_TRUE(r.e) << r.why;
  engine_desc e = enc(0, 1518, 1);
  ASSERT_EQ(engine_offer(r.e, 0, &e), ENGINE_OUT_PACKET);
  r.drain();
  // ESP IP = 40 + 8 + 8 + 8 + 1500 + 2 + 2 + 16 = 1584; P = 1504: 102 cycles, tag at 121
  EXPECT_EQ(r.out[0].ip_bytes, 1584u);
  EXPECT_EQ(r.out[0].release_fs, 122u * T12);
  EXPECT_EQ(r.out[0].first_out_fs, 122u * T12);
}

// Acceptance (a): 1518 -> P 1504 = 94 blocks; 1522 -> IP 1504, P 1504 + 2 + pad 2 = 1508 =
// 95 blocks: exactly one lane cycle more per packet, back to back on one lane.
TEST(EngineTiming, FourBytesAcrossABlockBoundaryCostOneLaneCycle) {
  sim_fs per[2];
  const uint32_t frames[2] = {1518, 1522};
  for (int k = 0; k < 2; k++) {
    engine_params p = defaults();
    p.lanes = 1;
    p.in_queue = 1 << 20;
    Rec r(p, {out_sa()});
    ASSERT_TRUE(r.e) << r.why;
    const double pps = saturated_pps(r, frames[k], 200, 1, [](uint32_t) { return 0u; });
    per[k] = r.packets()[101].release_fs - r.packets()[100].release_fs;
    EXPECT_NEAR(pps, 1e15 / (double)per[k], 1e-6 * pps);
  }
  EXPECT_EQ(per[0], 102u * T12);
  EXPECT_EQ(per[1], 103u * T12);
  EXPECT_EQ(per[1] - per[0], T12);
}

struct Ceiling {
  uint64_t lanes;
  double clock;
  uint64_t overhead;
  double gbps;  // hand-derived: lanes / ((O + 97) * T) * 1594 B * 8
};

// Acceptance (c) at the engine level: lanes x f / (O + n), from the rounded period.
// 2 lanes, 1.2 GHz, 5: 2 / (102 * 833333 fs) = 23.529421 Mpps x 12752 bit = 300.047 Gbit/s;
// 1 lane: 150.024; 3 lanes: 450.071; 0.9 GHz (1111111 fs): 225.035; overhead 10 (107
// cycles): 286.026; 0.9 GHz + 10: 214.520.
TEST(EngineTiming, SaturationMatchesClosedFormAndHandFigures) {
  const Ceiling cases[] = {{2, 1.2e9, 5, 300.047}, {1, 1.2e9, 5, 150.024}, {3, 1.2e9, 5, 450.071},
                           {2, 0.9e9, 5, 225.035}, {2, 1.2e9, 10, 286.026}, {2, 0.9e9, 10, 214.520},
                           {1, 0.9e9, 10, 107.260}, {3, 0.9e9, 10, 321.779}};
  for (const Ceiling &c : cases) {
    engine_params p = defaults();
    p.lanes = c.lanes;
    p.clock = c.clock;
    p.overhead_cycles = c.overhead;
    p.in_queue = 1 << 20;
    const engine_sa sa = out_sa();
    Rec r(p, {sa});
    ASSERT_TRUE(r.e) << r.why;
    const double pps = saturated_pps(r, 1518, 300, (uint32_t)c.lanes, [](uint32_t) { return 0u; });
    const double gbps = pps * 1594 * 8 / 1e9;
    EXPECT_NEAR(gbps, c.gbps, 0.001) << c.lanes << " lanes " << c.clock << " Hz O=" << c.overhead;
    engine_mix_entry m{1500, 4, 1.0, &sa, 0, 0, 0};
    engine_ceiling cf;
    char why[256];
    ASSERT_TRUE(engine_closed_form(&p, &m, 1, &cf, why, sizeof why)) << why;
    EXPECT_NEAR(cf.mpps * 1e6, pps, 1e-9 * pps);
    EXPECT_NEAR(cf.l1_gbps, gbps, 1e-9 * gbps);
    EXPECT_NEAR(cf.clear_l1_gbps, gbps * 1538.0 / 1594.0, 1e-9 * gbps);
    EXPECT_DOUBLE_EQ(cf.cycles_per_datagram, 97.0 + (double)c.overhead);
  }
}

// One elephant SA at 1518 B: spray uses both lanes (300.047 G), pin one (150.024 G). Two SAs
// 0 and 1 pin to lanes 0 and 1 (300.047 G); SAs 0 and 2 share lane 0 (150.024 G).
TEST(EngineTiming, PinVersusSprayElephant) {
  struct Case {
    int dispatch;
    uint32_t sa_a, sa_b;
    double gbps;
  } cases[] = {{ENGINE_SPRAY, 0, 0, 300.047}, {ENGINE_PIN, 0, 0, 150.024},
               {ENGINE_PIN, 0, 1, 300.047}, {ENGINE_PIN, 0, 2, 150.024}};
  for (const Case &c : cases) {
    engine_params p = defaults();
    p.sa_dispatch = c.dispatch;
    p.in_queue = 1 << 20;
    const engine_sa sa = out_sa();
    Rec r(p, {sa, sa, sa});
    ASSERT_TRUE(r.e) << r.why;
    const uint32_t a = c.sa_a, b = c.sa_b;
    const double pps = saturated_pps(r, 1518, 300, 2, [a, b](uint32_t i) { return i % 2 ? b : a; });
    EXPECT_NEAR(pps * 1594 * 8 / 1e9, c.gbps, 0.001) << c.dispatch << " " << a << "/" << b;
    engine_mix_entry m[2] = {{1500, 4, 1.0, &sa, a, 0, 0}, {1500, 4, 1.0, &sa, b, 0, 0}};
    engine_ceiling cf;
    char why[256];
    ASSERT_TRUE(engine_closed_form(&p, m, 2, &cf, why, sizeof why)) << why;
    EXPECT_NEAR(cf.l1_gbps, c.gbps, 0.001);
    if (c.dispatch == ENGINE_PIN) {
      for (auto &o : r.packets()) EXPECT_EQ(o.lane, o.sa % 2);
    }
  }
}

// A mix (simple IMIX 7:4:1 of 64/594/1518) on spray: the measured rate equals the closed form
// (every lane stays busy; the reorder buffer absorbs the size differences).
TEST(EngineTiming, ImixSaturationMatchesClosedForm) {
  engine_params p = defaults();
  p.in_queue = 1 << 22;
  const engine_sa sa = out_sa();
  Rec r(p, {sa});
  ASSERT_TRUE(r.e) << r.why;
  const uint32_t sizes[12] = {64, 594, 64, 1518, 64, 594, 64, 594, 64, 64, 594, 64};
  const uint32_t n = 1200;
  uint64_t wan_bits = 0;
  for (uint32_t i = 0; i < n; i++) {
    engine_desc d = enc(0, sizes[i % 12], i);
    ASSERT_EQ(engine_offer(r.e, 0, &d), ENGINE_OUT_PACKET);
  }
  r.drain();
  auto pk = r.packets();
  ASSERT_EQ(pk.size(), n);
  // between the release of packet 120 and 1080 (80 whole mixes), lanes never idle
  for (uint32_t i = 121; i <= 1080; i++) wan_bits += (pk[i].frame_bytes + 20) * 8ull;
  const double gbps = (double)wan_bits / sim_fs_to_s(pk[1080].release_fs - pk[120].release_fs) / 1e9;
  engine_mix_entry m[3] = {{46, 4, 7, &sa, 0, 0, 0}, {576, 4, 4, &sa, 0, 0, 0}, {1500, 4, 1, &sa, 0, 0, 0}};
  engine_ceiling cf;
  char why[256];
  ASSERT_TRUE(engine_closed_form(&p, m, 3, &cf, why, sizeof why)) << why;
  EXPECT_NEAR(gbps, cf.l1_gbps, 0.002 * cf.l1_gbps);
  // by hand: 64 B -> IP 46, P 48 (3 blocks): 1+3+2+5 = 11 cycles, ESP frame 118;
  // 594 -> 45 cycles, frame 650; 1518 -> 102, frame 1574. Mean cycles (7*11+4*45+102)/12 =
  // 359/12; Gbit/s = 2 / (359/12 * T) * (7*138+4*670+1594)/12 * 8 = 2*12/(359*T) * 5240/12 * 8
  EXPECT_NEAR(cf.l1_gbps, 2.0 / (359.0 * 833333e-15) * 5240.0 * 8 / 1e9, 1e-9);
  EXPECT_EQ(r.max_outstanding <= p.reorder_depth, true);
}

}  // namespace
