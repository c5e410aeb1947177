#!/usr/bin/env bash
# Install what is missing, build, and run the default (quick) test suite through ctest.
# Usage: tools/test.sh [extra ctest args]   e.g. tools/test.sh -L long
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
BUILD=${IPSECSIM_BUILD:-build}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
labels=(-L quick)
for a in "$@"; do [ "$a" = "-L" ] && labels=(); done
ctest --test-dir "$BUILD" "${labels[@]}" --output-on-failure -j"$(nproc)" "$@"
