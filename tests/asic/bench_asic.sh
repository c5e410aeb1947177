#!/bin/sh
# Benchmark (prints figures, asserts nothing): simulated packets per wall second and
# simulated time / wall time for 16 x 100GE at 64 B and 1518 B line rate (one MX304 LMIC,
# 2.38 Gpps / 130 Mpps simulated), one core, median of REPS runs, SystemC driver and the
# plain C driver as the in-run baseline.
# usage: bench_asic.sh IPSECSIM SCENARIO_DIR [REPS]
set -e
bin=$1; dir=$2; reps=${3:-5}
out=$(mktemp -d)
pin=""
command -v taskset >/dev/null && pin="taskset -c 1"
for f in 64 1518; do
  meas=400us; [ $f = 1518 ] && meas=5ms
  for drv in systemc c; do
    for i in $(seq 1 $reps); do
      $pin "$bin" run "$dir/bench_$f.yaml" -q --driver $drv --set phases.measure=$meas --out "$out/$f-$drv-$i" >/dev/null
    done
    /usr/bin/python3 - "$out" $f $drv $reps <<'PY'
import json, statistics, sys
out, f, drv, reps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
w = [json.load(open(f"{out}/{f}-{drv}-{i}/wallclock.json")) for i in range(1, reps + 1)]
pps = statistics.median(x["sim_packets_per_wall_s"] for x in w)
ratio = statistics.median(x["sim_over_wall"] for x in w)
print(f"{f:>5} B line rate, {drv:7s}: {pps/1e6:6.2f} M simulated packets per wall second, "
      f"simulated/wall time {ratio:.2e} ({1/ratio:,.0f} wall s per simulated s), "
      f"{w[0]['packets']} packets, {w[0]['kernel_activations']} kernel activations, median of {reps}")
PY
  done
done
rm -rf "$out"
