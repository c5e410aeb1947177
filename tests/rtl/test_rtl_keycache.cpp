// The key cache in RTL (gcm_key_cache.v, gcm_timing.h item 6): the key slots shared by the
// lanes, filled over the one fill port from SA context memory, LRU over slots not in use.
//  - A miss costs exactly gcm_key_fill_cycles() (closed form, both key sizes), a hit nothing.
//  - Random traffic over 16 SAs and 8 slots on 1, 2 and 4 lanes against a C reference of the
//    written rules (dispatch, fill request, LRU victim, in-use window, fill cost): every
//    dispatch cycle, lane and slot and every fill's request cycle, victim and last-word cycle
//    equal; every packet's tag at its contract cycle (fills never disturb other slots or stall
//    a lane); text and tag equal OpenSSL's. Controls: a reference with a lowest-index victim
//    instead of LRU, a fill one cycle longer, or one that may evict a slot in use, must disagree.
//  - Rewriting an SA's context invalidates its cached copy: the next packet misses and uses
//    the new key.
#include <gtest/gtest.h>

#include <map>

#include "ipsec_engine/gcm_timing.h"
#include "rtl_test_util.hpp"

namespace {

struct RefPacket {
  uint64_t id, ready;
  unsigned sa, key_bits;
  uint64_t aad, text;
};

struct RefOut {
  std::vector<GcmRtlEvent> starts;
  std::vector<GcmRtlFill> fills;
};

// The written rules, cycle by cycle (out_ready 1, FIFO credit and reorder depth never bind).
RefOut reference(const std::vector<RefPacket> &pk, unsigned lanes, unsigned slots, uint64_t O,
                 uint64_t from, bool lru = true, unsigned extra_fill = 0, bool use_rule = true)
{
  RefOut out;
  struct Slot {
    bool valid = false;
    unsigned sa = 0;
    uint64_t stamp = 0;
    std::vector<std::pair<uint64_t, uint64_t>> use;  // (dispatch, last cycle a stage reads it)
  };
  std::vector<Slot> sl(slots);
  std::vector<uint64_t> lane_free(lanes, 0);
  uint64_t ctr = 0;
  size_t head = 0;
  bool fill = false;
  uint64_t fill_done = 0;
  unsigned fill_slot = 0, fill_sa = 0;
  auto in_use = [&](const Slot &s, uint64_t c) {
    if (!use_rule) return false;
    for (const auto &u : s.use)
      if (u.first < c && c <= u.second) return true;
    return false;
  };
  for (uint64_t c = from; head < pk.size(); c++) {
    bool head_missed = false;
    std::vector<bool> taken(lanes, false);
    for (unsigned k = 0; k < lanes && head < pk.size(); k++) {
      const RefPacket &p = pk[head];
      if (p.ready > c) break;
      int slot = -1;
      for (unsigned s = 0; s < slots; s++)
        if (sl[s].valid && sl[s].sa == p.sa) slot = (int)s;
      if (slot < 0) {
        head_missed = k == 0;
        break;
      }
      int lane = -1;
      for (unsigned l = 0; l < lanes && lane < 0; l++)
        if (lane_free[l] <= c && !taken[l]) lane = (int)l;
      if (lane < 0) break;
      taken[lane] = true;
      const uint64_t n = gcm_cycles_per_packet(p.aad, p.text, p.key_bits);
      lane_free[lane] = c + gcm_lane_hold_cycles(p.aad, p.text, O);
      sl[slot].use.push_back({c, c + O + n - 1 + GCM_AES_STAGES});
      sl[slot].stamp = ctr++;
      out.starts.push_back({p.id, (unsigned)lane, c, (unsigned)slot});
      head++;
    }
    if (fill && c == fill_done) {  // last word written in cycle c: a hit from c + 1
      sl[fill_slot].valid = true;
      sl[fill_slot].sa = fill_sa;
      sl[fill_slot].stamp = ctr;
      out.fills.back().done_cycle = c;
      fill = false;
    } else if (!fill && head_missed) {
      int victim = -1;
      for (unsigned s = 0; s < slots; s++) {
        if (in_use(sl[s], c)) continue;
        if (!sl[s].valid) {
          victim = (int)s;
          break;
        }
        if (victim < 0 || (lru && sl[s].stamp < sl[victim].stamp)) victim = (int)s;
      }
      if (victim >= 0) {
        const RefPacket &p = pk[head];
        fill = true;
        fill_slot = (unsigned)victim;
        fill_sa = p.sa;
        fill_done = c + gcm_key_fill_cycles(p.key_bits) + extra_fill - 1;
        sl[victim].valid = false;
        out.fills.push_back({(unsigned)victim, c, 0});
      }
    }
  }
  return out;
}

std::string first_diff(const RefOut &ref, const GcmRtlDriver &d)
{
  for (size_t i = 0; i < ref.starts.size() && i < d.starts.size(); i++) {
    const GcmRtlEvent &a = ref.starts[i], &b = d.starts[i];
    if (a.id != b.id || a.cycle != b.cycle || a.lane != b.lane || a.slot != b.slot)
      return "dispatch " + std::to_string(i) + ": rule id " + std::to_string(a.id) + " cycle " +
             std::to_string(a.cycle) + " lane " + std::to_string(a.lane) + " slot " +
             std::to_string(a.slot) + ", RTL id " + std::to_string(b.id) + " cycle " +
             std::to_string(b.cycle) + " lane " + std::to_string(b.lane) + " slot " +
             std::to_string(b.slot);
  }
  if (ref.starts.size() != d.starts.size()) return "dispatch counts differ";
  for (size_t i = 0; i < ref.fills.size() && i < d.fills.size(); i++) {
    const GcmRtlFill &a = ref.fills[i], &b = d.fills[i];
    if (a.slot != b.slot || a.start_cycle != b.start_cycle || a.done_cycle != b.done_cycle)
      return "fill " + std::to_string(i) + ": rule slot " + std::to_string(a.slot) + " " +
             std::to_string(a.start_cycle) + ".." + std::to_string(a.done_cycle) + ", RTL slot " +
             std::to_string(b.slot) + " " + std::to_string(b.start_cycle) + ".." +
             std::to_string(b.done_cycle);
  }
  if (ref.fills.size() != d.fills.size()) return "fill counts differ";
  return "";
}

std::unique_ptr<GcmRtlDriver> cache_driver(unsigned lanes, unsigned overhead)
{
  std::unique_ptr<GcmRtlDriver> drv = gcm_rtl_make_driver(lanes, nullptr);
  if (!drv) return drv;
  drv->core_dispatch = true;
  drv->key_cache = true;
  drv->overhead_cycles = overhead;
  drv->reset();
  return drv;
}

struct CacheRun {
  std::vector<RefPacket> ref;
  std::map<uint64_t, GcmRtlPacket> sent;
  std::vector<RtlKey> keys;  // per SA
  uint64_t from = 0;
  unsigned overhead = 0;
};

// Random traffic: SAs drawn from a window that drifts (reuse and eviction both happen).
CacheRun random_run(GcmRtlDriver &drv, uint64_t seed, int n_pkts)
{
  CacheRun r;
  std::mt19937_64 rng(seed);
  r.overhead = drv.overhead_cycles;
  const unsigned n_sas = drv.reorder_contexts();
  for (unsigned s = 0; s < n_sas; s++) {
    r.keys.push_back({rtl_random_bytes(rng, rng() % 2 ? 32 : 16), 0});
    drv.write_sa_context(s, r.keys[s].key.data(), r.keys[s].key.size());
  }
  EXPECT_TRUE(drv.run_until_idle(10000));
  r.from = drv.cycle();
  uint64_t t = r.from;
  for (int i = 0; i < n_pkts; i++) {
    t += rng() % 3 == 0 ? 0 : rng() % 30;
    const unsigned sa = (unsigned)((i / 40 + rng() % 10) % n_sas);
    const size_t aad = rng() % 2 ? 8 : 12, text = rng() % 200;
    GcmRtlPacket p = rtl_random_packet(rng, r.keys[sa], (uint64_t)i, aad, text, rng() % 4 == 0, true);
    p.sa = sa;
    p.ready_cycle = t;
    drv.submit(p);
    r.sent[p.id] = p;
    r.ref.push_back({p.id, t, sa, (unsigned)r.keys[sa].key.size() * 8, aad, text});
  }
  EXPECT_TRUE(drv.run_until_idle(10000000));
  return r;
}

void check_run(const GcmRtlDriver &drv, const CacheRun &r, const std::string &where)
{
  EXPECT_EQ(drv.sched_overflows, 0u) << where;
  EXPECT_EQ(drv.fifo_overflows, 0u) << where;
  ASSERT_EQ(drv.done.size(), r.ref.size()) << where;
  std::map<uint64_t, uint64_t> start;
  for (const GcmRtlEvent &e : drv.starts) start[e.id] = e.cycle;
  for (const GcmRtlDone &d : drv.done) {
    const GcmRtlPacket &p = r.sent.at(d.id);
    const std::string err = rtl_check(r.keys[p.sa], p, d);
    EXPECT_TRUE(err.empty()) << where << ", packet " << d.id << ": " << err;
    // posedge indices: the tag beat of cycle c is counted at edge c + 1
    EXPECT_EQ(d.tag_cycle, 1 + gcm_tag_cycle(start[d.id], p.aad.size(), p.text.size(), r.overhead))
        << where << ", packet " << d.id;
  }
}

TEST(RtlKeyCache, MissCostsExactlyTheFill)
{
  std::unique_ptr<GcmRtlDriver> drv = cache_driver(1, 0);
  ASSERT_TRUE(drv);
  std::mt19937_64 rng(7);
  RtlKey k128{rtl_random_bytes(rng, 16), 0}, k256{rtl_random_bytes(rng, 32), 0};
  drv->write_sa_context(0, k128.key.data(), 16);
  drv->write_sa_context(1, k256.key.data(), 32);
  ASSERT_TRUE(drv->run_until_idle(1000));
  const RtlKey *key[2] = {&k128, &k256};
  const unsigned sa_of[4] = {0, 0, 1, 1};  // miss, hit, miss, hit
  std::vector<uint64_t> ready;
  for (unsigned i = 0; i < 4; i++) {
    GcmRtlPacket p = rtl_random_packet(rng, *key[sa_of[i]], i, 8, 100, false, true);
    p.sa = sa_of[i];
    p.ready_cycle = drv->cycle() + 5;
    ready.push_back(p.ready_cycle);
    drv->submit(p);
    ASSERT_TRUE(drv->run_until_idle(1000));
    EXPECT_TRUE(rtl_check(*key[sa_of[i]], p, drv->done.back()).empty());
  }
  ASSERT_EQ(drv->starts.size(), 4u);
  ASSERT_EQ(drv->fills.size(), 2u);
  EXPECT_EQ(drv->fills[0].start_cycle, ready[0]);
  EXPECT_EQ(drv->fills[0].done_cycle, ready[0] + gcm_key_fill_cycles(128) - 1);
  EXPECT_EQ(drv->starts[0].cycle - ready[0], gcm_key_fill_cycles(128));  // 8 + 15 = 23
  EXPECT_EQ(drv->starts[1].cycle - ready[1], 0u);
  EXPECT_EQ(drv->fills[1].start_cycle, ready[2]);
  EXPECT_EQ(drv->fills[1].done_cycle, ready[2] + gcm_key_fill_cycles(256) - 1);
  EXPECT_EQ(drv->starts[2].cycle - ready[2], gcm_key_fill_cycles(256));  // 8 + 19 = 27
  EXPECT_EQ(drv->starts[3].cycle - ready[3], 0u);
  EXPECT_EQ(drv->fills[0].slot, 0u);  // empty slots first, lowest index
  EXPECT_EQ(drv->fills[1].slot, 1u);
}

void random_rounds(unsigned lanes)
{
  for (uint64_t seed = 1; seed <= 3; seed++) {
    std::unique_ptr<GcmRtlDriver> drv = cache_driver(lanes, (unsigned)(seed * 3 % 7));
    ASSERT_TRUE(drv);
    const CacheRun r = random_run(*drv, 100 * lanes + seed, 400);
    const std::string where = std::to_string(lanes) + " lanes, seed " + std::to_string(seed);
    check_run(*drv, r, where);
    EXPECT_GT(drv->fills.size(), 20u) << where;  // the cache really misses and evicts
    const RefOut ref = reference(r.ref, lanes, drv->key_slots(), r.overhead, r.from);
    EXPECT_EQ(first_diff(ref, *drv), "") << where;
  }
}
TEST(RtlKeyCache, OneLaneEqualsRules) { random_rounds(1); }
TEST(RtlKeyCache, TwoLanesEqualRules) { random_rounds(2); }
TEST(RtlKeyCache, ThreeLanesEqualRules) { random_rounds(3); }
TEST(RtlKeyCache, FourLanesEqualRules) { random_rounds(4); }

TEST(RtlKeyCache, ControlsAreCaught)
{
  std::unique_ptr<GcmRtlDriver> drv = cache_driver(2, 3);
  ASSERT_TRUE(drv);
  const CacheRun r = random_run(*drv, 901, 400);
  EXPECT_EQ(first_diff(reference(r.ref, 2, drv->key_slots(), 3, r.from), *drv), "");
  EXPECT_NE(first_diff(reference(r.ref, 2, drv->key_slots(), 3, r.from, false), *drv), "")
      << "a lowest-index victim went unnoticed";
  EXPECT_NE(first_diff(reference(r.ref, 2, drv->key_slots(), 3, r.from, true, 1), *drv), "")
      << "a fill one cycle longer went unnoticed";
}

// The LRU slot is skipped while a packet still reads it: SA 0's long packet holds slot 0 while
// SAs 1..7 fill slots 1..7; SA 8's fill must take slot 1 (the LRU slot not in use), and SA 0's
// next packet (after its long one) must miss too only if slot 0 was evicted: it hits.
TEST(RtlKeyCache, VictimSkipsSlotsInUse)
{
  std::unique_ptr<GcmRtlDriver> drv = cache_driver(2, 0);
  ASSERT_TRUE(drv);
  std::mt19937_64 rng(5);
  CacheRun r;
  for (unsigned s = 0; s < 9; s++) {
    r.keys.push_back({rtl_random_bytes(rng, s % 2 ? 32 : 16), 0});
    drv->write_sa_context(s, r.keys[s].key.data(), r.keys[s].key.size());
  }
  ASSERT_TRUE(drv->run_until_idle(10000));
  r.from = drv->cycle();
  const unsigned order[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 0};
  for (unsigned i = 0; i < 10; i++) {
    const unsigned sa = order[i];
    const size_t text = i == 0 ? 8000 : 32;
    GcmRtlPacket p = rtl_random_packet(rng, r.keys[sa], i, 8, text, false, true);
    p.sa = sa;
    p.ready_cycle = r.from;
    drv->submit(p);
    r.sent[i] = p;
    r.ref.push_back({i, r.from, sa, (unsigned)r.keys[sa].key.size() * 8, 8, text});
  }
  ASSERT_TRUE(drv->run_until_idle(100000));
  check_run(*drv, r, "in-use case");
  ASSERT_EQ(drv->fills.size(), 9u);
  EXPECT_EQ(drv->fills[8].slot, 1u);  // slot 0 is older but still read by packet 0
  EXPECT_LT(drv->fills[8].done_cycle, drv->starts[0].cycle + 500);  // while packet 0 ran
  EXPECT_EQ(drv->starts[9].slot, 0u);  // SA 0 still cached: its second packet hits
  EXPECT_EQ(first_diff(reference(r.ref, 2, drv->key_slots(), 0, r.from), *drv), "");
  EXPECT_NE(first_diff(reference(r.ref, 2, drv->key_slots(), 0, r.from, true, 0, false), *drv), "")
      << "evicting a slot in use went unnoticed";
}

TEST(RtlKeyCache, ContextRewriteInvalidates)
{
  std::unique_ptr<GcmRtlDriver> drv = cache_driver(2, 0);
  ASSERT_TRUE(drv);
  std::mt19937_64 rng(11);
  RtlKey old_key{rtl_random_bytes(rng, 16), 0}, new_key{rtl_random_bytes(rng, 32), 0};
  drv->write_sa_context(3, old_key.key.data(), 16);
  ASSERT_TRUE(drv->run_until_idle(1000));
  GcmRtlPacket a = rtl_random_packet(rng, old_key, 0, 8, 64, false, true);
  a.sa = 3;
  drv->submit(a);
  ASSERT_TRUE(drv->run_until_idle(1000));
  drv->write_sa_context(3, new_key.key.data(), 32);
  GcmRtlPacket b = rtl_random_packet(rng, new_key, 1, 8, 64, true, true);
  b.sa = 3;
  drv->submit(b);
  ASSERT_TRUE(drv->run_until_idle(1000));
  ASSERT_EQ(drv->done.size(), 2u);
  EXPECT_TRUE(rtl_check(old_key, a, drv->done[0]).empty());
  EXPECT_TRUE(rtl_check(new_key, b, drv->done[1]).empty());
  ASSERT_EQ(drv->fills.size(), 2u);  // the rewrite made the second packet miss
  EXPECT_EQ(drv->fills[1].done_cycle - drv->fills[1].start_cycle + 1, gcm_key_fill_cycles(256));
}

}  // namespace
