// `ipsecsim run SCENARIO [--out DIR] [--seed N] [--set KEY=VALUE]... [--driver systemc|c] [--quiet]
//  [--export-sas DIR]`
// Loads the scenario, runs the ASIC model (SystemC owns time; `--driver c` runs the same
// events from a plain C loop), checks packet conservation, writes the reports and
// evaluates `expect:`. Exit 0 ok, 1 an expect or the conservation check failed, 2 bad input.
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "asic/asic_ipsec_bytes.h"
#include "asic/asic_ipsec_rt.h"
#include "model/cfg.h"
#include "asic/asic_report.h"
#include "asic/asic_sc.h"
#include "asic/junos.h"
#include "asic/scenario.h"
#include "ipsec_engine/sa_export.h"
#include "asic/asic_tap.h"
#include "cli_cleanup.h"
#include "cli_help.h"
#include "commands.h"
#include "model/out_file.h"
#include "show_views.h"

static double now_s(clockid_t clk = CLOCK_MONOTONIC) {
  timespec ts;
  clock_gettime(clk, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int usage() {
  std::fprintf(stderr, "usage: ipsecsim run %s\n", cli_help_synopsis("run"));
  return IPSECSIM_EXIT_USAGE;
}

// `--seed N`: decimal digits only, so `-1` or `0x10` is not silently reinterpreted.
static bool seed_ok(const char *v) {
  if (!*v || std::strlen(v) > 20) return false;
  for (const char *c = v; *c; c++)
    if (*c < '0' || *c > '9') return false;
  return std::strlen(v) < 20 || std::strcmp(v, "18446744073709551615") <= 0;
}

// `--set k v` (a space instead of `=`) is the usual slip: say so, not just the usage line.
static bool set_ok(const char *cmd, const char *v) {
  if (std::strchr(v, '=')) return true;
  std::fprintf(stderr, "ipsecsim %s: --set %s: expected KEY=VALUE with '=' and no spaces (e.g. --set %s=VALUE)\n",
               cmd, v, v);
  return false;
}

// cpu: the process's CPU seconds (user + system) over the same loop as wall: a benchmark's
// figure that a loaded machine inflates less than wall time (tools/bench_payload.py).
static bool write_wallclock(const scenario &sc, const char *out, double wall, double cpu, bool use_c,
                            unsigned long long activations, char *e, size_t elen) {
  std::string wp = std::string(out) + "/wallclock.json";
  out_file of;
  if (!out_begin(&of, wp.c_str(), OUT_MODE_NORMAL, e, elen)) return false;
  uint64_t sent = 0;
  for (uint32_t i = 0; i < sc.world.n_flows; i++) sent += sc.world.flows[i].tot_sent;
  std::fprintf(of.fp,
               "{\"wall_s\": %.6f, \"driver\": \"%s\", \"packets\": %llu, \"events\": %llu, "
               "\"kernel_activations\": %llu, \"sim_packets_per_wall_s\": %.1f, \"sim_time_s\": %.9f, "
               "\"sim_over_wall\": %.6g, \"gcm_model\": \"%s\", \"rtl_cycles\": %llu, \"rtl_cycles_per_wall_s\": %.1f, "
               "\"cpu_s\": %.6f}\n",
               wall, use_c ? "c" : "systemc", (unsigned long long)sent, (unsigned long long)sc.world.events,
               activations, sent / wall, sim_fs_to_s(sc.world.t_end), sim_fs_to_s(sc.world.t_end) / wall,
               sc.world.gcm_model == ASIC_GCM_RTL ? "rtl" : "c", (unsigned long long)asic_ipsec_rtl_cycles(&sc.world),
               asic_ipsec_rtl_cycles(&sc.world) / wall, cpu);
  return out_commit(&of, e, elen);
}

// --export-sas DIR: every tunnel's two SAs as installed (before the run), named
// ROUTER-TUNNEL-out / -in, as an `esp --sa` file and Wireshark's esp_sa table (sa_export.h).
static bool export_sas(const scenario &sc, const char *scenario_path, const char *dir) {
  const asic_world *w = &sc.world;
  if (!w->n_tunnels) {
    std::fprintf(stderr, "ipsecsim run: --export-sas %s: %s has no tunnels (allowed: a scenario with ipsec.tunnels)\n",
                 dir, scenario_path);
    return false;
  }
  std::vector<sa_config> cfg;
  for (uint32_t t = 0; t < w->n_tunnels; t++) {
    const asic_tunnel &tu = w->tunnels[t];
    for (int d = 0; d < 2; d++) {
      cfg.push_back(d ? tu.in : tu.out);
      char nm[3 * SA_NAME_MAX];
      std::snprintf(nm, sizeof nm, "%s-%s-%s", w->routers[tu.router].name, tu.name, d ? "in" : "out");
      if (std::strlen(nm) >= SA_NAME_MAX) std::snprintf(nm, sizeof nm, "tunnel%u-%s", t, d ? "in" : "out");
      std::memcpy(cfg.back().name, nm, SA_NAME_MAX - 1);
      cfg.back().name[SA_NAME_MAX - 1] = 0;
    }
  }
  std::vector<const sa_config *> ptrs;
  for (auto &c : cfg) ptrs.push_back(&c);
  std::string f0 = std::string(dir) + "/" + SA_EXPORT_FILE, f1 = std::string(dir) + "/" + SA_EXPORT_WIRESHARK;
  const out_role outs[] = {{"--export-sas", f0.c_str()}, {"--export-sas", f1.c_str()}};
  const out_role ins[] = {{"the scenario", scenario_path}};
  char e[2 * OUT_PATH_MAX];
  bool ok = out_check_distinct(outs, 2, ins, 1, e, sizeof e) && sa_export_write(dir, ptrs.data(), ptrs.size(), e, sizeof e);
  for (auto &c : cfg) std::memset(c.key, 0, sizeof c.key), std::memset(c.salt, 0, sizeof c.salt);
  if (!ok) {
    std::fprintf(stderr, "ipsecsim run: %s\n", e);
    return false;
  }
  std::fprintf(stderr, "ipsecsim run: note: wrote key material of %zu SAs to %s and %s (mode 0600)\n", cfg.size(),
               f0.c_str(), f1.c_str());
  return true;
}

// mkdir -p DIR for the scenario a .conf import writes before the run (reports come later).
static bool out_dir_ready(const char *dir) {
  std::string p;
  for (const char *c = dir;; c++) {
    if (*c == '/' || !*c) {
      struct stat st;
      if (!p.empty() && mkdir(p.c_str(), 0777) && !(errno == EEXIST && stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode))) {
        std::fprintf(stderr, "ipsecsim run: --out %s: %s\n", p.c_str(), std::strerror(errno));
        return false;
      }
    }
    if (!*c) return true;
    p += *c;
  }
}

// C driver progress on a terminal: the SystemC driver's line (asic_sc_run), simulated time done.
static void c_driver_tick(void *ctx, sim_fs now) {
  const asic_world *w = static_cast<const asic_world *>(ctx);
  if (now < w->w1) std::fprintf(stderr, "\r  simulated %.1f us of %.1f us", now / 1e9, w->w1 / 1e9);
}

// --wave-window FROM..TO: two simulated times with units (cfg time syntax), FROM < TO.
static bool wave_window(const char *v, sim_fs *from, sim_fs *to) {
  static const cfg_param tp = {"t", CFG_T_TIME, "s", NULL, 1, 0, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
  const char *dots = std::strstr(v, "..");
  if (!dots) return false;
  std::string a(v, dots - v), b(dots + 2);
  char why[256];
  uint64_t x = 0, y = 0;
  if (!cfg_parse_text(&tp, a.c_str(), &x, why, sizeof why) || !cfg_parse_text(&tp, b.c_str(), &y, why, sizeof why))
    return false;
  *from = x;
  *to = y;
  return x < y;
}

extern "C" int cmd_run(int argc, char **argv) {
  const char *path = nullptr, *out = nullptr, *export_dir = nullptr, *gcm_model = nullptr, *wave = nullptr;
  sim_fs wave_from = 0, wave_to = SIM_FS_NEVER;
  bool window_given = false;
  bool use_c = false, quiet = false;
  std::vector<std::string> sets;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto need = [&](const char *what) -> const char * {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "ipsecsim run: %s needs a value\n", what);
        return nullptr;
      }
      return argv[++i];
    };
    if (a == "--out") {
      if (!(out = need("--out"))) return IPSECSIM_EXIT_USAGE;
    } else if (a == "--export-sas") {
      if (!(export_dir = need("--export-sas"))) return IPSECSIM_EXIT_USAGE;
    } else if (a == "--seed") {
      const char *v = need("--seed");
      if (!v) return IPSECSIM_EXIT_USAGE;
      if (!seed_ok(v)) {
        std::fprintf(stderr, "ipsecsim run: --seed %s: not an unsigned decimal integer (allowed: 0..18446744073709551615)\n", v);
        return IPSECSIM_EXIT_USAGE;
      }
      sets.push_back(std::string("seed=") + v);
    } else if (a == "--set") {
      const char *v = need("--set");
      if (!v || !set_ok("run", v)) return IPSECSIM_EXIT_USAGE;
      sets.push_back(v);
    } else if (a == "--driver") {
      const char *v = need("--driver");
      if (!v) return IPSECSIM_EXIT_USAGE;
      if (!std::strcmp(v, "c")) use_c = true;
      else if (std::strcmp(v, "systemc")) {
        std::fprintf(stderr, "ipsecsim run: --driver %s (allowed: systemc, c)\n", v);
        return IPSECSIM_EXIT_USAGE;
      }
    } else if (a == "--gcm-model") {
      const char *v = need("--gcm-model");
      if (!v) return IPSECSIM_EXIT_USAGE;
      if (std::strcmp(v, "c") && std::strcmp(v, "rtl")) {
        std::fprintf(stderr, "ipsecsim run: --gcm-model %s (allowed: c, rtl)\n", v);
        return IPSECSIM_EXIT_USAGE;
      }
      gcm_model = v;  // after the --set list: the flag overrides the scenario's gcm_model and --set
    } else if (a == "--wave") {
      if (!(wave = need("--wave"))) return IPSECSIM_EXIT_USAGE;
    } else if (a == "--wave-window") {
      const char *v = need("--wave-window");
      if (!v) return IPSECSIM_EXIT_USAGE;
      if (!wave_window(v, &wave_from, &wave_to)) {
        std::fprintf(stderr, "ipsecsim run: --wave-window %s: expected FROM..TO, simulated times with units, FROM < TO "
                             "(allowed: e.g. 2us..3us)\n", v);
        return IPSECSIM_EXIT_USAGE;
      }
      window_given = true;
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (cli_help_is_flag(argv[i])) {
      cli_help_print("run", stdout);
      return IPSECSIM_EXIT_OK;
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "ipsecsim run: unknown option %s\n", a.c_str());
      return usage();
    } else if (!path) {
      path = argv[i];
    } else {
      return usage();
    }
  }
  if (!path) return usage();
  if (window_given && !wave) {
    std::fprintf(stderr, "ipsecsim run: --wave-window has no effect without --wave\n");
    return IPSECSIM_EXIT_USAGE;
  }
  if (gcm_model) sets.push_back(std::string("gcm_model=") + gcm_model);
  if (out) {  // before the run: no report may replace the scenario (run DIR/config.resolved.yaml --out DIR)
    char e[2 * OUT_PATH_MAX];
    if (!asic_report_check_dir(path, out, true, e, sizeof e)) {
      std::fprintf(stderr, "ipsecsim run: %s\n", e);
      return IPSECSIM_EXIT_USAGE;
    }
  }
  // A Junos configuration: imported first (junos import), into DIR or a private temporary folder.
  std::string conf_scn, conf_keys, conf_tmp;
  size_t plen = std::strlen(path);
  if (plen > 5 && !std::strcmp(path + plen - 5, ".conf")) {
    std::string d;
    if (out) {
      if (!out_dir_ready(out)) return IPSECSIM_EXIT_USAGE;
      d = out;
    } else {
      char tmpl[] = "/tmp/ipsecsim-junos-XXXXXX";
      if (!mkdtemp(tmpl)) {
        std::fprintf(stderr, "ipsecsim run: cannot create a temporary folder for the imported scenario\n");
        return IPSECSIM_EXIT_USAGE;
      }
      d = conf_tmp = tmpl;
    }
    conf_scn = d + "/junos_import.yaml";
    conf_keys = d + "/junos_import.keys.yaml";
    char e[JN_ERR_MAX];
    if (!junos_import_files(path, false, "peer1", "peer2", conf_scn.c_str(), conf_keys.c_str(), stderr, e, sizeof e)) {
      std::fprintf(stderr, "%s\n", e);
      if (!conf_tmp.empty()) rmdir(conf_tmp.c_str());
      return IPSECSIM_EXIT_USAGE;
    }
    path = conf_scn.c_str();
  }
  struct tmp_cleanup {
    std::string dir, a, b;
    ~tmp_cleanup() {
      if (dir.empty()) return;
      unlink(a.c_str());
      unlink(b.c_str());
      rmdir(dir.c_str());
    }
  } cleanup{conf_tmp, conf_scn, conf_keys};
  std::vector<char *> setp;
  for (auto &s : sets) setp.push_back(&s[0]);
  // large: on the heap, one per run (no process-global state: two worlds may coexist)
  auto sc_owner = std::make_unique<scenario>();
  scenario &sc = *sc_owner;
  cfg_err err{};
  if (!scenario_load(path, setp.data(), setp.size(), &sc, &err)) {
    std::fprintf(stderr, "%s\n", err.msg);
    scenario_free(&sc);
    return IPSECSIM_EXIT_USAGE;
  }
  if (sc.junos_notes) std::fputs(sc.junos_notes, stderr);
  if (export_dir && !export_sas(sc, path, export_dir)) {
    scenario_free(&sc);
    return IPSECSIM_EXIT_USAGE;
  }
  if (asic_capture_count(&sc.world) && !out) {  // captures go under --out only (asic_tap.h)
    std::fprintf(stderr, "ipsecsim run: note: %s: capture: %u captures not written (no --out DIR to write them in)\n",
                 sc.world.taps->caps[0].where, asic_capture_count(&sc.world));
  } else if (asic_capture_count(&sc.world)) {  // never over an input, nothing left half-written
    char e[3 * OUT_PATH_MAX] = "";
    const out_role ins[] = {{"the scenario", path}};
    if (!out_dir_ready(out) || !asic_capture_open(&sc.world, out, ins, 1, e, sizeof e)) {
      if (*e) std::fprintf(stderr, "ipsecsim run: %s\n", e);
      scenario_free(&sc);
      return IPSECSIM_EXIT_USAGE;
    }
  }
  if (wave) {  // the Verilated core's ports for the window only (holds packet bytes: key material rule)
    char e[512];
    if (sc.world.gcm_model != ASIC_GCM_RTL || !sc.world.n_tunnels) {
      std::fprintf(stderr, "ipsecsim run: --wave has no effect without an engine on the RTL core (--gcm-model rtl)\n");
      scenario_free(&sc);
      return IPSECSIM_EXIT_USAGE;
    }
    if (!asic_ipsec_wave(&sc.world, wave, wave_from, wave_to, stderr, e, sizeof e)) {
      std::fprintf(stderr, "ipsecsim run: %s\n", e);
      scenario_free(&sc);
      return IPSECSIM_EXIT_USAGE;
    }
  }
  bool progress = isatty(2) && !quiet;
  double t0 = now_s(), c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
  unsigned long long activations = 0;
  if (use_c && progress) {
    asic_sim_run_c_progress(&sc.world, c_driver_tick, &sc.world, sc.world.w1 / 50 ? sc.world.w1 / 50 : 1);
    std::fprintf(stderr, "\r  simulated %.1f us of %.1f us\n", sc.world.w1 / 1e9, sc.world.w1 / 1e9);
  } else if (use_c) {
    asic_sim_run_c(&sc.world);
  } else {
    activations = asic_sc_run(&sc.world, progress);
  }
  double wall = now_s() - t0, cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
  asic_ipsec_scoreboard_finish(&sc.world);
  char msg[256];
  bool balanced = asic_sim_conservation(&sc.world, msg, sizeof msg);
  if (asic_capture_count(&sc.world) && out) {
    char e[2 * OUT_PATH_MAX];
    cli_cleanup_hold();
    const bool ok = asic_capture_commit(&sc.world, e, sizeof e);
    cli_cleanup_release();
    if (!ok) {
      std::fprintf(stderr, "ipsecsim run: %s\n", e);
      scenario_free(&sc);
      return IPSECSIM_EXIT_USAGE;
    }
    for (uint32_t i = 0; !quiet && i < sc.world.taps->n_caps; i++)
      std::fprintf(stderr, "ipsecsim run: note: captured %llu frames in %s\n",
                   (unsigned long long)sc.world.taps->caps[i].written, sc.world.taps->caps[i].out.path);
  }
  asic_report_publish(&sc);
  if (!quiet) asic_report_summary(&sc, stdout);
  std::printf("conservation: %s\n", msg);
  // The figures are published: the byte path's SAs (OpenSSL contexts, replay windows) are done
  // with, and their heap serves the outputs' writing (a 2000-tunnel run's peak, README).
  asic_ipsec_bytes_release_sas(&sc.world);
  if (out) {
    char e[512];
    // The report temporaries live inside asic_report_write: signals wait until all are renamed.
    cli_cleanup_hold();
    const bool written = asic_report_write(&sc, out, e, sizeof e) &&
                         write_wallclock(sc, out, wall, cpu, use_c, activations, e, sizeof e);
    cli_cleanup_release();
    if (!written) {
      std::fprintf(stderr, "ipsecsim run: %s\n", e);
      scenario_free(&sc);
      return IPSECSIM_EXIT_USAGE;
    }
  }
  int fails = asic_expect_eval(&sc, stdout, !quiet);
  if (!quiet) std::printf("expect: %zu checked, %d failed\n", sc.n_expects, fails);
  bool sb_ok = true;
  if (sc.world.gcm_model == ASIC_GCM_RTL && sc.world.n_tunnels) {  // the co-simulation's verdict
    uint64_t checked, mm, cm;
    sb_ok = asic_ipsec_scoreboard(&sc.world, stderr, &checked, &mm, &cm);
    std::printf("scoreboard: %llu packets checked against the C model, %llu mismatches, %llu cycle mismatches%s\n",
                (unsigned long long)checked, (unsigned long long)mm, (unsigned long long)cm, sb_ok ? "" : " (FAILED)");
  }
  // The show views last, from the run's registry alone: the world is freed first, so the
  // views' parse of config.resolved.yaml reuses its heap (a 2000-tunnel run's peak, README).
  stats_registry *views = out && sc.world.n_tunnels ? sc.world.stats : nullptr;
  if (views) sc.world.stats = nullptr;
  scenario_free(&sc);
  if (views) {
    char e[512];
    cli_cleanup_hold();
    const bool written = show_write_all(out, views, e, sizeof e);
    cli_cleanup_release();
    stats_destroy(views);
    if (!written) {
      std::fprintf(stderr, "ipsecsim run: %s\n", e);
      return IPSECSIM_EXIT_USAGE;
    }
  }
  if (!balanced) {
    std::fprintf(stderr, "ipsecsim run: packet conservation failed: %s\n", msg);
    return IPSECSIM_EXIT_FAIL;
  }
  return fails || !sb_ok ? IPSECSIM_EXIT_FAIL : IPSECSIM_EXIT_OK;
}
