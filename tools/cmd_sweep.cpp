// `ipsecsim sweep SCENARIO --sizes 64,128,... [--rfc2544 [--resolution P%]] [--out DIR] [--set KEY=VALUE]...`
// Runs the scenario once per frame size (every stream's frame set to that size), each point
// in its own forked process (SystemC elaborates once per process; points stay independent),
// and prints one line per point and stream: offered / delivered L1 Gbit/s, Mpps, drops,
// LIFO p99, and the closed-form expectation. Points go to DIR/size-N/ with --out.
//
// --rfc2544: RFC 2544 section 26.1 throughput per frame size, the highest offered rate at
// which no frame is lost. Every stream offers the same percentage of its port's line rate
// (--set traffic.rate); a trial is one run of the scenario (warm-up + measure phase, every
// frame of the run counted: zero loss = no drop anywhere and every frame sent delivered).
// The first trial is at 100%; below that, a binary search between 0 and 100% stops when the
// interval is narrower than the resolution (default 0.1% of line rate); the reported rate is
// the highest rate that passed, so the true ceiling lies in [rate, rate + resolution).
// With --out, the last passing trial's reports go to DIR/size-N/.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "asic/asic_report.h"
#include "asic/asic_sc.h"
#include "asic/scenario.h"
#include "cli_cleanup.h"
#include "cli_help.h"
#include "commands.h"
#include "model/out_file.h"

/* Loads the scenario with the --set overrides and runs it; false (message printed) when the
 * input is unusable. One scenario per process: SystemC starts once. */
static bool load_and_run(const char *path, std::vector<std::string> &sets, scenario &sc) {
  std::vector<char *> p;
  for (auto &s : sets) p.push_back(&s[0]);
  cfg_err err{};
  if (!scenario_load(path, p.data(), p.size(), &sc, &err)) {
    std::fprintf(stderr, "%s\n", err.msg);
    return false;
  }
  asic_sc_run(&sc.world, false);
  return true;
}

/* The reports of one point; signals wait until every temporary is renamed (cli_cleanup.h). */
static bool write_reports(scenario &sc, const std::string &dir, char *e, size_t elen) {
  cli_cleanup_hold();
  const bool ok = asic_report_write(&sc, dir.c_str(), e, elen);
  cli_cleanup_release();
  return ok;
}

/* Runs work() in a forked child and returns its wait status (-1: no fork). The interrupt
 * handler signals and reaps that child before the parent dies; signals are held across the
 * fork so none falls between it and the registration. */
template <class F> static int in_child(F work) {
  std::fflush(stdout);
  cli_cleanup_hold();
  pid_t pid = fork();
  if (pid == 0) {
    cli_cleanup_release();
    _exit(work());
  }
  if (pid > 0) cli_cleanup_child(pid);
  cli_cleanup_release();
  int st = -1;
  if (pid > 0 && waitpid(pid, &st, 0) < 0) st = -1;
  cli_cleanup_child(0);
  return st;
}

static int point(const char *path, std::vector<std::string> sets, unsigned size, const char *out) {
  sets.push_back("traffic.frame=" + std::to_string(size) + "B");
  auto sc_owner = std::make_unique<scenario>();  // large: on the heap, one per point
  scenario &sc = *sc_owner;
  if (!load_and_run(path, sets, sc)) return IPSECSIM_EXIT_USAGE;
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
    if (!write_reports(sc, d, e, sizeof e)) {
      std::fprintf(stderr, "ipsecsim sweep: %s\n", e);
      return IPSECSIM_EXIT_USAGE;  // unusable output
    }
  }
  if (!ok) std::fprintf(stderr, "ipsecsim sweep: size %u: packet conservation failed: %s\n", size, msg);
  return ok ? IPSECSIM_EXIT_OK : IPSECSIM_EXIT_FAIL;
}

/* One RFC 2544 trial in this (child) process: exit 0 zero loss, 1 loss, 2 unusable input. */
static int trial(const char *path, std::vector<std::string> sets, unsigned size, double frac, const char *out) {
  char rate[64];
  std::snprintf(rate, sizeof rate, "traffic.rate=%.9f%%", frac * 100);
  sets.push_back("traffic.frame=" + std::to_string(size) + "B");
  sets.push_back(rate);
  auto sc_owner = std::make_unique<scenario>();  // large: on the heap, one per point
  scenario &sc = *sc_owner;
  if (!load_and_run(path, sets, sc)) return IPSECSIM_EXIT_USAGE;
  char msg[256];
  bool balanced = asic_sim_conservation(&sc.world, msg, sizeof msg);
  uint64_t sent = 0, recv = 0, drops = 0;
  for (uint32_t i = 0; i < sc.world.n_flows; i++) {
    const asic_flow *f = &sc.world.flows[i];
    sent += f->tot_sent, recv += f->tot_recv;
    for (int d = 0; d < DROP_N; d++) drops += f->tot_drops[d];
  }
  if (out) {
    asic_report_publish(&sc);
    char e[512];
    std::string d = std::string(out) + "/size-" + std::to_string(size);
    if (!write_reports(sc, d, e, sizeof e)) {
      std::fprintf(stderr, "ipsecsim sweep: %s\n", e);
      return IPSECSIM_EXIT_USAGE;  // unusable output
    }
  }
  if (!balanced) std::fprintf(stderr, "ipsecsim sweep: size %u: packet conservation failed: %s\n", size, msg);
  return balanced && drops == 0 && recv == sent ? IPSECSIM_EXIT_OK : IPSECSIM_EXIT_FAIL;
}

static int fork_trial(const char *path, const std::vector<std::string> &sets, unsigned size, double frac,
                      const char *out) {
  int st = in_child([&] { return trial(path, sets, size, frac, out); });
  return st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : IPSECSIM_EXIT_USAGE;
}

/* Line rates and stream count of the scenario (all streams share the offered percentage). */
static bool line_rates(const char *path, const std::vector<std::string> &sets, double *sum_line_bps,
                       uint32_t *streams, sim_fs *trial_fs) {
  std::vector<std::string> copy = sets;
  std::vector<char *> p;
  for (auto &s : copy) p.push_back(&s[0]);
  scenario sc{};
  cfg_err err{};
  if (!scenario_load(path, p.data(), p.size(), &sc, &err)) {
    std::fprintf(stderr, "%s\n", err.msg);
    return false;
  }
  *sum_line_bps = 0;
  for (uint32_t i = 0; i < sc.world.n_flows; i++) *sum_line_bps += (double)sc.world.ports[sc.world.flows[i].port].rate_bps;
  *streams = sc.world.n_flows;
  *trial_fs = sc.warmup + sc.measure;
  scenario_free(&sc);
  return true;
}

static int rfc2544(const char *path, const std::vector<std::string> &sets, const std::vector<unsigned> &sizes,
                   double resolution, const char *out) {
  double line = 0;
  uint32_t streams = 0;
  sim_fs trial_fs = 0;
  if (!line_rates(path, sets, &line, &streams, &trial_fs)) return IPSECSIM_EXIT_USAGE;
  std::printf("RFC 2544 26.1 throughput: highest offered rate with zero frame loss; %u stream(s), each at the same\n"
              "percentage of its port's line rate (sum of line rates %.1f Gbit/s L1); binary search, resolution\n"
              "%.3f%% of line rate; trial = warm-up + measure = %.3f us, every frame counted.\n",
              streams, line / 1e9, resolution * 100, (double)trial_fs / 1e9);
  std::printf("%6s %10s %10s %10s %10s %12s %7s\n", "frame", "rate", "L1", "L2", "rate", "max rate", "trials");
  std::printf("%6s %10s %10s %10s %10s %12s %7s\n", "B", "% line", "Gbit/s", "Gbit/s", "Mpps", "Mpps (L1)", "");
  for (unsigned size : sizes) {
    int n = 1;
    double lo = 0, hi = 1;
    int rc = fork_trial(path, sets, size, 1.0, nullptr);
    if (rc == IPSECSIM_EXIT_USAGE) return rc;
    if (rc == IPSECSIM_EXIT_OK) lo = 1.0;
    while (rc != IPSECSIM_EXIT_OK && hi - lo > resolution) {
      double mid = (lo + hi) / 2;
      rc = fork_trial(path, sets, size, mid, nullptr);
      n++;
      if (rc == IPSECSIM_EXIT_USAGE) return rc;
      (rc == IPSECSIM_EXIT_OK ? lo : hi) = mid;
      rc = IPSECSIM_EXIT_FAIL;  // continue until the interval is narrow enough
    }
    if (out && lo > 0 && fork_trial(path, sets, size, lo, out) == IPSECSIM_EXIT_USAGE) return IPSECSIM_EXIT_USAGE;
    double l1 = lo * line, wire = 8.0 * (size + 20);
    std::printf("%6u %10.4f %10.3f %10.3f %10.4f %12.4f %7d\n", size, lo * 100, l1 / 1e9, l1 * size / (size + 20) / 1e9,
                l1 / wire / 1e6, line / wire / 1e6, n);
    std::fflush(stdout);
  }
  return IPSECSIM_EXIT_OK;
}

static int usage() {
  std::fprintf(stderr, "usage: ipsecsim sweep %s\n", cli_help_synopsis("sweep"));
  return IPSECSIM_EXIT_USAGE;
}

extern "C" int cmd_sweep(int argc, char **argv) {
  const char *path = nullptr, *out = nullptr;
  std::vector<unsigned> sizes;
  std::vector<std::string> sets;
  bool rfc = false, resolution_given = false;
  double resolution = 0.001;
  for (int i = 1; i < argc; i++) {
    if (cli_help_is_flag(argv[i])) {
      cli_help_print("sweep", stdout);
      return IPSECSIM_EXIT_OK;
    } else if (!std::strcmp(argv[i], "--sizes") && i + 1 < argc) {
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
      if (!std::strchr(argv[++i], '=')) {
        std::fprintf(stderr, "ipsecsim sweep: --set %s: expected KEY=VALUE with '=' and no spaces (e.g. --set %s=VALUE)\n",
                     argv[i], argv[i]);
        return IPSECSIM_EXIT_USAGE;
      }
      sets.push_back(argv[i]);
    } else if (!std::strcmp(argv[i], "--rfc2544")) {
      rfc = true;
    } else if (!std::strcmp(argv[i], "--resolution") && i + 1 < argc) {
      resolution_given = true;
      char *end;
      resolution = std::strtod(argv[++i], &end) / 100;
      if ((*end && std::strcmp(end, "%")) || !(resolution >= 1e-6 && resolution <= 0.5)) {
        std::fprintf(stderr, "ipsecsim sweep: --resolution: '%s' (allowed: 0.0001%%..50%% of line rate)\n", argv[i]);
        return IPSECSIM_EXIT_USAGE;
      }
    } else if (argv[i][0] != '-' && !path) {
      path = argv[i];
    } else if (argv[i][0] == '-') {
      std::fprintf(stderr, "ipsecsim sweep: unknown or incomplete option '%s'\n", argv[i]);
      return usage();
    } else {
      std::fprintf(stderr, "ipsecsim sweep: one scenario only ('%s' after '%s')\n", argv[i], path);
      return usage();
    }
  }
  if (!path) {
    std::fprintf(stderr, "ipsecsim sweep: missing SCENARIO.yaml\n");
    return usage();
  }
  if (sizes.empty()) {
    std::fprintf(stderr, "ipsecsim sweep: missing --sizes LIST (frame sizes in bytes, e.g. --sizes 64,512,1518; allowed: 64..9600)\n");
    return IPSECSIM_EXIT_USAGE;
  }
  if (resolution_given && !rfc) {
    std::fprintf(stderr, "ipsecsim sweep: --resolution has no effect without --rfc2544\n");
    return IPSECSIM_EXIT_USAGE;
  }
  for (unsigned s : sizes) {  // before any run: no report may replace the scenario
    char e[2 * OUT_PATH_MAX];
    std::string d = std::string(out ? out : "") + "/size-" + std::to_string(s);
    if (out && !asic_report_check_dir(path, d.c_str(), false, e, sizeof e)) {
      std::fprintf(stderr, "ipsecsim sweep: %s\n", e);
      return IPSECSIM_EXIT_USAGE;
    }
  }
  if (rfc) return rfc2544(path, sets, sizes, resolution, out);
  std::printf("%6s %-14s %9s %9s %9s %9s %10s %11s\n", "frame", "stream", "off L1", "rx L1", "exp L1", "rx Mpps",
              "drops", "LIFO p99");
  std::printf("%6s %-14s %9s %9s %9s %9s %10s %11s\n", "B", "", "Gbit/s", "Gbit/s", "Gbit/s", "", "pkts", "ns");
  std::fflush(stdout);
  int worst = IPSECSIM_EXIT_OK;
  for (unsigned s : sizes) {
    int st = in_child([&] { return point(path, sets, s, out); });
    if (st < 0) return IPSECSIM_EXIT_USAGE;
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : IPSECSIM_EXIT_FAIL;
    if (rc == IPSECSIM_EXIT_USAGE) return rc;
    if (rc > worst) worst = rc;
  }
  return worst;
}
