// SA file loading: the accepted format, defaults, and one-line errors naming file, line,
// column and field for unknown keys, wrong types, bad values and unsupported features.
#include <gtest/gtest.h>

#include <string>
#include <vector>

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
  EXPECT_EQ(m, "sa.yaml:9:10: sas[0].esn: 'maybe' is not a boolean (allowed: true, false)") << m;
  m = fails("sas:\n" + entry("    replay_window: 16\n"));
  EXPECT_EQ(m, "sa.yaml:9:20: sas[0].replay_window: '16' is out of range (allowed: 32..4096)") << m;
  m = fails("sas:\n" + entry("", "t1", "outbound", "255"));
  EXPECT_EQ(m, "sa.yaml:4:10: sas[0].spi: '255' is out of range (allowed: 256..4294967295)") << m;
  m = fails("sas:\n" + entry("", "t1", "sideways"));
  EXPECT_EQ(m, "sa.yaml:3:16: sas[0].direction: unknown value 'sideways' (allowed: outbound, inbound)") << m;
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
  EXPECT_EQ(m, "sa.yaml:9:11: sas[1].name: 't1' is already the name of outbound SA (sas[0], "
               "sa.yaml:2) (allowed: a name used once)");
  m = fails("sas:\n" + entry("", "a", "inbound") + entry("", "b", "inbound"));
  EXPECT_EQ(m, "sa.yaml:11:10: sas[1].spi: 4096 is already the SPI of inbound SA 'a' (sas[0], "
               "sa.yaml:2) (allowed: an SPI used once per direction)");
  m = fails("sas:\n" + entry("    remote: 2001:db8::1\n"));
  EXPECT_EQ(m, "sa.yaml:9:5: sas[0].remote: duplicate key (first at line 8 col 5)") << m;  // the YAML loader refuses the 2nd key
  EXPECT_EQ(fails("{}\n"), "sa.yaml:1:1: sas: missing required key");
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
  // Distinct /32 selectors: 2000 catch-alls would be an ambiguous set.
  auto sel = [](int i) {
    return "    selector: 10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256) + "/32\n";
  };
  for (int i = 0; i < 2001; i++)
    t += entry(sel(i), "o" + std::to_string(i), "outbound", std::to_string(1000 + i));
  for (int i = 0; i < 2000; i++)
    t += entry("", "i" + std::to_string(i), "inbound", std::to_string(1000 + i));
  std::string m = fails(t);
  EXPECT_EQ(db.n_out, 2000u);
  EXPECT_EQ(m, "sa.yaml:16002:5: sas[2000]: outbound SA 'o2000' refused: the chassis admits at most 2000 "
                 "tunnels (2000 outbound SAs already installed)") << m;
  sa_db_free(&db);
  ASSERT_TRUE(sa_db_init(&db, nullptr));
  t = "sas:\n";
  for (int i = 0; i < 2000; i++) {
    t += entry(sel(i), "o" + std::to_string(i), "outbound", std::to_string(1000 + i));
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

// Unquoted null / ~ / empty is YAML's null: the loader names NULL encryption, not a missing
// value. A quoted "null" or "" says the same.
TEST_F(Load, NullAlgorithmNamesNullEncryption) {
  const std::string msg = "sas[0].algorithm: NULL encryption (RFC 4543 AES-GMAC) is not supported "
                          "(allowed: aes-128-gcm, aes-256-gcm)";
  for (const char *a : {"null", "~", "NULL", "Null", "\"null\"", "\"\""}) {
    std::string t = "sas:\n" + entry();
    t.replace(t.find("aes-128-gcm"), 11, a);
    EXPECT_EQ(fails(t), "sa.yaml:5:16: " + msg) << a;
  }
  std::string t = "sas:\n" + entry();
  t.replace(t.find(" aes-128-gcm"), 12, "");  // "algorithm:" with nothing after it
  std::string m = fails(t);
  EXPECT_EQ(m.substr(m.find(" sas[0]") + 1), msg) << m;
}

// Every message of sa_load.c (FAIL_AT / cfg_fail) and of sa_db_add (sa.c), by full text.
TEST_F(Load, EveryLoaderMessageFullText) {
  auto one = [&](const std::string &extra) { return fails("sas:\n" + entry(extra)); };
  auto alg = [&](const char *a) {
    std::string t = "sas:\n" + entry();
    t.replace(t.find("aes-128-gcm"), 11, a);
    return fails(t);
  };
  EXPECT_EQ(alg("aes-192-gcm"), "sa.yaml:5:16: sas[0].algorithm: 'aes-192-gcm' is not supported by "
                                "the inline engine (allowed: aes-128-gcm, aes-256-gcm)");
  EXPECT_EQ(one("    udp_encap: gre\n"),
            "sa.yaml:9:16: sas[0].udp_encap: 'gre' is not an encapsulation (allowed: none, nat-t, "
            "multipath, or a map with dst_port)");
  EXPECT_EQ(one("    udp_encap: [500]\n"),
            "sa.yaml:9:16: sas[0].udp_encap: expected a scalar or a map (allowed: none, nat-t, "
            "{dst_port: N})");
  EXPECT_EQ(one("    udp_encap: {port: 5000}\n"),
            "sa.yaml:9:17: sas[0].udp_encap: unknown key 'port' (allowed: dst_port)");
  EXPECT_EQ(one("    udp_encap: {}\n"),
            "sa.yaml:9:16: sas[0].udp_encap.dst_port: missing required key");
  EXPECT_EQ(one("    udp_encap: {dst_port: 50x}\n"),
            "sa.yaml:9:27: sas[0].udp_encap.dst_port: not a port number (allowed: 1025..65535 "
            "except 4500)");
  EXPECT_EQ(one("    udp_encap: {dst_port: 1024}\n"),
            "sa.yaml:9:27: sas[0].udp_encap.dst_port: 1024 is out of range (allowed: 1025..65535 "
            "except 4500)");
  EXPECT_EQ(one("    selector: [10.0.0.0/8]\n"),
            "sa.yaml:9:15: sas[0].selector: expected a prefix such as 10.1.0.0/16 or 2001:db8::/32");
  EXPECT_EQ(one("    selector: 10.0.0/8\n"),
            "sa.yaml:9:15: sas[0].selector: '10.0.0/8' is not an address prefix (allowed: "
            "A.B.C.D/N, X:X::X/N)");
  EXPECT_EQ(one("    selector: 2001:db8::/129\n"),
            "sa.yaml:9:15: sas[0].selector: bad prefix length (allowed: 0..128)");
  EXPECT_EQ(one("    protocol: gre\n"),
            "sa.yaml:9:15: sas[0].protocol: 'gre' is not supported (allowed: esp)");
  EXPECT_EQ(one("    mode: beet\n"),
            "sa.yaml:9:11: sas[0].mode: 'beet' is not a mode (allowed: tunnel)");
  EXPECT_EQ(one("    ike_version: 3\n"),
            "sa.yaml:9:18: sas[0].ike_version: 3 is not an IKE version (allowed: 2)");
  EXPECT_EQ(fails("sas:\n" + entry("", "west.1")),
            "sa.yaml:2:11: sas[0].name: 'west.1' is not a valid name (allowed: letters, digits, _ "
            "and -, at most 63 characters)");
  std::string t = "sas:\n" + entry();
  t.replace(t.find("192.0.2.1"), 9, "192.0.2.300");
  EXPECT_EQ(fails(t), "sa.yaml:7:12: sas[0].local: '192.0.2.300' is not an IPv4 or IPv6 address");
  t = "sas:\n" + entry();
  t.replace(t.find("198.51.100.1"), 12, "gateway");
  EXPECT_EQ(fails(t), "sa.yaml:8:13: sas[0].remote: 'gateway' is not an IPv4 or IPv6 address");
  EXPECT_EQ(fails("sas:\n" + entry("    selector: 10.0.0.0/8\n", "t1", "inbound")),
            "sa.yaml:9:15: sas[0].selector: only outbound SAs choose by selector");
  EXPECT_EQ(one("    lifetime_seconds: 100\n    soft_lifetime_seconds: 100\n"),
            "sa.yaml:10:28: sas[0].soft_lifetime_seconds: 100 is not below lifetime_seconds 100 "
            "(allowed: 0..99)");
  EXPECT_EQ(one("    lifetime_kilobytes: 10\n    soft_lifetime_kilobytes: 12\n"),
            "sa.yaml:10:30: sas[0].soft_lifetime_kilobytes: 12 is not below lifetime_kilobytes 10 "
            "(allowed: 0..9)");
  EXPECT_EQ(one("    tunnel_mtu: 1335\n"),
            "sa.yaml:9:17: sas[0].tunnel_mtu: 1335 leaves 1278 bytes for an inner packet, below "
            "IPv6's 1280 (allowed: >= 1336, or an IPv4 selector for an IPv4-only SA)");
  EXPECT_EQ(fails("sas:\n" + entry("", "a", "inbound") + entry("", "b", "inbound")),
            "sa.yaml:11:10: sas[1].spi: 4096 is already the SPI of inbound SA 'a' (sas[0], "
            "sa.yaml:2) (allowed: an SPI used once per direction)");
  EXPECT_EQ(fails("sas:\n" + entry() + entry("", "t1", "outbound", "4097")),
            "sa.yaml:9:11: sas[1].name: 't1' is already the name of outbound SA (sas[0], "
            "sa.yaml:2) (allowed: a name used once)");
  // Document shape.
  EXPECT_EQ(fails("- 1\n"), "sa.yaml:1:1: sas: expected a map with one key 'sas' (allowed: sas)");
  EXPECT_EQ(fails("sas: {}\n"), "sa.yaml:1:6: sas: expected a non-empty list of SAs");
  EXPECT_EQ(fails("sas:\n" + entry("    esn: maybe\n")),
            "sa.yaml:9:10: sas[0].esn: 'maybe' is not a boolean (allowed: true, false)");
}

// sa_db_add's own checks (sa.c), reached directly (the loader refuses most of these first).
TEST(SaDbAdd, EveryMessageFullText) {
  sa_db db;
  ASSERT_TRUE(sa_db_init(&db, nullptr));
  sa_config c;
  memset(&c, 0, sizeof c);
  snprintf(c.name, sizeof c.name, "d");
  c.dir = SA_OUTBOUND;
  c.alg = SA_AES128_GCM;
  c.key_len = 16;
  c.spi = 4096;
  c.replay_window = 64;
  c.tunnel_mtu = 9000;
  c.outer_ttl = 64;
  ASSERT_TRUE(sa_parse_addr("192.0.2.1", &c.local));
  ASSERT_TRUE(sa_parse_addr("198.51.100.1", &c.remote));
  char why[256];
  auto refused = [&](const sa_config &x) {
    why[0] = 0;
    EXPECT_FALSE(sa_db_add(&db, &x, why, sizeof why));
    return std::string(why);
  };
  sa_config x = c;
  x.spi = 255;
  EXPECT_EQ(refused(x), "SPI 255 is reserved (allowed: 256..4294967295, RFC 4303 s2.1)");
  x = c;
  ASSERT_TRUE(sa_parse_addr("2001:db8::2", &x.remote));
  EXPECT_EQ(refused(x), "local and remote are of different address families");
  x = c;
  x.initial_seq = UINT64_C(0x100000000);
  EXPECT_EQ(refused(x), "initial_seq does not fit 32 bits without esn");
  x = c;  // IPv6 outer with UDP: 1280 + 40 + 8 + 36 = 1364
  ASSERT_TRUE(sa_parse_addr("2001:db8::1", &x.local));
  ASSERT_TRUE(sa_parse_addr("2001:db8::2", &x.remote));
  x.udp = SA_UDP_NATT;
  x.udp_dst_port = 4500;
  x.tunnel_mtu = 1363;
  EXPECT_EQ(refused(x), "tunnel_mtu 1363 leaves 1278 bytes for an inner packet, below IPv6's 1280 "
                        "(allowed: >= 1364, or an IPv4 selector for an IPv4-only SA)");
  x.tunnel_mtu = 1364;
  snprintf(x.name, sizeof x.name, "d6");
  x.spi = 4097;
  x.has_selector = true;
  ASSERT_TRUE(sa_parse_addr("2001:db8::", &x.selector));
  x.selector_len = 32;
  EXPECT_TRUE(sa_db_add(&db, &x, why, sizeof why)) << why;
  x = c;
  x.lifetime_seconds = 10;
  x.soft_lifetime_seconds = 10;
  EXPECT_EQ(refused(x), "a soft lifetime must be below its hard lifetime");
  x = c;
  x.replay_window = 16;
  x.dir = SA_INBOUND;
  EXPECT_EQ(refused(x), "replay_window 16 out of range (allowed: 32..4096)");
  // Ambiguous sets, for callers that build the database without the loader.
  x = c;
  snprintf(x.name, sizeof x.name, "d6");
  EXPECT_EQ(refused(x), "SA name 'd6' is used twice");
  x = c;
  x.spi = 4097;
  EXPECT_EQ(refused(x), "SPI 4097 is already used by outbound SA 'd6'");
  x = c;
  x.has_selector = true;
  ASSERT_TRUE(sa_parse_addr("2001:db8:0:1::", &x.selector));  // host bits beyond /32 ignored
  x.selector_len = 32;
  EXPECT_EQ(refused(x), "selector (2001:db8:0:1::/32) equals that of outbound SA 'd6': one of "
                        "them could never be chosen");
  EXPECT_TRUE(sa_db_add(&db, &c, why, sizeof why)) << why;  // the catch-all
  x = c;
  snprintf(x.name, sizeof x.name, "d2");
  x.spi = 5000;
  EXPECT_EQ(refused(x), "selector (none: catch-all) equals that of outbound SA 'd': one of them "
                        "could never be chosen");
  sa_db_free(&db);
}

// Issue 10 defect 3: ambiguous SA sets are refused with one line naming both entries.
TEST_F(Load, AmbiguousSetsRefusedNamingBoth) {
  auto sel = [](const char *p) { return std::string("    selector: ") + p + "\n"; };
  auto again = [&](const std::string &text) {  // each case on an empty database
    sa_db_free(&db);
    EXPECT_TRUE(sa_db_init(&db, nullptr));
    return fails(text);
  };
  EXPECT_EQ(again("sas:\n" + entry("", "a") + entry("", "b", "outbound", "4097")),
            "sa.yaml:9:5: sas[1]: no selector, like outbound SA 'a' (sas[0], sa.yaml:2): two "
            "catch-alls, one could never be chosen (allowed: one outbound SA without selector)");
  EXPECT_EQ(again("sas:\n" + entry(sel("10.1.0.0/16"), "a") + entry(sel("10.1.2.3/16"), "b", "outbound", "4097")),
            "sa.yaml:17:15: sas[1].selector: 10.1.2.3/16 is also the selector of outbound SA 'a' "
            "(sas[0], sa.yaml:2): one of them could never be chosen");
  EXPECT_EQ(again("sas:\n" + entry(sel("10.1.0.0/16"), "a") + entry(sel("10.2.0.0/16"), "b")),
            "sa.yaml:12:10: sas[1].spi: 4096 is already the SPI of outbound SA 'a' (sas[0], "
            "sa.yaml:2) (allowed: an SPI used once per direction)");
  // Names are unique across directions (counters are per name).
  EXPECT_EQ(again("sas:\n" + entry("", "a") + entry("", "a", "inbound")),
            "sa.yaml:9:11: sas[1].name: 'a' is already the name of outbound SA (sas[0], "
            "sa.yaml:2) (allowed: a name used once)");
  // Longest-prefix match: the /8 is covered by the two /9s and can never be chosen.
  EXPECT_EQ(again("sas:\n" + entry(sel("10.0.0.0/8"), "wide") +
                  entry(sel("10.0.0.0/9"), "low", "outbound", "4097") +
                  entry(sel("10.128.0.0/9"), "high", "outbound", "4098")),
            "sa.yaml:9:15: sas[0].selector: 10.0.0.0/8 can never be chosen: longer selectors "
            "cover all of it (the first: 10.0.0.0/9 of 'low', sas[1], sa.yaml:10)");
  // The catch-all with 0.0.0.0/0 and ::/0 beside it.
  EXPECT_EQ(again("sas:\n" + entry(sel("0.0.0.0/0"), "v4") +
                  entry(sel("::/0"), "v6", "outbound", "4097") + entry("", "rest", "outbound", "4098")),
            "sa.yaml:18:5: sas[2]: outbound SA 'rest' without selector can never be chosen: the "
            "selectors cover all of IPv4 and IPv6 (the first: 'v4', sas[0], sa.yaml:2)");
  // Nested but reachable: each SA serves some addresses.
  sa_db_free(&db);
  ASSERT_TRUE(sa_db_init(&db, nullptr));
  ASSERT_TRUE(load("sas:\n" + entry(sel("10.0.0.0/8"), "wide") +
                   entry(sel("10.0.0.0/9"), "low", "outbound", "4097") +
                   entry(sel("0.0.0.0/0"), "v4", "outbound", "4098") +
                   entry("", "rest", "outbound", "4099") + entry("", "in", "inbound", "4096")))
      << err.msg;
  uint8_t a[4] = {10, 200, 0, 1}, b[4] = {11, 0, 0, 1}, c6[16] = {0x20, 0x01};
  EXPECT_STREQ(sa_db_find_outbound(&db, 4, a)->cfg.name, "wide");
  EXPECT_STREQ(sa_db_find_outbound(&db, 4, b)->cfg.name, "v4");
  EXPECT_STREQ(sa_db_find_outbound(&db, 6, c6)->cfg.name, "rest");
}

// Same key and salt in one direction: one warning line per later SA, never the key; the
// outbound/inbound loopback pair is not warned.
TEST_F(Load, SharedKeyingMaterialWarnsWithoutTheKey) {
  std::vector<std::string> lines;
  db.warn = [](void *ctx, const char *line) {
    static_cast<std::vector<std::string> *>(ctx)->push_back(line);
  };
  db.warn_ctx = &lines;
  auto sel = [](const char *p) { return std::string("    selector: ") + p + "\n"; };
  ASSERT_TRUE(load("sas:\n" + entry(sel("10.1.0.0/16"), "a") +
                   entry(sel("10.2.0.0/16"), "b", "outbound", "4097") +
                   entry("", "in", "inbound", "4096") +
                   entry(sel("10.3.0.0/16"), "c", "outbound", "4098")))
      << err.msg;
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "sa.yaml:10:5: sas[1]: warning: outbound SA 'b' has the same key and salt "
                      "as 'a' (sas[0], sa.yaml:2): GCM nonces repeat across the two SAs (RFC "
                      "4106 s9); give each SA its own keying material");
  EXPECT_EQ(lines[1].substr(0, 52), "sa.yaml:25:5: sas[3]: warning: outbound SA 'c' has t");
  for (const std::string &l : lines) EXPECT_EQ(l.find("0001020304"), std::string::npos) << l;
}

// Issue 10 defect 8: SPI errors state 256..4294967295 whatever the value; a key pasted into
// any field is never echoed (the rule of model/cfg.h), a decimal number still is.
TEST_F(Load, SpiRangeAndKeyLikeValuesNeverEchoed) {
  const std::string spi_range = "is out of range (allowed: 256..4294967295)";
  EXPECT_EQ(fails("sas:\n" + entry("", "t1", "outbound", "99999999999999999999")),
            "sa.yaml:4:10: sas[0].spi: '99999999999999999999' " + spi_range);
  EXPECT_EQ(fails("sas:\n" + entry("", "t1", "outbound", "-5")), "sa.yaml:4:10: sas[0].spi: '-5' " + spi_range);
  EXPECT_EQ(fails("sas:\n" + entry("", "t1", "outbound", "0x4294967296")),
            "sa.yaml:4:10: sas[0].spi: '0x4294967296' " + spi_range);
  const std::string hex = KEY128, b64 = "AAECAwQFBgcICQoLDA0ODwECAwQ=";  // the same 20 bytes
  EXPECT_EQ(fails("sas:\n" + entry("", "t1", "outbound", hex)),
            "sa.yaml:4:10: sas[0].spi: '<key-like, not shown>' is not an unsigned integer "
            "(allowed: decimal or 0x hex)");
  EXPECT_EQ(fails("sas:\n" + entry("", "t1", "outbound", "0x" + hex)),
            "sa.yaml:4:10: sas[0].spi: '<key-like, not shown>' " + spi_range);
  for (const std::string &k : {hex, "0x" + hex, b64, std::string("00112233445566778899AABBCCDDEEFF")}) {
    const std::string named = fails("sas:\n" + entry("", k));
    EXPECT_EQ(named.find(k.substr(k.size() - 16)), std::string::npos) << named;
    EXPECT_EQ(named.rfind("sa.yaml:2:11: sas[0].name: ", 0), 0u) << named;  // refused, unseen
    for (const char *field : {"local", "remote", "algorithm"}) {
      std::string t = "sas:\n" + entry();
      const std::string at = std::string("    ") + field + ": ";
      const size_t a = t.find(at) + at.size();
      t.replace(a, t.find('\n', a) - a, k);
      const std::string m = fails(t);
      EXPECT_EQ(m.find(k.substr(k.size() - 16)), std::string::npos) << m;
      EXPECT_NE(m.find("<key-like, not shown>"), std::string::npos) << m;
    }
    std::string m = fails("sas:\n" + entry("    " + k + ": 1\n"));  // pasted as a key name
    EXPECT_EQ(m.find(k.substr(k.size() - 16)), std::string::npos) << m;
    m = fails("sas:\n" + entry("    selector: " + k + "\n"));
    EXPECT_EQ(m.find(k.substr(k.size() - 16)), std::string::npos) << m;
  }
}
