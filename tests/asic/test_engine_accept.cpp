// Issue 11 acceptance: the engine binds by its own arithmetic, not a rate cap. Runs of
// scenarios/ipsec_engine_1518.yaml (two tunnels on si-0/0/0, 4 x 80 Gbit/s of clear frames,
// encrypt + decrypt, ports on PG1 of slice 0) with one parameter changed at a time; every
// expected figure is worked by hand in the comments (lane cycles = 5 overhead + ceil(A/16) +
// ceil(P/16) + 2, period 1e15 / clock rounded to whole fs).
#include <gtest/gtest.h>

#include <cmath>

#include "asic_test_util.h"

namespace {
const char *kEng = "r0.asic0.slice0.engine";

std::string m(const char *suffix) { return std::string(kEng) + "." + suffix; }

std::unique_ptr<AsicRun> run_1518(std::vector<std::string> sets) {
  auto r = asic_run(scenario_path("ipsec_engine_1518"), sets);
  EXPECT_TRUE(r->loaded) << r->err;
  EXPECT_TRUE(r->balanced) << r->conservation;
  return r;
}

// (a) 1518 B and 1522 B clear frames: L = 1500 / 1504, pad 2 / 2, lane text P = 1504 / 1508 B
// = 94 / 95 blocks (1504 is a multiple of 16, 1508 is not): 102 / 103 lane cycles, one more
// cycle per packet. Saturated, each lane completes one packet per (cycles x 833333 fs), so
// lanes / measured rate differs by exactly 833333 fs between the two (1 ms window: 23529 /
// 23301 packets, a count error of one packet moves the difference by under 4000 fs).
TEST(EngineAccept, FourBytesAcrossABlockBoundaryCostOneLaneCycle) {
  auto a = run_1518({"phases.measure=1ms"});
  auto b = run_1518({"phases.measure=1ms", "traffic.frame=1522B"});
  const double per_pkt_a = 2.0 / (a->m(m("mpps")) * 1e6) * 1e15;  // fs per packet per lane
  const double per_pkt_b = 2.0 / (b->m(m("mpps")) * 1e6) * 1e15;
  EXPECT_NEAR(per_pkt_a, 102.0 * 833333, 8333);  // 85 us / 1e3 ... 84999966 fs
  EXPECT_NEAR(per_pkt_b - per_pkt_a, 833333.0, 8333.0);  // one lane cycle, within 1 %
  EXPECT_GE(a->m(m("util")), 0.99);
  EXPECT_GE(b->m(m("util")), 0.99);
}

// (c) The owning parameter moves the measured ceiling to the closed form; nothing else moves.
//   lanes 1:          1 / (102 x 833333 fs) = 11.7647 Mpps = x 1594 x 8 = 150.02 G WAN L1
//   clock 0.9 GHz:    period 1111111 fs: 2 / (102 x 1111111 fs) = 17.6471 Mpps = 225.04 G
//   overhead 10:      107 cycles: 2 / (107 x 833333 fs) = 22.4299 Mpps = 286.03 G
// The PG1 and slice 0 closed forms do not depend on the engine (the same in every run), and
// the engine owns every drop (engine_queue_full; none at PG1, slice.in, PG0.out).
TEST(EngineAccept, LanesClockOverheadMoveTheCeilingToTheClosedForm) {
  struct Case { const char *set; double mpps, gbps; } cases[] = {
      {"engine.lanes=1", 11.7647, 150.02}, {"engine.clock=0.9GHz", 17.6471, 225.04},
      {"engine.overhead_cycles=10", 22.4299, 286.03}, {"engine.lanes=2", 23.5294, 300.05}};
  auto base = run_1518({});
  for (const Case &k : cases) {
    auto r = run_1518({k.set});
    SCOPED_TRACE(k.set);
    EXPECT_NEAR(r->m(m("mpps")), k.mpps, k.mpps * 0.01);
    EXPECT_NEAR(r->m(m("l1_gbps")), k.gbps, k.gbps * 0.01);
    EXPECT_NEAR(r->m("analytic." + m("ceiling_l1_gbps")), k.gbps, 0.01);
    EXPECT_NEAR(r->m(m("l1_gbps")), r->m("analytic." + m("ceiling_l1_gbps")), k.gbps * 0.01);
    EXPECT_GE(r->m(m("util")), 0.99);
    EXPECT_GT(r->m(m("drops.engine_queue_full")), 0);
    for (const char *res : {"r0.asic0.slice0.pg1.in", "r0.asic0.slice0.in", "r0.asic0.slice0.pg0.out"})
      EXPECT_EQ(r->m(std::string("analytic.") + res + ".ceiling_mpps"), base->m(std::string("analytic.") + res + ".ceiling_mpps")) << res;
    EXPECT_EQ(r->m("r0.asic0.slice0.pg1.in.drops.pg_in_queue_full"), 0);
    EXPECT_EQ(r->m("r0.asic0.slice0.in.drops.slice_in_queue_full"), 0);
    EXPECT_EQ(r->m("r0.asic0.slice0.pg0.out.drops.pg_out_queue_full"), 0);
  }
}
}  // namespace

namespace {
// Lowering the port groups' bandwidth to 250 Gbit/s makes PG0 (the engine's attachment) the
// owner instead: LAN ports on PG1 of slice 0 (160 G in, < 250), WAN ports on PG1 of slice 1
// (2 x 80 x 1594 / 1538 = 165.8 G of ESP in, < 250), so only PG0 of slice 0 carries more than
// 250 G: into the engine 160 G clear + 165.8 G ESP offered. PG0.out then carries
// 250e9 / (8 x (1538 + 1594) / 2) = 19.955 M datagrams/s, the engine 19.955 / 23.529 = 0.848
// of its lanes, 19.955e6 x 1594 x 8 = 254.5 G WAN L1.
const char kPg0Owner[] =
    "version: 1\nplatform: {preset: MX304, lmics: 1, port_mode: 16x100GE}\n"
    "params: {portgroup: {pg_bw: 250Gbps}}\n"
    "interfaces:\n"
    "  - {name: et-0/0/4, address: 10.0.4.1/24}\n  - {name: et-0/0/5, address: 10.0.5.1/24}\n"
    "  - {name: et-0/0/14, address: 16.1.1.2/24}\n  - {name: et-0/0/15, address: 16.1.2.2/24}\n"
    "ipsec:\n  tunnels:\n"
    "    - {name: vpn_a, anchor: si-0/0/0, bind: st0.1, local: 16.1.1.2, remote: 16.1.1.1, algorithm: aes-256-gcm, key: auto, prefix: 20.1.0.0/24}\n"
    "    - {name: vpn_b, anchor: si-0/0/0, bind: st0.2, local: 16.1.2.2, remote: 16.1.2.1, algorithm: aes-256-gcm, key: auto, prefix: 20.2.0.0/24}\n"
    "traffic:\n"
    "  - {name: enc_a, port: et-0/0/4, rate: 80Gbps, frame: 1518B, dst: 20.1.0.5}\n"
    "  - {name: enc_b, port: et-0/0/5, rate: 80Gbps, frame: 1518B, dst: 20.2.0.5}\n"
    "  - {name: dec_a, port: et-0/0/14, rate: 80Gbps, frame: 1518B, dst: 10.0.5.9, esp_of: vpn_a}\n"
    "  - {name: dec_b, port: et-0/0/15, rate: 80Gbps, frame: 1518B, dst: 10.0.4.9, esp_of: vpn_b}\n"
    "phases: {warmup: 20us, measure: 200us}\n";

TEST(EngineAccept, LowerPortGroupBandwidthMakesPg0TheOwner) {
  auto r = asic_run(write_temp_yaml("pg0own", kPg0Owner));
  ASSERT_TRUE(r->loaded) << r->err;
  EXPECT_TRUE(r->balanced) << r->conservation;
  EXPECT_GE(r->m("r0.asic0.slice0.pg0.out.util"), 0.99);
  EXPECT_NEAR(r->m(m("util")), 0.848, 0.02);
  EXPECT_NEAR(r->m(m("l1_gbps")), 254.5, 254.5 * 0.02);
  EXPECT_LT(r->m(m("l1_gbps")), r->m("analytic." + m("ceiling_l1_gbps")) * 0.9);
  EXPECT_EQ(r->m("r0.asic0.slice0.pg1.in.drops.pg_in_queue_full"), 0);
  EXPECT_EQ(r->m("r0.asic0.slice1.pg1.in.drops.pg_in_queue_full"), 0);
}

// The run above binds at PG0.out (util 1, the engine at 0.85): its drops are PG0's
// pg_out_queue_full (PG0.out, not the engine, holds most of the engine's input credits when
// they run out: pg_attach.h), none the engine's.
TEST(EngineAccept, Pg0OwnsTheDropsWhenItBinds) {
  auto r = asic_run(write_temp_yaml("pg0own2", kPg0Owner));
  ASSERT_TRUE(r->loaded) << r->err;
  EXPECT_EQ(r->m(m("drops.engine_queue_full")), 0);
  EXPECT_GT(r->m("r0.asic0.slice0.pg0.out.drops.pg_out_queue_full"), 0);
}

// 24.2R1: only PFE 0 of each ASIC hosts SAs (assumed PFE 0; DESIGN release matrix): an anchor
// on si-0/0/2 (slice 1) is refused at load with one line naming file, line and field.
TEST(EngineAccept, Release242RefusesAPfe1Anchor) {
  std::string y = kPg0Owner;
  y.replace(y.find("lmics: 1,"), 9, "lmics: 1, release: 24.2R1,");
  y.replace(y.find("anchor: si-0/0/0, bind: st0.2"), 16, "anchor: si-0/0/2");
  const std::string path = write_temp_yaml("rel242", y);
  auto r = asic_run(path, {}, false);
  ASSERT_FALSE(r->loaded);
  EXPECT_EQ(r->err.rfind(path + ":12:29: ipsec.tunnels[].anchor: si-0/0/2 anchors on PFE 1 (slice 1), which 24.2R1 cannot host", 0), 0u)
      << r->err;
  EXPECT_EQ(r->err.find('\n'), std::string::npos) << r->err;
}
}  // namespace

namespace {
// Zero-load latency (LIFO: last bit in at the ingress port -> first bit out at the egress
// port), one packet alone in the world, every hop written out (defaults: PG 400G and slice
// 800G on frame + 20 B, lookup 1280 cycles x 833333 fs, engine clock 833333 fs, 2 lanes,
// overhead 5; the engine takes a packet at the first clock edge at or after its last byte
// left PG0.out and returns it into PG0.in when its last byte has left: the tag beat pops in
// cycle p = s + 5 + 97 - 1 + 20 and the last byte is out at (p + 1) x 833333 fs).
//
// Encrypt: a 1518 B clear frame from et-0/0/4 (PG1), routed via st0.1, its ESP (1574 B) out
// of et-0/0/6 (PG1). The source starts at 0: the last bit is in at 1526 B x 8 / 100G =
//   122080000 fs
//   PG1.in 1538 B x 8 / 400e9 = 30760000, slice.in 15380000, lookup 1280 x 833333 =
//   1066666240, slice.out 15380000, PG0.out 30760000: at the engine 1281026240 fs
//   dispatch cycle ceil(1281026240 / 833333) = 1538 (1537 x 833333 = 1280832821 is earlier)
//   tag pops in 1538 + 5 + 96 + 20 = 1659; last byte out at 1660 x 833333 = 1383332780
//   PG0.in 1594 B x 8 / 400e9 = 31880000, slice.in 15940000, second lookup 1066666240,
//   slice.out 15940000, PG1.out 31880000: first bit out at 2545639020 fs
//   LIFO = 2545639020 - 122080000 = 2423559020 fs
// Decrypt: an esp_of stream on et-0/0/6: its 1574 B ESP frames (for 1518 B inner frames) to
// the local gateway, the 1518 B inner frame out of et-0/0/5 (PG1). Last bit in at 1582 B x 8
// / 100G = 126560000 fs
//   PG1.in 31880000, slice.in 15940000, lookup 1066666240, slice.out 15940000, PG0.out
//   31880000: at the engine 1288866240 fs; dispatch cycle ceil(... / 833333) = 1547
//   (1546 x 833333 = 1288332818 is earlier); tag pops in 1547 + 120 = 1668 (decrypt is
//   store-and-forward: nothing leaves before the ICV is checked, the last byte at)
//   1669 x 833333 = 1390832777
//   PG0.in 30760000, slice.in 15380000, second lookup (inner destination) 1066666240,
//   slice.out 15380000, PG1.out 30760000: first bit out at 2549779017 fs
//   LIFO = 2549779017 - 126560000 = 2423219017 fs
std::string one_packet(const char *stream) {
  return std::string(
             "version: 1\nplatform: {preset: MX304, lmics: 1, port_mode: 16x100GE}\n"
             "interfaces:\n"
             "  - {name: et-0/0/4, address: 10.0.4.1/24}\n  - {name: et-0/0/5, address: 10.0.5.1/24}\n"
             "  - {name: et-0/0/6, address: 16.1.1.2/24}\n"
             "ipsec:\n  tunnels:\n"
             "    - {name: vpn_a, anchor: si-0/0/0, bind: st0.1, local: 16.1.1.2, remote: 16.1.1.1, algorithm: aes-256-gcm, key: auto, prefix: 20.1.0.0/24}\n"
             "traffic:\n  - ") +
         stream + "\nphases: {warmup: 0us, measure: 10us}\n";
}

TEST(EngineAccept, ZeroLoadLatencyEncrypt) {
  auto r = asic_run(write_temp_yaml("zl_enc", one_packet("{name: z, port: et-0/0/4, rate: 1%, frame: 1518B, dst: 20.1.0.5}")));
  ASSERT_TRUE(r->loaded) << r->err;
  ASSERT_EQ(r->m("flow.z.latency_lifo.count"), 1);
  EXPECT_EQ((sim_fs)r->m("flow.z.latency_lifo.min"), (sim_fs)2423559020ull);
  EXPECT_EQ((sim_fs)r->m("analytic.flow.z.zero_load_lifo_fs"), (sim_fs)2423559020ull);  // the closed form agrees
  EXPECT_EQ((sim_fs)r->m("flow.z.latency_fifo.min"), (sim_fs)(2423559020ull + 122080000ull));
  EXPECT_EQ(r->m(m("encrypt_pkts")), 1);
}

TEST(EngineAccept, ZeroLoadLatencyDecrypt) {
  auto r = asic_run(write_temp_yaml(
      "zl_dec", one_packet("{name: z, port: et-0/0/6, rate: 1%, frame: 1518B, dst: 10.0.5.9, esp_of: vpn_a}")));
  ASSERT_TRUE(r->loaded) << r->err;
  ASSERT_EQ(r->m("flow.z.latency_lifo.count"), 1);
  EXPECT_EQ((sim_fs)r->m("flow.z.latency_lifo.min"), (sim_fs)2423219017ull);
  EXPECT_EQ((sim_fs)r->m("analytic.flow.z.zero_load_lifo_fs"), (sim_fs)2423219017ull);
  EXPECT_EQ((sim_fs)r->m("flow.z.latency_fifo.min"), (sim_fs)(2423219017ull + 126560000ull));
  EXPECT_EQ(r->m(m("decrypt_pkts")), 1);
}
}  // namespace
