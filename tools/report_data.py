"""Reads the result files of an `ipsecsim run --out DIR` (report.json, timeseries.csv,
latency_hist.csv, config.resolved.yaml, show.ROUTER.txt) or of an `ipsecsim sweep --out DIR`
(results.json) into plain tables for tools/report_plots.py and tools/report_html.py. Never
reads config.keys.yaml; any key, salt or PSK value in config.resolved.yaml is masked before it
leaves this module. Files are read by tools/report_files.py (the input limit, the CSV series).
Bad input raises InputError naming file, line and field (the CLI prints it as one line, exit 2)."""
import json
import os
import re

from report_files import InputError, load_latency_hist, load_show, load_timeseries, read_text  # noqa: F401

SECRET_FIELD = re.compile(r"\b(key|salt|psk)(\s*:\s*)(\"[^\"]*\"|[^,}\s]+)", re.IGNORECASE)


def _load_json(path):
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        line = getattr(e, "lineno", 1)
        raise InputError(f"{path}:{line}: not valid JSON ({getattr(e, 'msg', e)})") from None


def flatten(stats, prefix=""):
    """{metric name: value} from report.json's nested stats (leaves are {value, unit, desc})."""
    out = {}
    for k, v in stats.items():
        name = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict) and "value" in v and not isinstance(v["value"], dict):
            out[name] = v["value"]
        elif isinstance(v, dict) and "count" in v and "unit" in v:  # a latency histogram summary
            for q, x in v.items():
                if q not in ("unit", "desc"):
                    out[f"{name}.{q}"] = x
        elif isinstance(v, dict):
            out.update(flatten(v, name))
    return out


def _need(obj, field, path):
    if not isinstance(obj, dict) or field not in obj:
        raise InputError(f"{path}:1: field '{field}' missing")
    return obj[field]


def masked_config(path):
    """config.resolved.yaml as text with key/salt/psk values replaced, or '' when absent."""
    if not os.path.exists(path):
        return ""
    return SECRET_FIELD.sub(lambda m: m.group(1) + m.group(2) + "(not shown)", read_text(path))


def load_run(d):
    path = os.path.join(d, "report.json")
    rep = _load_json(path)
    stats = _need(rep, "stats", path)
    if not isinstance(stats, dict):
        raise InputError(f"{path}:1: field 'stats' is not an object")
    m = flatten(stats)
    run = {"kind": "run", "dir": d, "scenario": str(rep.get("scenario", "")), "seed": rep.get("seed"),
           "conventions": rep.get("conventions", {}), "metrics": m, "ports": rep.get("ports", []),
           "config": masked_config(os.path.join(d, "config.resolved.yaml")),
           "latency_hist": load_latency_hist(os.path.join(d, "latency_hist.csv")), "show": load_show(d)}
    run["timeseries"], run["queue_series"] = load_timeseries(os.path.join(d, "timeseries.csv"))
    run["flows"] = flows(m)
    run["resources"] = resources(m)
    run["tunnel_paths"] = tunnel_paths(rep.get("paths"), m, path)
    return run


def tunnel_paths(paths, m, path):
    """[(label, [tunnel, ...], [(resource, util), ...])]: the resources on the paths of the flows
    through each tunnel (report.json "paths"; each once, in path order) with their utilisation
    from the stats; tunnels whose resources are the same share one entry (identical bars)."""
    if not isinstance(paths, dict):
        return []
    fl, tu = paths.get("flows", {}), paths.get("tunnels", {})
    if not isinstance(fl, dict) or not isinstance(tu, dict):
        raise InputError(f"{path}:1: field 'paths' is not {{\"flows\": {{...}}, \"tunnels\": {{...}}}}")
    groups = {}
    for t in sorted(tu):
        res = []
        for f in tu[t]:
            res += [r for r in fl.get(f, []) if r not in res]
        groups.setdefault(tuple(res), []).append(t)
    out = []
    for res, ts in sorted(groups.items(), key=lambda g: g[1][0]):
        label = ", ".join(ts) if len(ts) <= 3 else f"{ts[0]} ... {ts[-1]} ({len(ts)} tunnels)"
        out.append((label, ts, [(r, m.get(r + ".util")) for r in res]))
    return out

def drop_count(m, prefix):
    """PREFIX.drops.total when the results carry it, else the sum of the PREFIX.drops.REASON
    counters (never both: total already sums the reasons)."""
    total = m.get(prefix + "drops.total")
    if isinstance(total, (int, float)):
        return total
    return sum(v for k, v in m.items() if k.startswith(prefix + "drops.") and isinstance(v, (int, float)))


FLOW_KNOWN = {"offered_l1_gbps", "offered_l2_gbps", "offered_mpps", "rx_l1_gbps", "rx_l2_gbps", "rx_mpps",
              "tx_pkts", "rx_pkts", "host_pkts"}


def flows(m):
    names = sorted({k.split(".")[1] for k in m if k.startswith("flow.")})
    out = []
    for n in names:
        p = f"flow.{n}."
        drops = drop_count(m, p)
        f = {"name": n, "offered_l1_gbps": m.get(p + "offered_l1_gbps"), "rx_l1_gbps": m.get(p + "rx_l1_gbps"),
             "rx_l2_gbps": m.get(p + "rx_l2_gbps"), "rx_mpps": m.get(p + "rx_mpps"),
             "tx_pkts": m.get(p + "tx_pkts"), "rx_pkts": m.get(p + "rx_pkts"), "drops": drops}
        for kind in ("lifo", "fifo"):
            for q in ("min", "p50", "p99", "p99.9", "max"):
                v = m.get(f"{p}latency_{kind}.{q}")
                f[f"{kind}_{q}_ns"] = v / 1e6 if isinstance(v, (int, float)) else None  # fs -> ns
        f["delivered_nothing"] = not f["rx_pkts"]
        # any other per-flow figure the results carry (e.g. payload_mismatch): shown as it is
        f["extra"] = {k[len(p):]: v for k, v in m.items() if k.startswith(p) and k[len(p):] not in FLOW_KNOWN
                      and not k[len(p):].startswith(("drops.", "latency_lifo.", "latency_fifo."))}
        out.append(f)
    return out


def resources(m):
    """Every resource that reports a utilisation, with its traffic and queue figures and the
    closed-form ceiling beside it (analytic.NAME.ceiling_*) when the results carry one."""
    out = []
    for k in sorted(m):
        if not k.endswith(".util") or k.startswith(("analytic.", "flow.", "sa.", "tunnel.")):
            continue
        n = k[: -len(".util")]
        drops = drop_count(m, n + ".")
        r = {"name": n, "util": m[k], "l1_gbps": m.get(n + ".l1_gbps"), "mpps": m.get(n + ".mpps"),
             "queue_mean_pkts": m.get(n + ".queue_mean_pkts"), "queue_max_pkts": m.get(n + ".queue_max_pkts"),
             "drops": drops, "pkts": m.get(n + ".pkts", 0),
             "ceiling_mpps": m.get(f"analytic.{n}.ceiling_mpps"), "ceiling_l1_gbps": m.get(f"analytic.{n}.ceiling_l1_gbps")}
        out.append(r)
    return out


def pretty(name):
    """'r0.asic0.slice0.engine' -> 'engine of r0 asic0 slice0'; 'r0.asic0.slice0.pg0.out' -> 'PG0 out of r0 asic0 slice0'."""
    parts = name.split(".")
    if len(parts) >= 3 and parts[1] == "port":
        return " ".join(["port"] + parts[2:]) + f" of {parts[0]}"
    if len(parts) >= 4 and parts[1].startswith("asic") and parts[2].startswith("slice"):
        what = " ".join(p.upper() if re.fullmatch(r"pg\d+", p) else p for p in parts[3:])
        return f"{what} of {' '.join(parts[:3])}"
    return name


def ranked(res, m):
    """Resources with traffic, the binding one first: highest utilisation, then (among equally
    busy ones, e.g. everything downstream of a full resource) the most oversubscribed by its
    closed form (analytic.NAME.offered_mpps / ceiling_mpps)."""
    def over(r):
        off = m.get(f"analytic.{r['name']}.offered_mpps")
        return off / r["ceiling_mpps"] if isinstance(off, (int, float)) and r["ceiling_mpps"] else 0.0

    used = (r for r in res if (r["pkts"] or 0) > 0 or (isinstance(r["util"], (int, float)) and r["util"] > 0))
    return sorted(used, key=lambda r: (-round(r["util"] or 0, 3), -over(r), r["name"]))


def bottleneck_sentence(res, m):
    """'engine of r0 asic0 slice0 at 100.0%: 300.0 Gbit/s WAN L1; next: PG1 in of r0 asic0 slice0 at 80.0%'."""
    busy = [r for r in ranked(res, m) if r["util"]]
    if not busy:
        return "no resource carried traffic in the measurement window"
    top = busy[0]
    rate = ""
    if top["name"].endswith(".engine") and isinstance(m.get(top["name"] + ".l1_gbps"), (int, float)):
        rate = f": {m[top['name'] + '.l1_gbps']:.1f} Gbit/s WAN L1 ({m.get(top['name'] + '.clear_l1_gbps', 0):.1f} clear)"
    elif isinstance(top["l1_gbps"], (int, float)):
        rate = f": {top['l1_gbps']:.1f} Gbit/s L1"
    if isinstance(top["mpps"], (int, float)):
        rate += f", {top['mpps']:.3f} Mpps"
    s = f"{pretty(top['name'])} at {100 * top['util']:.1f}%{rate}"
    off, ceil = m.get(f"analytic.{top['name']}.offered_mpps"), top["ceiling_mpps"]
    if isinstance(off, (int, float)) and isinstance(ceil, (int, float)) and ceil > 0:
        s += f" (offered {off:.3f} Mpps = {100 * off / ceil:.1f}% of its closed-form ceiling {ceil:.3f} Mpps)"
    if len(busy) > 1:
        s += f"; next: {pretty(busy[1]['name'])} at {100 * busy[1]['util']:.1f}%"
    return s


def load_sweep(d):
    path = os.path.join(d, "results.json")
    res = _load_json(path)
    run = _need(res, "run", path)
    points = _need(res, "points", path)
    if not isinstance(points, list):
        raise InputError(f"{path}:1: field 'points' is not a list")
    for i, p in enumerate(points):
        for field in ("id", "axes", "metrics"):
            if not isinstance(p, dict) or field not in p:
                raise InputError(f"{path}:1: field 'points[{i}].{field}' missing")
    axes = [a.get("key", "") for a in run.get("axes", []) if isinstance(a, dict)]
    return {"kind": "sweep", "dir": d, "run": run, "axes": axes, "points": points,
            "scenario": str(run.get("scenario", "")), "seed": run.get("seed")}


def load(d):
    if not os.path.isdir(d):
        raise InputError(f"{d}: not a directory")
    if os.path.exists(os.path.join(d, "report.json")):
        return load_run(d)
    if os.path.exists(os.path.join(d, "results.json")):
        return load_sweep(d)
    raise InputError(f"{d}: neither report.json (ipsecsim run --out) nor results.json (ipsecsim sweep --out) found")


def number(s):
    """'1518B' -> 1518.0, '40%' -> 40.0, '2000' -> 2000.0; None when not numeric (IMIX_v4_1)."""
    mm = re.fullmatch(r"\s*([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?\d+)?)\s*[A-Za-z%/]*\s*", str(s))
    return float(mm.group(1)) if mm else None
