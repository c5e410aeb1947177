#!/bin/sh
# Benchmark (prints figures, asserts nothing): simulated packets per wall second and
# simulated time / wall time for 16 x 100GE at 64 B and 1518 B line rate (one MX304 LMIC,
# 2.38 Gpps / 130 Mpps simulated), one core, median of REPS runs, SystemC driver and the
# plain C driver as the in-run baseline. Runs are long enough (2 ms / 30 ms simulated,
# about 4.8 M / 3.9 M packets, a second or more of wall time each) for stable medians.
# When valgrind is installed (and BENCH_CALLGRIND is not 0) it also prints instructions per
# simulated packet inside the simulation loop (callgrind, collection only inside
# asic_sim_run_c / asic_sc_run: no start-up, no report writing), a figure that does not
# depend on the machine's load. The last line says whether issue 6's target, 3 M simulated
# packets per wall second with both drivers, is met at each frame size.
# usage: bench_asic.sh IPSECSIM SCENARIO_DIR [REPS]
set -e
bin=$1; dir=$2; reps=${3:-5}
out=$(mktemp -d)
pin=""
command -v taskset >/dev/null && pin="taskset -c 1"
cg=0
[ "${BENCH_CALLGRIND:-1}" != 0 ] && command -v valgrind >/dev/null && cg=1
for f in 64 1518; do
  meas=2ms; [ $f = 1518 ] && meas=30ms
  for drv in systemc c; do
    for i in $(seq 1 $reps); do
      $pin "$bin" run "$dir/bench_$f.yaml" -q --driver $drv --set phases.measure=$meas --out "$out/$f-$drv-$i" >/dev/null
    done
    ir=""
    if [ $cg = 1 ]; then
      cmeas=100us; [ $f = 1518 ] && cmeas=1ms
      valgrind --tool=callgrind --callgrind-out-file="$out/cg-$f-$drv" --toggle-collect=asic_sim_run_c \
        --toggle-collect=asic_sc_run "$bin" run "$dir/bench_$f.yaml" -q --driver $drv --set phases.measure=$cmeas \
        --out "$out/cg-$f-$drv-run" >/dev/null 2>"$out/cg-$f-$drv.log" || true
      ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out/cg-$f-$drv" 2>/dev/null)
    fi
    /usr/bin/python3 - "$out" $f $drv $reps "$ir" <<'PY'
import json, statistics, sys
out, f, drv, reps, ir = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
w = [json.load(open(f"{out}/{f}-{drv}-{i}/wallclock.json")) for i in range(1, reps + 1)]
pps = statistics.median(x["sim_packets_per_wall_s"] for x in w)
ratio = statistics.median(x["sim_over_wall"] for x in w)
wall = statistics.median(x["wall_s"] for x in w)
print(f"{f:>5} B line rate, {drv:7s}: {pps/1e6:6.2f} M simulated packets per wall second "
      f"(min {min(x['sim_packets_per_wall_s'] for x in w)/1e6:.2f}, max {max(x['sim_packets_per_wall_s'] for x in w)/1e6:.2f}), "
      f"simulated/wall time {ratio:.2e} ({1/ratio:,.0f} wall s per simulated s), "
      f"{w[0]['packets']} packets, {w[0]['events']} events, {w[0]['kernel_activations']} kernel activations, "
      f"{wall:.2f} s wall per run, median of {reps}")
if ir:
    c = json.load(open(f"{out}/cg-{f}-{drv}-run/wallclock.json"))
    print(f"{f:>5} B line rate, {drv:7s}: {int(ir) / c['packets']:,.0f} instructions per simulated packet "
          f"(callgrind, simulation loop only, {c['packets']} packets)")
with open(f"{out}/median-{f}-{drv}", "w") as fh:
    fh.write(str(pps))
PY
  done
done
/usr/bin/python3 - "$out" <<'PY'
import sys
out = sys.argv[1]
parts = []
for f in ("64", "1518"):
    m = {d: float(open(f"{out}/median-{f}-{d}").read()) for d in ("systemc", "c")}
    ok = all(v >= 3e6 for v in m.values())
    parts.append(f"{f} B {'MET' if ok else 'NOT met'} (SystemC {m['systemc']/1e6:.2f}, C {m['c']/1e6:.2f} M/s)")
print("target 3 M simulated packets per wall second (median, both drivers): " + "; ".join(parts))
PY
rm -rf "$out"
