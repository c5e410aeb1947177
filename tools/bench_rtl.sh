#!/bin/sh
# Benchmark of the Verilog GCM core (figures, not a test): Verilator cycles per wall second of
# the 1-, 2- and 4-lane builds (rtl_bench), then the same RTL under Icarus Verilog on the same
# stimulus (first packets of the 1-lane run), checked by output checksum, and the speed ratio.
# Usage: tools/bench_rtl.sh [BUILD_DIR] [PACKETS] [ICARUS_PACKETS]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
PACKETS=${2:-20000}
IPACKETS=${3:-30}
RTL=$ROOT/ipsec_engine/rtl
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$BUILD/tests/rtl/rtl_bench" --packets "$PACKETS" --stim "$TMP/stim.txt" --stim-packets "$IPACKETS" | tee "$TMP/v.txt"
VCPS=$(awk '/verilator 1 lane/{for(i=1;i<=NF;i++) if($i=="cycles/s") {print $(i-1); exit}}' "$TMP/v.txt")
EXPECT=$(awk '/checksum/{print $NF}' "$TMP/v.txt")
FILES=$(grep -v '^#' "$RTL/gcm_rtl_files.f" | sed "s|^|$RTL/|")
# shellcheck disable=SC2086
iverilog -g2012 -o "$TMP/tb" "$ROOT/tests/rtl/tb_gcm_bench.v" $FILES
T0=$(date +%s.%N)
vvp -n "$TMP/tb" +stim="$TMP/stim.txt" | tee "$TMP/i.txt"
T1=$(date +%s.%N)
ICYC=$(awk '/icarus:/{print $3}' "$TMP/i.txt")
GOT=$(awk '/icarus:/{print $NF}' "$TMP/i.txt")
awk -v c="$ICYC" -v t0="$T0" -v t1="$T1" -v v="$VCPS" 'BEGIN {
  s = t1 - t0; ic = c / s;
  printf "icarus 1 lane    : %d cycles in %.2f s = %.1f cycles/s\n", c, s, ic;
  printf "verilator / icarus (1 lane): %.0f x\n", v / ic }'
if [ "$GOT" = "$EXPECT" ]; then echo "icarus checksum matches OpenSSL: $GOT"; else echo "icarus checksum MISMATCH: got $GOT expected $EXPECT"; exit 1; fi
