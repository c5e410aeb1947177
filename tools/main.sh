#!/usr/bin/env bash
# The README's first command: install what is missing, build, run the main job.
# Main job: an IPsec scenario near the engine limit (scenarios/ipsec_engine_1518.yaml: one
# slice's engine, encrypt + decrypt of 1518 B frames above its 300 Gbit/s ceiling) with its
# summary (the engine line says where the 300 G comes from: lanes x clock / cycles, beside the
# measured figure), report, expect: block and report.html (`ipsecsim report`), then every NIST CAVP AES-GCM file Debian ships
# (IV-96 vectors) through the production OpenSSL path and the transparent reference GCM, and a
# short RTL co-simulation (scenarios/rtl_cosim.yaml on the Verilated core) with its scoreboard.
# `tools/main.sh scenarios/line_rate_100ge.yaml` runs the clear line-rate scenario instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
BUILD=${IPSECSIM_BUILD:-build}
SCENARIO=${1:-scenarios/ipsec_engine_1518.yaml}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target ipsecsim
status=0
out="out/$(basename "$SCENARIO" .yaml)"
mkdir -p out
echo "== ipsecsim run $SCENARIO --out $out =="
"$BUILD/ipsecsim" run "$SCENARIO" --out "$out" || status=$?
echo "(report files: $(ls "$out" | tr '\n' ' '))"
# The page a person reads: bottleneck in words, tables, plots (issue 15).
echo "== ipsecsim report $out =="
"$BUILD/ipsecsim" report "$out" || status=$?
V=/usr/lib/python3/dist-packages/cryptography_vectors/ciphers/AES/GCM
for engine in openssl ref; do
  echo "== ipsecsim gcm --engine $engine (NIST CAVP, 4 files) =="
  "$BUILD/ipsecsim" gcm --engine "$engine" \
    --rsp $V/gcmEncryptExtIV128.rsp --rsp $V/gcmEncryptExtIV256.rsp \
    --rsp $V/gcmDecrypt128.rsp --rsp $V/gcmDecrypt256.rsp | tail -n 1 || status=$?
done
# The Verilated GCM core inside the model (issue 17): a short co-simulation, its scoreboard line.
echo "== ipsecsim run scenarios/rtl_cosim.yaml (gcm_model: rtl) =="
"$BUILD/ipsecsim" run scenarios/rtl_cosim.yaml --driver c -q | grep -E '^(scoreboard|conservation):' || status=$?
exit $status
