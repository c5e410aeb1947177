// SA context cache of the engine (gcm_timing.h items 5-6): miss timing cycle by cycle, and
// measured hit rate and saturated throughput against the closed forms (engine_analytic_cache.c)
// for round-robin and uniform random SA order over 1, 100, 1000 and 2000 tunnels: one order
// over all SAs, and interleaved streams (engine_analytic_lru.c: encrypt over N tunnels beside
// decrypt of one tunnel, and encrypt and decrypt each over the same N tunnels).
#include <algorithm>
#include <cmath>
#include <random>

#include "engine_test_util.h"

using namespace enginetest;

namespace {

uint64_t hold_of(const engine_sa &s, uint32_t frame, uint64_t overhead) {
  const engine_esp_shape sh = engine_esp_shape_of(&s, frame - ENGINE_ETH_OVERHEAD);
  return gcm_lane_hold_cycles(sh.aad_bytes, sh.text_bytes, overhead);
}

TEST(EngineCache, ParameterDefaultsAndFillCost) {
  engine_params p = defaults();
  EXPECT_EQ(p.sa_cache_entries, 2048u);
  EXPECT_EQ(p.sa_miss_cycles, 0u);
  // item 6: fetch latency 8 + one cycle per context word (round keys 0..Nr and H..H^4)
  EXPECT_EQ(gcm_key_fill_cycles(128), 8u + 11u + 4u);
  EXPECT_EQ(gcm_key_fill_cycles(256), 8u + 15u + 4u);
  p.sa_cache_entries = 0;
  Rec r(p, {out_sa()});
  EXPECT_EQ(r.e, nullptr);
  EXPECT_EQ(r.why, "engine.sa_cache_entries: 0 is out of range (allowed: 1..1.04858e+06)");
}

// Two entries, three SAs: install leaves SAs 1 and 2 cached. A (SA 0) misses at cycle 0 and
// dispatches at F; B (SA 1, evicted by A's fill) misses: the LRU slot not in use is SA 2's, the
// fill is requested the cycle after A's dispatch (gcm_timing.h item 6), F + 1, and B dispatches
// at 2F + 1 (the lanes idle meanwhile: L <= F + 1 at 64 B). C (SA 2) misses with both slots in
// use: its fill waits until A's slot leaves use (A's END + GCM_AES_STAGES), and at least until
// the cycle after B's dispatch, then takes F. Each miss waits F from its first chance to ask.
TEST(EngineCache, MissHoldsTheHeadNotALane) {
  engine_params p = defaults();
  p.sa_cache_entries = 2;
  const engine_sa s = out_sa();
  Rec r(p, {s, s, s});
  ASSERT_NE(r.e, nullptr) << r.why;
  EXPECT_FALSE(engine_sa_cached(r.e, 0));
  EXPECT_TRUE(engine_sa_cached(r.e, 1));
  EXPECT_TRUE(engine_sa_cached(r.e, 2));
  const uint64_t F = gcm_key_fill_cycles(128), L = hold_of(s, 64, p.overhead_cycles);
  for (uint32_t i = 0; i < 3; i++) {
    engine_desc d = enc(i, 64, i);
    ASSERT_EQ(engine_offer(r.e, 0, &d), ENGINE_OUT_PACKET);
  }
  r.drain();
  ASSERT_EQ(r.packets().size(), 3u);
  EXPECT_EQ(r.by_user(0)->start_fs, (sim_fs)F * T12);
  EXPECT_EQ(r.by_user(0)->lane, 0u);
  const uint64_t b_start = F + 1 + F;
  EXPECT_EQ(r.by_user(1)->start_fs, (sim_fs)b_start * T12);
  EXPECT_EQ(r.by_user(1)->lane, F + L <= b_start ? 0u : 1u); // lane 0 idle again while B waited
  const uint64_t a_free = F + L + GCM_AES_STAGES;            // A's END = F + L - 1
  const uint64_t c_req = std::max(a_free, b_start + 1);
  EXPECT_EQ(r.by_user(2)->start_fs, (sim_fs)(c_req + F) * T12);
  uint64_t hits, misses, cycles;
  engine_sa_cache_totals(r.e, &hits, &misses, &cycles);
  EXPECT_EQ(hits, 0u);
  EXPECT_EQ(misses, 3u);
  EXPECT_EQ(cycles, F + F + (c_req + F - (b_start + 1))); // first chance to dispatchable, per miss
  expect_conserved(r);
}

// Saturated run: the input FIFO never empties; SA order from `next_sa`. Returns measured
// packets per second over the second phase and its hit rate (first phase: warm-up).
struct Measured {
  double pps, hit;
};
struct Count {
  uint64_t released = 0;
  sim_fs t_a = 0, t_b = 0;
  uint64_t a = UINT64_MAX, b = UINT64_MAX;
  static void emit(void *ctx, const engine_out *o) {
    auto *c = static_cast<Count *>(ctx);
    if (o->kind != ENGINE_OUT_PACKET) return;
    if (c->released == c->a) c->t_a = o->release_fs;
    if (c->released == c->b) c->t_b = o->release_fs;
    c->released++;
  }
};

template <class Next>
Measured saturate(const engine_params &p, const std::vector<engine_sa> &sas, uint32_t frame,
                  uint64_t warm, uint64_t n, Next next_sa) {
  Count cnt;
  char why[256];
  engine *e = engine_create(&p, sas.data(), (uint32_t)sas.size(), Count::emit, &cnt, why, sizeof why);
  EXPECT_NE(e, nullptr) << why;
  if (!e) return {0, 0};
  std::vector<uint32_t> seq(sas.size(), 0);
  uint64_t h0 = 0, m0 = 0, c0, offered = 0;
  cnt.a = warm + n / 4;
  cnt.b = warm + 3 * n / 4;
  sim_fs t = 0;
  const uint64_t qmax = 400ull * frame;
  bool snap = false;
  while (offered < warm + n) {
    while (engine_queue_bytes(e) < qmax && offered < warm + n) {
      const uint32_t sa = next_sa();
      engine_desc d = sas[sa].dir == ENGINE_ENCRYPT ? enc(sa, frame, offered) : dec(sas[sa], sa, frame, ++seq[sa]);
      EXPECT_EQ(engine_offer(e, t, &d), ENGINE_OUT_PACKET);
      offered++;
    }
    if (!snap && offered >= warm) engine_sa_cache_totals(e, &h0, &m0, &c0), snap = true;
    // run until the FIFO is half empty: it never runs dry while packets remain to offer
    for (sim_fs ne; engine_queue_bytes(e) >= qmax / 2 && (ne = engine_next_event_time(e)) != SIM_FS_NEVER;)
      engine_advance(e, t = ne);
  }
  for (sim_fs ne; (ne = engine_next_event_time(e)) != SIM_FS_NEVER;) engine_advance(e, ne);
  uint64_t h1, m1, c1;
  engine_sa_cache_totals(e, &h1, &m1, &c1);
  EXPECT_EQ(cnt.released, warm + n);
  engine_destroy(e);
  const double hit = (double)(h1 - h0) / (double)(h1 - h0 + m1 - m0);
  return {(double)(cnt.b - cnt.a) / sim_fs_to_s(cnt.t_b - cnt.t_a), hit};
}

// Tunnel t: outbound SA 2t and inbound SA 2t+1, both active (encrypt and decrypt share the
// engine's input FIFO): N tunnels = 2N active SAs.
std::vector<engine_sa> tunnels(uint32_t n) {
  std::vector<engine_sa> v;
  for (uint32_t t = 0; t < n; t++) v.push_back(out_sa()), v.push_back(in_sa());
  return v;
}

void check(uint32_t n_tunnels, engine_sa_order order, uint32_t frame, const engine_params &p) {
  const auto sas = tunnels(n_tunnels);
  const uint32_t n_sas = (uint32_t)sas.size();
  std::mt19937_64 rng(1234 + n_tunnels);
  uint64_t k = 0;
  auto next = [&]() -> uint32_t {
    if (order == ENGINE_SA_ORDER_ROUND_ROBIN) return (uint32_t)(k++ % n_sas);
    return (uint32_t)(rng() % n_sas);
  };
  const engine_mix_entry m = {.clear_ip_bytes = frame - ENGINE_ETH_OVERHEAD, .inner_family = 4,
                              .weight = 1, .sa = &sas[0], .sa_index = 0, .stream = 0, .slot = 0};
  engine_cache_ceiling cf;
  char why[256];
  ASSERT_TRUE(engine_cache_closed_form(&p, &m, 1, n_sas, order, &cf, why, sizeof why)) << why;
  ASSERT_TRUE(cf.exact);
  const uint64_t warm = 3 * p.sa_cache_entries + 2000, n = order == ENGINE_SA_ORDER_RANDOM ? 300000 : 60000;
  const Measured got = saturate(p, sas, frame, warm, n, next);
  const char *name = order == ENGINE_SA_ORDER_RANDOM ? "random" : "round-robin";
  EXPECT_NEAR(got.hit, cf.hit_rate, 0.01 * std::max(cf.hit_rate, 0.01))
      << name << " " << n_tunnels << " tunnels, " << frame << " B";
  EXPECT_NEAR(got.pps / 1e6, cf.c.mpps, 0.01 * cf.c.mpps) << name << " " << n_tunnels << " tunnels, " << frame << " B";
  printf("  %-11s %4u tunnels %4u B: hit %.4f (cf %.4f)  %.3f Mpps (cf %.3f, lanes alone %.3f)\n", name,
         n_tunnels, frame, got.hit, cf.hit_rate, got.pps / 1e6, cf.c.mpps, cf.lanes.mpps);
}

// 1024 entries: 1 and 100 tunnels fit (2 and 200 SAs), 1000 and 2000 do not (2000, 4000 SAs).
TEST(EngineCache, MatchesClosedFormsRoundRobinAndRandom) {
  engine_params p = defaults();
  p.sa_cache_entries = 1024;
  p.in_queue = 1000000000;
  for (uint32_t frame : {64u, 594u, 1518u})
    for (uint32_t n : {1u, 100u, 1000u, 2000u})
      for (engine_sa_order o : {ENGINE_SA_ORDER_ROUND_ROBIN, ENGINE_SA_ORDER_RANDOM}) check(n, o, frame, p);
}

// The owning parameters move the ceiling to its closed-form value: round-robin misses at 64 B
// (lane hold 11 < F) run at one packet per F + 1 cycles (gcm_timing.h item 6: each fill is
// requested the cycle after the previous dispatch), F = engine.sa_miss_cycles.
TEST(EngineCache, MissCyclesParameterMovesTheCeiling) {
  engine_params p = defaults();
  p.sa_cache_entries = 16;
  p.in_queue = 1000000000;
  const auto sas = tunnels(100);
  for (uint64_t f : {0ull, 40ull, 100ull}) {
    p.sa_miss_cycles = f;
    const double F = f ? (double)f : gcm_key_fill_cycles(128);
    uint64_t k = 0;
    const Measured got = saturate(p, sas, 64, 1000, 20000, [&]() { return (uint32_t)(k++ % sas.size()); });
    EXPECT_EQ(got.hit, 0.0);
    EXPECT_NEAR(got.pps, 1.0 / ((F + 1) * sim_fs_to_s(T12)), 1e-3 * got.pps) << "F " << F;
  }
}

// The chain against the renewal form, valid when F >= L (a miss finds every lane free):
// datagrams per cycle (1/(1-h)) / (F + 1 + L h^m / (1 - h^m)) (a miss costs F + 1, item 6).
TEST(EngineCache, ChainMatchesRenewalFormWhenFillExceedsHold) {
  engine_params p = defaults();
  p.sa_cache_entries = 1000;
  const engine_sa s = out_sa();
  const engine_mix_entry m = {.clear_ip_bytes = 64 - ENGINE_ETH_OVERHEAD, .inner_family = 4, .weight = 1, .sa = &s, .sa_index = 0, .stream = 0, .slot = 0};
  const double L = (double)hold_of(s, 64, p.overhead_cycles), F = gcm_key_fill_cycles(128), lanes = (double)p.lanes;
  ASSERT_GE(F, L);
  for (uint64_t n : {1250ull, 2000ull, 4000ull, 10000ull}) {
    engine_cache_ceiling cf;
    char why[256];
    ASSERT_TRUE(engine_cache_closed_form(&p, &m, 1, n, ENGINE_SA_ORDER_RANDOM, &cf, why, sizeof why)) << why;
    const double h = 1000.0 / (double)n, hm = std::pow(h, lanes);
    const double per_cycle = (1 / (1 - h)) / (F + 1 + L * hm / (1 - hm));
    EXPECT_NEAR(cf.c.mpps, per_cycle / sim_fs_to_s(T12) / 1e6, 1e-6 * cf.c.mpps) << n;
    EXPECT_NEAR(cf.fill_bound_dgram_mpps, 1 / ((1 - h) * (F + 1) * sim_fs_to_s(T12)) / 1e6, 1e-9) << n;
  }
}

// Two streams interleaved as two constant-rate sources interleave (a share p of encrypt,
// Bresenham), each visiting its SAs round-robin or at random: encrypt over the N outbound SAs
// 2t, decrypt over the inbound SAs 2t+1 of the first n_dec tunnels. The closed form gets the
// same mix as the asic builder gives it: one entry per (stream, address slot).
void check_streams(uint32_t n_tunnels, uint32_t n_dec, engine_sa_order o_enc, engine_sa_order o_dec, double p_enc,
                   uint32_t frame, const engine_params &p) {
  const auto sas = tunnels(n_tunnels);
  std::vector<engine_mix_entry> mix;
  for (uint32_t t = 0; t < n_tunnels; t++)
    mix.push_back({.clear_ip_bytes = frame - ENGINE_ETH_OVERHEAD, .inner_family = 4, .weight = p_enc / n_tunnels,
                   .sa = &sas[2 * t], .sa_index = 2 * t, .stream = 0, .slot = t});
  for (uint32_t t = 0; t < n_dec; t++)
    mix.push_back({.clear_ip_bytes = frame - ENGINE_ETH_OVERHEAD, .inner_family = 4, .weight = (1 - p_enc) / n_dec,
                   .sa = &sas[2 * t + 1], .sa_index = 2 * t + 1, .stream = 1, .slot = t});
  const engine_sa_order orders[2] = {o_enc, o_dec};
  engine_cache_ceiling cf;
  char why[256];
  ASSERT_TRUE(engine_cache_closed_form_streams(&p, mix.data(), mix.size(), orders, 2, &cf, why, sizeof why)) << why;
  std::mt19937_64 rng(99 + n_tunnels + 7 * n_dec);
  uint64_t ke = 0, kd = 0;
  double credit = 0;
  auto next = [&]() -> uint32_t {
    credit += p_enc;
    if (credit >= 1) { // an encrypt datagram
      credit -= 1;
      const uint64_t t = o_enc == ENGINE_SA_ORDER_RANDOM ? rng() % n_tunnels : ke++ % n_tunnels;
      return (uint32_t)(2 * t);
    }
    const uint64_t t = o_dec == ENGINE_SA_ORDER_RANDOM ? rng() % n_dec : kd++ % n_dec;
    return (uint32_t)(2 * t + 1);
  };
  const bool random = o_enc == ENGINE_SA_ORDER_RANDOM || o_dec == ENGINE_SA_ORDER_RANDOM;
  const uint64_t warm = 3 * p.sa_cache_entries + 4000, n = random ? 200000 : 40000;
  const Measured got = saturate(p, sas, frame, warm, n, next);
  const char *on[2] = {"rr", "random"};
  char label[160];
  snprintf(label, sizeof label, "enc %s over %u, dec %s over %u, p_enc %.3f, %u B", on[o_enc], n_tunnels, on[o_dec],
           n_dec, p_enc, frame);
  EXPECT_NEAR(got.hit, cf.hit_rate, 0.01 * std::max(cf.hit_rate, 0.01)) << label;
  EXPECT_NEAR(got.pps / 1e6, cf.c.mpps, 0.01 * cf.c.mpps) << label;
  printf("  %-52s hit %.4f (cf %.4f)  %.3f Mpps (cf %.3f, lanes alone %.3f)\n", label, got.hit, cf.hit_rate,
         got.pps / 1e6, cf.c.mpps, cf.lanes.mpps);
}

// 1024 entries. p_enc 0.6217: 64 B encrypt at 100GE line rate (148.81 Mpps) beside the ESP of
// 64 B clear frames (118 B, 90.58 Mpps) on another 100GE port, the NDR-vs-tunnel study's mix.
TEST(EngineCache, InterleavedStreamsMatchClosedForm) {
  engine_params p = defaults();
  p.sa_cache_entries = 1024;
  p.in_queue = 1000000000;
  const double p_enc = 148.80952 / (148.80952 + 90.57971);
  for (uint32_t frame : {64u, 594u})
    for (uint32_t n : {1u, 100u, 1000u, 2000u})
      for (engine_sa_order o : {ENGINE_SA_ORDER_ROUND_ROBIN, ENGINE_SA_ORDER_RANDOM}) {
        check_streams(n, 1, o, ENGINE_SA_ORDER_ROUND_ROBIN, p_enc, frame, p); // one direction + one inbound SA
        check_streams(n, n, o, o, p_enc, frame, p);                          // both directions over N tunnels
      }
}

// One lane, the study's scenario shape: the SA-cache ceiling is the weighted mean of the
// cycle costs (a miss costs max(F, L), a hit L): at 2000 tunnels every outbound datagram
// misses and every inbound one hits.
TEST(EngineCache, OneLaneStudyMixIsTheWeightedMean) {
  engine_params p = defaults();
  p.sa_cache_entries = 1024;
  p.lanes = 1;
  const auto sas = tunnels(2000);
  const double p_enc = 0.6;
  std::vector<engine_mix_entry> mix;
  for (uint32_t t = 0; t < 2000; t++)
    mix.push_back({.clear_ip_bytes = 64 - ENGINE_ETH_OVERHEAD, .inner_family = 4, .weight = p_enc / 2000,
                   .sa = &sas[2 * t], .sa_index = 2 * t, .stream = 0, .slot = t});
  mix.push_back({.clear_ip_bytes = 64 - ENGINE_ETH_OVERHEAD, .inner_family = 4, .weight = 1 - p_enc, .sa = &sas[1],
                 .sa_index = 1, .stream = 1, .slot = 0});
  const engine_sa_order orders[2] = {ENGINE_SA_ORDER_ROUND_ROBIN, ENGINE_SA_ORDER_ROUND_ROBIN};
  std::vector<double> hit(mix.size());
  double T = 0;
  ASSERT_TRUE(engine_sa_cache_hits_cf(1024, mix.data(), mix.size(), orders, 2, hit.data(), &T));
  EXPECT_NEAR(T, 1023 / p_enc, 1e-6 * T); // 1023 outbound SAs + the inbound one in the window
  for (uint32_t t = 0; t < 2000; t++) ASSERT_EQ(hit[t], 0.0) << t;
  EXPECT_EQ(hit[2000], 1.0);
  engine_cache_ceiling cf;
  char why[256];
  ASSERT_TRUE(engine_cache_closed_form_streams(&p, mix.data(), mix.size(), orders, 2, &cf, why, sizeof why)) << why;
  const double Le = (double)hold_of(sas[0], 64, p.overhead_cycles), F = gcm_key_fill_cycles(128);
  const engine_esp_shape ds = engine_esp_shape_of(&sas[1], 64 - ENGINE_ETH_OVERHEAD);
  const double Ld = (double)gcm_lane_hold_cycles(ds.aad_bytes, ds.text_bytes, p.overhead_cycles);
  ASSERT_GE(F, std::max(Le, Ld));
  // a miss after any packet waits F + 1 (item 6); a hit waits the previous packet's hold
  const double cycles = p_enc * (F + 1) + (1 - p_enc) * (p_enc * Le + (1 - p_enc) * Ld);
  EXPECT_NEAR(cf.c.datagram_mpps, 1 / (cycles * sim_fs_to_s(T12)) / 1e6, 1e-6 * cf.c.datagram_mpps);
  EXPECT_NEAR(cf.hit_rate, 1 - p_enc, 1e-12);
}

}  // namespace
