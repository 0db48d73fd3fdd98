#!/usr/bin/env python3
"""Recover the RSA-PSS salts of the server CertificateVerify messages in the
TLS 1.3 example traces (sections 3, 5 and 7: the server signs with the RSA
key of section 2, rsa_pss_rsae_sha256).

The traces do not print the salt, but a PSS signature carries it: the RSA
public operation gives back the encoded message EM, and the EMSA-PSS
decoding of RFC 8017 9.1.2 reads the salt out of it. Every step of 9.1.2 is
checked, including the final H == H' comparison, so a salt is only written
when the signature verifies over the content this script computes itself
from the trace's messages (RFC 8446 4.4.3):

    content = 0x20 * 64 || "TLS 1.3, server CertificateVerify" || 0x00
              || Transcript-Hash(ClientHello .. Certificate)

with ClientHello1 replaced by message_hash after a HelloRetryRequest
(RFC 8446 4.4.1).

Usage: pss_salts.py path/to/s2-keys.vec OUTDIR
  reads s2-keys.vec and the section files next to it, writes
  OUTDIR/pss-salts.vec (format: README.md; committed as
  vectors/tls13/derived/pss-salts.vec). Python 3 standard library only.
"""
import hashlib
import os
import sys

SECTIONS = ["s3-1rtt", "s5-hrr", "s7-compat"]
HRR_RANDOM = hashlib.sha256(b"HelloRetryRequest").digest()  # RFC 8446 4.1.3
SCHEMES = {0x0804: "sha256", 0x0805: "sha384", 0x0806: "sha512"}
SUITE_HASH = {0x1301: "sha256", 0x1302: "sha384", 0x1303: "sha256"}


def fail(msg):
    sys.stderr.write("pss_salts.py: %s\n" % msg)
    sys.exit(1)


def load(path):
    """The value lines of a .vec file: (side, kind, name, field, bytes)."""
    out = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            cols = line.split()
            if len(cols) != 5:
                fail("%s:%d: expected 5 columns" % (path, n))
            data = b"" if cols[4] == "-" else bytes.fromhex(cols[4])
            out.append((cols[0], cols[1], cols[2], cols[3], data))
    return out


def rsa_key(entries):
    vals = {e[3]: e[4] for e in entries if e[1] == "key" and e[2] == "server_rsa"}
    try:
        n = int.from_bytes(vals["modulus_public"], "big")
        e = int.from_bytes(vals["public_exponent"], "big")
    except KeyError as k:
        fail("s2-keys.vec: no %s" % k)
    return n, e


def mgf1(seed, length, hname):
    """RFC 8017 B.2.1."""
    out = b""
    counter = 0
    while len(out) < length:
        out += hashlib.new(hname, seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return out[:length]


def pss_salt(m, em_int, mod_bits, hname):
    """EMSA-PSS-VERIFY (RFC 8017 9.1.2) with sLen = hLen; returns the salt."""
    em_bits = mod_bits - 1
    em_len = (em_bits + 7) // 8
    h_len = hashlib.new(hname).digest_size
    s_len = h_len  # RFC 8446 4.2.3: salt length = digest length
    if em_int >= 1 << (8 * em_len):
        fail("EM does not fit emLen")
    em = em_int.to_bytes(em_len, "big")
    m_hash = hashlib.new(hname, m).digest()  # step 2
    if em_len < h_len + s_len + 2:  # step 3
        fail("inconsistent: emLen too short")
    if em[-1] != 0xBC:  # step 4
        fail("inconsistent: trailer is not 0xbc")
    masked_db, h = em[: em_len - h_len - 1], em[em_len - h_len - 1 : -1]  # 5
    top = 8 * em_len - em_bits
    if top and masked_db[0] >> (8 - top):  # step 6
        fail("inconsistent: leftmost bits of maskedDB set")
    db_mask = mgf1(h, em_len - h_len - 1, hname)  # step 7
    db = bytes(a ^ b for a, b in zip(masked_db, db_mask))  # step 8
    if top:  # step 9
        db = bytes([db[0] & (0xFF >> top)]) + db[1:]
    ps_len = em_len - h_len - s_len - 2
    if db[:ps_len] != bytes(ps_len) or db[ps_len] != 0x01:  # step 10
        fail("inconsistent: DB is not PS || 0x01 || salt")
    salt = db[-s_len:]  # step 11
    m_prime = bytes(8) + m_hash + salt  # step 12
    if hashlib.new(hname, m_prime).digest() != h:  # steps 13, 14
        fail("inconsistent: H != H'")
    return salt


def transcript_and_cv(entries):
    """The transcript bytes up to the server Certificate, the server
    CertificateVerify, and the suite's hash name."""
    transcript = b""
    hname = None
    for side, kind, name, field, data in entries:
        if kind != "handshake" or field != "message":
            continue
        if side == "server" and name == "certificate_verify":
            return transcript, data, hname
        if side == "server" and name == "server_hello":
            # ServerHello: legacy_version(2) random(32) session_id<0..32>
            # cipher_suite(2); after the 4-byte handshake header
            sid_len = data[4 + 2 + 32]
            off = 4 + 2 + 32 + 1 + sid_len
            hname = SUITE_HASH[int.from_bytes(data[off : off + 2], "big")]
            if data[6:38] == HRR_RANDOM:
                # RFC 8446 4.4.1: message_hash(254) || 00 00 Hash.length
                # || Hash(ClientHello1)
                digest = hashlib.new(hname, transcript).digest()
                transcript = bytes([254, 0, 0, len(digest)]) + digest
        transcript += data
    fail("no server certificate_verify")
    return None


def main():
    if len(sys.argv) != 3:
        fail("usage: pss_salts.py path/to/s2-keys.vec OUTDIR")
    keys_path, outdir = sys.argv[1], sys.argv[2]
    n, e = rsa_key(load(keys_path))
    mod_bits = n.bit_length()
    lines = [
        "# tlsdiff vectors: the RSA-PSS salts of the server CertificateVerify",
        "# messages of the TLS 1.3 example traces, recovered from the",
        "# signatures with the public key of section 2 (RFC 8017 9.1.2).",
        "# Generated by vectors/tls13/pss_salts.py; do not edit. Format: README.md.",
        "# side  kind  name  field  hex",
        "",
    ]
    for sec in SECTIONS:
        path = os.path.join(os.path.dirname(keys_path), sec + ".vec")
        transcript, cv, hname = transcript_and_cv(load(path))
        # CertificateVerify: 0f uint24 | SignatureScheme | signature<0..2^16-1>
        scheme = int.from_bytes(cv[4:6], "big")
        sig_len = int.from_bytes(cv[6:8], "big")
        sig = cv[8:]
        if scheme not in SCHEMES or len(sig) != sig_len:
            fail("%s: not an RSA-PSS CertificateVerify" % sec)
        th = hashlib.new(hname, transcript).digest()
        content = (b"\x20" * 64 + b"TLS 1.3, server CertificateVerify"
                   + b"\x00" + th)
        em = pow(int.from_bytes(sig, "big"), e, n)  # RSAVP1 (RFC 8017 5.2.2)
        salt = pss_salt(content, em, mod_bits, SCHEMES[scheme])
        lines.append("# %s: server CertificateVerify, scheme 0x%04x" % (sec, scheme))
        lines.append("%-7s %-10s %-42s %-18s %s" % (
            "server", "signature", sec.replace("-", "_") + "_certificate_verify",
            "salt", salt.hex()))
        lines.append("")
    with open(os.path.join(outdir, "pss-salts.vec"), "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
