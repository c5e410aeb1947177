"""The plots of a run or sweep directory (tools/report_data.py reads it). Each plot writes
OUT/NAME.png and OUT/NAME.csv: the CSV holds exactly the series the PNG draws (long form:
series,x,y), so tests compare it with the result files. Limits come from the analytic.*
closed forms in the results, never from constants here. Returns [{name, title, png, csv, note}]."""
import csv
import os
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from report_data import number, pretty, ranked  # noqa: E402

QUANTILES = (("min", 0.0), ("p50", 0.5), ("p99", 0.99), ("p99.9", 0.999), ("max", 1.0))
ENGINE_RE = re.compile(r"^([^.]+\.asic\d+\.slice\d+\.engine)\.l1_gbps$")


class Plot:
    def __init__(self, out, name, title, figsize=(8, 4.2), nrows=1):
        self.out, self.name, self.title = out, name, title
        self.rows, self.note = [], ""
        self.fig, axes = plt.subplots(nrows, 1, figsize=figsize, sharex=True, squeeze=False)
        self.axes = [a[0] for a in axes]
        self.ax = self.axes[0]

    def series(self, label, xs, ys, style="o-", ax=None, **kw):
        self.rows += [(label, x, y) for x, y in zip(xs, ys)]
        nan = float("nan")
        (ax or self.ax).plot([nan if x is None else x for x in xs], [nan if y is None else y for y in ys], style,
                             label=label, **kw)

    def hline(self, label, y, **kw):
        self.rows.append((label, "", y))
        self.ax.axhline(y, linestyle="--", linewidth=1, label=label, **kw)

    def finish(self, xlabel, ylabel):
        ax = self.ax
        if len(self.axes) > 1:
            self.fig.suptitle(self.title, fontsize="medium")
        else:
            ax.set_title(self.title, fontsize="medium")
        self.axes[-1].set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        for a in self.axes:
            a.grid(True, alpha=0.3)
            if a.get_legend_handles_labels()[0]:
                a.legend(fontsize="xx-small" if len(a.get_legend_handles_labels()[0]) > 8 else "x-small", loc="best")
        if self.note:
            self.fig.text(0.01, 0.01, self.note, fontsize="x-small", color="dimgray")
        self.fig.tight_layout(rect=(0, 0.04 if self.note else 0, 1, 1))
        png, path = os.path.join(self.out, self.name + ".png"), os.path.join(self.out, self.name + ".csv")
        # Written beside and renamed over: a symlink there is replaced, never written through;
        # interrupted (SIGINT, SIGTERM: tools/report_html.py), no temporary is left behind.
        try:
            self.fig.savefig(png + ".tmp", dpi=100, format="png", metadata={"Software": None})
            plt.close(self.fig)
            with open(path + ".tmp", "w", newline="", encoding="utf-8") as fp:
                w = csv.writer(fp, lineterminator="\n")
                w.writerow(("series", "x", "y"))
                w.writerows(("" if v is None else v for v in r) for r in self.rows)
            os.replace(png + ".tmp", png)
            os.replace(path + ".tmp", path)
        except BaseException:
            for t in (png + ".tmp", path + ".tmp"):
                if os.path.exists(t):
                    os.remove(t)
            raise
        return {"name": self.name, "title": self.title, "png": png, "csv": path, "note": self.note}


def _pg_limit(p, m, engines):
    """The PG limit beside the engines: analytic.*.pgN.in.ceiling_l1_gbps of the first engine's slice
    (every PG has the same closed form in these presets; the CSV keeps the metric it came from)."""
    for e in engines[:1]:
        base = e[: -len(".engine")]
        for k in sorted(m):
            if re.fullmatch(re.escape(f"analytic.{base}.") + r"pg\d+\.in\.ceiling_l1_gbps", k):
                p.hline(f"closed form PG limit ({k})", m[k], color="tab:gray")
                return


def run_plots(run, out):
    m, plots = run["metrics"], []
    engines = sorted({mm.group(1) for k in m for mm in [ENGINE_RE.match(k)] if mm})
    # Throughput vs frame size: one point per engine at its mean clear frame (bytes / packets),
    # its closed-form ceilings (analytic.ENGINE.ceiling_*) at the same frame size.
    p = Plot(out, "throughput_vs_frame", "IPsec engine throughput vs frame size (one point per engine of this run)")
    pts = []
    for e in engines:
        done = m.get(e + ".done_pkts") or 0
        if done:
            pts.append((m.get(e + ".clear_l1_bytes", 0) / done - 20, e))  # clear frame incl. FCS
    pts.sort()
    xs = [x for x, _ in pts]
    for key, side, style, color in (("l1_gbps", "WAN", "o", "tab:red"), ("clear_l1_gbps", "clear", "s", "tab:blue")):
        p.series(f"measured {side} L1", xs, [m.get(f"{e}.{key}") for _, e in pts], style, color=color)
        p.series(f"closed form {side} L1 (analytic.ENGINE.ceiling_{'' if side == 'WAN' else 'clear_'}l1_gbps)", xs,
                 [m.get(f"analytic.{e}.ceiling_{'' if side == 'WAN' else 'clear_'}l1_gbps") for _, e in pts],
                 "_--", color=color, markersize=18, linewidth=0.8)
    for x, e in pts:
        p.rows.append((f"engine at x: {e}", x, ""))
        p.ax.annotate(pretty(e).replace("engine of ", ""), (x, m.get(f"{e}.l1_gbps") or 0), fontsize="xx-small",
                      textcoords="offset points", xytext=(4, 6))
    _pg_limit(p, m, [e for _, e in pts])
    if xs and xs[0] > 0 and xs[-1] / xs[0] > 10:
        p.ax.set_xscale("log")
    plots.append(p.finish("clear frame size (B, incl. FCS; mean over the run)", "Gbit/s L1 (frame + 20 B)"))
    plots.append(_utilisation(run, out))
    plots.append(_tunnel_paths(run, out))
    plots.append(_over_time(run, out))
    plots.append(_latency_distribution(run, out))
    plots.append(_latency_histogram(run, out))
    p = Plot(out, "latency_vs_load", "latency percentiles vs offered load (this run: one point per flow)")
    for q, _ in QUANTILES[1:4]:
        fl = [f for f in run["flows"] if f[f"lifo_{q}_ns"] is not None]
        p.series(f"LIFO {q}", [f["offered_l1_gbps"] for f in fl], [f[f"lifo_{q}_ns"] for f in fl], "o")
    _nothing_note(p, run["flows"])
    plots.append(p.finish("offered load (Gbit/s L1, per flow)", "latency (ns, LIFO: RFC 1242)"))
    return plots


def _nothing_note(p, flows):
    dead = [f["name"] for f in flows if f["delivered_nothing"]]
    if dead:
        p.note = "delivered nothing (no latency): " + ", ".join(dead)


def _utilisation(run, out):
    res = ranked(run["resources"], run["metrics"])[::-1]  # barh draws bottom-up: the binding one on top
    p = Plot(out, "resource_utilisation", "utilisation of every resource on the flows' paths",
             figsize=(8, max(2.5, 0.32 * len(res) + 1.2)))
    top = res[-1]["name"] if res else None
    for i, r in enumerate(res):
        p.rows.append((r["name"], i, r["util"]))
        p.ax.barh(i, 100 * r["util"], color="tab:red" if r["name"] == top else "tab:blue")
        rate = f"  {r['l1_gbps']:.1f} Gbit/s L1" if isinstance(r["l1_gbps"], (int, float)) and r["l1_gbps"] else \
            f"  {r['mpps']:.1f} Mpps" if isinstance(r["mpps"], (int, float)) else ""
        off = run["metrics"].get(f"analytic.{r['name']}.offered_mpps")
        if isinstance(off, (int, float)) and r["ceiling_mpps"] and off > r["ceiling_mpps"] * 1.001:
            rate += f"  (offered {100 * off / r['ceiling_mpps']:.0f}% of its ceiling)"
        p.ax.text(100 * r["util"], i, f" {100 * r['util']:.1f}%{rate}", va="center", fontsize="x-small")
    p.ax.set_yticks(range(len(res)), [pretty(r["name"]) for r in res], fontsize="x-small")
    p.ax.set_xlim(0, 175)  # room for the labels right of a full bar
    p.ax.set_xticks(range(0, 101, 20))
    p.ax.axvline(100, color="black", linewidth=0.8)
    if not res:
        p.note = "no resource carried traffic"
    return p.finish("utilisation (% of the resource's capacity; red: the one that binds)", "")


def _tunnel_paths(run, out):
    """One panel per tunnel (tunnels with the same resources share one): the utilisation of
    every resource on its traffic's path, in path order, the busiest in red."""
    groups = run["tunnel_paths"]
    rows = max([len(g[2]) for g in groups] + [1])
    p = Plot(out, "tunnel_path_utilisation", "utilisation of every resource on each tunnel's path (red: the busiest)",
             figsize=(8, max(2.5, len(groups) * (0.28 * rows + 0.9) + 0.6)), nrows=max(1, len(groups)))
    for ax, (label, _, res) in zip(p.axes, groups):
        top = max((u for _, u in res if isinstance(u, (int, float))), default=None)
        ys = list(range(len(res)))[::-1]  # path order top-down
        for y, (name, u) in zip(ys, res):
            p.rows.append((f"{label} | {name}", y, u))
            v = 100 * u if isinstance(u, (int, float)) else 0
            ax.barh(y, v, color="tab:red" if u is not None and u == top else "tab:blue")
            ax.text(v, y, f" {v:.1f}%" if isinstance(u, (int, float)) else " (no utilisation figure)",
                    va="center", fontsize="xx-small")
        ax.set_yticks(ys, [pretty(n) for n, _ in res], fontsize="xx-small")
        ax.set_title(f"tunnel {label}", fontsize="small", loc="left")
        ax.set_xlim(0, 115)
        ax.axvline(100, color="black", linewidth=0.8)
    if not groups:
        p.note = "no tunnel in these results (report.json paths.tunnels empty or absent)"
    return p.finish("utilisation (% of the resource's capacity)", "")


def _over_time(run, out):
    p = Plot(out, "throughput_over_time", "throughput and queue occupancy over simulated time",
             figsize=(8, 6.4), nrows=2)
    by = {}
    for row in run["timeseries"]:
        by.setdefault(row["flow"], ([], []))
        by[row["flow"]][0].append(row["time_us"])
        by[row["flow"]][1].append(row["rx_l1_gbps"])
    for name in sorted(by):
        p.series(name, by[name][0], by[name][1], "-")
    total = {}
    for row in run["timeseries"]:
        total[row["time_us"]] = total.get(row["time_us"], 0.0) + row["rx_l1_gbps"]
    if len(by) > 1:
        p.series("all flows", sorted(total), [total[t] for t in sorted(total)], "k-", linewidth=1.5)
    notes = []
    # Every queue timeseries.csv carries (those that held packets), peak solid, mean dotted.
    q = p.axes[1]
    qs = {}
    for row in run["queue_series"]:
        qs.setdefault(row["queue"], []).append(row)
    for i, name in enumerate(sorted(qs)):
        rows, color = qs[name], f"C{i % 10}"
        p.series(f"{pretty(name)} peak pkts", [r["time_us"] for r in rows], [r["max_pkts"] for r in rows], "-",
                 ax=q, color=color, linewidth=1)
        p.series(f"{pretty(name)} mean pkts", [r["time_us"] for r in rows], [r["mean_pkts"] for r in rows], ":",
                 ax=q, color=color, linewidth=1)
    q.set_ylabel("queue (packets)")
    if not qs:
        notes.append("no queue occupancy in timeseries.csv (a run before the queue series, or no traffic)")
    dead = [f["name"] for f in run["flows"] if f["delivered_nothing"]]
    if dead:
        notes.insert(0, "delivered nothing: " + ", ".join(dead))
    p.note = "; ".join(notes + ["queues: peak = most packets held just after an arrival in the bucket (0: none "
                                "arrived), mean = time average over the bucket"])
    return p.finish("simulated time (us, start of each bucket)", "delivered Gbit/s L1")


def _latency_histogram(run, out):
    """Each flow's LIFO latency histogram from latency_hist.csv: one bar per non-empty bucket of
    model/stats_hist.c (log-linear, 64 per power of two), x = the bucket's lower bound."""
    p = Plot(out, "latency_histogram", "latency distribution per flow (histogram of the window's packets)")
    hist = run["latency_hist"]
    for i, f in enumerate(run["flows"]):
        rows = hist.get((f["name"], "lifo"), [])
        if not rows:
            p.rows.append((f"{f['name']} LIFO (delivered nothing)", "", ""))
            p.ax.plot([], [], " ", label=f"{f['name']}: delivered nothing")
            continue
        p.rows += [(f"{f['name']} LIFO", lo / 1e6, n) for lo, _, n in rows]
        p.ax.bar([lo / 1e6 for lo, _, _ in rows], [n for _, _, n in rows], width=[(hi + 1 - lo) / 1e6 for lo, hi, _ in rows],
                 align="edge", color=f"C{i % 10}", alpha=0.7, label=f"{f['name']} LIFO ({sum(n for *_, n in rows)} pkts)")
    xs = [lo for rows in hist.values() for lo, _, _ in rows]
    if xs and min(xs) > 0 and max(xs) / min(xs) > 4:
        p.ax.set_xscale("log")
    if not hist:
        p.note = "latency_hist.csv absent from this run directory"
    return p.finish("latency (ns, LIFO: last bit in to first bit out, RFC 1242; bucket lower bound)",
                    "packets per bucket (bucket width 1/64 of its bound)")


def _latency_distribution(run, out):
    p = Plot(out, "latency_distribution", "latency distribution per flow (min, p50, p99, p99.9, max of the window; lines join them)")
    for f in run["flows"]:
        if f["delivered_nothing"]:
            p.rows.append((f"{f['name']} (delivered nothing)", "", ""))
            p.ax.plot([], [], " ", label=f"{f['name']}: delivered nothing")
            continue
        pts = [(f[f"lifo_{q}_ns"], frac) for q, frac in QUANTILES if f[f"lifo_{q}_ns"] is not None]
        p.series(f"{f['name']} LIFO", [x for x, _ in pts], [y for _, y in pts], "o-")
    return p.finish("latency (ns, LIFO: last bit in to first bit out, RFC 1242)", "fraction of packets <= latency")


def _xs(points, axis):
    """Numeric x for each point; categorical positions when any value is not a number (IMIX)."""
    vals = [pt["axes"].get(axis, "") for pt in points]
    nums = [number(v) for v in vals]
    if all(n is not None for n in nums):
        return nums, None
    return list(range(len(vals))), vals


def sweep_plots(sw, out):
    pts, axes, plots = sw["points"], sw["axes"], []
    frame_axis = next((a for a in axes if a.endswith("frame")), None)
    count_axis = next((a for a in axes if "count" in a or "tunnel" in a), None)
    if frame_axis:
        plots.append(_sweep_frame(pts, frame_axis, out))
    if count_axis:
        plots.append(_sweep_tunnels(pts, count_axis, out))
    plots.append(_sweep_latency(pts, out))
    return plots


def _rate_key(m):
    return "ndr.l1_gbps" if "ndr.l1_gbps" in m else "rx_l1_gbps"


def _sweep_frame(pts, axis, out):
    p = Plot(out, "throughput_vs_frame", "throughput vs frame size, per engine")
    xs, labels = _xs(pts, axis)
    m0 = pts[0]["metrics"] if pts else {}
    engines = sorted({mm.group(1) for k in m0 for mm in [ENGINE_RE.match(k)] if mm})
    for e in engines:
        for key, side in (("l1_gbps", "WAN"), ("clear_l1_gbps", "clear")):
            p.series(f"{pretty(e)} {side} L1", xs, [pt["metrics"].get(f"{e}.{key}") for pt in pts])
            p.series(f"closed form {pretty(e)} {side} L1", xs,
                     [pt["metrics"].get(f"analytic.{e}.ceiling_{'' if side == 'WAN' else 'clear_'}l1_gbps") for pt in pts], "--")
    pg = sorted({k for k in m0 if re.fullmatch(r"analytic\..+\.pg\d+\.(in|out)\.ceiling_l1_gbps", k)})[:1]
    for k in pg:
        p.series(f"closed form {pretty(k[9:-16])} L1", xs, [pt["metrics"].get(k) for pt in pts], ":")
    rk = _rate_key(m0)
    if not engines:
        p.series(f"all flows, {rk.split('.')[0] if '.' in rk else 'delivered'} (L1)", xs, [pt["metrics"].get(rk) for pt in pts])
        p.series("closed form: lowest ceiling (max.l1_gbps)", xs, [pt["metrics"].get("max.l1_gbps") for pt in pts], "--")
        p.note = "per-engine columns (*.engine.l1_gbps, analytic.*.engine.ceiling_*) absent from these results: totals drawn"
    if labels:
        p.ax.set_xticks(xs, labels)
    return p.finish(f"{axis} (B, clear frame incl. FCS)", "Gbit/s L1 (frame + 20 B)")


def _sweep_tunnels(pts, axis, out):
    p = Plot(out, "ndr_vs_tunnels", "NDR / PDR vs tunnel count")
    xs, labels = _xs(pts, axis)
    m0 = pts[0]["metrics"] if pts else {}
    for k, style in (("ndr.mpps", "o-"), ("pdr.mpps", "s-"), ("rx_mpps", "o-"), ("max.mpps", "--")):
        if k in m0:
            name = "closed form: lowest ceiling (max.mpps)" if k == "max.mpps" else k
            p.series(name, xs, [pt["metrics"].get(k) for pt in pts], style)
    cache = sorted(k for k in m0 if re.fullmatch(r"analytic\..+\.engine\.sa_cache_\w*mpps", k))
    for k in cache:
        p.series(f"closed form {k}", xs, [pt["metrics"].get(k) for pt in pts], "--")
    if not cache:
        p.note = "SA-cache closed form (analytic.*.engine.sa_cache_*) absent from these results"
    if labels:
        p.ax.set_xticks(xs, labels)
    return p.finish(f"{axis} (tunnels)", "Mpps (packets per second, clear side)")


def _sweep_latency(pts, out):
    p = Plot(out, "latency_vs_load", "latency percentiles vs offered load (worst flow per point)")
    loads = [sum(v for k, v in pt["metrics"].items() if re.fullmatch(r"flow\..+\.offered_l1_gbps", k)) for pt in pts]
    for q in ("p50", "p99", "p99.9"):
        ys = []
        for pt in pts:
            vals = [v for k, v in pt["metrics"].items() if re.fullmatch(rf"flow\..+\.latency_lifo\.{re.escape(q)}_ns", k)
                    and isinstance(v, (int, float))]
            ys.append(max(vals) if vals else None)
        keep = [(x, y) for x, y in zip(loads, ys) if y is not None]
        p.series(f"LIFO {q}", [x for x, _ in keep], [y for _, y in keep], "o")
    if not any(loads):
        p.note = "no flow.*.offered_l1_gbps in these results"
    return p.finish("offered load (Gbit/s L1, all flows)", "latency (ns, LIFO: RFC 1242)")
