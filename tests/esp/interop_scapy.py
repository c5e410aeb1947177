#!/usr/bin/python3
"""Interoperability of `ipsecsim esp` with Scapy's ESP (scapy.layers.ipsec, 2.5).

For AES-128/256-GCM, ESN off/on (crossing 2^32), IPv4/IPv6 outer and IPv4/IPv6 inner, and
NAT-T (UDP 4500, RFC 3948) over IPv4 outer:
  1. `esp encrypt` output is decrypted by Scapy and must give back each inner packet, and its
     ESP bytes must equal Scapy's own encryption with IV = the 64-bit sequence number;
  2. ESP made by Scapy must come out of `esp decrypt` byte-exact.
Usage: interop_scapy.py IPSECSIM_BINARY WORKDIR
"""
import itertools
import os
import subprocess
import sys

from scapy.all import IP, IPv6, UDP, TCP, Raw, Ether, rdpcap, wrpcap, raw
from scapy.layers.ipsec import SecurityAssociation, ESP

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def inner_packets(v6):
    out = []
    for i, size in enumerate((0, 1, 2, 3, 100, 1400)):
        l4 = (UDP(sport=1000 + i, dport=53) if i % 2 else TCP(sport=2000 + i, dport=80)) / Raw(bytes((j * 7 + i) & 0xFF for j in range(size)))
        if v6:
            out.append(IPv6(src="2001:db8:a::%d" % (i + 1), dst="2001:db8:b::1", tc=0x28 | (i % 3), fl=i * 4099) / l4)
        else:
            out.append(IP(src="10.0.0.%d" % (i + 1), dst="10.9.0.1", tos=0x28 | (i % 3), id=i, flags="DF" if i % 2 else 0) / l4)
    return [p.__class__(raw(p)) for p in out]


def sa_yaml(name, direction, spi, alg, keymat, local, remote, esn, initial, natt):
    return ("  - name: %s\n    direction: %s\n    spi: %d\n    algorithm: %s\n    key: %s\n"
            "    local: %s\n    remote: %s\n    esn: %s\n    initial_seq: %d\n    replay_window: 128\n"
            "    udp_encap: %s\n"
            % (name, direction, spi, alg, keymat.hex(), local, remote, "true" if esn else "false", initial,
               "nat-t" if natt else "none"))


def run(op, sa, pin, pout):
    r = subprocess.run([BIN, "esp", op, "--sa", sa, "--in", pin, "--out", pout],
                       capture_output=True, text=True)
    check(r.returncode == 0, "%s exit %d: %s" % (op, r.returncode, r.stderr.strip()))
    return r.stdout


combos = [c + (False,) for c in itertools.product((16, 32), (False, True), (False, True), (False, True))]
combos += [(k, e, False, i, True) for k, e, i in itertools.product((16, 32), (False, True), (False, True))]
for n, (klen, esn, outer6, inner6, natt) in enumerate(combos):
    tag = "aes%d esn=%d outer=%s inner=%s%s" % (klen * 8, esn, "v6" if outer6 else "v4", "v6" if inner6 else "v4",
                                              " nat-t" if natt else "")
    alg = "aes-128-gcm" if klen == 16 else "aes-256-gcm"
    keymat = bytes((0x30 + n + j) & 0xFF for j in range(klen)) + bytes([0x11, 0x22, 0x33, n])
    a, b = ("2001:db8::a", "2001:db8::b") if outer6 else ("192.0.2.1", "198.51.100.2")
    spi = 0x10000 + n
    start = 0xFFFFFFFD if esn else 0x7FFFFFF0  # ESN: the run crosses 2^32
    sa = os.path.join(WORK, "sa%d.yaml" % n)
    with open(sa, "w") as f:
        f.write("sas:\n")
        f.write(sa_yaml("out", "outbound", spi, alg, keymat, a, b, esn, start, natt))
        f.write(sa_yaml("in", "inbound", spi, alg, keymat, b, a, esn, start, natt))
    inner = inner_packets(inner6)
    tunnel = (IPv6 if outer6 else IP)(src=a, dst=b)
    natt_hdr = UDP(sport=4500, dport=4500) if natt else None
    # 1. ours -> Scapy (Ethernet link type for half the combinations, raw IP for the rest)
    pin, penc = os.path.join(WORK, "in%d.pcap" % n), os.path.join(WORK, "enc%d.pcap" % n)
    if n % 2:
        wrpcap(pin, [Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / p for p in inner])
    else:
        wrpcap(pin, [raw(p) for p in inner], linktype=101)
    run("encrypt", sa, pin, penc)
    enc = [bytes(p[Ether].payload) if n % 2 else bytes(p) for p in rdpcap(penc)] if os.path.exists(penc) else []
    check(len(enc) == len(inner), "%s: %d of %d packets encrypted" % (tag, len(enc), len(inner)))
    for i, (e, p) in enumerate(zip(enc, inner)):
        seq = start + 1 + i
        ep = (IPv6 if outer6 else IP)(e)
        ssa = SecurityAssociation(ESP, spi=spi, crypt_algo="AES-GCM", crypt_key=keymat,
                                  tunnel_header=tunnel, nat_t_header=natt_hdr, esn_en=esn, esn=seq >> 32)
        try:
            got = ssa.decrypt(ep.copy())  # Scapy strips the payload of what it decrypts
            check(raw(got) == raw(p), "%s pkt %d: Scapy decrypt differs" % (tag, i))
        except Exception as ex:  # noqa: BLE001 - a failed ICV raises
            check(False, "%s pkt %d: Scapy could not decrypt: %s" % (tag, i, ex))
        # Scapy reads seq_num=0 as "not given": set the SA's counter instead.
        ssa.seq_num = seq & 0xFFFFFFFF
        ref = ssa.encrypt(p, iv=seq.to_bytes(8, "big"))
        if natt:
            # RFC 3948: ports 4500/4500, UDP length = 8 + ESP, checksum 0 over IPv4; Scapy's
            # sub-layer view leaves its own length field unset, so compare around it.
            u, ru = raw(ep[UDP]), raw(ref[UDP])
            check(u[:4] == ru[:4] and u[6:8] == b"\0\0", "%s pkt %d: UDP ports/checksum" % (tag, i))
            check(int.from_bytes(u[4:6], "big") == len(u), "%s pkt %d: UDP length" % (tag, i))
            check(u[8:] == ru[8:], "%s pkt %d: ESP bytes differ from Scapy's" % (tag, i))
        else:
            check(raw(ref[ESP]) == raw(ep[ESP]), "%s pkt %d: ESP bytes differ from Scapy's" % (tag, i))
    # 2. Scapy -> ours
    rsa = SecurityAssociation(ESP, spi=spi, crypt_algo="AES-GCM", crypt_key=keymat,
                              tunnel_header=(IPv6 if outer6 else IP)(src=a, dst=b),
                              nat_t_header=natt_hdr, esn_en=esn)
    made = []
    for i, p in enumerate(inner):
        seq = start + 1 + i
        rsa.seq_num = seq & 0xFFFFFFFF
        m = bytearray(raw(rsa.encrypt(p, iv=seq.to_bytes(8, "big"), esn_en=esn, esn=seq >> 32)))
        if natt:
            # Scapy 2.5 fills the NAT-T UDP length before the ESP payload is attached (it
            # writes 8); set it to the datagram's real length (checksum stays 0, RFC 3948).
            m[24:26] = (len(m) - 20).to_bytes(2, "big")
        made.append(bytes(m))
    # the inbound SA's local is b (the outer destination), so Scapy's packets go a -> b
    pesp, pdec = os.path.join(WORK, "esp%d.pcap" % n), os.path.join(WORK, "dec%d.pcap" % n)
    wrpcap(pesp, made, linktype=101)
    run("decrypt", sa, pesp, pdec)
    dec = [bytes(p) for p in rdpcap(pdec)] if os.path.exists(pdec) else []
    check(len(dec) == len(inner), "%s: %d of %d packets decrypted" % (tag, len(dec), len(inner)))
    for i, (d, p) in enumerate(zip(dec, inner)):
        check(d == raw(p), "%s pkt %d: decrypt not byte-exact" % (tag, i))
    print("ok" if not failures else "..", tag)

print("%d combinations, %d failures" % (len(combos), len(failures)))
sys.exit(1 if failures else 0)
