#!/usr/bin/python3
"""Junos import and show views (issue 16), end to end through the CLI.

- The seed's Peer1 `set` block is cut from the seed copy (tests/data/seed) at test time,
  imported with --mirror, run: both directions delivered (conservation, no drops).
- SPIs and SA keys are derived here again from the documented formulas (asic/junos_emit.c,
  README "Junos import"): the scenario and the 0600 keys file must hold exactly those.
- `show security ipsec statistics` matches the seed's two samples label by label and line by
  line with the numbers masked, and its numbers equal the report's per-SA counters (a fixture
  report when the run's report has none; then show must refuse in one line).
- Each refused statement: exactly one line on stderr, nothing on stdout, exit 2, exact text.
  The ignored-statement report: exact text.
- The PSK (test123) and every derived key appear in no output of import, run or show except
  the 0600 keys files (hex both cases, base64, raw).
Usage: test_junos.py IPSECSIM SOURCE_ROOT WORKDIR"""
import hashlib
import hmac
import json
import os
import re
import shutil
import stat
import subprocess
import sys

BIN, ROOT, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, os.path.join(ROOT, "tests", "esp"))
import key_material  # noqa: E402

SEED = os.path.join(ROOT, "tests", "data", "seed", "seed-juniper-inline-ipsec.txt")
PSK = b"test123"
failures = []


def fail(msg):
    failures.append(msg)


def run(args, cwd=WORK):
    p = subprocess.run([BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def seed_text():
    with open(SEED, "rb") as f:
        return f.read().decode("utf-8")


def peer1_block(text):
    """The `set` lines right after "CLI Quick Configuration", byte for byte."""
    lines = text.split("\n")
    i = lines.index("CLI Quick Configuration")
    while not lines[i].startswith("set "):
        i += 1
    j = i
    while j < len(lines) and lines[j].startswith("set "):
        j += 1
    return "\n".join(lines[i:j]) + "\n"


def sample(text, command):
    """The seed's output lines after `user@host> COMMAND` up to the next paragraph marker."""
    lines = text.split("\n")
    i = lines.index("user@host> " + command)
    out = []
    for line in lines[i + 1:]:
        if line in ("Meaning", "content_copy zoom_out_map") or line.startswith("user@host>"):
            break
        out.append(line)
    return out


def mask(lines):
    """Numbers masked; a right-aligned row (label, spaces, number) keeps its width (35)."""
    return [(re.sub(r" *\d+", " N", l), len(l) if re.match(r"^  [A-Za-z ]+: +\d+$", l) else 0) for l in lines]


# ---- derivations (README "Junos import": SPI and keymat), written here independently ----
def spi(frm, to):
    v = int.from_bytes(hashlib.sha256(("ipsecsim-junos-spi-v1|%s|%s" % (frm, to)).encode()).digest()[:4], "big")
    return 256 + v % (2 ** 32 - 256)


def keymat(frm, to, s, n=36):
    out, block = b"", 1
    while len(out) < n:
        out += hmac.new(PSK, ("ipsecsim-junos-v1|%s|%s|0x%08x|%d" % (frm, to, s, block)).encode(), hashlib.sha256).digest()
        block += 1
    return out[:n]


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    text = seed_text()
    block = peer1_block(text)
    if not block.startswith("set chassis fpc 0 pic 0 inline-services\n") or block.count("\n") != 33:
        fail("seed block extraction: %d lines" % block.count("\n"))
    write("peer1.conf", block)

    # 1. import --mirror: exit 0, notes on stderr, nothing on stdout, keys file 0600
    rc, out, err = run(["junos", "import", "peer1.conf", "--mirror", "-o", "p2p.yaml"])
    outputs = [("import stdout", out.encode()), ("import stderr", err.encode())]
    if rc != 0 or out:
        fail("import: exit %d, stdout %r, stderr %s" % (rc, out, err))
    for want in ["peer1.conf:7: ike policy ike_policy sets `mode main`, an IKEv1 phase-1 setting, under the IKEv2-only gateway ike_gw (the seed does the same): it has no effect and is ignored",
                 "peer1.conf: platform inferred: MX304 with 3 LMICs (PIC = LMIC): PIC 0 (si-0/0/0), PIC 1 (et-0/1/8), PIC 2 (et-0/2/10); release 24.2R1 (the seed's minimum: SAs on PFE 0)",
                 "peer1.conf:10: the seed's Table 5 gives gateway address 16.1.1.2, its configuration sets address 16.1.1.1 and local-address 16.1.1.2: imported as configured (remote 16.1.1.1, local 16.1.1.2)",
                 "peer1.conf:32: st0.1 has family inet only (the seed's step-by-step procedure also sets family inet6, its quick configuration does not): imported as configured"]:
        if want not in err.split("\n"):
            fail("import notes lack: " + want)
    if "Host on et-0/1/8 is given 1.1.1.2" not in err or "Host2 is 2.2.2.2" not in err:
        fail("import notes lack the Host addresses: " + err)
    keys_path = os.path.join(WORK, "p2p.keys.yaml")
    if stat.S_IMODE(os.stat(keys_path).st_mode) != 0o600:
        fail("keys file mode %o" % stat.S_IMODE(os.stat(keys_path).st_mode))
    scn = open(os.path.join(WORK, "p2p.yaml")).read()
    keys = open(keys_path).read()
    a, b = "16.1.1.2", "16.1.1.1"  # Peer1 local, remote
    s_out, s_in = spi(a, b), spi(b, a)
    if "spi_out: 0x%08x, spi_in: 0x%08x" % (s_out, s_in) not in scn or "spi_out: 0x%08x, spi_in: 0x%08x" % (s_in, s_out) not in scn:
        fail("SPIs are not the documented derivation (%08x %08x)" % (s_out, s_in))
    k_out, k_in = keymat(a, b, s_out), keymat(b, a, s_in)
    if ('"peer1:ipsec_vpn": {out: %s, in: %s}' % (k_out.hex(), k_in.hex())) not in keys or \
       ('"peer2:ipsec_vpn": {out: %s, in: %s}' % (k_in.hex(), k_out.hex())) not in keys:
        fail("keys file does not hold the documented derivation")

    # 2. the run: both directions, every packet delivered
    rc, out, err = run(["run", "p2p.yaml", "--out", "run", "-q"])
    outputs += [("run stdout", out.encode()), ("run stderr", err.encode())]
    if rc != 0 or "balanced" not in out:
        fail("run: exit %d %s %s" % (rc, out, err))
    rep = json.load(open(os.path.join(WORK, "run", "report.json")))
    st = rep["stats"]
    for f in ("peer1_host", "peer2_host"):
        if st["flow"][f]["rx_pkts"]["value"] <= 0 or st["flow"][f]["drops"]["total"]["value"] != 0:
            fail("flow %s not delivered" % f)
    if st["run"]["sent"]["value"] != st["run"]["received"]["value"]:
        fail("run: sent != received")
    if "payload_mismatch" in json.dumps(st["flow"]) and any(
            st["flow"][f].get("drops", {}).get("payload_mismatch", {}).get("value", 0) for f in st["flow"]):
        fail("payload mismatch")
    # fabric: every tunnel packet crosses to the anchor on PIC 0
    if st["peer1"]["asic2"]["slice1"]["fabric"]["to_engine_pkts"]["value"] <= 0:
        fail("no fabric crossing to the anchor")
    # the Host streams send from their Host's address (src:): Scapy reads the inner headers the
    # LAN ports deliver (the seed's 1.1.1.1 -> 2.2.2.2 with Host1 moved to 1.1.1.2)
    cap = scn.replace("traffic:\n", "capture:\n  - {port: peer2:et-0/1/8, file: lan2.pcap, direction: tx}\n"
                      "  - {port: peer1:et-0/1/8, file: lan1.pcap, direction: tx}\ntraffic:\n", 1)
    write("p2p_cap.yaml", cap)
    rc, out, err = run(["run", "p2p_cap.yaml", "--out", "cap", "-q"])
    from scapy.all import IP, rdpcap  # noqa: E402
    for pcap, src, dst in (("lan2.pcap", "1.1.1.2", "2.2.2.2"), ("lan1.pcap", "2.2.2.2", "1.1.1.2")):
        path = os.path.join(WORK, "cap", pcap)
        pkts = rdpcap(path) if rc == 0 and os.path.exists(path) else []
        got = {(p[IP].src, p[IP].dst) for p in pkts if IP in p}
        if not pkts or got != {(src, dst)}:
            fail("%s: inner addresses %s, want only %s -> %s (exit %d %s)" % (pcap, sorted(got), src, dst, rc, err))

    # 3. show statistics vs the seed's samples; counters = the report's per-SA counters
    names = ["encrypted_bytes", "decrypted_bytes", "encrypted_packets", "decrypted_packets", "ah_input_bytes",
             "ah_output_bytes", "ah_input_packets", "ah_output_packets", "ah_authentication_failures",
             "replay_errors", "esp_authentication_failures", "esp_decryption_failures", "bad_headers", "bad_trailers"]
    rundir = os.path.join(WORK, "run")
    nocount = os.path.join(WORK, "nocounters")  # a report without per-SA counters: refused
    shutil.copytree(rundir, nocount)
    bare = json.load(open(os.path.join(rundir, "report.json")))
    bare["stats"].pop("sa", None)
    bare["stats"].pop("ipsec", None)
    json.dump(bare, open(os.path.join(nocount, "report.json"), "w"))
    rc, out, err = run(["show", nocount, "security", "ipsec", "statistics"])
    if rc != 2 or out or err != ("ipsecsim show: %s/report.json: no per-SA counter ipsec.peer1.encrypted_bytes: the run's report "
                                 "has no IPsec SA counters (nothing is shown rather than zeros)\n" % nocount):
        fail("show without counters: exit %d %r %r" % (rc, out, err))
    if "sa" in st:  # real counters: 256 B frames carry 238 clear IP bytes (256 - 14 - 4)
        o = st["sa"]["peer1"]["ipsec_vpn"]["out"]
        if o["encrypted_packets"]["value"] <= 0 or o["encrypted_bytes"]["value"] != 238 * o["encrypted_packets"]["value"]:
            fail("encrypted bytes %s != 238 x packets" % o["encrypted_bytes"])
        if o["encrypted_packets"]["value"] != st["tunnel"]["peer1"]["ipsec_vpn"]["tx_pkts"]["value"]:
            fail("SA encrypted packets != the tunnel's tx_pkts")
    else:
        fix = os.path.join(WORK, "fixture")  # before issue 13's counters: a report with them, distinct numbers each
        shutil.copytree(rundir, fix)
        st["sa"] = {"peer1": {"ipsec_vpn": {d: {n: {"value": 1000 * (i + 1) + (7 if d == "in" else 3)}
                                               for i, n in enumerate(names)} for d in ("out", "in")}}}
        st["ipsec"] = {"peer1": {n: {"value": 100000 + i} for i, n in enumerate(names)}}
        json.dump(rep, open(os.path.join(fix, "report.json"), "w"))
        rundir = fix
    seed_g = sample(text, "show security ipsec statistics")
    seed_i = sample(text, "show security ipsec statistics index 500001")
    for args, seed_lines, want in (([], seed_g, [st["ipsec"]["peer1"][n]["value"] for n in names]),
                                   (["index", "500001"], seed_i,
                                    [0 if n.startswith("ah_") and not n.startswith("ah_auth") else  # AH bytes/packets: no SA has them
                                     st["sa"]["peer1"]["ipsec_vpn"]["out"][n]["value"] + st["sa"]["peer1"]["ipsec_vpn"]["in"][n]["value"]
                                     for n in names])):
        rc, out, err = run(["show", rundir, "--router", "peer1", "security", "ipsec", "statistics"] + args)
        got = out.rstrip("\n").split("\n")
        if rc != 0 or mask(got) != mask(seed_lines):
            fail("show statistics %s differs from the seed's sample:\n%s\n---\n%s" % (args, "\n".join(got), "\n".join(seed_lines)))
        nums = [int(x) for x in re.findall(r"\d+", out)]
        if nums != [int(v) for v in want]:
            fail("show statistics %s numbers %s != report %s" % (args, nums, want))
        outputs.append(("show stdout", out.encode()))
    # the other views: the seed's headings, and a value check each
    rc, out, err = run(["show", os.path.join(WORK, "run"), "security", "ipsec", "security-associations"])
    seed_sa = sample(text, "show security ipsec security-associations")
    if out.split("\n")[1] != seed_sa[1] or not out.startswith("Total active tunnels: 1     Total IPsec sas: 2\n"):
        fail("show security-associations heading:\n" + out)
    if "  >500001 ESP:aes-gcm-256/aes256-gcm 0x%08x 3600/ unlim - root 500 16.1.1.1" % s_out not in out:
        fail("show security-associations outbound line:\n" + out)
    rc, out, err = run(["show", os.path.join(WORK, "run"), "security", "ike", "security-associations"])
    if out.split("\n")[0] != sample(text, "show security ike security-associations")[0] or rc:
        fail("show ike heading:\n" + out)
    outputs.append(("show stdout", out.encode()))
    # detail views: the seed's Policy-name and Gateway Name lines, word for word (from the seed)
    for args, title, prefix in ((["security", "ipsec", "security-associations", "index", "500001", "detail"],
                                 "show security ipsec security-associations index 500001", "  DF-bit:"),
                                (["security", "ike", "security-associations", "index", "1", "detail"],
                                 "show security ike security-associations index 1 detail", "IKE peer ")):
        rc, out, err = run(["show", os.path.join(WORK, "run"), "--router", "peer1"] + args)
        want = [l for l in sample(text, title) if l.startswith(prefix)]
        got = [l for l in out.split("\n") if l.startswith(prefix)]
        if rc or not want or got != want:
            fail("show %s: %s != the seed's %s" % (" ".join(args), got, want))
        outputs.append(("show stdout", out.encode()))

    # 4. refusals: one line, nothing else, exit 2
    base = block.split("\n")
    refusals = [
        ("set security ipsec proposal ipsec_prop protocol ah", 34,
         "set security ipsec proposal ipsec_prop protocol ah: Authentication Header (AH) is not supported (inline IPsec supports protocol esp only)"),
        ("set security ipsec proposal ipsec_prop encryption-algorithm aes-256-cbc", 34,
         "set security ipsec proposal ipsec_prop encryption-algorithm aes-256-cbc: aes-256-cbc is not supported (inline IPsec supports aes-128-gcm and aes-256-gcm only)"),
        ("set security ipsec proposal ipsec_prop encryption-algorithm 3des-cbc", 34,
         "set security ipsec proposal ipsec_prop encryption-algorithm 3des-cbc: 3des-cbc is not supported (inline IPsec supports aes-128-gcm and aes-256-gcm only)"),
        ("set security ipsec proposal ipsec_prop encryption-algorithm null", 34,
         "set security ipsec proposal ipsec_prop encryption-algorithm null: NULL encryption (RFC 4543) is not supported (inline IPsec supports aes-128-gcm and aes-256-gcm only)"),
        ("set security ipsec proposal ipsec_prop authentication-algorithm hmac-sha-256-128", 34,
         "set security ipsec proposal ipsec_prop authentication-algorithm hmac-sha-256-128: a separate authentication algorithm is not supported: AES-GCM authenticates (inline IPsec supports aes-128-gcm and aes-256-gcm only)"),
        ("set security ipsec security-association sa1 mode transport", 34,
         "set security ipsec security-association sa1 mode transport: transport mode is not supported (inline IPsec supports ESP tunnel mode only)"),
        ("set security ike gateway ike_gw version v1-only", 34,
         "set security ike gateway ike_gw version v1-only: IKEv1 is not supported (inline IPsec supports IKE version v2-only)"),
    ]
    for i, (stmt, line, msg) in enumerate(refusals):
        path = write("refuse%d.conf" % i, block + stmt + "\n")
        rc, out, err = run(["junos", "import", path, "-o", os.path.join(WORK, "r%d.yaml" % i)])
        want = "%s:%d: %s\n" % (path, line, msg)
        if rc != 2 or out or err != want:
            fail("refusal %d: exit %d stdout %r stderr %r (wanted %r)" % (i, rc, out, err, want))
        if os.path.exists(os.path.join(WORK, "r%d.yaml" % i)):
            fail("refusal %d wrote a scenario" % i)
    # IKEv1 by default: the gateway without `version v2-only`
    path = write("v1default.conf", "\n".join(l for l in base if "version v2-only" not in l))
    rc, out, err = run(["junos", "import", path, "-o", os.path.join(WORK, "v1.yaml")])
    want = ("%s:10: set security ike gateway ike_gw: no `version v2-only`: Junos defaults to version v1-only (IKEv1) under "
            "[edit security ike gateway], which is not supported (inline IPsec supports IKE version v2-only)\n" % path)
    if rc != 2 or out or err != want:
        fail("IKEv1 default: exit %d %r %r" % (rc, out, err))

    # 5. ignored statements: one report line with their line numbers
    path = write("ignored.conf", "set system host-name peer1\nset snmp community public\n" + block +
                 "set system services ssh\nset security zones security-zone trust\n")
    rc, out, err = run(["junos", "import", path, "-o", os.path.join(WORK, "ign.yaml")])
    want = "%s: ignored (outside the model): system (lines 1, 36); snmp (line 2); security zones (line 37)" % path
    if rc != 0 or want not in err.split("\n"):
        fail("ignored report: exit %d, stderr %r" % (rc, err))
    outputs.append(("ignored stderr", err.encode()))

    # 6. the bracketed form of the same configuration gives the same scenario
    tree = {}
    for l in base:
        if not l:
            continue
        node = tree
        words = re.findall(r'"[^"]*"|\S+', l)[1:]
        for w in words[:-1]:
            node = node.setdefault(w, {})
        node.setdefault(words[-1], {})

    def show(node, ind):
        s = ""
        for k, v in node.items():
            if not v:
                s += ind + k + ";\n"
            elif all(not x for x in v.values()) and len(v) == 1:
                s += ind + k + " " + next(iter(v)) + ";\n"
            else:
                s += ind + k + " {\n" + show(v, ind + "    ") + ind + "}\n"
        return s
    write("bracketed.conf", show(tree, ""))
    rc, out, err = run(["junos", "import", "bracketed.conf", "--mirror", "-o", "br.yaml"])
    br = open(os.path.join(WORK, "br.yaml")).read() if rc == 0 else ""
    strip = lambda t: "\n".join(l for l in t.split("\n") if not l.startswith("#")).replace("br.keys.yaml", "p2p.keys.yaml")
    if rc != 0 or strip(br) != strip(scn):
        fail("bracketed form: exit %d %s" % (rc, err))

    # 6b. `run X.conf` imports and runs in one step; the views land in the run's folder
    rc, out, err = run(["run", "peer1.conf", "--out", "runconf", "-q"])
    outputs += [("run conf stdout", out.encode()), ("run conf stderr", err.encode())]
    views = os.path.join(WORK, "runconf", "show.peer1.txt")
    if rc != 0 or not os.path.exists(views) or "user@peer1> show security ipsec security-associations\nTotal active tunnels: 1" not in open(views).read():
        fail("run peer1.conf: exit %d %s" % (rc, err))
    # 6c. an IPv6 gateway (the seed's ike_gwv6: 1611::1 from 1611::2) imports and runs
    v6 = block.replace("address 16.1.1.1", "address 1611::1").replace("local-address 16.1.1.2", "local-address 1611::2")
    v6 = v6.replace("et-0/2/10 unit 0 family inet address 16.1.1.2/24", "et-0/2/10 unit 0 family inet6 address 1611::2/64")
    write("v6.conf", v6)
    rc, out, err = run(["junos", "import", "v6.conf", "--mirror", "-o", "v6.yaml"])
    rc2, out2, err2 = run(["run", "v6.yaml", "-q"]) if rc == 0 else (rc, "", "")
    v6y = open(os.path.join(WORK, "v6.yaml")).read()
    # the mirror's WAN port takes the old gateway address in its own family (once kept 1611::2)
    if rc or rc2 or 'local: "1611::2", remote: "1611::1"' not in v6y or v6y.count('{name: et-0/2/10, address: "1611::1/64"}') != 1:
        fail("IPv6 gateway: exit %d/%d %s %s\n%s" % (rc, rc2, err, err2, v6y))
    # 6d. an IPv6 LAN on both ends (rib inet6.0 static route): --mirror gives Peer2 the routed
    # prefix's first address and routes Peer1's LAN back; the Hosts are the addresses after
    # each router's own; both directions delivered (the scenario's run.sent = run.received)
    lan6 = v6.replace("et-0/1/8 unit 0 family inet address 1.1.1.1/24", "et-0/1/8 unit 0 family inet6 address 2001:db8:1::1/64")
    lan6 = lan6.replace("set routing-options static route 2.2.2.0/24 next-hop st0.1",
                        "set routing-options rib inet6.0 static route 2001:db8:2::/64 next-hop st0.1")
    if lan6.count("2001:db8:") != 2:
        fail("IPv6 LAN: the seed block changed (statements not found)")
    write("lan6.conf", lan6)
    rc, out, err = run(["junos", "import", "lan6.conf", "--mirror", "-o", "lan6.yaml"])
    rc2, out2, err2 = run(["run", "lan6.yaml", "-q", "--out", "lan6_run"]) if rc == 0 else (rc, "", "")
    if rc2 == 0:  # byte-exact both ways: every delivered IPv6 packet compared by its sink
        fl = json.load(open(os.path.join(WORK, "lan6_run", "report.json")))["stats"]["flow"]
        for name in ("peer1_host", "peer2_host"):
            got = [fl[name][k]["value"] for k in ("rx_pkts", "payload_checked", "payload_mismatch")]
            if got[0] == 0 or got[1] != got[0] or got[2] != 0:
                fail("IPv6 LAN mirror %s: rx, checked, mismatch = %s" % (name, got))
    l6 = open(os.path.join(WORK, "lan6.yaml")).read() if rc == 0 else ""
    want6 = ['{name: et-0/1/8, address: "2001:db8:1::1/64"}', '{name: et-0/1/8, address: "2001:db8:2::1/64"}',
             '{prefix: "2001:db8:2::/64", via: st0.1}', '{prefix: "2001:db8:1::/64", via: st0.1}',
             'src: "2001:db8:1::2", dst: "2001:db8:2::2"', 'src: "2001:db8:2::2", dst: "2001:db8:1::2"']
    missing = [w for w in want6 if w not in l6]
    if rc or rc2 or missing:
        fail("IPv6 LAN mirror: exit %d/%d %s %s missing %s\n%s" % (rc, rc2, err, err2, missing, l6))

    # 7. no secret in any output but the keys files
    needles = [("psk raw", PSK), ("psk hex", PSK.hex().encode()), ("psk HEX", PSK.hex().upper().encode())]
    needles += [("psk base64", c) for c in key_material._base64_cores(PSK)]
    needles += key_material.forms(k_out[:32], k_out[32:]) + key_material.forms(k_in[:32], k_in[32:])
    scanned = 0
    for dirpath, _, files in os.walk(WORK):
        for n in files:
            p = os.path.join(dirpath, n)
            if n.endswith(".conf"):
                continue  # inputs
            data = open(p, "rb").read()
            found = key_material.scan(data, needles)
            secret_file = n.endswith("keys.yaml")
            if secret_file:
                if stat.S_IMODE(os.stat(p).st_mode) != 0o600:
                    fail("%s: mode %o" % (p, stat.S_IMODE(os.stat(p).st_mode)))
                if any(d.startswith("psk") for d in found):
                    fail("%s holds the PSK" % p)
            elif found:
                fail("%s contains %s" % (p, ", ".join(found)))
            scanned += 1
    for label, blob in outputs:
        found = key_material.scan(blob, needles)
        if found:
            fail("%s contains %s" % (label, ", ".join(found)))
    if scanned < 10:
        fail("only %d files scanned" % scanned)
    # the `junos:` importer's notes once per command, not once per trial of a sweep
    rc, out, err = run(["sweep", os.path.join(ROOT, "scenarios", "seed_peer1_peer2.yaml"), "--sizes", "256,512",
                        "--set", "phases.measure=5us", "--jobs", "1", "-q", "--out", os.path.join(WORK, "sweep_notes")])
    for conf in ("seed_peer1.conf", "seed_peer2.conf"):
        n = err.count("%s: platform inferred" % conf)
        if rc != 0 or n != 1:
            fail("sweep of the seed pair: exit %d, %s's platform note %d times (expected once)" % (rc, conf, n))
    print("junos: %d failures, %d files scanned" % (len(failures), scanned))
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
