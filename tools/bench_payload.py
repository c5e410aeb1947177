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
     (engine.sa_cache_entries 4096), payload real: flat within 10 %. The cost of a packet is
     the process CPU of the simulation loop (wallclock.json cpu_s, CLOCK_PROCESS_CPUTIME_ID
     around the loop only: start-up, building 2000 tunnels and registering 8000 SAs'
     counters, and the report are per tunnel or per metric, not per packet) over the packets
     sent, measure phase 3000 us (85152 packets at any tunnel count); BENCH_REPS repetitions
     (default 5) interleave the tunnel counts, the figure is the median.
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


def run(exe, scen, sets, measure=None):
    out = tempfile.mkdtemp(prefix="bench_payload_")
    t0, _ = child_cpu()
    cmd = [exe, "run", scen, "-q", "--driver", "c", "--out", out]
    for s in sets + (["phases.measure=" + measure] if measure else []):
        cmd += ["--set", s]
    rc = subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode
    if rc:
        sys.exit("bench_payload: %s exited %d" % (" ".join(cmd), rc))
    t1, rss = child_cpu()
    with open(os.path.join(out, "wallclock.json")) as f:
        wc = json.load(f)
    # CPU of the whole run (start-up included) and the simulation loop's own wall time, and
    # (measure given) the loop's own CPU
    return t1 - t0, wc["packets"], wc["cpu_s"] if measure else wc["wall_s"]


def openssl_op_s(size):
    # "Doing AES-256-GCM for 3s on 496 size blocks: N AES-256-GCM's in T s" (T: CPU seconds)
    r = subprocess.run(["openssl", "speed", "-evp", "aes-256-gcm", "-bytes", str(size), "-seconds", "3"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    m = re.search(r"(\d+) AES-256-GCM's in ([\d.]+)s", r)
    return float(m.group(2)) / float(m.group(1))


def tunnels(n):
    return ["r1.ipsec.tunnels.t.count=%d" % n, "r2.ipsec.tunnels.t.count=%d" % n, "traffic.flows=%d" % n,
            "engine.sa_cache_entries=4096"]


def main():
    exe, sdir = sys.argv[1], sys.argv[2]
    with open(os.path.join(sdir, "ipsec_sa_cache_2000.yaml")) as f:
        text = f.read()
    # its expect: names tunnel t-1999: a copy without it runs at fewer tunnels too
    scen = os.path.join(tempfile.mkdtemp(prefix="bench_payload_"), "ipsec_sa_cache_n.yaml")
    with open(scen, "w") as f:
        f.write(text[:text.index("\nexpect:")] + "\n")
    op = openssl_op_s(GCM_BYTES)
    print("bare OpenSSL AES-256-GCM, %d B: %.1f ns per operation (openssl speed, under load)" % (GCM_BYTES, op * 1e9))
    # 1. real vs none + OpenSSL
    for n in (100, 2000):
        cr, pr, wr = run(exe, scen, tunnels(n) + ["payload=real"])
        cn, pn, wn = run(exe, scen, tunnels(n) + ["payload=none"])
        for label, real, none in (("CPU of the run", cr / pr, cn / pn), ("wall of the loop", wr / pr, wn / pn)):
            ref = none + 2 * op
            print("%4d tunnels, %s: payload real %.0f ns/pkt, none %.0f ns/pkt, none + OpenSSL (2 ops) %.0f ns/pkt: "
                  "ratio %.2fx (target <= 1.5x: %s; under load)"
                  % (n, label, real * 1e9, none * 1e9, ref * 1e9, real / ref, "MET" if real / ref <= 1.5 else "NOT met"))
    # 2. peak RSS (a fresh child: ru_maxrss is the largest child so far, so run it alone)
    r = subprocess.run([sys.executable, "-c",
                        "import resource,subprocess,sys,tempfile;"
                        "subprocess.run([sys.argv[1],'run',sys.argv[2],'-q','--driver','c','--out',tempfile.mkdtemp()],"
                        "stdout=subprocess.DEVNULL);"
                        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)", exe, scen],
                       stdout=subprocess.PIPE, text=True)
    mib = int(r.stdout.strip()) / 1024.0
    print("ipsec_sa_cache_2000 payload real: peak RSS %.1f MiB (target <= 64 MiB: %s)" % (mib, "MET" if mib <= 64 else "NOT met"))
    # 3. flat cost per packet: the loop's CPU per packet sent
    reps = int(os.environ.get("BENCH_REPS", "5"))
    per = {1: [], 100: [], 2000: []}
    for _ in range(reps):
        for n in per:
            _, p, cpu = run(exe, scen, tunnels(n) + ["payload=real"], "3000us")
            per[n].append(cpu / p)
    costs = {}
    for n, v in per.items():
        v.sort()
        costs[n] = v[len(v) // 2]
        print("%4d tunnels (cache 4096 SAs): %.0f ns CPU per packet (median of %d, range %.0f..%.0f; payload real, "
              "--driver c, under load)" % (n, costs[n] * 1e9, len(v), v[0] * 1e9, v[-1] * 1e9))
    spread = max(costs.values()) / min(costs.values()) - 1
    print("spread of the cost per packet 1..2000 tunnels: %.1f %% (max/min - 1 of the medians; target <= 10 %%: %s)"
          % (spread * 100, "MET" if spread <= 0.10 else "NOT met"))


if __name__ == "__main__":
    main()
