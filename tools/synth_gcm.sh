#!/bin/sh
# Generic Yosys synthesis of the Verilog AES-GCM core (ipsec_engine/rtl): prints the cell
# count of each module (yosys `synth` + `stat`: internal gate library, no technology mapping;
# key-store arrays become flip-flops). Usage: tools/synth_gcm.sh [LANES] [KEY_SLOTS] [LOGFILE]
# Defaults: 1 lane, 8 key slots. Takes a few minutes per lane on this machine.
set -eu
LANES=${1:-1}
SLOTS=${2:-8}
LOG=${3:-/tmp/synth_gcm_${LANES}lane.log}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RTL=$ROOT/ipsec_engine/rtl
SLOT_W=1
while [ $((1 << SLOT_W)) -lt "$SLOTS" ]; do SLOT_W=$((SLOT_W + 1)); done
yosys -q -l "$LOG" -p "
  read_verilog $RTL/gcm_sbox16.v $RTL/gcm_aes_round.v $RTL/gcm_gf_mult.v $RTL/gcm_lane.v $RTL/gcm_core.v;
  chparam -set LANES $LANES -set SLOTS $SLOTS -set SLOT_W $SLOT_W gcm_core;
  synth -top gcm_core" >/dev/null
echo "yosys generic synthesis: gcm_core LANES=$LANES SLOTS=$SLOTS (log: $LOG)"
# synth ends with `stat`: cells and flip-flops of each module (one instance), then the hierarchy.
awk 'BEGIN{done=0}
     /^=== design hierarchy ===/{hier=1; next}
     hier && /Number of cells:/{total=$4; hier=0; done=1}
     hier && NF == 2 && $1 !~ /^\$_/ && !(($1) in hs) {hs[$1]=1; n=$1; sub(/^.*\\/, "", n); h=h sprintf("  %-14s x%s per parent\n", n, $2)}
     done {next}
     !hier && /^=== /{mod=$2; sub(/^.*\\/, "", mod); m[++k]=mod}
     !hier && /Number of cells:/{cells[mod]=$4}
     !hier && /\$_S?DFF/{ff[mod]+=$2}
     END {for (i = 1; i <= k; i++) printf "  %-14s %8d cells %7d flip-flops (one instance)\n", m[i], cells[m[i]], ff[m[i]];
          printf "hierarchy:\n%s", h; printf "whole design: %d cells\n", total}' "$LOG"
