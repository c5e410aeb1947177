// Random packets of every text length 0..2048, AES-128 and AES-256, AAD of 0, 8, 12 bytes and
// odd lengths, encrypt and decrypt (good and corrupted tags, 16/12/8-byte compares), streamed
// back to back through the 1-lane core and checked bit for bit against OpenSSL. The same
// stream checks the timing contract: each DESC beat follows the previous packet's by
// gcm_cycles_per_packet() (no gaps offered, so one block per cycle in steady state).
#include <gtest/gtest.h>

#include <map>

#include "rtl_test_util.hpp"

extern "C" {
#include "ipsec_engine/gcm_timing.h"
}

namespace {

struct PacketRun {
  std::map<uint64_t, std::pair<RtlKey, GcmRtlPacket>> sent;
  std::vector<uint64_t> order;
};

void check_run(GcmRtlDriver &drv, PacketRun &run, bool contract)
{
  ASSERT_TRUE(drv.run_until_idle(100000000ull));
  ASSERT_EQ(drv.done.size(), run.order.size());
  size_t bad = 0;
  for (size_t i = 0; i < drv.done.size(); i++) {
    const GcmRtlDone &d = drv.done[i];
    ASSERT_EQ(d.id, run.order[i]) << "lane 0 completed out of order";
    auto &[k, p] = run.sent.at(d.id);
    std::string err = rtl_check(k, p, d);
    if (!err.empty() && ++bad <= 5) ADD_FAILURE() << err;
    if (contract && i > 0) {
      auto &[pk, pp] = run.sent.at(run.order[i - 1]);
      const uint64_t want = gcm_cycles_per_packet(pp.aad.size(), pp.text.size(), 8 * pk.key.size());
      ASSERT_EQ(d.desc_cycle - drv.done[i - 1].desc_cycle, want) << "packet " << d.id;
      ASSERT_EQ(d.tag_cycle - d.desc_cycle, gcm_latency_cycles(p.aad.size(), p.text.size(), 8 * k.key.size()))
          << "packet " << d.id;
    }
  }
  EXPECT_EQ(bad, 0u);
}

}  // namespace

class RtlRandom : public ::testing::TestWithParam<bool> {};

TEST_P(RtlRandom, EveryLengthBothKeySizesAgainstOpenSsl) {
  const bool decrypt = GetParam();
  std::mt19937_64 rng(decrypt ? 2024 : 2023);
  auto drv = gcm_rtl_make_driver(1, nullptr);
  ASSERT_TRUE(drv);
  std::vector<RtlKey> keys;
  for (unsigned s = 0; s < 4; s++) {  // slots 0,1: AES-128; 2,3: AES-256
    keys.push_back({rtl_random_bytes(rng, s < 2 ? 16 : 32), s});
    drv->load_key(s, keys.back().key.data(), keys.back().key.size());
  }
  // Installs first: a packet is held until its own slot's install completes (ld_ready
  // handshake), which would show up as a gap in the contract check below.
  ASSERT_TRUE(drv->run_until_idle(1000));
  PacketRun run;
  uint64_t id = 1;
  const size_t aad_fixed[] = {0, 8, 12};
  for (size_t len = 0; len <= 2048; len++) {
    for (unsigned ks = 0; ks < 2; ks++) {
      for (unsigned a = 0; a < 4; a++) {
        const size_t aad = a < 3 ? aad_fixed[a] : 1 + 2 * (rng() % 40);  // odd: 1..79
        const RtlKey &k = keys[2 * ks + (rng() & 1)];
        const unsigned tag_len = (a == 1) ? 12 : (a == 2 ? 8 : 16);
        const bool good = !decrypt || (rng() % 4 != 0);
        GcmRtlPacket p = rtl_random_packet(rng, k, id++, aad, len, decrypt, good, tag_len);
        run.sent.emplace(p.id, std::make_pair(k, p));
        run.order.push_back(p.id);
        drv->submit(p);
      }
    }
  }
  check_run(*drv, run, true);
  // Packets = 2049 lengths x 2 key sizes x 4 AAD classes.
  EXPECT_EQ(run.order.size(), 2049u * 2 * 4);
}

INSTANTIATE_TEST_SUITE_P(Directions, RtlRandom, ::testing::Values(false, true),
                         [](const auto &i) { return i.param ? "Decrypt" : "Encrypt"; });

// Random input-valid gaps and output-ready deassertion on one lane: nothing lost, duplicated or
// reordered; every output bit checked.
TEST(RtlRandomStall, OneLaneWithGapsAndBackpressure) {
  std::mt19937_64 rng(7);
  auto drv = gcm_rtl_make_driver(1, nullptr);
  drv->in_gap_prob = 0.3;
  drv->out_stall_prob = 0.4;
  std::vector<RtlKey> keys;
  for (unsigned s = 0; s < 8; s++) {
    keys.push_back({rtl_random_bytes(rng, (s & 1) ? 32 : 16), s});
    drv->load_key(s, keys.back().key.data(), keys.back().key.size());
  }
  PacketRun run;
  for (uint64_t id = 1; id <= 3000; id++) {
    const RtlKey &k = keys[rng() % 8];
    const size_t len = (rng() % 3 == 0) ? rng() % 2049 : rng() % 100;
    GcmRtlPacket p = rtl_random_packet(rng, k, id, rng() % 3 == 0 ? rng() % 40 : 8, len, rng() & 1, rng() & 1);
    run.sent.emplace(p.id, std::make_pair(k, p));
    run.order.push_back(p.id);
    drv->submit(p);
  }
  check_run(*drv, run, false);
}
