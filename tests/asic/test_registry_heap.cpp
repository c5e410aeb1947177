// The heap's push-in-the-past check (model/sim_heap.h, IPSECSIM_HEAP_CHECK): where the
// library has it (debug builds, the sanitizer twin of this test) a push earlier than the
// heap's processed time aborts with one line naming the kind and both times, on every push
// path (heap, FIFO lane, the root left in place by pop_before); where it has not (release
// builds) the push is taken and pops in (time, pid) order.
#include <gtest/gtest.h>

#include <csignal>

extern "C" {
#include "model/sim_heap.h"
}

namespace {

enum push_path { PUSH_HEAP, PUSH_LANE, PUSH_AFTER_POP_BEFORE };

// Pops an event at 200 fs (processed time 200), then pushes kind 7 at 100 fs. Returns the
// time of the next pop (0 when the push was refused).
sim_fs push_in_the_past(push_path path) {
  sim_heap h;
  if (!sim_heap_init(&h, 4)) return 0;
  sim_event e{};
  e.t = 200;
  e.kind = 3;
  e.pkt.pid = 1;
  sim_heap_push(&h, &e);
  e.t = 300;
  e.pkt.pid = 2;
  sim_heap_push(&h, &e);
  sim_event out;
  if (path == PUSH_AFTER_POP_BEFORE) sim_heap_pop_before(&h, 250, &out);  // root left in place
  else sim_heap_pop(&h, &out);
  e.t = 100;
  e.kind = 7;
  e.pkt.pid = 3;
  bool ok = path == PUSH_LANE ? sim_heap_push_lane(&h, &e) : sim_heap_push(&h, &e);
  sim_heap_settle(&h);
  sim_fs next = 0;
  if (ok) {
    sim_heap_pop(&h, &out);
    next = out.t;
  }
  sim_heap_free(&h);
  return next;
}

const char kMessage[] = "^sim_heap: event kind 7 pushed at t=100 fs, before the processed time 200 fs\n$";

}  // namespace

TEST(HeapCheck, PushBeforeProcessedTime) {
  testing::FLAGS_gtest_death_test_style = "threadsafe";
  RecordProperty("heap_checked", sim_heap_checked() ? "yes" : "no");
  for (push_path p : {PUSH_HEAP, PUSH_LANE, PUSH_AFTER_POP_BEFORE}) {
    if (sim_heap_checked()) EXPECT_EXIT(push_in_the_past(p), testing::KilledBySignal(SIGABRT), kMessage) << p;
    else EXPECT_EQ(push_in_the_past(p), 100u) << p;  // unchecked: taken, and it is the earliest
  }
}

// Pushing at the processed time itself is allowed (handlers schedule at the time handled).
TEST(HeapCheck, PushAtProcessedTimeIsFine) {
  sim_heap h;
  ASSERT_TRUE(sim_heap_init(&h, 4));
  sim_event e{};
  e.t = 200;
  e.pkt.pid = 1;
  sim_heap_push(&h, &e);
  sim_event out;
  sim_heap_pop(&h, &out);
  e.pkt.pid = 2;
  EXPECT_TRUE(sim_heap_push_lane(&h, &e));
  sim_heap_pop(&h, &out);
  EXPECT_EQ(out.pkt.pid, 2u);
  sim_heap_free(&h);
}
