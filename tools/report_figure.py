"""One plot of `ipsecsim report`: a matplotlib figure (one or more panels sharing x) that
writes OUT/NAME.png and, beside it, OUT/NAME.csv holding exactly the series it draws (long
form: series,x,y), so tests compare the CSV with the result files."""
import csv
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


class Plot:
    def __init__(self, out, name, title, figsize=(8, 4.2), nrows=1):
        self.out, self.name, self.title = out, name, title
        self.rows, self.note = [], ""
        self.fig, axes = plt.subplots(nrows, 1, figsize=figsize, sharex=True, squeeze=False)
        self.axes = [a[0] for a in axes]
        self.ax = self.axes[0]

    def series(self, label, xs, ys, style="o-", ax=None, legend=True, **kw):
        self.rows += [(label, x, y) for x, y in zip(xs, ys)]
        nan = float("nan")
        (ax or self.ax).plot([nan if x is None else x for x in xs], [nan if y is None else y for y in ys], style,
                             label=label if legend else "_" + label, **kw)

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
