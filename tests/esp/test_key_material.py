#!/usr/bin/python3
"""Key-material test (issue 10): no output of `ipsecsim esp` or `ipsecsim run`, and no error
message of a bad SA or scenario file, holds the key, the salt or H = AES_K(0^128) in any
spelling of key_material.forms (hex both cases, base64 in three alignments, raw bytes).
The documented exception: the opt-in `--vectors` file carries the salt (nonce = salt || IV,
RFC 4106 s4), so it is scanned for the key and H only. pcaps are scanned for every text
form and the raw key and H (4 raw salt bytes occur by chance in ciphertext).
Usage: test_key_material.py IPSECSIM WORKDIR"""
import os
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import key_material  # noqa: E402

BIN, WORK = sys.argv[1], sys.argv[2]
KEY = bytes(range(0x40, 0x60))            # AES-256 key
SALT = bytes([0xDE, 0xAD, 0xBE, 0xEF])
KEYMAT = (KEY + SALT).hex()
ALL = key_material.forms(KEY, SALT)
NO_SALT = key_material.forms(KEY, SALT, include_salt=False)
BINARY = key_material.forms(KEY, SALT, raw_short=False)
failures = []
checked = 0


def check(label, blob, needles):
    global checked
    checked += 1
    found = key_material.scan(blob, needles)
    if found:
        failures.append("%s contains %s" % (label, ", ".join(found)))


def run(args, want_rc=None):
    p = subprocess.run([BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if want_rc is not None and p.returncode != want_rc:
        failures.append("%s: exit %d, expected %d: %s" % (" ".join(args[:2]), p.returncode, want_rc,
                                                         p.stderr.decode(errors="replace")[:300]))
    return p


def path(name):
    return os.path.join(WORK, name)


def ipv4_udp(length, df=False, dst=(10, 1, 0, 1)):
    ip = bytearray(length)
    ip[0:20] = struct.pack("!BBHHHBBH4s4s", 0x45, 0, length, 7, 0x4000 if df else 0, 64, 17, 0,
                           bytes([10, 0, 0, 1]), bytes(dst))
    s = sum(struct.unpack("!10H", bytes(ip[0:20])))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    ip[10:12] = struct.pack("!H", ~s & 0xFFFF)
    ip[20:28] = struct.pack("!HHHH", 1000, 2000, length - 20, 0)
    return bytes(ip)


def write_pcap(name, frames):
    with open(path(name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), len(fr)) + fr)


def sa_text(extra_out=""):
    return ("sas:\n"
            "  - name: out\n    direction: outbound\n    spi: 0x1001\n    algorithm: aes-256-gcm\n"
            "    key: %s\n    local: 192.0.2.1\n    remote: 198.51.100.1\n    tunnel_mtu: 1400\n"
            "    df_bit: copy\n    selector: 10.1.0.0/16\n%s"
            "  - name: in\n    direction: inbound\n    spi: 0x1001\n    algorithm: aes-256-gcm\n"
            "    key: %s\n    local: 198.51.100.1\n    remote: 192.0.2.1\n" % (KEYMAT, extra_out, KEYMAT))


def esp_outputs():
    eth = bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0])
    write_pcap("in.pcap", [eth + ipv4_udp(100), eth + ipv4_udp(1300), eth + ipv4_udp(1500, df=True),
                           eth + ipv4_udp(1500), eth + ipv4_udp(100, dst=(10, 9, 0, 1))])
    with open(path("sa.yaml"), "w") as f:
        f.write(sa_text())
    enc = run(["esp", "encrypt", "--sa", path("sa.yaml"), "--in", path("in.pcap"), "--out",
               path("enc.pcap"), "--vectors", path("enc.jsonl"), "--exceptions", path("exc.pcap")], 0)
    dec = run(["esp", "decrypt", "--sa", path("sa.yaml"), "--in", path("enc.pcap"), "--out",
               path("dec.pcap"), "--vectors", path("dec.jsonl"), "--exceptions", path("dexc.pcap")], 0)
    out = enc.stdout.decode()
    # The outputs are not empty: encryption, pre-fragmentation, ICMP and a drop all happened.
    for want in ("Encrypted packets:", "exceeds_tunnel_mtu_icmp_sent", "no_sa"):
        if want not in out:
            failures.append("esp encrypt output lacks %r" % want)
    for label, p in (("esp encrypt", enc), ("esp decrypt", dec)):
        check(label + " stdout", p.stdout, ALL)
        check(label + " stderr", p.stderr, ALL)
    for name in ("enc.jsonl", "dec.jsonl"):
        with open(path(name), "rb") as f:
            blob = f.read()
        if not blob:
            failures.append(name + " is empty")
        check(name + " (salt allowed: documented)", blob, NO_SALT)
    for name in ("enc.pcap", "exc.pcap", "dec.pcap", "dexc.pcap"):
        with open(path(name), "rb") as f:
            check(name, f.read(), BINARY)


def bad_sa_files():
    """The keying material typed into every wrong place; each file is refused unseen."""
    b64 = __import__("base64").b64encode(KEY + SALT).decode()
    good = sa_text()
    variants = {}
    for field, value in (("spi", "0x1001"), ("local", "192.0.2.1"), ("algorithm", "aes-256-gcm"),
                         ("selector", "10.1.0.0/16"), ("tunnel_mtu", "1400"), ("df_bit", "copy"),
                         ("name", "out")):
        for spelled in (KEYMAT, "0x" + KEYMAT, KEYMAT.upper(), b64):
            line = "    %s: %s\n" % (field, value) if field != "name" else "  - name: out\n"
            new = line.replace(value, spelled)
            variants["%s=%s" % (field, spelled[:6])] = good.replace(line, new, 1)
    variants["key as a map key"] = good.replace("    df_bit: copy\n", "    %s: 1\n" % KEYMAT, 1)
    variants["key one digit short"] = good.replace(KEYMAT, KEYMAT[:-1], 1)
    variants["key with a bad digit"] = good.replace(KEYMAT, KEYMAT[:-1] + "g", 1)
    variants["key too long"] = good.replace(KEYMAT, KEYMAT + "00", 1)
    variants["key in base64"] = good.replace(KEYMAT, b64, 1)
    variants["key quoted in a list"] = good.replace("key: " + KEYMAT, "key: [%s]" % KEYMAT, 1)
    variants["YAML error after the key"] = good.replace(KEYMAT, KEYMAT + " ]", 1)
    for label, text in variants.items():
        with open(path("bad.yaml"), "w") as f:
            f.write(text)
        p = run(["esp", "encrypt", "--sa", path("bad.yaml"), "--in", path("in.pcap"), "--out",
                 path("bad_out.pcap")], 2)
        check("bad SA file (%s) stderr" % label, p.stderr + p.stdout, ALL)


SCENARIO = """# tunnel key (not used yet: run has no tunnels): %s
version: 1
platform: {preset: MX304, lmics: 1, port_mode: 16x100GE}
interfaces:
  - {name: et-0/0/1, address: 10.0.1.1/24}
traffic:
  - {name: f64, port: et-0/0/0, rate: 10%%, frame: 64B, dst: 10.0.1.2}
phases: {warmup: 1us, measure: 5us}
""" % KEYMAT


def run_outputs():
    with open(path("scenario.yaml"), "w") as f:
        f.write(SCENARIO)
    out = path("run_out")
    shutil.rmtree(out, ignore_errors=True)
    p = run(["run", path("scenario.yaml"), "--out", out, "--driver", "c", "--quiet"], 0)
    check("run stdout", p.stdout, ALL)
    check("run stderr", p.stderr, ALL)
    names = sorted(os.listdir(out)) if os.path.isdir(out) else []
    for want in ("report.json", "report.txt", "timeseries.csv", "latency_hist.csv", "config.resolved.yaml", "wallclock.json"):
        if want not in names:
            failures.append("run wrote no " + want)
    for name in names:
        with open(os.path.join(out, name), "rb") as f:
            check("run " + name, f.read(), ALL)
    b64 = __import__("base64").b64encode(KEY + SALT).decode()
    for field, value in (("rate", "10%"), ("dst", "10.0.1.2"), ("name", "f64"), ("frame", "64B")):
        for spelled in (KEYMAT, "0x" + KEYMAT, b64):
            text = SCENARIO.replace("%s: %s" % (field, value), "%s: %s" % (field, spelled), 1)
            with open(path("bad_scenario.yaml"), "w") as f:
                f.write(text)
            p = run(["run", path("bad_scenario.yaml"), "--out", path("bad_run"), "--driver", "c",
                     "--quiet"])
            if p.returncode == 0:
                failures.append("bad scenario (%s) accepted" % field)
            check("bad scenario (%s=%s) stderr" % (field, spelled[:6]), p.stderr + p.stdout, ALL)


def scanner_finds_what_it_must():
    """The scan can fail: it finds the key in the SA file and the salt in the vectors file."""
    with open(path("sa.yaml"), "rb") as f:
        if "key hex" not in key_material.scan(f.read(), ALL):
            failures.append("scanner does not find the key in the SA file")
    with open(path("enc.jsonl"), "rb") as f:
        if "salt hex" not in key_material.scan(f.read(), ALL):
            failures.append("scanner does not find the salt in the vectors file")
    for a, core in enumerate(key_material._base64_cores(KEY)):
        blob = __import__("base64").b64encode(bytes(a) + KEY)
        if core not in blob or len(core) < 40:
            failures.append("base64 core at offset %d is wrong" % a)


os.makedirs(WORK, exist_ok=True)
esp_outputs()
scanner_finds_what_it_must()
bad_sa_files()
run_outputs()
for f in failures:
    print("FAIL:", f)
print("key-material: %d outputs scanned for %d forms, %d failures" % (checked, len(ALL), len(failures)))
sys.exit(1 if failures else 0)
