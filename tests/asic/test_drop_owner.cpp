// Who owns a drop at a port group's input queue: the slice (slice_backpressure) when, since the
// PG's queues were last empty, its sending has been held for lack of slice credits; otherwise
// the port group (pg_in_queue_full). Unit cases pick credit levels where "how full the slice's
// queue is" and "is the PG held" disagree, so a fill-level heuristic fails them; model cases
// run a PG-bound and a slice-bound scenario.
#include <gtest/gtest.h>

#include "asic_test_util.h"

extern "C" {
#include "portgroup/ingress_arb.h"
}

namespace {
const sim_fs kT1518 = 123040000;  // 1538 B x 8 / 100 Gbit/s, in fs
}

TEST(DropOwner, QueueFullWhileSendingIsThePortGroupsDropEvenWithTheSliceQueueMostlyFull) {
  // credits for 10 packets; 6 are in the downstream queue (credits 4 < half) but the PG is not
  // held: its next packet has credits and a dispatch is scheduled
  ingress_arb a;
  bw_server s;
  ASSERT_TRUE(ingress_arb_init(&a, 1, nullptr, 2048, 1 << 20, 2));
  ASSERT_TRUE(bw_server_init(&s, 100000000000ull, 20, 0, UINT64_MAX, 2));
  ingress_arb_set_credit(&a, 1 << 20, 10);
  sim_pkt p{};
  p.bytes = 1518;
  sim_fs x;
  for (int i = 0; i < 6; i++) ASSERT_EQ(ingress_arb_arrive(&a, &s, 0, i * kT1518, &p, 0, &x), ARB_SERVED);
  sim_fs t = 6 * kT1518;
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, t, &p, 0, &x), ARB_SERVED);           // credits 3
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, t, &p, 0, &x), ARB_QUEUED_SCHEDULE);  // waits for the server
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, t, &p, 0, &x), ARB_QUEUED);
  EXPECT_FALSE(a.held);
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, t, &p, 0, &x), ARB_DROPPED);  // queue of 2 full
  EXPECT_EQ(a.tot_held_drops, 0u);
  ingress_arb_free(&a);
  bw_server_free(&s);
}

TEST(DropOwner, QueueFullWhileHeldIsTheSlicesDropEvenWithTheSliceQueueMostlyEmpty) {
  // 20000 B of credits; an 8000 B packet in the downstream queue leaves 12000 (> half), but the
  // next packet (13000 B) does not fit: the PG is held, so a drop now is the slice's
  ingress_arb a;
  bw_server s;
  ASSERT_TRUE(ingress_arb_init(&a, 1, nullptr, 2048, 1 << 20, 1));
  ASSERT_TRUE(bw_server_init(&s, 100000000000ull, 20, 0, UINT64_MAX, 2));
  ingress_arb_set_credit(&a, 20000, 100);
  sim_pkt p{};
  sim_fs x;
  p.bytes = 8000;
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, 0, &p, 0, &x), ARB_SERVED);
  p.bytes = 13000;
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, 0, &p, 0, &x), ARB_QUEUED);
  EXPECT_TRUE(a.held);
  p.bytes = 64;
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, 1, &p, 0, &x), ARB_DROPPED_HELD);
  EXPECT_EQ(a.tot_held_drops, 1u);
  // credits back: sending resumes, but the backlog built while held is still the slice's
  ASSERT_TRUE(ingress_arb_credit_return(&a, &s, 8000, 2, &x));
  EXPECT_FALSE(a.held);
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, 3, &p, 0, &x), ARB_DROPPED_HELD);
  // the queue drains; a new backlog with credits to spare is the port group's own
  arb_item it;
  sim_fs d, next;
  ASSERT_TRUE(ingress_arb_dispatch(&a, &s, x, &it, &d, &next));
  EXPECT_EQ(a.waiting, 0u);
  sim_fs t = s.free_at + 1;
  ASSERT_TRUE(ingress_arb_credit_return(&a, &s, 8000, t, &x) == false);
  ASSERT_TRUE(ingress_arb_credit_return(&a, &s, 13000, t, &x) == false);
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, t, &p, 0, &x), ARB_SERVED);
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, t, &p, 0, &x), ARB_QUEUED_SCHEDULE);
  EXPECT_EQ(ingress_arb_arrive(&a, &s, 0, t, &p, 0, &x), ARB_DROPPED);
  ingress_arb_free(&a);
  bw_server_free(&s);
}

static double sum_flows(const AsicRun &r, int n, const std::string &suffix) {
  double v = 0;
  for (int i = 0; i < n; i++) v += r.m("flow.p" + std::to_string(i) + "." + suffix);
  return v;
}

TEST(DropOwner, PortGroupBoundWithTheSliceIdleDropsArePgInQueueFull) {
  auto r = asic_run(scenario_path("pg_bound"), {"phases.measure=100us"});
  ASSERT_TRUE(r->loaded) << r->err;
  double total = sum_flows(*r, 4, "drops.total");
  EXPECT_GT(total, 0);
  EXPECT_EQ(sum_flows(*r, 4, "drops.pg_in_queue_full"), total);
  EXPECT_EQ(r->m("r0.asic0.slice0.in.drops.slice_backpressure"), 0);
}

TEST(DropOwner, SliceBoundWithThePortGroupsFastDropsAreSliceBackpressure) {
  auto r = asic_run(scenario_path("slice_bound"), {"phases.measure=100us"});
  ASSERT_TRUE(r->loaded) << r->err;
  double total = sum_flows(*r, 8, "drops.total");
  EXPECT_GT(total, 0);
  EXPECT_EQ(sum_flows(*r, 8, "drops.slice_backpressure"), total);
  EXPECT_EQ(r->m("r0.asic0.slice0.in.drops.slice_backpressure"), total);
  EXPECT_EQ(r->m("r0.asic0.slice0.pg0.in.drops.pg_in_queue_full") + r->m("r0.asic0.slice0.pg1.in.drops.pg_in_queue_full"), 0);
}
