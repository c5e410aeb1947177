#!/bin/sh
# Long libFuzzer runs, one target at a time at nice 19:
#   tools/fuzz_long.sh SECONDS [TARGET...]
# TARGET defaults to every fuzz_* executable in $BUILD/tests/fuzz (BUILD defaults to build).
# Each target starts from its committed seeds (the build's NAME_corpus folder, filled by
# cmake from tests/fuzz/) copied into $FUZZ_LONG_DIR/NAME/corpus (default
# $BUILD/fuzz_long), so the committed corpora are never written. Prints per target: execs,
# exec/s, coverage (cov/ft) at start (after loading the seeds) and at the end, corpus size
# and findings (crash-/leak-/timeout-/oom- artefacts in $FUZZ_LONG_DIR/NAME/). Logs:
# $FUZZ_LONG_DIR/NAME/log. FUZZ_RUNS=N also stops each target after N executions (the
# acceptance counts: 10 million, 1 million for the loaders), whichever comes first.
# Exit 1 when any target has a finding, 2 on bad arguments.
set -u
usage() {
  echo "usage: tools/fuzz_long.sh SECONDS [TARGET...] (SECONDS: a whole number >= 1)" >&2
  exit 2
}
[ $# -ge 1 ] || usage
case "$1" in '' | *[!0-9]* | 0) usage ;; esac
secs=$1
shift
runs=${FUZZ_RUNS:--1}
case "$runs" in -1) ;; '' | *[!0-9]*) usage ;; esac
build=${BUILD:-build}
fuzzdir=$build/tests/fuzz
out=${FUZZ_LONG_DIR:-$build/fuzz_long}
if [ $# -eq 0 ]; then
  set --
  for f in "$fuzzdir"/fuzz_*; do
    [ -f "$f" ] && [ -x "$f" ] && set -- "$@" "$(basename "$f")"
  done
  [ $# -ge 1 ] || { echo "fuzz_long.sh: no fuzz targets in $fuzzdir (build them first)" >&2; exit 2; }
fi
for t in "$@"; do
  [ -x "$fuzzdir/$t" ] || { echo "fuzz_long.sh: $fuzzdir/$t: no such fuzz target" >&2; exit 2; }
done

# field NAME LINE: the number after "NAME: " in a libFuzzer status line.
field() { printf '%s\n' "$2" | sed -n "s/.* $1: \([0-9]*\).*/\1/p"; }

status=0
printf '%-20s %12s %8s %13s %13s %8s %10s %s\n' target execs exec/s "cov start" "cov end" \
  corpus bytes findings
for t in "$@"; do
  dir=$out/$t
  mkdir -p "$dir/corpus"
  if [ -d "$fuzzdir/${t}_corpus" ]; then
    find "$fuzzdir/${t}_corpus" -maxdepth 1 -type f -exec cp {} "$dir/corpus/" \;
  fi
  nice -n 19 "$fuzzdir/$t" -max_total_time="$secs" -runs="$runs" -print_final_stats=1 -rss_limit_mb=2048 \
    -artifact_prefix="$dir/" "$dir/corpus" >"$dir/log" 2>&1
  rc=$?
  init=$(grep -m1 'INITED' "$dir/log")
  done_line=$(grep ' cov: ' "$dir/log" | tail -n 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log")
  files=$(find "$dir/corpus" -maxdepth 1 -type f | wc -l)
  bytes=$(find "$dir/corpus" -maxdepth 1 -type f -exec cat {} + | wc -c)
  finds=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o \
    -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  # A sanitizer report or a deadly signal always leaves an artefact; an exit code other
  # than 0 without one (e.g. the harness cannot start) counts as a finding too.
  if [ "$finds" -eq 0 ] && [ "$rc" -ne 0 ]; then finds="rc=$rc"; fi
  [ "$finds" = 0 ] || status=1
  printf '%-20s %12s %8s %6s/%-6s %6s/%-6s %8s %10s %s\n' "$t" "${execs:-?}" "${rate:-?}" \
    "$(field cov "$init")" "$(field ft "$init")" "$(field cov "$done_line")" \
    "$(field ft "$done_line")" "$files" "$bytes" "$finds"
done
exit $status
