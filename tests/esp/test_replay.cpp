// Anti-replay window and ESN inference (ipsec_engine/replay.c) against hand-worked RFC
// examples and a differential run of >= 10^6 random packets per window size against
// RefWindow below: a second, deliberately simple transcription of RFC 4303 s3.4.3 and
// Appendix A2.2 (signed arithmetic, a std::set of seen numbers, no bitmap).
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <random>
#include <set>

extern "C" {
#include "ipsec_engine/replay.h"
}

namespace {

struct RefWindow {
  int64_t W;
  bool esn;
  uint64_t T;        // right edge
  uint64_t initial;  // everything <= initial counts as received
  std::set<uint64_t> seen;

  // RFC 4303 A2.2, written the way the RFC states it, with signed 64-bit numbers.
  bool infer(uint32_t seql, uint64_t *out) const {
    if (!esn) { *out = seql; return true; }
    int64_t Tl = (int64_t)(T & 0xffffffffu), Th = (int64_t)(T >> 32), Seqh;
    if (Tl >= W - 1) {                       // Case A
      Seqh = ((int64_t)seql >= Tl - W + 1) ? Th : Th + 1;
    } else {                                 // Case B: Tl - W + 1 is negative, add 2^32
      Seqh = ((int64_t)seql >= Tl - W + 1 + 4294967296LL) ? Th - 1 : Th;
    }
    if (Seqh < 0 || Seqh > 0xffffffffLL) { *out = seql; return false; }
    *out = ((uint64_t)Seqh << 32) | seql;
    return true;
  }
  // 0 = ok, 1 = duplicate, 2 = too old (same meaning as replay_verdict)
  int check(uint32_t seql, uint64_t *seq) const {
    if (!infer(seql, seq)) return 2;
    uint64_t s = *seq;
    if (s == 0) return 2;
    if (s > T) return 0;
    if ((int64_t)s <= (int64_t)T - W) return 2;
    if (s <= initial || seen.count(s)) return 1;
    return 0;
  }
  void accept(uint64_t s) {
    seen.insert(s);
    if (s > T) T = s;
    while (!seen.empty() && (int64_t)*seen.begin() <= (int64_t)T - W) seen.erase(seen.begin());
  }
};

replay_window make(uint32_t w, bool esn, uint64_t top) {
  replay_window rw;
  EXPECT_TRUE(replay_init(&rw, w, esn, top));
  return rw;
}

replay_verdict feed(replay_window *w, uint32_t seql, uint64_t *seq = nullptr) {
  uint64_t s;
  replay_verdict v = replay_check(w, seql, &s);
  if (v == REPLAY_OK) replay_update(w, s);
  if (seq) *seq = s;
  return v;
}

}  // namespace

TEST(Replay, InitRejectsBadWindows) {
  replay_window w;
  EXPECT_FALSE(replay_init(&w, 31, false, 0));
  EXPECT_FALSE(replay_init(&w, 4097, false, 0));
  EXPECT_FALSE(replay_init(&w, 64, false, UINT64_C(1) << 32));  // non-ESN edge must fit 32 bits
  EXPECT_TRUE(replay_init(&w, 32, false, 0));
  EXPECT_TRUE(replay_init(&w, 4096, true, UINT64_C(1) << 40));
}

// domain.md R2: W=64, receive 1..100 except 40 -> window 37..100.
TEST(Replay, R2HandWorkedWindow64) {
  replay_window w = make(64, false, 0);
  for (uint32_t s = 1; s <= 100; s++)
    if (s != 40) { ASSERT_EQ(feed(&w, s), REPLAY_OK) << s; }
  EXPECT_EQ(feed(&w, 36), REPLAY_TOO_OLD);
  EXPECT_EQ(feed(&w, 40), REPLAY_OK);
  EXPECT_EQ(feed(&w, 40), REPLAY_DUPLICATE);
  EXPECT_EQ(feed(&w, 37), REPLAY_DUPLICATE);
  EXPECT_EQ(feed(&w, 0), REPLAY_TOO_OLD);  // sequence 0 is never sent (RFC 4303 s2.2)
}

// R3 / E8: a checked-but-not-authenticated number (forged, far right) does not move T.
TEST(Replay, CheckWithoutUpdateLeavesWindow) {
  replay_window w = make(64, false, 0);
  ASSERT_EQ(feed(&w, 10), REPLAY_OK);
  uint64_t s;
  EXPECT_EQ(replay_check(&w, 10000, &s), REPLAY_OK);  // ICV would fail: no update
  EXPECT_EQ(w.top, 10u);
  EXPECT_EQ(feed(&w, 5), REPLAY_OK);  // still inside the window
}

// Jumps inside one 64-bit block must not find stale bits (initial edge mid-block).
TEST(Replay, InitialEdgeMidBlock) {
  replay_window w = make(64, false, 70);  // 0..70 count as received
  EXPECT_EQ(feed(&w, 70), REPLAY_DUPLICATE);
  EXPECT_EQ(feed(&w, 6), REPLAY_TOO_OLD);   // 6 <= T - W
  EXPECT_EQ(feed(&w, 7), REPLAY_DUPLICATE); // inside the window, below the initial edge
  EXPECT_EQ(feed(&w, 75), REPLAY_OK);
  EXPECT_EQ(feed(&w, 72), REPLAY_OK);       // a bit above the initial edge in its block
  EXPECT_EQ(feed(&w, 71), REPLAY_OK);
  EXPECT_EQ(feed(&w, 71), REPLAY_DUPLICATE);
}

// domain.md E4/R4: crossing 2^32 with ESN and reordering inside the window.
TEST(Replay, EsnCrossesEpochWithReordering) {
  const uint64_t top = 0xFFFFFFF0u;
  replay_window w = make(64, true, top);
  uint64_t s;
  EXPECT_EQ(feed(&w, 0x00000002u, &s), REPLAY_OK);
  EXPECT_EQ(s, UINT64_C(0x100000002));     // case A, Seql < Tl-W+1 -> Th + 1
  EXPECT_EQ(feed(&w, 0xFFFFFFF8u, &s), REPLAY_OK);
  EXPECT_EQ(s, UINT64_C(0xFFFFFFF8));      // case B, Seql >= Tl-W+1 mod 2^32 -> Th - 1
  EXPECT_EQ(feed(&w, 0x00000000u, &s), REPLAY_OK);  // wire 0 is legal with ESN
  EXPECT_EQ(s, UINT64_C(0x100000000));
  EXPECT_EQ(feed(&w, 0xFFFFFFF8u, &s), REPLAY_DUPLICATE);
  EXPECT_EQ(feed(&w, 0xFFFFFFF9u, &s), REPLAY_OK);  // above the initial edge, not yet seen
  EXPECT_EQ(s, UINT64_C(0xFFFFFFF9));
  EXPECT_EQ(feed(&w, 0xFFFFFFC3u, &s), REPLAY_DUPLICATE);  // T - W + 1: left edge, inside
  EXPECT_EQ(s, UINT64_C(0xFFFFFFC3));
  // Left of the window the RFC reads the number as the far right (Th): the ICV then fails.
  EXPECT_EQ(replay_check(&w, 0xFFFFFFC2u, &s), REPLAY_OK);
  EXPECT_EQ(s, UINT64_C(0x1FFFFFFC2));
}

TEST(Replay, EsnBeforeStartIsTooOld) {
  replay_window w = make(64, true, 5);  // case B with Th = 0: Th - 1 does not exist
  uint64_t s;
  EXPECT_EQ(replay_check(&w, 0xFFFFFFFFu, &s), REPLAY_TOO_OLD);
  EXPECT_EQ(replay_check(&w, 6, &s), REPLAY_OK);
  EXPECT_EQ(s, 6u);
}

// ---- Differential run ----
namespace {

struct Pkt {
  uint64_t seq;   // what the sender used (64-bit)
  bool forged;    // ICV will not verify
};

struct Totals { uint64_t ok = 0, dup = 0, old = 0, forged = 0, wrong_high = 0, packets = 0; };

// One segment: the receiver starts with right edge `top`, the sender continues from top+1.
void run_segment(uint32_t W, bool esn, uint64_t top, int n, std::mt19937_64 &rng, Totals &t) {
  replay_window impl;
  ASSERT_TRUE(replay_init(&impl, W, esn, top));
  RefWindow ref{(int64_t)W, esn, top, top, {}};
  uint64_t next = top + 1;
  const uint64_t seq_limit = esn ? UINT64_MAX : UINT32_MAX;
  std::deque<Pkt> held;     // delayed packets (reordering)
  std::vector<uint64_t> recent;
  std::uniform_int_distribution<int> pct(0, 99);
  for (int delivered = 0; delivered < n;) {
    Pkt p{};
    int r = pct(rng);
    if (r < 6 && !recent.empty()) {                 // duplicate of a recent packet
      p = {recent[rng() % recent.size()], false};
    } else if (r < 10) {                            // forged ICV far right of the window
      p = {ref.T + W + (rng() % (UINT64_C(1) << 31)), true};
    } else if (r < 12) {                            // forged ICV anywhere
      p = {esn ? ref.T - (rng() % (UINT64_C(1) << 31)) : rng() % (UINT64_C(1) << 32), true};
    } else if (r < 40 && !held.empty()) {           // release a delayed packet
      size_t k = rng() % held.size();
      p = held[k];
      held.erase(held.begin() + (long)k);
    } else {
      if (next > seq_limit) break;
      uint64_t s = next++;
      int f = pct(rng);
      if (f < 8) continue;                          // lost
      if (f < 25) { held.push_back({s, false}); if (held.size() < 2 * W) continue; p = held.front(); held.pop_front(); }
      else p = {s, false};
      if (pct(rng) < 3) next += rng() % (2 * W);    // burst loss, sometimes beyond the window
    }
    if (!p.forged) recent.push_back(p.seq);
    if (recent.size() > 32) recent.erase(recent.begin());
    uint32_t wire = (uint32_t)p.seq;
    uint64_t si = 0, sr = 0;
    replay_verdict vi = replay_check(&impl, wire, &si);
    int vr = ref.check(wire, &sr);
    ASSERT_EQ((int)vi, vr) << "W=" << W << " esn=" << esn << " T=" << ref.T << " seq=" << p.seq;
    ASSERT_EQ(si, sr) << "inferred sequence number, W=" << W << " T=" << ref.T;
    t.packets++;
    delivered++;
    if (vr == 1) t.dup++;
    if (vr == 2) t.old++;
    if (vr != 0) continue;
    // The ICV verifies only for a genuine packet whose high bits were inferred correctly
    // (the AAD carries them, RFC 4106 s5).
    if (p.forged) { t.forged++; continue; }
    if (si != p.seq) { t.wrong_high++; continue; }
    replay_update(&impl, si);
    ref.accept(sr);
    ASSERT_EQ(impl.top, ref.T);
    t.ok++;
  }
}

void differential(uint32_t W) {
  std::mt19937_64 rng(0x5eed0000u + W);
  Totals t;
  const int seg = 6000;
  // ESN segments start a little left of an epoch boundary k * 2^32 so every one crosses it.
  for (int i = 0; i < 100; i++) {
    uint64_t k = 1 + rng() % 0xFFFFFFFEu;
    run_segment(W, true, (k << 32) - 1 - rng() % (4 * W), seg, rng, t);
  }
  // ESN from a fresh SA (case B with Th = 0: numbers before the start).
  for (int i = 0; i < 20; i++) run_segment(W, true, rng() % (2 * W), seg, rng, t);
  // 32-bit sequence numbers, including the end of the space (the sender stops at 2^32-1).
  for (int i = 0; i < 60; i++) run_segment(W, false, rng() % 0xFFFFFFFFu, seg, rng, t);
  for (int i = 0; i < 20; i++) run_segment(W, false, 0xFFFFFFFFu - rng() % (8 * W), seg, rng, t);
  std::printf("W=%u packets=%llu accepted=%llu duplicate=%llu too_old=%llu forged=%llu "
              "wrong_high_bits=%llu\n", W, (unsigned long long)t.packets,
              (unsigned long long)t.ok, (unsigned long long)t.dup, (unsigned long long)t.old,
              (unsigned long long)t.forged, (unsigned long long)t.wrong_high);
  EXPECT_GE(t.packets, 1000000u);
  // Every kind of event must actually occur, or the comparison proves little.
  EXPECT_GT(t.ok, 100000u);
  EXPECT_GT(t.dup, 1000u);
  EXPECT_GT(t.old, 1000u);
  EXPECT_GT(t.forged, 1000u);
}

}  // namespace

TEST(ReplayDifferential, Window64) { differential(64); }
TEST(ReplayDifferential, Window1024) { differential(1024); }
TEST(ReplayDifferential, Window4096) { differential(4096); }
