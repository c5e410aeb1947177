#!/usr/bin/python3
"""Benchmark (prints figures, asserts nothing but equal results): the same 8-point MLRsearch
sweep run serial (--jobs 1), with --jobs 2 and with mpirun -np 2 in this script; prints
each way's wall seconds and speed-up against the serial run (target >= 1.8 on 2 free cores),
the balance of the workers (points and CPU seconds per job / rank, from wallclock.json: points
are dealt on request in both ways), and its CPU seconds per point (user + system of the sweep's processes, from
getrusage(RUSAGE_CHILDREN): what a point costs whatever else runs on the machine), with the
load average before and after. On a shared machine the wall figures are taken under that
load: a speed-up needs free cores, the CPU per point does not.
Usage: bench_sweep.py IPSECSIM SOURCE_ROOT"""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

BIN, ROOT = sys.argv[1:3]
ARGS = [ROOT + "/scenarios/pg_bound.yaml", "--axis", "traffic.frame=64,594,1518,IMIX_v4_1", "--axis",
        "traffic.rate=100%,90%", "--search", "mlr", "--set", "phases.warmup=20us", "--set", "phases.measure=5ms", "-q"]  # 5 ms trials: mpirun start-up (~0.4 s) amortised
POINTS = 8


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd):
    """(wall s, CPU s) of one run; None when it failed."""
    c0, t0 = children_cpu(), time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    t1, c1 = time.monotonic(), children_cpu()
    if p.returncode != 0:
        print("run failed (%s): %s" % (" ".join(cmd[:3]), p.stderr.strip()))
        return None
    return t1 - t0, c1 - c0


def main():
    work = tempfile.mkdtemp()
    try:
        load0 = open("/proc/loadavg").read().split()[0]
        ways = [("serial (--jobs 1)", [BIN, "sweep"] + ARGS + ["--jobs", "1", "--out", work + "/j1"], "j1"),
                ("--jobs 2", [BIN, "sweep"] + ARGS + ["--jobs", "2", "--out", work + "/j2"], "j2")]
        mpirun = shutil.which("mpirun")
        if mpirun and "--mpi" in subprocess.run([BIN, "sweep", "--help"], capture_output=True, text=True).stdout:
            ways.append(("mpirun -np 2", [mpirun, "--oversubscribe", "--allow-run-as-root", "-np", "2", BIN, "sweep"] + ARGS +
                         ["--mpi", "--out", work + "/mpi"], "mpi"))
        got = []
        for name, cmd, out in ways:
            r = timed(cmd)
            if r:
                got.append((name, r, out))
        load1 = open("/proc/loadavg").read().split()[0]
        if not got or got[0][2] != "j1":
            sys.exit("serial run failed: no baseline")
        base = got[0][1][0]
        print("sweep benchmark, %d MLRsearch points (pg_bound.yaml, 4 frame sizes x 2 rates), %d cores, "
              "load average (1 min) %s before, %s after:" % (POINTS, os.cpu_count() or 0, load0, load1))
        for name, (wall, cpu), _ in got:
            print("  %-18s wall %7.2f s  speed-up %5.2f  CPU %6.3f s per point" % (name, wall, base / wall, cpu / POINTS))
        for name, _, out in got:
            try:
                workers = json.load(open(work + "/%s/wallclock.json" % out)).get("workers", [])
            except (OSError, ValueError):
                workers = []
            print("    %-16s %s" % (name.split(" (")[0] + ":", ", ".join(
                "%s %d points %.2f CPU s / %.2f busy s" % (w["worker"], w["points"], w["cpu_s"], w["busy_s"])
                for w in workers) or "no balance recorded"))
        if len(got) < 3:
            print("  mpirun -np 2: not run (no mpirun, or this build has no MPI)")
        print("  (wall figures taken under the load above: with other work on the cores the speed-up is bounded by "
              "the free cores; the CPU per point is the load-independent figure)")
        ref = open(work + "/j1/results.csv", "rb").read()
        for name, _, out in got[1:]:
            if open(work + "/%s/results.csv" % out, "rb").read() != ref:
                sys.exit("results differ between serial and %s" % name)
        print("  results.csv byte-identical across the %d ways" % len(got))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
