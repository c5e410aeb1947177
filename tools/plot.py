#!/usr/bin/python3
"""Plot an `ipsecsim run --out DIR` result: delivered Gbit/s per flow over the measurement
window (timeseries.csv) and, from report.json, each flow's latency quantiles (LIFO and FIFO).
usage: /usr/bin/python3 tools/plot.py DIR   -> DIR/timeseries.png, DIR/latency.png"""
import csv
import json
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(d):
    series = defaultdict(lambda: ([], []))
    with open(f"{d}/timeseries.csv") as fp:
        for row in csv.DictReader(fp):
            t, g = series[row["flow"]]
            t.append(float(row["time_us"]))
            g.append(float(row["rx_l1_gbps"]))
    fig, ax = plt.subplots(figsize=(8, 4))
    for name, (t, g) in sorted(series.items()):
        ax.plot(t, g, label=name)
    ax.set_xlabel("simulated time (us)")
    ax.set_ylabel("delivered Gbit/s (L1: frame + 20 B)")
    ax.legend(fontsize="small", ncol=2)
    fig.tight_layout()
    fig.savefig(f"{d}/timeseries.png", dpi=120)

    stats = json.load(open(f"{d}/report.json"))["stats"]
    flows = stats.get("flow", {})
    names = sorted(flows)
    fig, ax = plt.subplots(figsize=(8, 4))
    for k, kind in enumerate(("latency_lifo", "latency_fifo")):
        for j, q in enumerate(("p50", "p99", "max")):
            vals = [flows[n][kind].get(q, 0) / 1e6 for n in names]  # fs -> ns
            xs = [i + (k * 3 + j) * 0.12 for i in range(len(names))]
            ax.bar(xs, vals, width=0.12, label=f"{kind[8:].upper()} {q}")
    ax.set_xticks([i + 0.3 for i in range(len(names))], names)
    ax.set_ylabel("latency (ns)")
    ax.legend(fontsize="small", ncol=2)
    fig.tight_layout()
    fig.savefig(f"{d}/latency.png", dpi=120)
    print(f"wrote {d}/timeseries.png and {d}/latency.png")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
