#!/usr/bin/env bash
# The README's first command: install what is missing, build, run the main job.
# Main job today: every NIST CAVP AES-GCM file Debian ships (IV-96 vectors) through the
# production OpenSSL path and the transparent reference GCM.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
BUILD=${IPSECSIM_BUILD:-build}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target ipsecsim
V=/usr/lib/python3/dist-packages/cryptography_vectors/ciphers/AES/GCM
status=0
for engine in openssl ref; do
  echo "== ipsecsim gcm --engine $engine =="
  "$BUILD/ipsecsim" gcm --engine "$engine" \
    --rsp $V/gcmEncryptExtIV128.rsp --rsp $V/gcmEncryptExtIV256.rsp \
    --rsp $V/gcmDecrypt128.rsp --rsp $V/gcmDecrypt256.rsp || status=$?
done
exit $status
