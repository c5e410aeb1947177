// Issue 10 (inputs, SA/ESP side): the IPv6 extension-header limit as it reaches the ESP
// transform, the --vectors reason name of next header 59, and the SA-file parameter table
// documenting every key the loader accepts.
#include <gtest/gtest.h>

#include <string>

#include "esp_test_util.h"

extern "C" {
#include "ipsec_engine/sa_load.h"
#include "model/pkt_ipv6.h"
}

using namespace esptest;

namespace {

// IPv6 / UDP with `n` Destination Options headers (8 bytes each: PadN) before the UDP header.
Bytes ipv6_with_exthdrs(unsigned n) {
  Bytes p = ipv6_udp(40 + 8 * n + 8 + 16);
  Bytes ext;
  for (unsigned i = 0; i < n; i++) {
    const uint8_t next = i + 1 < n ? 60 : 17;
    const uint8_t h[8] = {next, 0, 1, 4, 0, 0, 0, 0};  // PadN, 4 bytes of zeros
    ext.insert(ext.end(), h, h + 8);
  }
  if (n) p[6] = 60;
  std::copy(ext.begin(), ext.end(), p.begin() + 40);
  put16(&p[40 + 8 * n], 1234); put16(&p[42 + 8 * n], 5678);
  put16(&p[44 + 8 * n], 24); put16(&p[46 + 8 * n], 0);
  return p;
}

struct Db {
  sa_db db;
  Db() {
    EXPECT_TRUE(sa_db_init(&db, nullptr));
    sa_config c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "out");
    c.dir = SA_OUTBOUND; c.spi = 0x1001; c.alg = SA_AES128_GCM; c.key_len = 16;
    sa_parse_addr("192.0.2.1", &c.local); sa_parse_addr("198.51.100.1", &c.remote);
    c.replay_window = 64; c.tunnel_mtu = 9000; c.outer_ttl = 64;
    char why[256];
    EXPECT_TRUE(sa_db_add(&db, &c, why, sizeof why)) << why;
  }
  ~Db() { sa_db_free(&db); }
};

}  // namespace

// PKT_IPV6_MAX_EXTHDRS = 16 (README "inner_invalid"): 16 headers encrypt, 17 are inner_invalid.
TEST(EspInputs, Ipv6ExtensionHeaderLimitIsSixteen) {
  ASSERT_EQ(PKT_IPV6_MAX_EXTHDRS, 16u);
  Db d;
  Bytes out(2048);
  size_t n = 0;
  esp_info info;
  Bytes ok = ipv6_with_exthdrs(16), bad = ipv6_with_exthdrs(17);
  EXPECT_EQ(esp_encrypt(&d.db, ok.data(), ok.size(), 0, out.data(), out.size(), &n, &info), ESP_R_OK);
  EXPECT_EQ(esp_encrypt(&d.db, bad.data(), bad.size(), 0, out.data(), out.size(), &n, &info),
            ESP_R_INNER_INVALID);
  EXPECT_STREQ(esp_reason_name(ESP_R_INNER_INVALID), "inner_invalid");
  EXPECT_NE(std::string(ipsec_ctr_doc(IPSEC_CTR_INNER_INVALID)).find("more than 16 extension headers"),
            std::string::npos);
  EXPECT_EQ(*d.db.global.v[IPSEC_CTR_INNER_INVALID], 1u);
  EXPECT_EQ(*d.db.global.v[IPSEC_CTR_ENC_PKTS], 1u);
}

// The --vectors reason of a dummy packet is the counter's own name.
TEST(EspInputs, DummyReasonIsTheCounterName) {
  EXPECT_STREQ(esp_reason_name(ESP_R_DUMMY), "dummy_discarded");
  EXPECT_STREQ(ipsec_ctr_name(IPSEC_CTR_DUMMY), "dummy_discarded");
}

// `ipsecsim params sa` prints sa_param_table: every key the loader accepts is in it, and the
// loader accepts every key of it (none is "unknown").
TEST(EspInputs, ParamsTableDocumentsEveryAcceptedKey) {
  size_t n = 0;
  const cfg_param *t = sa_param_table(&n);
  auto documented = [&](const std::string &k) {
    for (size_t i = 0; i < n; i++)
      if (k == t[i].name) return true;
    return false;
  };
  for (const char *const *k = sa_load_extra_keys(); *k; k++) EXPECT_TRUE(documented(*k)) << *k;
  EXPECT_TRUE(documented("selector"));
  EXPECT_TRUE(documented("udp_encap"));
  for (size_t i = 0; i < n; i++) {
    sa_db db;
    ASSERT_TRUE(sa_db_init(&db, nullptr));
    std::string text = "sas:\n  - {" + std::string(t[i].name) + ": ~}\n";
    cfg_err err;
    EXPECT_FALSE(sa_load_buffer(&db, "sa.yaml", text.data(), text.size(), &err));
    EXPECT_EQ(std::string(err.msg).find("unknown key"), std::string::npos) << t[i].name << ": " << err.msg;
    sa_db_free(&db);
  }
}
