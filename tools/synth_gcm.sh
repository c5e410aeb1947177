#!/bin/sh
# Generic Yosys synthesis of the Verilog AES-GCM core (ipsec_engine/rtl, files from
# gcm_rtl_files.f): prints the cell count of each module (yosys `synth` + `stat`: internal gate
# library, no technology mapping; key-store arrays become flip-flops).
# Usage: tools/synth_gcm.sh [LANES] [KEY_SLOTS] [LOGFILE] [COMPOSITE_SBOX] [FIFO_DEPTH] [LTP]
# Defaults: 1 lane, 8 key slots, table S-boxes, output FIFO of 16 beats (the 1024-beat FIFO of
# the contract is an SRAM macro, 1024 x 136 bits per lane, not flip-flops), LTP=0. LTP=1 also
# maps with `abc -D 1000` (delay-driven) on the flattened design and prints the longest
# topological path in cells (`ltp -noff`). Takes a few minutes per lane on this machine (the
# flattened abc runs took > 45 min at load; tools/synth_gcm_modules.sh keeps the hierarchy).
set -eu
LANES=${1:-1}
SLOTS=${2:-8}
LOG=${3:-/tmp/synth_gcm_${LANES}lane.log}
COMPOSITE=${4:-0}
FIFO=${5:-16}
LTP=${6:-0}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RTL=$ROOT/ipsec_engine/rtl
FILES=$(grep -v '^#' "$RTL/gcm_rtl_files.f" | sed "s|^|$RTL/|" | tr '\n' ' ')
SLOT_W=1
while [ $((1 << SLOT_W)) -lt "$SLOTS" ]; do SLOT_W=$((SLOT_W + 1)); done
PARAMS="-set LANES $LANES -set SLOTS $SLOTS -set SLOT_W $SLOT_W -set COMPOSITE_SBOX $COMPOSITE -set OUT_FIFO_DEPTH $FIFO"
if [ "$LTP" = 1 ]; then
  yosys -q -l "$LOG" -p "read_verilog $FILES; chparam $PARAMS gcm_core;
    synth -flatten -top gcm_core; abc -D 1000; opt_clean; tee -o $LOG.stat stat; tee -o $LOG.ltp ltp -noff" >/dev/null
  echo "yosys flattened, abc -D 1000: gcm_core LANES=$LANES SLOTS=$SLOTS COMPOSITE_SBOX=$COMPOSITE OUT_FIFO_DEPTH=$FIFO"
  awk '/Number of cells:/{print "  cells: " $4} /\$_S?DFF/{ff+=$2} END{print "  flip-flops: " ff}' "$LOG.stat"
  grep -m1 'Longest topological path' "$LOG.ltp" | sed 's/^/  /'
  exit 0
fi
yosys -q -l "$LOG" -p "
  read_verilog $FILES;
  chparam $PARAMS gcm_core;
  synth -top gcm_core" >/dev/null
echo "yosys generic synthesis: gcm_core LANES=$LANES SLOTS=$SLOTS COMPOSITE_SBOX=$COMPOSITE OUT_FIFO_DEPTH=$FIFO (log: $LOG)"
# synth ends with `stat`: cells and flip-flops of each module (one instance), then the hierarchy.
awk 'BEGIN{done=0}
     /^=== design hierarchy ===/{hier=1; next}
     hier && /Number of cells:/{total=$4; hier=0; done=1}
     hier && NF == 2 && $1 !~ /^\$_/ && !(($1) in hs) {hs[$1]=1; n=$1; if (n ~ /^\$paramod/) {split(n, parts, "\\"); n=parts[2]} else sub(/^.*\\/, "", n); h=h sprintf("  %-14s x%s per parent\n", n, $2)}
     done {next}
     !hier && /^=== /{mod=$2; if (mod ~ /^\$paramod/) {split(mod, parts, "\\"); mod=parts[2]} else sub(/^.*\\/, "", mod); m[++k]=mod}
     !hier && /Number of cells:/{cells[mod]=$4}
     !hier && /\$_S?DFF/{ff[mod]+=$2}
     END {for (i = 1; i <= k; i++) printf "  %-14s %8d cells %7d flip-flops (one instance)\n", m[i], cells[m[i]], ff[m[i]];
          printf "hierarchy:\n%s", h; printf "whole design: %d cells\n", total}' "$LOG"
