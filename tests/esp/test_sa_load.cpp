// SA file loading: the accepted format, defaults, and one-line errors naming file, line,
// column and field for unknown keys, wrong types, bad values and unsupported features.
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "ipsec_engine/sa_load.h"
}

namespace {

const char *KEY128 = "000102030405060708090a0b0c0d0e0f01020304";  // 16 + 4 salt

std::string entry(const std::string &extra = "", const std::string &name = "t1",
                  const std::string &dir = "outbound", const std::string &spi = "4096") {
  return "  - name: " + name + "\n    direction: " + dir + "\n    spi: " + spi +
         "\n    algorithm: aes-128-gcm\n    key: " + KEY128 +
         "\n    local: 192.0.2.1\n    remote: 198.51.100.1\n" + extra;
}

struct Load : ::testing::Test {
  sa_db db;
  cfg_err err;
  void SetUp() override { ASSERT_TRUE(sa_db_init(&db, nullptr)); err.msg[0] = 0; }
  void TearDown() override { sa_db_free(&db); }
  bool load(const std::string &text) {
    return sa_load_buffer(&db, "sa.yaml", text.data(), text.size(), &err);
  }
  std::string fails(const std::string &text) {
    EXPECT_FALSE(load(text));
    std::string m = err.msg;
    EXPECT_EQ(m.find('\n'), std::string::npos);
    return m;
  }
};

}  // namespace

TEST_F(Load, DefaultsAndKeySplit) {
  ASSERT_TRUE(load("sas:\n" + entry())) << err.msg;
  ASSERT_EQ(db.n, 1u);
  const sa_config &c = db.sas[0]->cfg;
  EXPECT_EQ(c.spi, 4096u);
  EXPECT_EQ(c.key_len, 16u);
  EXPECT_EQ(c.key[15], 0x0f);                       // G1: key = first 16 octets
  EXPECT_EQ(c.salt[0], 1); EXPECT_EQ(c.salt[3], 4); // salt = last 4
  EXPECT_EQ(c.replay_window, 64u);                  // R1 default
  EXPECT_EQ(c.tunnel_mtu, 9000u);
  EXPECT_EQ(c.df, SA_DF_CLEAR);
  EXPECT_FALSE(c.esn);
  EXPECT_EQ(c.udp, SA_UDP_NONE);
  EXPECT_EQ(c.outer_ttl, 64);
  EXPECT_EQ(c.lifetime_seconds, 3600u);
  EXPECT_EQ(c.lifetime_kilobytes, 0u);
}

TEST_F(Load, FullEntry) {
  std::string e = entry("    esn: true\n    replay_window: 4096\n    udp_encap: {dst_port: 5000}\n"
                        "    tunnel_mtu: 1500\n    df_bit: copy\n    copy_outer_dscp: true\n"
                        "    lifetime_seconds: 120\n    lifetime_kilobytes: 1000\n"
                        "    selector: 10.1.0.0/16\n    initial_seq: 0x1FFFFFFF0\n");
  ASSERT_TRUE(load("sas:\n" + e + entry("    udp_encap: nat-t\n", "t2", "inbound"))) << err.msg;
  const sa_config &c = db.sas[0]->cfg;
  EXPECT_TRUE(c.esn);
  EXPECT_EQ(c.replay_window, 4096u);
  EXPECT_EQ(c.udp, SA_UDP_MULTIPATH);
  EXPECT_EQ(c.udp_dst_port, 5000);
  EXPECT_EQ(c.df, SA_DF_COPY);
  EXPECT_TRUE(c.has_selector);
  EXPECT_EQ(c.selector_len, 16);
  EXPECT_EQ(c.initial_seq, UINT64_C(0x1FFFFFFF0));
  EXPECT_EQ(db.sas[0]->seq, UINT64_C(0x1FFFFFFF0));
  EXPECT_EQ(db.sas[1]->cfg.udp, SA_UDP_NATT);
  EXPECT_EQ(db.sas[1]->cfg.udp_dst_port, 4500);
  EXPECT_EQ(db.sas[1]->cfg.dir, SA_INBOUND);
}

TEST_F(Load, UnknownKeyDidYouMean) {
  EXPECT_EQ(fails("sas:\n" + entry("    replay_windw: 64\n")),
            "sa.yaml:9:5: sas[0].replay_windw: unknown key (did you mean 'replay_window'?)");
}

TEST_F(Load, WrongTypeAndBadValues) {
  std::string m = fails("sas:\n" + entry("    esn: maybe\n"));
  EXPECT_EQ(m.rfind("sa.yaml:9:10: sas[0].esn: ", 0), 0u) << m;
  m = fails("sas:\n" + entry("    replay_window: 16\n"));
  EXPECT_EQ(m.rfind("sa.yaml:9:20: sas[0].replay_window: ", 0), 0u) << m;
  EXPECT_NE(m.find("32..4096"), std::string::npos) << m;
  m = fails("sas:\n" + entry("", "t1", "outbound", "255"));
  EXPECT_EQ(m.rfind("sa.yaml:4:10: sas[0].spi: ", 0), 0u) << m;
  m = fails("sas:\n" + entry("", "t1", "sideways"));
  EXPECT_EQ(m.rfind("sa.yaml:3:16: sas[0].direction: ", 0), 0u) << m;
  EXPECT_NE(m.find("outbound"), std::string::npos) << m;
  m = fails("sas:\n" + entry("    udp_encap: {dst_port: 4500}\n"));
  EXPECT_EQ(m, "sa.yaml:9:27: sas[0].udp_encap.dst_port: 4500 is out of range (allowed: 1025..65535 except 4500)");
  m = fails("sas:\n" + entry("    selector: 10.0.0.0/33\n"));
  EXPECT_EQ(m, "sa.yaml:9:15: sas[0].selector: bad prefix length (allowed: 0..32)");
  m = fails("sas:\n" + entry("    initial_seq: 0x100000000\n"));
  EXPECT_EQ(m, "sa.yaml:9:18: sas[0].initial_seq: 4294967296 does not fit 32 bits (allowed: 0..4294967295 without esn)");
}

TEST_F(Load, KeyLengthNeverEchoesTheKey) {
  std::string t = "sas:\n" + entry();
  t.replace(t.find(KEY128), 40, "00112233445566778899aabbccddeeff");  // no salt
  std::string m = fails(t);
  EXPECT_EQ(m, "sa.yaml:6:10: sas[0].key: 16 bytes of keying material, aes-128-gcm needs 20 "
               "(16-byte key + 4-byte salt, RFC 4106 s8.1)");
  EXPECT_EQ(m.find("00112233"), std::string::npos);
}

TEST_F(Load, UnsupportedFeaturesNamed) {
  auto alg = [&](const char *a) {
    std::string t = "sas:\n" + entry();
    t.replace(t.find("aes-128-gcm"), 11, a);
    return fails(t);
  };
  EXPECT_EQ(alg("null-gmac"), "sa.yaml:5:16: sas[0].algorithm: NULL encryption (RFC 4543 AES-GMAC) "
                              "is not supported (allowed: aes-128-gcm, aes-256-gcm)");
  EXPECT_EQ(alg("aes-128-cbc"), "sa.yaml:5:16: sas[0].algorithm: non-GCM cipher 'aes-128-cbc' is not "
                                "supported (allowed: aes-128-gcm, aes-256-gcm)");
  EXPECT_NE(alg("aes-192-gcm").find("'aes-192-gcm' is not supported"), std::string::npos);
  EXPECT_EQ(fails("sas:\n" + entry("    protocol: ah\n")),
            "sa.yaml:9:15: sas[0].protocol: AH is not supported (allowed: esp)");
  EXPECT_EQ(fails("sas:\n" + entry("    mode: transport\n")),
            "sa.yaml:9:11: sas[0].mode: transport mode is not supported (allowed: tunnel)");
  EXPECT_EQ(fails("sas:\n" + entry("    ike_version: 1\n")),
            "sa.yaml:9:18: sas[0].ike_version: IKEv1 is not supported (allowed: 2)");
}

TEST_F(Load, DocumentShape) {
  EXPECT_EQ(fails("sa:\n" + entry()), "sa.yaml:1:1: sa: unknown key (did you mean 'sas'?) (allowed: sas)");
  EXPECT_EQ(fails("sas: []\n"), "sa.yaml:1:6: sas: expected a non-empty list of SAs");
  std::string m = fails("sas:\n" + entry() + entry("", "t1"));
  EXPECT_NE(m.find("SA name 't1' is used twice"), std::string::npos) << m;
  m = fails("sas:\n" + entry("", "a", "inbound") + entry("", "b", "inbound"));
  EXPECT_NE(m.find("SPI 4096 is already used by another inbound SA"), std::string::npos) << m;
  m = fails("sas:\n" + entry("    remote: 2001:db8::1\n"));
  EXPECT_NE(m.find("duplicate"), std::string::npos) << m;  // the YAML loader refuses the 2nd key
}

TEST_F(Load, MixedFamiliesRefused) {
  std::string t = "sas:\n" + entry();
  t.replace(t.find("198.51.100.1"), 12, "2001:db8::1");
  EXPECT_EQ(fails(t), "sa.yaml:8:13: sas[0].remote: address family differs from local "
                      "(allowed: both IPv4 or both IPv6)");
}

// The seed's 2000 tunnels per chassis: the 2001st SA of a direction is refused by name.
TEST_F(Load, AdmissionLimit2000Tunnels) {
  std::string t = "sas:\n";
  for (int i = 0; i < 2001; i++)
    t += entry("", "o" + std::to_string(i), "outbound", std::to_string(1000 + i));
  for (int i = 0; i < 2000; i++)
    t += entry("", "i" + std::to_string(i), "inbound", std::to_string(1000 + i));
  std::string m = fails(t);
  EXPECT_EQ(db.n_out, 2000u);
  EXPECT_NE(m.find("sas[2000]: outbound SA 'o2000' refused: the chassis admits at most 2000 tunnels"),
            std::string::npos) << m;
  sa_db_free(&db);
  ASSERT_TRUE(sa_db_init(&db, nullptr));
  t = "sas:\n";
  for (int i = 0; i < 2000; i++) {
    t += entry("", "o" + std::to_string(i), "outbound", std::to_string(1000 + i));
    t += entry("", "i" + std::to_string(i), "inbound", std::to_string(1000 + i));
  }
  ASSERT_TRUE(load(t)) << err.msg;
  EXPECT_EQ(db.n_in, 2000u);
  EXPECT_NE(sa_db_find_inbound(&db, 2999), nullptr);
  EXPECT_EQ(sa_db_find_inbound(&db, 3000), nullptr);
}

// The README's SA file example must load as documented.
TEST_F(Load, ReadmeExampleLoads) {
  FILE *f = fopen(IPSECSIM_SOURCE_DIR "/README.md", "rb");
  ASSERT_NE(f, nullptr);
  std::string s;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  fclose(f);
  size_t a = s.find("```yaml\nsas:");
  ASSERT_NE(a, std::string::npos);
  a += 8;
  size_t b = s.find("```", a);
  ASSERT_TRUE(load(s.substr(a, b - a))) << err.msg;
  ASSERT_EQ(db.n, 2u);
  EXPECT_EQ(db.sas[0]->cfg.alg, SA_AES256_GCM);
  EXPECT_EQ(db.sas[0]->cfg.replay_window, 1024u);
  EXPECT_EQ(db.sas[0]->cfg.selector_len, 16);
  EXPECT_EQ(db.sas[1]->cfg.dir, SA_INBOUND);
}

// Counters live in the stats registry: global and per SA, under the seed's names.
TEST(SaRegistry, CountersRegisteredGlobalAndPerSa) {
  stats_registry *reg = stats_create();
  sa_db db;
  ASSERT_TRUE(sa_db_init(&db, reg));
  cfg_err err;
  std::string t = "sas:\n" + entry("", "west-1");
  ASSERT_TRUE(sa_load_buffer(&db, "sa.yaml", t.data(), t.size(), &err)) << err.msg;
  const stats_counter *g = stats_find_counter(reg, "esp.global.replay_errors");
  const stats_counter *s = stats_find_counter(reg, "esp.sa.west-1.esp_authentication_failures");
  ASSERT_NE(g, nullptr);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s, db.sas[0]->ctr.v[IPSEC_CTR_ESP_AUTH_FAIL]);
  EXPECT_NE(stats_find_counter(reg, "esp.sa.west-1.encrypted_bytes"), nullptr);
  sa_db_free(&db);
  stats_destroy(reg);
}
