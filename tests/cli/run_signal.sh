#!/bin/sh
# Interrupted `run` and `sweep` (issue 10): no output temporary remains and the outputs are
# either the previous ones (signal during the simulation) or the complete new set (signal
# while the reports are written), never a mixture; a sweep's forked worker dies with it.
# Usage: run_signal.sh IPSECSIM SHIM.so SCENARIO   (SHIM: sigterm_at_rename.c)
set -u
B=$1 SHIM=$2 SC=$3
W=$(mktemp -d "${TMPDIR:-/tmp}/run_signal.XXXXXX")
trap 'rm -rf "$W"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }
temporaries() { find "$W/$1" -name '.*.tmp-*' | sort; }
REPORTS="report.json report.txt timeseries.csv latency_hist.csv config.resolved.yaml"
same_reports() { # DIR REF
  for f in $REPORTS; do cmp -s "$1/$f" "$2/$f" || no "$1/$f differs from $2/$f"; done
}

# References: a whole run and a whole two-point sweep.
"$B" run "$SC" --driver c --quiet --out "$W/ref" >/dev/null || no "reference run failed"
"$B" sweep "$SC" --sizes 64,128 --out "$W/sref" >/dev/null || no "reference sweep failed"

# 1. SIGTERM during the simulation (5 s simulated: several wall seconds, so the kill at 0.5 s
#    lands mid-run even on a fast quiet machine): the previous outputs stay as they were.
cp -r "$W/ref" "$W/d"
printf 'previous\n' > "$W/d/report.json"
cp -r "$W/d" "$W/before"
"$B" run "$SC" --driver c --quiet --set phases.measure=5s --out "$W/d" >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] || no "run killed mid-simulation: exit $rc (expected 143: SIGTERM; did it end first?)"
[ -z "$(temporaries d)" ] || no "temporaries left: $(temporaries d)"
diff -r "$W/before" "$W/d" >/dev/null || no "previous outputs changed by the interrupted run"

# 2. SIGTERM while the reports are written (at the first rename): the signal waits, the new
#    set is complete (same scenario and seed: identical to the reference), then run dies.
LD_PRELOAD=$SHIM "$B" run "$SC" --driver c --quiet --out "$W/d" >/dev/null 2>&1
rc=$?
[ $rc -eq 143 ] || no "run with SIGTERM at the first rename: exit $rc (expected 143)"
[ -z "$(temporaries d)" ] || no "temporaries left: $(temporaries d)"
same_reports "$W/d" "$W/ref"
grep -q '"wall_s"' "$W/d/wallclock.json" || no "wallclock.json not written whole"

# 3. sweep, SIGTERM at its first rename (a results file): the signal waits until that file is
#    in place, then the sweep dies; no temporary anywhere, and what was written is whole.
LD_PRELOAD=$SHIM "$B" sweep "$SC" --sizes 64,128 --out "$W/s" >/dev/null 2>&1
rc=$?
[ $rc -eq 143 ] || no "sweep with SIGTERM at the first rename: exit $rc (expected 143)"
[ -z "$(temporaries s)" ] || no "sweep temporaries left: $(temporaries s)"
for f in results.csv results.json; do
  [ ! -e "$W/s/$f" ] || cmp -s "$W/s/$f" "$W/sref/$f" || no "sweep $f written in part"
done

# 4. sweep --jobs 2, SIGTERM to the front end mid-way: it stops its workers first, so nothing
#    is written after it is gone, and its scratch directory and files are removed.
mkdir -p "$W/tmp"
TMPDIR="$W/tmp" "$B" sweep "$SC" --sizes 64,128,256 --jobs 2 --set phases.measure=5s --out "$W/s2" >/dev/null 2>&1 &
pid=$!
sleep 0.5
worker=$(ps -o pid= --ppid $pid | tr -d ' ')
[ -n "$worker" ] || no "sweep had no worker process 0.5 s in"
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] || no "sweep killed mid-way: exit $rc (expected 143)"
for w in $worker; do ! kill -0 "$w" 2>/dev/null || { no "worker $w outlived the sweep"; kill -KILL "$w"; }; done
mkdir -p "$W/s2"
[ -z "$(temporaries s2)" ] || no "sweep temporaries left: $(temporaries s2)"
[ -z "$(ls -A "$W/tmp")" ] || no "sweep scratch left in TMPDIR: $(ls -A "$W/tmp")"

[ $fail -eq 0 ] && echo "run_signal: ok"
exit $fail
