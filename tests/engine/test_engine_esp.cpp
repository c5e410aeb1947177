// The engine's ESP shapes against the ESP transform itself (esp_encrypt_burst on real packets:
// every length, fragment count and ICMP decision must agree), and the `engine` parameter
// table: defaults, YAML, refusals with their one-line messages.
#include "esp/edges_test_util.h"
#include "engine_test_util.h"

using namespace enginetest;
using namespace esptest;

namespace {

struct Shape {
  uint8_t outer;
  sa_udp_mode udp;
  bool esn;
  uint32_t mtu;
  sa_df_mode df;
};

TEST(EngineEsp, ShapesMatchTheTransform) {
  const Shape shapes[] = {{4, SA_UDP_NONE, false, 9000, SA_DF_CLEAR},
                          {4, SA_UDP_NONE, true, 1400, SA_DF_CLEAR},
                          {4, SA_UDP_NATT, false, 1500, SA_DF_CLEAR},
                          {6, SA_UDP_NONE, false, 1400, SA_DF_CLEAR},
                          {6, SA_UDP_MULTIPATH, true, 1500, SA_DF_SET},
                          {4, SA_UDP_MULTIPATH, false, 1360, SA_DF_COPY},
                          {4, SA_UDP_NONE, false, 576, SA_DF_CLEAR}};
  Keys k = keys128();
  int compared = 0, icmp = 0, fragmented = 0;
  for (const Shape &sh : shapes) {
    sa_db db;
    ASSERT_TRUE(sa_db_init(&db, nullptr));
    sa_config c = make_cfg("out", SA_OUTBOUND, 0x1001, k, sh.outer == 4 ? "192.0.2.1" : "2001:db8::1",
                           sh.outer == 4 ? "198.51.100.1" : "2001:db8::2", sh.esn);
    c.tunnel_mtu = sh.mtu;
    c.udp = sh.udp;
    c.udp_dst_port = sh.udp == SA_UDP_NATT ? 4500 : 500;
    c.df = sh.df;
    const bool v4_only = sh.mtu < 1336;  // too small for IPv6: an IPv4-only SA (selector)
    if (v4_only) {
      c.has_selector = true;
      sa_parse_addr("10.1.0.0", &c.selector);
      c.selector_len = 16;
    }
    char why[256];
    ASSERT_TRUE(sa_db_add(&db, &c, why, sizeof why)) << why;
    db.icmp.burst = 1000000;  // the ICMP token bucket is not the engine's business
    engine_sa es;
    engine_sa_from_config(&c, &es);
    // the largest packet an SA makes (what out_fifo_depth must hold) is within its MTU
    EXPECT_LE(engine_sa_max_text(&es) + engine_esp_fixed_bytes(&es) - 2, sh.mtu);
    EXPECT_GT(engine_sa_max_text(&es) + engine_esp_fixed_bytes(&es) - 2 + 4, sh.mtu);
    for (uint32_t len = 28; len <= 3100; len += len < 200 ? 1 : 13) {
      for (int v6 = 0; v6 < 2; v6++) {
        for (int df = 0; df < 2; df++) {
          if (v6 && (df || len < 48 || v4_only)) continue;
          Bytes in = v6 ? ipv6_udp(len) : ipv4_udp(len, 0, df);
          Burst b = run_burst(&db, in);
          engine_esp_plan plan;
          const engine_plan_result r = engine_esp_plan_encrypt(&es, v6 ? 6 : 4, df, len, &plan);
          if (b.reason == ESP_R_MTU_ICMP_SENT) {
            EXPECT_EQ(r, ENGINE_PLAN_NEEDS_ICMP) << len;
            icmp++;
            continue;
          }
          ASSERT_EQ(b.reason, ESP_R_OK) << len << " " << esp_reason_name(b.reason);
          ASSERT_EQ(r, ENGINE_PLAN_OK) << len;
          ASSERT_EQ(plan.n, b.esp.size()) << len;
          fragmented += plan.n > 1;
          for (uint32_t i = 0; i < plan.n; i++) {
            const engine_esp_shape *s = engine_plan_at(&plan, i);
            ASSERT_EQ(s->esp_ip_bytes, b.esp[i].size()) << len << " fragment " << i;
            // P = the ESP payload after the IV, before the ICV (what the lane encrypts)
            const size_t off = esp_offset(b.esp[i]);
            EXPECT_EQ(s->text_bytes, b.esp[i].size() - off - 8 - 8 - 16);
            EXPECT_EQ(s->aad_bytes, sh.esn ? 12u : 8u);
            EXPECT_LE(s->esp_ip_bytes, sh.mtu);
            compared++;
          }
        }
      }
    }
    sa_db_free(&db);
  }
  EXPECT_GT(compared, 3000);
  EXPECT_GT(icmp, 100);
  EXPECT_GT(fragmented, 1000);
}

TEST(EngineEsp, StoreAndForwardRule) {
  const engine_sa a = out_sa(4, SA_UDP_NATT), b = out_sa(6, SA_UDP_NONE),
                  c = out_sa(6, SA_UDP_MULTIPATH), d = in_sa(4);
  EXPECT_FALSE(engine_sa_store_and_forward(&a));
  EXPECT_FALSE(engine_sa_store_and_forward(&b));
  EXPECT_TRUE(engine_sa_store_and_forward(&c));  // the IPv6 UDP checksum covers the ICV
  EXPECT_TRUE(engine_sa_store_and_forward(&d));  // decrypt waits for the ICV
}

TEST(EngineParams, TableDefaultsAndYaml) {
  size_t n;
  const cfg_param *t = engine_param_table(&n);
  const char *names[] = {"lanes", "clock", "overhead_cycles", "in_queue", "reorder_depth",
                         "out_fifo_depth", "sa_dispatch", "sa_cache_entries", "sa_miss_cycles"};
  ASSERT_EQ(n, 9u);
  for (size_t i = 0; i < n; i++) {
    EXPECT_STREQ(t[i].name, names[i]);
    EXPECT_TRUE(t[i].def && t[i].unit && t[i].why && t[i].doc);
  }
  engine_params p = defaults();
  EXPECT_EQ(p.lanes, 2u);
  EXPECT_EQ(p.clock, 1.2e9);
  EXPECT_EQ(p.overhead_cycles, 5u);
  EXPECT_EQ(p.in_queue, 262144u);
  EXPECT_EQ(p.reorder_depth, 64u);
  EXPECT_EQ(p.out_fifo_depth, 1024u);
  EXPECT_EQ(p.sa_dispatch, ENGINE_SPRAY);
  EXPECT_EQ(p.sa_cache_entries, 2048u);
  EXPECT_EQ(p.sa_miss_cycles, 0u);
  const std::string y = "engine: {lanes: 3, clock: 0.9GHz, overhead_cycles: 10, sa_dispatch: pin}\n";
  cfg_err err;
  cfg_doc *doc = cfg_load_buffer("e.yaml", y.data(), y.size(), &err);
  ASSERT_TRUE(doc) << err.msg;
  ASSERT_TRUE(cfg_apply_table(cfg_get(cfg_root(doc), "engine"), "engine", t, n, nullptr, &p, &err))
      << err.msg;
  EXPECT_EQ(p.lanes, 3u);
  EXPECT_EQ(p.clock, 0.9e9);
  EXPECT_EQ(p.overhead_cycles, 10u);
  EXPECT_EQ(p.sa_dispatch, ENGINE_PIN);
  cfg_free(doc);
  const std::string bad = "engine:\n  lanes: 0\n";
  doc = cfg_load_buffer("b.yaml", bad.data(), bad.size(), &err);
  ASSERT_TRUE(doc);
  EXPECT_FALSE(cfg_apply_table(cfg_get(cfg_root(doc), "engine"), "engine", t, n, nullptr, &p, &err));
  EXPECT_EQ(std::string(err.msg).rfind("b.yaml:2:10: engine.lanes: ", 0), 0u) << err.msg;
  cfg_free(doc);
  // the period is rounded once: 1e15 / 1.2e9 = 833333.3 -> 833333 fs
  Rec r(defaults(), {out_sa()});
  EXPECT_EQ(engine_period_fs(r.e), 833333u);
}

TEST(EngineParams, RefusalsNameTheField) {
  engine_params p = defaults();
  p.out_fifo_depth = 500;
  // tunnel_mtu 9100: sa_max_inner 9046, P = 9048 (566 blocks) + the tag beat = 567 beats
  Rec a(p, {out_sa(), out_sa(4, SA_UDP_NONE, 9100)});
  EXPECT_EQ(a.e, nullptr);
  EXPECT_EQ(a.why, "engine.out_fifo_depth: 500 beats cannot hold the 567 output beats of the "
                   "largest packet (SA 1, tunnel_mtu 9100) (allowed: 567..1048576)");
  p = defaults();
  p.lanes = 0;
  Rec b(p, {out_sa()});
  EXPECT_EQ(b.e, nullptr);
  EXPECT_EQ(b.why, "engine.lanes: 0 is out of range (allowed: 1..64)");
  Rec c(defaults(), {in_sa(4, 16)});
  EXPECT_EQ(c.e, nullptr);
  EXPECT_EQ(c.why, "sa 0: replay_window 16 / initial_seq 0 rejected (allowed: window 32..4096, "
                   "initial_seq < 2^32 without ESN)");
}

}  // namespace
