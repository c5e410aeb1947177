// Multi-lane streams through the 4-lane core (label long): packets mixing key sizes, 8 key
// slots, lengths 0..2048, directions and lanes, dispatched by gcm_dispatch_lane(), with random
// input-valid gaps and output-ready deassertion. Checks: every packet completes exactly once,
// in order per lane, every output bit equal to OpenSSL (the scoreboard, rtl_scoreboard.hpp, fed
// every output beat: first wrong block named through the reference GCM), beat counts exact. Without gaps: each lane holds the cycle contract and the
// reorder depth needed to restore dispatch order stays within gcm_reorder_depth_bound().
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "rtl_scoreboard.hpp"

extern "C" {
#include "ipsec_engine/gcm_timing.h"
}

namespace {

struct StreamResult {
  size_t packets = 0, reorder_max = 0;
  uint64_t max_cycles = 0, min_cycles = ~0ull;
};

StreamResult run_stream(uint64_t seed, size_t n, double gap, double stall, bool contract)
{
  std::mt19937_64 rng(seed);
  auto drv = gcm_rtl_make_driver(4, nullptr);
  drv->in_gap_prob = gap;
  drv->out_stall_prob = stall;
  drv->rng.seed(seed ^ 0x5a5a);
  std::vector<RtlKey> keys;
  for (unsigned s = 0; s < 8; s++) {
    keys.push_back({rtl_random_bytes(rng, (rng() & 1) ? 32 : 16), s});
    drv->load_key(s, keys.back().key.data(), keys.back().key.size());
  }
  drv->run_until_idle(1000);
  RtlScoreboard sb(4);  // every output beat, as the core gave it
  drv->on_out_beat = [&sb](const GcmRtlOutBeat &b) { sb.observe(b); };
  std::map<uint64_t, std::pair<RtlKey, GcmRtlPacket>> sent;
  std::vector<std::vector<uint64_t>> lane_order(4);
  uint64_t free_from[4] = {0, 0, 0, 0};
  uint64_t expect_in = 0, expect_out = 0;
  StreamResult r;
  for (uint64_t id = 0; id < n; id++) {
    const RtlKey &k = keys[rng() % 8];
    const size_t len = (rng() % 4 == 0) ? rng() % 2049 : rng() % 256;
    const size_t aad = (rng() % 2) ? 8 : (rng() % 3 ? 12 : rng() % 33);
    GcmRtlPacket p = rtl_random_packet(rng, k, id, aad, len, rng() & 1, rng() % 5 != 0);
    const uint64_t cyc = gcm_cycles_per_packet(aad, len, 8 * k.key.size());
    p.lane = gcm_dispatch_lane(free_from, 4);
    free_from[p.lane] += cyc;
    r.max_cycles = std::max(r.max_cycles, cyc);
    r.min_cycles = std::min(r.min_cycles, cyc);
    expect_in += cyc;
    expect_out += (len + 15) / 16 + 1;
    lane_order[p.lane].push_back(id);
    sent.emplace(id, std::make_pair(k, p));
    sb.expect(k, p);
    drv->submit(p);
  }
  const uint64_t in0 = drv->in_beats;
  EXPECT_TRUE(drv->run_until_idle(200000000ull));
  EXPECT_EQ(drv->in_beats - in0, expect_in);
  EXPECT_EQ(drv->out_beats, expect_out);
  EXPECT_EQ(drv->done.size(), n);

  std::set<uint64_t> seen;
  std::vector<size_t> lane_pos(4, 0);
  uint64_t next_in_order = 0;
  std::set<uint64_t> waiting;  // completed ahead of an earlier-dispatched packet
  std::vector<const GcmRtlDone *> prev_on_lane(4, nullptr);
  for (const GcmRtlDone &d : drv->done) {
    EXPECT_TRUE(seen.insert(d.id).second) << "packet " << d.id << " duplicated";
    EXPECT_LT(lane_pos[d.lane], lane_order[d.lane].size());
    if (lane_pos[d.lane] < lane_order[d.lane].size()) {
      EXPECT_EQ(d.id, lane_order[d.lane][lane_pos[d.lane]]) << "lane " << d.lane << " out of order";
    }
    lane_pos[d.lane]++;
    auto &[k, p] = sent.at(d.id);
    if (contract) {
      EXPECT_EQ(d.tag_cycle - d.desc_cycle, gcm_latency_cycles(p.aad.size(), p.text.size(), 8 * k.key.size()));
      if (prev_on_lane[d.lane]) {
        auto &[pk, pp] = sent.at(prev_on_lane[d.lane]->id);
        EXPECT_EQ(d.desc_cycle - prev_on_lane[d.lane]->desc_cycle,
                  gcm_cycles_per_packet(pp.aad.size(), pp.text.size(), 8 * pk.key.size()));
      }
    }
    prev_on_lane[d.lane] = &d;
    waiting.insert(d.id);
    while (waiting.count(next_in_order)) waiting.erase(next_in_order++);
    r.reorder_max = std::max(r.reorder_max, waiting.size());
  }
  EXPECT_TRUE(sb.finish());
  for (const std::string &m : sb.messages()) ADD_FAILURE() << m;
  EXPECT_EQ(sb.passed(), n);
  EXPECT_EQ(seen.size(), n);
  r.packets = seen.size();
  return r;
}

}  // namespace

TEST(RtlStreams, FourLanesRandomGapsAndBackpressure) {
  StreamResult r = run_stream(101, 60000, 0.25, 0.35, false);
  EXPECT_EQ(r.packets, 60000u);
}

TEST(RtlStreams, FourLanesHeavyBackpressure) {
  StreamResult r = run_stream(202, 20000, 0.6, 0.8, false);
  EXPECT_EQ(r.packets, 20000u);
}

TEST(RtlStreams, FourLanesNoGapsHoldTheContract) {
  StreamResult r = run_stream(303, 60000, 0.0, 0.0, true);
  EXPECT_EQ(r.packets, 60000u);
  EXPECT_LE(r.reorder_max, gcm_reorder_depth_bound(4, r.max_cycles, r.min_cycles));
}
