// SAs installed under traffic on the Verilated core (issue 17, engine_install_sa with
// engine_use_rtl): the key setup goes through the core's ks_* port, requested in the first cycle
// at or after the install time and accepted when no key setup runs; the slot is usable
// gcm_key_install_cycles() later (gcm_timing.h item 5: AES-128 23, AES-256 27) and the SA's
// packets wait at the FIFO head until then. The same closed forms as the C engine's
// (tests/engine/test_engine_install.cpp), here out of the RTL's own dispatches, with the
// scoreboard's 0 byte and 0 cycle mismatches. Control: the late_install fault (each request a
// cycle late) moves the held starts by one cycle and is reported as cycle mismatches.
#include <gtest/gtest.h>

#include <vector>

#include "tests/engine/engine_test_util.h"
extern "C" {
#include "ipsec_engine/gcm_backend_rtl.h"
#include "ipsec_engine/gcm_timing.h"
}

using namespace enginetest;

namespace {

// SA 0 (AES-128) from the start; SA 1 (AES-256) and SA 2 (AES-128) installed at cycle 100.
struct InstallRun {
  Rec r;
  std::vector<std::vector<uint8_t>> keys;
  std::string why;
  bool ok = false;
  explicit InstallRun(int fault) : r(defaults(), {out_sa_with_key(128), out_sa_with_key(256), out_sa_with_key(128)}) {
    if (!r.e) return;
    const size_t len[3] = {16, 32, 16};
    const uint8_t *k[3];
    uint8_t kl[3];
    for (unsigned i = 0; i < 3; i++) {
      keys.emplace_back(len[i]);
      for (size_t b = 0; b < len[i]; b++) keys[i][b] = (uint8_t)(17 * i + 3 * b + 1);
      k[i] = keys[i].data();
      kl[i] = (uint8_t)len[i];
    }
    const bool at_start[3] = {true, false, false};
    char w[512] = "";
    ok = engine_use_rtl(r.e, k, kl, at_start, fault, w, sizeof w);
    why = w;
    if (ok) engine_sa_cache_preload(r.e, at_start);
  }
};

}  // namespace

TEST(RtlInstall, NewSaWaitsForTheCoresKeySetupAtTheHead) {
  if (!gcm_backend_rtl_available()) GTEST_SKIP() << "built without the Verilated core";
  InstallRun x(0);
  ASSERT_TRUE(x.ok) << x.why;
  engine *e = x.r.e;
  const sim_fs t = 100 * T12;
  const uint64_t a1 = 100, a2 = a1 + gcm_key_install_cycles(256);  // second behind the first
  EXPECT_EQ(engine_install_sa(e, 1, t), a1 + 27u);
  EXPECT_EQ(engine_install_sa(e, 2, t), a2 + 23u);
  engine_desc d1 = enc(1, 64, 1), d2 = enc(2, 64, 2), d0 = enc(0, 64, 0), d3 = enc(0, 64, 3);
  ASSERT_EQ(engine_offer(e, t, &d1), ENGINE_OUT_PACKET);
  ASSERT_EQ(engine_offer(e, t, &d3), ENGINE_OUT_PACKET);  // SA 0, behind the held head
  ASSERT_EQ(engine_offer(e, t, &d2), ENGINE_OUT_PACKET);
  x.r.drain();
  ASSERT_NE(x.r.by_user(1), nullptr);
  ASSERT_NE(x.r.by_user(2), nullptr);
  ASSERT_NE(x.r.by_user(3), nullptr);
  EXPECT_EQ(x.r.by_user(1)->start_fs, (sim_fs)(100 + 27) * T12);
  // head-of-line: SA 0's packet (its slot keyed from the start) waits behind it, then takes the
  // other lane in the same cycle
  EXPECT_EQ(x.r.by_user(3)->start_fs, (sim_fs)(100 + 27) * T12);
  EXPECT_EQ(x.r.by_user(2)->start_fs, (sim_fs)(100 + 27 + 23) * T12);
  // an SA keyed from the start is not held by installs that are over
  ASSERT_EQ(engine_offer(e, 200 * T12, &d0), ENGINE_OUT_PACKET);
  x.r.drain();
  ASSERT_NE(x.r.by_user(0), nullptr);
  EXPECT_EQ(x.r.by_user(0)->start_fs, (sim_fs)200 * T12);
  engine_scoreboard_finish(e);
  const engine_counters *c = engine_counters_of(e);
  EXPECT_EQ(*c->sb_checked, 4u);           // every packet's bytes checked against OpenSSL
  EXPECT_EQ(*c->sb_mismatches, 0u);        // the new keys really are in the slots
  EXPECT_EQ(*c->sb_cycle_mismatches, 0u);  // and the C predictor agrees on every tag pop
}

TEST(RtlInstall, ControlLateRequestIsACycleMismatch) {
  if (!gcm_backend_rtl_available()) GTEST_SKIP() << "built without the Verilated core";
  InstallRun x(GCM_RTL_FAULT_LATE_INSTALL);
  ASSERT_TRUE(x.ok) << x.why;
  engine *e = x.r.e;
  const sim_fs t = 100 * T12;
  engine_install_sa(e, 1, t);
  engine_install_sa(e, 2, t);
  engine_desc d1 = enc(1, 64, 1), d2 = enc(2, 64, 2);
  ASSERT_EQ(engine_offer(e, t, &d1), ENGINE_OUT_PACKET);
  ASSERT_EQ(engine_offer(e, t, &d2), ENGINE_OUT_PACKET);
  x.r.drain();
  ASSERT_NE(x.r.by_user(1), nullptr);
  ASSERT_NE(x.r.by_user(2), nullptr);
  EXPECT_EQ(x.r.by_user(1)->start_fs, (sim_fs)(100 + 1 + 27) * T12);
  EXPECT_EQ(x.r.by_user(2)->start_fs, (sim_fs)(100 + 1 + 27 + 23) * T12);
  engine_scoreboard_finish(e);
  const engine_counters *c = engine_counters_of(e);
  EXPECT_EQ(*c->sb_mismatches, 0u);
  EXPECT_EQ(*c->sb_cycle_mismatches, 2u);  // both tags one cycle after the C model's
}
