#!/bin/sh
# The CLI under ASan + UBSan + LeakSanitizer: sh sanitize_cli.sh IPSECSIM_ASAN SOURCE_DIR WORK_DIR
# Every step runs the sanitizer build of `ipsecsim` with its expected exit status; a step fails
# when a sanitizer reports (exit status 86, or a report on stderr) or the status differs.
# Covers esp encrypt and decrypt (vectors, exceptions), gcm (openssl and ref engines, encrypt
# and decrypt files), run with the C driver and with the SystemC driver (a full scenario),
# sweep, params, and the error paths of bad SA, pcap and scenario files.
set -u
bin=$1
src=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 2
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:exitcode=86:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=86
export LSAN_OPTIONS=exitcode=86
vec=/usr/lib/python3/dist-packages/cryptography_vectors/ciphers/AES/GCM
pcaps=$src/tests/fuzz/corpus/fuzz_esp_pcap
failed=0

# step NAME EXPECTED_STATUS COMMAND...
step() {
  name=$1
  want=$2
  shift 2
  "$@" >"$name.out" 2>"$name.err"
  rc=$?
  if [ "$rc" -eq 86 ] || grep -q 'Sanitizer\|runtime error:' "$name.err"; then
    echo "FAIL $name: sanitizer report (exit $rc)"
    sed -n 1,40p "$name.err"
    failed=1
  elif [ "$rc" -ne "$want" ]; then
    echo "FAIL $name: exit $rc, expected $want"
    sed -n 1,10p "$name.err"
    failed=1
  else
    echo "ok   $name (exit $rc)"
  fi
}

# The binary must carry the sanitizer runtimes (else this test could not fail).
if ! ASAN_OPTIONS=help=1 "$bin" params pfe --analytic 2>&1 | grep -q 'Available flags for AddressSanitizer'; then
  echo "FAIL $bin: no AddressSanitizer runtime"
  exit 1
fi

# The SA pair of fuzz_esp_pcap.c: outbound o and its inbound twin, plus g for the genuine record.
cat >out_sa.yaml <<'EOF'
sas:
  - {name: o, direction: outbound, spi: 0x3001, algorithm: aes-128-gcm, key: 303132333435363738393a3b3c3d3e3f40414243, local: 192.0.2.1, remote: 198.51.100.1, tunnel_mtu: 1400}
EOF
cat >in_sa.yaml <<'EOF'
sas:
  - {name: rt, direction: inbound, spi: 0x3001, algorithm: aes-128-gcm, key: 303132333435363738393a3b3c3d3e3f40414243, local: 198.51.100.1, remote: 192.0.2.1}
  - {name: g, direction: inbound, spi: 0x3002, algorithm: aes-128-gcm, key: 000102030405060708090a0b0c0d0e0f10111213, local: 198.51.100.1, remote: 192.0.2.1}
EOF
printf 'sas:\n  - {name: x, direction: outbound, spi: 1, algorithm: aes-128-gcm}\n' >bad_sa.yaml

step esp_encrypt 0 "$bin" esp encrypt --sa out_sa.yaml --in "$pcaps/eth_usec_le.pcap" \
  --out enc.pcap --vectors enc.jsonl --exceptions host.pcap
step esp_decrypt 0 "$bin" esp decrypt --sa in_sa.yaml --in enc.pcap --out dec.pcap \
  --vectors dec.jsonl
# eth_usec_le.pcap: 3 small records (1 ESP packet each) and two 1646-byte IPv4 ones that the
# 1400-byte tunnel MTU splits into 2 each (the DF one too: df_bit defaults to clear) = 7.
step esp_round_trip_count 0 grep -q 'Decrypted packets: *7$' esp_decrypt.out
step esp_decrypt_genuine 0 "$bin" esp decrypt --sa in_sa.yaml --in "$pcaps/eth_usec_le.pcap" \
  --out dec2.pcap
step esp_genuine_count 0 grep -q 'Decrypted packets: *1$' esp_decrypt_genuine.out
step esp_raw_link 0 "$bin" esp encrypt --sa out_sa.yaml --in "$pcaps/raw_nsec_be.pcap" --out raw.pcap
step esp_bad_sa 2 "$bin" esp encrypt --sa bad_sa.yaml --in "$pcaps/eth_usec_le.pcap" --out x.pcap
step esp_truncated_pcap 2 "$bin" esp encrypt --sa out_sa.yaml --in "$pcaps/truncated_record.pcap" \
  --out t.pcap
step esp_not_a_pcap 2 "$bin" esp decrypt --sa in_sa.yaml --in "$pcaps/not_a_pcap.bin" --out n.pcap
step gcm_openssl 0 "$bin" gcm --rsp "$vec/gcmEncryptExtIV128.rsp" --rsp "$vec/gcmDecrypt256.rsp"
step gcm_ref 0 "$bin" gcm --engine ref --rsp "$vec/gcmDecrypt128.rsp"
step gcm_missing 2 "$bin" gcm --rsp no_such_file.rsp
step run_c_driver 0 "$bin" run "$src/scenarios/two_routers.yaml" --driver c --quiet --out run_c
step run_systemc 0 "$bin" run "$src/scenarios/two_routers.yaml" --quiet --out run_sc
step run_same_report 0 cmp run_c/report.json run_sc/report.json
step run_bad_scenario 2 "$bin" run "$src/tests/fuzz/corpus/fuzz_scenario/unknown_key.yaml"
step sweep 0 "$bin" sweep "$src/scenarios/lookup_bound.yaml" --sizes 64,1518 --search mlr --jobs 2 --out sweep_out \
  --set phases.measure=20us
step params 0 "$bin" params pfe --analytic
exit $failed
