// Lifetimes (issue 4, RFC 4301 s4.4.2.1, DESIGN): soft and hard, seconds and kilobytes
// (1 KB = 1024 clear-side bytes), each at its exact boundary on both sides of it; soft raises
// one rekey event (soft_lifetime_reached) and lets the packet through, hard drops that packet
// and stops the SA; forged and replayed packets never age an SA.
#include <gtest/gtest.h>

#include "edges_test_util.h"

using namespace esptest;

namespace {

const char *A = "192.0.2.1", *B = "198.51.100.1";
constexpr uint64_t S = 1000000000ull;  // one second in ns

struct Life : ::testing::Test {
  sa_db db;
  Keys k = keys128();
  sa *s = nullptr;
  void SetUp() override { ASSERT_TRUE(sa_db_init(&db, nullptr)); }
  void TearDown() override { sa_db_free(&db); }
  sa *add(sa_dir dir, uint64_t secs, uint64_t kb, uint64_t soft_secs = 0, uint64_t soft_kb = 0) {
    sa_config c = make_cfg("x", dir, 0x6000, k, dir == SA_OUTBOUND ? A : B, dir == SA_OUTBOUND ? B : A);
    c.lifetime_seconds = secs;
    c.lifetime_kilobytes = kb;
    c.soft_lifetime_seconds = soft_secs;
    c.soft_lifetime_kilobytes = soft_kb;
    char why[256];
    EXPECT_TRUE(sa_db_add(&db, &c, why, sizeof why)) << why;
    return s = db.sas[db.n - 1];
  }
  esp_reason enc(size_t len, uint64_t t) {
    Bytes in = ipv4_udp(len), out(len + ESP_MAX_OVERHEAD);
    size_t n;
    return esp_encrypt(&db, in.data(), in.size(), t, out.data(), out.size(), &n, nullptr);
  }
  esp_reason dec(const Bytes &p, uint64_t t = 0) {
    Bytes out(p.size());
    size_t n;
    return esp_decrypt(&db, p.data(), p.size(), t, out.data(), out.size(), &n, nullptr);
  }
  Bytes pkt(uint64_t seq, size_t len) {
    return outer_v4(esp_seal(k, 0x6000, seq, false, esp_plain(ipv4_udp(len), 4)), A, B);
  }
  uint64_t soft() { return *s->ctr.v[IPSEC_CTR_SOFT_LIFETIME]; }
  uint64_t expired() { return *s->ctr.v[IPSEC_CTR_LIFETIME_EXPIRED]; }
};

}  // namespace

// Seconds: hard 10 s, soft by default 82% = 8.2 s after time zero (the first packet, 1 s).
TEST_F(Life, SecondsDefaultSoftAndHardEncrypt) {
  add(SA_OUTBOUND, 10, 0);
  EXPECT_EQ(enc(100, 1 * S), ESP_R_OK);
  EXPECT_EQ(enc(100, 1 * S + 8200000000ull - 1), ESP_R_OK);
  EXPECT_EQ(soft(), 0u);
  EXPECT_EQ(enc(100, 1 * S + 8200000000ull), ESP_R_OK);  // soft: rekey event, packet passes
  EXPECT_EQ(soft(), 1u);
  EXPECT_TRUE(s->soft_expired);
  EXPECT_EQ(enc(100, 11 * S - 1), ESP_R_OK);
  EXPECT_EQ(soft(), 1u);                                 // one event per SA
  EXPECT_EQ(enc(100, 11 * S), ESP_R_LIFETIME_EXPIRED);
  EXPECT_TRUE(s->hard_expired);
  EXPECT_EQ(enc(100, 11 * S + 1), ESP_R_LIFETIME_EXPIRED);
  EXPECT_EQ(expired(), 2u);
  EXPECT_EQ(*s->ctr.v[IPSEC_CTR_ENC_PKTS], 4u);
}

// Explicit soft seconds on the decrypt side.
TEST_F(Life, SecondsExplicitSoftDecrypt) {
  add(SA_INBOUND, 10, 0, 3);
  EXPECT_EQ(dec(pkt(1, 100), 0), ESP_R_OK);
  EXPECT_EQ(dec(pkt(2, 100), 3 * S - 1), ESP_R_OK);
  EXPECT_EQ(soft(), 0u);
  EXPECT_EQ(dec(pkt(3, 100), 3 * S), ESP_R_OK);
  EXPECT_EQ(soft(), 1u);
  EXPECT_EQ(dec(pkt(4, 100), 10 * S - 1), ESP_R_OK);
  EXPECT_EQ(dec(pkt(5, 100), 10 * S), ESP_R_LIFETIME_EXPIRED);
}

// Kilobytes: hard 10 KB = 10240 bytes, explicit soft 5 KB = 5120: 1024-byte packets reach
// the soft limit with the 5th and the hard one exactly with the 10th; the 11th would cross.
TEST_F(Life, KilobytesExplicitSoftAndHardEncrypt) {
  add(SA_OUTBOUND, 0, 10, 0, 5);
  for (int i = 1; i <= 10; i++) {
    EXPECT_EQ(enc(1024, 0), ESP_R_OK) << i;
    EXPECT_EQ(soft(), i >= 5 ? 1u : 0u) << i;
  }
  EXPECT_EQ(s->life_bytes, 10240u);
  EXPECT_EQ(enc(28, 0), ESP_R_LIFETIME_EXPIRED);  // even 28 more bytes cross the limit
  EXPECT_EQ(expired(), 1u);
}

// Default soft kilobytes: 82% of 100 KB = 83968 bytes, reached by the 82nd 1024-byte packet.
TEST_F(Life, KilobytesDefaultSoft) {
  add(SA_OUTBOUND, 0, 100);
  for (int i = 1; i <= 82; i++) {
    ASSERT_EQ(enc(1024, 0), ESP_R_OK);
    EXPECT_EQ(soft(), i >= 82 ? 1u : 0u) << i;
  }
}

// Only authenticated, non-replayed packets count (ODP PR 1105: replays aging an SA is a DoS).
TEST_F(Life, ForgedAndReplayedPacketsDoNotAge) {
  add(SA_INBOUND, 0, 2);  // 2048 bytes, soft at 82% = 1679.36
  EXPECT_EQ(dec(pkt(1, 1000)), ESP_R_OK);
  Bytes forged = pkt(2, 1000);
  forged[forged.size() - 1] ^= 1;
  for (int i = 0; i < 10; i++) {
    EXPECT_EQ(dec(forged), ESP_R_ICV_MISMATCH);
    EXPECT_EQ(dec(pkt(1, 1000)), ESP_R_REPLAY_DUPLICATE);
  }
  EXPECT_EQ(s->life_bytes, 1000u);
  EXPECT_EQ(soft(), 0u);
  EXPECT_EQ(dec(pkt(2, 1000)), ESP_R_OK);  // 2000 <= 2048
  EXPECT_EQ(soft(), 1u);
  EXPECT_EQ(dec(pkt(3, 49)), ESP_R_LIFETIME_EXPIRED);  // 2049 would cross
  EXPECT_EQ(s->life_bytes, 2000u);
  EXPECT_EQ(dec(pkt(4, 28)), ESP_R_LIFETIME_EXPIRED);  // stopped for good
}

TEST_F(Life, SoftMustBeBelowHard) {
  sa_config c = make_cfg("y", SA_OUTBOUND, 0x7000, k, A, B);
  c.lifetime_seconds = 10;
  c.soft_lifetime_seconds = 10;
  char why[256];
  EXPECT_FALSE(sa_db_add(&db, &c, why, sizeof why));
  c.soft_lifetime_seconds = 9;
  c.lifetime_kilobytes = 5;
  c.soft_lifetime_kilobytes = 6;
  EXPECT_FALSE(sa_db_add(&db, &c, why, sizeof why));
  c.soft_lifetime_kilobytes = 4;
  EXPECT_TRUE(sa_db_add(&db, &c, why, sizeof why)) << why;
}

// Pre-fragmentation: the clear bytes of every fragment (each fragment's header included)
// count, and a datagram whose fragments would cross the hard limit is dropped whole.
TEST_F(Life, FragmentedDatagramCountsAllFragments) {
  add(SA_OUTBOUND, 0, 2);
  s->cfg.tunnel_mtu = 1500;
  Burst b = run_burst(&db, ipv4_udp(1500));
  ASSERT_EQ(b.esp.size(), 2u);
  EXPECT_EQ(s->life_bytes, 1444u + 76u);
  Burst c = run_burst(&db, ipv4_udp(1500));
  EXPECT_EQ(c.reason, ESP_R_LIFETIME_EXPIRED);
  EXPECT_TRUE(c.esp.empty());
  EXPECT_EQ(s->seq, 2u);
}

// Lifetimes are evaluated only after the replay check and the ICV (DESIGN: forged or
// replayed packets never age an SA; a fault changes exactly one counter). Hard 10 s, soft
// 8.2 s: forged and replayed packets after the soft and after the hard time change exactly
// their own counter, raise no rekey event and do not expire the SA.
namespace {
std::vector<uint64_t> snapshot(const sa_db &db) {
  std::vector<uint64_t> v;
  for (int i = 0; i < IPSEC_CTR_COUNT; i++) v.push_back(*db.global.v[i]);
  return v;
}
// The one counter that moved, by exactly 1; IPSEC_CTR_COUNT when not exactly one moved.
int moved(const std::vector<uint64_t> &a, const std::vector<uint64_t> &b) {
  int which = IPSEC_CTR_COUNT, n = 0;
  for (int i = 0; i < IPSEC_CTR_COUNT; i++)
    if (a[i] != b[i]) { n++; which = b[i] == a[i] + 1 ? i : IPSEC_CTR_COUNT; }
  return n == 1 ? which : IPSEC_CTR_COUNT;
}
}  // namespace

TEST_F(Life, ForgedAndReplayedAfterSoftAndHardTimeChangeOneCounter) {
  add(SA_INBOUND, 10, 0);
  ASSERT_EQ(dec(pkt(1, 100), 0), ESP_R_OK);  // time zero
  Bytes forged = pkt(2, 100);
  forged[forged.size() - 1] ^= 1;
  for (uint64_t t : {9 * S, 10 * S, 11 * S}) {  // past soft (8.2 s), at and past hard (10 s)
    auto a = snapshot(db);
    EXPECT_EQ(dec(forged, t), ESP_R_ICV_MISMATCH) << t;
    auto b = snapshot(db);
    EXPECT_EQ(moved(a, b), IPSEC_CTR_ESP_AUTH_FAIL) << t;
    EXPECT_EQ(dec(pkt(1, 100), t), ESP_R_REPLAY_DUPLICATE) << t;
    EXPECT_EQ(moved(b, snapshot(db)), IPSEC_CTR_REPLAY) << t;
    EXPECT_EQ(soft(), 0u) << t;
    EXPECT_FALSE(s->soft_expired) << t;
    EXPECT_FALSE(s->hard_expired) << t;
    EXPECT_EQ(expired(), 0u) << t;
  }
  // The first authenticated packet past the hard time expires the SA: one counter, and the
  // replay window does not move (the same packet again is lifetime_expired, not a replay).
  auto a = snapshot(db);
  EXPECT_EQ(dec(pkt(2, 100), 11 * S), ESP_R_LIFETIME_EXPIRED);
  EXPECT_EQ(moved(a, snapshot(db)), IPSEC_CTR_LIFETIME_EXPIRED);
  EXPECT_TRUE(s->hard_expired);
  EXPECT_EQ(s->replay.top, 1u);
  EXPECT_EQ(dec(pkt(2, 100), 11 * S), ESP_R_LIFETIME_EXPIRED);
  EXPECT_EQ(soft(), 0u);  // no rekey event from the drop either
  // On the expired SA, forged and replayed packets still count only auth / replay.
  a = snapshot(db);
  EXPECT_EQ(dec(forged, 12 * S), ESP_R_ICV_MISMATCH);
  auto b = snapshot(db);
  EXPECT_EQ(moved(a, b), IPSEC_CTR_ESP_AUTH_FAIL);
  EXPECT_EQ(dec(pkt(1, 100), 12 * S), ESP_R_REPLAY_DUPLICATE);
  EXPECT_EQ(moved(b, snapshot(db)), IPSEC_CTR_REPLAY);
}

// The same with an explicit soft time: only an authenticated packet raises the rekey event.
TEST_F(Life, OnlyAuthenticatedPacketRaisesSoftEvent) {
  add(SA_INBOUND, 10, 0, 3);
  ASSERT_EQ(dec(pkt(1, 100), 0), ESP_R_OK);
  Bytes forged = pkt(2, 100);
  forged[forged.size() - 1] ^= 1;
  EXPECT_EQ(dec(forged, 5 * S), ESP_R_ICV_MISMATCH);
  EXPECT_EQ(dec(pkt(1, 100), 5 * S), ESP_R_REPLAY_DUPLICATE);
  EXPECT_EQ(soft(), 0u);
  auto a = snapshot(db);
  EXPECT_EQ(dec(pkt(2, 100), 5 * S), ESP_R_OK);
  auto b = snapshot(db);
  EXPECT_EQ(b[IPSEC_CTR_SOFT_LIFETIME], a[IPSEC_CTR_SOFT_LIFETIME] + 1);
  EXPECT_EQ(b[IPSEC_CTR_DEC_PKTS], a[IPSEC_CTR_DEC_PKTS] + 1);
  EXPECT_EQ(b[IPSEC_CTR_REPLAY], a[IPSEC_CTR_REPLAY]);
  EXPECT_EQ(b[IPSEC_CTR_ESP_AUTH_FAIL], a[IPSEC_CTR_ESP_AUTH_FAIL]);
}
