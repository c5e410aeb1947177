// Parameter tables: a small example table applied to YAML maps, every error by its exact
// text with position and dotted field, and the printed table.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" {
#include "model/cfg.h"
}

namespace {

struct engine_cfg {
  double clock_hz;
  uint64_t lanes;
  double wan_bps;
  uint64_t latency_fs;
  uint64_t buffer_bytes;
  double soft_fraction;
  bool esn;
  int cipher;
  cfg_bytes key;
  char *name;
  double lookup_pps;
  int64_t offset;
  double ratio;
};

#define F(m) offsetof(engine_cfg, m)
const cfg_param kEngine[] = {
    {"clock", CFG_T_FREQ, "GHz", "1.2GHz", 100e6, 5e9, nullptr, CFG_SRC_PUBLISHED,
     "Trio 6 core clock", "engine clock", F(clock_hz), false},
    {"lanes", CFG_T_UINT, "", "4", 1, 64, nullptr, CFG_SRC_ASSUMED, "calibrated to 300 Gbps",
     "GCM lanes", F(lanes), false},
    {"wan_rate", CFG_T_RATE, "Gbps", "400Gbps", 1e9, 400e9, nullptr, CFG_SRC_PUBLISHED, "",
     "port group bandwidth", F(wan_bps), false},
    {"latency", CFG_T_TIME, "ns", "1.5ns", 1, 0, nullptr, CFG_SRC_ASSUMED, "", "fixed latency",
     F(latency_fs), false},
    {"buffer", CFG_T_SIZE, "KiB", "9KiB", 1, 0, nullptr, CFG_SRC_ASSUMED, "", "buffer size",
     F(buffer_bytes), false},
    {"soft_lifetime", CFG_T_PERCENT, "%", "82%", 0.01, 1.0, nullptr, CFG_SRC_DERIVED,
     "2798 of 3405 s in the seed", "soft lifetime", F(soft_fraction), false},
    {"esn", CFG_T_BOOL, "", "false", 1, 0, nullptr, CFG_SRC_ASSUMED, "", "64-bit sequence numbers",
     F(esn), false},
    {"cipher", CFG_T_ENUM, "", "aes-256-gcm", 1, 0, "aes-128-gcm|aes-256-gcm", CFG_SRC_PUBLISHED,
     "", "AEAD", F(cipher), false},
    {"key", CFG_T_HEX, "", nullptr, 20, 36, nullptr, CFG_SRC_ASSUMED, "", "key + salt", F(key),
     true},
    {"name", CFG_T_STRING, "", "vpn0", 1, 0, nullptr, CFG_SRC_ASSUMED, "", "VPN name", F(name),
     false},
    {"lookup_rate", CFG_T_PPS, "Mpps", "1.5Gpps", 1, 0, nullptr, CFG_SRC_ASSUMED, "",
     "lookups per second", F(lookup_pps), false},
    {"offset", CFG_T_INT, "", "0", -100, 100, nullptr, CFG_SRC_ASSUMED, "", "signed knob",
     F(offset), false},
    {"ratio", CFG_T_DOUBLE, "", "0.5", 0, 1, nullptr, CFG_SRC_ASSUMED, "", "a fraction", F(ratio),
     false},
};
constexpr size_t kN = sizeof kEngine / sizeof kEngine[0];

struct Applied {
  cfg_doc *doc = nullptr;
  engine_cfg cfg{};
  cfg_err err{};
  bool ok = false;
  explicit Applied(const std::string &yaml, const char *const *extra = nullptr) {
    doc = cfg_load_buffer("t.yaml", yaml.data(), yaml.size(), &err);
    if (!doc) return;
    ok = cfg_apply_table(cfg_get(cfg_root(doc), "engine"), "engine", kEngine, kN, extra, &cfg,
                         &err);
  }
  ~Applied() {
    cfg_table_free(kEngine, kN, &cfg);
    cfg_free(doc);
  }
};

std::string error_of(const std::string &yaml) {
  Applied a(yaml);
  EXPECT_FALSE(a.ok);
  return a.err.msg;
}

const std::string kKey = "  key: 000102030405060708090a0b0c0d0e0f10111213\n";

TEST(CfgTable, FixtureFileAppliesEveryType) {
  cfg_err err{};
  std::string path = std::string(IPSECSIM_SOURCE_DIR) + "/tests/data/cfg/engine_ok.yaml";
  cfg_doc *doc = cfg_load_file(path.c_str(), &err);
  ASSERT_NE(doc, nullptr) << err.msg;
  engine_cfg c{};
  ASSERT_TRUE(cfg_apply_table(cfg_get(cfg_root(doc), "engine"), "engine", kEngine, kN, nullptr,
                              &c, &err))
      << err.msg;
  EXPECT_EQ(c.clock_hz, 1.1e9);
  EXPECT_EQ(c.lanes, 8u);
  EXPECT_EQ(c.wan_bps, 300e9);
  EXPECT_EQ(c.latency_fs, 2000000000000ull);
  EXPECT_EQ(c.buffer_bytes, 16u * 1024 * 1024);
  EXPECT_EQ(c.soft_fraction, 0.75);
  EXPECT_TRUE(c.esn);
  EXPECT_EQ(c.cipher, 0);
  ASSERT_EQ(c.key.len, 20u);
  for (size_t i = 0; i < 20; i++) EXPECT_EQ(c.key.data[i], i);
  EXPECT_STREQ(c.name, "vpn-east");
  EXPECT_EQ(c.lookup_pps, 3e8);
  EXPECT_EQ(c.offset, -42);
  EXPECT_EQ(c.ratio, 0.125);
  cfg_table_free(kEngine, kN, &c);
  EXPECT_EQ(c.name, nullptr);
  EXPECT_EQ(c.key.data, nullptr);
  cfg_free(doc);
}

TEST(CfgTable, DefaultsFillWhatTheMapOmits) {
  Applied a("engine:\n" + kKey);
  ASSERT_TRUE(a.ok) << a.err.msg;
  EXPECT_EQ(a.cfg.clock_hz, 1.2e9);
  EXPECT_EQ(a.cfg.lanes, 4u);
  EXPECT_EQ(a.cfg.wan_bps, 400e9);
  EXPECT_EQ(a.cfg.latency_fs, 1500000u);
  EXPECT_EQ(a.cfg.buffer_bytes, 9216u);
  EXPECT_EQ(a.cfg.soft_fraction, 0.82);
  EXPECT_FALSE(a.cfg.esn);
  EXPECT_EQ(a.cfg.cipher, 1);
  EXPECT_STREQ(a.cfg.name, "vpn0");
  EXPECT_EQ(a.cfg.lookup_pps, 1.5e9);
}

TEST(CfgTable, UnknownKeyWithDidYouMean) {
  EXPECT_EQ(error_of("engine:\n" + kKey + "  clok: 1GHz\n"),
            "t.yaml:3:3: engine.clok: unknown key (did you mean 'clock'?)");
}

TEST(CfgTable, UnknownKeyListsAllowedWhenNothingIsClose) {
  EXPECT_EQ(error_of("engine:\n  zzzzzzzz: 1\n"),
            "t.yaml:2:3: engine.zzzzzzzz: unknown key (allowed: clock, lanes, wan_rate, latency, "
            "buffer, soft_lifetime, esn, cipher, key, name, lookup_rate, offset, ratio)");
}

TEST(CfgTable, ExtraKeysAreSkippedAndSuggested) {
  const char *extra[] = {"sas", nullptr};
  Applied ok("engine:\n" + kKey + "  sas: [1, 2]\n", extra);
  EXPECT_TRUE(ok.ok) << ok.err.msg;
  Applied bad("engine:\n" + kKey + "  sass: []\n", extra);
  EXPECT_FALSE(bad.ok);
  EXPECT_STREQ(bad.err.msg, "t.yaml:3:3: engine.sass: unknown key (did you mean 'sas'?)");
}

TEST(CfgTable, MissingRequiredKeyPointsAtTheMap) {
  EXPECT_EQ(error_of("top: 1\nengine:\n  lanes: 2\n"), "t.yaml:3:3: engine.key: missing required key");
}

TEST(CfgTable, ErrorsNameFileLineColumnAndField) {
  EXPECT_EQ(error_of("engine:\n  clock: 1.2\n"),
            "t.yaml:2:10: engine.clock: missing unit in '1.2' (allowed: Hz, kHz, MHz, GHz)");
  EXPECT_EQ(error_of("engine:\n  wan_rate: 4GHz\n"),
            "t.yaml:2:13: engine.wan_rate: 'GHz' is a unit of frequency, expected a rate "
            "(allowed: bps, Kbps, Mbps, Gbps, Tbps)");
  EXPECT_EQ(error_of("engine:\n  wan_rate: 500Gbps\n"),
            "t.yaml:2:13: engine.wan_rate: '500Gbps' is out of range (allowed: 1Gbps..400Gbps)");
  EXPECT_EQ(error_of("engine:\n  cipher: aes-128-gmc\n"),
            "t.yaml:2:11: engine.cipher: unknown value 'aes-128-gmc', did you mean 'aes-128-gcm'? "
            "(allowed: aes-128-gcm, aes-256-gcm)");
  EXPECT_EQ(error_of("engine:\n  esn: yes\n"),
            "t.yaml:2:8: engine.esn: 'yes' is not a boolean (allowed: true, false)");
  EXPECT_EQ(error_of("engine:\n  lanes: -3\n"),
            "t.yaml:2:10: engine.lanes: '-3' is out of range (allowed: 1..64)");
  EXPECT_EQ(error_of("engine:\n  clock: {a: 1}\n"),
            "t.yaml:2:10: engine.clock: expected a freq value, found a map (allowed: a scalar)");
  EXPECT_EQ(error_of("engine:\n  clock:\n"),
            "t.yaml:2:9: engine.clock: missing value (allowed: a number with a unit: Hz, kHz, MHz, GHz)");
  EXPECT_EQ(error_of("engine: [1]\n"),
            "t.yaml:1:9: engine: expected a map, found a sequence (allowed: a map of: clock, ...)");
}

TEST(CfgTable, BadSecretHexNeverEchoesTheKey) {
  std::string msg = error_of("engine:\n  key: 00010203040506070809XYZW0c0d0e0f10111213\n");
  EXPECT_EQ(msg, "t.yaml:2:8: engine.key: not a hex digit at position 21 (allowed: 0-9 a-f A-F, optional 0x)");
  EXPECT_EQ(msg.find("0001"), std::string::npos);
}

TEST(CfgTable, ParseValueChecksRangeAndNamesTheParam) {
  cfg_err err{};
  const char text[] = "v: 3Mbps\n";
  cfg_doc *doc = cfg_load_buffer("v.yaml", text, sizeof text - 1, &err);
  ASSERT_NE(doc, nullptr);
  engine_cfg c{};
  EXPECT_FALSE(cfg_parse_value(&kEngine[2], cfg_get(cfg_root(doc), "v"), &c, &err));
  EXPECT_STREQ(err.msg, "v.yaml:1:4: wan_rate: '3Mbps' is out of range (allowed: 1Gbps..400Gbps)");
  EXPECT_FALSE(cfg_parse_value(&kEngine[1], cfg_get(cfg_root(doc), "v"), &c, &err));
  EXPECT_STREQ(err.msg, "v.yaml:1:4: lanes: '3Mbps' is not an unsigned integer (allowed: decimal or 0x hex)");
  EXPECT_FALSE(cfg_parse_value(&kEngine[10], cfg_get(cfg_root(doc), "v"), &c, &err));
  EXPECT_STREQ(err.msg, "v.yaml:1:4: lookup_rate: 'Mbps' is a unit of rate, expected a packet rate (allowed: pps, Kpps, Mpps, Gpps)");
  cfg_free(doc);
}

TEST(CfgTable, BadDefaultIsReported) {
  cfg_param p = kEngine[0];
  p.def = "1.2";
  engine_cfg c{};
  cfg_err err{};
  EXPECT_FALSE(cfg_apply_defaults(&p, 1, &c, &err));
  EXPECT_STREQ(err.msg,
               "clock: invalid default in the parameter table: missing unit in '1.2' (allowed: Hz, "
               "kHz, MHz, GHz)");
}

TEST(CfgTable, PrintTable) {
  char *buf = nullptr;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  ASSERT_NE(fp, nullptr);
  cfg_print_table("engine", kEngine, 3, fp);
  cfg_print_table("secret", &kEngine[8], 1, fp);
  fclose(fp);
  std::string out(buf, len);
  free(buf);
  EXPECT_EQ(out,
            "engine parameters\n"
            "  NAME      TYPE  UNIT  DEFAULT  RANGE           SOURCE     DOC\n"
            "  clock     freq  GHz   1.2GHz   0.1GHz..5GHz    published  engine clock\n"
            "            why: Trio 6 core clock\n"
            "  lanes     uint  -     4        1..64           assumed    GCM lanes\n"
            "            why: calibrated to 300 Gbps\n"
            "  wan_rate  rate  Gbps  400Gbps  1Gbps..400Gbps  published  port group bandwidth\n"
            "secret parameters\n"
            "  NAME  TYPE  UNIT  DEFAULT   RANGE         SOURCE   DOC\n"
            "  key   hex   -     (secret)  20..36 bytes  assumed  key + salt\n");
}

}  // namespace
