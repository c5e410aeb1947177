#!/usr/bin/python3
"""Writes the generated seed corpora under tests/fuzz/corpus/ (one small file per behaviour
the replay test requires; see fuzz_depth.h). corpus/fuzz_codecs (Scapy packets) and
corpus/fuzz_esp_sa_load are committed as they are, not written here. Run from anywhere:
    /usr/bin/python3 tests/fuzz/make_seeds.py
Only the standard library: packets are built byte by byte here (checksums included), the
encryption of sealed records is done by the harness itself (fuzz_esp_decrypt.c)."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(payload, proto, src=b"\xc0\x00\x02\x01", dst=b"\xc6\x33\x64\x01", tos=0, flags=0,
        total=None, bad_csum=False):
    tot = 20 + len(payload) if total is None else total
    h = struct.pack("!BBHHHBBH4s4s", 0x45, tos, tot, 7, flags, 64, proto, 0, src, dst)
    c = csum(h) ^ (1 if bad_csum else 0)
    return h[:10] + struct.pack("!H", c) + h[12:] + payload


def ip6(payload, nh, src=b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x02",
        dst=b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x01", tclass=0):
    first = (6 << 28) | (tclass << 20)
    return struct.pack("!IHBB16s16s", first, len(payload), nh, 64, src, dst) + payload


def udp(payload, dport=4500, sport=4500, length=None):
    n = 8 + len(payload) if length is None else length
    return struct.pack("!HHHH", sport, dport, n, 0) + payload


def esp(spi, seq, rest):
    return struct.pack("!II", spi, seq) + rest


def trailer(inner, nh, pad=None, padlen=None):
    pad = bytes(range(1, 3)) if pad is None else pad
    return inner + pad + bytes([len(pad) if padlen is None else padlen, nh])


# Inner packets (tunnel mode): a small UDP datagram over IPv4, and over IPv6.
INNER4 = ip4(udp(b"hello", dport=53, sport=1000), 17, src=b"\x0a\0\0\x01", dst=b"\x0a\0\0\x02")
INNER6 = ip6(udp(b"hello", dport=53, sport=1000), 17)
SA_A, SA_B, SA_C, SA_D = 0, 1, 2, 3


def raw(pkt):
    return struct.pack("!BH", 0, len(pkt)) + pkt


def sealed(sa, low, plain, tos=0):
    body = bytes([tos]) + struct.pack("!I", low) + plain
    return struct.pack("!BH", (sa << 2) | 1, len(body)) + body


def wait_ms(ms):
    return struct.pack("!BHI", 2, 4, ms)


def decrypt_corpus():
    ok4 = trailer(INNER4, 4)
    return {
        "ok_ipv4_esn.bin": sealed(SA_A, 0xFFFFFF10, ok4),
        "ok_ipv6.bin": sealed(SA_B, 1, trailer(INNER6, 41)),
        "ok_natt.bin": sealed(SA_C, 1, ok4),
        "esn_wrap.bin": sealed(SA_A, 0xFFFFFFF0, ok4) + sealed(SA_A, 5, ok4),
        "replay_duplicate.bin": sealed(SA_A, 0xFFFFFF10, ok4) * 2,
        "replay_too_old.bin": sealed(SA_C, 1000, ok4) + sealed(SA_C, 1, ok4),
        "icv_mismatch.bin": raw(ip4(esp(0x1001, 0xFFFFFF10, bytes(8) + bytes(40)), 50)),
        "lifetime_seconds.bin": sealed(SA_D, 1, ok4) + wait_ms(11000) + sealed(SA_D, 2, ok4),
        "lifetime_kilobytes.bin": sealed(SA_D, 1, trailer(
            ip4(udp(bytes(1100)), 17, src=b"\x0a\0\0\x01", dst=b"\x0a\0\0\x02"), 4)),
        "bad_pad.bin": sealed(SA_A, 0xFFFFFF10, trailer(INNER4, 4, pad=b"\x01\x03")),
        "bad_pad_length.bin": sealed(SA_A, 0xFFFFFF10, trailer(INNER4, 4, padlen=0xFF)),
        "dummy.bin": sealed(SA_A, 0xFFFFFF10, trailer(b"dummy", 59)),
        "bad_next_header.bin": sealed(SA_A, 0xFFFFFF10, trailer(INNER4, 17)),
        "inner_invalid.bin": sealed(SA_A, 0xFFFFFF10, trailer(b"xx", 4)),
        "ecn_ce_not_ect.bin": sealed(SA_A, 0xFFFFFF10, ok4, tos=3),
        "outer_malformed.bin": raw(ip4(b"", 50, bad_csum=True)),
        "outer_fragment.bin": raw(ip4(esp(0x1001, 1, bytes(40)), 50, flags=0x2000)),
        "not_esp.bin": raw(ip4(bytes(20), 6)),
        "udp_malformed.bin": raw(ip4(udp(b"abcd", length=200), 17)),
        "udp_encap_mismatch.bin": raw(ip4(esp(0x1003, 1, bytes(40)), 50)),
        "esp_hdr_truncated.bin": raw(ip4(b"\0\0\x10\x01", 50)),
        "unknown_spi.bin": raw(ip4(esp(0x9999, 1, bytes(40)), 50)),
        "destination_mismatch.bin": raw(ip4(esp(0x1001, 1, bytes(40)), 50,
                                            dst=b"\xcb\x00\x71\x01")),
        "body_too_short.bin": raw(ip4(esp(0x1001, 1, bytes(10)), 50)),
        "host_ike.bin": raw(ip4(udp(bytes(4) + b"ike"), 17)),
        "host_keepalive.bin": raw(ip4(udp(b"\xff"), 17)),
    }


def pcap(records, link=1, nano=False, big_endian=False, snaplen=65535):
    e = ">" if big_endian else "<"
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    b = struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, snaplen, link)
    for i, rec in enumerate(records):
        data, origlen = rec if isinstance(rec, tuple) else (rec, len(rec))
        b += struct.pack(e + "IIII", 1700000000 + i, 1000 * i, len(data), origlen) + data
    return b


def eth(payload, ethertype=0x0800):
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + struct.pack("!H", ethertype) + payload


def genuine_esp(seq, inner):
    """ESP of fuzz_esp_pcap.c's inbound SA g (SPI 0x3002, AES-128-GCM, RFC 4106)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    key, salt, spi = bytes(range(16)), bytes(range(16, 20)), 0x3002
    iv = struct.pack("!Q", seq)
    aad = struct.pack("!II", spi, seq)
    pad = bytes(range(1, 1 + (-(len(inner) + 2)) % 4))
    ct = AESGCM(key).encrypt(salt + iv, inner + pad + bytes([len(pad), 4]), aad)
    return ip4(struct.pack("!II", spi, seq) + iv + ct, 50)


def pcap_corpus():
    big = ip4(udp(bytes(1600)), 17, src=b"\x0a\0\0\x01", dst=b"\x0a\0\0\x02")
    big_df = ip4(udp(bytes(1600)), 17, src=b"\x0a\0\0\x01", dst=b"\x0a\0\0\x02",
                 flags=0x4000)
    return {
        "eth_usec_le.pcap": pcap([eth(INNER4), eth(genuine_esp(1, INNER4)),
                                  eth(INNER6, 0x86DD), eth(big), eth(big_df),
                                  eth(ip6(udp(bytes(1600)), 17), 0x86DD)]),
        "raw_nsec_be.pcap": pcap([INNER4, INNER6], link=101, nano=True, big_endian=True),
        "ipv4_link_cut.pcap": pcap([INNER4, (INNER4[:20], len(INNER4))], link=228),
        "ipv6_link.pcap": pcap([INNER6], link=229),
        "truncated_record.pcap": pcap([INNER4])[:-5],
        "not_a_pcap.bin": b"not a pcap file, 24 bytes",
    }


def scenario_corpus():
    """Two shipped scenarios (one with two routers and expect: entries), --set overrides
    in the harness's "#set" lines, and refusals."""
    def shipped(name):
        with open(os.path.join(HERE, "..", "..", "scenarios", name), "rb") as fp:
            return fp.read()
    port = shipped("port_bound.yaml")
    return {
        "two_routers.yaml": shipped("two_routers.yaml"),
        "port_bound.yaml": port,
        "port_bound_sets.yaml": b"#set pfe.lookup_cycles=3000\n#set seed=7\n"
                                b"#set phases.measure=50us\n" + port,
        "unknown_key.yaml": b"version: 1\nplatfrom: {preset: MX304}\n",
        "bad_set.yaml": b"#set portgroup.pg_bwx=1Gbps\n" + port,
        "empty.yaml": b"",
    }


def cfg_corpus():
    """Every value type of fuzz_cfg.c's table, a sequence of maps, a refused value, and the
    loader's own test files (aliases, duplicates, syntax errors)."""
    files = {}
    d = os.path.join(HERE, "..", "data", "cfg")
    for f in sorted(os.listdir(d)):
        with open(os.path.join(d, f), "rb") as fp:
            files[f] = fp.read()
    files["table.yaml"] = (b"flag: true\ni: -5\nu: 7\nd: 0.5\ns: text\nrate: 10Gbps\n"
                           b"pps: 2Mpps\nfreq: 1.1GHz\nt: 20us\nsize: 1KiB\nfrac: 25%\n"
                           b"key: 0x00ff\ne: b\n")
    files["seq.yaml"] = b"- {flag: false, u: 1}\n- {rate: 1Mbps}\n- 3\n"
    files["bad_value.yaml"] = b"rate: fast\n"
    return files


def encrypt_corpus():
    """fuzz_esp_encrypt.c: byte 0 = mode (bit 0: behind a valid IPv4 header, bit 1: DF,
    bit 2: to the 10.2/16 SA (MTU 700) instead of 10.1/16 (MTU 600)), then the bytes."""
    icmp_error = ip4(b"\x03\x04" + bytes(998), 1, src=b"\x0a\0\0\x01",
                     dst=b"\x0a\x02\0\x05", flags=0x4000)
    return {
        "ok.bin": b"\x01" + bytes(100),
        "fragmented.bin": b"\x01" + bytes(1000),
        "icmp_frag_needed.bin": b"\x07" + bytes(1000),
        "exceeds_mtu_icmp_error.bin": b"\x04" + icmp_error,
        "ipv6_inner.bin": b"\x00" + INNER6,
        "inner_invalid.bin": b"\x00garbage",
    }


def write(name, files):
    d = os.path.join(HERE, "corpus", name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.unlink(os.path.join(d, f))
    for f, data in sorted(files.items()):
        with open(os.path.join(d, f), "wb") as fp:
            fp.write(data)


if __name__ == "__main__":
    write("fuzz_esp_decrypt", decrypt_corpus())
    write("fuzz_esp_pcap", pcap_corpus())
    write("fuzz_scenario", scenario_corpus())
    write("fuzz_cfg", cfg_corpus())
    write("fuzz_esp_encrypt", encrypt_corpus())
