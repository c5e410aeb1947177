// SAs coming and going under traffic (issue 13, asic_events.h) and the host path's policer
// (pfe/host_policer.h): make-before-break rekey under load loses nothing and splits the packets
// between the old and the new SA pair at the event time (closed form from the rates, the event
// time and the zero-load path to the lookup, within one packet per stream); a delete without a
// replacement counts every later packet under no_sa / sa_deleted; the policer passes
// burst + rate x time; the loader's refusals with their exact one-line messages. The events
// run in both payload modes: with payload real (asic_ipsec_bytes.c) every generation is an SA
// of its router's database with its own SPI and key, the bytes are transformed on the SA the
// lookup bound, and the split, the drops and the counters are the descriptor run's.
#include "sa_events_util.h"

using namespace sa_events;


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
