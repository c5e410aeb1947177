#!/usr/bin/env bash
# Installs the Debian 12 packages ipsecsim needs. Idempotent; skips apt when all are present.
set -euo pipefail
pkgs=(build-essential cmake pkg-config ccache clang libclang-rt-14-dev
      libssl-dev libyaml-dev libpcap-dev libgtest-dev googletest
      libsystemc-dev verilator yosys iverilog
      python3 python3-matplotlib python3-scapy python3-cryptography-vectors
      chromium  # headless browser of the report test (issue 15)
      openmpi-bin libopenmpi-dev  # openmpi: sweep --mpi (issue 14)
      tshark)  # tshark: decrypts exported-SA captures (issue 13)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
