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
import sys

from scapy.all import IP, UDP, Ether, rdpcap  # noqa: E402
from scapy.layers.ipsec import ESP, SecurityAssociation  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from script_util import ScriptTest, tshark_esp_fields  # noqa: E402

EXE, WORK = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
SCEN = os.path.join(HERE, "..", "..", "scenarios", "ipsec_capture.yaml")
FRAMES = 118  # the scenario's hand arithmetic: ceil(100 us x 1.1748 Mpps)
T = ScriptTest(EXE, WORK)
check, run, P = T.check, T.run, T.path
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
# payload none carries no bytes: captures and corrupting faults refused, drops allowed
path, text = variant("none_cap.yaml", "version: 1\n", "version: 1\npayload: none\n")
r = run("run", path, "-q", "--out", P("o_none"))
want = "%s:%s: capture[0]: needs payload: real (payload none carries no frame bytes)\n" % (path, pos(text, "{port: r1:et-0/0/4"))
check(r.returncode == 2 and r.stderr == want, "payload none capture: %d %r" % (r.returncode, r.stderr))
cut = BASE[BASE.index("capture:\n"):BASE.index("traffic:\n")]
for tag, fault, key, ok in [("corrupt", "{corrupt_every: 3}", "corrupt_every", False), ("ber", "{ber: 1e-6}", "ber", False),
                            ("drop", "{drop_every: 3}", None, True)]:
    text = BASE.replace("version: 1\n", "version: 1\npayload: none\n").replace(cut, "").replace(
        "latency: 1us}", "latency: 1us, fault: %s}" % fault).replace("  - {metric: run.sent, eq: run.received}\n", "").replace(
        "  - {metric: flow.east.drops.total, eq: 0}\n", "  - {metric: run.sent, eq: %d}\n" % FRAMES)
    path = P("none_%s.yaml" % tag)
    open(path, "w").write(text)
    r = run("run", path, "-q", "--driver", "c")
    if ok:
        check(r.returncode == 0 and "received %d, dropped %d (blocks)" % (FRAMES - FRAMES // 3, FRAMES // 3) in r.stdout,
              "payload none drop_every: %d %r" % (r.returncode, r.stdout[-200:]))
        continue
    at = pos(text, "fault: " + fault).split(":")  # the value of `key` inside the fault map
    at = "%s:%d" % (at[0], int(at[1]) + len("fault: {%s: " % key))
    want = ("%s:%s: links.fault.%s: changes frame bytes: needs payload: real (allowed with payload none: drop_every, "
            "drop_rate)\n" % (path, at, key))
    check(r.returncode == 2 and r.stderr == want, "payload none %s: %d %r != %r" % (tag, r.returncode, r.stderr, want))
# without --out: the run goes on and says that it writes no capture
r = run("run", SCEN, "-q", "--driver", "c")
check(r.returncode == 0 and r.stderr == "ipsecsim run: note: %s:%s: capture: 4 captures not written (no --out DIR "
      "to write them in)\n" % (SCEN, pos(BASE, "{port: r1:et-0/0/4")), "no --out: %d %r" % (r.returncode, r.stderr))


# 2. captures of a real run: both drivers, byte-identical; decrypted by Scapy and tshark
def sa_of(path, name):
    """(spi, keymat, local, remote) of SA `name` in an --export-sas sas.yaml."""
    text = open(path).read()
    m = re.search(r"name: %s, direction: \w+, spi: (0x[0-9a-f]+), algorithm: [\w-]+, key: ([0-9a-f]+), "
                  r"local: '([^']+)', remote: '([^']+)'" % re.escape(name), text)
    return int(m.group(1), 16), bytes.fromhex(m.group(2)), m.group(3), m.group(4)


outs = {}
for drv in ("c", "systemc"):
    o = P("cap_" + drv)
    os.makedirs(o)
    r = run("run", SCEN, "-q", "--driver", drv, "--out", o, "--export-sas", os.path.join(o, "sas"))
    check(r.returncode == 0, "capture run (%s): %d %r" % (drv, r.returncode, r.stderr))
    outs[drv] = o
NAMES = ("lan_in.pcap", "wan_tx.pcap", "wan_rx.pcap", "lan_out.pcap")
for n in NAMES:
    a, b = os.path.join(outs["c"], n), os.path.join(outs["systemc"], n)
    same = os.path.exists(a) and os.path.exists(b) and open(a, "rb").read() == open(b, "rb").read()
    check(same, "%s differs between the drivers" % n)
O = outs["c"]
r = run("run", os.path.join(O, "config.resolved.yaml"), "-q", "--driver", "c", "--out", P("cap_again"))
check(r.returncode == 0 and all(open(os.path.join(O, n), "rb").read() == open(P("cap_again/" + n), "rb").read()
                                for n in ("lan_in.pcap", "wan_tx.pcap")), "config.resolved.yaml captures otherwise: %r" % r.stderr)
cap = {n: rdpcap(os.path.join(O, n)) if os.path.exists(os.path.join(O, n)) else [] for n in NAMES}
for n in NAMES:
    check(len(cap[n]) == FRAMES, "%s: %d records, want %d" % (n, len(cap[n]), FRAMES))
with open(os.path.join(O, "wan_tx.pcap"), "rb") as f:
    check(f.read(4) == bytes.fromhex("4d3cb2a1"), "not a nanosecond pcap (magic 0xa1b23c4d)")
ts = [int(p.time * 10**9) for p in cap["wan_tx.pcap"]]
check(ts == sorted(ts) and len(set(ts)) == len(ts), "wan_tx timestamps not increasing")
spi, keymat, local, remote = sa_of(os.path.join(O, "sas", "sas.yaml"), "r1-vpn-out")
sa = SecurityAssociation(ESP, spi=spi, crypt_algo="AES-GCM", crypt_key=keymat, tunnel_header=IP(src=local, dst=remote))


def forwarded(frame, hops):
    """The frame's IP packet after `hops` routers forwarded it (TTL - hops, checksum anew)."""
    ip = IP(bytes(frame[Ether].payload))
    ip.ttl -= hops
    del ip.chksum
    return bytes(IP(bytes(ip)))


for i, (e, c) in enumerate(zip(cap["wan_tx.pcap"], cap["lan_in.pcap"])):
    outer = IP(bytes(e[Ether].payload))
    check(outer.src == local and outer.dst == remote and outer.proto == 50, "wan_tx %d: not ESP %s -> %s" % (i, local, remote))
    try:
        inner = bytes(sa.decrypt(outer))
        check(inner == forwarded(c, 1), "wan_tx %d: Scapy's decryption is not the LAN packet (TTL - 1)" % i)
    except Exception as ex:  # noqa: BLE001 - a failed ICV raises
        check(False, "wan_tx %d: Scapy cannot decrypt: %s" % (i, ex))
for i, (d, c) in enumerate(zip(cap["lan_out.pcap"], cap["lan_in.pcap"])):
    check(bytes(d[Ether].payload) == forwarded(c, 2), "lan_out %d is not lan_in's packet (TTL - 2)" % i)
check([bytes(p) for p in cap["wan_rx.pcap"]] == [bytes(p) for p in cap["wan_tx.pcap"]], "the link changed frames")
if shutil.which("tshark"):
    rc, rows, terr = tshark_esp_fields(os.path.join(O, "wan_rx.pcap"), os.path.join(O, "sas", "esp_sa"),
                                       ("ip.dst", "ip.ttl", "udp.srcport", "udp.dstport", "udp.payload"))
    check(rc == 0 and len(rows) == FRAMES, "tshark: rc %d, %d rows %r" % (rc, len(rows), terr[:200]))
    for i, (row, c, e) in enumerate(zip(rows, cap["lan_in.pcap"], cap["wan_rx.pcap"])):
        ip = IP(bytes(c[Ether].payload))
        want = ["%s,%s" % (remote, ip.dst), "%d,%d" % (e[IP].ttl, ip.ttl - 1), str(ip[UDP].sport), str(ip[UDP].dport),
                bytes(ip[UDP].payload).hex()]
        check(row == want, "tshark pkt %d: %s != %s" % (i, [x[:40] for x in row], [x[:40] for x in want]))
else:
    check(False, "tshark missing (tools/install-deps.sh installs it)")

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
# config.resolved.yaml keeps the fault and the captures: run again, the same figures
res = os.path.join(out, "config.resolved.yaml")
r = run("run", res, "-q", "--driver", "c", "--out", P("f_drop7_again"))
check(r.returncode == 0 and metrics(P("f_drop7_again")) == m, "the resolved configuration runs otherwise: %r" % r.stderr)
r, m, out, _, _ = fault_run("rate", "{drop_rate: 0.25}")
k = m.get(RX + "rx_fault_dropped", -1)
# binomial(118, 0.25): mean 29.5, sd 4.7; 5 sd either side
check(r.returncode == 0 and 6 <= k <= 53 and m.get("run.received") == FRAMES - k, "drop_rate: %d %s" % (r.returncode, k))
r2, m2, _, _, _ = fault_run("rate_s", "{drop_rate: 0.25}", driver="systemc")
check(m2.get(RX + "rx_fault_dropped") == k, "drop_rate: the SystemC driver drops %s, the C driver %s" %
      (m2.get(RX + "rx_fault_dropped"), k))


def bit_diffs(a, b):
    """Indices of the bits (from the first byte's MSB) where frames a and b differ."""
    return [8 * i + k for i, (x, y) in enumerate(zip(a, b)) for k in range(8) if (x ^ y) & (0x80 >> k)]


def corrupt_run(tag, fault, want_bits=None):
    """A corrupting fault: the frames that differ between the sender's and the receiver's WAN
    captures are the corrupted ones (one bit each for corrupt_every); returns them with the run."""
    r, m, out, path, text = fault_run(tag, fault, captures=True)
    check(r.returncode == 0, "%s: %d %r" % (tag, r.returncode, r.stderr))
    tx = rdpcap(os.path.join(out, "wan_tx.pcap")) if r.returncode == 0 else []
    rx = rdpcap(os.path.join(out, "wan_rx.pcap")) if r.returncode == 0 else []
    check(len(tx) == FRAMES and len(rx) == FRAMES, "%s: %d/%d frames captured" % (tag, len(tx), len(rx)))
    hit = [(i, bit_diffs(bytes(a), bytes(b)), float(b.time)) for i, (a, b) in enumerate(zip(tx, rx)) if bytes(a) != bytes(b)]
    return r, m, hit


EVERY = 5
want_idx = [n - 1 for n in range(1, FRAMES + 1) if n % EVERY == 0]  # the Nth, 2Nth, ... frame crossing
r, m, hit = corrupt_run("fcs", "{corrupt_every: %d}" % EVERY)
check([i for i, _, _ in hit] == want_idx and all(len(b) == 1 for _, b, _ in hit),
      "corrupt_every: frames %s corrupted, want %s, one bit each" % ([i for i, _, _ in hit], want_idx))
nc = len(want_idx)
check(m.get(RX + "rx_fault_corrupted") == nc and m.get(RX + "rx_fcs_errors") == nc and m.get("run.received") == FRAMES - nc,
      "fcs: corrupted %s, fcs errors %s, received %s; want %d, %d, %d" % (m.get(RX + "rx_fault_corrupted"),
      m.get(RX + "rx_fcs_errors"), m.get("run.received"), nc, nc, FRAMES - nc))
check(m.get("flow.east.payload_mismatch") == 0, "fcs: payload_mismatch %s" % m.get("flow.east.payload_mismatch"))
W0, W1 = 10e-6, 100e-6  # the scenario's window
# without the FCS check the engine of r2 sees them: a bit in the ESP ciphertext fails the ICV
# (RFC 4106), one in the outer IPv4 header fails its checksum (bad header). The counters are
# of the window, counted when the engine decides (after the frame arrived): the expected count
# is that of the corrupted frames arriving inside it, none arriving within 2 us before one of
# its edges (where the engine's own latency could carry it across).
for tag, bit, ctr in [("icv", 8 * (14 + 20 + 8 + 8 + 30) + 3, "esp_authentication_failures"),
                      ("hdr", 8 * (14 + 8) + 7, "bad_headers")]:
    r, m, hit = corrupt_run(tag, "{corrupt_every: %d, corrupt_bit: %d, fcs: false}" % (EVERY, bit))
    check([i for i, _, _ in hit] == want_idx and all(b == [bit] for _, b, _ in hit), "%s: corrupted bits %s" % (tag, hit[:3]))
    near = [t for _, _, t in hit if W0 - 2e-6 <= t < W0 or W1 - 2e-6 <= t < W1]
    check(not near, "%s: corrupted frames at the window's edges %s" % (tag, near))
    inside = sum(1 for _, _, t in hit if W0 <= t < W1)
    got = m.get("sa.r2.vpn.in." + ctr)
    check(got == inside, "%s: sa.r2.vpn.in.%s = %s, want %d" % (tag, ctr, got, inside))
    check(m.get("run.received") == FRAMES - nc and m.get("flow.east.payload_mismatch") == 0,
          "%s: received %s payload_mismatch %s" % (tag, m.get("run.received"), m.get("flow.east.payload_mismatch")))
    others = {k: v for k, v in m.items() if k.startswith("sa.r2.vpn.in.") and k.split(".")[-1] in (
        "replay_errors", "esp_authentication_failures", "esp_decryption_failures", "bad_headers", "bad_trailers")
        and k != "sa.r2.vpn.in." + ctr and v}
    check(not others, "%s: other error counters moved: %s" % (tag, others))
# a bit drawn in every frame, no FCS check: each frame is counted once, under one of the seed's
# error counters of r2's SA (or the lookup's unknown SPI), and none is delivered
r, m, hit = corrupt_run("all", "{corrupt_every: 1, fcs: false}")
check(len(hit) == FRAMES and all(len(b) == 1 and b[0] >= 112 for _, b, _ in hit), "every frame: one bit past the MAC header")
seed6 = ("esp_authentication_failures", "esp_decryption_failures", "bad_headers", "bad_trailers", "replay_errors")
counted = sum(m.get("sa.r2.vpn.in." + c, 0) for c in seed6)
dropped = m.get("flow.east.drops.engine_esp", 0) + m.get("flow.east.drops.unknown_spi", 0)
check(m.get("run.received") == 0 and m.get("flow.east.payload_mismatch") == 0 and counted == dropped
      and dropped == m.get("flow.east.drops.total") and dropped > 0,
      "every frame: received %s, mismatch %s, SA errors %d, flow drops %d of %s" % (
          m.get("run.received"), m.get("flow.east.payload_mismatch"), counted, dropped, m.get("flow.east.drops.total")))
# ber: every frame whose bits changed is dropped on its FCS, the rest delivered intact
r, m, hit = corrupt_run("ber", "{ber: 1e-4}")
k = m.get(RX + "rx_fcs_errors", -1)
# frames of 512 B (4096 bits with the FCS): P(hit) = 1 - (1 - 1e-4)^4096 = 0.336; mean 39.6 of 118, sd 5.1
check(r.returncode == 0 and 14 <= k <= 66 and m.get("run.received") == FRAMES - k, "ber: fcs errors %s" % k)
check(len(hit) <= k and m.get(RX + "rx_fault_corrupted") == k, "ber: %d frames differ, %s corrupted, %s FCS errors"
      % (len(hit), m.get(RX + "rx_fault_corrupted"), k))
for tag, fault, token, msg in [
        ("empty", "{fcs: false}", "{fcs: false}",
         "links.fault: no fault set (allowed: drop_every, drop_rate, corrupt_every, ber)"),
        ("bit", "{drop_every: 3, corrupt_bit: 9}", "9}", "links.fault.corrupt_bit: needs corrupt_every (allowed: with corrupt_every)"),
        ("rate2", "{drop_rate: 2}", "2}", None),
        ("l2", "{corrupt_every: 2, corrupt_bit: 100, fcs: false}", "100,",
         "links.fault.corrupt_bit: 100 is in the Ethernet header, which fcs: false does not model (allowed: 112 and above, the IP packet)")]:
    r, m, out, path, text = fault_run("bad_" + tag, fault)
    if msg is None:
        check(r.returncode == 2 and r.stderr.startswith("%s:%s: links.fault.drop_rate: " % (path, pos(text, "2}")))
              and r.stderr.count("\n") == 1, "%s: %d %r" % (tag, r.returncode, r.stderr))
        continue
    want = "%s:%s: %s\n" % (path, pos(text, token), msg)
    check(r.returncode == 2 and r.stderr == want, "%s: %d %r != %r" % (tag, r.returncode, r.stderr, want))

T.finish()
