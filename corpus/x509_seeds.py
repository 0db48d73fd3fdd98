#!/usr/bin/env python3
"""Seed corpus of the fuzz_x509_chain target, from the test PKI and the
crafted chains.

Reads vectors/pki (the server and client chains, and each leaf alone in
raw mode) and every case of vectors/x509/cases.list, and writes one file
per input into corpus/fuzz_x509_chain/, named by the SHA-1 of its bytes.
The input layout is the one targets/x509/fuzz_x509_chain.c describes:

    byte 0    flags: bit 0 purpose client; bit 1 check a host name;
              bit 2 static-RSA key_encipherment; bit 3 raw mode;
              bits 4-5 the extra trust anchor (0 none, 1 intermediate-ca,
              2 pinned-leaf, 3 selfsigned-server);
              bits 6-7 the host (0 server.tlsdiff.test, 1 127.0.0.1,
              2 ::1, 3 tlsdiff.test)
    then      up to 8 certificates, each a 2-byte big-endian length and
              the DER (raw mode: the rest is one DER certificate)

A case's host that the flags cannot name is checked as
server.tlsdiff.test; its anchors become the target's fixed set (root-ca,
client-ca and the vectors/x509 roots) plus the extra one the flags
select. So a seed is the case's chain under nearly, not exactly, the
case's policy: the target compares the two implementations, it does not
check the case's expected verdict (tests/check_x509_chains.c does).

    python3 corpus/x509_seeds.py       # from anywhere

Python 3 standard library only. Existing seeds are kept; the script only
adds files.
"""
import base64
import hashlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKI = os.path.join(ROOT, "vectors", "pki")
X509 = os.path.join(ROOT, "vectors", "x509")
OUT = os.path.join(ROOT, "corpus", "fuzz_x509_chain")

F_CLIENT, F_HOST, F_KEYENC, F_RAW = 1, 2, 4, 8
EXTRA_ANCHOR = {"intermediate-ca": 1, "pinned-leaf": 2, "selfsigned-server": 3}
HOSTS = {"server.tlsdiff.test": 0, "127.0.0.1": 1, "::1": 2, "tlsdiff.test": 3}
MAX_CERTS = 8

written = set()


def pem_certs(path):
    out, b64, inside = [], [], False
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line == "-----BEGIN CERTIFICATE-----":
                inside, b64 = True, []
            elif line == "-----END CERTIFICATE-----":
                out.append(base64.b64decode("".join(b64)))
                inside = False
            elif inside:
                b64.append(line)
    return out


def put(data):
    os.makedirs(OUT, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(OUT, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
    written.add(name)


def chain_input(flags, certs):
    data = bytes([flags])
    for der in certs[:MAX_CERTS]:
        data += len(der).to_bytes(2, "big") + der
    return data


def flags_for(purpose, host, anchors):
    flags = 0
    if purpose == "client":
        flags |= F_CLIENT
    elif host != "-":
        flags |= F_HOST | (HOSTS.get(host, 0) << 6)
    for a in anchors.split(","):
        if a in EXTRA_ANCHOR:
            flags |= EXTRA_ANCHOR[a] << 4
    return flags


def pki_seeds():
    for fn in sorted(os.listdir(PKI)):
        if not fn.endswith(".chain.pem"):
            continue
        certs = pem_certs(os.path.join(PKI, fn))
        client = fn.startswith("client-")
        if client:
            put(chain_input(F_CLIENT, certs))
            put(chain_input(F_RAW | F_CLIENT, []) + certs[0])
            continue
        for host in HOSTS.values():
            put(chain_input(F_HOST | (host << 6), certs))
        put(chain_input(0, certs))
        put(bytes([F_RAW | F_HOST]) + certs[0])
        if fn.startswith("server-rsa"):
            put(chain_input(F_HOST | F_KEYENC, certs))


def case_seeds():
    with open(os.path.join(X509, "cases.list")) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            head = line.split(" | ", 1)[0].split()
            cid, _expect, purpose, host, anchors = head[:5]
            certs = pem_certs(os.path.join(X509, "chains", cid + ".pem"))
            put(chain_input(flags_for(purpose, host, anchors), certs))


def main():
    pki_seeds()
    case_seeds()
    print("%-28s %d inputs" % ("fuzz_x509_chain", len(written)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
