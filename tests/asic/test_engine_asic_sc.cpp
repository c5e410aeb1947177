// An IPsec world (encrypt on r0, decrypt at r1 over a link, an esp_of stream, a remote anchor
// over the fabric, pre-fragmentation) gives the same report.json statistics under the SystemC
// driver (one SC_METHOD per slice heap, windows of one lookahead) as under the plain C driver.
// SystemC elaborates once per process: this binary holds one SystemC run.
#include <gtest/gtest.h>

#include "engine_asic_util.h"

extern "C" {
#include "asic/asic_sc.h"
}

namespace {
void build(IpsecWorld &x) {
  uint32_t t0 = x.tunnel(0, "vpn", x.w->routers[0].first_asic_slice, "16.1.1.1", "16.1.1.2", 0x100, 0x200, 1400);
  x.tunnel(1, "vpn-b", x.w->routers[1].first_asic_slice + 1, "16.1.1.2", "16.1.1.1", 0x200, 0x100, 1400);
  uint32_t t2 = x.tunnel(1, "in", x.w->routers[1].first_asic_slice, "16.1.2.2", "16.1.2.1", 0x300, 0x400);
  x.route(0, "10.2.0.0/24", SLICE_NH_TUNNEL(t0));
  x.route(0, "16.1.1.2/32", (int32_t)x.port(0, "et-0/0/5"));
  x.route(1, "10.2.0.0/24", (int32_t)x.port(1, "et-0/0/6"));
  x.route(1, "10.3.0.0/24", (int32_t)x.port(1, "et-0/0/13"));
  x.link(x.port(0, "et-0/0/5"), x.port(1, "et-0/0/5"));
  x.stream("clear", x.port(0, "et-0/0/4"), "10.2.0.1", 1518, 60);
  x.stream("clear2", x.port(0, "et-0/0/12"), "10.2.0.2", 700, 40);
  x.stream("esp", x.port(1, "et-0/0/7"), "10.3.0.1", 1000, 80, t2);
}

std::string json_of(const asic_world *w) {
  char *buf = nullptr;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  stats_write_json(w->stats, nullptr, fp);
  fclose(fp);
  std::string s(buf, len);
  free(buf);
  return s;
}
}  // namespace

TEST(EngineAsicSystemC, SameReportAsTheCDriver) {
  IpsecWorld c(2), s(2);
  build(c);
  build(s);
  ASSERT_TRUE(c.start()) << c.err;
  ASSERT_TRUE(s.start()) << s.err;
  ASSERT_TRUE(c.run()) << c.err;
  asic_sc_run(s.w, false);
  char msg[512];
  EXPECT_TRUE(asic_sim_conservation(s.w, msg, sizeof msg)) << msg;
  asic_report_publish(&s.sc);
  EXPECT_GT(c.m("tunnel.r1.vpn-b.rx_pkts"), 500);
  EXPECT_GT(c.m("tunnel.r1.in.rx_pkts"), 500);
  EXPECT_EQ(json_of(c.w), json_of(s.w));
}
