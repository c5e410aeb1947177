#!/bin/sh
# Synthesis figures of the Verilog GCM core in reasonable time (issue 12): one Yosys run with
# the hierarchy KEPT, so every distinct module (with its parameters) is mapped once and its
# instances are counted (the 14 AES rounds of a lane, the 16 per-SA reorder contexts of
# gcm_sched, share one mapping each), instead of the flattened run that spent > 45 min in abc.
#   synth -noabc (generic: proc, opt, memory_map, techmap) then `abc -fast -D 1000`
#   (delay-driven) per module; `stat` = cells and flip-flops of the whole hierarchy;
#   then the mapped netlist is flattened and `ltp -noff` gives the longest combinational path
#   in cells across module boundaries (abc did not optimize across them: an upper bound of
#   what a flattened abc -D run would give).
# Usage: tools/synth_gcm_modules.sh [LANES] [OUTDIR] [RTL_DIR] [FIFO_DEPTH] [COMPOSITE_SBOX]
# Defaults: 1 lane, /tmp/synth_gcm_modules, this tree's ipsec_engine/rtl, output FIFO of 16 beats
# (the contract's 1024-beat FIFO is an SRAM macro), table S-boxes. 8 key slots, 16 SAs.
# Prints: cells, flip-flops, longest path, and wall/user seconds of the run.
set -eu
LANES=${1:-1}
OUT=${2:-/tmp/synth_gcm_modules}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RTL=${3:-$ROOT/ipsec_engine/rtl}
FIFO=${4:-16}
COMPOSITE=${5:-0}
mkdir -p "$OUT"
FILES=$(grep -v '^#' "$RTL/gcm_rtl_files.f" | sed "s|^|$RTL/|" | tr '\n' ' ')
PARAMS="-set LANES $LANES -set COMPOSITE_SBOX $COMPOSITE -set OUT_FIFO_DEPTH $FIFO"
LOG=$OUT/synth.log
T0=$(date +%s)
/usr/bin/time -f '%e %U' -o "$OUT/time.txt" yosys -q -t -l "$LOG" -p "
  read_verilog $FILES; chparam $PARAMS gcm_core;
  synth -top gcm_core -noabc; abc -fast -D 1000; opt -fast; opt_clean;
  tee -o $OUT/stat.txt stat;
  flatten; opt_clean; tee -o $OUT/ltp.txt ltp -noff" >/dev/null
echo "yosys, hierarchy kept, abc -fast -D 1000 per module: gcm_core LANES=$LANES COMPOSITE_SBOX=$COMPOSITE OUT_FIFO_DEPTH=$FIFO"
# the last `Number of cells` / DFF lines of stat are the whole design (design hierarchy section)
# (yosys -t prefixes every line with a [seconds] time stamp: stripped first)
sed 's/^\[[0-9.]*\] *//' "$OUT/stat.txt" | awk '/^=== design hierarchy ===/{h=1}
     h && /Number of cells:/{c=$4} h && $1 ~ /^\$_S?DFF/{ff+=$2}
     END{print "  cells: " c; print "  flip-flops: " ff}'
sed 's/^\[[0-9.]*\] *//' "$OUT/ltp.txt" | grep -m1 'Longest topological path' | sed 's/^/  /'
awk '{printf "  yosys: %.0f s wall, %.0f s user\n", $1, $2}' "$OUT/time.txt"
echo "  (started $(date -u -d @"$T0" +%H:%M) UTC; log: $LOG)"
