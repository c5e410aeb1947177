// SAs installed under traffic (issue 13, engine_install_sa): the key setup of gcm_timing.h item
// 5 (gcm_key_install_cycles: AES-128 23, AES-256 27 cycles) writes the new SA's context into a
// cache slot over the one fill port; its packets dispatch from the end, installs are serial on
// the port, other SAs' packets never wait. Cycle-exact against the closed form.
#include "engine_test_util.h"

using namespace enginetest;

TEST(EngineInstall, NewSaDispatchesAfterItsKeySetupOthersDoNot) {
  engine_params p = defaults();
  // SA 0 there from the start; SAs 1 (AES-256) and 2 (AES-128) installed at cycle 100
  Rec r(p, {out_sa_with_key(128), out_sa_with_key(256), out_sa_with_key(128)});
  ASSERT_NE(r.e, nullptr) << r.why;
  const bool at_start[3] = {true, false, false};
  engine_sa_cache_preload(r.e, at_start);
  EXPECT_TRUE(engine_sa_cached(r.e, 0));
  EXPECT_FALSE(engine_sa_cached(r.e, 1));
  const sim_fs t = 100 * T12;
  EXPECT_EQ(engine_install_sa(r.e, 1, t), 100u + 27u);
  EXPECT_EQ(engine_install_sa(r.e, 2, t), 100u + 27u + 23u); // behind the first on the port
  EXPECT_TRUE(engine_sa_cached(r.e, 1));
  engine_desc d0 = enc(0, 64, 0), d1 = enc(1, 64, 1), d2 = enc(2, 64, 2);
  ASSERT_EQ(engine_offer(r.e, t, &d1), ENGINE_OUT_PACKET);
  ASSERT_EQ(engine_offer(r.e, t, &d2), ENGINE_OUT_PACKET);
  r.drain();
  EXPECT_EQ(r.by_user(1)->start_fs, (sim_fs)(100 + 27) * T12);
  EXPECT_EQ(r.by_user(2)->start_fs, (sim_fs)(100 + 27 + 23) * T12);
  // an SA cached from the start is not held by the installs (one lane free: it starts at once)
  ASSERT_EQ(engine_offer(r.e, 200 * T12, &d0), ENGINE_OUT_PACKET);
  r.drain();
  EXPECT_EQ(r.by_user(0)->start_fs, (sim_fs)200 * T12);
  uint64_t hits, misses, cycles;
  engine_sa_cache_totals(r.e, &hits, &misses, &cycles);
  EXPECT_EQ(misses, 0u); // an install is no miss
}

TEST(EngineInstall, ANotInstalledSaMissesLikeAnyOther) {
  // without its install, a packet of SA 1 takes a fill (item 6): the preload left it out
  engine_params p = defaults();
  Rec r(p, {out_sa_with_key(128), out_sa_with_key(128)});
  ASSERT_NE(r.e, nullptr) << r.why;
  const bool at_start[2] = {true, false};
  engine_sa_cache_preload(r.e, at_start);
  engine_desc d1 = enc(1, 64, 1);
  ASSERT_EQ(engine_offer(r.e, 0, &d1), ENGINE_OUT_PACKET);
  r.drain();
  EXPECT_EQ(r.by_user(1)->start_fs, (sim_fs)gcm_key_fill_cycles(128) * T12);
}
