#!/bin/sh
# Checks that a change kept every shipped scenario's report byte-identical: runs each
# scenarios/*.yaml with a baseline binary and a new one, both drivers (C and SystemC), and
# compares report.json (and the exit status) byte for byte. A scenario for which neither
# binary writes a report is listed and skipped. Exit 0 when all match, 1 otherwise.
# usage: tools/check_reports_same.sh BASE_IPSECSIM NEW_IPSECSIM [SCENARIO...]
#   (default scenarios: every scenarios/*.yaml; the sweep files run their base scenario)
set -u
export IPSECSIM_MAX_INPUT=${IPSECSIM_MAX_INPUT:-1GiB} # large scenarios read their report back
base=$1; new=$2; shift 2
cd "$(dirname "$0")/.."
[ $# -eq 0 ] && set -- scenarios/*.yaml
out=$(mktemp -d)
bad=0
for f in "$@"; do
  n=$(basename "$f" .yaml)
  for drv in c systemc; do
    "$base" run "$f" -q --driver $drv --out "$out/b-$n-$drv" >/dev/null 2>"$out/b-$n-$drv.err"; rb=$?
    "$new" run "$f" -q --driver $drv --out "$out/n-$n-$drv" >/dev/null 2>"$out/n-$n-$drv.err"; rn=$?
    if [ ! -e "$out/b-$n-$drv/report.json" ] && [ ! -e "$out/n-$n-$drv/report.json" ]; then
      echo "skip  $n $drv (no report: not a run scenario)"; continue
    fi
    if [ $rb != $rn ] || ! cmp -s "$out/b-$n-$drv/report.json" "$out/n-$n-$drv/report.json"; then
      echo "DIFF  $n $drv (exit $rb vs $rn)"; bad=1
    else
      echo "same  $n $drv"
    fi
  done
done
rm -rf "$out"
exit $bad
