// The block attachment point at PG0 of a slice (portgroup/pg_attach.h), driven by a loopback
// "engine": a route to the block sends packets through slice.out and PG0's egress bandwidth
// to ops.offer; the block schedules its own event 1 us later in the slice's heap, then hands
// the packet back into PG0.in re-bound to another stream and route key (a port), where it
// takes a second lookup. Credits: the block's input buffer bounds what PG0.out sends it.
#include <gtest/gtest.h>

#include <vector>

#include "asic_test_util.h"

namespace {
struct Loopback {
  asic_world *w;
  uint32_t back_flow, back_key;
  uint64_t seen = 0, held = 0, max_held = 0, refused_returns = 0, returned = 0;
  sim_fs first_at = 0, last_at = 0;
};

bool offer(void *ctx, uint32_t slice, sim_fs t, const sim_pkt *pkt) {
  auto *lb = static_cast<Loopback *>(ctx);
  if (!lb->seen++) lb->first_at = t;
  lb->last_at = t;
  if (++lb->held > lb->max_held) lb->max_held = lb->held;
  asic_block_push(lb->w, slice, t + SIM_FS_PER_US, 7, 42, pkt);  // the block's own event
  return true;
}

void handle(void *ctx, uint32_t slice, const sim_event *ev) {
  auto *lb = static_cast<Loopback *>(ctx);
  EXPECT_EQ(ev->kind, SIM_EV(SIM_EVC_BLOCK, 7));
  EXPECT_EQ(ev->aux, 42u);
  sim_pkt p = ev->pkt;
  p.flow = lb->back_flow;
  p.route_key = lb->back_key;  // re-bound: the second lookup routes on the new key
  p.sa = 5;
  if (!asic_block_return(lb->w, slice, ev->t, &p)) lb->refused_returns++;
  lb->held--;
  asic_block_credit(lb->w, slice, ev->pkt.bytes, ev->t);  // its input buffer is free again
}

void returned(void *ctx, uint32_t, uint32_t, sim_fs) { static_cast<Loopback *>(ctx)->returned++; }
uint64_t held(void *ctx, uint32_t) { return static_cast<Loopback *>(ctx)->held; }

const std::string kScenario =
    "version: 1\nplatform: {preset: MX304}\n"
    "interfaces:\n  - {name: et-0/0/5, address: 10.5.0.1/24}\n"
    "traffic:\n"
    "  - {name: in, port: et-0/0/4, rate: RATE, frame: 1518B, dst: 10.7.0.1}\n"            // PG1 -> engine
    "  - {name: out, port: et-0/0/4, rate: 1%, frame: 1518B, dst: 10.5.0.2, start: 1s}\n"  // returns
    "phases: {warmup: 10us, measure: 100us}\n";

std::unique_ptr<AsicRun> load(const char *rate) {
  std::string y = kScenario;
  y.replace(y.find("RATE"), 4, rate);
  return asic_run(write_temp_yaml("engine", y), {}, false);
}

pg_block_ops ops_for(Loopback *lb, uint64_t credit_bytes, uint32_t credit_pkts) {
  pg_block_ops ops{};
  ops.ctx = lb;
  ops.rate_bps = 300000000000ull;
  ops.credit_bytes = credit_bytes;
  ops.credit_pkts = credit_pkts;
  ops.offer = offer;
  ops.handle = handle;
  ops.returned = returned;
  ops.held = held;
  return ops;
}
}  // namespace

TEST(EngineHook, Pg0CarriesEngineTrafficBothWays) {
  auto r = load("50%");
  ASSERT_TRUE(r->loaded) << r->err;
  asic_world *w = &r->sc.world;
  // what a route to an si- interface resolves to
  asic_world_set_next_hop(w, w->flows[0].first_key, 0, SLICE_NH_BLOCK);
  Loopback lb{w, 1, w->flows[1].first_key};
  pg_block_ops ops = ops_for(&lb, 0, 0);
  char err[128];
  ASSERT_TRUE(asic_attach_block(w, 0, &ops, err, sizeof err)) << err;
  EXPECT_FALSE(asic_attach_block(w, 0, &ops, err, sizeof err));
  EXPECT_STREQ(err, "cannot attach a block to slice 0 (already attached)");
  asic_sim_run_c(w);
  char msg[256];
  uint64_t sent = w->flows[0].tot_sent;
  EXPECT_EQ(lb.seen, sent);
  EXPECT_EQ(lb.returned, sent);  // PG0.in gave every return's credits back
  EXPECT_EQ(lb.refused_returns, 0u);
  EXPECT_EQ(w->flows[1].tot_recv, sent);  // every packet came back and left on et-0/0/5
  EXPECT_EQ(w->flows[1].tot_sent, 0u);
  // zero load: the engine sees the packet after PG1.in, slice in, lookup, slice out, PG0.out
  const sim_fs pg = 30760000, sl = 15380000;  // 1538 B at 400G / 800G
  EXPECT_EQ(lb.first_at, sim_ser_fs(8 + 1518, 100000000000ull) + pg + sl + 1280ull * 833333ull + sl + pg);
  asic_report_publish(&r->sc);
  // PG0 of slice 0 carried the engine traffic in both directions though none of its ports did
  double pkts = r->m("flow.in.tx_pkts");
  EXPECT_GT(pkts, 400);  // 50 Gbit/s of 1518 B for 100 us = 406 packets
  EXPECT_NEAR(r->m("r0.asic0.slice0.pg0.out.done_pkts"), pkts, 2);
  EXPECT_NEAR(r->m("r0.asic0.slice0.pg0.in.done_pkts"), pkts, 2);
  EXPECT_NEAR(r->m("r0.asic0.slice0.pg0.in.input.engine.pkts"), pkts, 2);
  EXPECT_NEAR(r->m("r0.asic0.slice0.pg0.out.l1_gbps"), 50.0, 0.5);
  EXPECT_TRUE(asic_sim_conservation(w, msg, sizeof msg)) << msg;
}

// The block's credits bound what PG0.out sends it: with room for 4 frames and each held
// 1 us, at most 4 are inside the block and the block's throughput is 4 frames per us; the
// rest wait at PG0.out (backpressure), and what overflows PG0.out's queue toward the block
// while held is the block's drop (engine_queue_full).
TEST(EngineHook, CreditsHoldPacketsAtPg0Out) {
  auto r = load("100%");
  ASSERT_TRUE(r->loaded) << r->err;
  asic_world *w = &r->sc.world;
  asic_world_set_next_hop(w, w->flows[0].first_key, 0, SLICE_NH_BLOCK);
  Loopback lb{w, 1, w->flows[1].first_key};
  pg_block_ops ops = ops_for(&lb, 4 * 1518, 4);
  char err[128];
  ASSERT_TRUE(asic_attach_block(w, 0, &ops, err, sizeof err)) << err;
  asic_sim_run_c(w);
  EXPECT_EQ(lb.max_held, 4u);
  // once the block is full, a credit comes back 1 us after its packet got in, and the next
  // packet waiting at PG0.out then takes PG0's egress service (1538 B at 400G = 30.76 ns)
  // before the block sees it: 4 packets per 1.03076 us
  double cycle_us = 1.0 + 30760000.0 / SIM_FS_PER_US;
  double us = (double)(lb.last_at - lb.first_at) / SIM_FS_PER_US;
  EXPECT_GT(lb.seen, 400u);
  EXPECT_NEAR((double)lb.seen, 4 + 4 * us / cycle_us, 4.0);
  // PG0.out's queue toward the block overflowed while the block's credits held it: the
  // block's drop (engine_queue_full), not PG0.out's
  EXPECT_GT(w->flows[0].tot_drops[DROP_ENGINE_QUEUE_FULL], 0u);
  EXPECT_EQ(w->flows[0].tot_drops[DROP_PG_OUT], 0u);
  EXPECT_EQ(w->flows[1].tot_recv, lb.seen);
  char msg[256];
  EXPECT_TRUE(asic_sim_conservation(w, msg, sizeof msg)) << msg;
}
