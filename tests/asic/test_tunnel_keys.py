#!/usr/bin/python3
"""Key-material test for tunnels (issue 11 s1), on the scanner of issue 10
(tests/esp/key_material.py): no output of `ipsecsim run` on a tunnel scenario (report.json,
report.txt, timeseries.csv, config.resolved.yaml, wallclock.json, stdout, stderr), no output of
`params --metrics`, and no error message of a bad tunnel holds a key, a salt or H in any
spelling; the auto keys (derived here again from the documented HMAC) are scanned as well.
The keys file config.keys.yaml is the one place keys go: it must hold them, with mode 0600,
and running the resolved configuration must give the same statistics.
Usage: test_tunnel_keys.py IPSECSIM WORKDIR"""
import hashlib
import hmac
import json
import os
import shutil
import stat
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "esp"))
import key_material  # noqa: E402

BIN, WORK = sys.argv[1], sys.argv[2]
OUT_KEY, OUT_SALT = bytes(range(0x40, 0x60)), bytes([0xDE, 0xAD, 0xBE, 0xEF])
IN_KEY, IN_SALT = bytes(range(0x80, 0xA0)), bytes([0xCA, 0xFE, 0xBA, 0xBE])
SEED = 3


def auto_keymat(lo, hi, direction):
    """scenario_ipsec.h: HMAC-SHA256("ipsecsim-tunnel-v1", "SEED|LO|HI|keymat|DIR|BLOCK")."""
    out = b""
    for block in (1, 2):
        msg = "%d|%s|%s|keymat|%s|%d" % (SEED, lo, hi, direction, block)
        out += hmac.new(b"ipsecsim-tunnel-v1", msg.encode(), hashlib.sha256).digest()
    return out[:32], out[32:36]


SECRETS = [(OUT_KEY, OUT_SALT), (IN_KEY, IN_SALT), auto_keymat("20.0.0.1", "20.0.0.2", "lo-hi"),
           auto_keymat("20.0.0.1", "20.0.0.2", "hi-lo")]
NEEDLES = [n for k, s in SECRETS for n in key_material.forms(k, s)]
failures, checked = [], 0


def check(label, blob):
    global checked
    checked += 1
    found = key_material.scan(blob, NEEDLES)
    if found:
        failures.append("%s contains %s" % (label, ", ".join(found)))


def run(args, want_rc):
    p = subprocess.run([BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != want_rc:
        failures.append("%s: exit %d, expected %d: %s" % (" ".join(args[:2]), p.returncode, want_rc,
                                                         p.stderr.decode(errors="replace")[:300]))
    check(" ".join(args[:2]) + " stdout", p.stdout)
    check(" ".join(args[:2]) + " stderr", p.stderr)
    return p


def scenario(name, tunnels):
    path = os.path.join(WORK, name + ".yaml")
    with open(path, "w") as f:
        f.write("version: 1\nseed: %d\nplatform: {preset: MX304, lmics: 2}\n"
                "interfaces:\n  - {name: et-0/0/4, address: 20.0.0.1/24}\n"
                "ipsec:\n  tunnels:\n%s"
                "traffic:\n  - {name: f, port: et-0/0/8, rate: 5%%, frame: 594B, dst: 9.9.9.9}\n"
                "  - {name: e, port: et-0/0/4, rate: 5%%, frame: 1518B, dst: 9.9.9.9, esp_of: hexed}\n"
                "phases: {warmup: 1us, measure: 3us}\n" % (SEED, tunnels))
    return path


def scan_dir(d):
    for name in sorted(os.listdir(d)):
        if name != "config.keys.yaml":
            with open(os.path.join(d, name), "rb") as f:
                check(os.path.join(os.path.basename(d), name), f.read())


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    km = (OUT_KEY + OUT_SALT).hex(), (IN_KEY + IN_SALT).hex()
    good = scenario("good",
                    "    - {name: hexed, anchor: si-0/0/0, bind: st0.1, local: 20.0.0.1, remote: 30.0.0.1, prefix: 9.9.0.0/16,\n"
                    "       key: {out: '%s', in: '%s'}}\n"
                    "    - {name: auto1, anchor: si-0/0/1, bind: st0.2, local: 20.0.0.1, remote: 20.0.0.2}\n"
                    "    - {name: auto2, anchor: si-0/1/0, bind: st0.3, local: 20.0.0.2, remote: 20.0.0.1}\n" % km)
    for driver in ("c", "systemc"):
        d = os.path.join(WORK, "out_" + driver)
        run(["run", good, "--out", d, "--driver", driver, "--quiet"], 0)
        scan_dir(d)
        keys = os.path.join(d, "config.keys.yaml")
        mode = stat.S_IMODE(os.stat(keys).st_mode)
        if mode != 0o600:
            failures.append("%s has mode %04o, expected 0600" % (keys, mode))
        with open(keys, "rb") as f:
            blob = f.read()
        if km[0].encode() not in blob or km[1].encode() not in blob:
            failures.append("%s does not hold the hex keys" % keys)
        if key_material.scan(blob, key_material.forms(*SECRETS[2])):
            failures.append("%s holds an auto key (auto stays auto)" % keys)
    d1, d2 = os.path.join(WORK, "out_c"), os.path.join(WORK, "out_again")
    run(["run", os.path.join(d1, "config.resolved.yaml"), "--out", d2, "--driver", "c", "--quiet"], 0)
    scan_dir(d2)
    stats = [json.load(open(os.path.join(d, "report.json")))["stats"] for d in (d1, d2)]
    if stats[0] != stats[1]:
        failures.append("the resolved configuration does not give the same statistics")
    run(["params", "--metrics", good], 0)
    # refusals that carry a key: none may show it
    bad = [("short", "    - {name: hexed, anchor: si-0/0/0, bind: st0.1, local: 20.0.0.1, remote: 30.0.0.1, key: '%s'}\n"
            % km[0][:-2]),
           ("in_name", "    - {name: '%s', anchor: si-0/0/0, bind: st0.1, local: 20.0.0.1, remote: 30.0.0.1}\n" % km[0]),
           ("peer", "    - {name: hexed, anchor: si-0/0/0, bind: st0.1, local: 20.0.0.1, remote: 20.0.0.2, key: '%s'}\n"
            "    - {name: b, anchor: si-0/0/1, bind: st0.2, local: 20.0.0.2, remote: 20.0.0.1, key: '%s'}\n" % km),
           ("other_field", "    - {name: hexed, anchor: si-0/0/0, bind: '%s', local: 20.0.0.1, remote: 30.0.0.1}\n" % km[1])]
    for name, tunnels in bad:
        run(["run", scenario("bad_" + name, tunnels), "--quiet"], 2)
    if failures:
        print("\n".join(failures))
        return 1
    print("%d outputs scanned for %d key forms: none found" % (checked, len(NEEDLES)))
    return 0


sys.exit(main())
