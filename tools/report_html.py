#!/usr/bin/python3
"""`ipsecsim report DIR`: DIR/report.html, one self-contained page (plots as PNG data URIs, no
scripts, no external fetches) from a run or sweep directory: scenario and conventions, the
bottleneck in words, tables of flows, resources, engines, tunnels and SAs, and the plots.
Every string from the results is HTML-escaped. Never reads config.keys.yaml.
usage: /usr/bin/python3 tools/report_html.py DIR"""
import base64
import html
import os
import re
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot  # noqa: E402
import report_data as rd  # noqa: E402

STYLE = """body{font-family:sans-serif;margin:1.5em;max-width:70em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:85%}
th,td{border:1px solid #ccc;padding:.2em .5em;text-align:right}th{background:#eee}
td:first-child,th:first-child{text-align:left}.bind{background:#fdd}.dead{color:#b00;font-weight:bold}
.summary{font-size:120%;background:#ffe;border:1px solid #cc9;padding:.6em}
img{max-width:100%;height:auto;display:block}pre{background:#f6f6f6;padding:.5em;overflow-x:auto;font-size:80%}
.note{color:#666;font-size:85%}.wide{overflow-x:auto;max-width:100%}"""


def esc(s):
    return html.escape(str(s), quote=True)


def fmt(v, digits=3):
    if v is None or v == "":
        return "&ndash;"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return esc(v)


def table(head, rows, classes=None):
    out = ['<div class="wide"><table><tr>' + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>"]
    for i, r in enumerate(rows):
        cls = f' class="{classes[i]}"' if classes and classes[i] else ""
        out.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>")
    return "\n".join(out) + "</table></div>"


def figure(p):
    with open(p["png"], "rb") as fp:
        data = base64.b64encode(fp.read()).decode("ascii")
    note = f'<p class="note">{esc(p["note"])}</p>' if p["note"] else ""
    return (f'<h3>{esc(p["title"])}</h3><img alt="{esc(p["name"])}" src="data:image/png;base64,{data}">'
            f'{note}<p class="note">data drawn: plots/{esc(os.path.basename(p["csv"]))}</p>')


def run_body(r):
    m = r["metrics"]
    conv = "".join(f"<li>{esc(k)}: {esc(v)}</li>" for k, v in sorted(r["conventions"].items()))
    parts = [f'<p class="summary">Bottleneck: {esc(rd.bottleneck_sentence(r["resources"], m))}</p>',
             f"<h2>Scenario</h2><p>{esc(r['scenario'])}, seed {esc(r['seed'])}, measurement window "
             f"{fmt(m.get('run.measure_ns'), 0)} ns; sent {fmt(m.get('run.sent'))}, received {fmt(m.get('run.received'))} "
             f"packets</p><ul>{conv}<li>Gbit/s L1 = frame + 20 B; L2 = frame incl. FCS; WAN = ESP side, clear = "
             f"plaintext side of an engine</li></ul>"]
    fl = r["flows"]
    extra = sorted({k for f in fl for k in f["extra"]})  # other per-flow figures, by their metric names
    parts.append("<h2>Flows</h2>" + table(
        ["flow", "offered Gbit/s L1", "delivered Gbit/s L1", "Gbit/s L2", "Mpps", "tx pkts", "rx pkts", "drops",
         "LIFO p50 ns", "LIFO p99 ns", "LIFO max ns", "FIFO p99 ns"] + extra,
        [[esc(f["name"]) + (' <span class="dead">delivered nothing</span>' if f["delivered_nothing"] else ""),
          fmt(f["offered_l1_gbps"]), fmt(f["rx_l1_gbps"]), fmt(f["rx_l2_gbps"]), fmt(f["rx_mpps"]), fmt(f["tx_pkts"]),
          fmt(f["rx_pkts"]), fmt(f["drops"]), fmt(f["lifo_p50_ns"], 1), fmt(f["lifo_p99_ns"], 1),
          fmt(f["lifo_max_ns"], 1), fmt(f["fifo_p99_ns"], 1)] + [fmt(f["extra"].get(k)) for k in extra] for f in fl]))
    res = rd.ranked(r["resources"], m)
    parts.append("<h2>Resources with traffic (most utilised first)</h2>" + table(
        ["resource", "util %", "Gbit/s L1", "Mpps", "closed-form ceiling Mpps", "ceiling Gbit/s L1",
         "queue mean pkts", "queue max pkts", "drops"],
        [[esc(rd.pretty(x["name"])) + f" <small>({esc(x['name'])})</small>", fmt(100 * x["util"], 1), fmt(x["l1_gbps"]),
          fmt(x["mpps"]), fmt(x["ceiling_mpps"]), fmt(x["ceiling_l1_gbps"], 1), fmt(x["queue_mean_pkts"], 2),
          fmt(x["queue_max_pkts"]), fmt(x["drops"])] for x in res],
        ["bind" if i == 0 else "" for i in range(len(res))]))
    idle = sorted(x["name"] for x in r["resources"] if x not in res)
    if idle:
        parts.append(f'<details><summary class="note">{len(idle)} more resources carried no traffic</summary>'
                     f'<p class="note">{esc(", ".join(idle))}</p></details>')
    parts.append(engine_table(m))
    parts.append(prefix_table("Tunnels", m, "tunnel.", 2))
    parts.append(prefix_table("SAs (per-SA counters)", m, "sa.", None))
    for router, text in r["show"]:  # issue 16: the Junos-style views `run --out` wrote
        parts.append(f"<h2>show views of {esc(router)} (show.{esc(router)}.txt)</h2><pre>{esc(text)}</pre>")
    return parts


def engine_table(m):
    """Each engine that saw packets: its figures beside its closed forms (analytic.ENGINE.*)."""
    engines = sorted(k[: -len(".pkts")] for k in m if re.fullmatch(r"[^.]+\.asic\d+\.slice\d+\.engine\.pkts", k) and m[k])
    if not engines:
        return "<h2>IPsec engines</h2><p class=\"note\">no engine carried packets</p>"
    cols = ["util", "mpps", "l1_gbps", "clear_l1_gbps", "encrypt_pkts", "decrypt_pkts", "queue_max_pkts"]
    cols += sorted({k[len(e) + 1:] for e in engines for k in m if k.startswith(e + ".") and
                    (".drops." in k or ".sa_cache" in k) and m[k]} - set(cols))
    cf = ["ceiling_mpps", "ceiling_l1_gbps", "ceiling_clear_l1_gbps", "offered_mpps"]
    cf += sorted({k[len(e) + 10:] for e in engines for k in m if k.startswith(f"analytic.{e}.sa_cache")})
    names = {"mpps": "Mpps", "l1_gbps": "WAN Gbit/s L1", "clear_l1_gbps": "clear Gbit/s L1"}
    names["util"] = "util %"
    head = ["engine"] + [names.get(c, c) for c in cols] + [f"closed form {c}" for c in cf]
    rows = [[esc(rd.pretty(e))] + [fmt(100.0 * m[f"{e}.util"], 1) if c == "util" and f"{e}.util" in m else
                                   fmt(m.get(f"{e}.{c}")) for c in cols] + [fmt(m.get(f"analytic.{e}.{c}")) for c in cf]
            for e in engines]
    return "<h2>IPsec engines (WAN = ESP side, clear = plaintext side)</h2>" + table(head, rows)


def prefix_table(title, m, prefix, depth):
    """One row per object under prefix (tunnel.ROUTER.NAME.*: depth 2; sa.*: up to the last part)."""
    rows = {}
    for k, v in m.items():
        if not k.startswith(prefix):
            continue
        rest = k[len(prefix):].split(".")
        cut = depth if depth else len(rest) - 1
        if len(rest) <= cut:
            continue
        rows.setdefault(".".join(rest[:cut]), {})[".".join(rest[cut:])] = v
    if not rows:
        return f"<h2>{esc(title)}</h2><p class=\"note\">none in these results ({esc(prefix)}* metrics absent)</p>"
    cols = sorted({c for r in rows.values() for c in r})
    return f"<h2>{esc(title)}</h2>" + table(["name"] + cols, [[esc(n)] + [fmt(rows[n].get(c)) for c in cols]
                                                            for n in sorted(rows)])


def sweep_body(s):
    run = s["run"]
    axes = "".join(f"<li>{esc(a.get('key'))}: {esc(', '.join(map(str, a.get('values', []))))}</li>"
                   for a in run.get("axes", []) if isinstance(a, dict))
    parts = [f"<h2>Sweep</h2><p>{esc(s['scenario'])}, base seed {esc(s['seed'])}, search {esc(run.get('search'))}, "
             f"{esc(run.get('points'))} points</p><ul>{axes}<li>Gbit/s L1 = frame + 20 B; L2 = frame incl. FCS; "
             f"rate % = of the ingress ports' line rate</li></ul>"]
    binds = [pt for pt in s["points"] if "max.binding" in pt["metrics"]]
    if binds:
        words = "; ".join(f"{esc(', '.join(f'{k}={v}' for k, v in pt['axes'].items()))}: "
                          f"{esc(rd.pretty(str(pt['metrics']['max.binding'])))} binds at "
                          f"{fmt(pt['metrics'].get('max.rate_pct'), 1)}% of line rate" for pt in binds)
        parts.append(f'<p class="summary">Bottleneck (closed form) per point: {words}</p>')
    keys = [k for k in ("ndr.l1_gbps", "pdr.l1_gbps", "ndr.mpps", "pdr.mpps", "rx_l1_gbps", "rx_mpps", "lost_pkts",
                        "latency_lifo.p99_ns", "max.l1_gbps", "max.binding")
            if any(k in pt["metrics"] for pt in s["points"])]
    eng = sorted({k for pt in s["points"] for k in pt["metrics"] if ".engine." in k and not k.startswith("analytic.")})
    parts.append("<h2>Points</h2>" + table(["point"] + s["axes"] + keys + eng,
                                          [[esc(pt["id"])] + [esc(pt["axes"].get(a, "")) for a in s["axes"]] +
                                           [fmt(pt["metrics"].get(k)) for k in keys + eng] for pt in s["points"]]))
    parts.append("<h2>Flows per point</h2>" + table(
        ["point", "flow", "offered Gbit/s L1", "delivered Gbit/s L1", "Mpps", "drops", "LIFO p50 ns", "LIFO p99 ns"],
        [[esc(pt["id"]), esc(f)] + [fmt(pt["metrics"].get(f"flow.{f}.{k}")) for k in
                                    ("offered_l1_gbps", "rx_l1_gbps", "rx_mpps", "drops.total",
                                     "latency_lifo.p50_ns", "latency_lifo.p99_ns")]
         for pt in s["points"] for f in sweep_flows(pt)]))
    parts.append('<p class="note">Per-resource figures are not part of sweep results: run one point with '
                 '<code>ipsecsim run --set KEY=VALUE --out DIR</code> and report that directory.</p>')
    return parts


def sweep_flows(pt):
    return sorted({k.split(".")[1] for k in pt["metrics"] if k.startswith("flow.") and k.count(".") >= 2})


def render(d, res, plots):
    kind = "run" if res["kind"] == "run" else "sweep"
    body = run_body(res) if kind == "run" else sweep_body(res)
    if kind == "run" and res["config"]:
        body.append("<h2>Resolved configuration (key material not shown)</h2><pre>" + esc(res["config"]) + "</pre>")
    # the bottleneck at a glance, under its sentence: every resource, then per tunnel
    first = [p for n in ("resource_utilisation", "tunnel_path_utilisation") for p in plots if p["name"] == n]
    for i, p in enumerate(first):
        body.insert(1 + i, figure(p))
    body.append("<h2>Plots</h2>" + "\n".join(figure(p) for p in plots if p not in first))
    title = f"ipsecsim {kind} report: {res['scenario']}"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>\n<h1>{esc(title)}</h1>\n"
            + "\n".join(body) + "\n</body></html>\n")


def main(argv):
    if len(argv) != 2 or argv[1].startswith("-"):
        print("usage: ipsecsim report DIR   (a run or sweep output directory)", file=sys.stderr)
        return 2
    d = argv[1]
    try:
        res = rd.load(d)
        page = render(d, res, plot.make_plots(d, res))
    except rd.InputError as e:
        print(f"ipsecsim report: {e}", file=sys.stderr)
        return 2
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as e:  # a field of the wrong type
        print(f"ipsecsim report: {d}: a result file holds a field of an unexpected type ({type(e).__name__}: {e})",
              file=sys.stderr)
        return 2
    out = os.path.join(d, "report.html")
    tmp = out + ".tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as fp:
            fp.write(page)
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))  # unwinds: temporaries removed
    try:
        sys.exit(main(sys.argv))
    except KeyboardInterrupt:
        sys.exit(128 + signal.SIGINT)
