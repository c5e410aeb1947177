#!/usr/bin/env python3
"""Benchmark of payload real (issue 13; prints, asserts nothing). CPU time of the finished
`ipsecsim run --driver c` children (getrusage RUSAGE_CHILDREN: user + system), so a loaded
machine inflates the figures less than wall time would; still label them "under load".
  1. payload real vs (payload none + bare OpenSSL AES-GCM on the same packets), target <= 1.5x:
     ipsec_sa_cache_2000 at N tunnels; OpenSSL's share = the engines' GCM operations (one
     encrypt + one decrypt per packet) x the time per operation `openssl speed -evp` measures
     at the packets' ESP payload size;
  2. peak RSS of ipsec_sa_cache_2000 (target <= 64 MiB), payload real;
  3. cost per packet at 1, 100, 2000 tunnels with an SA cache holding them all
     (engine.sa_cache_entries 4096), payload real: flat within 10 %.
Usage: tools/bench_payload.py build/ipsecsim scenarios"""
import json
import os
import re
import resource
import subprocess
import sys
import tempfile

FRAME = 512  # the scenario's frames
GCM_BYTES = FRAME - 18 + 2  # ESP plaintext: the inner IP packet + pad length + next header


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime, r.ru_maxrss


def run(exe, scen, sets):
    out = tempfile.mkdtemp(prefix="bench_payload_")
    t0, _ = child_cpu()
    cmd = [exe, "run", scen, "-q", "--driver", "c", "--out", out]
    for s in sets:
        cmd += ["--set", s]
    rc = subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode
    t1, rss = child_cpu()
    with open(os.path.join(out, "report.json")) as f:
        stats = json.load(f)["stats"]
    sent = sum(f["tx_pkts"]["value"] for f in stats["flow"].values())
    return t1 - t0, sent, rc


def openssl_op_s(size):
    r = subprocess.run(["openssl", "speed", "-evp", "aes-256-gcm", "-bytes", str(size), "-seconds", "2"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    m = re.search(r"Doing AES-256-GCM ops for 2s on %d size blocks: (\d+) AES-256-GCM ops in ([\d.]+)s" % size, r)
    if not m:
        m = re.search(r"(\d+) [\w-]+ ops in ([\d.]+)s", r)
    return float(m.group(2)) / float(m.group(1))


def tunnels(n):
    return ["r1.ipsec.tunnels.t.count=%d" % n, "r2.ipsec.tunnels.t.count=%d" % n, "traffic.flows=%d" % n,
            "engine.sa_cache_entries=4096"]


def main():
    exe, sdir = sys.argv[1], sys.argv[2]
    scen = os.path.join(sdir, "ipsec_sa_cache_2000.yaml")
    op = openssl_op_s(GCM_BYTES)
    print("bare OpenSSL AES-256-GCM, %d B: %.1f ns per operation (openssl speed, under load)" % (GCM_BYTES, op * 1e9))
    # 1. real vs none + OpenSSL
    for n in (100, 2000):
        cr, pr, _ = run(exe, scen, tunnels(n) + ["payload=real"])
        cn, pn, _ = run(exe, scen, tunnels(n) + ["payload=none"])
        real, none = cr / pr, cn / pn
        ref = none + 2 * op
        print("%4d tunnels: payload real %.0f ns/pkt, none %.0f ns/pkt, none + OpenSSL (2 ops) %.0f ns/pkt: "
              "ratio %.2fx (target <= 1.5x: %s; CPU time, under load)"
              % (n, real * 1e9, none * 1e9, ref * 1e9, real / ref, "MET" if real / ref <= 1.5 else "NOT met"))
    # 2. peak RSS (a fresh child: ru_maxrss is the largest child so far, so run it alone)
    r = subprocess.run([sys.executable, "-c",
                        "import resource,subprocess,sys,tempfile;"
                        "subprocess.run([sys.argv[1],'run',sys.argv[2],'-q','--out',tempfile.mkdtemp()],"
                        "stdout=subprocess.DEVNULL);"
                        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)", exe, scen],
                       stdout=subprocess.PIPE, text=True)
    mib = int(r.stdout.strip()) / 1024.0
    print("ipsec_sa_cache_2000 payload real: peak RSS %.1f MiB (target <= 64 MiB: %s)" % (mib, "MET" if mib <= 64 else "NOT met"))
    # 3. flat cost per packet
    costs = {}
    for n in (1, 100, 2000):
        c, p, _ = run(exe, scen, tunnels(n) + ["payload=real"])
        costs[n] = c / p
        print("%4d tunnels (cache 4096 SAs): %.0f ns CPU per packet (payload real, under load)" % (n, c / p * 1e9))
    spread = max(costs.values()) / min(costs.values()) - 1
    print("spread 1..2000 tunnels: %.1f %% (target <= 10 %%: %s)" % (spread * 100, "MET" if spread <= 0.10 else "NOT met"))


if __name__ == "__main__":
    main()
