#!/usr/bin/python3
"""Tunnel edges of `ipsecsim esp` checked with Scapy 2.5 (independent of our own builders).

1. Pre-fragmentation (RFC 4459): every ESP packet <= tunnel MTU, Scapy decrypts each one,
   dissects each inner fragment with a correct checksum and no logged warning, and its
   defragment() gives back the original datagram (DF cleared), options included.
2. ICMP from --exceptions: fragmentation needed (type 3 code 4, next-hop MTU 1446) and
   ICMPv6 Packet Too Big (MTU 1446 in IPv4, 1426 in IPv6) with correct checksums, 576 / 1280
   bytes long, quoting the start of the packet; nothing of it in the ESP output.
3. NAT-T (4500/4500) and multipath UDP (default port 500 and a configured 5000), IPv4 and
   IPv6 outer, both ways:
   our output decrypts in Scapy (NAT-T header path) with source port 49152 + FNV-1a mod 16384
   computed here from the README's definition; Scapy's ESP, wrapped in a UDP header built
   here (Scapy 2.5's NAT-T output carries a wrong UDP length), decrypts byte-exact in ours.
Usage: interop_edges.py IPSECSIM_BINARY WORKDIR
"""
import logging
import os
import subprocess
import sys

from scapy.all import (IP, IPv6, UDP, ICMP, ICMPv6PacketTooBig, Raw, IPOption, rdpcap, wrpcap,
                       raw, defragment)
from scapy.layers.ipsec import SecurityAssociation, ESP

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
failures = []
warnings = []


class Catch(logging.Handler):
    def emit(self, record):
        warnings.append(record.getMessage())


logging.getLogger("scapy").addHandler(Catch(level=logging.WARNING))


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


KEY = bytes(range(0x40, 0x50)) + b"\x01\x02\x03\x04"


def sa_file(name, entries):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write("sas:\n")
        for e in entries:
            f.write("  - " + "\n    ".join("%s: %s" % kv for kv in e.items()) + "\n")
    return path


def sa(name, direction, local, remote, **kw):
    e = {"name": name, "direction": direction, "spi": 0x2222, "algorithm": "aes-128-gcm",
         "key": KEY.hex(), "local": local, "remote": remote}
    e.update(kw)
    return e


def run(op, sa_path, pin, pout, exc=None):
    cmd = [BIN, "esp", op, "--sa", sa_path, "--in", pin, "--out", pout]
    if exc:
        cmd += ["--exceptions", exc]
    r = subprocess.run(cmd, capture_output=True, text=True)
    check(r.returncode == 0, "%s exit %d: %s" % (op, r.returncode, r.stderr.strip()))
    return r.stdout


def read(path):
    return [bytes(p) for p in rdpcap(path)] if os.path.exists(path) and os.path.getsize(path) > 24 else []


def checksum_ok(pkt, layer):
    """Scapy recomputes the checksum when it is deleted: equal means the stored one is right."""
    p = pkt.copy()
    if layer is ICMPv6PacketTooBig:
        del p[layer].cksum
    else:
        del p[layer].chksum
    return raw(p) == raw(pkt)


def ip4_ok(pkt):
    p = pkt.copy()
    del p[IP].chksum
    return raw(p.__class__(raw(p))) == raw(pkt)


# 1. Pre-fragmentation over IPv4 and IPv6 outer.
for outer6 in (False, True):
    a, b = ("2001:db8::a", "2001:db8::b") if outer6 else ("192.0.2.1", "198.51.100.2")
    path = sa_file("frag%d.yaml" % outer6, [sa("out", "outbound", a, b, tunnel_mtu=1500, initial_seq=0)])
    inner = []
    for i, (size, df, opts) in enumerate(((1500, 0, False), (3000, 1, False), (9000, 0, False),
                                          (4000, 0, True), (1000, 1, False))):
        l3 = IP(src="10.0.0.%d" % (i + 1), dst="10.9.0.1", id=100 + i, flags="DF" if df else 0,
                tos=0x28, options=[IPOption(b"\x83\x07\x04\x0a\x09\x08\x07"), IPOption(b"\x07\x03\x04"), IPOption(b"\x00")] if opts else [])
        hl = len(raw(l3))
        inner.append(IP(raw(l3 / UDP(sport=1000 + i, dport=53) / Raw(bytes((j * 3 + i) & 0xFF for j in range(size - hl - 8))))))
    pin, pout = os.path.join(WORK, "fin%d.pcap" % outer6), os.path.join(WORK, "fout%d.pcap" % outer6)
    wrpcap(pin, [raw(p) for p in inner], linktype=101)
    run("encrypt", path, pin, pout)
    out = read(pout)
    ssa = SecurityAssociation(ESP, spi=0x2222, crypt_algo="AES-GCM", crypt_key=KEY,
                              tunnel_header=(IPv6 if outer6 else IP)(src=a, dst=b))
    frags = []
    for n, e in enumerate(out):
        check(len(e) <= 1500, "outer6=%d packet %d is %d bytes > 1500" % (outer6, n, len(e)))
        try:
            f = ssa.decrypt((IPv6 if outer6 else IP)(e))
        except Exception as ex:  # noqa: BLE001
            check(False, "outer6=%d packet %d: Scapy could not decrypt: %s" % (outer6, n, ex))
            continue
        f = IP(raw(f))
        check(ip4_ok(f), "outer6=%d packet %d: inner fragment checksum" % (outer6, n))
        frags.append(f)
    for p in inner:
        mine = [f for f in frags if f.id == p.id]
        if len(raw(p)) <= (1446 if not outer6 else 1426):
            check(len(mine) == 1 and raw(mine[0]) == raw(p), "outer6=%d id %d: fits, sent whole" % (outer6, p.id))
            continue
        check(len(mine) >= 2, "outer6=%d id %d: %d fragments" % (outer6, p.id, len(mine)))
        check(all(not f.flags.DF for f in mine), "outer6=%d id %d: DF cleared" % (outer6, p.id))
        check(all(len(f[IP].payload) % 8 == 0 for f in mine if f.flags.MF), "outer6=%d id %d: multiple of 8" % (outer6, p.id))
        whole = defragment(mine)
        want = p.copy()
        want.flags = 0
        del want.chksum
        want = IP(raw(want))
        check(len(whole) == 1 and raw(whole[0]) == raw(want),
              "outer6=%d id %d: Scapy reassembly differs from the original" % (outer6, p.id))
    print("ok" if not failures else "..", "pre-fragmentation outer=%s: %d datagrams -> %d ESP packets"
          % ("v6" if outer6 else "v4", len(inner), len(out)))

# 2. ICMP to the host path.
for outer6, mtu in ((False, 1446), (True, 1426)):
    a, b = ("2001:db8::a", "2001:db8::b") if outer6 else ("192.0.2.1", "198.51.100.2")
    path = sa_file("icmp%d.yaml" % outer6, [sa("out", "outbound", a, b, tunnel_mtu=1500, df_bit="set")])
    v4 = IP(raw(IP(src="10.0.0.7", dst="10.9.0.1", flags="DF") / UDP(sport=7, dport=9) / Raw(bytes(1472))))
    v6 = IPv6(raw(IPv6(src="2001:db8:1::7", dst="2001:db8:9::1") / UDP(sport=7, dport=9) / Raw(bytes(1452))))
    pin, pout, pexc = (os.path.join(WORK, "i%s%d.pcap" % (x, outer6)) for x in ("in", "out", "exc"))
    wrpcap(pin, [raw(v4), raw(v6)], linktype=101)
    run("encrypt", path, pin, pout, pexc)
    check(read(pout) == [], "icmp outer6=%d: nothing encrypted" % outer6)
    exc = read(pexc)
    check(len(exc) == 2, "icmp outer6=%d: %d exception packets" % (outer6, len(exc)))
    if len(exc) == 2:
        i4, i6 = IP(exc[0]), IPv6(exc[1])
        check(len(exc[0]) == 576 and i4[ICMP].type == 3 and i4[ICMP].code == 4 and i4[ICMP].nexthopmtu == mtu,
              "icmp outer6=%d: frag-needed fields %s" % (outer6, i4.summary()))
        check(ip4_ok(i4) and checksum_ok(i4, ICMP), "icmp outer6=%d: ICMP checksums" % outer6)
        check(i4.dst == "10.0.0.7" and (outer6 or i4.src == a), "icmp outer6=%d: addresses" % outer6)
        check(raw(i4[ICMP].payload) == raw(v4)[:548], "icmp outer6=%d: quote" % outer6)
        check(len(exc[1]) == 1280 and i6.haslayer(ICMPv6PacketTooBig) and i6[ICMPv6PacketTooBig].mtu == mtu,
              "icmp outer6=%d: PTB fields %s" % (outer6, i6.summary()))
        check(checksum_ok(i6, ICMPv6PacketTooBig), "icmp outer6=%d: PTB checksum" % outer6)
        check(i6.dst == "2001:db8:1::7" and (not outer6 or i6.src == a), "icmp outer6=%d: PTB addresses" % outer6)
        check(raw(i6[ICMPv6PacketTooBig].payload) == raw(v6)[:1232], "icmp outer6=%d: PTB quote" % outer6)
    print("ok" if not failures else "..", "icmp outer=%s" % ("v6" if outer6 else "v4"))


# 3. NAT-T and multipath UDP both ways.
def fnv_port(p):
    t = (raw(p)[12:20] if p.version == 4 else raw(p)[8:40]) + bytes([p.proto if p.version == 4 else p.nh])
    t += raw(p[UDP])[:4]
    h = 2166136261
    for x in t:
        h = ((h ^ x) * 16777619) & 0xFFFFFFFF
    return 49152 + h % 16384


for outer6 in (False, True):
    for port in ("nat-t", None, 5000):
        natt = port == "nat-t"
        tag = "%s outer=%s port=%s" % ("nat-t" if natt else "multipath", "v6" if outer6 else "v4",
                                       port or "default")
        a, b = ("2001:db8::a", "2001:db8::b") if outer6 else ("192.0.2.1", "198.51.100.2")
        enc = {"udp_encap": "nat-t" if natt else "multipath" if port is None else "{dst_port: %d}" % port}
        path = sa_file("mp.yaml", [sa("out", "outbound", a, b, **enc), sa("in", "inbound", b, a, **enc)])
        dport = 4500 if natt else port or 500
        sport_of = (lambda p: 4500) if natt else fnv_port
        inner = [IP(raw(IP(src="10.0.0.%d" % i, dst="10.9.0.1") / UDP(sport=4000 + i, dport=53) / Raw(bytes(50 + i))))
                 for i in range(1, 9)]
        inner += [IPv6(raw(IPv6(src="2001:db8:1::%d" % i, dst="2001:db8:9::1") / UDP(sport=4000 + i, dport=53) / Raw(bytes(9))))
                  for i in range(1, 5)]
        pin, pout = os.path.join(WORK, "min.pcap"), os.path.join(WORK, "mout.pcap")
        wrpcap(pin, [raw(p) for p in inner], linktype=101)
        run("encrypt", path, pin, pout)
        out = read(pout)
        check(len(out) == len(inner), "%s: %d of %d encrypted" % (tag, len(out), len(inner)))
        Outer = IPv6 if outer6 else IP
        for i, (e, p) in enumerate(zip(out, inner)):
            ep = Outer(e)
            u = ep[UDP]
            check(u.dport == dport and u.sport == sport_of(p), "%s pkt %d: ports %d/%d" % (tag, i, u.sport, u.dport))
            check(u.len == len(raw(u)), "%s pkt %d: UDP length" % (tag, i))
            if outer6:
                check(checksum_ok(ep, UDP) and u.chksum != 0, "%s pkt %d: IPv6 UDP checksum" % (tag, i))
            else:
                check(u.chksum == 0, "%s pkt %d: IPv4 UDP checksum 0" % (tag, i))
            ssa = SecurityAssociation(ESP, spi=0x2222, crypt_algo="AES-GCM", crypt_key=KEY,
                                      tunnel_header=Outer(src=a, dst=b),
                                      nat_t_header=UDP(sport=u.sport, dport=dport))
            # Scapy binds ESP under UDP to port 4500 only: dissect the payload as ESP here.
            q = ep.copy()
            q[UDP].remove_payload()
            q = q / ESP(raw(u.payload))
            try:
                got = ssa.decrypt(q)
                check(raw(got) == raw(p), "%s pkt %d: Scapy decrypt differs" % (tag, i))
            except Exception as ex:  # noqa: BLE001
                check(False, "%s pkt %d: Scapy could not decrypt: %s" % (tag, i, ex))
        # Scapy -> ours: Scapy's ESP in a UDP header built here (b -> a: the inbound SA's local is b).
        rsa = SecurityAssociation(ESP, spi=0x2222, crypt_algo="AES-GCM", crypt_key=KEY,
                                  tunnel_header=Outer(src=a, dst=b))
        made = []
        for i, p in enumerate(inner):
            rsa.seq_num = i + 1
            esp = raw(rsa.encrypt(p, iv=(i + 1).to_bytes(8, "big"))[ESP])
            u = UDP(sport=sport_of(p), dport=dport) / Raw(esp)
            if not outer6:
                u.chksum = 0
            made.append(raw(Outer(src=a, dst=b) / u))
        pesp, pdec = os.path.join(WORK, "mesp.pcap"), os.path.join(WORK, "mdec.pcap")
        wrpcap(pesp, made, linktype=101)
        run("decrypt", path, pesp, pdec)
        dec = read(pdec)
        check(len(dec) == len(inner), "%s: %d of %d decrypted" % (tag, len(dec), len(inner)))
        for i, (d, p) in enumerate(zip(dec, inner)):
            check(d == raw(p), "%s pkt %d: decrypt not byte-exact" % (tag, i))
        print("ok" if not failures else "..", tag)

check(not warnings, "Scapy logged warnings: %s" % warnings[:3])
print("%d failures" % len(failures))
sys.exit(1 if failures else 0)
