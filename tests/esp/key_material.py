"""Key-material scanner (issue 10), reusable by any test that owns a key and some outputs.

forms(key, salt) lists every spelling of the SA's secrets that must never appear in an
output: the key, the salt and the GHASH key H = AES_K(0^128), each as hex (lower and upper
case), as base64 in the three byte alignments (the characters that depend on the secret
alone), and as raw bytes. scan(blob, found_forms) returns the forms found in a blob.

Exceptions are the caller's: a file that may carry the salt (the opt-in `--vectors` file,
whose nonces are salt || IV) is scanned with include_salt=False; binary outputs (pcaps) with
raw_short=False, because 4 raw salt bytes occur by chance in ciphertext."""
import base64

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def ghash_key(key: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(bytes(16)) + enc.finalize()


def _base64_cores(secret: bytes):
    """The base64 characters fixed by `secret` alone, at byte offsets 0, 1 and 2."""
    out = []
    for a in range(3):
        enc = base64.b64encode(bytes(a) + secret)
        first = -(-a * 8 // 6)                 # first character entirely inside the secret
        last = (a + len(secret)) * 8 // 6      # one past the last such character
        out.append(enc[first:last])
    return out


def forms(key: bytes, salt: bytes, include_salt=True, raw_short=True):
    """[(description, needle bytes)] for the key, H and (unless excluded) the salt."""
    secrets = [("key", key), ("H", ghash_key(key))]
    if include_salt:
        secrets.append(("salt", salt))
    out = []
    for name, s in secrets:
        out.append((name + " hex", s.hex().encode()))
        out.append((name + " HEX", s.hex().upper().encode()))
        for a, core in enumerate(_base64_cores(s)):
            out.append(("%s base64 (offset %d)" % (name, a), core))
        if raw_short or len(s) >= 16:
            out.append((name + " raw", s))
    return out


def scan(blob: bytes, needles):
    """Descriptions of the needles found in blob."""
    return [d for d, n in needles if n and n in blob]
