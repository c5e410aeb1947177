"""The plots of a run or sweep directory (tools/report_data.py reads it). Each plot writes
OUT/NAME.png and OUT/NAME.csv: the CSV holds exactly the series the PNG draws (long form:
series,x,y), so tests compare it with the result files. Limits come from the analytic.*
closed forms in the results, never from constants here. Returns [{name, title, png, csv, note}]."""
import re

from report_data import number, pretty, ranked
from report_figure import Plot
from report_plots_run import _latency_histogram, _over_time, _tunnel_paths

QUANTILES = (("min", 0.0), ("p50", 0.5), ("p99", 0.99), ("p99.9", 0.999), ("max", 1.0))
ENGINE_RE = re.compile(r"^([^.]+\.asic\d+\.slice\d+\.engine)\.l1_gbps$")


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
