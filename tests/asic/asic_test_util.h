// Helpers for the ASIC model tests: load a scenario (file or YAML text) with --set style
// overrides, run it with the plain C driver, publish the stats, read metrics.
#pragma once
#include <memory>
#include <string>
#include <vector>

extern "C" {
#include "asic/asic_report.h"
#include "asic/scenario.h"
}

struct AsicRun {
  scenario sc{};
  bool loaded = false, balanced = false;
  std::string err, conservation;
  ~AsicRun() { scenario_free(&sc); }
  double m(const std::string &name) const;  // metric; NaN when absent
  std::string json() const;                 // the report.json "stats" object
  std::string resolved();                   // config.resolved.yaml of this run
  std::string summary();                    // the run summary table
};

std::string scenario_path(const std::string &name);  // scenarios/NAME.yaml in the source tree
std::string write_temp_yaml(const std::string &name, const std::string &text);
// Loads (and, when run is true, runs with the C driver and publishes).
std::unique_ptr<AsicRun> asic_run(const std::string &path, const std::vector<std::string> &sets = {}, bool run = true);
