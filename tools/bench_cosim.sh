#!/bin/sh
# Benchmark of the RTL co-simulation (issue 17; figures, not a test): wall and CPU time of
# scenarios/rtl_cosim.yaml on the Verilated core vs the C core (same scenario, --driver c),
# and the RTL's cycles per wall second inside the full model (clocked core cycles from
# wallclock.json) beside the bare harness's 2-lane rate (rtl_bench, as tools/bench_rtl.sh).
# Usage: tools/bench_cosim.sh [BUILD_DIR] [MEASURE]   (MEASURE: phases.measure, default 200us)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
MEASURE=${2:-200us}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for m in c rtl; do
  /usr/bin/time -f "%e %U" -o "$TMP/$m.time" "$BUILD/ipsecsim" run "$ROOT/scenarios/rtl_cosim.yaml" --driver c -q \
    --gcm-model "$m" --set phases.measure="$MEASURE" --out "$TMP/$m" >/dev/null
done
read -r CW CU < "$TMP/c.time"
read -r RW RU < "$TMP/rtl.time"
RC=$(sed 's/.*"rtl_cycles": \([0-9]*\).*/\1/' "$TMP/rtl/wallclock.json")
"$BUILD/tests/rtl/rtl_bench" --packets 5000 > "$TMP/h.txt"
HCPS=$(awk '/verilator 2 lane/{for(i=1;i<=NF;i++) if($i=="cycles/s") {print $(i-1); exit}}' "$TMP/h.txt")
awk -v cw="$CW" -v cu="$CU" -v rw="$RW" -v ru="$RU" -v rc="$RC" -v h="$HCPS" -v m="$MEASURE" 'BEGIN {
  printf "rtl_cosim.yaml, measure %s, --driver c (wall under load; user CPU beside it)\n", m;
  printf "  C core   : %.2f s wall, %.2f s user\n", cw, cu;
  printf "  RTL core : %.2f s wall, %.2f s user (%.1f x the C run wall, %.1f x user)\n", rw, ru, rw / cw, ru / cu;
  printf "  RTL cycles clocked inside the model: %d = %.3g cycles per wall second (%.3g per user second)\n", rc, rc / rw, rc / ru;
  printf "  bare harness, 2 lanes (rtl_bench): %s cycles/s wall\n", h;
  printf "  in-model / harness: %.2f (target >= 0.5)\n", (rc / rw) / h }'
