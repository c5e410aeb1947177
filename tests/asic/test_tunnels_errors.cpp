// Every refusal of `ipsec: tunnels:` with its exact one-line message (file, line, column of
// the offending node counted from the text below, field, what is allowed): the seed's
// unsupported features, the release matrix and the si map, reserved and duplicate SPIs, peers
// that disagree, keys files, routes via an unbound st0 unit, esp_of.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>

#include "asic_test_util.h"

namespace {
// lines 1-7; the tunnel entries start on line 8, each `    - {` puts its first key at col 8;
// a refusal points at the offending value (a whole-entry refusal at the entry's `{`)
const std::string kHead =
    "version: 1\n"
    "platform: {preset: MX304, lmics: 2}\n"
    "traffic:\n"
    "  - {name: z, port: et-0/0/0, rate: 1%, frame: 64B, dst: 10.9.0.2}\n"
    "phases: {warmup: 1us, measure: 2us}\n"
    "ipsec:\n"
    "  tunnels:\n";
const std::string kT = "    - {name: a, anchor: si-0/0/0, bind: st0.1, local: 1.0.0.1, remote: 1.0.0.2";

void expect_error(const std::string &name, const std::string &yaml, const std::string &msg) {
  std::string path = write_temp_yaml("tunerr_" + name, yaml);
  auto r = asic_run(path, {}, false);
  EXPECT_FALSE(r->loaded);
  EXPECT_EQ(r->err, path + ":" + msg);
}
const std::string kNotSupported = " is not supported by inline IPsec (seed: 'The following features are not supported')";
}  // namespace

TEST(TunnelErrors, SeedUnsupportedFeatures) {
  // kT is 78 characters: a key appended after ", " starts at column 81, its value after "KEY: "
  expect_error("ah", kHead + kT + ", protocol: ah}\n", "8:91: ipsec.tunnels[].protocol: Authentication Header (AH)" + kNotSupported + " (allowed: esp)");
  expect_error("transport", kHead + kT + ", mode: transport}\n", "8:87: ipsec.tunnels[].mode: transport mode" + kNotSupported + " (allowed: tunnel)");
  expect_error("ikev1", kHead + kT + ", ike_version: 1}\n", "8:94: ipsec.tunnels[].ike_version: IKE-V1" + kNotSupported + " (allowed: 2)");
  expect_error("reasm", kHead + kT + ", reassemble: true}\n",
               "8:93: ipsec.tunnels[].reassemble: reassembly of IPv4 packets prior to decryption" + kNotSupported + " (allowed: false)");
  expect_error("reasm_yes", kHead + kT + ", reassemble: yes}\n", "8:93: ipsec.tunnels[].reassemble: not a boolean (allowed: false)");
  expect_error("null", kHead + kT + ", algorithm: null}\n", "8:92: ipsec.tunnels[].algorithm: null encryption (RFC 4543) is not "
               "supported by inline IPsec (seed: 'The following features are not supported') (allowed: aes-128-gcm, aes-256-gcm)");
  expect_error("gmac", kHead + kT + ", algorithm: aes-128-gmac}\n", "8:92: ipsec.tunnels[].algorithm: null encryption (RFC 4543) is not "
               "supported by inline IPsec (seed: 'The following features are not supported') (allowed: aes-128-gcm, aes-256-gcm)");
  // the SA loader's own message, naming the tunnel entry's field
  expect_error("cbc", kHead + kT + ", algorithm: aes-256-cbc}\n",
               "8:92: ipsec.tunnels[].algorithm: non-GCM cipher 'aes-256-cbc' is not supported (allowed: aes-128-gcm, aes-256-gcm)");
}

TEST(TunnelErrors, ReleaseMatrixAndSiMap) {
  std::string y = kHead + "    - {name: a, anchor: si-0/0/2, bind: st0.1, local: 1.0.0.1, remote: 1.0.0.2}\n";
  std::string r242 = y;
  r242.replace(r242.find("lmics: 2}"), 9, "lmics: 2, release: 24.2R1}");
  expect_error("pfe1", r242, "8:25: ipsec.tunnels[].anchor: si-0/0/2 anchors on PFE 1 (slice 1), which 24.2R1 cannot host "
               "(seed: both PFEs from 24.4R1; PFE 0 only before, assumed) (allowed: si-0/P/0, si-0/P/1, or platform.release: 24.4R1)");
  std::string lc = y;
  lc.replace(lc.find("{preset: MX304, lmics: 2}"), 25, "{preset: MX10K-LC4800, release: 24.2R1}");
  expect_error("lc4800", lc, "8:25: ipsec.tunnels[].anchor: MX10K-LC4800 needs Junos 24.4R1 for inline IPsec (seed: 24.2R1 "
               "supports the MX304 LMIC only) (allowed: platform.release: 24.4R1)");
  std::string pic = y;
  pic.replace(pic.find("si-0/0/2"), 8, "si-0/2/0");
  expect_error("pic", pic, "8:25: ipsec.tunnels[].anchor: no si-0/2/0 on MX304 (allowed: si-0/0..1/0..3; FPC 0, 2 PICs, 4 si per PIC)");
  std::string bad = y;
  bad.replace(bad.find("si-0/0/2"), 8, "ge-0/0/2");
  expect_error("notsi", bad, "8:25: ipsec.tunnels[].anchor: 'ge-0/0/2' is not an inline service interface (allowed: si-FPC/PIC/PORT such as si-0/0/0)");
}

TEST(TunnelErrors, EntryFields) {
  expect_error("nospi", kHead + kT + ", spi_out: 255}\n",
               "8:90: ipsec.tunnels[].spi_out: SPIs 0..255 are reserved (RFC 4303 s2.1) (allowed: 256..4294967295)");
  expect_error("bind", kHead + "    - {name: a, anchor: si-0/0/0, bind: st1.1, local: 1.0.0.1, remote: 1.0.0.2}\n",
               "8:41: ipsec.tunnels[].bind: not a tunnel interface (allowed: st0.N, N = 0..1000000)");
  expect_error("family", kHead + "    - {name: a, anchor: si-0/0/0, bind: st0.1, local: 1.0.0.1, remote: '::1'}\n",
               "8:72: ipsec.tunnels[].remote: address family differs from local (allowed: both IPv4 or both IPv6)");
  expect_error("missing", kHead + "    - {name: a, anchor: si-0/0/0, local: 1.0.0.1, remote: 1.0.0.2}\n",
               "8:7: ipsec.tunnels[].bind: missing required key");
  expect_error("label", kHead + kT + ", ipsec_policy: 'a b'}\n",
               "8:95: ipsec.tunnels[].ipsec_policy: not a name (allowed: 1 to 63 letters, digits, _, - and .)");
  expect_error("unknown", kHead + kT + ", replay_windw: 64}\n",
               "8:81: ipsec.tunnels[].replay_windw: unknown key (did you mean 'replay_window'?)");
  // a per-SA field's rule is the SA file's, at the tunnel's node
  expect_error("window", kHead + kT + ", replay_window: 8}\n",
               "8:96: ipsec.tunnels[].replay_window: '8' is out of range (allowed: 32..4096)");
  expect_error("keylen", kHead + kT + ", key: '0011'}\n",
               "8:86: ipsec.tunnels[].key: 2 bytes of keying material, aes-256-gcm needs 36 (32-byte key + 4-byte salt, RFC 4106 s8.1)");
  expect_error("longname", kHead + "    - {name: " + std::string(60, 'n') + ", count: 2, anchor: si-0/0/0, bind: st0.1, local: 1.0.0.1, remote: 1.0.0.2}\n",
               "8:14: ipsec.tunnels[].name: too long (allowed: lower-case letters, digits, _ and -, at most 52 characters with count)");
  expect_error("upper", kHead + "    - {name: Vpn1, anchor: si-0/0/0, bind: st0.1, local: 1.0.0.1, remote: 1.0.0.2}\n",
               "8:14: ipsec.tunnels[].name: bad name 'Vpn1' (allowed: lower-case letters, digits, _ and -)");
  expect_error("keyname", kHead + "    - {name: 00112233445566778899aabbccddeeff, anchor: si-0/0/0, bind: st0.1, local: 1.0.0.1, remote: 1.0.0.2}\n",
               "8:14: ipsec.tunnels[].name: the value looks like key material (allowed: a name that is not key-like)");
  expect_error("dupbind", kHead + kT + "}\n" + "    - {name: b, anchor: si-0/0/0, bind: st0.1, local: 1.0.0.3, remote: 1.0.0.4}\n",
               "9:41: ipsec.tunnels[].bind: st0.1 is already the bind of tunnel a (allowed: one tunnel per st0 unit)");
  expect_error("dupname", kHead + kT + "}\n" + "    - {name: a, anchor: si-0/0/0, bind: st0.2, local: 1.0.0.3, remote: 1.0.0.4}\n",
               "9:14: ipsec.tunnels[].name: duplicate tunnel 'a' on r0 (allowed: a name used once per router)");
}

TEST(TunnelErrors, PeersAndSpis) {
  const std::string b = "    - {name: b, anchor: si-0/1/0, bind: st0.2, local: 1.0.0.2, remote: 1.0.0.1";
  expect_error("peer_spi", kHead + kT + ", spi_out: 0x1000}\n" + b + ", spi_in: 0x1001}\n",
               "9:89: ipsec.tunnels[].spi_in: 0x00001001 differs from spi_out 0x00001000 of its peer a on r0 (" +
                   std::string(IPSECSIM_BINARY_DIR) + "/tests/asic/tunerr_peer_spi." + std::to_string(getpid()) +
                   ".yaml:8:90) (allowed: equal values at the two ends, or auto)");
  const std::string k1 = "'" + std::string(72, 'a') + "'", k2 = "'" + std::string(72, 'b') + "'";
  expect_error("peer_key", kHead + kT + ", key: " + k1 + "}\n" + b + ", key: " + k2 + "}\n",
               "9:86: ipsec.tunnels[].key: keying material differs from its peer a on r0 (" + std::string(IPSECSIM_BINARY_DIR) +
                   "/tests/asic/tunerr_peer_key." + std::to_string(getpid()) +
                   ".yaml:8:86) (allowed: the peer's out as in and its in as out, or auto)");
  expect_error("dup_spi", kHead + kT + ", spi_in: 0x3000}\n" +
                              "    - {name: c, anchor: si-0/0/0, bind: st0.3, local: 1.0.0.1, remote: 1.0.0.9, spi_in: 0x3000}\n",
               "9:89: ipsec.tunnels[].spi_in: SPI 0x00003000 is already the inbound SPI of tunnel a for local gateway 1.0.0.1 "
               "(allowed: one SPI per local gateway; tunnels between the same gateways need explicit SPIs)");
  expect_error("peer_alg", kHead + kT + "}\n" + b + ", algorithm: aes-128-gcm}\n",
               "9:7: ipsec.tunnels[].algorithm: aes-128-gcm differs from the algorithm of its peer a on r0 (" +
                   std::string(IPSECSIM_BINARY_DIR) + "/tests/asic/tunerr_peer_alg." + std::to_string(getpid()) +
                   ".yaml:8:7) (allowed: the same algorithm at both ends)");
  // the same SPI for another local gateway is fine, also with payload real (the default: the
  // byte path keeps the two SAs apart, asic_ipsec_bytes.c; tests/asic/test_sa_events.cpp runs it)
  auto r = asic_run(write_temp_yaml("tun_spi_ok", kHead + kT + ", spi_in: 0x3000}\n" +
                                                       "    - {name: c, anchor: si-0/0/0, bind: st0.3, local: 1.0.0.5, remote: 1.0.0.9, spi_in: 0x3000}\n"),
                    {}, false);
  EXPECT_TRUE(r->loaded) << r->err;
}

TEST(TunnelErrors, RoutesAndStreams) {
  std::string y = kHead + kT + "}\nroutes:\n  - {prefix: 9.9.0.0/16, via: st0.7}\n";
  expect_error("via", y, "10:31: routes: no tunnel of r0 is bound to st0.7 (allowed: the bind of a tunnel: st0.1)");
  std::string s = kHead + kT + "}\n";
  s.replace(s.find("dst: 10.9.0.2}"), 14, "dst: 10.9.0.2, esp_of: nope}");
  expect_error("esp_of", s, "4:76: traffic[].esp_of: no tunnel 'nope' on r0 (allowed: a name of its ipsec: tunnels:)");
  std::string two =
      "version: 1\nrouters:\n  - {name: r1}\n  - name: r2\n    ipsec:\n      tunnels:\n"
      "        - {name: t, anchor: si-0/0/0, bind: st0.1, local: 1.0.0.1, remote: 1.0.0.2}\n"
      "traffic:\n  - {router: r1, port: et-0/0/0, dst: 1.2.3.4, esp_of: t}\n";
  expect_error("esp_other", two, "9:56: traffic[].esp_of: tunnel 't' is on router r2, the stream enters r1 (allowed: a tunnel of the "
               "stream's router)");
  std::string field = two;  // a tunnel field inside routers: names its path
  field.replace(field.find("si-0/0/0"), 8, "si-0/0/9");
  expect_error("routers_field", field, "7:29: routers[].ipsec.tunnels[].anchor: no si-0/0/9 on MX304 (allowed: si-0/0/0..3; FPC 0, "
               "1 PIC, 4 si per PIC)");
  std::string top = "version: 1\nrouters:\n  - {name: r1}\nipsec: {tunnels: []}\ntraffic: []\n";
  expect_error("top", top, "4:8: ipsec: not allowed at the top level with routers: (allowed: inside each router)");
}

TEST(TunnelErrors, KeysFile) {
  std::string dir = std::string(IPSECSIM_BINARY_DIR) + "/tests/asic/";
  std::string kf = "tunkeys." + std::to_string(getpid()) + ".yaml";
  FILE *fp = fopen((dir + kf).c_str(), "w");
  ASSERT_TRUE(fp);
  fputs(("keys:\n  a: {out: '" + std::string(72, 'c') + "', in: '" + std::string(72, 'd') + "'}\n").c_str(), fp);
  fclose(fp);
  chmod((dir + kf).c_str(), 0644);
  std::string y = kHead + kT + ", key: 'file:" + kf + "'}\n";
  expect_error("keys_mode", y, "8:86: ipsec.tunnels[].key: keys file " + dir + kf + " has mode 0644: others may read it (allowed: mode 0600)");
  chmod((dir + kf).c_str(), 0600);
  auto r = asic_run(write_temp_yaml("tun_keys_ok", y), {}, false);
  ASSERT_TRUE(r->loaded) << r->err;
  EXPECT_EQ(r->sc.world.tunnels[0].out.key[0], 0xcc);
  EXPECT_EQ(r->sc.world.tunnels[0].in.salt[3], 0xdd);
  std::string other = kHead + "    - {name: q, anchor: si-0/0/0, bind: st0.1, local: 1.0.0.1, remote: 1.0.0.2, key: 'file:" + kf + "'}\n";
  expect_error("keys_name", other, "8:86: ipsec.tunnels[].key: no keys for tunnel 'q' in " + kf +
               " (allowed: keys: {\"r0:q\": {out: HEX, in: HEX}} or NAME alone)");
  expect_error("keys_none", kHead + kT + ", key: 'file:none.yaml'}\n",
               "8:86: ipsec.tunnels[].key: cannot read keys file " + dir + "none.yaml (No such file or directory) (allowed: file:PATH of a 0600 keys file)");
}
