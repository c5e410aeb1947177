#!/bin/sh
# bench_esp_cli.sh: `ipsecsim esp encrypt` on a pcap of 1500-byte inner IPv4 packets (Ethernet
# link, one AES-256-GCM SA) against its floor, all measured in this one script (issue 10,
# defect 7): copying the same file (cp) plus bare AES-256-GCM over the same packets
# (`openssl speed -aead`: per packet a fresh nonce, 8 bytes of AAD, the text, the tag).
# Times are CPU time (user + system) of each command, so machine load is not charged to
# whichever command happened to run; each is run REPS times and the median kept.
# Usage: tools/bench_esp_cli.sh [IPSECSIM (default build/ipsecsim)] [PACKETS (default 40000)] [REPS (default 5)]
# Prints one table and `esp encrypt 1500 B: R x floor (target <= 1.50): met|NOT met`.
set -eu
BIN=${1:-build/ipsecsim}
N=${2:-40000}
REPS=${3:-5}
PY=/usr/bin/python3
case $N in ''|*[!0-9]*) echo "bench_esp_cli.sh: PACKETS '$N' is not a number (allowed: 1000..10000000)" >&2; exit 2;; esac
case $REPS in ''|*[!0-9]*) echo "bench_esp_cli.sh: REPS '$REPS' is not a number (allowed: 1..51)" >&2; exit 2;; esac
if [ "$N" -lt 1000 ] || [ "$N" -gt 10000000 ]; then echo "bench_esp_cli.sh: PACKETS $N out of range (allowed: 1000..10000000)" >&2; exit 2; fi
if [ "$REPS" -lt 1 ] || [ "$REPS" -gt 51 ]; then echo "bench_esp_cli.sh: REPS $REPS out of range (allowed: 1..51)" >&2; exit 2; fi
[ -x "$BIN" ] || { echo "bench_esp_cli.sh: $BIN: not an executable" >&2; exit 2; }
command -v openssl >/dev/null || { echo "bench_esp_cli.sh: openssl not found" >&2; exit 2; }

DIR=$(mktemp -d "${TMPDIR:-/tmp}/bench_esp_cli.XXXXXX")
trap 'rm -rf "$DIR"' EXIT INT TERM

cat > "$DIR/sa.yaml" <<'EOF'
sas:
  - name: bench
    direction: outbound
    spi: 0x1001
    algorithm: aes-256-gcm
    key: 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fcafebabe
    local: 192.0.2.1
    remote: 198.51.100.1
    lifetime_seconds: 0
EOF

# N Ethernet frames carrying a 1500-byte IPv4/UDP packet each, 1 us apart.
$PY - "$DIR/in.pcap" "$N" <<'EOF'
import struct, sys
path, n = sys.argv[1], int(sys.argv[2])
ip = bytearray(1500)
ip[0:20] = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 1500, 0, 0, 64, 17, 0,
                       bytes([10, 0, 0, 1]), bytes([10, 1, 0, 1]))
s = sum(struct.unpack('!10H', bytes(ip[0:20])))
while s >> 16: s = (s & 0xffff) + (s >> 16)
ip[10:12] = struct.pack('!H', ~s & 0xffff)
ip[20:28] = struct.pack('!HHHH', 1000, 2000, 1480, 0)
for i in range(28, 1500): ip[i] = (i * 13) & 0xff
frame = bytes(6) + bytes([2, 0, 0, 0, 0, 1]) + b'\x08\x00' + bytes(ip)
with open(path, 'wb', buffering=1 << 20) as f:
    f.write(struct.pack('<IHHiIII', 0xa1b23c4d, 2, 4, 0, 0, 262144, 1))
    rec = struct.pack('<II', len(frame), len(frame))
    for i in range(n):
        f.write(struct.pack('<II', 1700000000 + i // 1000000, (i % 1000000) * 1000) + rec + frame)
EOF

# CPU seconds (user + system) of one command: the rusage of the child alone.
cpu() {
  $PY -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.6f" % (r.ru_utime + r.ru_stime))' "$@"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: > "$DIR/t_cp"; : > "$DIR/t_esp"
i=0
while [ $i -lt "$REPS" ]; do
  cpu cp "$DIR/in.pcap" "$DIR/copy.pcap" >> "$DIR/t_cp"
  cpu "$BIN" esp encrypt --sa "$DIR/sa.yaml" --in "$DIR/in.pcap" --out "$DIR/out.pcap" >> "$DIR/t_esp"
  rm -f "$DIR/copy.pcap" "$DIR/out.pcap"
  i=$((i + 1))
done
# One check that the transform ran: every packet encrypted.
"$BIN" esp encrypt --sa "$DIR/sa.yaml" --in "$DIR/in.pcap" --out "$DIR/out.pcap" > "$DIR/stats.txt"
grep -q "Encrypted packets: *$N\$" "$DIR/stats.txt" || { echo "bench_esp_cli.sh: not every packet was encrypted:" >&2; cat "$DIR/stats.txt" >&2; exit 1; }

# openssl speed -aead counts operations over user CPU time: ops in T s -> T/ops per packet.
GCM_US=$(openssl speed -aead -evp aes-256-gcm -bytes 1500 -seconds 2 2>&1 |
  sed -n "s/.*: \([0-9]*\) AES-256-GCM's in \([0-9.]*\)s.*/\1 \2/p" | tail -1 |
  awk '{ if ($1 > 0) printf "%.4f", $2 / $1 * 1e6 }')
[ -n "$GCM_US" ] || { echo "bench_esp_cli.sh: could not read 'openssl speed -aead' output" >&2; exit 1; }

CP=$(median < "$DIR/t_cp")
ESP=$(median < "$DIR/t_esp")
awk -v n="$N" -v cp="$CP" -v esp="$ESP" -v gcm="$GCM_US" -v reps="$REPS" 'BEGIN {
  cp_us = cp / n * 1e6; esp_us = esp / n * 1e6; floor_us = cp_us + gcm; r = esp_us / floor_us
  printf "bench_esp_cli: %d packets of 1500 B (Ethernet, AES-256-GCM), CPU time user+sys, median of %d\n", n, reps
  printf "  cp of the input pcap        %8.3f us/packet\n", cp_us
  printf "  bare AES-256-GCM (openssl)  %8.3f us/packet\n", gcm
  printf "  floor (cp + GCM)            %8.3f us/packet\n", floor_us
  printf "  ipsecsim esp encrypt        %8.3f us/packet\n", esp_us
  printf "esp encrypt 1500 B: %.3fx floor (target <= 1.50): %s\n", r, r <= 1.5 ? "met" : "NOT met"
}'
