// The elastic output stage and the run-time overhead register against the written rules
// (contract.md / gcm_timing.h rules 1 and 3), with a C reference of the rules in this file:
//  - a packet dispatched to an idle lane in cycle s takes its DESC in cycle s + O, its beats on
//    the n consecutive cycles after, and the lane can dispatch again in cycle s + O + n;
//  - dispatch waits until the lane's FIFO credit (D minus beats reserved by started packets
//    and not yet popped) covers all ceil(P/16) + 1 output beats of the packet;
//  - an output beat can leave GCM_PIPE_CYCLES cycles after its input beat entered, in order,
//    one per cycle while out_ready.
// The pipeline itself never stalls, so under any out_ready pattern the DESC and tag cycles of
// every packet equal the reference exactly. Until engine-core's gcm_timing.h lands with
// gcm_lane_hold_cycles(), the rule is written out here (ref_hold_cycles).
#include <gtest/gtest.h>

#include <cstdio>
#include <deque>

#include "rtl_test_util.hpp"

extern "C" {
#include "ipsec_engine/gcm_timing.h"
}

namespace {

constexpr uint64_t kFifoDepth = 1024;  // gcm_core OUT_FIFO_DEPTH of the Verilated builds

uint64_t ref_hold_cycles(uint64_t aad, uint64_t text, uint64_t overhead)
{
  return overhead + gcm_cycles_per_packet(aad, text, 128);
}

struct RefTimes {
  uint64_t desc_edge, tag_edge;  // driver numbering: cycle c is recorded as edge c + 1
};

// Cycle-level reference of the rules for one lane: packets offered from cycle `start`, in order.
// credit_waits (optional) counts the cycles an idle lane waited on credit.
std::vector<RefTimes> reference(const std::vector<GcmRtlPacket> &pk, uint64_t start, uint64_t overhead,
                                uint64_t depth, const std::function<bool(uint64_t)> &ready,
                                uint64_t *credit_waits = nullptr)
{
  std::vector<RefTimes> out(pk.size());
  struct OutBeat {
    uint64_t avail;  // first cycle it can be popped
    size_t pkt;      // SIZE_MAX: a text beat
  };
  std::deque<OutBeat> fifo;  // written and pending beats, in output order
  uint64_t reserved = 0, popped = 0, lane_free = start;
  size_t next = 0, tags = 0;
  for (uint64_t c = start; tags < pk.size(); c++) {
    if (next < pk.size() && c >= lane_free) {
      const GcmRtlPacket &p = pk[next];
      const uint64_t beats = gcm_timing_blocks(p.text.size()) + 1;
      if (reserved - popped + beats <= depth) {  // pops of cycles < c count
        const uint64_t desc = c + overhead, ab = gcm_timing_blocks(p.aad.size());
        const uint64_t n = gcm_cycles_per_packet(p.aad.size(), p.text.size(), 128);
        for (uint64_t j = 0; j + 1 < beats; j++) fifo.push_back({desc + 1 + ab + j + GCM_PIPE_CYCLES, SIZE_MAX});
        fifo.push_back({desc + n - 1 + GCM_PIPE_CYCLES, next});
        out[next].desc_edge = desc + 1;
        reserved += beats;
        lane_free = c + ref_hold_cycles(p.aad.size(), p.text.size(), overhead);
        next++;
      } else if (credit_waits) {
        ++*credit_waits;
      }
    }
    if (!fifo.empty() && fifo.front().avail <= c && ready(c)) {
      if (fifo.front().pkt != SIZE_MAX) out[fifo.front().pkt].tag_edge = c + 1, tags++;
      fifo.pop_front();
      popped++;
    }
  }
  return out;
}

// A reproducible out_ready pattern: bursts of stalls of random length with duty `busy`.
struct ReadyPattern {
  std::vector<uint8_t> bits;
  ReadyPattern(uint64_t seed, double busy, size_t len)
  {
    std::mt19937_64 rng(seed);
    bits.resize(len);
    for (size_t i = 0; i < len;) {
      const size_t run = 1 + rng() % 300;
      const bool r = std::uniform_real_distribution<double>(0, 1)(rng) >= busy;
      for (size_t j = 0; j < run && i < len; j++) bits[i++] = r;
    }
  }
  bool operator()(uint64_t c) const { return c >= bits.size() || bits[c]; }
};

// Runs packets on each lane of `drv` under per-lane ready patterns and compares every packet's
// DESC and tag cycles with the reference; returns "" or the first difference.
std::string run_against_reference(GcmRtlDriver &drv, unsigned overhead, double busy, uint64_t seed,
                                  size_t per_lane, uint64_t *credit_waits = nullptr)
{
  std::mt19937_64 rng(seed);
  drv.overhead_cycles = overhead;
  RtlKey k{rtl_random_bytes(rng, 16), 0};
  drv.load_key(0, k.key.data(), 16);
  if (!drv.run_until_idle(1000)) return "key load did not finish";
  const unsigned lanes = drv.lanes();
  std::vector<ReadyPattern> pat;
  for (unsigned l = 0; l < lanes; l++) pat.emplace_back(seed * 31 + l, busy, 400000);
  drv.out_ready_fn = [&pat](unsigned l, uint64_t c) { return pat[l](c); };
  std::vector<std::vector<GcmRtlPacket>> pk(lanes);
  std::vector<std::pair<unsigned, size_t>> where;  // id -> (lane, index)
  uint64_t id = 0;
  for (unsigned l = 0; l < lanes; l++)
    for (size_t i = 0; i < per_lane; i++) {
      const size_t len = (rng() % 4 == 0) ? rng() % 2049 : rng() % 200;
      GcmRtlPacket p = rtl_random_packet(rng, k, id++, (rng() & 1) ? 8 : 12, len, rng() & 1, rng() % 8 != 0);
      p.lane = l;
      pk[l].push_back(p);
      where.push_back({l, i});
    }
  const uint64_t start = drv.cycle();
  for (size_t i = 0; i < per_lane; i++)
    for (unsigned l = 0; l < lanes; l++) drv.submit(pk[l][i]);
  if (!drv.run_until_idle(5000000)) return "core did not go idle";
  if (drv.fifo_overflows) return "output FIFO overflow flagged";
  std::vector<std::vector<RefTimes>> ref(lanes);
  for (unsigned l = 0; l < lanes; l++)
    ref[l] = reference(pk[l], start, overhead, kFifoDepth, [&pat, l](uint64_t c) { return pat[l](c); },
                       credit_waits);
  if (drv.done.size() != id) return "packets done " + std::to_string(drv.done.size());
  for (const GcmRtlDone &d : drv.done) {
    const auto [l, i] = where.at(d.id);
    const GcmRtlPacket &p = pk[l][i];
    const std::string err = rtl_check(k, p, d);
    if (!err.empty()) return err;
    if (d.drop != (p.decrypt && !d.tag_match)) return "out_drop wrong on packet " + std::to_string(d.id);
    const uint64_t n = gcm_cycles_per_packet(p.aad.size(), p.text.size(), 128);
    const std::string at = "lane " + std::to_string(l) + " packet " + std::to_string(i) + ": ";
    if (d.end_cycle - d.desc_cycle + 1 != n) return at + "beats not on consecutive cycles";
    if (d.desc_cycle != ref[l][i].desc_edge)
      return at + "DESC at " + std::to_string(d.desc_cycle) + ", rule " + std::to_string(ref[l][i].desc_edge);
    if (d.tag_cycle != ref[l][i].tag_edge)
      return at + "tag at " + std::to_string(d.tag_cycle) + ", rule " + std::to_string(ref[l][i].tag_edge);
  }
  return "";
}

}  // namespace

// The reference itself on closed forms: without backpressure a lane is busy O + n per packet
// and the tag leaves n - 1 + GCM_PIPE_CYCLES after the DESC.
TEST(RtlBackpressure, ReferenceClosedForm) {
  std::vector<GcmRtlPacket> pk(3);
  pk[0].text.resize(1500), pk[0].aad.resize(8);  // n = 97
  pk[1].text.resize(0);                           // n = 2
  pk[2].text.resize(16), pk[2].aad.resize(12);    // n = 4
  auto r = reference(pk, 100, 5, kFifoDepth, [](uint64_t) { return true; });
  EXPECT_EQ(r[0].desc_edge, 100u + 5 + 1);
  EXPECT_EQ(r[0].tag_edge, 106u + 96 + 20);
  EXPECT_EQ(r[1].desc_edge, 106u + 97 + 5);
  EXPECT_EQ(r[2].desc_edge, 208u + 2 + 5);
  // 1500 bytes = 94 text beats + the tag. Depth 96 holds it and the next packet's one beat;
  // depth 95 holds only the first, so with out_ready low until cycle 1000 the second packet is
  // dispatched in the cycle after the first pop.
  auto room = reference({pk[0], pk[1]}, 0, 0, 96, [](uint64_t c) { return c >= 1000; });
  EXPECT_EQ(room[0].desc_edge, 1u);
  EXPECT_EQ(room[1].desc_edge, 97u + 1);
  auto full = reference({pk[0], pk[1]}, 0, 0, 95, [](uint64_t c) { return c >= 1000; });
  EXPECT_EQ(full[1].desc_edge, 1001u + 1);
  EXPECT_EQ(full[0].tag_edge, 1000u + 94 + 1);  // 94 text pops from cycle 1000, then the tag
}

TEST(RtlBackpressure, OverheadRegisterHoldsTheLane) {
  for (unsigned o : {0u, 3u, 5u, 17u}) {
    auto drv = gcm_rtl_make_driver(1, nullptr);
    EXPECT_EQ(run_against_reference(*drv, o, 0.0, 3 + o, 300), "") << "overhead " << o;
  }
}

TEST(RtlBackpressure, RandomOutReadyOneLane) {
  for (double busy : {0.3, 0.6, 0.85}) {
    auto drv = gcm_rtl_make_driver(1, nullptr);
    uint64_t waits = 0;
    EXPECT_EQ(run_against_reference(*drv, 5, busy, 40 + (uint64_t)(busy * 100), 400, &waits), "")
        << "busy " << busy;
    if (busy > 0.5) {
      EXPECT_GT(waits, 1000u) << "the FIFO credit must bind in this run";
    }
  }
}

TEST(RtlBackpressure, RandomOutReadyTwoLanes) {
  auto drv = gcm_rtl_make_driver(2, nullptr);
  uint64_t waits = 0;
  EXPECT_EQ(run_against_reference(*drv, 5, 0.7, 77, 300, &waits), "");
  EXPECT_GT(waits, 1000u);
}

// 3 and 4 lanes (every N of the core): fewer packets per lane, the credit still binds.
TEST(RtlBackpressure, RandomOutReadyThreeAndFourLanes) {
  for (unsigned lanes : {3u, 4u}) {
    auto drv = gcm_rtl_make_driver(lanes, nullptr);
    uint64_t waits = 0;
    EXPECT_EQ(run_against_reference(*drv, 5, 0.7, 70 + lanes, 150, &waits), "") << lanes << " lanes";
    EXPECT_GT(waits, 1000u) << lanes << " lanes";
  }
}

// The fault build adds one output register: the same run must be reported as a violation.
TEST(RtlBackpressure, ExtraStageIsAContractViolation) {
  auto drv = gcm_rtl_make_driver(0, nullptr);
  const std::string err = run_against_reference(*drv, 5, 0.0, 5, 20);
  unsigned long long got = 0, rule = 0;
  ASSERT_EQ(std::sscanf(err.c_str(), "lane 0 packet 0: tag at %llu, rule %llu", &got, &rule), 2) << err;
  EXPECT_EQ(got, rule + 1);
}
