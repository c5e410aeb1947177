#!/usr/bin/python3
"""Packet capture and link faults (issue 13), checked independently of the model:
1. `capture:` validation: one line FILE:LINE:COL: FIELD: ..., exit 2 (texts exact).
2. scenarios/ipsec_capture.yaml: both drivers write byte-identical pcaps; Scapy's own ESP
   (scapy.layers.ipsec) and tshark (with the esp_sa table of --export-sas) decrypt the WAN
   capture back to the inner packets of the LAN-side capture (TTL - 1: r1 forwarded them).
3. link faults: drop_every / corrupt_every counts are floor(frames crossing / N), the frames
   crossing counted from the sender's WAN capture; the receiving counters (fcs_error, the
   engine's ICV and header checks) see each corrupted frame once and the sink none of them.
usage: test_capture.py IPSECSIM WORKDIR"""
import json
import os
import re
import shutil
import subprocess
import sys

from scapy.all import IP, UDP, Ether, rdpcap  # noqa: E402
from scapy.layers.ipsec import ESP, SecurityAssociation  # noqa: E402

EXE, WORK = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
SCEN = os.path.join(HERE, "..", "..", "scenarios", "ipsec_capture.yaml")
FAILS = []
FRAMES = 118  # the scenario's hand arithmetic: ceil(100 us x 1.1748 Mpps)


def check(ok, what):
    if not ok:
        FAILS.append(what)
        print("FAIL:", what)


def run(*args):
    return subprocess.run([EXE] + list(args), capture_output=True, text=True)


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
P = lambda n: os.path.join(WORK, n)  # noqa: E731
BASE = open(SCEN).read()


def variant(name, old, new):
    assert old in BASE, old
    text = BASE.replace(old, new)
    with open(P(name), "w") as f:
        f.write(text)
    return P(name), text


def pos(text, token):
    """FILE:LINE:COL position (1-based) of the first occurrence of token."""
    i = text.index(token)
    line = text.count("\n", 0, i) + 1
    return "%d:%d" % (line, i - (text.rfind("\n", 0, i) + 1) + 1)


# 1. validation
CAP0 = "  - {port: r1:et-0/0/4, file: lan_in.pcap, direction: rx}"
cases = [
    ("r9", "  - {port: r9:et-0/0/4, file: lan_in.pcap, direction: rx}", "r9:et-0/0/4",
     "capture[0].port: no router 'r9' (allowed: r1, r2)"),
    ("noport", "  - {port: r1:et-9/9/9, file: lan_in.pcap, direction: rx}", "r1:et-9/9/9",
     "capture[0].port: no port 'r1:et-9/9/9' (allowed: ROUTER:et-F/P/N of a declared router)"),
    ("norouter", "  - {port: et-0/0/4, file: lan_in.pcap, direction: rx}", "et-0/0/4, file",
     "capture[0].port: 'et-0/0/4' names no router (allowed: ROUTER:et-F/P/N)"),
    ("dir", "  - {port: r1:et-0/0/4, file: lan_in.pcap, direction: up}", "up}",
     "capture[0].direction: 'up' (allowed: tx, rx, both)"),
    ("escape", "  - {port: r1:et-0/0/4, file: ../x.pcap, direction: rx}", "../x.pcap",
     "capture[0].file: '../x.pcap' is not a file name inside --out (allowed: NAME.pcap, no folder, not hidden)"),
    ("dup", "  - {port: r1:et-0/0/4, file: wan_tx.pcap, direction: rx}", "wan_tx.pcap, direction: tx",
     None),
    ("key", "  - {port: r1:et-0/0/4, file: lan_in.pcap, direction: rx, max: 3}", "max: 3",
     "capture[0].max: unknown key (allowed: port, file, direction, max_packets)"),
]
for tag, line, token, msg in cases:
    path, text = variant("bad_%s.yaml" % tag, CAP0, line)
    r = run("run", path, "-q", "--out", P("o_" + tag))
    if tag == "dup":
        first = "%s:%s" % (path, pos(text, "{port: r1:et-0/0/4, file: wan_tx.pcap"))
        msg = "capture[1].file: duplicate file 'wan_tx.pcap' (also at %s) (allowed: one capture per file)" % first
    want = "%s:%s: %s\n" % (path, pos(text, token), msg)
    check(r.returncode == 2 and r.stderr == want, "%s: exit %d %r != %r" % (tag, r.returncode, r.stderr, want))
# a capture over an input (the scenario itself), refused before the run; the input intact
os.makedirs(P("self"))
path, text = variant("self/scen.pcap", CAP0, "  - {port: r1:et-0/0/4, file: scen.pcap, direction: rx}")
r = run("run", path, "-q", "--out", P("self"))
check(r.returncode == 2 and r.stderr.startswith("ipsecsim run: %s:%s: capture[0].file: " % (path, pos(text, "{port: r1:et-0/0/4, file: scen")))
      and "is the same file as the scenario" in r.stderr and r.stderr.count("\n") == 1,
      "capture over the scenario: %d %r" % (r.returncode, r.stderr))
check(open(path).read() == text, "the scenario was overwritten")
# without --out: the run goes on and says that it writes no capture
r = run("run", SCEN, "-q", "--driver", "c")
check(r.returncode == 0 and r.stderr == "ipsecsim run: note: %s:%s: capture: 4 captures not written (no --out DIR "
      "to write them in)\n" % (SCEN, pos(BASE, "{port: r1:et-0/0/4")), "no --out: %d %r" % (r.returncode, r.stderr))


# 3. link faults
LINK = "  - {a: r1:et-0/0/6, b: r2:et-0/0/6, latency: 1us}"
CAPS = BASE[BASE.index("capture:\n"):BASE.index("traffic:\n")]


def metrics(out):
    """report.json's stats tree flattened: {"run.sent": 118, ...}."""
    flat = {}

    def walk(node, name):
        if "value" in node and not isinstance(node["value"], dict):
            flat[name] = node["value"]
            return
        for k, v in node.items():
            if isinstance(v, dict):
                walk(v, name + "." + k if name else k)
    walk(json.load(open(os.path.join(out, "report.json")))["stats"], "")
    return flat


def fault_run(tag, fault, captures=False, driver="c"):
    """Runs the scenario with `fault` on the link; returns (exit, stderr, metrics, out)."""
    text = BASE.replace(LINK, LINK[:-1] + ", fault: %s}" % fault)
    text = text.replace("  - {metric: run.sent, eq: run.received}\n", "").replace(
        "  - {metric: flow.east.drops.total, eq: 0}\n", "")
    text = text.replace("expect:\n", "expect:\n  - {metric: run.sent, eq: %d}\n" % FRAMES)
    if not captures:
        text = text.replace(CAPS, "")
    path, out = P("f_%s.yaml" % tag), P("f_" + tag)
    with open(path, "w") as f:
        f.write(text)
    r = run("run", path, "-q", "--driver", driver, "--out", out)
    m = metrics(out) if r.returncode == 0 else {}
    return r, m, out, path, text


RX = "link.r2.et-0/0/6."
r, m, out, _, _ = fault_run("drop7", "{drop_every: 7}")
check(r.returncode == 0, "drop_every: %d %r" % (r.returncode, r.stderr))
drop7 = FRAMES // 7
check(m.get(RX + "rx_fault_dropped") == drop7 and m.get("run.received") == FRAMES - drop7,
      "drop_every 7: dropped %s received %s, want %d %d" % (m.get(RX + "rx_fault_dropped"), m.get("run.received"),
                                                            drop7, FRAMES - drop7))
check(m.get("link.r1.et-0/0/6.rx_fault_dropped") == 0, "the other direction carries nothing to drop")
r, m, out, _, _ = fault_run("rate", "{drop_rate: 0.25}")
k = m.get(RX + "rx_fault_dropped", -1)
# binomial(118, 0.25): mean 29.5, sd 4.7; 5 sd either side
check(r.returncode == 0 and 6 <= k <= 53 and m.get("run.received") == FRAMES - k, "drop_rate: %d %s" % (r.returncode, k))
r2, m2, _, _, _ = fault_run("rate_s", "{drop_rate: 0.25}", driver="systemc")
check(m2.get(RX + "rx_fault_dropped") == k, "drop_rate: the SystemC driver drops %s, the C driver %s" %
      (m2.get(RX + "rx_fault_dropped"), k))
for tag, fault, token, msg in [
        ("empty", "{fcs: false}", "{fcs: false}",
         "links.fault: no fault set (allowed: drop_every, drop_rate, corrupt_every, ber)"),
        ("bit", "{drop_every: 3, corrupt_bit: 9}", "9}", "links.fault.corrupt_bit: needs corrupt_every (allowed: with corrupt_every)"),
        ("rate2", "{drop_rate: 2}", "2}", None)]:
    r, m, out, path, text = fault_run("bad_" + tag, fault)
    if msg is None:
        check(r.returncode == 2 and r.stderr.startswith("%s:%s: links.fault.drop_rate: " % (path, pos(text, "2}")))
              and r.stderr.count("\n") == 1, "%s: %d %r" % (tag, r.returncode, r.stderr))
        continue
    want = "%s:%s: %s\n" % (path, pos(text, token), msg)
    check(r.returncode == 2 and r.stderr == want, "%s: %d %r != %r" % (tag, r.returncode, r.stderr, want))

print("%d failures" % len(FAILS))
sys.exit(1 if FAILS else 0)
