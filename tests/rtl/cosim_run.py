#!/usr/bin/env python3
"""RTL co-simulation inside `ipsecsim run` (issue 17), through the CLI.

usage: cosim_run.py IPSECSIM ROOT WORKDIR CASE
  both         scenarios/rtl_cosim.yaml (with a rekey of vpn_a mid-run: its new SAs installed
               through the core's key-setup port) on the Verilated core and on the C core, with
               payload real and none: both pass, the reports are identical but for the
               scoreboard counters (every delivered packet, byte, latency histogram in fs,
               engine counter), the RTL run's scoreboard checked every packet the engine
               released or dropped at release, 0 mismatches; the new generation carried packets;
               with payload real every checked packet went through the core on its own bytes
               (scoreboard.real_bytes = checked), also with vpn_a on ESN across 2^32 (12-byte AAD,
               RFC 4106 s5: a variant of the file made in WORKDIR).
  extra_stage  the test-only build with one extra output stage: cycle mismatches, exit 1.
  flip_bit     the test-only build that inverts one ciphertext bit: byte mismatches naming the
               first wrong GCM block, exit 1.
  keycache     tests/rtl/rtl_cosim_keycache.yaml (16 SAs through the core's 8 key slots): the
               cache really misses (sa_cache_misses > 0 in the window), 0/0 mismatches on 1, 2, 3
               lanes and sa_dispatch pin, and the rtl and c reports identical but for the
               scoreboard (the C model's fill timing is the RTL's, gcm_timing.h item 6); the
               same with a delete event (events: that install no SA run on the key cache).
  install      tests/rtl/rtl_cosim_install.yaml (an install and a rekey where packets of the new
               SAs wait for the key setup at the FIFO head): as `both` on 1, 2, 3 lanes, pin and
               payload none; scenarios/ipsec_rekey.yaml and ipsec_sa_delete.yaml as `both`;
               control: IPSECSIM_RTL_TEST_FAULT=late_install (each key-setup
               request one cycle late) must end in cycle mismatches of +1, exit 1.
  late_install the control alone (part of `install`).
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys

SB = re.compile(r"^scoreboard: (\d+) packets checked against the C model, (\d+) mismatches, (\d+) cycle mismatches",
                re.M)
ENGINE = "r0.asic0.slice0.engine."


def run(exe, args, env_extra=None):
    env = dict(os.environ)
    env.update(env_extra or {})
    p = subprocess.run([exe, "run"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


# Not compared exactly, by design (README, RTL co-simulation): run.events (the RTL backend's
# next event is "1 fs after the next cycle edge" while a packet is in the core, so the slice's
# heap sees more events) and PG0.out's time-averaged queue gauges (the input FIFO frees a
# dispatched packet's credit 1 fs after its cycle edge on the RTL: the core's decisions for a
# cycle are final only once every offer at that edge is in). Those gauges must agree to 1e-6.
NOT_EXACT = ("run.events",)
NEAR = ("queue_mean_bytes", "queue_mean_pkts")


def flatten(x, pre=""):
    out = {}
    if isinstance(x, dict):
        for k, v in x.items():
            out.update(flatten(v, pre + "." + k if pre else k))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            out.update(flatten(v, "%s[%d]" % (pre, i)))
    else:
        out[pre] = x
    return out


def compare(r, c):
    """Differences between the reports beyond the scoreboard and the two named exceptions."""
    fr, fc = flatten(r), flatten(c)
    diffs = []
    for k in sorted(set(fr) | set(fc)):
        a, b = fr.get(k), fc.get(k)
        if ".scoreboard." in k or any(("." + n + ".") in ("." + k) for n in NOT_EXACT) or a == b:
            continue
        if any(n in k for n in NEAR) and isinstance(a, float) and isinstance(b, float) and \
                abs(a - b) <= 1e-6 * max(abs(a), abs(b)):
            continue
        diffs.append("%s: rtl %r, c %r" % (k, a, b))
    return diffs


def metric(report, name):
    """A counter of report.json by its registry name (stats nested by dotted name)."""
    f = flatten(report)
    for k in ("stats." + name + ".value", name + ".value", name):
        if k in f:
            return f[k]
    fail("report.json has no metric " + name)


def both(exe, root, work, scn=None, extra=()):
    scn = scn or os.path.join(root, "scenarios", "rtl_cosim.yaml")
    reports = {}
    for model in ("rtl", "c"):
        out = os.path.join(work, model)
        shutil.rmtree(out, ignore_errors=True)
        rc, so, se = run(exe, [scn, "--out", out, "--driver", "c", "--gcm-model", model, "-q"] + list(extra))
        if rc != 0:
            fail("--gcm-model %s exit %d\n%s%s" % (model, rc, so, se))
        m = SB.search(so)
        if model == "rtl":
            if not m:
                fail("no scoreboard line in the rtl run:\n" + so)
            checked, mm, cm = map(int, m.groups())
            if checked == 0 or mm or cm:
                fail("rtl scoreboard: " + m.group(0))
            print(m.group(0))
        elif m:
            fail("a scoreboard line in the c run: " + m.group(0))
        with open(os.path.join(out, "report.json")) as f:
            reports[model] = json.load(f)
    r, c = reports["rtl"], reports["c"]
    diffs = compare(r, c)
    if diffs:
        fail("reports differ beyond the scoreboard:\n" + "\n".join(diffs[:10]))
    checked = metric(r, ENGINE + "scoreboard.checked")
    processed = metric(r, ENGINE + "done_pkts")
    for why in ("icv_mismatch", "bad_pad_length", "replay_duplicate", "replay_too_old"):
        processed += metric(r, ENGINE + "drops." + why)  # the drops at release went through the core too
    if checked != processed:
        fail("scoreboard.checked %s != packets the engine processed %s" % (checked, processed))
    if metric(c, ENGINE + "scoreboard.checked") != 0:
        fail("scoreboard.checked is not 0 under --gcm-model c")
    # payload real: every checked packet went through the core on its own bytes (nonce, AAD and
    # text of the ESP packet the model wrote or read; OpenSSL's output on them is the wire's);
    # payload none: none (a pattern of the lengths)
    real = metric(r, ENGINE + "scoreboard.real_bytes")
    with open(scn) as f:
        none = "payload=none" in extra or re.search(r"^payload:\s*none\b", f.read(), re.M)
    want = 0 if none else checked
    if real != want:
        fail("scoreboard.real_bytes %s, expected %s (checked %s, %s)" % (real, want, checked, " ".join(extra) or "payload real"))
    print("PASS: rtl and c reports identical but for the scoreboard; checked %d = processed, %d on their own bytes"
          % (checked, real))
    return r


def rekey_carried(r, scn_name):
    for k in ("sa.r0.vpn_a.g1.out.encrypted_packets", "sa.r0.vpn_a.g1.in.decrypted_packets"):
        if metric(r, k) <= 0:
            fail("%s: %s = %s: the rekeyed generation carried no packets" % (scn_name, k, metric(r, k)))


def install(exe, root, work):
    scn = os.path.join(root, "tests", "rtl", "rtl_cosim_install.yaml")
    for extra in ([], ["--set", "engine.lanes=1"], ["--set", "engine.lanes=3"], ["--set", "engine.sa_dispatch=pin"],
                  ["--set", "payload=none"]):
        r = both(exe, root, work, scn, extra)
        for k in ("sa.r0.vpn_c.out.encrypted_packets", "sa.r0.vpn_c.in.decrypted_packets",
                  "sa.r0.vpn_b.g1.out.encrypted_packets", "sa.r0.vpn_b.g1.in.decrypted_packets"):
            if metric(r, k) <= 0:
                fail("%s: %s = %s: the installed SA carried no packets" % (" ".join(extra), k, metric(r, k)))
        print("PASS: install %s" % (" ".join(extra) or "defaults"))
    for name in ("ipsec_rekey.yaml", "ipsec_sa_delete.yaml"):  # the shipped events scenarios on the core
        both(exe, root, work, os.path.join(root, "scenarios", name))
        print("PASS: " + name)
    late_install(exe, root, work)


def late_install(exe, root, work):
    """The control: a key setup requested one cycle late delays the held packets by one cycle."""
    scn = os.path.join(root, "tests", "rtl", "rtl_cosim_install.yaml")
    rc, so, se = run(exe, [scn, "--driver", "c", "-q"], {"IPSECSIM_RTL_TEST_FAULT": "late_install"})
    m = SB.search(so)
    if rc != 1 or not m:
        fail("late_install: exit %d (want 1)\n%s%s" % (rc, so, se))
    checked, mm, cm = map(int, m.groups())
    lines = [l for l in se.splitlines() if l.startswith("scoreboard: cycle mismatch")]
    if mm or cm == 0 or not lines or not all(l.endswith("(+1)") for l in lines):
        fail("late_install not reported as +1 cycle mismatches: " + m.group(0) + "\n" + se)
    print("PASS: late_install: " + m.group(0))
    print(lines[0])


def keycache(exe, root, work):
    scn = os.path.join(root, "tests", "rtl", "rtl_cosim_keycache.yaml")
    for extra in ([], ["--set", "engine.lanes=1"], ["--set", "engine.lanes=3"], ["--set", "engine.sa_dispatch=pin"]):
        r = both(exe, root, work, scn, extra)
        misses = metric(r, ENGINE + "sa_cache_misses")
        waited = metric(r, ENGINE + "sa_miss_cycles")
        # every miss waits at least the fill (8 + 11 + 4 or 8 + 15 + 4 cycles) from its first chance
        if misses <= 0 or waited < 23 * misses:
            fail("%s: sa_cache_misses %s, sa_miss_cycles %s: the key cache did not miss" % (" ".join(extra), misses, waited))
        print("PASS: %s: %d misses, %d cycles waited on fills" % (" ".join(extra) or "defaults", misses, waited))
    # events: that install nothing (a delete) run on the key cache (installs are refused there)
    with open(scn) as f:
        text = f.read()
    assert "\nphases:" in text
    deleted = os.path.join(work, "keycache_delete.yaml")
    with open(deleted, "w") as f:
        f.write(text.replace("\nphases:", "\nevents:\n  - {at: 3us, action: delete, tunnel: vpn_0}\nphases:", 1))
    r = both(exe, root, work, deleted)
    if metric(r, ENGINE + "sa_cache_misses") <= 0 or metric(r, "flow.dec_0.drops.sa_deleted") <= 0:
        fail("keycache with a delete: no misses or no packet of the deleted SA")
    print("PASS: keycache with a delete event")


def fault(exe, root, work, which):
    scn = os.path.join(root, "scenarios", "rtl_cosim.yaml")
    rc, so, se = run(exe, [scn, "--driver", "c", "--set", "engine.lanes=1", "-q"], {"IPSECSIM_RTL_TEST_FAULT": which})
    m = SB.search(so)
    if rc != 1 or not m:
        fail("%s: exit %d (want 1)\n%s%s" % (which, rc, so, se))
    checked, mm, cm = map(int, m.groups())
    if which == "extra_stage":
        if cm == 0 or "cycle mismatch" not in se:
            fail("extra stage not reported as cycle mismatches: " + m.group(0) + "\n" + se)
        # one output register more: every tag one cycle late
        if "(+1)" not in se:
            fail("the cycle mismatch is not +1:\n" + se)
    else:
        if mm == 0 or "first wrong GCM block: text block 0 " not in se:
            fail("flipped bit not reported as a text block 0 mismatch: " + m.group(0) + "\n" + se)
        if "first differing byte 0 of the " not in se:
            fail("the first differing byte is not named as byte 0:\n" + se)
    print("PASS: " + which + ": " + m.group(0))
    print(se.splitlines()[0])


def refusals(exe, root, work):
    scn = os.path.join(root, "scenarios", "rtl_cosim.yaml")
    keycache_scn = os.path.join(root, "tests", "rtl", "rtl_cosim_keycache.yaml")  # no events:
    cases = [
        (["--set", "engine.lanes=5"],
         ": engine.lanes: 5: the Verilated core is built with 1, 2, 3 or 4 lanes (allowed: 1..4 with --gcm-model rtl)"),
        (["--set", "engine.out_fifo_depth=2048"],
         ": engine.out_fifo_depth: 2048: the core's output FIFO holds 1024 beats per lane (allowed: 1..1024 with "
         "--gcm-model rtl)"),
        (["--set", "engine.sa_cache_entries=4"],
         ": gcm_model: rtl: events: 8 SAs on the core's key cache (engine.sa_cache_entries 4): it takes no SA "
         "installs under traffic (allowed: events: with up to 8 SAs per slice, sa_cache_entries >= SAs)"),
        ([keycache_scn, "--set", "engine.sa_cache_entries=4"],
         ": engine.sa_cache_entries: 4 with 16 SAs: the Verilated core caches 8 SA contexts (allowed: 8, or at least "
         "the SAs up to 8 SAs, with --gcm-model rtl)"),
        (["--wave-window", "3us..2us", "--wave", os.path.join(work, "w.fst")],
         "ipsecsim run: --wave-window 3us..2us: expected FROM..TO, simulated times with units, FROM < TO (allowed: "
         "e.g. 2us..3us)"),
        (["--wave-window", "1us..2us"], "ipsecsim run: --wave-window has no effect without --wave"),
        (["--gcm-model", "c", "--wave", os.path.join(work, "w.fst")],
         "ipsecsim run: --wave has no effect without an engine on the RTL core (--gcm-model rtl)"),
    ]
    for args, want in cases:
        f = args[0] if args[0].endswith(".yaml") else scn
        rc, so, se = run(exe, [f, "-q"] + [a for a in args if a != f])
        line = se.strip().splitlines()[-1] if se.strip() else ""
        ok = rc == 2 and (line == want if want.startswith("ipsecsim") else
                          line.startswith(f + ":") and line.endswith(want))
        if not ok:
            fail("%s: exit %d, stderr %r (want exit 2 and %r)" % (" ".join(args), rc, se, want))
    print("PASS: %d refusals, one line each, exit 2" % len(cases))


def wave(exe, root, work):
    scn = os.path.join(root, "scenarios", "rtl_cosim.yaml")
    f = os.path.join(work, "core.fst")
    if os.path.exists(f):
        os.unlink(f)
    rc, so, se = run(exe, [scn, "-q", "--driver", "c", "--set", "phases.measure=4us", "--wave", f,
                           "--wave-window", "2us..3us"])
    want = "ipsecsim run: writing waveform %s: it contains key material (a debug artefact; do not share it)" % f
    if rc != 0 or want not in se.splitlines():
        fail("wave run: exit %d, stderr %r" % (rc, se))
    st = os.stat(f)
    if st.st_mode & 0o777 != 0o600:
        fail("waveform mode %o, want 600" % (st.st_mode & 0o777))
    with open(f, "rb") as fp:
        head = fp.read(1)
    if st.st_size < 100 or head != b"\x00":  # FST: the header block (type 0) first
        fail("waveform %s is not an FST file (%d bytes)" % (f, st.st_size))
    # the header block's start and end times (fs) lie in the window (the last cycle's second
    # half ends at most one 1.2 GHz period past it); its scope and signal counts
    with open(f, "rb") as fp:
        hdr = fp.read(9 + 64)
    first, last = struct.unpack(">QQ", hdr[9:25])
    scopes, sigs = struct.unpack(">QQ", hdr[41:57])
    if not (2000000000 <= first < last <= 3000000000 + 833334) or sigs < 20:
        fail("waveform times %d..%d fs (window 2us..3us), %d signals" % (first, last, sigs))
    print("PASS: waveform %d bytes, mode 600, warning printed, %d..%d fs, %d signals in %d scopes"
          % (st.st_size, first, last, sigs, scopes))


def main():
    exe, root, work, case = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    if case == "both":
        for extra in ([], ["--set", "payload=none"]):
            rekey_carried(both(exe, root, work, None, extra), "rtl_cosim.yaml " + " ".join(extra))
        with open(os.path.join(root, "scenarios", "rtl_cosim.yaml")) as f:
            text = f.read()
        vpn_a = "algorithm: aes-128-gcm, key: auto, prefix: 20.1.0.0/24}"
        if vpn_a not in text:
            fail("rtl_cosim.yaml: vpn_a's line changed: " + vpn_a)
        esn = os.path.join(work, "rtl_cosim_esn.yaml")
        with open(esn, "w") as f:  # 6 packets before the low half wraps
            f.write(text.replace(vpn_a, vpn_a[:-1] + ", esn: true, initial_seq: 4294967290}"))
        r = both(exe, root, work, esn)
        if metric(r, "sa.r0.vpn_a.out.encrypted_packets") <= 6 and metric(r, "sa.r0.vpn_a.in.decrypted_packets") <= 6:
            fail("ESN variant: vpn_a did not cross 2^32")
    elif case == "install":
        install(exe, root, work)
    elif case == "late_install":
        late_install(exe, root, work)
    elif case == "keycache":
        keycache(exe, root, work)
    elif case == "refusals":
        refusals(exe, root, work)
    elif case == "wave":
        wave(exe, root, work)
    else:
        fault(exe, root, work, case)


if __name__ == "__main__":
    main()
