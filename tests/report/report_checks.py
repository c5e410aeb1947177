#!/usr/bin/python3
"""`ipsecsim report` and tools/plot.py (issue 15), one case per ctest:
  browser  the main job's report.html and a sweep's in headless Chromium (browser_check.py):
           loads, every image decoded, no console error, no request leaves the file, height fits;
           screenshots kept as artefacts in WORK; and a bad page must fail each check
  plots    each plot's CSV read back and compared with report.json / timeseries.csv /
           results.json; the engine limit line moves with engine.lanes (lanes x clock / cycles);
           a flow that delivers nothing is drawn and shown as such; byte-identical twice
  sweep    plots of a hand-made sweep results.json carrying per-engine, PG and SA-cache columns
  errors   exact error lines (exit 2), HTML escaping of scenario strings, no key material
usage: report_checks.py IPSECSIM SOURCE_ROOT WORK CASE"""
import csv
import json
import os
import shutil
import subprocess
import sys

BIN, ROOT, WORK, CASE = sys.argv[1:5]
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_data  # noqa: E402

FAILS = []
MAIN = os.path.join(ROOT, "scenarios", "ipsec_engine_1518.yaml")


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        FAILS.append(what)


def sh(*args, rc=0):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, cwd=ROOT)
    if rc is not None and p.returncode != rc:
        raise SystemExit(f"{' '.join(args)}: exit {p.returncode}, expected {rc}\n{p.stderr}")
    return p


def run_dir(name, *extra, scenario=MAIN):
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    sh("run", scenario, "--out", d, "--quiet", *extra, rc=None)
    sh("report", d)
    return d


def read_csv(d, name):
    with open(os.path.join(d, "plots", name + ".csv"), encoding="utf-8") as fp:
        return list(csv.DictReader(fp))


def metrics(d):
    with open(os.path.join(d, "report.json"), encoding="utf-8") as fp:
        return report_data.flatten(json.load(fp)["stats"])


def case_browser():
    import browser_check
    for name, d in (("run", run_dir("browser_run")), ("sweep", sweep_dir("browser_sweep"))):
        shot = os.path.join(WORK, f"report_{name}.png")
        problems = browser_check.check(os.path.join(d, "report.html"), shot)
        for p in problems:
            print("      " + p)
        check(not problems, f"{name} report.html passes in headless Chromium (screenshot {shot})")
    bad = os.path.join(WORK, "bad.html")
    with open(bad, "w") as fp:
        fp.write('<!DOCTYPE html><html><body style="height:4000px"><p>x</p><img src="http://example.invalid/a.png">'
                 '<img src="data:image/png;base64,AAAA"><script>console.error("boom")</script></body></html>')
    got = "\n".join(browser_check.check(bad, os.path.join(WORK, "bad.png")))
    for want in ("request leaves the file: http://example.invalid/a.png", "console error: boom",
                 "image 1 not decoded", "script element", "does not fit its content"):
        check(want in got, f"a bad page is caught: {want}")


def sweep_dir(name):
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    sh("sweep", MAIN, "--axis", "traffic.frame=512,1518", "--out", d, "--jobs", "1", "--quiet", "--trial", "50us")
    sh("report", d)
    return d


def case_plots():
    d = run_dir("plots")
    m = metrics(d)
    util = {r["series"]: float(r["y"]) for r in read_csv(d, "resource_utilisation")}
    want = {k[:-5]: v for k, v in m.items() if k.endswith(".util") and not k.startswith("analytic.")
            and (v > 0 or m.get(k[:-5] + ".pkts", 0) > 0)}
    check(util == want, f"resource_utilisation.csv = every used resource's util in report.json ({len(want)})")
    fl = {f["name"]: f["drops"] for f in report_data.flows(m)}
    check(fl and all(fl[n] == m[f"flow.{n}.drops.total"] for n in fl) and sum(fl.values()) > 0,
          f"flows table: each flow's drops = its drops.total in report.json ({fl})")
    rows = read_csv(d, "throughput_vs_frame")
    e = "r0.asic0.slice0.engine"
    frame = m[f"{e}.clear_l1_bytes"] / m[f"{e}.done_pkts"] - 20
    drawn = {r["series"]: (float(r["x"]) if r["x"] else None, float(r["y"]) if r["y"] else None) for r in rows}
    check(drawn.get("closed form WAN L1 (analytic.ENGINE.ceiling_l1_gbps)") == (frame, m[f"analytic.{e}.ceiling_l1_gbps"])
          and drawn.get("closed form clear L1 (analytic.ENGINE.ceiling_clear_l1_gbps)") ==
          (frame, m[f"analytic.{e}.ceiling_clear_l1_gbps"]),
          "throughput_vs_frame: engine WAN/clear limits = analytic.*.engine.ceiling_* at its frame size")
    pg = "analytic.r0.asic0.slice0.pg0.in.ceiling_l1_gbps"
    check(drawn.get(f"closed form PG limit ({pg})") == (None, m[pg]), "throughput_vs_frame: PG limit line = " + pg)
    check(drawn.get("measured WAN L1") == (frame, m[f"{e}.l1_gbps"]) and
          drawn.get("measured clear L1") == (frame, m[f"{e}.clear_l1_gbps"]),
          "throughput_vs_frame: measured WAN/clear points = engine.l1_gbps / clear_l1_gbps")
    check(abs(frame - 1518) < 1e-9, f"measured point drawn at 1518 B (got {frame})")
    line = {k: v[1] for k, v in drawn.items()}
    with open(os.path.join(d, "timeseries.csv")) as fp:
        ts = [(r["flow"], float(r["time_us"]), float(r["rx_l1_gbps"])) for r in csv.DictReader(fp)]
    drawn = [(r["series"], float(r["x"]), float(r["y"])) for r in read_csv(d, "throughput_over_time")]
    check(sorted(x for x in drawn if x[0] != "all flows") == sorted(ts), f"throughput_over_time.csv = timeseries.csv ({len(ts)} rows)")
    sums = {}
    for _, t, g in ts:
        sums[t] = sums.get(t, 0.0) + g
    total = {t: g for s, t, g in drawn if s == "all flows"}
    check(total.keys() == sums.keys() and all(abs(total[t] - sums[t]) < 1e-9 for t in sums),
          "throughput_over_time.csv: 'all flows' = sum of timeseries.csv per time")
    lat = read_csv(d, "latency_distribution")
    got = [float(r["x"]) for r in lat if r["series"] == "enc_a LIFO"]
    want = [m[f"flow.enc_a.latency_lifo.{q}"] / 1e6 for q in ("min", "p50", "p99", "p99.9", "max")]
    check(got == want, "latency_distribution.csv: enc_a quantiles = report.json latency_lifo (fs -> ns)")
    # The owning parameter moves the drawn limit: 1 lane = half of 2 lanes (lanes x clock / cycles).
    d1 = run_dir("plots_1lane", "--set", "engine.lanes=1")
    l1 = {r["series"]: float(r["y"]) for r in read_csv(d1, "throughput_vs_frame") if r["y"]}
    wan2 = line["closed form WAN L1 (analytic.ENGINE.ceiling_l1_gbps)"]
    wan1 = l1.get("closed form WAN L1 (analytic.ENGINE.ceiling_l1_gbps)", 0)
    cf = 1 * 1.2e9 / 102 * 1594 * 8 / 1e9  # 1 lane x 1.2 GHz / (5+97) cycles x 1594 B WAN L1 (scenario comment)
    check(abs(wan1 - cf) / cf < 1e-4 and abs(wan1 - wan2 / 2) / wan1 < 1e-9,
          f"engine.lanes=1 moves the WAN limit line to {cf:.3f} Gbit/s (drawn {wan1:.3f}, 2 lanes {wan2:.3f})")
    with open(os.path.join(d, "report.html"), "rb") as fp:
        first = fp.read()
    sh("report", d)
    with open(os.path.join(d, "report.html"), "rb") as fp:
        check(fp.read() == first, "report.html byte-identical when made twice")
    check(b"Bottleneck: engine of r0 asic0 slice0 at 100.0%: 300.0 Gbit/s WAN L1" in first,
          "bottleneck sentence names the engine, its utilisation and WAN L1 rate")
    # Five engines at five frame sizes: one measured point and one closed form per engine.
    df = run_dir("plots_sizes", scenario=os.path.join(ROOT, "scenarios", "ipsec_frame_sizes.yaml"))
    mf = metrics(df)
    engines = sorted(k[:-8] for k in mf if k.endswith(".engine.l1_gbps") and not k.startswith("analytic."))
    want = sorted((mf[f"{e}.clear_l1_bytes"] / mf[f"{e}.done_pkts"] - 20, mf[f"{e}.l1_gbps"],
                   mf[f"analytic.{e}.ceiling_l1_gbps"]) for e in engines)
    rows = read_csv(df, "throughput_vs_frame")
    got_m = [(float(r["x"]), float(r["y"])) for r in rows if r["series"] == "measured WAN L1"]
    got_c = [float(r["y"]) for r in rows if r["series"] == "closed form WAN L1 (analytic.ENGINE.ceiling_l1_gbps)"]
    check(len(engines) == 5 and got_m == [(x, y) for x, y, _ in want] and got_c == [c for _, _, c in want],
          f"ipsec_frame_sizes: one measured WAN point and closed form per engine ({len(engines)} engines)")
    # A flow that delivers nothing (no route for its destination).
    src = open(MAIN).read().replace("dst: 20.2.0.5}", "dst: 30.9.0.5}")
    dead = os.path.join(WORK, "dead.yaml")
    with open(dead, "w") as fp:
        fp.write(src.split("expect:")[0])
    dd = run_dir("plots_dead", scenario=dead)
    rows = read_csv(dd, "latency_distribution")
    check(any(r["series"] == "enc_b (delivered nothing)" for r in rows), "latency plot draws enc_b as delivered nothing")
    check("enc_b <span class=\"dead\">delivered nothing</span>" in open(os.path.join(dd, "report.html")).read(),
          "flows table marks enc_b as delivered nothing")


def case_sweep():
    # A real sweep over load: the latency plot holds the worst flow's quantiles per point.
    d = os.path.join(WORK, "load")
    shutil.rmtree(d, ignore_errors=True)
    sh("sweep", MAIN, "--axis", "traffic.rate=20%,50%,80%", "--out", d, "--jobs", "1", "--quiet", "--trial", "50us")
    sh("report", d)
    with open(os.path.join(d, "results.json")) as fp:
        real = json.load(fp)["points"]
    drawn = [(r["series"], float(r["x"]), float(r["y"])) for r in read_csv(d, "latency_vs_load")]
    want = []
    for q in ("p50", "p99", "p99.9"):
        for pt in real:
            mm = pt["metrics"]
            load = sum(v for k, v in mm.items() if k.startswith("flow.") and k.endswith(".offered_l1_gbps"))
            want.append((f"LIFO {q}", load, max(v for k, v in mm.items() if k.endswith(f".latency_lifo.{q}_ns")
                                                and k.startswith("flow."))))
    check(drawn == want, f"latency_vs_load.csv = worst flow per point of results.json ({len(want)} rows)")
    d = os.path.join(WORK, "handmade")
    os.makedirs(d, exist_ok=True)
    e = "r0.asic0.slice0.engine"
    pts = []
    for i, n in enumerate((1, 100, 1000, 2000)):
        pts.append({"id": f"p{i:04d}", "seed": i, "axes": {"ipsec.tunnels.vpn.count": str(n), "traffic.frame": "1518B"},
                    "metrics": {"ndr.mpps": 23.5 - i, "pdr.mpps": 23.6 - i, "max.mpps": 23.529,
                                f"analytic.{e}.sa_cache_ceiling_mpps": 23.529 - i * 0.9,
                                f"{e}.l1_gbps": 300.0 - i, f"{e}.clear_l1_gbps": 289.4 - i,
                                f"analytic.{e}.ceiling_l1_gbps": 300.047, f"analytic.{e}.ceiling_clear_l1_gbps": 289.506,
                                "analytic.r0.asic0.slice0.pg0.in.ceiling_l1_gbps": 400,
                                "flow.a.offered_l1_gbps": 80.0 * (i + 1), "flow.a.latency_lifo.p99_ns": 1000.0 + i}})
    with open(os.path.join(d, "results.json"), "w") as fp:
        json.dump({"run": {"scenario": "hand <made>", "seed": 1, "search": "mlr", "points": 4,
                           "axes": [{"key": "ipsec.tunnels.vpn.count", "values": ["1", "100", "1000", "2000"]},
                                    {"key": "traffic.frame", "values": ["1518B"]}]}, "points": pts}, fp)
    sh("report", d)
    rows = read_csv(d, "ndr_vs_tunnels")
    for key in ("ndr.mpps", "pdr.mpps", f"analytic.{e}.sa_cache_ceiling_mpps"):
        series = key if key.startswith(("ndr", "pdr")) else f"closed form {key}"
        got = [(float(r["x"]), float(r["y"])) for r in rows if r["series"] == series]
        want = [(float(p["axes"]["ipsec.tunnels.vpn.count"]), p["metrics"][key]) for p in pts]
        check(got == want, f"ndr_vs_tunnels.csv: {series} = results.json")
    frame = read_csv(d, "throughput_vs_frame")
    got = [float(r["y"]) for r in frame if r["series"] == "closed form PG0 in of r0 asic0 slice0 L1"]
    check(got == [400.0] * 4, "throughput_vs_frame.csv: PG limit per point from analytic.*.pg0.in")
    got = [float(r["y"]) for r in frame if r["series"] == "engine of r0 asic0 slice0 WAN L1"]
    check(got == [p["metrics"][f"{e}.l1_gbps"] for p in pts], "throughput_vs_frame.csv: per-engine WAN L1 = results.json")
    html = open(os.path.join(d, "report.html")).read()
    check("hand &lt;made&gt;" in html and "hand <made>" not in html, "sweep scenario name HTML-escaped")
    os.remove(os.path.join(d, "plots", "ndr_vs_tunnels.csv"))
    for p in pts:
        del p["metrics"][f"analytic.{e}.sa_cache_ceiling_mpps"]
    with open(os.path.join(d, "results.json"), "w") as fp:
        json.dump({"run": {"axes": [{"key": "ipsec.tunnels.vpn.count"}]}, "points": pts}, fp)
    sh("report", d)
    check("SA-cache closed form (analytic.*.engine.sa_cache_*) absent from these results" in
          open(os.path.join(d, "report.html")).read(), "absent SA-cache closed form said so on the page")
    check(os.path.exists(os.path.join(d, "plots", "ndr_vs_tunnels.csv")), "ndr_vs_tunnels still drawn without the closed form")


def case_errors():
    def refused(args, line):
        p = sh(*args, rc=2)
        check(p.stderr == line + "\n", f"report {' '.join(args[1:])}: {line!r} (got {p.stderr!r})")
    bad = os.path.join(WORK, "bad")
    shutil.rmtree(bad, ignore_errors=True)
    os.makedirs(bad)
    refused(["report"], "ipsecsim report: DIR missing\nusage: ipsecsim report DIR")
    refused(["report", "--bogus"], "ipsecsim report: unknown option '--bogus'\nusage: ipsecsim report DIR")
    refused(["report", os.path.join(WORK, "nope")], f"ipsecsim report: {WORK}/nope: not a directory")
    refused(["report", bad], f"ipsecsim report: {bad}: neither report.json (ipsecsim run --out) nor results.json "
                             "(ipsecsim sweep --out) found")
    with open(os.path.join(bad, "report.json"), "w") as fp:
        fp.write('{"stats":\n\n')
    refused(["report", bad], f"ipsecsim report: {bad}/report.json:3: not valid JSON (Expecting value)")
    with open(os.path.join(bad, "report.json"), "w") as fp:
        fp.write('{"seed": 1}\n')
    refused(["report", bad], f"ipsecsim report: {bad}/report.json:1: field 'stats' missing")
    # Scenario strings are escaped; an explicit key never reaches the page or the plots.
    key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff01234567"
    src = open(MAIN).read().split("expect:")[0].replace("key: auto, prefix: 20.1", f"key: \"{key}\", prefix: 20.1")
    odd = os.path.join(WORK, "a<b>&'x.yaml")
    with open(odd, "w") as fp:
        fp.write(src)
    d = os.path.join(WORK, "escaped")
    shutil.rmtree(d, ignore_errors=True)
    r = sh("run", odd, "--out", d, "--quiet", rc=None)
    check(r.returncode == 0, f"run with an explicit key ({r.stderr.strip()[:200]})")
    sh("report", d)
    page = open(os.path.join(d, "report.html")).read()
    check("a&lt;b&gt;&amp;&#x27;x.yaml" in page and "a<b>" not in page, "scenario path HTML-escaped")
    leaked = [f for f in ["report.html"] + ["plots/" + p for p in os.listdir(os.path.join(d, "plots"))]
              if key[:32] in open(os.path.join(d, f), encoding="latin-1").read()]
    check(not leaked, f"no key material in report.html or plots ({leaked})")


{"browser": case_browser, "plots": case_plots, "sweep": case_sweep, "errors": case_errors}[CASE]()
print(f"{CASE}: {len(FAILS)} failed")
sys.exit(1 if FAILS else 0)
