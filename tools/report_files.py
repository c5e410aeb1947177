"""The result files of a run or sweep directory as `ipsecsim report` reads them: each whole,
under the limit the C side applies to its inputs (IPSECSIM_MAX_INPUT, default 16 MiB:
model/file_read.h) with the same one-line messages; the CSV series (timeseries.csv,
latency_hist.csv) and the show.ROUTER.txt views. Bad input raises InputError naming file, line
and field (the CLI prints it as one line, exit 2)."""
import csv
import io
import os
import re
import stat


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
