#include "asic_test_util.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

double AsicRun::m(const std::string &name) const {
  double v;
  return asic_metric(&sc.world, name.c_str(), &v) ? v : NAN;
}

// What a report writer prints to a FILE, as a string.
static std::string captured(scenario *sc, void (*writer)(scenario *, FILE *)) {
  char *buf = nullptr;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  writer(sc, fp);
  fclose(fp);
  std::string s(buf, len);
  free(buf);
  return s;
}

std::string AsicRun::resolved() { return captured(&sc, asic_report_resolved); }
std::string AsicRun::summary() { return captured(&sc, asic_report_summary); }

std::string AsicRun::json() const {
  char *buf = nullptr;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  stats_write_json(sc.world.stats, nullptr, fp);
  fclose(fp);
  std::string s(buf, len);
  free(buf);
  return s;
}

std::string scenario_path(const std::string &name) { return std::string(IPSECSIM_SOURCE_DIR) + "/scenarios/" + name + ".yaml"; }

std::string write_temp_yaml(const std::string &name, const std::string &text) {
  // per process: the sanitizer twin may run at the same time
  std::string p = std::string(IPSECSIM_BINARY_DIR) + "/tests/asic/" + name + "." + std::to_string(getpid()) + ".yaml";
  FILE *fp = fopen(p.c_str(), "w");
  if (fp) {
    fputs(text.c_str(), fp);
    fclose(fp);
  }
  return p;
}

std::unique_ptr<AsicRun> asic_run(const std::string &path, const std::vector<std::string> &sets, bool run) {
  auto r = std::make_unique<AsicRun>();
  std::vector<std::string> copy = sets;
  std::vector<char *> ptrs;
  for (auto &s : copy) ptrs.push_back(&s[0]);
  cfg_err e{};
  r->loaded = scenario_load(path.c_str(), ptrs.data(), ptrs.size(), &r->sc, &e);
  r->err = e.msg;
  if (!r->loaded || !run) return r;
  asic_sim_run_c(&r->sc.world);
  char msg[256];
  r->balanced = asic_sim_conservation(&r->sc.world, msg, sizeof msg);
  r->conservation = msg;
  asic_report_publish(&r->sc);
  return r;
}
