"""The run plots drawn from the per-bucket and per-path result files: throughput and queue
occupancy over time (timeseries.csv), the latency histogram (latency_hist.csv) and the
utilisation of every resource on each tunnel's path (report.json paths); see report_plots.py."""
from report_data import pretty
from report_figure import Plot


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
                 ax=q, color=color, linewidth=1, legend=False)  # the colour of its peak line
    q.set_ylabel("queue (packets; solid peak, dotted mean)")
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
