// Stats registry: names, stable counter addresses, and the text and JSON writers against
// expected strings (JSON also read back by Python's json module).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <unistd.h>

extern "C" {
#include "model/stats.h"
}

namespace {

struct Registry {
  stats_registry *r = stats_create();
  ~Registry() { stats_destroy(r); }
};

template <typename Fn>
std::string capture(Fn fn) {
  char *buf = nullptr;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  fn(fp);
  fclose(fp);
  std::string s(buf, len);
  free(buf);
  return s;
}

// Runs /usr/bin/python3 on `json`, which prints `expr` evaluated on the parsed object `d`.
std::string python_eval(const std::string &json, const std::string &expr) {
  std::string base = std::string(IPSECSIM_BINARY_DIR) + "/test_stats_" +
                     std::to_string(static_cast<long>(getpid()));
  std::string json_path = base + ".json", py_path = base + ".py";
  std::string script = "import json, sys\nd = json.load(open(sys.argv[1]))\nprint(" + expr + ")\n";
  for (auto [path, text] : {std::pair{json_path, json}, std::pair{py_path, script}}) {
    FILE *f = fopen(path.c_str(), "w");
    EXPECT_NE(f, nullptr) << path;
    if (!f) return "";
    fwrite(text.data(), 1, text.size(), f);
    fclose(f);
  }
  std::string cmd = "/usr/bin/python3 " + py_path + " " + json_path + " 2>&1";
  FILE *p = popen(cmd.c_str(), "r");
  std::string out;
  char line[512];
  while (p && fgets(line, sizeof line, p)) out += line;
  int rc = p ? pclose(p) : -1;
  remove(json_path.c_str());
  remove(py_path.c_str());
  EXPECT_EQ(rc, 0) << out;
  return out;
}

TEST(Stats, NamesAreValidated) {
  Registry g;
  EXPECT_NE(stats_counter_add(g.r, "asic0.pfe0.et-0/0/0.rx_bytes", "bytes", ""), nullptr);
  EXPECT_NE(stats_counter_add(g.r, "fpc0.si-0/0/0:1.ike", "packets", ""), nullptr);
  EXPECT_NE(stats_counter_add(g.r, "x", "", nullptr), nullptr);
  for (const char *bad : {"", "A.b", "a..b", ".a", "a.", "a b", "a.b\n", "a\"b", "a{b"})
    EXPECT_EQ(stats_counter_add(g.r, bad, "", ""), nullptr) << bad;
  EXPECT_EQ(stats_counter_add(g.r, std::string(256, 'a').c_str(), "", ""), nullptr);
  EXPECT_NE(stats_counter_add(g.r, std::string(255, 'a').c_str(), "", ""), nullptr);
}

TEST(Stats, SameNameSameKindReturnsTheSameObject) {
  Registry g;
  stats_counter *c = stats_counter_add(g.r, "a.b", "packets", "");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(stats_counter_add(g.r, "a.b", "packets", ""), c);
  EXPECT_EQ(stats_gauge_add(g.r, "a.b", "", ""), nullptr);
  EXPECT_EQ(stats_hist_add(g.r, "a.b", "", ""), nullptr);
  EXPECT_EQ(stats_count(g.r), 1u);
}

TEST(Stats, LeafAndInnerNodeCannotShareAName) {
  Registry g;
  ASSERT_NE(stats_counter_add(g.r, "a.b", "", ""), nullptr);
  EXPECT_EQ(stats_counter_add(g.r, "a.b.c", "", ""), nullptr);  // a.b is a leaf
  ASSERT_NE(stats_gauge_add(g.r, "x.y.z", "", ""), nullptr);
  EXPECT_EQ(stats_counter_add(g.r, "x.y", "", ""), nullptr);  // x.y is an inner node
  EXPECT_EQ(stats_counter_add(g.r, "x", "", ""), nullptr);
  EXPECT_NE(stats_counter_add(g.r, "x.yy", "", ""), nullptr);  // a sibling is fine
  EXPECT_NE(stats_counter_add(g.r, "a.bc", "", ""), nullptr);
  EXPECT_EQ(stats_count(g.r), 4u);
}

TEST(Stats, CounterAddressesStayPutAsTheRegistryGrows) {
  Registry g;
  stats_counter *first = stats_counter_add(g.r, "first", "", "");
  double *gauge = stats_gauge_add(g.r, "gauge", "", "");
  *first = 41;
  *gauge = 2.5;
  std::vector<stats_counter *> all;
  for (int i = 0; i < 10000; i++) {
    std::string name = "sa" + std::to_string(i) + ".packets";
    all.push_back(stats_counter_add(g.r, name.c_str(), "packets", ""));
    ASSERT_NE(all.back(), nullptr);
    *all.back() = static_cast<uint64_t>(i);
    stats_gauge_add(g.r, ("sa" + std::to_string(i) + ".rate").c_str(), "bps", "");
  }
  ++*first;
  EXPECT_EQ(stats_find_counter(g.r, "first"), first);
  EXPECT_EQ(*stats_find_counter(g.r, "first"), 42u);
  EXPECT_EQ(stats_find_gauge(g.r, "gauge"), gauge);
  EXPECT_EQ(*stats_find_gauge(g.r, "gauge"), 2.5);
  for (int i = 0; i < 10000; i += 997) {
    std::string name = "sa" + std::to_string(i) + ".packets";
    EXPECT_EQ(stats_find_counter(g.r, name.c_str()), all[i]);
    EXPECT_EQ(*all[i], static_cast<uint64_t>(i));
  }
  EXPECT_EQ(stats_find_counter(g.r, "gauge"), nullptr);  // wrong kind
  EXPECT_EQ(stats_find_counter(g.r, "sa1"), nullptr);    // inner node
  EXPECT_EQ(stats_find_hist(g.r, "nope"), nullptr);
  EXPECT_EQ(stats_count(g.r), 20002u);
  stats_entry e = stats_at(g.r, 2);
  EXPECT_STREQ(e.name, "sa0.packets");
  EXPECT_EQ(e.kind, STATS_COUNTER);
  EXPECT_EQ(e.counter, all[0]);
}

// The registry used by both writer tests.
void fill(stats_registry *r) {
  *stats_counter_add(r, "asic0.pfe0.pg0.rx_bytes", "bytes", "received bytes") = 12345;
  *stats_counter_add(r, "asic0.pfe0.et-0/0/0.rx_packets", "packets", nullptr) = 7;
  *stats_gauge_add(r, "asic0.pfe0.pg0.util", "", "utilisation") = 0.1;
  stats_hist *h = stats_hist_add(r, "asic0.pfe0.latency", "fs", "LIFO latency");
  for (uint64_t v : {40, 10, 30, 20}) stats_hist_record(h, v);
  stats_counter_add(r, "host.ike_packets", "packets", "say \"hi\" \\ to IKE");
  stats_hist_add(r, "host.empty", "fs", "");
  *stats_gauge_add(r, "host.third", "", "") = 1.0 / 3.0;
  *stats_gauge_add(r, "host.nan", "", "") = NAN;
}

TEST(Stats, TextWriter) {
  Registry g;
  fill(g.r);
  // Histogram of {10, 20, 30, 40}: values below 128 have exact buckets; nearest rank of p50
  // is the 2nd value, of p99 and p99.9 the 4th.
  EXPECT_EQ(capture([&](FILE *fp) { stats_write_text(g.r, nullptr, fp); }),
            "asic0.pfe0.pg0.rx_bytes 12345 bytes # received bytes\n"
            "asic0.pfe0.et-0/0/0.rx_packets 7 packets\n"
            "asic0.pfe0.pg0.util 0.1 # utilisation\n"
            "asic0.pfe0.latency count=4 min=10 mean=25 p50=20 p99=40 p99.9=40 max=40 fs # LIFO latency\n"
            "host.ike_packets 0 packets # say \"hi\" \\ to IKE\n"
            "host.empty count=0 fs\n"
            "host.third 0.3333333333333333\n"
            "host.nan nan\n");
}

TEST(Stats, PrefixFilterMatchesWholeSegments) {
  Registry g;
  stats_counter_add(g.r, "asic0.pfe0.a", "", "");
  stats_counter_add(g.r, "asic0.pfe01.b", "", "");
  stats_counter_add(g.r, "asic0.pfe0", "", "") ;  // refused: inner node
  EXPECT_EQ(capture([&](FILE *fp) { stats_write_text(g.r, "asic0.pfe0", fp); }), "asic0.pfe0.a 0\n");
  EXPECT_EQ(capture([&](FILE *fp) { stats_write_text(g.r, "asic0.pfe", fp); }), "");
  EXPECT_EQ(capture([&](FILE *fp) { stats_write_text(g.r, "asic0", fp); }),
            "asic0.pfe0.a 0\nasic0.pfe01.b 0\n");
  EXPECT_EQ(capture([&](FILE *fp) { stats_write_json(g.r, "asic0.pfe01", fp); }),
            "{\n  \"asic0\": {\n    \"pfe01\": {\n      \"b\": {\n        \"value\": 0,\n"
            "        \"unit\": \"\",\n        \"desc\": \"\"\n      }\n    }\n  }\n}\n");
  EXPECT_EQ(capture([&](FILE *fp) { stats_write_json(g.r, "none", fp); }), "{}\n");
}

TEST(Stats, JsonWriter) {
  Registry g;
  fill(g.r);
  std::string json = capture([&](FILE *fp) { stats_write_json(g.r, nullptr, fp); });
  EXPECT_EQ(json,
            R"({
  "asic0": {
    "pfe0": {
      "pg0": {
        "rx_bytes": {
          "value": 12345,
          "unit": "bytes",
          "desc": "received bytes"
        },
        "util": {
          "value": 0.1,
          "unit": "",
          "desc": "utilisation"
        }
      },
      "et-0/0/0": {
        "rx_packets": {
          "value": 7,
          "unit": "packets",
          "desc": ""
        }
      },
      "latency": {
        "count": 4,
        "min": 10,
        "mean": 25,
        "p50": 20,
        "p99": 40,
        "p99.9": 40,
        "max": 40,
        "unit": "fs",
        "desc": "LIFO latency"
      }
    }
  },
  "host": {
    "ike_packets": {
      "value": 0,
      "unit": "packets",
      "desc": "say \"hi\" \\ to IKE"
    },
    "empty": {
      "count": 0,
      "min": null,
      "mean": null,
      "p50": null,
      "p99": null,
      "p99.9": null,
      "max": null,
      "unit": "fs",
      "desc": ""
    },
    "third": {
      "value": 0.3333333333333333,
      "unit": "",
      "desc": ""
    },
    "nan": {
      "value": null,
      "unit": "",
      "desc": ""
    }
  }
}
)");
  // An independent parser reads it back.
  EXPECT_EQ(python_eval(json, "d['asic0']['pfe0']['pg0']['rx_bytes']['value'], "
                              "d['asic0']['pfe0']['et-0/0/0']['rx_packets']['value'], "
                              "d['host']['third']['value'] == 1/3, d['host']['ike_packets']['desc']"),
            "12345 7 True say \"hi\" \\ to IKE\n");
}

TEST(Stats, JsonOfALargeRegistryParses) {
  Registry g;
  for (int i = 0; i < 2000; i++) {
    std::string sa = "chassis.sa" + std::to_string(i);
    *stats_counter_add(g.r, (sa + ".encrypted").c_str(), "packets", "") = i;
    *stats_gauge_add(g.r, (sa + ".rate").c_str(), "bps", "") = i * 1e9 / 7;
    stats_hist_record(stats_hist_add(g.r, (sa + ".latency").c_str(), "fs", ""), 1000u * i);
  }
  std::string json = capture([&](FILE *fp) { stats_write_json(g.r, nullptr, fp); });
  EXPECT_EQ(python_eval(json, "len(d['chassis']), d['chassis']['sa1999']['encrypted']['value'], "
                              "d['chassis']['sa7']['rate']['value'] == 7e9/7, "
                              "d['chassis']['sa3']['latency']['max']"),
            "2000 1999 True 3000\n");
  // Deterministic: a second write is byte-identical.
  EXPECT_EQ(json, capture([&](FILE *fp) { stats_write_json(g.r, nullptr, fp); }));
}

}  // namespace
