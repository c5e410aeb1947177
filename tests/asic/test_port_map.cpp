// The port map port -> PIC -> ASIC -> slice -> port group per preset, against counts from the
// product pages (MX304 LMIC: one ASIC, 16 x 100GE or 4 x 400GE; MX10K-LC4800: 3 ASICs, 4.8 Tbps;
// MX10K-LC9600: 24 x 400GE, 6 ASICs, 2 PICs of 12 ports) and the assumed in-ASIC order (ports
// fill PG0, PG1 of slice 0, then of slice 1); the LC4800 and LC9600 presets carrying traffic;
// port_mode / lmics refused where they do not apply; report.json carrying each port's map.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <tuple>
#include <unistd.h>
#include <sstream>

#include "asic_test_util.h"

extern "C" {
#include "asic/asic_preset.h"
}

static asic_platform plat(int preset, uint64_t lmics = 1, int mode = PORT_MODE_16X100) {
  asic_platform p{};
  p.preset = preset;
  p.lmics = lmics;
  p.port_mode = mode;
  return p;
}

TEST(PortMap, CountsPerPreset) {
  for (uint64_t l = 1; l <= 3; l++) {
    asic_platform a = plat(PRESET_MX304, l, PORT_MODE_16X100), b = plat(PRESET_MX304, l, PORT_MODE_4X400);
    EXPECT_EQ(asic_preset_asics(&a), l);
    EXPECT_EQ(asic_preset_ports(&a), 16 * l);
    EXPECT_EQ(asic_preset_asics(&b), l);
    EXPECT_EQ(asic_preset_ports(&b), 4 * l);
  }
  asic_platform c = plat(PRESET_LC4800), d = plat(PRESET_LC9600);
  EXPECT_EQ(asic_preset_asics(&c), 3u);
  EXPECT_EQ(asic_preset_ports(&c), 48u);  // 48 x 100GE = 4.8 Tbps
  EXPECT_EQ(asic_preset_asics(&d), 6u);
  EXPECT_EQ(asic_preset_ports(&d), 24u);
}

// Every ASIC gets the same number of ports, two per port group on LC9600 (4 x 400GE per ASIC),
// four per port group with 100GE; a port group never exceeds 400 Gbps of ports.
TEST(PortMap, EveryPortGroupCarriesAtMost400G) {
  for (asic_platform p : {plat(PRESET_MX304, 3), plat(PRESET_MX304, 2, PORT_MODE_4X400), plat(PRESET_LC4800),
                          plat(PRESET_LC9600)}) {
    std::map<std::tuple<uint32_t, uint32_t, uint32_t>, uint64_t> pg_bps;
    for (uint32_t i = 0; i < asic_preset_ports(&p); i++) {
      asic_port_desc d;
      asic_preset_port(&p, i, &d);
      EXPECT_LT(d.slice, 2u);
      EXPECT_LT(d.pg, 2u);
      pg_bps[{d.asic, d.slice, d.pg}] += d.rate_bps;
    }
    EXPECT_EQ(pg_bps.size(), 4u * asic_preset_asics(&p));
    for (auto &kv : pg_bps) EXPECT_EQ(kv.second, 400000000000ull);
  }
}

static std::unique_ptr<AsicRun> load(const std::string &name, const std::string &platform, const std::string &port,
                                     const std::string &out_port, bool run) {
  std::string y = "version: 1\nplatform: " + platform + "\ninterfaces:\n  - {name: " + out_port +
                  ", address: 10.9.0.1/24}\ntraffic:\n  - {name: z, port: " + port +
                  ", rate: 100%, frame: 1518B, dst: 10.9.0.2}\nphases: {warmup: 2us, measure: 20us}\n";
  return asic_run(write_temp_yaml(name, y), {}, run);
}

TEST(PortMap, Lc9600LastPortIsPic1Asic5Slice1Pg1AndCarriesLineRate) {
  auto r = load("map9600", "{preset: MX10K-LC9600}", "et-0/1/11", "et-0/0/0", true);
  ASSERT_TRUE(r->loaded) << r->err;
  const asic_world &w = r->sc.world;
  int32_t p = asic_world_port(&w, 0, "et-0/1/11");
  ASSERT_GE(p, 0);
  EXPECT_EQ(w.ports[p].pic, 1u);
  EXPECT_EQ(w.ports[p].portno, 11u);
  EXPECT_EQ(w.ports[p].asic, 5u);
  EXPECT_EQ(w.ports[p].rate_bps, 400000000000ull);
  asic_port_desc d;
  asic_preset_port(&w.routers[0].plat, (uint32_t)p, &d);
  EXPECT_EQ(d.slice, 1u);
  EXPECT_EQ(d.pg, 1u);
  EXPECT_EQ(asic_world_port(&w, 0, "et-0/1/12"), -1);
  EXPECT_EQ(asic_world_port(&w, 0, "et-0/2/0"), -1);
  EXPECT_TRUE(r->balanced) << r->conservation;
  // 400GE at 1518 B crosses to ASIC 0 over the fabric: delivered at line rate
  EXPECT_NEAR(r->m("flow.z.rx_l1_gbps"), 400.0, 4.0);
}

TEST(PortMap, Lc4800ThirdAsicLastPortIsPic2Slice1Pg1) {
  auto r = load("map4800", "{preset: MX10K-LC4800}", "et-0/2/15", "et-0/1/4", true);
  ASSERT_TRUE(r->loaded) << r->err;
  const asic_world &w = r->sc.world;
  int32_t p = asic_world_port(&w, 0, "et-0/2/15"), q = asic_world_port(&w, 0, "et-0/1/4");
  ASSERT_GE(p, 0);
  ASSERT_GE(q, 0);
  EXPECT_EQ(w.ports[p].asic, 2u);
  EXPECT_EQ(w.ports[p].rate_bps, 100000000000ull);
  EXPECT_EQ(w.ports[q].asic, 1u);
  asic_port_desc d;
  asic_preset_port(&w.routers[0].plat, (uint32_t)q, &d);
  EXPECT_EQ(d.slice, 0u);
  EXPECT_EQ(d.pg, 1u);
  EXPECT_EQ(asic_world_port(&w, 0, "et-0/3/0"), -1);
  EXPECT_TRUE(r->balanced) << r->conservation;
  EXPECT_NEAR(r->m("flow.z.rx_l1_gbps"), 100.0, 1.0);
}

TEST(PortMap, PortModeAndLmicsRefusedWhereTheyDoNotApply) {
  auto r = load("pm9600", "{preset: MX10K-LC9600, port_mode: 16x100GE}", "et-0/0/0", "et-0/0/1", false);
  EXPECT_FALSE(r->loaded);
  EXPECT_NE(r->err.find(":2:45: platform.port_mode: does not apply to MX10K-LC9600 (fixed: 4x400GE) (allowed: only "
                        "with preset MX304)"),
            std::string::npos)
      << r->err;
  r = load("lm4800", "{preset: MX10K-LC4800, lmics: 2}", "et-0/0/0", "et-0/0/1", false);
  EXPECT_FALSE(r->loaded);
  EXPECT_NE(r->err.find(":2:41: platform.lmics: does not apply to MX10K-LC4800 (fixed: 3 ASICs) (allowed: only with "
                        "preset MX304)"),
            std::string::npos)
      << r->err;
  auto s = asic_run(write_temp_yaml("pmset", "version: 1\nplatform: {preset: MX10K-LC4800}\ntraffic:\n"
                                             "  - {port: et-0/0/0, dst: 10.0.0.1}\n"),
                    {"platform.port_mode=4x400GE"}, false);
  EXPECT_FALSE(s->loaded);
  EXPECT_EQ(s->err, "--set platform.port_mode: does not apply to MX10K-LC4800 (fixed: 16x100GE) (allowed: only with "
                    "preset MX304)");
  // with MX304 both apply
  auto t = load("pm304", "{preset: MX304, lmics: 2, port_mode: 4x400GE}", "et-0/1/3", "et-0/0/0", false);
  EXPECT_TRUE(t->loaded) << t->err;
}

TEST(PortMap, ReportJsonCarriesEachPortsMap) {
  auto r = load("mapjson", "{preset: MX10K-LC9600}", "et-0/1/11", "et-0/0/0", true);
  ASSERT_TRUE(r->loaded) << r->err;
  std::string dir = std::string(IPSECSIM_BINARY_DIR) + "/tests/asic/mapjson_out." + std::to_string(getpid());
  char e[512];
  ASSERT_TRUE(asic_report_write(&r->sc, dir.c_str(), e, sizeof e)) << e;
  std::ifstream in(dir + "/report.json");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string j = ss.str();
  EXPECT_NE(j.find("{\"router\": \"r0\", \"port\": \"et-0/1/11\", \"speed_gbps\": 400, \"fpc\": 0, \"pic\": 1, "
                   "\"asic\": 5, \"slice\": 1, \"pg\": 1}"),
            std::string::npos);
  EXPECT_NE(j.find("{\"router\": \"r0\", \"port\": \"et-0/0/4\", \"speed_gbps\": 400, \"fpc\": 0, \"pic\": 0, "
                   "\"asic\": 1, \"slice\": 0, \"pg\": 0}"),
            std::string::npos);
}
