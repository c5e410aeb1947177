#!/usr/bin/python3
"""--export-sas (issue 13): `ipsecsim esp` and `ipsecsim run` write the SAs as an `esp --sa`
file and a Wireshark esp_sa table, both 0600, with one note on stderr. Checked independently:
the exported file reloads into the same ESP output; tshark (its own ESP/AES-GCM code) decrypts
our ESP with the exported esp_sa records back to the sent inner packets; refusals are exact.
usage: test_export_sas.py IPSECSIM WORKDIR"""
import os
import shutil
import stat
import sys

from scapy.all import IP, UDP, Ether, Raw, wrpcap  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from script_util import ScriptTest, tshark_esp_fields  # noqa: E402

EXE, WORK = sys.argv[1], sys.argv[2]
T = ScriptTest(EXE, WORK)
check, run, P = T.check, T.run, T.path
KEYMAT = bytes(range(0x40, 0x60)) + bytes([0xde, 0xad, 0xbe, 0xef])
with open(P("sa.yaml"), "w") as f:
    f.write("sas:\n  - {name: o, direction: outbound, spi: 0x4242, algorithm: aes-256-gcm, key: %s, "
            "local: 192.0.2.1, remote: 198.51.100.2, initial_seq: 99}\n" % KEYMAT.hex())
inner = [IP(src="10.0.0.1", dst="10.9.0.%d" % (i + 1), ttl=60) / UDP(sport=1000 + i, dport=2000) /
         Raw(bytes((i * 7 + j) & 0xFF for j in range(30 + 11 * i))) for i in range(6)]
wrpcap(P("in.pcap"), [Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / p for p in inner])

# 1. esp --export-sas: files, modes, the note
r = run("esp", "encrypt", "--sa", P("sa.yaml"), "--in", P("in.pcap"), "--out", P("enc.pcap"),
        "--export-sas", P("exp"))
check(r.returncode == 0, "esp --export-sas exit %d: %s" % (r.returncode, r.stderr))
note = ("ipsecsim esp: note: wrote key material of 1 SAs to %s/sas.yaml and %s/esp_sa (mode 0600)\n"
        % (P("exp"), P("exp")))
check(r.stderr == note, "esp stderr: %r" % r.stderr)
for n in ("sas.yaml", "esp_sa"):
    mode = stat.S_IMODE(os.stat(P("exp/" + n)).st_mode) if os.path.exists(P("exp/" + n)) else None
    check(mode == 0o600, "exp/%s mode %s" % (n, oct(mode) if mode is not None else "missing"))
check(stat.S_IMODE(os.stat(P("exp")).st_mode) == 0o700, "exp folder mode")

# 2. the exported SA file is the same SA: same ESP bytes (initial_seq kept)
r = run("esp", "encrypt", "--sa", P("exp/sas.yaml"), "--in", P("in.pcap"), "--out", P("enc2.pcap"))
check(r.returncode == 0, "esp with the exported file: %s" % r.stderr)
with open(P("enc.pcap"), "rb") as a, open(P("enc2.pcap"), "rb") as b:
    check(a.read() == b.read(), "exported SA file gives other ESP bytes")


# 3. tshark decrypts with the exported esp_sa table back to the inner packets
if shutil.which("tshark"):
    rc, rows, _ = tshark_esp_fields(P("enc.pcap"), P("exp/esp_sa"), ("esp.sequence", "ip.dst", "ip.ttl", "udp.srcport",
                                    "data.data"), extra=("-d", "udp.port==2000,data"))
    check(rc == 0 and len(rows) == len(inner), "tshark: rc %d, %d rows" % (rc, len(rows)))
    for i, (row, p) in enumerate(zip(rows, inner)):
        want = [str(100 + i), "198.51.100.2,%s" % p[IP].dst, "64,60", str(p[UDP].sport), bytes(p[Raw]).hex()]
        check(row == want, "tshark pkt %d: %s != %s" % (i, row, want))
else:
    check(False, "tshark missing (tools/install-deps.sh installs it)")

# 4. run --export-sas: every tunnel's SAs, loadable by esp; refusals
scen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scenarios")
r = run("run", os.path.join(scen, "ipsec_two_pfes.yaml"), "--driver", "c", "-q", "--export-sas", P("rx"))
check(r.returncode == 0, "run --export-sas: %s" % r.stderr)
check(r.stderr == "ipsecsim run: note: wrote key material of 8 SAs to %s/sas.yaml and %s/esp_sa (mode 0600)\n"
      % (P("rx"), P("rx")), "run stderr: %r" % r.stderr)
r = run("esp", "decrypt", "--sa", P("rx/sas.yaml"), "--in", P("in.pcap"), "--out", P("dec.pcap"))
check(r.returncode == 0, "esp cannot load run's export: %s" % r.stderr)
check(sum(1 for l in open(P("rx/esp_sa")) if l.startswith('"IPv4"')) == 8, "run esp_sa records")
two = os.path.join(scen, "two_routers.yaml")
r = run("run", two, "--driver", "c", "-q", "--export-sas", P("none"))
check(r.returncode == 2 and r.stderr == "ipsecsim run: --export-sas %s: %s has no tunnels (allowed: a scenario "
      "with ipsec.tunnels)\n" % (P("none"), two), "no tunnels: %d %r" % (r.returncode, r.stderr))
os.makedirs(P("e3"))
shutil.copy(P("sa.yaml"), P("e3/sas.yaml"))
r = run("esp", "encrypt", "--sa", P("e3/sas.yaml"), "--in", P("in.pcap"), "--out", P("x.pcap"), "--export-sas", P("e3"))
check(r.returncode == 2 and "is the same file as --sa" in r.stderr and r.stderr.count("\n") == 1,
      "export over the input: %d %r" % (r.returncode, r.stderr))
check(open(P("e3/sas.yaml")).read() == open(P("sa.yaml")).read(), "input overwritten")

T.finish()
