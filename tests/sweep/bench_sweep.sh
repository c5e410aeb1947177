#!/bin/sh
# Sweep wall time: serial (--jobs 1) vs --jobs 2 vs mpirun -np 2, the same 8-point MLRsearch
# sweep in this script; prints the seconds and the speed-ups against the serial run (target
# >= 1.8 on 2 free cores). Not a pass/fail test: `ctest -L bench` or by hand.
# Usage: bench_sweep.sh IPSECSIM SOURCE_ROOT
bin=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
set -- "$src/scenarios/pg_bound.yaml" --axis traffic.frame=64,594,1518,IMIX_v4_1 --axis traffic.rate=100%,90% \
  --search mlr --set phases.warmup=20us --set phases.measure=300us -q
now() { date +%s.%N; }
t0=$(now); "$bin" sweep "$@" --jobs 1 --out "$work/j1" >/dev/null || exit 1
t1=$(now); "$bin" sweep "$@" --jobs 2 --out "$work/j2" >/dev/null || exit 1
t2=$(now)
mpi=""
if command -v mpirun >/dev/null && mpirun --oversubscribe --allow-run-as-root -np 2 "$bin" sweep "$@" --mpi --out "$work/mpi" >/dev/null 2>&1; then
  mpi=$(now)
fi
la=$(cut -d" " -f1 /proc/loadavg)
awk -v la="$la" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$mpi" 'BEGIN {
  s = b - a; j = c - b;
  printf "sweep wall time, 8 points: serial %.2f s, --jobs 2 %.2f s (speed-up %.2f)", s, j, s / j;
  if (d != "") printf ", mpirun -np 2 %.2f s (speed-up %.2f)", d - c, s / (d - c); else printf ", mpirun -np 2: not run (no MPI)";
  printf "; machine load average (1 min) %s\n", la }'
cmp -s "$work/j1/results.csv" "$work/j2/results.csv" || { echo "results differ between --jobs 1 and --jobs 2"; exit 1; }
