#!/usr/bin/env python3
"""Seed corpora for the codec round-trip targets, from the vectors.

Reads vectors/tls13/*.vec (RFC 8448) and vectors/tls12/*.vec (openssl
captures) and writes one file per input into corpus/<target>/, named by
the SHA-1 of its bytes (the libFuzzer convention). The input layouts are
the ones each target's header comment describes (targets/codec/).

    python3 corpus/seeds.py            # from the repository root

Python 3 standard library only. Existing seeds are kept; the script only
adds files, so regressions/ and hand-made seeds survive.
"""
import hashlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VEC = os.path.join(ROOT, "vectors")
OUT = os.path.join(ROOT, "corpus")

# ExtensionType contexts, in td_ext_ctx order (harness/include/td_ext.h)
CTX_CH, CTX_SH12, CTX_SH13, CTX_HRR, CTX_EE, CTX_CT, CTX_CR, CTX_NST = range(8)
HRR_RANDOM = bytes.fromhex(
    "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")

written = {}


def put(target, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(d, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
    written[target] = written.get(target, 0) + 1


def vec_entries(path):
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            side, kind, name, field, hx = line.split()[:5]
            yield side, kind, name, field, b"" if hx == "-" else bytes.fromhex(hx)


def messages(payload):
    off = 0
    while off + 4 <= len(payload):
        t = payload[off]
        n = int.from_bytes(payload[off + 1:off + 4], "big")
        yield t, payload[off + 4:off + 4 + n]
        off += 4 + n


def ext_block(body, off):
    n = int.from_bytes(body[off:off + 2], "big")
    blk = body[off + 2:off + 2 + n]
    i = 0
    while i + 4 <= len(blk):
        et = int.from_bytes(blk[i:i + 2], "big")
        ln = int.from_bytes(blk[i + 2:i + 4], "big")
        yield et, blk[i + 4:i + 4 + ln]
        i += 4 + ln


def hello_ext_offset(t, body):
    off = 2 + 32
    off += 1 + body[off]                       # session id
    if t == 1:
        off += 2 + int.from_bytes(body[off:off + 2], "big")  # suites
        off += 1 + body[off]                   # compression methods
    else:
        off += 3                               # suite + compression
    return off if off + 2 <= len(body) else None


def seed_message(t, body, v13, rsa):
    if t == 1:
        put("roundtrip_client_hello", body)
        off = hello_ext_offset(t, body)
        for et, data in ext_block(body, off) if off else ():
            put("roundtrip_extensions", bytes([CTX_CH]) + et.to_bytes(2, "big") + data)
    elif t == 2:
        put("roundtrip_server_hello", b"\x00" + body)
        off = hello_ext_offset(t, body)
        exts = list(ext_block(body, off)) if off else []
        if body[2:34] == HRR_RANDOM:
            ctx = CTX_HRR
        elif any(et == 43 for et, _ in exts):
            ctx = CTX_SH13
        else:
            ctx = CTX_SH12
        for et, data in exts:
            put("roundtrip_extensions", bytes([ctx]) + et.to_bytes(2, "big") + data)
    elif t == 8:
        put("roundtrip_server_hello", b"\x01" + body)
        for et, data in ext_block(body, 0):
            put("roundtrip_extensions", bytes([CTX_EE]) + et.to_bytes(2, "big") + data)
    elif t == 11:
        put("roundtrip_certificate", (b"\x00" if v13 else b"\x01") + body)
    elif t == 13:
        put("roundtrip_certificate", (b"\x02" if v13 else b"\x03") + body)
    elif t == 15:
        put("roundtrip_certificate", b"\x04" + body)
    elif t == 12:
        put("roundtrip_key_exchange", b"\x00" + body)
    elif t == 16:
        put("roundtrip_key_exchange", (b"\x03" if rsa else b"\x02") + body)
    elif t == 20:
        put("roundtrip_post_handshake", b"\x00" + body)
    elif t == 4:
        put("roundtrip_post_handshake", (b"\x02" if v13 else b"\x03") + body)
    elif t == 5:
        put("roundtrip_post_handshake", b"\x05" + body)
    elif t == 14:
        put("roundtrip_post_handshake", b"\x07" + body)


def main():
    for sub, v13 in (("tls13", True), ("tls12", False)):
        d = os.path.join(VEC, sub)
        for fn in sorted(os.listdir(d)):
            if not fn.endswith(".vec"):
                continue
            rsa = fn.startswith("rsa-")
            for side, kind, name, field, data in vec_entries(os.path.join(d, fn)):
                if kind == "handshake" and field == "message":
                    for t, body in messages(data):
                        seed_message(t, body, v13, rsa)
                elif kind == "record" and name == "handshake" and field == "payload":
                    for t, body in messages(data):
                        seed_message(t, body, v13, rsa)
                if kind == "record" and field == "plaintext":
                    put("roundtrip_record", (b"\x01" if v13 else b"\x00") + data)
                elif kind == "record" and field == "protected":
                    put("roundtrip_record", (b"\x03" if v13 else b"\x02") + data)
    # KeyUpdate (RFC 8446 4.6.3): both defined values; message_hash (4.4.1)
    put("roundtrip_post_handshake", b"\x04\x00")
    put("roundtrip_post_handshake", b"\x04\x01")
    put("roundtrip_post_handshake", b"\x08" + bytes(32))
    put("roundtrip_post_handshake", b"\x06")  # HelloRequest, empty
    for t in sorted(written):
        print("%-28s %d inputs" % (t, written[t]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
