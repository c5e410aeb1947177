// Key-store load port handshake (ld_ready): an SA install while traffic to other slots keeps
// flowing. Packets submitted before load_key() use the slot's old key, packets submitted after
// it the new one (checked by the scoreboard against OpenSSL with the key each one must use);
// other slots see no bubble (every DESC follows its lane's previous one by
// gcm_cycles_per_packet()); the install waits on the core's ld_ready for exactly the 15
// key-reading stages (AES stages 0..14) after the slot's last old packet entered.
#include <gtest/gtest.h>

#include "rtl_scoreboard.hpp"

extern "C" {
#include "ipsec_engine/gcm_timing.h"
}

namespace {

constexpr uint64_t kKeyStages = 15;  // stages reading the key store: AES 0..14
const uint64_t kLoadWords = gcm_key_load_cycles(128);  // round keys 0..10, H..H^4

}  // namespace

// ks: the install goes through the core's key setup (install_key) instead of the load port.
static void install_while_streaming(bool ks) {
  std::mt19937_64 rng(5150);
  auto drv = gcm_rtl_make_driver(4, nullptr);
  ASSERT_TRUE(drv);
  std::vector<RtlKey> keys;
  for (unsigned s = 0; s < 8; s++) {
    keys.push_back({rtl_random_bytes(rng, (s & 1) ? 32 : 16), s});
    drv->load_key(s, keys.back().key.data(), keys.back().key.size());
  }
  ASSERT_TRUE(drv->run_until_idle(1000));
  const RtlKey new7{rtl_random_bytes(rng, 32), 7};
  ASSERT_NE(new7.key, keys[7].key);

  RtlScoreboard sb(4);
  drv->on_out_beat = [&sb](const GcmRtlOutBeat &b) { sb.observe(b); };
  uint64_t free_from[4] = {};
  std::vector<std::pair<uint64_t, GcmRtlPacket>> sent;  // (cycles, packet) in submit order
  uint64_t id = 0;
  auto send = [&](const RtlKey &k) {
    GcmRtlPacket p = rtl_random_packet(rng, k, id++, 8, rng() % 300, rng() & 1, true);
    const uint64_t cyc = gcm_cycles_per_packet(p.aad.size(), p.text.size(), 8 * k.key.size());
    p.lane = gcm_dispatch_lane(free_from, 4);
    free_from[p.lane] += cyc;
    sb.expect(k, p);
    drv->submit(p);
    sent.push_back({cyc, p});
  };
  for (int i = 0; i < 400; i++) send(keys[rng() % 8]);  // A: slot 7 with its old key
  const uint64_t installs0 = drv->installs_done;
  if (ks) drv->install_key(7, new7.key.data(), new7.key.size());
  else drv->load_key(7, new7.key.data(), new7.key.size());
  const uint64_t b_first = id;
  for (int i = 0; i < 400; i++) send(keys[rng() % 7]);  // B: other slots only
  const uint64_t b_last = id - 1;
  for (int i = 0; i < 200; i++) {                        // C: slot 7 with the new key
    const unsigned s = rng() % 8;
    send(s == 7 ? new7 : keys[s]);
  }
  ASSERT_TRUE(drv->run_until_idle(1000000));
  EXPECT_TRUE(sb.finish()) << sb.messages()[0];
  EXPECT_EQ(sb.passed(), 1000u);
  EXPECT_EQ(drv->installs_done, installs0 + 1);
  EXPECT_EQ(drv->ld_stall_cycles, ks ? 0 : kKeyStages);  // ks: the core's unit waits, not the port

  // No bubble on any lane, the install included; it completed while phase B was streaming.
  std::vector<uint64_t> desc(sent.size());
  for (const GcmRtlDone &d : drv->done) desc[d.id] = d.desc_cycle;
  uint64_t prev[4] = {~0ull, ~0ull, ~0ull, ~0ull};
  for (uint64_t i = 0; i < sent.size(); i++) {
    const unsigned l = sent[i].second.lane;
    if (prev[l] != ~0ull) {
      EXPECT_EQ(desc[i] - desc[prev[l]], sent[prev[l]].first) << "bubble before packet " << i << " lane " << l;
    }
    prev[l] = i;
  }
  EXPECT_GT(drv->last_install_cycle, desc[b_first]);
  EXPECT_LT(drv->last_install_cycle, desc[b_last]);
}
TEST(RtlKeyLoad, InstallWhileOtherSlotsStream) { install_while_streaming(false); }
TEST(RtlKeyLoad, KeySetupWhileOtherSlotsStream) { install_while_streaming(true); }

TEST(RtlKeyLoad, InstallWaitsForOldPacketAndHoldsNewOne) {
  std::mt19937_64 rng(6160);
  auto drv = gcm_rtl_make_driver(1, nullptr);
  ASSERT_TRUE(drv);
  const RtlKey old2{rtl_random_bytes(rng, 16), 2}, new2{rtl_random_bytes(rng, 16), 2};
  drv->load_key(2, old2.key.data(), old2.key.size());
  ASSERT_TRUE(drv->run_until_idle(100));
  GcmRtlPacket x = rtl_random_packet(rng, old2, 1, 8, 2048, false, true);
  GcmRtlPacket y = rtl_random_packet(rng, new2, 2, 8, 64, true, true);
  drv->submit(x);
  drv->load_key(2, new2.key.data(), new2.key.size());
  drv->submit(y);
  ASSERT_TRUE(drv->run_until_idle(10000));
  ASSERT_EQ(drv->done.size(), 2u);
  EXPECT_EQ(rtl_check(old2, x, drv->done[0]), "");
  EXPECT_EQ(rtl_check(new2, y, drv->done[1]), "");
  EXPECT_TRUE(drv->done[1].tag_match);
  // x's END enters at E; the load port stalls while it is in stages 0..14, then writes the
  // 15 context words of an AES-128 key; y's DESC enters the cycle after the last word.
  const uint64_t e = drv->done[0].end_cycle;
  EXPECT_EQ(drv->ld_stall_cycles, kKeyStages);
  EXPECT_EQ(drv->last_install_cycle, e + kKeyStages + kLoadWords);
  EXPECT_EQ(drv->done[1].desc_cycle, drv->last_install_cycle + 1);
}

// Words written in index order trail a packet at pipeline speed, so a load that starts after
// the old packet's END would be harmless if the lane never stopped. Under output backpressure
// the lane stalls while the load port does not: only ld_ready keeps the new round keys and H
// powers away from old packets still in the pipeline.
TEST(RtlKeyLoad, InstallUnderOutputBackpressure) {
  std::mt19937_64 rng(7170);
  auto drv = gcm_rtl_make_driver(1, nullptr);
  ASSERT_TRUE(drv);
  drv->out_stall_prob = 0.7;
  drv->rng.seed(99);
  const RtlKey old3{rtl_random_bytes(rng, 32), 3}, new3{rtl_random_bytes(rng, 16), 3};
  const RtlKey other{rtl_random_bytes(rng, 16), 5};
  drv->load_key(3, old3.key.data(), old3.key.size());
  drv->load_key(5, other.key.data(), other.key.size());
  ASSERT_TRUE(drv->run_until_idle(1000));
  RtlScoreboard sb(1);
  drv->on_out_beat = [&sb](const GcmRtlOutBeat &b) { sb.observe(b); };
  uint64_t id = 0;
  auto send = [&](const RtlKey &k, size_t len) {
    GcmRtlPacket p = rtl_random_packet(rng, k, id++, 8, len, rng() & 1, true);
    sb.expect(k, p);
    drv->submit(p);
  };
  for (int round = 0; round < 20; round++) {
    const RtlKey &k = (round % 2) ? new3 : old3;
    for (int i = 0; i < 4; i++) send(i == 2 ? other : k, 16 + rng() % 200);
    const RtlKey &next = (round % 2) ? old3 : new3;
    drv->load_key(3, next.key.data(), next.key.size());
  }
  send(old3, 64);
  ASSERT_TRUE(drv->run_until_idle(1000000));
  EXPECT_TRUE(sb.finish()) << sb.messages()[0];
  EXPECT_EQ(sb.passed(), 81u);
  EXPECT_GE(drv->ld_stall_cycles, 20 * kKeyStages);  // each install waited out a stalled lane
}

// Load latency on an idle slot equals gcm_key_load_cycles(): one load word per cycle,
// the slot usable (a packet's DESC accepted) in the cycle after the last word.
TEST(RtlKeyLoad, InstallCyclesEqualContract) {
  std::mt19937_64 rng(8180);
  auto drv = gcm_rtl_make_driver(1, nullptr);
  ASSERT_TRUE(drv);
  for (size_t key_len : {16u, 32u, 16u}) {
    const RtlKey k{rtl_random_bytes(rng, key_len), 4};
    const uint64_t c0 = drv->cycle();
    drv->load_key(4, k.key.data(), k.key.size());
    GcmRtlPacket p = rtl_random_packet(rng, k, c0, 8, 100, false, true);
    drv->submit(p);
    drv->done.clear();
    ASSERT_TRUE(drv->run_until_idle(1000));
    ASSERT_EQ(drv->done.size(), 1u);
    EXPECT_EQ(drv->last_install_cycle - c0, gcm_key_load_cycles(8 * (unsigned)key_len));
    EXPECT_EQ(drv->done[0].desc_cycle, drv->last_install_cycle + 1);
    EXPECT_EQ(rtl_check(k, p, drv->done[0]), "");
  }
  EXPECT_EQ(gcm_key_load_cycles(128), 15u);  // 11 round keys + H..H^4
  EXPECT_EQ(gcm_key_load_cycles(256), 19u);  // 15 round keys + H..H^4
  EXPECT_EQ(gcm_key_fill_cycles(256), 8u + 19u);
}

// Key setup in the core (install_key: the key only): on an idle slot the slot is usable
// gcm_key_install_cycles() after the request, Nr + 13 (closed form: request register, Nr + 1
// round keys, H, two multiplier passes of GCM_GHASH_STAGES, H^3 and H^4 written), and the
// packet that follows uses the core's own round keys and H powers (checked against OpenSSL).
TEST(RtlKeyLoad, KeySetupCyclesEqualContract) {
  EXPECT_EQ(gcm_key_install_cycles(128), 23u);
  EXPECT_EQ(gcm_key_install_cycles(256), 27u);
  std::mt19937_64 rng(8181);
  auto drv = gcm_rtl_make_driver(1, nullptr);
  ASSERT_TRUE(drv);
  for (size_t key_len : {16u, 32u, 16u, 32u}) {
    const RtlKey k{rtl_random_bytes(rng, key_len), 6};
    drv->install_key(6, k.key.data(), k.key.size());
    GcmRtlPacket p = rtl_random_packet(rng, k, drv->cycle(), 12, 333, key_len == 32, true);
    drv->submit(p);
    drv->done.clear();
    ASSERT_TRUE(drv->run_until_idle(1000));
    ASSERT_EQ(drv->done.size(), 1u);
    EXPECT_EQ(drv->last_install_cycle - drv->install_request_cycle,
              gcm_key_install_cycles(8 * (unsigned)key_len));
    EXPECT_EQ(drv->done[0].desc_cycle, drv->last_install_cycle + 1);
    EXPECT_EQ(rtl_check(k, p, drv->done[0]), "");
    EXPECT_TRUE(!p.decrypt || drv->done[0].tag_match);
  }
}

// Key setup behind an old packet of the same slot: the request is taken once the old packet
// has entered (its END in cycle e), its words wait out the key-reading stages (the first is
// written GCM_AES_STAGES cycles after the END, as with the load port), so the slot is usable
// GCM_AES_STAGES - 1 + gcm_key_install_cycles() after e; the new packet waits for it, the
// old one keeps the old key.
TEST(RtlKeyLoad, KeySetupWaitsForOldPacket) {
  std::mt19937_64 rng(6161);
  auto drv = gcm_rtl_make_driver(1, nullptr);
  ASSERT_TRUE(drv);
  const RtlKey old2{rtl_random_bytes(rng, 32), 2}, new2{rtl_random_bytes(rng, 16), 2};
  drv->install_key(2, old2.key.data(), old2.key.size());
  ASSERT_TRUE(drv->run_until_idle(100));
  GcmRtlPacket x = rtl_random_packet(rng, old2, 1, 8, 1500, false, true);
  GcmRtlPacket y = rtl_random_packet(rng, new2, 2, 8, 64, true, true);
  drv->submit(x);
  drv->install_key(2, new2.key.data(), new2.key.size());
  drv->submit(y);
  ASSERT_TRUE(drv->run_until_idle(10000));
  ASSERT_EQ(drv->done.size(), 2u);
  EXPECT_EQ(rtl_check(old2, x, drv->done[0]), "");
  EXPECT_EQ(rtl_check(new2, y, drv->done[1]), "");
  EXPECT_TRUE(drv->done[1].tag_match);
  EXPECT_EQ(drv->last_install_cycle, drv->done[0].end_cycle + kKeyStages - 1 + gcm_key_install_cycles(128));
  EXPECT_EQ(drv->done[1].desc_cycle, drv->last_install_cycle + 1);
}
