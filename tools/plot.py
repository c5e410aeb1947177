#!/usr/bin/python3
"""Plot an `ipsecsim run --out DIR` or `ipsecsim sweep --out DIR` result into DIR/plots/:
NAME.png and, beside it, NAME.csv with exactly the data the plot draws (tools/report_plots.py).
usage: /usr/bin/python3 tools/plot.py DIR     (`ipsecsim report DIR` also writes report.html)"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_data  # noqa: E402
import report_plots  # noqa: E402


def make_plots(d, res):
    out = os.path.join(d, "plots")
    os.makedirs(out, exist_ok=True)
    return report_plots.run_plots(res, out) if res["kind"] == "run" else report_plots.sweep_plots(res, out)


def main(argv):
    if len(argv) != 2 or argv[1].startswith("-"):
        print("usage: plot.py DIR   (a run or sweep output directory)", file=sys.stderr)
        return 2
    try:
        plots = make_plots(argv[1], report_data.load(argv[1]))
    except report_data.InputError as e:
        print(f"plot: {e}", file=sys.stderr)
        return 2
    for p in plots:
        print(f"wrote {p['png']} and {p['csv']}" + (f" ({p['note']})" if p["note"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
