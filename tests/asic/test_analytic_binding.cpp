// `params --analytic` reads what binds from the resource registry of a world built from the
// parameters: every registered resource is in its output (a dummy added through the registry
// alone too), and the binding follows the owning parameter to its closed-form value.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "asic/asic_analytic.h"
}

namespace {

struct Params {
  asic_params p{};
  asic_platform pl{};
  Params() {
    size_t nb;
    const asic_param_block *b = asic_param_blocks(&nb);
    cfg_err e{};
    for (size_t i = 0; i < nb; i++) cfg_apply_defaults(b[i].table, b[i].n, asic_param_block_base(&b[i], &p, &pl), &e);
  }
};

std::string print_world(asic_world *w, const std::vector<uint32_t> &sizes) {
  char *buf = nullptr;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  EXPECT_TRUE(asic_analytic_print_world(w, sizes.data(), sizes.size(), fp));
  fclose(fp);
  std::string s(buf, len);
  free(buf);
  return s;
}

// The binding cell (text after the last " | ") of the first table's row for `size`.
std::string binding_of(const std::string &out, uint32_t size) {
  char head[16];
  std::snprintf(head, sizeof head, "\n%7u | ", size);
  size_t at = out.find(head);
  if (at == std::string::npos) return "";
  std::string line = out.substr(at + 1, out.find('\n', at + 1) - at - 1);
  return line.substr(line.rfind(" | ") + 3);
}

std::string binding(const Params &q, uint32_t size) {
  asic_world w{};
  char err[256];
  EXPECT_TRUE(asic_analytic_binding_world(&q.p, &q.pl, &w, err, sizeof err)) << err;
  std::string s = binding_of(print_world(&w, {size}), size);
  asic_world_free(&w);
  return s;
}

std::string pct(const char *name, double ratio, int tied) {
  char b[160];
  int k = std::snprintf(b, sizeof b, "%s at %.2f%%", name, 100 * ratio);
  if (tied) std::snprintf(b + k, sizeof b - k, " (+%d tied)", tied);
  return b;
}

}  // namespace

// Every registered resource is a row (loaded) or named in the not-loaded list, and the counts
// add up to the registry's; a resource added through the registry alone shows up.
TEST(AnalyticBinding, EveryRegisteredResourceIsInTheOutput) {
  Params q;
  asic_world w{};
  char err[256];
  ASSERT_TRUE(asic_analytic_binding_world(&q.p, &q.pl, &w, err, sizeof err)) << err;
  bw_server dummy;
  ASSERT_TRUE(bw_server_init(&dummy, 10000000000ull, 20, 0, 1 << 20, 3));
  asic_res r{};
  std::strcpy(r.name, "r0.dummy");
  r.kind = RES_BW;
  r.bw = &dummy;
  r.reason = DROP_PG_OUT;
  ASSERT_TRUE(asic_registry_add(&w, &r));
  std::string out = print_world(&w, {64, 1518});
  size_t rows = 0, listed = 0, holders = 0;
  for (size_t k = 0; k < w.n_res; k++) {
    const std::string name = w.res[k].name;
    if (w.res[k].kind == RES_HOLDER) {
      holders++;
      continue;
    }
    if (out.find("\n" + name + " ") != std::string::npos) rows++;
    else if (out.find(" " + name + ",") != std::string::npos || out.find(" " + name + "\n") != std::string::npos) listed++;
    else ADD_FAILURE() << name << " is missing from the output";
  }
  EXPECT_NE(out.find(" r0.dummy\n"), std::string::npos) << out;  // registered last, no load
  // MX304 16x100GE: slice 0 has PG.in/out x 2, in, lookup, out and 8 port MACs loaded
  EXPECT_EQ(rows, 15u);
  char line[96];
  std::snprintf(line, sizeof line, "not loaded by this pattern (%zu of %zu resources):", listed, w.n_res - holders);
  EXPECT_NE(out.find(line), std::string::npos) << out;
  std::snprintf(line, sizeof line, "packet holders without a server (no ceiling): %zu\n", holders);
  EXPECT_NE(out.find(line), std::string::npos) << out;
  asic_world_free(&w);
}

// Defaults: a full slice of ports (8 x 100G) is carried at every size; the lookup row reads
// its closed form over the load: 1600 threads / (1280 x 833333 fs) over 800G at 64 B.
TEST(AnalyticBinding, DefaultsThePortsBind) {
  Params q;
  for (uint32_t b : {64u, 594u, 1518u, 9000u}) EXPECT_EQ(binding(q, b), "ports (line rate)") << b;
  asic_world w{};
  char err[256];
  ASSERT_TRUE(asic_analytic_binding_world(&q.p, &q.pl, &w, err, sizeof err)) << err;
  std::string out = print_world(&w, {64});
  const double lk = 1600 / (1280 * 833333e-15), load = 800e9 / (8 * (64 + 20));
  char row[96];
  std::snprintf(row, sizeof row, "\n%-36s %7.2f\n", "r0.asic0.slice0.lookup", 100 * lk / load);
  EXPECT_NE(out.find(row), std::string::npos) << out;
  asic_world_free(&w);
}

// Each owning parameter moves the binding to its resource at its closed-form share.
TEST(AnalyticBinding, TheOwningParameterMovesIt) {
  Params q;
  q.p.pg_bw = 300e9;  // each PG carries 4 x 100G: 300/400, PG.in and PG.out of both PGs tie
  for (uint32_t b : {64u, 1518u, 9000u}) EXPECT_EQ(binding(q, b), pct("r0.asic0.slice0.pg0.in", 0.75, 3)) << b;
  q = Params();
  q.p.slice_bw = 500e9;  // slice.in and slice.out carry 800G
  EXPECT_EQ(binding(q, 256), pct("r0.asic0.slice0.in", 500.0 / 800, 1));
  q = Params();
  q.p.lookup_cycles = 2000;  // 960 Mpps: binds at 64 B (1190.48 Mpps offered), not at 128 B (675.68)
  const double lk = 1600 / (2000 * 833333e-15);
  EXPECT_EQ(binding(q, 64), pct("r0.asic0.slice0.lookup", lk / (800e9 / (8 * 84.0)), 0));
  EXPECT_EQ(binding(q, 128), "ports (line rate)");
  q = Params();
  q.pl.port_mode = PORT_MODE_4X400;  // one 400G port per PG: 250/400
  q.p.pg_bw = 250e9;
  EXPECT_EQ(binding(q, 1518), pct("r0.asic0.slice0.pg0.in", 250.0 / 400, 3));
}
