#!/usr/bin/python3
"""Checks of `ipsecsim sweep` on IPsec points, its MLRsearch phases and its progress line.
Usage: sweep_ipsec_checks.py IPSECSIM SOURCE_ROOT WORK_DIR CASE
CASE:
  engine     scenarios/ipsec_engine_1518.yaml at --axis engine.lanes=2,1: MLRsearch finds the
             engine's ceiling from its parameters (lanes x clock / 102 cycles per 1518 B
             datagram, over the Mpps the four streams offer at line rate) within the width
             (+ the backlog rule's resolution); the engine binds; its closed form and its
             measured Mpps are reported beside the NDR; lanes 2 -> 1 halves it; --jobs 1 and
             --jobs 2 give the same files; engine.clock and engine.overhead_cycles as axes
  tunnels    --axis ipsec.tunnels.vpn.count=1,2000 on scenarios/sweep_ipsec_tunnels.yaml:
             NDR at the one-lane engine's ceiling for both counts; at 64 B with 1024 SA cache
             entries and 2000 tunnels the SA cache binds: every outbound datagram misses (its
             SA's reuse window holds 2000 SAs), every inbound one hits, and NDR and max.* sit
             on the weighted mean cycle cost; --set of the same key in `ipsecsim run` builds
             that many tunnels, each carrying traffic
  durations  MLRsearch trial durations grow over the phases: trial/8, trial/8^(1/2), trial by
             default; --initial-trial and --mlr-phases move them; the found rate comes from a
             full-length trial; the options' error messages
  progress   under script(1) (a terminal) stderr shows points done, rate and ETA (sweep) and the
             simulated time done (run, both drivers); --quiet
             and a pipe show none
Closed forms are computed here from the scenario's numbers, never from the tool's output."""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
BIN, ROOT, WORK, CASE = sys.argv[1:5]
sys.argv[1:5] = [BIN, ROOT, WORK, CASE]
from sweep_checks import check, results, run  # noqa: E402  (same argv layout)

PERIOD_S = 833333e-15  # 1 / 1.2 GHz, rounded once to whole fs (engine clock)
CYCLES_1518 = 5 + 1 + 94 + 2  # overhead + AAD + ceil(1504 / 16) + tag, per 1518 B datagram
ENC_PPS = 100e9 / (8 * (1518 + 20))  # a clear 1518 B stream at 100 Gbit/s L1
DEC_PPS = 100e9 / (8 * (1574 + 20))  # its ESP (1574 B frames) at 100 Gbit/s L1
WIDTH, SLACK = 0.005, 2  # MLRsearch width and backlog-rule slack (defaults)


def rule_resolution_pct(streams, line_pps, measure_s):
    """The smallest overload the backlog rule sees: slack x streams frames over half a trial."""
    return 100 * SLACK * streams / (line_pps * measure_s / 2)


def engine():
    out = os.path.join(WORK, "eng")
    sweep = [BIN, "sweep", ROOT + "/scenarios/ipsec_engine_1518.yaml", "--axis", "engine.lanes=2,1", "--search", "mlr",
             "--trial", "1ms", "-q"]
    run(sweep + ["--jobs", "2", "--out", out])
    run(sweep + ["--jobs", "1", "--out", out + "1"])
    for f in ("results.csv", "results.json"):
        check(open(out + "/" + f, "rb").read() == open(out + "1/" + f, "rb").read(), "IPsec points: %s of --jobs 2 = --jobs 1" % f)
    pts, axes = results(out + "/results.csv")
    line_pps = 2 * ENC_PPS + 2 * DEC_PPS
    res = rule_resolution_pct(4, line_pps, 1e-3)
    ndr = {}
    for p, m in pts.items():
        lanes = int(axes[p]["engine.lanes"])
        ceil_pps = lanes / (CYCLES_1518 * PERIOD_S)
        frac = 100 * ceil_pps / line_pps
        got = ndr[lanes] = float(m["ndr.rate_pct"])
        check(frac * (1 - WIDTH) <= got <= frac + res,
              "lanes %d: NDR %.4f%% within [%.4f%% x (1 - 0.5%%), + %.4f rule resolution]" % (lanes, got, frac, res))
        name = "analytic.r0.asic0.slice0.engine."
        check(abs(float(m[name + "ceiling_mpps"]) - ceil_pps / 1e6) <= 1e-6 * ceil_pps / 1e6,
              "lanes %d: closed form %.4f Mpps reported" % (lanes, ceil_pps / 1e6))
        check(abs(float(m[name + "ceiling_rate_pct"]) - frac) <= 1e-6 * frac, "lanes %d: engine saturates at %.4f%%" % (lanes, frac))
        check(m["max.binding"] == "r0.asic0.slice0.engine", "lanes %d: the engine binds" % lanes)
        measured = float(m["ndr.engine.mpps"])
        check(abs(measured - ceil_pps / 1e6) <= WIDTH * ceil_pps / 1e6,
              "lanes %d: measured %.4f Mpps at the NDR within 0.5%% of the closed form" % (lanes, measured))
        check(abs(float(m["line.mpps"]) - line_pps / 1e6) <= 1e-6 * line_pps / 1e6,
              "lanes %d: line Mpps counts the esp_of streams' ESP frames (%.4f)" % (lanes, line_pps / 1e6))
        wan, clear = float(m["ndr.wan_l1_gbps"]), float(m["ndr.clear_l1_gbps"])
        check(abs(wan - measured * 1594 * 8 / 1e3) <= 1e-3 * wan and abs(clear - measured * 1538 * 8 / 1e3) <= 1e-3 * clear,
              "lanes %d: WAN %.2f / clear %.2f Gbit/s L1 = Mpps x 1594 / 1538 B" % (lanes, wan, clear))
        check(abs(float(m["ndr.wan_l2_gbps"]) - measured * 1574 * 8 / 1e3) <= 1e-3 * wan, "lanes %d: WAN L2 = Mpps x 1574 B" % lanes)
    check(abs(ndr[1] / ndr[2] - 0.5) <= 2 * WIDTH, "lanes 2 -> 1 halves the NDR (%.4f -> %.4f)" % (ndr[2], ndr[1]))
    # the other engine keys as axes: the closed form follows clock and per-packet overhead
    out = os.path.join(WORK, "eng2")
    run([BIN, "sweep", ROOT + "/scenarios/ipsec_engine_1518.yaml", "--axis", "engine.clock=1.5GHz,1.2GHz", "--axis",
         "engine.overhead_cycles=56", "--set", "phases.measure=20us", "--jobs", "1", "--out", out, "-q"])
    pts, axes = results(out + "/results.csv")
    for p, m in pts.items():
        period = round(1e15 / (float(axes[p]["engine.clock"].rstrip("GHz")) * 1e9)) * 1e-15
        ceil_pps = 2 / ((CYCLES_1518 - 5 + 56) * period)
        got = float(m["analytic.r0.asic0.slice0.engine.ceiling_mpps"])
        check(abs(got - ceil_pps / 1e6) <= 1e-6 * ceil_pps / 1e6 and m["max.binding"] == "r0.asic0.slice0.engine" and
              abs(float(m["max.rate_pct"]) - 100 * ceil_pps / line_pps) <= 1e-6 * 100,
              "%s, 56 cycles overhead: closed form %.4f Mpps, binds at %.4f%%" % (axes[p]["engine.clock"], got,
                                                                                 100 * ceil_pps / line_pps))


def tunnels():
    sc = ROOT + "/scenarios/sweep_ipsec_tunnels.yaml"
    out = os.path.join(WORK, "tun")
    run([BIN, "sweep", sc, "--axis", "ipsec.tunnels.vpn.count=1,2000", "--search", "mlr", "--trial", "1ms", "--jobs", "2",
         "--out", out, "-q"])
    pts, axes = results(out + "/results.csv")
    frac = 100 * (1 / (CYCLES_1518 * PERIOD_S)) / (ENC_PPS + DEC_PPS)
    res = rule_resolution_pct(2, ENC_PPS + DEC_PPS, 1e-3)
    for p, m in pts.items():
        got = float(m["ndr.rate_pct"])
        check(frac * (1 - WIDTH) <= got <= frac + res and m["max.binding"] == "r0.asic0.slice0.engine",
              "%s tunnels: NDR %.4f%% at the one-lane engine's %.4f%% (it binds)" % (axes[p]["ipsec.tunnels.vpn.count"], got, frac))
    # 64 B, 1024 entries, 2000 tunnels: one lane; lane hold L = 5 + 1 + ceil(48/16) + 2 = 11 cycles
    # (encrypt and decrypt alike), AES-256 fill F = 8 + 15 + 4 = 27 > L, so a miss costs F + 1
    # (requested the cycle after the packet ahead dispatched, gcm_timing.h item 6) and a hit L;
    # encrypt misses, decrypt hits: cycles per datagram = p (F + 1) + (1 - p) L
    out64 = os.path.join(WORK, "tun64")
    run([BIN, "sweep", sc, "--axis", "ipsec.tunnels.vpn.count=2000", "--set", "engine.sa_cache_entries=1024", "--set",
         "traffic.frame=64B", "--search", "mlr", "--trial", "1ms", "--out", out64, "-q"])
    pts, _ = results(out64 + "/results.csv")
    m = pts["p0000"]
    enc, dec = 100e9 / (8 * (64 + 20)), 100e9 / (8 * (118 + 20))  # dec: ESP of a 64 B frame, 118 B
    p_enc = enc / (enc + dec)
    cycles = p_enc * (27 + 1) + (1 - p_enc) * 11
    frac64 = 100 * (1 / (cycles * PERIOD_S)) / (enc + dec)
    res64 = rule_resolution_pct(2, enc + dec, 1e-3)
    name = "analytic.r0.asic0.slice0.engine."
    check(abs(float(m[name + "sa_cache_hit_rate"]) - (1 - p_enc)) <= 1e-9, "64 B, 2000 tunnels: hit rate = decrypt's "
          "share %.5f" % (1 - p_enc))
    check(abs(float(m[name + "sa_cache_ceiling_rate_pct"]) - frac64) <= 1e-6 * frac64 and
          abs(float(m["max.rate_pct"]) - frac64) <= 1e-6 * frac64 and m["max.binding"] == "r0.asic0.slice0.engine",
          "64 B, 2000 tunnels: max.rate_pct %s = the SA-cache closed form %.4f%%" % (m["max.rate_pct"], frac64))
    got = float(m["ndr.rate_pct"])
    check(frac64 * (1 - 0.01) <= got <= frac64 + res64, "64 B, 2000 tunnels: NDR %.4f%% within 1%% of the SA-cache "
          "closed form %.4f%%" % (got, frac64))
    # 2 ms: each of the 2000 destinations gets 1/2000 of enc's ~6 Mpps, ~6 packets per tunnel
    run([BIN, "run", sc, "--driver", "c", "-q", "--set", "ipsec.tunnels.vpn.count=50", "--set", "phases.measure=2ms",
         "--out", "r50"])
    import json
    with open(WORK + "/r50/report.json", encoding="utf-8") as f:
        tun = json.load(f)["stats"]["tunnel"]["r0"]
    check(sorted(tun) == sorted("vpn-%d" % i for i in range(50)), "--set ipsec.tunnels.vpn.count=50: tunnels vpn-0..vpn-49")
    check(all(t["tx_pkts"]["value"] >= 3 for t in tun.values()), "each of the 50 tunnels carries traffic")
    p = run([BIN, "run", sc, "-q", "--set", "ipsec.tunnels.vpx.count=3"], rc=2)
    check(p.stderr == "--set ipsec.tunnels.vpx.count: no tunnels entry 'vpx' (allowed: the name: of an ipsec: tunnels: "
          "entry; tunnels: vpn-0)\n", "a count for no entry is refused: %r" % p.stderr)


def durations():
    base = [BIN, "sweep", ROOT + "/tests/sweep/line_rate.yaml", "--axis", "traffic.frame=1518", "--search", "mlr",
            "--jobs", "1", "-q"]
    for extra, want in (([], [125, 1000 / 8 ** 0.5, 1000]), (["--initial-trial", "250us", "--mlr-phases", "1"], [250, 1000]),
                        (["--mlr-phases", "0"], [1000])):
        out = os.path.join(WORK, "d%d" % len(want))
        run(base + ["--trial", "1ms", "--out", out] + extra)
        m = results(out + "/results.csv")[0]["p0000"]
        got = [float(m["mlr.phase%d.trial_us" % k]) for k in range(len(want))]
        widths = [float(m["mlr.phase%d.width_pct" % k]) for k in range(len(want))]
        check(all(abs(g - w) <= 1e-6 * w for g, w in zip(got, want)) and "mlr.phase%d.trial_us" % len(want) not in m,
              "%s: trial durations %s us" % (" ".join(extra) or "default", ", ".join("%.3f" % g for g in got)))
        check(widths == [0.5 * 2 ** (len(want) - 1 - k) for k in range(len(want))], "widths %s %%" % widths)
        check(all(float(m["mlr.phase%d.trials" % k]) >= 1 for k in range(len(want))), "every phase ran trials")
        check(float(m["ndr.trial_us"]) == 1000 and float(m["pdr.trial_us"]) == 1000, "NDR and PDR from full-length trials")
    sc = ROOT + "/scenarios/pg_bound.yaml"
    for args, want in (
        (["--initial-trial", "10us"], "ipsecsim sweep: --initial-trial has no effect without --search mlr\n"),
        (["--search", "mlr", "--mlr-phases", "9"], "ipsecsim sweep: --mlr-phases: '9' (allowed: 0..8 intermediate phases)\n"),
        (["--search", "mlr", "--mlr-phases", "0", "--initial-trial", "10us"],
         "ipsecsim sweep: --initial-trial has no effect with --mlr-phases 0 (every trial at the full duration)\n"),
        (["--search", "mlr", "--trial", "100us", "--initial-trial", "100us"],
         "ipsecsim sweep: --initial-trial 100us: not shorter than the full trial of 100 us (allowed: a shorter duration, "
         "or --trial longer)\n")):
        p = run([BIN, "sweep", sc, "--sizes", "64"] + args, rc=2)
        check(p.stderr == want, "message for %s: %r" % (" ".join(args), p.stderr))


def progress():
    if not shutil.which("script"):
        sys.exit("FAIL: script(1) is missing (Debian package bsdutils, essential)")
    cmd = [BIN, "sweep", ROOT + "/scenarios/pg_bound.yaml", "--sizes", "64,1518,9000", "--set", "phases.measure=20us",
           "--jobs", "1"]
    quoted = " ".join("'%s'" % a for a in cmd)
    for extra, shown in (("", True), (" --quiet", False)):
        p = subprocess.run(["script", "-qec", quoted + extra + " >/dev/null", "/dev/null"], capture_output=True, text=True,
                           cwd=WORK)
        check(p.returncode == 0, "sweep under script(1)%s ran" % extra)
        text = p.stdout
        have = all(s in text for s in ("sweep: 1/3 points", "sweep: 3/3 points", "points/s", "ETA"))
        check(have == shown and (shown or "points/s" not in text),
              "a terminal%s: progress %s (%r)" % (extra, "shown" if shown else "silent", text[-80:]))
    p = run(cmd)
    check("points/s" not in p.stderr, "stderr a pipe: no progress")
    # one long run: simulated time done, both drivers (the line ends at the window's end)
    for drv in ("c", "systemc"):
        rcmd = [BIN, "run", ROOT + "/scenarios/pg_bound.yaml", "--driver", drv, "--set", "phases.measure=500us",
                "--out", os.path.join(WORK, "progress_" + drv)]
        quoted = " ".join("'%s'" % a for a in rcmd)
        for extra, shown in (("", True), (" --quiet", False)):
            p = subprocess.run(["script", "-qec", quoted + extra + " >/dev/null", "/dev/null"], capture_output=True,
                               text=True, cwd=WORK)
            text = p.stdout
            steps = re.findall(r"simulated ([0-9.]+) us of ([0-9.]+) us", text)
            have = len(steps) >= 2 and float(steps[0][0]) < float(steps[0][1])  # part-way lines
            done = bool(steps) and steps[-1][0] == steps[-1][1]  # and the end of the window
            check(p.returncode == 0 and have == shown and done == shown,
                  "run --driver %s on a terminal%s: simulated-time progress %s (%r)"
                  % (drv, extra, "shown" if shown else "silent", text[-120:]))
        p = run(rcmd)
        check("simulated" not in p.stderr, "run --driver %s, stderr a pipe: no progress" % drv)


if __name__ == "__main__":
    shutil.rmtree(WORK, ignore_errors=True)  # results of an earlier run must not count
    os.makedirs(WORK)
    {"engine": engine, "tunnels": tunnels, "durations": durations, "progress": progress}[CASE]()
