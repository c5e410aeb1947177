// `ipsecsim sweep SCENARIO --sizes 64,128,... [--out DIR] [--set KEY=VALUE]...`
// Runs the scenario once per frame size (every stream's frame set to that size), each point
// in its own forked process (SystemC elaborates once per process; points stay independent),
// and prints one line per point and stream: offered / delivered L1 Gbit/s, Mpps, drops,
// LIFO p99, and the closed-form expectation. Points go to DIR/size-N/ with --out.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "asic/asic_report.h"
#include "asic/asic_sc.h"
#include "asic/scenario.h"
#include "commands.h"

static int point(const char *path, std::vector<std::string> sets, unsigned size, const char *out) {
  sets.push_back("traffic.frame=" + std::to_string(size) + "B");
  std::vector<char *> p;
  for (auto &s : sets) p.push_back(&s[0]);
  static scenario sc;
  cfg_err err{};
  if (!scenario_load(path, p.data(), p.size(), &sc, &err)) {
    std::fprintf(stderr, "%s\n", err.msg);
    return IPSECSIM_EXIT_USAGE;
  }
  asic_sc_run(&sc.world, false);
  char msg[256];
  bool ok = asic_sim_conservation(&sc.world, msg, sizeof msg);
  asic_report_publish(&sc);
  for (uint32_t i = 0; i < sc.world.n_flows; i++) {
    const char *n = sc.world.flows[i].name;
    auto m = [&](const char *fmt) {
      char k[192];
      double v = 0;
      std::snprintf(k, sizeof k, fmt, n);
      asic_metric(&sc.world, k, &v);
      return v;
    };
    std::printf("%6u %-14s %9.3f %9.3f %9.3f %9.3f %10.0f %11.1f\n", size, n, m("flow.%s.offered_l1_gbps"),
                m("flow.%s.rx_l1_gbps"), m("analytic.flow.%s.expected_l1_gbps"), m("flow.%s.rx_mpps"),
                m("flow.%s.drops.total"), m("flow.%s.latency_lifo.p99") / 1e6);
  }
  std::fflush(stdout);
  if (out) {
    char e[512];
    std::string d = std::string(out) + "/size-" + std::to_string(size);
    if (!asic_report_write(&sc, d.c_str(), e, sizeof e)) std::fprintf(stderr, "ipsecsim sweep: %s\n", e);
  }
  if (!ok) std::fprintf(stderr, "ipsecsim sweep: size %u: packet conservation failed: %s\n", size, msg);
  return ok ? IPSECSIM_EXIT_OK : IPSECSIM_EXIT_FAIL;
}

extern "C" int cmd_sweep(int argc, char **argv) {
  const char *path = nullptr, *out = nullptr;
  std::vector<unsigned> sizes;
  std::vector<std::string> sets;
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--sizes") && i + 1 < argc) {
      for (char *s = std::strtok(argv[++i], ","); s; s = std::strtok(nullptr, ",")) {
        char *end;
        long v = std::strtol(s, &end, 10);
        if ((*end && std::strcmp(end, "B")) || v < 64 || v > 9600) {
          std::fprintf(stderr, "ipsecsim sweep: --sizes: '%s' (allowed: 64..9600, bytes)\n", s);
          return IPSECSIM_EXIT_USAGE;
        }
        sizes.push_back((unsigned)v);
      }
    } else if (!std::strcmp(argv[i], "--out") && i + 1 < argc) {
      out = argv[++i];
    } else if (!std::strcmp(argv[i], "--set") && i + 1 < argc) {
      sets.push_back(argv[++i]);
    } else if (!std::strcmp(argv[i], "--rfc2544")) {
      std::fprintf(stderr, "ipsecsim sweep: --rfc2544 (zero-loss rate search) is not part of this build yet\n");
      return IPSECSIM_EXIT_USAGE;
    } else if (argv[i][0] != '-' && !path) {
      path = argv[i];
    } else {
      std::fprintf(stderr, "usage: ipsecsim sweep SCENARIO.yaml --sizes 64,128,... [--out DIR] [--set KEY=VALUE]...\n");
      return IPSECSIM_EXIT_USAGE;
    }
  }
  if (!path || sizes.empty()) {
    std::fprintf(stderr, "usage: ipsecsim sweep SCENARIO.yaml --sizes 64,128,... [--out DIR] [--set KEY=VALUE]...\n");
    return IPSECSIM_EXIT_USAGE;
  }
  std::printf("%6s %-14s %9s %9s %9s %9s %10s %11s\n", "frame", "stream", "off L1", "rx L1", "exp L1", "rx Mpps",
              "drops", "LIFO p99");
  std::printf("%6s %-14s %9s %9s %9s %9s %10s %11s\n", "B", "", "Gbit/s", "Gbit/s", "Gbit/s", "", "pkts", "ns");
  std::fflush(stdout);
  int worst = IPSECSIM_EXIT_OK;
  for (unsigned s : sizes) {
    pid_t pid = fork();
    if (pid < 0) return IPSECSIM_EXIT_USAGE;
    if (pid == 0) _exit(point(path, sets, s, out));
    int st = 0;
    waitpid(pid, &st, 0);
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : IPSECSIM_EXIT_FAIL;
    if (rc == IPSECSIM_EXIT_USAGE) return rc;
    if (rc > worst) worst = rc;
  }
  return worst;
}
