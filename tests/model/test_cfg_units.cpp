// Scalar parsing per type (through cfg_parse_text, the `--set key=value` path): unit
// conversions against hand-computed values, and every refusal by its exact text.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>

extern "C" {
#include "model/cfg.h"
}

namespace {

struct Slot {
  union {
    bool b;
    int64_t i;
    uint64_t u;
    double d;
    int e;
    char *s;
  };
  cfg_bytes hex;
};

cfg_param param(cfg_type t, const char *unit = "", double min = 1, double max = 0,
                const char *allowed = nullptr, bool secret = false) {
  cfg_param p{};
  p.name = "x";
  p.type = t;
  p.unit = unit;
  p.min = min;
  p.max = max;
  p.allowed = allowed;
  p.offset = t == CFG_T_HEX ? offsetof(Slot, hex) : 0;
  p.secret = secret;
  return p;
}

// Parses text; returns "" on success (value in *out) or the error text.
std::string parse(const cfg_param &p, const char *text, Slot *out) {
  char why[CFG_ERR_MAX] = "";
  return cfg_parse_text(&p, text, out, why, sizeof why) ? "" : why;
}

uint64_t u64(cfg_type t, const char *text) {
  Slot s{};
  EXPECT_EQ(parse(param(t), text, &s), "") << text;
  return s.u;
}

double dbl(cfg_type t, const char *text) {
  Slot s{};
  EXPECT_EQ(parse(param(t), text, &s), "") << text;
  return s.d;
}

std::string err(const cfg_param &p, const char *text) {
  Slot s{};
  std::string e = parse(p, text, &s);
  EXPECT_NE(e, "") << text;
  if (p.type == CFG_T_STRING) free(s.s);
  if (p.type == CFG_T_HEX) free(s.hex.data);
  return e;
}

TEST(CfgUnits, TimeToFemtosecondsExactly) {
  EXPECT_EQ(u64(CFG_T_TIME, "2ms"), 2000000000000ull);  // 2e12 fs
  EXPECT_EQ(u64(CFG_T_TIME, "1.5ns"), 1500000ull);
  EXPECT_EQ(u64(CFG_T_TIME, "1.2ns"), 1200000ull);
  EXPECT_EQ(u64(CFG_T_TIME, "10us"), 10000000000ull);
  EXPECT_EQ(u64(CFG_T_TIME, "3fs"), 3ull);
  EXPECT_EQ(u64(CFG_T_TIME, "1ps"), 1000ull);
  EXPECT_EQ(u64(CFG_T_TIME, "1s"), 1000000000000000ull);
  EXPECT_EQ(u64(CFG_T_TIME, "0.833333ns"), 833333ull);  // a 1.2 GHz period, to the fs
  EXPECT_EQ(u64(CFG_T_TIME, "1.000fs"), 1ull);
  EXPECT_EQ(u64(CFG_T_TIME, "18446.744073709551615s"), UINT64_MAX);
  EXPECT_EQ(u64(CFG_T_TIME, "0s"), 0ull);
  EXPECT_EQ(u64(CFG_T_TIME, "5e3ns"), 5000000000ull);
}

TEST(CfgUnits, SizesDecimalAndBinary) {
  EXPECT_EQ(u64(CFG_T_SIZE, "9KiB"), 9216ull);
  EXPECT_EQ(u64(CFG_T_SIZE, "9KB"), 9000ull);
  EXPECT_EQ(u64(CFG_T_SIZE, "1518B"), 1518ull);
  EXPECT_EQ(u64(CFG_T_SIZE, "16MiB"), 16777216ull);
  EXPECT_EQ(u64(CFG_T_SIZE, "0.5KiB"), 512ull);
  EXPECT_EQ(u64(CFG_T_SIZE, "1.5KB"), 1500ull);
  EXPECT_EQ(u64(CFG_T_SIZE, "2GiB"), 2147483648ull);
}

TEST(CfgUnits, RatesFrequenciesPercent) {
  EXPECT_EQ(dbl(CFG_T_FREQ, "1.2GHz"), 1.2e9);
  EXPECT_EQ(dbl(CFG_T_FREQ, "800MHz"), 8e8);
  EXPECT_EQ(dbl(CFG_T_FREQ, "100kHz"), 1e5);
  EXPECT_EQ(dbl(CFG_T_RATE, "400Gbps"), 4e11);
  EXPECT_EQ(dbl(CFG_T_RATE, "400 Gbps"), 4e11);
  EXPECT_EQ(dbl(CFG_T_RATE, "1.5Tbps"), 1.5e12);
  EXPECT_EQ(dbl(CFG_T_RATE, "10bps"), 10.0);
  EXPECT_EQ(dbl(CFG_T_RATE, "100kbps"), 1e5);  // SI lower-case k accepted
  EXPECT_EQ(dbl(CFG_T_PPS, "1.5Gpps"), 1.5e9);
  EXPECT_EQ(dbl(CFG_T_PPS, "300Mpps"), 3e8);
  EXPECT_EQ(dbl(CFG_T_PERCENT, "82%"), 0.82);
  EXPECT_EQ(dbl(CFG_T_PERCENT, "0.5%"), 0.005);
  EXPECT_EQ(dbl(CFG_T_PERCENT, "100%"), 1.0);
}

TEST(CfgUnits, DimensionErrors) {
  EXPECT_EQ(err(param(CFG_T_RATE), "400"), "missing unit in '400' (allowed: bps, Kbps, Mbps, Gbps, Tbps)");
  EXPECT_EQ(err(param(CFG_T_TIME), "5"), "missing unit in '5' (allowed: fs, ps, ns, us, ms, s)");
  EXPECT_EQ(err(param(CFG_T_PERCENT), "82"), "missing unit in '82' (allowed: %)");
  EXPECT_EQ(err(param(CFG_T_RATE), "5GHz"),
            "'GHz' is a unit of frequency, expected a rate (allowed: bps, Kbps, Mbps, Gbps, Tbps)");
  EXPECT_EQ(err(param(CFG_T_TIME), "9KiB"),
            "'KiB' is a unit of size, expected a time (allowed: fs, ps, ns, us, ms, s)");
  EXPECT_EQ(err(param(CFG_T_RATE), "400gbps"),
            "unknown unit 'gbps' in '400gbps' (allowed: bps, Kbps, Mbps, Gbps, Tbps)");
  EXPECT_EQ(err(param(CFG_T_RATE), "fast"),
            "'fast' is not a number with a unit (allowed: bps, Kbps, Mbps, Gbps, Tbps)");
  EXPECT_EQ(err(param(CFG_T_TIME), "-1ns"), "'-1ns' is negative (allowed: a time of 0 or more)");
  EXPECT_EQ(err(param(CFG_T_TIME), "1.5fs"),
            "'1.5fs' is not a whole number of femtoseconds (allowed: multiples of 1fs)");
  EXPECT_EQ(err(param(CFG_T_SIZE), "0.3KiB"),
            "'0.3KiB' is not a whole number of bytes (allowed: multiples of 1B)");
  EXPECT_EQ(err(param(CFG_T_TIME), "18446.744073709551616s"),
            "'18446.744073709551616s' is too large (allowed: up to 18446744073709551615fs)");
  EXPECT_EQ(err(param(CFG_T_TIME), "20000s"),
            "'20000s' is too large (allowed: up to 18446744073709551615fs)");
  EXPECT_EQ(err(param(CFG_T_FREQ), ""),
            "missing value (allowed: a number with a unit: Hz, kHz, MHz, GHz)");
}

TEST(CfgUnits, RangeIsStatedInTheDisplayUnit) {
  cfg_param p = param(CFG_T_RATE, "Gbps", 1e9, 400e9);
  EXPECT_EQ(err(p, "500Gbps"), "'500Gbps' is out of range (allowed: 1Gbps..400Gbps)");
  EXPECT_EQ(err(p, "0.5Gbps"), "'0.5Gbps' is out of range (allowed: 1Gbps..400Gbps)");
  Slot s{};
  EXPECT_EQ(parse(p, "400000Mbps", &s), "");  // the bound itself is inside
  cfg_param t = param(CFG_T_TIME, "ns", 1e6, INFINITY);
  EXPECT_EQ(err(t, "999999fs"), "'999999fs' is out of range (allowed: >= 1ns)");
  cfg_param pc = param(CFG_T_PERCENT, "%", 0.5, 1.0);
  EXPECT_EQ(err(pc, "20%"), "'20%' is out of range (allowed: 50%..100%)");
  cfg_param u = param(CFG_T_UINT, "", 1, 64);
  EXPECT_EQ(err(u, "65"), "'65' is out of range (allowed: 1..64)");
}

TEST(CfgUnits, Integers) {
  Slot s{};
  EXPECT_EQ(parse(param(CFG_T_UINT), "0x10", &s), "");
  EXPECT_EQ(s.u, 16u);
  EXPECT_EQ(parse(param(CFG_T_UINT), "18446744073709551615", &s), "");
  EXPECT_EQ(s.u, UINT64_MAX);
  EXPECT_EQ(err(param(CFG_T_UINT), "18446744073709551616"),
            "'18446744073709551616' does not fit (allowed: 0..18446744073709551615)");
  EXPECT_EQ(err(param(CFG_T_UINT), "-1"), "'-1' does not fit (allowed: 0..18446744073709551615)");
  EXPECT_EQ(err(param(CFG_T_UINT), "1.5"),
            "'1.5' is not an unsigned integer (allowed: decimal or 0x hex)");
  EXPECT_EQ(err(param(CFG_T_UINT), "0x"), "'0x' is not an unsigned integer (allowed: decimal or 0x hex)");
  EXPECT_EQ(parse(param(CFG_T_INT), "-9223372036854775808", &s), "");
  EXPECT_EQ(s.i, INT64_MIN);
  EXPECT_EQ(parse(param(CFG_T_INT), "0x7fffffffffffffff", &s), "");
  EXPECT_EQ(s.i, INT64_MAX);
  EXPECT_EQ(parse(param(CFG_T_INT), "-42", &s), "");
  EXPECT_EQ(s.i, -42);
  EXPECT_EQ(err(param(CFG_T_INT), "9223372036854775808"),
            "'9223372036854775808' does not fit (allowed: -9223372036854775808..9223372036854775807)");
  EXPECT_EQ(err(param(CFG_T_INT), "12ms"), "'12ms' is not an integer (allowed: decimal or 0x hex)");
}

TEST(CfgUnits, DoublesBooleansStrings) {
  Slot s{};
  EXPECT_EQ(parse(param(CFG_T_DOUBLE), "0.125", &s), "");
  EXPECT_EQ(s.d, 0.125);
  EXPECT_EQ(parse(param(CFG_T_DOUBLE), "-1e-3", &s), "");
  EXPECT_EQ(s.d, -0.001);
  EXPECT_EQ(err(param(CFG_T_DOUBLE), "1.5x"), "'1.5x' is not a number (allowed: a decimal number, no unit)");
  EXPECT_EQ(err(param(CFG_T_DOUBLE), "nan"), "'nan' is not a number (allowed: a decimal number, no unit)");
  EXPECT_EQ(err(param(CFG_T_DOUBLE), "1e999"), "'1e999' is too large (allowed: a finite number)");
  EXPECT_EQ(parse(param(CFG_T_BOOL), "true", &s), "");
  EXPECT_TRUE(s.b);
  EXPECT_EQ(parse(param(CFG_T_BOOL), "False", &s), "");
  EXPECT_FALSE(s.b);
  // YAML 1.1 spellings are refused: `no` is a country code too.
  EXPECT_EQ(err(param(CFG_T_BOOL), "yes"), "'yes' is not a boolean (allowed: true, false)");
  EXPECT_EQ(err(param(CFG_T_BOOL), "1"), "'1' is not a boolean (allowed: true, false)");
  s.s = nullptr;
  EXPECT_EQ(parse(param(CFG_T_STRING), "  vpn-east  ", &s), "");  // --set text is trimmed
  EXPECT_STREQ(s.s, "vpn-east");
  EXPECT_EQ(parse(param(CFG_T_STRING), "vpn-west", &s), "");  // replaces (and frees) the old one
  EXPECT_STREQ(s.s, "vpn-west");
  free(s.s);
  EXPECT_EQ(err(param(CFG_T_STRING), "~"), "missing value (allowed: a string; quote \"\" for an empty one)");
}

TEST(CfgUnits, EnumsListAllowedValues) {
  cfg_param p = param(CFG_T_ENUM, "", 1, 0, "aes-128-gcm|aes-256-gcm");
  Slot s{};
  EXPECT_EQ(parse(p, "aes-256-gcm", &s), "");
  EXPECT_EQ(s.e, 1);
  EXPECT_EQ(err(p, "aes-128-gmc"),
            "unknown value 'aes-128-gmc', did you mean 'aes-128-gcm'? (allowed: aes-128-gcm, aes-256-gcm)");
  EXPECT_EQ(err(p, "null-cipher"), "unknown value 'null-cipher' (allowed: aes-128-gcm, aes-256-gcm)");
}

TEST(CfgUnits, HexBytes) {
  cfg_param p = param(CFG_T_HEX);
  Slot s{};
  EXPECT_EQ(parse(p, "0x0011fF", &s), "");
  ASSERT_EQ(s.hex.len, 3u);
  EXPECT_EQ(s.hex.data[0], 0x00);
  EXPECT_EQ(s.hex.data[1], 0x11);
  EXPECT_EQ(s.hex.data[2], 0xff);
  EXPECT_EQ(parse(p, "abcd", &s), "");  // without 0x; replaces (and frees) the old bytes
  ASSERT_EQ(s.hex.len, 2u);
  EXPECT_EQ(s.hex.data[0], 0xab);
  free(s.hex.data);
  EXPECT_EQ(err(p, "abc"), "odd number of hex digits (3) (allowed: whole bytes, 2 digits each)");
  EXPECT_EQ(err(p, "0x12zz"), "not a hex digit at position 5 (allowed: 0-9 a-f A-F, optional 0x)");
  cfg_param key = param(CFG_T_HEX, "", 20, 20, nullptr, true);
  EXPECT_EQ(err(key, "00112233"), "4 bytes is out of range (allowed: 20..20 bytes)");
}

TEST(CfgUnits, SecretsAreNeverQuoted) {
  cfg_param p = param(CFG_T_RATE, "", 1, 0, nullptr, true);
  std::string e = err(p, "5ecret");
  EXPECT_EQ(e, "unknown unit 'ecret' in the value (allowed: bps, Kbps, Mbps, Gbps, Tbps)");
  cfg_param b = param(CFG_T_BOOL, "", 1, 0, nullptr, true);
  EXPECT_EQ(err(b, "hunter2"), "the value is not a boolean (allowed: true, false)");
}

TEST(CfgUnits, DidYouMean) {
  const char *names[] = {"clock", "lanes", "wan_rate", "soft_lifetime"};
  EXPECT_STREQ(cfg_did_you_mean("clok", names, 4), "clock");
  EXPECT_STREQ(cfg_did_you_mean("lnaes", names, 4), "lanes");    // one transposition
  EXPECT_STREQ(cfg_did_you_mean("Clock", names, 4), "clock");    // case is ignored
  EXPECT_STREQ(cfg_did_you_mean("soft_lifetme", names, 4), "soft_lifetime");
  EXPECT_STREQ(cfg_did_you_mean("wanrate", names, 4), "wan_rate");
  EXPECT_EQ(cfg_did_you_mean("mtu", names, 4), nullptr);
  EXPECT_EQ(cfg_did_you_mean("xy", names, 4), nullptr);
  EXPECT_EQ(cfg_did_you_mean("", names, 4), nullptr);
}

}  // namespace
