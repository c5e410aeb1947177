#!/usr/bin/python3
"""`ipsecsim report` and tools/plot.py (issue 15), one case per ctest:
  browser  the main job's report.html and a sweep's in headless Chromium (browser_check.py):
           loads, every image decoded, no console error, no request leaves the file, height fits;
           screenshots kept as artefacts in WORK; and a bad page must fail each check
  plots    each plot's CSV read back and compared with report.json / timeseries.csv /
           results.json; the engine limit line moves with engine.lanes (lanes x clock / cycles);
           a flow that delivers nothing is drawn and shown as such; byte-identical twice
  series   queue occupancy per time bucket (timeseries.csv) against closed forms: an overloaded
           egress MAC fills to its configured depth (moved by portgroup.port_tx_queue), an
           underloaded path holds one packet; bucket aggregates = the window figures; the
           latency histogram of a constant-latency flow is one bucket holding the zero-load
           closed form; the plots' CSVs = the result files; both drivers byte-identical
  sweep    plots of a hand-made sweep results.json carrying per-engine, PG and SA-cache columns
  errors   exact error lines (exit 2; IPSECSIM_MAX_INPUT on the result files), HTML escaping of
           scenario strings, no key material
usage: report_checks.py IPSECSIM SOURCE_ROOT WORK CASE"""
import csv
import html
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


def sh(*args, rc=0, env=None):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, cwd=ROOT,
                       env=None if env is None else {**os.environ, **env})
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


def result_csv(d, name):
    with open(os.path.join(d, name), encoding="utf-8") as fp:
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
        ts = [(r["flow"], float(r["time_us"]), float(r["rx_l1_gbps"])) for r in csv.DictReader(fp) if r["flow"]]
    drawn = [(r["series"], float(r["x"]), float(r["y"])) for r in read_csv(d, "throughput_over_time")
             if not r["series"].endswith(" pkts")]  # the queue panel: case_series
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
    # Per tunnel: every resource on the paths of its flows (report.json paths) at its util.
    with open(os.path.join(d, "report.json"), encoding="utf-8") as fp:
        paths = json.load(fp)["paths"]
    want = []
    for t in sorted(paths["tunnels"]):
        res = []
        for f in paths["tunnels"][t]:
            res += [r for r in paths["flows"][f] if r not in res]
        want += [(f"{t} | {r}", m[r + ".util"]) for r in res]
    got = [(r["series"], float(r["y"])) for r in read_csv(d, "tunnel_path_utilisation")]
    check(sorted(paths["tunnels"]) == ["r0.vpn_a", "r0.vpn_b"] and sorted(got) == sorted(want),
          f"tunnel_path_utilisation.csv = each tunnel's path resources' util in report.json ({len(want)} bars)")
    e_util = [u for s, u in got if s == "r0.vpn_a | r0.asic0.slice0.engine"]
    check(e_util == [m["r0.asic0.slice0.engine.util"]] and
          all(u <= e_util[0] for s, u in got if s.startswith("r0.vpn_a |")),
          "vpn_a's path holds its engine, the busiest resource on it")
    want_path = ["r0.asic0.slice0.pg1.in", "r0.asic0.slice0.in", "r0.asic0.slice0.lookup", "r0.asic0.slice0.out",
                 "r0.asic0.slice0.pg0.out", "r0.asic0.slice0.engine", "r0.asic0.slice0.pg0.in", "r0.asic0.slice0.pg1.out",
                 "r0.port.et-0/0/6.tx"]
    check(paths["flows"]["enc_a"] == want_path, f"enc_a's path in report.json ({paths['flows']['enc_a']})")
    # The engine's input FIFO (overloaded, 256 KiB = engine.in_queue) is full from mid-window on:
    # its peak within one ESP frame (1574 B) of the depth, never above it.
    eq = [r for r in result_csv(d, "timeseries.csv") if r["queue"] == "r0.asic0.slice0.engine"]
    peaks = [int(r["queue_max_bytes"]) for r in eq]
    check(len(eq) == 100 and all(262144 - 1574 < b <= 262144 for b in peaks[50:]) and max(peaks) <= 262144 and
          max(int(r["queue_max_pkts"]) for r in eq) == m["r0.asic0.slice0.engine.queue_max_pkts"],
          f"engine input FIFO series: full to engine.in_queue (256 KiB) from mid-window (peaks {min(peaks[50:] or [0])}.."
          f"{max(peaks or [0])} B), its peak = engine.queue_max_pkts")
    # issue 16's show views: a section per router, as preformatted text
    page = open(os.path.join(d, "report.html"), encoding="utf-8").read()
    shows = sorted(n for n in os.listdir(d) if n.startswith("show.") and n.endswith(".txt"))
    show_text = open(os.path.join(d, "show.r0.txt"), encoding="utf-8").read() if shows == ["show.r0.txt"] else ""
    check(show_text and f"<h2>show views of r0 (show.r0.txt)</h2><pre>{html.escape(show_text)}</pre>" in page,
          f"report.html holds show.r0.txt as a section ({shows})")
    # any other per-flow figure (bytes13's payload_mismatch) becomes a flows-table column
    dx = os.path.join(WORK, "plots_extra")
    shutil.rmtree(dx, ignore_errors=True)
    os.makedirs(dx)
    rep = json.load(open(os.path.join(d, "report.json"), encoding="utf-8"))
    rep["stats"]["flow"]["enc_a"]["payload_mismatch"] = {"value": 7, "unit": "packets", "desc": "x"}
    json.dump(rep, open(os.path.join(dx, "report.json"), "w"))
    sh("report", dx)
    page = open(os.path.join(dx, "report.html"), encoding="utf-8").read()
    check("<th>payload_mismatch</th>" in page and "<td>7</td>" in page, "flows table shows flow.enc_a.payload_mismatch")
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


UNDERLOADED = """version: 1
platform: {preset: MX304}
interfaces:
  - {name: et-0/0/2, address: 10.0.2.1/24}
traffic:
  - {name: a, port: et-0/0/0, rate: 50%, frame: 1518B, dst: 10.0.2.2}
phases: {warmup: 10us, measure: 200us}
"""


def queue_rows(d):
    by = {}
    for r in result_csv(d, "timeseries.csv"):
        if r["queue"]:
            by.setdefault(r["queue"], []).append(r)
    return by


def case_series():
    port = os.path.join(ROOT, "scenarios", "port_bound.yaml")
    # Overloaded (2 x 90% into one 100GE MAC): its queue holds floor(depth / 1538 - 20 B) frames.
    for depth, text in ((1 << 20, "1MiB"), (256 << 10, "256KiB")):
        d = run_dir(f"over_{text}", "--set", f"portgroup.port_tx_queue={text}", scenario=port)
        q = queue_rows(d).get("r0.port.et-0/0/2.tx", [])
        full = depth // 1518
        peaks = [int(r["queue_max_pkts"]) for r in q]
        check(len(q) == 100 and peaks == [full] * 100 and all(int(r["queue_max_bytes"]) == full * 1518 for r in q),
              f"port_tx_queue={text}: the overloaded MAC's peak is {full} frames ({full * 1518} B) in every bucket "
              f"(got {sorted(set(peaks))})")
        means = [float(r["queue_mean_pkts"]) for r in q]
        check(means and all(full - 1 <= v <= full for v in means),
              f"port_tx_queue={text}: its time average per bucket within one frame of full ({min(means or [0]):.3f})")
        m = metrics(d)
        agg = {name: (max(int(r["queue_max_pkts"]) for r in rows), sum(float(r["queue_mean_pkts"]) for r in rows) / 100)
               for name, rows in queue_rows(d).items()}
        ok = [n for n, (mx, mean) in agg.items() if mx == m[n + ".queue_max_pkts"] and
              abs(mean - m[n + ".queue_mean_pkts"]) <= 1e-6 * max(1.0, mean)]
        check(len(agg) >= 5 and sorted(ok) == sorted(agg),
              f"every queue's bucket peaks / averages give its window queue_max_pkts / queue_mean_pkts ({len(agg)} queues)")
    # Both drivers, byte for byte.
    dc = run_dir("over_c", "--set", "portgroup.port_tx_queue=256KiB", "--driver", "c", scenario=port)
    same = [n for n in ("timeseries.csv", "latency_hist.csv", "report.json")
            if open(os.path.join(dc, n), "rb").read() == open(os.path.join(d, n), "rb").read()]
    check(len(same) == 3, f"--driver c and systemc: byte-identical {same}")
    for drv in ("c", "systemc"):  # the main job: the engine's input FIFO series too
        shutil.rmtree(os.path.join(WORK, f"main_{drv}"), ignore_errors=True)
        sh("run", MAIN, "--driver", drv, "--out", os.path.join(WORK, f"main_{drv}"), "--quiet")
    same = [n for n in ("timeseries.csv", "latency_hist.csv", "report.json")
            if open(os.path.join(WORK, "main_c", n), "rb").read() == open(os.path.join(WORK, "main_systemc", n), "rb").read()]
    check(len(same) == 3 and "r0.asic0.slice0.engine" in queue_rows(os.path.join(WORK, "main_c")),
          f"main job, --driver c and systemc: byte-identical {same}, the engine FIFO among the queues")
    # Underloaded (one CBR stream at 50%): every queue on its path holds one packet at most, the
    # egress MAC's time average is its load (0.5) within one frame time per bucket.
    sc = os.path.join(WORK, "under.yaml")
    with open(sc, "w") as fp:
        fp.write(UNDERLOADED)
    d = run_dir("under", scenario=sc)
    qs = queue_rows(d)
    peaks = {n: max(int(r["queue_max_pkts"]) for r in rows) for n, rows in qs.items()}
    check(len(qs) >= 5 and set(peaks.values()) == {1}, f"underloaded: every queue's peak is 1 packet ({peaks})")
    frame_us, bucket_us = 1538 * 8 / 100e9 * 1e6, 200 / 100
    tx = [float(r["queue_mean_pkts"]) for r in qs.get("r0.port.et-0/0/2.tx", [])]
    check(len(tx) == 100 and all(abs(v - 0.5) <= frame_us / bucket_us for v in tx),
          f"underloaded: the egress MAC's mean per bucket = 0.5 within one frame ({min(tx or [0]):.4f}..{max(tx or [0]):.4f})")
    # Latency histogram: a constant-latency stream is one bucket holding the zero-load closed form.
    m = metrics(d)
    hist = result_csv(d, "latency_hist.csv")
    for kind in ("lifo", "fifo"):
        rows = [r for r in hist if r["flow"] == "a" and r["kind"] == kind]
        cf = m[f"analytic.flow.a.zero_load_{kind}_fs"]
        check(len(rows) == 1 and int(rows[0]["count"]) == m["flow.a.rx_pkts"] and
              int(rows[0]["lo_fs"]) <= cf <= int(rows[0]["hi_fs"]),
              f"latency_hist.csv: flow a {kind} is one bucket of {m['flow.a.rx_pkts']} packets holding the zero-load "
              f"{cf:.0f} fs ({rows})")
    # The plots draw the result files.
    for dd in (d, os.path.join(WORK, "over_1MiB")):
        hist = result_csv(dd, "latency_hist.csv")
        want = sorted((f"{r['flow']} LIFO", int(r["lo_fs"]) / 1e6, int(r["count"])) for r in hist if r["kind"] == "lifo")
        got = sorted((r["series"], float(r["x"]), int(r["y"])) for r in read_csv(dd, "latency_histogram") if r["y"])
        check(got == want and len(want) >= 1, f"latency_histogram.csv = latency_hist.csv LIFO rows ({len(want)})")
        want = sorted((f"{report_data.pretty(n)} {label} pkts", float(r["time_us"]), float(r[f"queue_{k}_pkts"]))
                      for n, rows in queue_rows(dd).items() for r in rows for k, label in (("max", "peak"), ("mean", "mean")))
        got = sorted((r["series"], float(r["x"]), float(r["y"])) for r in read_csv(dd, "throughput_over_time")
                     if r["series"].endswith(" pkts"))
        check(got == [(s, x, y) for s, x, y in want] and want,
              f"throughput_over_time.csv queue panel = timeseries.csv queue rows ({len(want)})")


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
    # IPSECSIM_MAX_INPUT applies to the result files as to every input (model/file_read.h).
    with open(os.path.join(bad, "report.json"), "w") as fp:
        fp.write('{"stats": {}, "pad": "' + "x" * 2000 + '"}\n')
    p = sh("report", bad, rc=2, env={"IPSECSIM_MAX_INPUT": "1KiB"})
    line = (f"ipsecsim report: {bad}/report.json: input size: larger than the limit of 1 KiB (allowed: up to 1024 "
            "bytes; raise it with IPSECSIM_MAX_INPUT=SIZE, e.g. IPSECSIM_MAX_INPUT=64MiB)\n")
    check(p.stderr == line, f"IPSECSIM_MAX_INPUT=1KiB refuses a 2 KB report.json in one line (got {p.stderr!r})")
    p = sh("report", bad, rc=2, env={"IPSECSIM_MAX_INPUT": "12q"})
    line = ("ipsecsim report: IPSECSIM_MAX_INPUT: '12q' is not a size (allowed: 1..1099511627776 bytes, optional "
            "suffix KiB, MiB, GiB, TiB)\n")
    check(p.stderr == line, f"a malformed IPSECSIM_MAX_INPUT in one line (got {p.stderr!r})")
    sh("report", bad, rc=0, env={"IPSECSIM_MAX_INPUT": "3KiB"})
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


{"browser": case_browser, "plots": case_plots, "series": case_series, "sweep": case_sweep, "errors": case_errors}[CASE]()
print(f"{CASE}: {len(FAILS)} failed")
sys.exit(1 if FAILS else 0)
