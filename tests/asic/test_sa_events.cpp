// SAs coming and going under traffic (issue 13, asic_events.h) and the host path's policer
// (pfe/host_policer.h): make-before-break rekey under load loses nothing and splits the packets
// between the old and the new SA pair at the event time (closed form from the rates, the event
// time and the zero-load path to the lookup, within one packet per stream); a delete without a
// replacement counts every later packet under no_sa / sa_deleted; the policer passes
// burst + rate x time; the loader's refusals with their exact one-line messages. The events
// run in both payload modes: with payload real (asic_ipsec_bytes.c) every generation is an SA
// of its router's database with its own SPI and key, the bytes are transformed on the SA the
// lookup bound, and the split, the drops and the counters are the descriptor run's.
#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <cstring>

#include "asic_test_util.h"

extern "C" {
#include "asic/asic_events.h"
#include "asic/asic_ipsec_bytes.h"
#include "asic/asic_ipsec_rt.h"
}

namespace {
// scenarios/ipsec_rekey.yaml's world with `events:` replaced (the event block is line 16 on)
std::string world(const std::string &events, const std::string &extra_params = "", const std::string &payload = "none") {
  return "version: 1\n"
         "platform: {preset: MX304, lmics: 1, port_mode: 16x100GE, release: 24.4R1}\n"
         "params:\n"
         "  engine: {clock: 0.85GHz}\n" +
         extra_params +
         "interfaces:\n"
         "  - {name: et-0/0/4, address: 10.0.4.1/24}\n"
         "  - {name: et-0/0/6, address: 16.1.1.2/24}\n"
         "  - {name: et-0/0/7, address: 16.2.1.2/24}\n"
         "routes:\n"
         "  - {prefix: 16.1.1.1/32, via: et-0/0/7}\n"
         "ipsec:\n"
         "  tunnels:\n"
         "    - {name: vpn_a, anchor: si-0/0/0, bind: st0.1, local: 16.1.1.2, remote: 16.1.1.1, prefix: 20.1.0.0/24}\n"
         "traffic:\n"
         "  - {name: enc, port: et-0/0/4, rate: 95Gbps, frame: 1518B, dst: 20.1.0.5}\n"
         "  - {name: dec, port: et-0/0/6, rate: 100Gbps, frame: 1518B, dst: 10.0.4.9, esp_of: vpn_a}\n"
         "phases: {warmup: 0us, measure: 200us}\n" +
         events + (events.empty() || events.back() == '\n' ? "" : "\n") + "payload: " + payload + "\n";
}
const char *const kModes[] = {"none", "real"};

const sim_fs kT = 100 * SIM_FS_PER_US, kEnd = 200 * SIM_FS_PER_US;
// CBR spacing of each stream (its L1 frame at its rate) and the zero-load time from a
// packet's first bit to its lookup's completion: preamble + frame at the 100G port, PG.in
// (400G) and slice.in (800G) on frame + 20 B, 1280 lookup cycles at 1.2 GHz (test_latency).
const sim_fs kPenc = sim_ser_fs(1538, 95000000000ull), kPdec = sim_ser_fs(1594, 100000000000ull);
sim_fs to_lookup(uint32_t frame) {
  return sim_ser_fs(frame + 8, 100000000000ull) + sim_ser_fs(frame + 20, 400000000000ull) +
         sim_ser_fs(frame + 20, 800000000000ull) + 1280ull * 833333ull;
}
// packets k >= 0 sent at k x P with k x P + d < t
uint64_t before(sim_fs t, sim_fs d, sim_fs p) { return t <= d ? 0 : (t - d + p - 1) / p; }

// Loads, opens the engines' window to the whole run (the SA counters then count every packet,
// also those released after the sources stop), runs with the C driver, publishes.
std::unique_ptr<AsicRun> run_all(const std::string &name, const std::string &yaml) {
  auto r = asic_run(write_temp_yaml(name, yaml), {}, false);
  if (!r->loaded) return r;
  asic_world *w = &r->sc.world;
  for (uint32_t s = 0; s < w->n_slices; s++)
    if (w->ipsec->eng[s]) engine_pg_set_window(w->ipsec->eng[s], 0, SIM_FS_NEVER);
  asic_sim_run_c(w);
  char msg[256];
  r->balanced = asic_sim_conservation(w, msg, sizeof msg);
  r->conservation = msg;
  asic_report_publish(&r->sc);
  return r;
}
std::string ctr(const char *pre, ipsec_ctr c) { return std::string(pre) + "." + ipsec_ctr_name(c); }

// payload real: no flow's frames differ from those sent, and every frame of the flows delivered
// in the clear was checked (window counters); a flow leaving as ESP (enc) has nothing to check
void expect_bytes_exact(const AsicRun &r, const std::vector<std::string> &clear) {
  const asic_world *w = &r.sc.world;
  for (uint32_t f = 0; f < w->n_flows; f++) {
    const std::string b = std::string("flow.") + w->flows[f].name;
    EXPECT_EQ(r.m(b + ".payload_mismatch"), 0) << b;
    const bool c = std::find(clear.begin(), clear.end(), w->flows[f].name) != clear.end();
    EXPECT_EQ(r.m(b + ".payload_checked"), c ? r.m(b + ".rx_pkts") : 0) << b;
    if (c) {
      EXPECT_GT(r.m(b + ".payload_checked"), 0) << b;
    }
  }
}
// The byte path's own counter c of SA pair i (stats index), outbound or inbound.
double bytes_ctr(const AsicRun &r, uint32_t i, bool inbound, ipsec_ctr c) {
  const sa *s = asic_ipsec_bytes_sa(&r.sc.world, i, inbound);
  return s ? (double)*s->ctr.v[c] : -1;
}
}  // namespace

TEST(SaEvents, MakeBeforeBreakRekeyUnderLoadLosesNothingAndSplitsAtTheEvent) {
  for (const char *mode : kModes) {
    SCOPED_TRACE(std::string("payload ") + mode);
    auto r = run_all(std::string("ev_rekey_") + mode,
                     world("events:\n  - {at: 100us, action: rekey, tunnel: vpn_a, grace: 20us}\n", "", mode));
    ASSERT_TRUE(r->loaded) << r->err;
    ASSERT_TRUE(r->balanced) << r->conservation;
    const asic_world *w = &r->sc.world;
    const asic_flow &enc = w->flows[0], &dec = w->flows[1];
    // near the engine's ceiling: 15.563 of 16.667 Mpps (scenarios/ipsec_rekey.yaml checks util)
    // 0 packets lost, both directions
    EXPECT_EQ(enc.tot_sent, (kEnd + kPenc - 1) / kPenc);
    EXPECT_EQ(dec.tot_sent, (kEnd + kPdec - 1) / kPdec);
    EXPECT_EQ(enc.tot_recv, enc.tot_sent);
    EXPECT_EQ(dec.tot_recv, dec.tot_sent);
    // outbound: bound at the lookup; old SA for lookups before T
    const uint64_t old_out = before(kT, to_lookup(1518), kPenc);
    const double o0 = r->m(ctr("sa.r0.vpn_a.out", IPSEC_CTR_ENC_PKTS)),
                 o1 = r->m(ctr("sa.r0.vpn_a.g1.out", IPSEC_CTR_ENC_PKTS));
    EXPECT_NEAR(o0, (double)old_out, 1);
    EXPECT_NEAR(o1, (double)(enc.tot_sent - old_out), 1);
    EXPECT_EQ(o0 + o1, (double)enc.tot_sent);
    // inbound: the peer moves to the new SA at T (send time); the old inbound SA outlives it by
    // the grace, so every packet the peer sent on it decrypts
    const uint64_t old_in = before(kT, 0, kPdec);
    const double i0 = r->m(ctr("sa.r0.vpn_a.in", IPSEC_CTR_DEC_PKTS)),
                 i1 = r->m(ctr("sa.r0.vpn_a.g1.in", IPSEC_CTR_DEC_PKTS));
    EXPECT_NEAR(i0, (double)old_in, 1);
    EXPECT_NEAR(i1, (double)(dec.tot_sent - old_in), 1);
    EXPECT_EQ(i0 + i1, (double)dec.tot_sent);
    // fresh SA state: the new inbound SA's replay window starts empty (no replay drop) and the
    // new outbound SA numbers from 1 (its last number = its packets)
    EXPECT_EQ(r->m(ctr("sa.r0.vpn_a.g1.in", IPSEC_CTR_REPLAY)), 0);
    const engine *e = engine_pg_engine(w->ipsec->eng[0]);
    EXPECT_EQ((double)engine_sa_next_seq(e, w->ipsec->gen_out_sa[1]), o1);
    EXPECT_EQ((double)engine_sa_next_seq(e, w->ipsec->gen_out_sa[0]), o0);
    // the new SAs were installed at T (not cached before: the key setup is charged then)
    EXPECT_TRUE(engine_sa_cached(e, w->ipsec->gen_out_sa[1]));
    EXPECT_EQ(r->m("r0.asic0.slice0.engine.sa_cache_misses"), 0);
    if (std::string(mode) == "none") {
      EXPECT_EQ(asic_ipsec_bytes_sa(w, 0, false), nullptr);
      continue;
    }
    // payload real: the real ESP code encrypted and decrypted every packet on the SA of the
    // generation the lookup bound (its own SPI and key: the peer's g1 packets decrypt only with
    // g1's key), and the clear frames the sink got are those sent
    const uint32_t g1 = w->ipsec->gen_stats[1];
    EXPECT_EQ(bytes_ctr(*r, 0, false, IPSEC_CTR_ENC_PKTS), o0);
    EXPECT_EQ(bytes_ctr(*r, g1, false, IPSEC_CTR_ENC_PKTS), o1);
    EXPECT_EQ(bytes_ctr(*r, 0, true, IPSEC_CTR_DEC_PKTS), i0);
    EXPECT_EQ(bytes_ctr(*r, g1, true, IPSEC_CTR_DEC_PKTS), i1);
    EXPECT_NE(asic_ipsec_bytes_sa(w, g1, true)->cfg.spi, asic_ipsec_bytes_sa(w, 0, true)->cfg.spi);
    EXPECT_NE(memcmp(asic_ipsec_bytes_sa(w, g1, true)->cfg.key, asic_ipsec_bytes_sa(w, 0, true)->cfg.key, 32), 0);
    // sequence numbers per generation from 1: the last one sent is the generation's packets
    EXPECT_EQ((double)asic_ipsec_bytes_sa(w, g1, false)->seq, o1);
    EXPECT_EQ((double)asic_ipsec_bytes_sa(w, 0, false)->seq, o0);
    expect_bytes_exact(*r, {"dec"});
  }
}

TEST(SaEvents, DeleteWithoutReplacementCountsEveryLaterPacket) {
  for (const char *mode : kModes) {
    SCOPED_TRACE(std::string("payload ") + mode);
    auto r = run_all(std::string("ev_del_") + mode,
                     world("events:\n  - {at: 100us, action: delete, tunnel: vpn_a}\n", "", mode));
    ASSERT_TRUE(r->loaded) << r->err;
    ASSERT_TRUE(r->balanced) << r->conservation;
    const asic_world *w = &r->sc.world;
    const asic_flow &enc = w->flows[0], &dec = w->flows[1];
    // outbound: lookups completing from T on find no SA
    const uint64_t enc_ok = before(kT, to_lookup(1518), kPenc);
    EXPECT_NEAR((double)enc.tot_drops[DROP_NO_SA], (double)(enc.tot_sent - enc_ok), 1);
    // inbound: the peer keeps sending on the deleted SPI: sa_deleted (not unknown_spi)
    const uint64_t dec_ok = before(kT, to_lookup(1574), kPdec);
    EXPECT_NEAR((double)dec.tot_drops[DROP_SA_DELETED], (double)(dec.tot_sent - dec_ok), 1);
    EXPECT_EQ(dec.tot_drops[DROP_UNKNOWN_SPI], 0u);
    // nothing else lost: every packet delivered or counted under its reason
    EXPECT_EQ(enc.tot_recv + enc.tot_drops[DROP_NO_SA], enc.tot_sent);
    EXPECT_EQ(dec.tot_recv + dec.tot_drops[DROP_SA_DELETED], dec.tot_sent);
    // the same counts by router and slice (window = the whole run here: warmup 0; the flows'
    // window counters count at the lookup like the slice's)
    EXPECT_EQ(r->m("r0.asic0.slice0.lookup.drops.no_sa"), r->m("flow.enc.drops.no_sa"));
    EXPECT_EQ(r->m("r0.asic0.slice0.lookup.drops.sa_deleted"), r->m("flow.dec.drops.sa_deleted"));
    EXPECT_EQ(r->m("ipsec.r0.no_sa"), r->m("flow.enc.drops.no_sa"));
    EXPECT_EQ(r->m("ipsec.r0.sa_deleted"), r->m("flow.dec.drops.sa_deleted"));
    EXPECT_EQ(r->m("ipsec.r0.bad_headers"), r->m("flow.dec.drops.sa_deleted"));
    if (std::string(mode) == "real") {  // the deleted SA decrypted nothing after the delete
      EXPECT_EQ(bytes_ctr(*r, 0, true, IPSEC_CTR_DEC_PKTS), (double)dec.tot_recv);
      EXPECT_EQ(bytes_ctr(*r, 0, false, IPSEC_CTR_ENC_PKTS), (double)enc.tot_recv);
      expect_bytes_exact(*r, {"dec"});
    }
  }
}

TEST(SaEvents, InstallLaterThenTrafficFlowsFromTheInstall) {
  for (const char *mode : kModes) {
    SCOPED_TRACE(std::string("payload ") + mode);
    std::string y = world("events:\n  - {at: 50us, action: install, tunnel: vpn_a}\n", "", mode);
    const std::string decl = "prefix: 20.1.0.0/24}";
    y.replace(y.find(decl), decl.size(), "prefix: 20.1.0.0/24, installed: false}");
    auto r = run_all(std::string("ev_inst_") + mode, y);
    ASSERT_TRUE(r->loaded) << r->err;
    ASSERT_TRUE(r->balanced) << r->conservation;
    const asic_flow &enc = r->sc.world.flows[0], &dec = r->sc.world.flows[1];
    const uint64_t t = 50 * SIM_FS_PER_US;
    EXPECT_NEAR((double)enc.tot_drops[DROP_NO_SA], (double)before(t, to_lookup(1518), kPenc), 1);
    // before the install the peer's SPI is unknown on this gateway (never known yet)
    EXPECT_NEAR((double)dec.tot_drops[DROP_UNKNOWN_SPI], (double)before(t, to_lookup(1574), kPdec), 1);
    EXPECT_EQ(enc.tot_recv + enc.tot_drops[DROP_NO_SA], enc.tot_sent);
    EXPECT_EQ(dec.tot_recv + dec.tot_drops[DROP_UNKNOWN_SPI], dec.tot_sent);
    if (std::string(mode) == "real") expect_bytes_exact(*r, {"dec"});
  }
}

TEST(SaEvents, HostPolicerPassesBurstPlusRateTimesTime) {
  // 64 B non-ESP packets to the local gateway at 10 Gbit/s (14.88 Mpps) against a 2 Mpps
  // policer of 100 packets: passed = burst + floor(rate x (last lookup - first lookup))
  const std::string y =
      "version: 1\nplatform: {preset: MX304}\nparams:\n  host: {policer_pps: 2Mpps, policer_burst: 100}\n"
      "interfaces:\n  - {name: et-0/0/6, address: 16.1.1.2/24}\n"
      "ipsec:\n  tunnels:\n    - {name: vpn_a, anchor: si-0/0/0, bind: st0.1, local: 16.1.1.2, remote: 16.1.1.1}\n"
      "traffic:\n  - {name: ike, port: et-0/0/6, rate: 10Gbps, frame: 64B, dst: 16.1.1.2}\n"
      "phases: {warmup: 0us, measure: 50us}\n";
  auto r = asic_run(write_temp_yaml("ev_pol", y));
  ASSERT_TRUE(r->loaded) << r->err;
  ASSERT_TRUE(r->balanced) << r->conservation;
  const asic_flow &f = r->sc.world.flows[0];
  const sim_fs p = sim_ser_fs(84, 10000000000ull);
  const uint64_t n = f.tot_sent;
  EXPECT_EQ(n, (50 * SIM_FS_PER_US + p - 1) / p);
  const double span_s = (double)((n - 1) * p) * 1e-15;
  const double passed = 100 + std::floor(2e6 * span_s);
  EXPECT_NEAR((double)f.tot_drops[DROP_HOST_PATH], passed, 1);
  EXPECT_EQ(f.tot_drops[DROP_HOST_PATH] + f.tot_drops[DROP_HOST_POLICER], n);
  EXPECT_EQ(r->m("flow.ike.drops.host_policer"), r->m("r0.asic0.slice0.host.drops.host_policer"));
  EXPECT_EQ(r->m("flow.ike.drops.total"), r->m("flow.ike.drops.host_policer"));
  // moving the parameter moves the figure: 4 Mpps passes about twice the rate part
  auto r2 = asic_run(write_temp_yaml("ev_pol2", y), {"host.policer_pps=4Mpps"});
  ASSERT_TRUE(r2->loaded) << r2->err;
  EXPECT_NEAR((double)r2->sc.world.flows[0].tot_drops[DROP_HOST_PATH], 100 + std::floor(4e6 * span_s), 1);
}

namespace {
void expect_error(const std::string &name, const std::string &events, const std::string &msg) {
  std::string path = write_temp_yaml("everr_" + name, world(events));
  auto r = asic_run(path, {}, false);
  EXPECT_FALSE(r->loaded);
  EXPECT_EQ(r->err, path + ":" + msg);
}
}  // namespace

TEST(SaEvents, Refusals) {
  // world(): `events:` is line 18, its first entry on line 19 (`  - {` : its first key at column 6)
  expect_error("unknown", "events:\n  - {at: 10us, action: delete, tunnel: vpn_z}\n",
               "19:40: events[].tunnel: unknown tunnel 'vpn_z' (allowed: the name: of an ipsec: tunnels: entry)");
  expect_error("late", "events:\n  - {at: 300us, action: delete, tunnel: vpn_a}\n",
               "19:10: events[].at: 300.000 us is outside the run (allowed: 0 up to before warmup + measure = 200.000 us)");
  expect_error("twice", "events:\n  - {at: 10us, action: delete, tunnel: vpn_a}\n  - {at: 20us, action: delete, tunnel: vpn_a}\n",
               "20:24: events[].action: delete of tunnel vpn_a on router r0 at 20.000 us: it is not installed then "
               "(allowed: delete an installed tunnel)");
  expect_error("inst", "events:\n  - {at: 10us, action: install, tunnel: vpn_a}\n",
               "19:24: events[].action: install of tunnel vpn_a on router r0 at 10.000 us: it is installed (allowed: "
               "install a tunnel declared installed: false, or after its delete)");
  expect_error("grace", "events:\n  - {at: 10us, action: rekey, tunnel: vpn_a}\n",
               "19:5: events[].grace: missing: a rekey keeps the old inbound SA for a grace time (allowed: a time, e.g. 10us)");
  expect_error("action", "events:\n  - {at: 10us, action: renew, tunnel: vpn_a}\n",
               "19:24: events[].action: unknown action 'renew' (allowed: install, delete, rekey)");
  expect_error("key", "events:\n  - {at: 10us, action: delete, tunnel: vpn_a, when: 3}\n",
               "19:47: events[].when: unknown key (allowed: at, action, tunnel, router, grace, spi_out, spi_in)");
}

TEST(SaEvents, RekeyOfBothEndsAcrossTwoRouters) {
  // tests/asic/data/engine_two_routers.yaml: r1 encrypts into vpn1, r2 decrypts; the event
  // names vpn1 (both routers' tunnel of that name, peers of each other): one change per end
  std::string y;
  {
    FILE *fp = fopen(IPSECSIM_SOURCE_DIR "/tests/asic/data/engine_two_routers.yaml", "r");
    ASSERT_NE(fp, nullptr);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) y.append(buf, n);
    fclose(fp);
  }
  const std::string rekey = "events:\n  - {at: 20us, action: rekey, tunnel: vpn1, grace: 10us}\n";
  double split[2][4] = {};
  for (int m = 0; m < 2; m++) {
    SCOPED_TRACE(std::string("payload ") + kModes[m]);
    const std::string ym = y + "payload: " + kModes[m] + "\n";
    auto base = run_all(std::string("ev_2r0_") + kModes[m], ym);
    auto r = run_all(std::string("ev_2r1_") + kModes[m], ym + rekey);
    ASSERT_TRUE(base->loaded && r->loaded) << base->err << r->err;
    ASSERT_TRUE(r->balanced) << r->conservation;
    const asic_world *w = &r->sc.world, *b = &base->sc.world;
    for (uint32_t f = 0; f < w->n_flows; f++) {
      uint64_t d = 0, db = 0;
      for (int k = 0; k < DROP_N; k++) d += w->flows[f].tot_drops[k], db += b->flows[f].tot_drops[k];
      EXPECT_EQ(d, db) << w->flows[f].name;  // the rekey loses nothing
      EXPECT_EQ(w->flows[f].tot_recv, b->flows[f].tot_recv) << w->flows[f].name;
    }
    // what r1 encrypts on each generation r2 decrypts on the same generation
    const double o0 = r->m(ctr("sa.r1.vpn1.out", IPSEC_CTR_ENC_PKTS)),
                 o1 = r->m(ctr("sa.r1.vpn1.g1.out", IPSEC_CTR_ENC_PKTS));
    EXPECT_GT(o0, 0);
    EXPECT_GT(o1, 0);
    EXPECT_EQ(r->m(ctr("sa.r2.vpn1.in", IPSEC_CTR_DEC_PKTS)), o0);
    EXPECT_EQ(r->m(ctr("sa.r2.vpn1.g1.in", IPSEC_CTR_DEC_PKTS)), o1);
    EXPECT_EQ(o0 + o1, base->m(ctr("sa.r1.vpn1.out", IPSEC_CTR_ENC_PKTS)));
    const double i0 = r->m(ctr("sa.r1.vpn1.in", IPSEC_CTR_DEC_PKTS)),
                 i1 = r->m(ctr("sa.r1.vpn1.g1.in", IPSEC_CTR_DEC_PKTS));
    EXPECT_GT(i1, 0);  // r1's esp_in stream moved to the new inbound SA too
    split[m][0] = o0, split[m][1] = o1, split[m][2] = i0, split[m][3] = i1;
    if (m == 0) continue;
    // payload real: r1's real ESP packets of each generation decrypt at r2 with that
    // generation's key (r2's database), every clear frame delivered byte-exact
    uint32_t t1 = UINT32_MAX, t2 = UINT32_MAX;
    for (uint32_t t = 0; t < w->n_tunnels; t++) (w->tunnels[t].router == 0 ? t1 : t2) = t;
    const asic_events *ev = w->sa_events;
    const uint32_t g1r1 = w->ipsec->gen_stats[ev->first[t1] + 1], g1r2 = w->ipsec->gen_stats[ev->first[t2] + 1];
    EXPECT_EQ(bytes_ctr(*r, t1, false, IPSEC_CTR_ENC_PKTS), o0);
    EXPECT_EQ(bytes_ctr(*r, g1r1, false, IPSEC_CTR_ENC_PKTS), o1);
    EXPECT_EQ(bytes_ctr(*r, t2, true, IPSEC_CTR_DEC_PKTS), o0);
    EXPECT_EQ(bytes_ctr(*r, g1r2, true, IPSEC_CTR_DEC_PKTS), o1);
    EXPECT_EQ(bytes_ctr(*r, g1r1, true, IPSEC_CTR_DEC_PKTS), i1);
    expect_bytes_exact(*r, {"lan1", "lan2", "esp_in"});
  }
  // the old/new split is the descriptor run's, exactly
  for (int k = 0; k < 4; k++) EXPECT_EQ(split[1][k], split[0][k]) << k;
}

TEST(SaEvents, SameSpiOnTwoLocalGatewaysEachOnItsOwnSa) {
  // payload real: two tunnels of r0, from two local gateways to two peers, take the same
  // inbound SPI and the same outbound SPI (RFC 4301 s4.1: an SPI with its destination); the
  // demux binds (gateway, SPI), the routes bind the outbound SA, the byte path transforms on
  // that SA (keys differ: auto keys from the gateways); every frame byte-exact, nothing lost
  std::string y = world("");
  const std::string a = "prefix: 20.1.0.0/24}\n";
  y.replace(y.find(a), a.size(),
            "prefix: 20.1.0.0/24, spi_in: 0x3000, spi_out: 0x4000}\n"
            "    - {name: vpn_b, anchor: si-0/0/0, bind: st0.2, local: 16.1.1.3, remote: 16.1.1.4, prefix: 20.2.0.0/24, "
            "spi_in: 0x3000, spi_out: 0x4000}\n");
  const std::string enc = "  - {name: enc, port: et-0/0/4, rate: 95Gbps, frame: 1518B, dst: 20.1.0.5}\n"
                          "  - {name: dec, port: et-0/0/6, rate: 100Gbps, frame: 1518B, dst: 10.0.4.9, esp_of: vpn_a}\n";
  y.replace(y.find(enc), enc.size(),
            "  - {name: enc, port: et-0/0/4, rate: 40Gbps, frame: 1518B, dst: 20.1.0.5}\n"
            "  - {name: enc_b, port: et-0/0/5, rate: 40Gbps, frame: 1518B, dst: 20.2.0.5}\n"
            "  - {name: dec, port: et-0/0/6, rate: 40Gbps, frame: 1518B, dst: 10.0.4.9, esp_of: vpn_a}\n"
            "  - {name: dec_b, port: et-0/0/8, rate: 40Gbps, frame: 1518B, dst: 10.0.4.10, esp_of: vpn_b}\n");
  y.replace(y.find("payload: none"), 13, "payload: real");
  auto r = run_all("ev_gw_spi", y);
  ASSERT_TRUE(r->loaded) << r->err;
  ASSERT_TRUE(r->balanced) << r->conservation;
  const asic_world *w = &r->sc.world;
  ASSERT_EQ(w->n_tunnels, 2u);
  ASSERT_EQ(w->n_flows, 4u);
  for (uint32_t f = 0; f < w->n_flows; f++) {
    const asic_flow &fl = w->flows[f];
    EXPECT_GT(fl.tot_recv, 0u) << fl.name;
    EXPECT_EQ(fl.tot_recv, fl.tot_sent) << fl.name;  // nothing lost, nothing on the other SA
  }
  for (uint32_t t = 0; t < 2; t++) {
    EXPECT_EQ(asic_ipsec_bytes_sa(w, t, true)->cfg.spi, 0x3000u);
    EXPECT_EQ(asic_ipsec_bytes_sa(w, t, false)->cfg.spi, 0x4000u);
    EXPECT_EQ(bytes_ctr(*r, t, true, IPSEC_CTR_DEC_PKTS), (double)w->flows[t ? 3 : 2].tot_recv) << t;
    EXPECT_EQ(bytes_ctr(*r, t, false, IPSEC_CTR_ENC_PKTS), (double)w->flows[t ? 1 : 0].tot_recv) << t;
    EXPECT_EQ(bytes_ctr(*r, t, true, IPSEC_CTR_ESP_AUTH_FAIL), 0) << t;
  }
  EXPECT_NE(memcmp(asic_ipsec_bytes_sa(w, 0, true)->cfg.key, asic_ipsec_bytes_sa(w, 1, true)->cfg.key, 32), 0);
  EXPECT_NE(memcmp(asic_ipsec_bytes_sa(w, 0, false)->cfg.key, asic_ipsec_bytes_sa(w, 1, false)->cfg.key, 32), 0);
  expect_bytes_exact(*r, {"dec", "dec_b"});
}

TEST(SaEvents, RekeyBetweenTheEspPacketsOfOneDatagramKeepsItOnOneSa) {
  // tunnel_mtu 1400: each 1518 B datagram of dec reaches r0 as two ESP packets; a rekey at
  // 100.1 us or 100.3 us falls between the two of one datagram (found by the run: with the
  // switch per packet, payload real lost that datagram's second packet under icv_mismatch).
  // The peer sends a datagram's ESP packets on one SA, in both modes: nothing lost, the same
  // split, every frame byte-exact
  for (const char *at : {"100.1us", "100.3us"}) {
    double split[2][2] = {};
    for (int m = 0; m < 2; m++) {
      SCOPED_TRACE(std::string(at) + " payload " + kModes[m]);
      std::string y = world(std::string("events:\n  - {at: ") + at + ", action: rekey, tunnel: vpn_a, grace: 20us}\n", "",
                            kModes[m]);
      const std::string decl = "prefix: 20.1.0.0/24}";
      y.replace(y.find(decl), decl.size(), "prefix: 20.1.0.0/24, tunnel_mtu: 1400}");
      auto r = run_all(std::string("ev_frag_") + kModes[m], y);
      ASSERT_TRUE(r->loaded) << r->err;
      ASSERT_TRUE(r->balanced) << r->conservation;
      const asic_flow &dec = r->sc.world.flows[1];
      uint64_t drops = 0;
      for (int k = 0; k < DROP_N; k++) drops += dec.tot_drops[k];
      EXPECT_EQ(drops, 0u);
      split[m][0] = r->m(ctr("sa.r0.vpn_a.in", IPSEC_CTR_DEC_PKTS));
      split[m][1] = r->m(ctr("sa.r0.vpn_a.g1.in", IPSEC_CTR_DEC_PKTS));
      EXPECT_EQ(std::fmod(split[m][0], 2), 0);  // whole datagrams (two ESP packets each) per SA
      EXPECT_GT(split[m][1], 0);
      if (m == 1) expect_bytes_exact(*r, {"dec"});
    }
    EXPECT_EQ(split[1][0], split[0][0]);
    EXPECT_EQ(split[1][1], split[0][1]);
  }
}
