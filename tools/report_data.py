"""Reads the result files of an `ipsecsim run --out DIR` (report.json, timeseries.csv,
latency_hist.csv, config.resolved.yaml, show.ROUTER.txt) or of an `ipsecsim sweep --out DIR`
(results.json) into plain tables for tools/report_plots.py and tools/report_html.py. Never
reads config.keys.yaml; any key, salt or PSK value in config.resolved.yaml is masked before it
leaves this module. Every file is read whole under the limit the C side applies to its inputs
(IPSECSIM_MAX_INPUT, default 16 MiB: model/file_read.h), with the same one-line messages.
Bad input raises InputError naming file, line and field (the CLI prints it as one line, exit 2)."""
import csv
import io
import json
import os
import re
import stat

SECRET_FIELD = re.compile(r"\b(key|salt|psk)(\s*:\s*)(\"[^\"]*\"|[^,}\s]+)", re.IGNORECASE)


class InputError(Exception):
    pass


MAX_INPUT_ENV, MAX_INPUT_DEFAULT, MAX_INPUT_MAX = "IPSECSIM_MAX_INPUT", 16 << 20, 1 << 40
_UNITS = {"": 0, "B": 0, "K": 10, "KiB": 10, "M": 20, "MiB": 20, "G": 30, "GiB": 30, "T": 40, "TiB": 40}


def input_limit():
    """IPSECSIM_MAX_INPUT as model/file_read.c parses it (digits, optional binary suffix, 1 B..1 TiB)."""
    env = os.environ.get(MAX_INPUT_ENV)
    if env is None:
        return MAX_INPUT_DEFAULT
    mm = re.fullmatch(r"([0-9]+)([A-Za-z]*)", env)
    if mm and mm.group(2) in _UNITS:
        v = int(mm.group(1)) << _UNITS[mm.group(2)]
        if 1 <= v <= MAX_INPUT_MAX:
            return v
    raise InputError(f"{MAX_INPUT_ENV}: '{env[:40]}' is not a size (allowed: 1..{MAX_INPUT_MAX} bytes, optional "
                     "suffix KiB, MiB, GiB, TiB)")


def _size_text(v):
    for shift, name in ((40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")):
        if v >= 1 << shift and v % (1 << shift) == 0:
            return f"{v >> shift} {name}"
    return f"{v} bytes"


def read_text(path):
    """A result file's text, refused past the input limit: a regular file by its size before
    reading, anything else after one byte more than the limit (model/file_read.c's rule)."""
    limit = input_limit()
    too_large = InputError(f"{path}: input size: larger than the limit of {_size_text(limit)} (allowed: up to "
                           f"{limit} bytes; raise it with {MAX_INPUT_ENV}=SIZE, e.g. {MAX_INPUT_ENV}=64MiB)")
    try:
        with open(path, "rb") as fp:
            st = os.fstat(fp.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise InputError(f"{path}: cannot read file (Is a directory)")
            if stat.S_ISREG(st.st_mode) and st.st_size > limit:
                raise too_large
            data = fp.read(limit + 1)
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    if len(data) > limit:
        raise too_large
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8") from None


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


def _csv_rows(path, fields):
    """(line, row) of a CSV result file; InputError naming file, line and field when a listed
    field is missing from the header."""
    reader = csv.DictReader(io.StringIO(read_text(path)))
    for f in fields:
        if f not in (reader.fieldnames or []):
            raise InputError(f"{path}:1: field '{f}' missing")
    return enumerate(reader, start=2)


def _num(row, field, path, line, conv=float):
    try:
        return conv(row[field])
    except (TypeError, ValueError):
        raise InputError(f"{path}:{line}: field '{field}' missing or not a number") from None


def load_timeseries(path):
    """(flow rows, queue rows) of timeseries.csv: a row names a flow (delivered Gbit/s) or a
    queue (peak and time-averaged occupancy in the bucket; bytes None for a lookup queue)."""
    flows_, queues = [], []
    if not os.path.exists(path):
        return flows_, queues
    for k, row in _csv_rows(path, ("time_us", "flow", "rx_l1_gbps", "rx_l2_gbps")):
        t = _num(row, "time_us", path, k)
        if row.get("queue"):
            q = {"time_us": t, "queue": row["queue"]}
            for f in ("queue_max_pkts", "queue_mean_pkts", "queue_max_bytes", "queue_mean_bytes"):
                q[f[6:]] = None if f.endswith("bytes") and not row.get(f) else _num(row, f, path, k)
            queues.append(q)
            continue
        flows_.append({"time_us": t, "flow": row["flow"], "rx_l1_gbps": _num(row, "rx_l1_gbps", path, k),
                       "rx_l2_gbps": _num(row, "rx_l2_gbps", path, k)})
    return flows_, queues


def load_latency_hist(path):
    """{(flow, kind): [(lo_fs, hi_fs, count), ...]} of latency_hist.csv (kind lifo|fifo)."""
    out = {}
    if not os.path.exists(path):
        return out
    for k, row in _csv_rows(path, ("flow", "kind", "lo_fs", "hi_fs", "count")):
        out.setdefault((row["flow"], row["kind"]), []).append(
            tuple(_num(row, f, path, k, int) for f in ("lo_fs", "hi_fs", "count")))
    return out


SHOW_FILE = re.compile(r"show\.(.+)\.txt")


def load_show(d):
    """[(router, text)] of the show.ROUTER.txt files `run --out` writes (issue 16), by router."""
    names = sorted(n for n in os.listdir(d) if SHOW_FILE.fullmatch(n) and os.path.isfile(os.path.join(d, n)))
    return [(SHOW_FILE.fullmatch(n).group(1), read_text(os.path.join(d, n))) for n in names]


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
