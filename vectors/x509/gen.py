#!/usr/bin/env python3
"""Crafted X.509 chains with hand-derived verdicts (see README.md here).

    python3 vectors/x509/gen.py          # from any directory

Writes cases.list, chains/ID.pem, anchors/NAME.pem and, only when missing,
keys/NAME.key.pem (so regenerating does not churn the keys). Every
certificate is built by the small DER encoder below and signed with
python3-cryptography; cryptography's X.509 module is used only to read the
SKI of the test PKI's certificates (a self-check of the encoder). Nothing
here comes from tlsdiff's C code.

After writing, every case is run through `openssl verify` (an independent
second opinion) and the cases where openssl's verdict differs from the
expected one are printed as a table. Those differences are information,
not failures: the script fails only when it cannot build its outputs.

Structure is deterministic: the same cases, in the same order, with the
same verdicts on every run. Bytes change only where the signature scheme is
randomized (RSA-PSS always; ECDSA when this cryptography cannot sign
deterministically, RFC 6979) or when vectors/pki is regenerated.
"""

import base64
import hashlib
import ipaddress
import os
import re
import subprocess
import sys
import tempfile

from cryptography import x509 as cx509  # self-checks only
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, x25519

HERE = os.path.dirname(os.path.abspath(__file__))
PKI = os.path.normpath(os.path.join(HERE, "..", "pki"))
CHAINS = os.path.join(HERE, "chains")
ANCHORS = os.path.join(HERE, "anchors")
KEYS = os.path.join(HERE, "keys")
CLOCK = 1767225600  # 2026-01-01T00:00:00Z, the harness's clock

# td_x509_reason names (harness/include/td_x509.h, lowercased, without
# TD_X509_), for checking this file's own EXPECT fields.
REASONS = {
    "bad_der", "limit", "bad_version", "sig_alg_mismatch", "duplicate_extension",
    "bad_extension", "unknown_critical", "bad_serial", "unsupported_key",
    "unsupported_sig", "empty_chain", "no_path", "path_too_long",
    "sig_key_mismatch", "bad_signature", "expired", "not_yet_valid", "not_ca",
    "path_len", "ca_key_usage", "leaf_key_usage", "eku", "name_mismatch",
    "name_constraints",
}

# A signature that does not verify under the only candidate issuer's key:
# RFC 5280 6.1.3 (a)(1) fails on the only path there is, so "the signature
# is bad" and "there is no path" (a builder that dropped the candidate,
# RFC 8446 4.4.2 / RFC 4158) are both true descriptions.
SIG_FAIL = "reject:bad_signature|no_path"
SIG_KEY_MISMATCH = "reject:sig_key_mismatch|no_path"

# ---------------------------------------------------------------------------
# DER encoder (X.690), with knobs for deliberately wrong encodings
# ---------------------------------------------------------------------------


def der_len(n):
    """Definite length in the fewest octets (X.690 10.1)."""
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def long_len(n, octets):
    """A deliberately non-minimal long-form length of `octets` octets."""
    return bytes([0x80 | octets]) + n.to_bytes(octets, "big")


def tlv(tag, content, length=None):
    return bytes([tag]) + (der_len(len(content)) if length is None else length) + content


def seq(*parts):
    return tlv(0x30, b"".join(parts))


def set_of(*parts):
    return tlv(0x31, b"".join(sorted(parts)))  # DER SET OF: sorted (X.690 11.6)


def int_content(v):
    """Minimal two's-complement contents of an INTEGER (X.690 8.3.2)."""
    n = 1
    while True:
        try:
            return v.to_bytes(n, "big", signed=True)
        except OverflowError:
            n += 1


def integer(v):
    return tlv(0x02, int_content(v))


def oid(dotted):
    arcs = [int(a) for a in dotted.split(".")]
    body = [40 * arcs[0] + arcs[1]] + arcs[2:]
    out = bytearray()
    for a in body:
        chunk = [a & 0x7F]
        a >>= 7
        while a:
            chunk.append(0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(reversed(chunk))
    return tlv(0x06, bytes(out))


def null():
    return b"\x05\x00"


def boolean(v):
    return tlv(0x01, b"\xff" if v else b"\x00")


def octets(b):
    return tlv(0x04, b)


def bitstring(b, unused=0):
    return tlv(0x03, bytes([unused]) + b)


def utf8(s):
    return tlv(0x0C, s.encode("utf-8"))


def utc(s):
    return tlv(0x17, s.encode("ascii"))


def gentime(s):
    return tlv(0x18, s.encode("ascii"))


def explicit(n, inner):
    return tlv(0xA0 | n, inner)


def read_tlv(data, off=0):
    """(tag, content start, end) of the element at off (definite lengths)."""
    tag = data[off]
    first = data[off + 1]
    if first < 0x80:
        return tag, off + 2, off + 2 + first
    k = first & 0x7F
    n = int.from_bytes(data[off + 2:off + 2 + k], "big")
    return tag, off + 2 + k, off + 2 + k + n


def children(data, start, end):
    out = []
    off = start
    while off < end:
        tag, cs, ce = read_tlv(data, off)
        out.append((tag, off, cs, ce))
        off = ce
    return out


def contents(der):
    _, cs, ce = read_tlv(der)
    return der[cs:ce]


# ---------------------------------------------------------------------------
# OIDs, names, algorithms
# ---------------------------------------------------------------------------

OID_CN = "2.5.4.3"
OID_O = "2.5.4.10"
OID_BC = "2.5.29.19"
OID_KU = "2.5.29.15"
OID_EKU = "2.5.29.37"
OID_SAN = "2.5.29.17"
OID_NC = "2.5.29.30"
OID_SKI = "2.5.29.14"
OID_AKI = "2.5.29.35"
OID_POLICIES = "2.5.29.32"
OID_ANY_POLICY = "2.5.29.32.0"
OID_SERVER_AUTH = "1.3.6.1.5.5.7.3.1"
OID_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"
OID_CODE_SIGNING = "1.3.6.1.5.5.7.3.3"
OID_ANY_EKU = "2.5.29.37.0"
# An extension nobody knows: under IANA's example enterprise number
# (RFC 5612), so it cannot collide with a real one.
OID_UNKNOWN_EXT = "1.3.6.1.4.1.32473.1.1"
OID_UNKNOWN_EXT2 = "1.3.6.1.4.1.32473.1.2"

OID_RSA = "1.2.840.113549.1.1.1"
OID_PSS = "1.2.840.113549.1.1.10"
OID_MGF1 = "1.2.840.113549.1.1.8"
OID_SHA256 = "2.16.840.1.101.3.4.2.1"
OID_SHA384 = "2.16.840.1.101.3.4.2.2"
OID_SHA512 = "2.16.840.1.101.3.4.2.3"


def name(*attrs):
    """A Name of one RDN per (oid, value) attribute, UTF8String values."""
    return seq(*[set_of(seq(oid(o), utf8(v))) for o, v in attrs])


def cn_name(cn):
    return name((OID_CN, cn))


def ca_name(cn):
    return name((OID_O, "tlsdiff"), (OID_CN, cn))


HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha384": hashes.SHA384,
          "sha512": hashes.SHA512}
HASH_OID = {"sha256": OID_SHA256, "sha384": OID_SHA384, "sha512": OID_SHA512}
HASH_LEN = {"sha256": 32, "sha384": 48, "sha512": 64}


def pss_params(h, salt=None):
    """RSASSA-PSS-params (RFC 4055 3.1) with the RFC 4055 2.1 identifiers
    (hash AlgorithmIdentifier with NULL parameters), MGF1 with the same
    hash, trailerField default (omitted)."""
    hid = seq(oid(HASH_OID[h]), null())
    salt = HASH_LEN[h] if salt is None else salt
    return seq(explicit(0, hid), explicit(1, seq(oid(OID_MGF1), hid)), explicit(2, integer(salt)))


SIGALG = {
    "rsa-sha1": seq(oid("1.2.840.113549.1.1.5"), null()),
    "rsa-sha256": seq(oid("1.2.840.113549.1.1.11"), null()),
    "rsa-sha384": seq(oid("1.2.840.113549.1.1.12"), null()),
    "rsa-sha512": seq(oid("1.2.840.113549.1.1.13"), null()),
    "ecdsa-sha256": seq(oid("1.2.840.10045.4.3.2")),
    "ecdsa-sha384": seq(oid("1.2.840.10045.4.3.3")),
    "ecdsa-sha512": seq(oid("1.2.840.10045.4.3.4")),
    "ed25519": seq(oid("1.3.101.112")),
    "pss-sha256": seq(oid(OID_PSS), pss_params("sha256")),
    "pss-sha384": seq(oid(OID_PSS), pss_params("sha384")),
    "pss-sha512": seq(oid(OID_PSS), pss_params("sha512")),
}


def ecdsa_scheme(h):
    """Deterministic ECDSA (RFC 6979) where this cryptography has it
    (44+ on OpenSSL 3.2+), so that regenerating does not churn the
    ECDSA-signed files; randomized ECDSA otherwise (equally valid)."""
    try:
        return ec.ECDSA(h, deterministic_signing=True)
    except Exception:  # noqa: BLE001 (TypeError or UnsupportedAlgorithm)
        return ec.ECDSA(h)


def sign(key, alg, data):
    kind, _, h = alg.partition("-")
    if kind == "rsa":
        return key.sign(data, padding.PKCS1v15(), HASHES[h]())
    if kind == "pss":
        return key.sign(data, padding.PSS(mgf=padding.MGF1(HASHES[h]()),
                                          salt_length=HASH_LEN[h]), HASHES[h]())
    if kind == "ecdsa":
        return key.sign(data, ecdsa_scheme(HASHES[h]()))
    if kind == "ed25519":
        return key.sign(data)
    raise ValueError(alg)


# ---------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------


def load_key(path):
    with open(path, "rb") as f:
        return serialization.load_pem_private_key(f.read(), password=None)


def pki_key(n):
    return load_key(os.path.join(PKI, n + ".key.pem"))


def own_key(n, kind):
    """keys/N.key.pem, generated once (PEM PKCS#8) and reused afterwards."""
    path = os.path.join(KEYS, n + ".key.pem")
    if not os.path.exists(path):
        if kind == "rsa":
            k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        elif kind == "p256":
            k = ec.generate_private_key(ec.SECP256R1())
        elif kind == "p384":
            k = ec.generate_private_key(ec.SECP384R1())
        elif kind == "p521":
            k = ec.generate_private_key(ec.SECP521R1())
        elif kind == "ed25519":
            k = ed25519.Ed25519PrivateKey.generate()
        elif kind == "x25519":
            k = x25519.X25519PrivateKey.generate()
        else:
            raise ValueError(kind)
        os.makedirs(KEYS, exist_ok=True)
        with open(path, "wb") as f:
            f.write(k.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return load_key(path)


def spki_of(key):
    return key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def pss_spki(key, params=None):
    """SubjectPublicKeyInfo with id-RSASSA-PSS (RFC 4055 1.2, 3.1)."""
    rsapub = key.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.PKCS1)
    alg = seq(oid(OID_PSS), params) if params is not None else seq(oid(OID_PSS))
    return seq(alg, bitstring(rsapub))


def key_id(spki):
    """RFC 5280 4.2.1.2 (1): SHA-1 of the subjectPublicKey BIT STRING value."""
    _, cs, ce = read_tlv(spki)
    (_, _, _, _), (_, _, bcs, bce) = children(spki, cs, ce)
    return hashlib.sha1(spki[bcs + 1:bce]).digest()


def natural_alg(key):
    if isinstance(key, rsa.RSAPrivateKey):
        return "rsa-sha256"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return {256: "ecdsa-sha256", 384: "ecdsa-sha384", 521: "ecdsa-sha512"}[key.curve.key_size]
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "ed25519"
    raise ValueError(key)


class CA:
    """Who signs: the Name, the private key, the key identifier, the
    algorithm it signs with by default, and its certificate."""

    def __init__(self, name_der, key, spki, alg=None, der=None):
        self.name = name_der
        self.key = key
        self.spki = spki
        self.ski = key_id(spki)
        self.alg = alg or natural_alg(key)
        self.der = der


# ---------------------------------------------------------------------------
# Extensions
# ---------------------------------------------------------------------------


def ext(o, value, critical=False, crit_raw=None):
    parts = [oid(o)]
    if crit_raw is not None:
        parts.append(crit_raw)
    elif critical:
        parts.append(boolean(True))  # DER: FALSE is the default, omitted
    parts.append(octets(value))
    return seq(*parts)


def bc(ca, pathlen=None, critical=True):
    parts = []
    if ca:
        parts.append(boolean(True))
    if pathlen is not None:
        parts.append(integer(pathlen))
    return ext(OID_BC, seq(*parts), critical)


KU_BITS = {"digitalSignature": 0, "nonRepudiation": 1, "keyEncipherment": 2,
           "dataEncipherment": 3, "keyAgreement": 4, "keyCertSign": 5, "cRLSign": 6,
           "encipherOnly": 7, "decipherOnly": 8}


def ku_value(names):
    """A DER named bit list (X.690 11.2.2: trailing zero bits removed)."""
    nums = [KU_BITS[n] for n in names]
    top = max(nums)
    arr = bytearray(top // 8 + 1)
    for b in nums:
        arr[b // 8] |= 0x80 >> (b % 8)
    return bitstring(bytes(arr), 7 - top % 8)


def ku(*names, critical=True):
    return ext(OID_KU, ku_value(names), critical)


def eku(*oids, critical=False):
    return ext(OID_EKU, seq(*[oid(o) for o in oids]), critical)


def dns(s):
    return tlv(0x82, s.encode("ascii"))


def ip(s):
    return tlv(0x87, ipaddress.ip_address(s).packed)


def ip_net(s):
    net = ipaddress.ip_network(s)
    return tlv(0x87, net.network_address.packed + net.netmask.packed)


def email(s):
    return tlv(0x81, s.encode("ascii"))


def dirname(name_der):
    return tlv(0xA4, name_der)


def san(*names, critical=False):
    return ext(OID_SAN, seq(*names), critical)


def nc(permitted=(), excluded=()):
    """NameConstraints (RFC 5280 4.2.1.10), critical as the RFC requires."""
    parts = []
    if permitted:
        parts.append(tlv(0xA0, b"".join(seq(g) for g in permitted)))
    if excluded:
        parts.append(tlv(0xA1, b"".join(seq(g) for g in excluded)))
    return ext(OID_NC, seq(*parts), True)


def ski_ext(kid):
    return ext(OID_SKI, octets(kid))


def aki_ext(kid):
    return ext(OID_AKI, seq(tlv(0x80, kid)))


def unknown_ext(critical, o=OID_UNKNOWN_EXT):
    return ext(o, utf8("tlsdiff test extension"), critical)


# ---------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------

NB = utc("250101000000Z")
NA = utc("360101000000Z")
DEF = object()  # "the default" (None means "absent")


def serial_for(label):
    """A positive 8-octet serial derived from the certificate's label."""
    h = hashlib.sha256(label.encode()).digest()
    return bytes([0x40 | (h[0] & 0x3F)]) + h[1:8]


def build(label, issuer, subject, spki, exts, *, version=2, raw_version=None, serial=None,
          alg=None, outer_alg=None, sign_alg=None, not_before=NB, not_after=NA,
          issuer_name=None, uids=b"", tbs_hook=None, sig_hook=None, der_hook=None,
          signer_key=None):
    """One Certificate (RFC 5280 4.1). `alg` is what the TBS and (unless
    outer_alg) the outer AlgorithmIdentifier say; `sign_alg` how the bytes
    are really signed (default: alg); `signer_key` overrides the issuer's
    key (a forgery)."""
    alg = alg or issuer.alg
    parts = []
    if raw_version is not None:
        parts.append(raw_version)
    elif version != 0:
        parts.append(explicit(0, integer(version)))
    parts.append(tlv(0x02, serial if serial is not None else serial_for(label)))
    parts.append(SIGALG[alg])
    parts.append(issuer_name if issuer_name is not None else issuer.name)
    parts.append(seq(not_before, not_after))
    parts.append(subject)
    parts.append(spki)
    parts.append(uids)
    if exts is not None:
        parts.append(explicit(3, seq(*exts)))
    tbs = seq(*parts)
    if tbs_hook:
        tbs = tbs_hook(tbs)
    sig = sign(signer_key or issuer.key, sign_alg or alg, tbs)
    if sig_hook:
        sig = sig_hook(sig)
    der = seq(tbs, SIGALG[outer_alg or alg], bitstring(sig))
    if der_hook:
        der = der_hook(der)
    return der


CA_KU = ("keyCertSign", "cRLSign")


def make_root(label, cn, key, *, alg=None, version=2):
    """A self-signed CA (a trust anchor)."""
    nm = ca_name(cn)
    spki = spki_of(key)
    ca = CA(nm, key, spki, alg)
    exts = None if version == 0 else [bc(True), ku(*CA_KU), ski_ext(ca.ski)]
    ca.der = build(label, ca, nm, spki, exts, version=version)
    return ca


def make_ca(label, issuer, cn_or_name, key, *, pathlen=None, exts=DEF, extra=(), spki=None,
            alg_as_issuer=None, bc_ext=DEF, ku_ext=DEF, **kw):
    """A CA certificate issued by `issuer`; returns the new CA (with .der)."""
    nm = ca_name(cn_or_name) if isinstance(cn_or_name, str) else cn_or_name
    spki = spki or spki_of(key)
    ca = CA(nm, key, spki, alg_as_issuer)
    if exts is DEF:
        exts = []
        b = bc(True, pathlen) if bc_ext is DEF else bc_ext
        if b is not None:
            exts.append(b)
        k = ku(*CA_KU) if ku_ext is DEF else ku_ext
        if k is not None:
            exts.append(k)
        exts += list(extra)
        exts += [ski_ext(ca.ski), aki_ext(issuer.ski)]
    ca.der = build(label, issuer, nm, spki, exts, **kw)
    return ca


def is_rsa_encryption(key, spki):
    return isinstance(key, rsa.RSAPrivateKey) and oid(OID_RSA) in spki[:24]


def make_leaf(label, issuer, key, *, purpose="server", cn=DEF, subject=None,
              sans=DEF, ku_ext=DEF, eku_ext=DEF, bc_ext=DEF, extra=(), exts=DEF,
              spki=None, **kw):
    """An end-entity certificate with the good defaults of the brief:
    v3, CN and SAN dNSName server.tlsdiff.test (client: CN
    client.tlsdiff.test, no SAN), basicConstraints critical CA:FALSE,
    keyUsage critical digitalSignature (+ keyEncipherment for an
    rsaEncryption key), EKU serverAuth / clientAuth, SKI and AKI."""
    spki = spki or spki_of(key)
    if cn is DEF:
        cn = "server.tlsdiff.test" if purpose == "server" else "client.tlsdiff.test"
    if subject is None:
        subject = cn_name(cn)
    if exts is DEF:
        exts = []
        exts.append(bc(False) if bc_ext is DEF else bc_ext)
        if ku_ext is DEF:
            if is_rsa_encryption(key, spki):
                exts.append(ku("digitalSignature", "keyEncipherment"))
            else:
                exts.append(ku("digitalSignature"))
        else:
            exts.append(ku_ext)
        if eku_ext is DEF:
            exts.append(eku(OID_SERVER_AUTH if purpose == "server" else OID_CLIENT_AUTH))
        else:
            exts.append(eku_ext)
        if sans is DEF:
            if purpose == "server":
                exts.append(san(dns("server.tlsdiff.test")))
        elif sans is not None:
            exts.append(san(*sans))
        exts += list(extra)
        exts += [ski_ext(key_id(spki)), aki_ext(issuer.ski)]
        exts = [e for e in exts if e is not None]
    return build(label, issuer, subject, spki, exts, **kw)


# ---------------------------------------------------------------------------
# PEM
# ---------------------------------------------------------------------------


def der_to_pem(der):
    b64 = base64.b64encode(der).decode()
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


PEM_RE = re.compile(r"-----BEGIN CERTIFICATE-----\s*(.*?)\s*-----END CERTIFICATE-----", re.S)


def pem_to_ders(text):
    return [base64.b64decode("".join(m.split())) for m in PEM_RE.findall(text)]


def read_text(path):
    with open(path) as f:
        return f.read()


# ---------------------------------------------------------------------------
# The test PKI (vectors/pki) and this directory's own CAs
# ---------------------------------------------------------------------------


def pki_ca(n):
    """A CA of vectors/pki as it is: subject and SPKI bytes from its DER."""
    der = pem_to_ders(read_text(os.path.join(PKI, n + ".crt.pem")))[0]
    _, cs, ce = read_tlv(der)
    tbs_tag, _, tcs, tce = children(der, cs, ce)[0]
    f = children(der, tcs, tce)
    if f[0][0] == 0xA0:
        f = f[1:]
    subject = der[f[4][1]:f[4][3]]
    spki = der[f[5][1]:f[5][3]]
    ca = CA(subject, pki_key(n), spki, "rsa-sha256", der)
    # Self-check: our key identifier is the one gen.sh's openssl wrote.
    c = cx509.load_der_x509_certificate(der)
    want = c.extensions.get_extension_for_class(cx509.SubjectKeyIdentifier).value.digest
    assert want == ca.ski, n + ": SKI differs from the computed key identifier"
    assert c.public_key().public_bytes(serialization.Encoding.DER,
                                       serialization.PublicFormat.SubjectPublicKeyInfo) == spki_of(ca.key)
    return ca


ROOT = pki_ca("root-ca")
INT = pki_ca("intermediate-ca")  # pathLen 0
CLIENT_CA = pki_ca("client-ca")
SRV_RSA = pki_key("server-rsa2048")
SRV_P256 = pki_key("server-p256")
SRV_P384 = pki_key("server-p384")
SRV_ED = pki_key("server-ed25519")
CLI_P256 = pki_key("client-p256")
CLI_RSA = pki_key("client-rsa2048")

K_OTHER = own_key("other-ca", "rsa")
K_CHAIN = [own_key("chain-ca-" + c, "rsa") for c in "abcde"]
K_P256CA = own_key("ca-p256", "p256")
K_P384CA = own_key("ca-p384", "p384")
K_EDCA = own_key("ca-ed25519", "ed25519")
K_PSSCA = own_key("ca-rsapss", "rsa")
K_PSSLEAF = own_key("leaf-rsapss", "rsa")
K_P521 = own_key("leaf-p521", "p521")
K_X25519 = own_key("leaf-x25519", "x25519")
K_V1ROOT = own_key("root-v1", "rsa")
K_ROLLOVER = own_key("rollover-ca", "rsa")
K_CLIENT_INT = own_key("client-int", "rsa")

OTHER_ROOT = make_root("anchor/other-root", "tlsdiff Vectors Other Root", K_OTHER)
P256_ROOT = make_root("anchor/p256-root", "tlsdiff Vectors P-256 Root", K_P256CA)
P384_ROOT = make_root("anchor/p384-root", "tlsdiff Vectors P-384 Root", K_P384CA)
ED_ROOT = make_root("anchor/ed25519-root", "tlsdiff Vectors Ed25519 Root", K_EDCA)
V1_ROOT = make_root("anchor/v1-root", "tlsdiff Vectors v1 Root", K_V1ROOT, version=0)

ANCHOR_DER = {  # written by der_to_pem; the PKI ones are copied as they are
    "other-root": OTHER_ROOT.der,
    "p256-root": P256_ROOT.der,
    "p384-root": P384_ROOT.der,
    "ed25519-root": ED_ROOT.der,
    "v1-root": V1_ROOT.der,
}
ANCHOR_COPY = {"root-ca": "root-ca.crt.pem", "client-ca": "client-ca.crt.pem",
               "intermediate-ca": "intermediate-ca.crt.pem"}

# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

CASES = []  # (family, id, expect, purpose, host, anchors, justification, [der])
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def case(family, cid, expect, purpose, host, anchors, just, chain):
    assert ID_RE.match(cid), cid
    assert cid not in {c[1] for c in CASES}, "duplicate id " + cid
    assert "|" not in just and "\n" not in just, cid
    if expect != "accept":
        assert expect.startswith("reject:"), cid
        for r in expect[len("reject:"):].split("|"):
            assert r in REASONS, (cid, r)
    assert purpose in ("server", "client"), cid
    for a in anchors.split(","):
        assert a in ANCHOR_DER or a in ANCHOR_COPY, (cid, a)
    CASES.append((family, cid, expect, purpose, host, anchors, just, chain))


def srv(label, **kw):
    """The default server leaf (RSA key) under the PKI intermediate."""
    return make_leaf(label, INT, kw.pop("key", SRV_RSA), **kw)


def flip_last(b):
    return b[:-1] + bytes([b[-1] ^ 0x01])


H = "server.tlsdiff.test"
R = "root-ca"


def int_like(label, **kw):
    """A re-issued 'tlsdiff Test Intermediate CA' (same name and key as the
    PKI's, so the PKI leaves' issuer) with the changes asked for."""
    return make_ca(label, ROOT, INT.name, INT.key, **kw)


# ---- validity (RFC 5280 4.1.2.5, 6.1.3 (a)(2)) ---------------------------

F = "validity"
case(F, "validity-baseline", "accept", "server", H, R,
     "RFC 5280 6.1.3 (a)(2): leaf 2025-01-01..2036-01-01 and intermediate likewise contain the clock 2026-01-01 (all other checks pass)",
     [srv("validity-baseline/leaf"), INT.der])
case(F, "validity-leaf-expired", "reject:expired", "server", H, R,
     "RFC 5280 6.1.3 (a)(2): the leaf's notAfter 2025-06-01T00:00:00Z is before the clock 2026-01-01",
     [srv("validity-leaf-expired/leaf", not_after=utc("250601000000Z")), INT.der])
case(F, "validity-leaf-not-yet-valid", "reject:not_yet_valid", "server", H, R,
     "RFC 5280 6.1.3 (a)(2): the leaf's notBefore 2026-06-01T00:00:00Z is after the clock 2026-01-01",
     [srv("validity-leaf-not-yet-valid/leaf", not_before=utc("260601000000Z")), INT.der])
case(F, "validity-notafter-equals-clock", "accept", "server", H, R,
     "RFC 5280 4.1.2.5: the validity period runs from notBefore through notAfter inclusive, and notAfter is exactly the clock 260101000000Z",
     [srv("validity-notafter-equals-clock/leaf", not_after=utc("260101000000Z")), INT.der])
case(F, "validity-notafter-one-second-before", "reject:expired", "server", H, R,
     "RFC 5280 4.1.2.5: notAfter 251231235959Z is one second before the clock 2026-01-01T00:00:00Z",
     [srv("validity-notafter-one-second-before/leaf", not_after=utc("251231235959Z")), INT.der])
case(F, "validity-notbefore-equals-clock", "accept", "server", H, R,
     "RFC 5280 4.1.2.5: the validity period includes notBefore, which is exactly the clock 260101000000Z",
     [srv("validity-notbefore-equals-clock/leaf", not_before=utc("260101000000Z")), INT.der])
case(F, "validity-notbefore-one-second-after", "reject:not_yet_valid", "server", H, R,
     "RFC 5280 4.1.2.5: notBefore 260101000001Z is one second after the clock",
     [srv("validity-notbefore-one-second-after/leaf", not_before=utc("260101000001Z")), INT.der])
case(F, "validity-intermediate-expired", "reject:expired", "server", H, R,
     "RFC 5280 6.1.3 (a)(2) applies to every certificate on the path: the intermediate's notAfter 2025-12-01 is before the clock",
     [srv("validity-intermediate-expired/leaf"),
      int_like("validity-intermediate-expired/int", pathlen=0, not_after=utc("251201000000Z")).der])
case(F, "validity-intermediate-not-yet-valid", "reject:not_yet_valid", "server", H, R,
     "RFC 5280 6.1.3 (a)(2): the intermediate's notBefore 2026-02-01 is after the clock",
     [srv("validity-intermediate-not-yet-valid/leaf"),
      int_like("validity-intermediate-not-yet-valid/int", pathlen=0, not_before=utc("260201000000Z")).der])
case(F, "validity-leaf-outlives-intermediate", "accept", "server", H, R,
     "RFC 5280 6.1.3 (a)(2) checks each certificate's own period only: the intermediate (until 2027) need not cover the leaf's notAfter 2036",
     [srv("validity-leaf-outlives-intermediate/leaf"),
      int_like("validity-leaf-outlives-intermediate/int", pathlen=0, not_after=utc("270101000000Z")).der])
case(F, "validity-generalizedtime-2050", "accept", "server", H, R,
     "RFC 5280 4.1.2.5: dates in 2050 or later MUST be GeneralizedTime; notAfter 20500101000000Z is after the clock",
     [srv("validity-generalizedtime-2050/leaf", not_after=gentime("20500101000000Z")), INT.der])
case(F, "validity-generalizedtime-99991231", "accept", "server", H, R,
     "RFC 5280 4.1.2.5: notAfter 99991231235959Z (GeneralizedTime) means no well-defined expiration",
     [srv("validity-generalizedtime-99991231/leaf", not_after=gentime("99991231235959Z")), INT.der])
case(F, "validity-notbefore-generalizedtime-2050", "reject:not_yet_valid", "server", H, R,
     "RFC 5280 4.1.2.5: notBefore 20500101000000Z (GeneralizedTime, correct for 2050) is after the clock",
     [srv("validity-notbefore-generalizedtime-2050/leaf", not_before=gentime("20500101000000Z"),
          not_after=gentime("20600101000000Z")), INT.der])
case(F, "validity-utctime-2049", "accept", "server", H, R,
     "RFC 5280 4.1.2.5.1: UTCTime YY below 50 is 20YY, so notAfter 491231235959Z is 2049-12-31, after the clock",
     [srv("validity-utctime-2049/leaf", not_after=utc("491231235959Z")), INT.der])
case(F, "validity-utctime-50-is-1950", "reject:expired", "server", H, R,
     "RFC 5280 4.1.2.5.1: UTCTime YY of 50 or more is 19YY, so the leaf's 500101000000Z..501231235959Z is all of 1950, before the clock",
     [srv("validity-utctime-50-is-1950/leaf", not_before=utc("500101000000Z"),
          not_after=utc("501231235959Z")), INT.der])

# ---- chain building (RFC 5280 6.1, RFC 8446 4.4.2) ------------------------

F = "chain"


def chain_cas(label, n, first_pathlen=None):
    """root-ca -> CA A -> CA B -> ... (n CAs, distinct keys, no pathLen
    except on the first when asked); returns the CA objects in order."""
    out = []
    issuer = ROOT
    for i in range(n):
        c = make_ca("%s/ca-%d" % (label, i), issuer, "tlsdiff Vectors CA " + "ABCDE"[i],
                    K_CHAIN[i], pathlen=first_pathlen if i == 0 else None)
        out.append(c)
        issuer = c
    return out


wrong = make_leaf("chain-wrong-issuer-key/leaf", INT, SRV_RSA, signer_key=K_OTHER)
case(F, "chain-wrong-issuer-key", SIG_FAIL, "server", H, R,
     "RFC 5280 6.1.3 (a)(1): the leaf names the intermediate as issuer (and its key id) but was signed by another RSA key, so the intermediate's key does not verify it",
     [wrong, INT.der])
forged = make_ca("chain-forged-intermediate/int", ROOT, INT.name, INT.key, pathlen=0, signer_key=K_OTHER)
case(F, "chain-forged-intermediate", SIG_FAIL, "server", H, R,
     "RFC 5280 6.1.3 (a)(1): the intermediate claims root-ca as issuer but is signed by another key; the leaf under it is fine",
     [srv("chain-forged-intermediate/leaf"), forged.der])
case(F, "chain-missing-intermediate", "reject:no_path", "server", H, R,
     "RFC 5280 6.1 / RFC 8446 4.4.2: only the leaf is sent; its issuer (the intermediate) is neither presented nor an anchor, so no path reaches root-ca",
     [srv("chain-missing-intermediate/leaf")])
case(F, "chain-issuer-name-differs", "reject:no_path", "server", H, R,
     "RFC 5280 6.1.3 (a)(4): the leaf's issuer is 'tlsdiff Test Intermediate CA 2', which is no presented certificate's subject (the intermediate's key signed it, but names chain paths)",
     [srv("chain-issuer-name-differs/leaf", issuer_name=ca_name("tlsdiff Test Intermediate CA 2")), INT.der])
selfsigned_ca = CA(cn_name(H), SRV_RSA, spki_of(SRV_RSA))
selfsigned = make_leaf("chain-selfsigned-leaf/leaf", selfsigned_ca, SRV_RSA,
                       exts=[bc(False), ku("digitalSignature", "keyEncipherment"),
                             eku(OID_SERVER_AUTH), san(dns(H)), ski_ext(selfsigned_ca.ski)])
ANCHOR_DER["selfsigned-server"] = selfsigned
case(F, "chain-selfsigned-leaf", "reject:no_path", "server", H, R,
     "RFC 5280 6.1: a self-signed end-entity certificate that is not among the anchors (root-ca) has no path to one",
     [selfsigned])
case(F, "chain-selfsigned-leaf-is-anchor", "accept", "server", H, "selfsigned-server",
     "RFC 5280 6.1.1 (d): the presented self-signed leaf is itself the trust anchor (the reference accepts a leaf equal to an anchor as it is); names, EKU and key usage fit",
     [selfsigned])
pinned = srv("chain-leaf-is-anchor/leaf")
ANCHOR_DER["pinned-leaf"] = pinned
case(F, "chain-leaf-is-anchor", "accept", "server", H, "pinned-leaf",
     "RFC 5280 6.1.1 (d): the leaf (issued by the intermediate) is itself configured as the trust anchor, so nothing above it is needed; the reference accepts a leaf equal to an anchor",
     [pinned])
case(F, "chain-intermediate-is-anchor", "accept", "server", H, "intermediate-ca",
     "RFC 5280 6.1.1 (d): any CA can be the trust anchor; the intermediate is the anchor here, so leaf alone makes the path",
     [srv("chain-intermediate-is-anchor/leaf")])
case(F, "chain-extra-unrelated", "accept", "server", H, R,
     "RFC 8446 4.4.2: certificates not needed for the path (an unrelated self-signed root) may be sent and are ignored",
     [srv("chain-extra-unrelated/leaf"), INT.der, OTHER_ROOT.der])
dup = srv("chain-duplicate-leaf/leaf")
case(F, "chain-duplicate-leaf", "accept", "server", H, R,
     "RFC 8446 4.4.2: the leaf sent twice; the second copy is not on the path and is ignored",
     [dup, dup, INT.der])
case(F, "chain-root-included", "accept", "server", H, R,
     "RFC 8446 4.4.2: the sender may include the anchor itself (root-ca after the intermediate); the presented root equals the anchor",
     [srv("chain-root-included/leaf"), INT.der, ROOT.der])
case(F, "chain-wrong-anchor", "reject:no_path", "server", H, "client-ca",
     "RFC 5280 6.1: leaf and intermediate chain to root-ca, but the only anchor is client-ca",
     [srv("chain-wrong-anchor/leaf"), INT.der])
cas = chain_cas("chain-two-intermediates", 2)
leaf = make_leaf("chain-two-intermediates/leaf", cas[-1], SRV_RSA)
case(F, "chain-two-intermediates", "accept", "server", H, R,
     "RFC 5280 6.1: root-ca -> CA A -> CA B -> leaf, sent in order; no pathLenConstraint anywhere",
     [leaf, cas[1].der, cas[0].der])
cas = chain_cas("chain-intermediates-out-of-order", 2)
leaf = make_leaf("chain-intermediates-out-of-order/leaf", cas[-1], SRV_RSA)
case(F, "chain-intermediates-out-of-order", "accept", "server", H, R,
     "RFC 8446 4.4.2: root-ca -> CA A -> CA B -> leaf sent as leaf, CA A, CA B; only the leaf must come first and a verifier builds the path in any order",
     [leaf, cas[0].der, cas[1].der])
cas = chain_cas("chain-depth-6", 4)
leaf = make_leaf("chain-depth-6/leaf", cas[-1], SRV_RSA)
case(F, "chain-depth-6", "accept", "server", H, R,
     "RFC 5280 6.1: root-ca -> 4 CAs -> leaf, 6 certificates with the anchor; the reference's documented maximum path (TD_X509_MAX_DEPTH) is 6",
     [leaf] + [c.der for c in reversed(cas)])
cas = chain_cas("chain-depth-7", 5)
leaf = make_leaf("chain-depth-7/leaf", cas[-1], SRV_RSA)
case(F, "chain-depth-7", "reject:path_too_long", "server", H, R,
     "RFC 5280 6.1 sets no depth limit (implementations may); root-ca -> 5 CAs -> leaf is 7 certificates with the anchor, over the reference's documented 6 (TD_X509_MAX_DEPTH)",
     [leaf] + [c.der for c in reversed(cas)])
junk = [make_leaf("chain-9-presented/junk-%d" % i, OTHER_ROOT, SRV_P256,
                  cn="unrelated-%d.tlsdiff.test" % i, sans=[dns("unrelated-%d.tlsdiff.test" % i)])
        for i in range(7)]
case(F, "chain-9-presented", "reject:limit", "server", H, R,
     "RFC 8446 4.4.2 sets no count; the reference documents at most 8 presented certificates (TD_X509_MAX_CHAIN) and 9 are sent (leaf, intermediate, 7 unrelated)",
     [srv("chain-9-presented/leaf"), INT.der] + junk)

# ---- CA rules (RFC 5280 4.2.1.9, 4.2.1.3, 6.1.4) --------------------------

F = "ca"
case(F, "ca-no-basic-constraints", "reject:not_ca", "server", H, R,
     "RFC 5280 6.1.4 (k): the v3 intermediate has no basicConstraints, so it is not a CA",
     [srv("ca-no-basic-constraints/leaf"),
      int_like("ca-no-basic-constraints/int", bc_ext=None).der])
case(F, "ca-basic-constraints-false", "reject:not_ca", "server", H, R,
     "RFC 5280 6.1.4 (k): the intermediate's basicConstraints is critical with cA FALSE (the DER empty SEQUENCE)",
     [srv("ca-basic-constraints-false/leaf"),
      int_like("ca-basic-constraints-false/int", bc_ext=bc(False)).der])
case(F, "ca-basic-constraints-noncritical", "accept", "server", H, R,
     "RFC 5280 6.1.4 (k) needs basicConstraints present with cA TRUE; criticality is a CA-side MUST of 4.2.1.9 that path validation does not check",
     [srv("ca-basic-constraints-noncritical/leaf"),
      int_like("ca-basic-constraints-noncritical/int", bc_ext=bc(True, 0, critical=False)).der])
case(F, "ca-v1-intermediate", "reject:not_ca", "server", H, R,
     "RFC 5280 6.1.4 (k): a v1 intermediate (no extensions possible) cannot show cA TRUE and nothing out of band vouches for it, so it MUST be rejected",
     [srv("ca-v1-intermediate/leaf"),
      int_like("ca-v1-intermediate/int", exts=None, version=0).der])
case(F, "ca-v1-root-anchor", "accept", "server", H, "v1-root",
     "RFC 5280 6.1.1 (d): the trust anchor is input information (name and key), so a v1 self-signed root works as anchor; the leaf under it is a good v3 leaf",
     [make_leaf("ca-v1-root-anchor/leaf", V1_ROOT, SRV_RSA)])
lf = make_ca("ca-leaf-as-issuer/issuer-leaf", ROOT, cn_name("issuer-leaf.tlsdiff.test"), SRV_P256,
             exts=[bc(False), eku(OID_SERVER_AUTH), san(dns("issuer-leaf.tlsdiff.test")), ski_ext(key_id(spki_of(SRV_P256))),
                   aki_ext(ROOT.ski)])
case(F, "ca-leaf-as-issuer", "reject:not_ca", "server", H, R,
     "RFC 5280 6.1.4 (k): the leaf's issuer is an end-entity certificate (basicConstraints cA FALSE, no keyUsage so 6.1.4 (n) does not apply) issued by root-ca",
     [make_leaf("ca-leaf-as-issuer/leaf", lf, SRV_RSA), lf.der])
case(F, "ca-key-usage-no-certsign", "reject:ca_key_usage", "server", H, R,
     "RFC 5280 6.1.4 (n): the intermediate's keyUsage (digitalSignature, cRLSign) lacks keyCertSign",
     [srv("ca-key-usage-no-certsign/leaf"),
      int_like("ca-key-usage-no-certsign/int", ku_ext=ku("digitalSignature", "cRLSign")).der])
case(F, "ca-key-usage-certsign-only", "accept", "server", H, R,
     "RFC 5280 6.1.4 (n): keyUsage keyCertSign alone is enough to sign certificates",
     [srv("ca-key-usage-certsign-only/leaf"),
      int_like("ca-key-usage-certsign-only/int", pathlen=0, ku_ext=ku("keyCertSign")).der])
case(F, "ca-no-key-usage", "accept", "server", H, R,
     "RFC 5280 6.1.4 (n) checks keyCertSign only if keyUsage is present; including it is a CA-side MUST of 4.2.1.3, not a validation step",
     [srv("ca-no-key-usage/leaf"), int_like("ca-no-key-usage/int", ku_ext=None).der])
case(F, "ca-eku-clientauth-only", "accept", "server", H, R,
     "RFC 5280 4.2.1.12 / 6.1: extKeyUsage binds the certificate it is in and is not chained; the intermediate's clientAuth-only EKU does not restrict the leaf (the reference checks EKU on the leaf only)",
     [srv("ca-eku-clientauth-only/leaf"),
      int_like("ca-eku-clientauth-only/int", pathlen=0, extra=[eku(OID_CLIENT_AUTH)]).der])
p = int_like("ca-pathlen0-exceeded/int", pathlen=0)
sub = make_ca("ca-pathlen0-exceeded/sub", p, "tlsdiff Vectors CA A", K_CHAIN[0])
case(F, "ca-pathlen0-exceeded", "reject:path_len", "server", H, R,
     "RFC 5280 6.1.4 (l): the intermediate has pathLenConstraint 0 but another non-self-issued CA (CA A) follows it before the leaf",
     [make_leaf("ca-pathlen0-exceeded/leaf", sub, SRV_RSA), sub.der, p.der])
cas = chain_cas("ca-pathlen1-satisfied", 2, first_pathlen=1)
case(F, "ca-pathlen1-satisfied", "accept", "server", H, R,
     "RFC 5280 6.1.4 (l),(m): CA A has pathLenConstraint 1 and exactly one CA (CA B) follows it",
     [make_leaf("ca-pathlen1-satisfied/leaf", cas[-1], SRV_RSA), cas[1].der, cas[0].der])
cas = chain_cas("ca-pathlen1-exceeded", 3, first_pathlen=1)
case(F, "ca-pathlen1-exceeded", "reject:path_len", "server", H, R,
     "RFC 5280 6.1.4 (l): CA A has pathLenConstraint 1 but two CAs (B, C) follow it",
     [make_leaf("ca-pathlen1-exceeded/leaf", cas[-1], SRV_RSA), cas[2].der, cas[1].der, cas[0].der])
p = int_like("ca-pathlen0-self-issued/int", pathlen=0)
roll = make_ca("ca-pathlen0-self-issued/rollover", p, INT.name, K_ROLLOVER, pathlen=0)
case(F, "ca-pathlen0-self-issued", "accept", "server", H, R,
     "RFC 5280 6.1.4 (l): a self-issued CA (issuer = subject = the intermediate's name, a rollover key) does not count against the intermediate's pathLenConstraint 0",
     [make_leaf("ca-pathlen0-self-issued/leaf", roll, SRV_RSA), roll.der, p.der])

# ---- leaf rules (RFC 5280 4.2.1.3, 4.2.1.12) -----------------------------

F = "leaf"
case(F, "leaf-eku-clientauth-only", "reject:eku", "server", H, R,
     "RFC 5280 4.2.1.12: the leaf's extKeyUsage is clientAuth only, so it may not be used as a TLS server certificate",
     [srv("leaf-eku-clientauth-only/leaf", eku_ext=eku(OID_CLIENT_AUTH)), INT.der])
case(F, "leaf-eku-codesigning-only", "reject:eku", "server", H, R,
     "RFC 5280 4.2.1.12: the leaf's extKeyUsage is codeSigning only, which excludes serverAuth",
     [srv("leaf-eku-codesigning-only/leaf", eku_ext=eku(OID_CODE_SIGNING)), INT.der])
case(F, "leaf-eku-any", "accept", "server", H, R,
     "RFC 5280 4.2.1.12 permits anyExtendedKeyUsage to mean any purpose; the reference accepts it for serverAuth (its documented choice)",
     [srv("leaf-eku-any/leaf", eku_ext=eku(OID_ANY_EKU)), INT.der])
case(F, "leaf-eku-absent", "accept", "server", H, R,
     "RFC 5280 4.2.1.12: without extKeyUsage the key is not restricted to particular purposes",
     [srv("leaf-eku-absent/leaf", eku_ext=None), INT.der])
case(F, "leaf-eku-server-and-client", "accept", "server", H, R,
     "RFC 5280 4.2.1.12: extKeyUsage serverAuth and clientAuth includes serverAuth",
     [srv("leaf-eku-server-and-client/leaf", eku_ext=eku(OID_SERVER_AUTH, OID_CLIENT_AUTH)), INT.der])
case(F, "leaf-eku-critical", "accept", "server", H, R,
     "RFC 5280 4.2.1.12: extKeyUsage MAY be critical; critical serverAuth allows the server use",
     [srv("leaf-eku-critical/leaf", eku_ext=eku(OID_SERVER_AUTH, critical=True)), INT.der])
case(F, "leaf-ku-certsign-only", "reject:leaf_key_usage", "server", H, R,
     "RFC 5280 4.2.1.3 / RFC 8446 4.4.2.2: the leaf's keyUsage is keyCertSign only, which allows neither the handshake signature (digitalSignature) nor keyEncipherment",
     [srv("leaf-ku-certsign-only/leaf", ku_ext=ku("keyCertSign")), INT.der])
case(F, "leaf-ku-absent", "accept", "server", H, R,
     "RFC 5280 4.2.1.3: keyUsage is optional in an end-entity certificate; absent, the key is not restricted",
     [srv("leaf-ku-absent/leaf", ku_ext=None), INT.der])
case(F, "leaf-ku-keyencipherment-only", "reject:leaf_key_usage", "server", H, R,
     "RFC 5280 4.2.1.3 / RFC 8446 4.4.2.2: RSA leaf with keyUsage keyEncipherment only; the case's policy is the signing use (key_encipherment 0), which needs digitalSignature",
     [srv("leaf-ku-keyencipherment-only/leaf", ku_ext=ku("keyEncipherment")), INT.der])
case(F, "leaf-ku-digitalsignature-only-rsa", "accept", "server", H, R,
     "RFC 5280 4.2.1.3: RSA leaf with keyUsage digitalSignature only is fine for the signing use (key_encipherment 0)",
     [srv("leaf-ku-digitalsignature-only-rsa/leaf", ku_ext=ku("digitalSignature")), INT.der])
case(F, "leaf-ku-keyagreement-only-ec", "reject:leaf_key_usage", "server", H, R,
     "RFC 5280 4.2.1.3 / RFC 8446 4.4.2.2: P-256 leaf with keyUsage keyAgreement only cannot make the handshake signature (digitalSignature missing)",
     [srv("leaf-ku-keyagreement-only-ec/leaf", key=SRV_P256, ku_ext=ku("keyAgreement")), INT.der])
case(F, "leaf-no-basic-constraints", "accept", "server", H, R,
     "RFC 5280 4.2.1.9: basicConstraints MAY be absent from an end-entity certificate",
     [srv("leaf-no-basic-constraints/leaf", bc_ext=None), INT.der])
case(F, "leaf-basic-constraints-ca-true", "accept", "server", H, R,
     "RFC 5280 6.1: nothing in path validation restricts the target certificate's basicConstraints; a leaf with cA TRUE (keyUsage digitalSignature, keyCertSign) is still valid for TLS",
     [srv("leaf-basic-constraints-ca-true/leaf", bc_ext=bc(True),
          ku_ext=ku("digitalSignature", "keyCertSign")), INT.der])

# ---- host names (RFC 6125 6.4, RFC 2818 3.1) -------------------------------

F = "host"


def host_leaf(label, sans, cn=DEF, key=SRV_RSA):
    if cn is DEF:
        cn = "tlsdiff vectors leaf"
        for g in sans or ():
            if g[0] == 0x82:
                cn = g[2:].decode()
                break
    return [make_leaf(label, INT, key, cn=cn, sans=sans), INT.der]


case(F, "host-exact", "accept", "server", H, R,
     "RFC 6125 6.4.1: the DNS-ID server.tlsdiff.test equals the host",
     host_leaf("host-exact/leaf", [dns(H)]))
case(F, "host-second-san", "accept", "server", H, R,
     "RFC 6125 6.4: any presented DNS-ID may match; the second dNSName server.tlsdiff.test equals the host",
     host_leaf("host-second-san/leaf", [dns("www.tlsdiff.test"), dns(H)]))
case(F, "host-case-insensitive-san", "accept", "server", H, R,
     "RFC 6125 6.4.1: DNS labels compare case-insensitively; SAN Server.TLSdiff.TEST matches server.tlsdiff.test",
     host_leaf("host-case-insensitive-san/leaf", [dns("Server.TLSdiff.TEST")]))
case(F, "host-case-insensitive-host", "accept", "server", "SERVER.TLSDIFF.TEST", R,
     "RFC 6125 6.4.1: DNS labels compare case-insensitively; host SERVER.TLSDIFF.TEST matches SAN server.tlsdiff.test",
     host_leaf("host-case-insensitive-host/leaf", [dns(H)]))
case(F, "host-mismatch", "reject:name_mismatch", "server", H, R,
     "RFC 6125 6.4.1: the only DNS-ID www.tlsdiff.test differs from the host server.tlsdiff.test",
     host_leaf("host-mismatch/leaf", [dns("www.tlsdiff.test")]))
case(F, "host-parent-domain-san", "reject:name_mismatch", "server", H, R,
     "RFC 6125 6.4.1: DNS-ID tlsdiff.test has one label fewer than the host; without a wildcard there is no suffix match",
     host_leaf("host-parent-domain-san/leaf", [dns("tlsdiff.test")]))
case(F, "host-absent-no-check", "accept", "server", "-", R,
     "RFC 6125 6: with no reference identifier (HOST -) there is no name to check; the leaf's DNS-ID www.tlsdiff.test is not compared",
     host_leaf("host-absent-no-check/leaf", [dns("www.tlsdiff.test")]))
case(F, "host-wildcard", "accept", "server", H, R,
     "RFC 6125 6.4.3: *.tlsdiff.test matches exactly one left-most label, so server.tlsdiff.test matches",
     host_leaf("host-wildcard/leaf", [dns("*.tlsdiff.test")]))
case(F, "host-wildcard-uppercase", "accept", "server", H, R,
     "RFC 6125 6.4.1, 6.4.3: *.TLSDIFF.test matches server.tlsdiff.test (wildcard label, rest compared case-insensitively)",
     host_leaf("host-wildcard-uppercase/leaf", [dns("*.TLSDIFF.test")]))
case(F, "host-wildcard-two-labels", "reject:name_mismatch", "server", "a.b.tlsdiff.test", R,
     "RFC 6125 6.4.3: the wildcard stands for one label only, so *.tlsdiff.test does not match a.b.tlsdiff.test",
     host_leaf("host-wildcard-two-labels/leaf", [dns("*.tlsdiff.test")]))
case(F, "host-wildcard-base-domain", "reject:name_mismatch", "server", "tlsdiff.test", R,
     "RFC 6125 6.4.3: *.tlsdiff.test needs a label in place of the *, so it does not match tlsdiff.test",
     host_leaf("host-wildcard-base-domain/leaf", [dns("*.tlsdiff.test")]))
case(F, "host-wildcard-partial-label", "reject:name_mismatch", "server", "foo.tlsdiff.test", R,
     "RFC 6125 6.4.3 lets a client match f*.tlsdiff.test against foo.tlsdiff.test (MAY); the reference accepts a wildcard only as the whole left-most label (its documented choice)",
     host_leaf("host-wildcard-partial-label/leaf", [dns("f*.tlsdiff.test")]))
case(F, "host-wildcard-not-leftmost", "reject:name_mismatch", "server", H, R,
     "RFC 6125 6.4.3: a wildcard in a label other than the left-most (server.*.test) SHOULD NOT be matched",
     host_leaf("host-wildcard-not-leftmost/leaf", [dns("server.*.test")]))
case(F, "host-wildcard-public-suffix-com", "reject:name_mismatch", "server", "tlsdiff.com", R,
     "RFC 6125 7.2 leaves wildcards over a public suffix to the client; the reference requires at least two labels after the wildcard (its documented rule), so *.com matches nothing",
     host_leaf("host-wildcard-public-suffix-com/leaf", [dns("*.com")]))
case(F, "host-wildcard-two-label-suffix", "accept", "server", "tlsdiff.co.uk", R,
     "RFC 6125 6.4.3: *.co.uk has two labels after the wildcard, which is all the reference's documented rule asks (no public suffix list), so tlsdiff.co.uk matches",
     host_leaf("host-wildcard-two-label-suffix/leaf", [dns("*.co.uk")]))
case(F, "host-wildcard-alone", "reject:name_mismatch", "server", "test", R,
     "RFC 6125 6.4.3: a DNS-ID that is only * has no labels after the wildcard and matches nothing",
     host_leaf("host-wildcard-alone/leaf", [dns("*")]))
case(F, "host-ip-san", "accept", "server", "127.0.0.1", R,
     "RFC 2818 3.1: an IP host matches an iPAddress SAN of the same 4 octets (127.0.0.1)",
     host_leaf("host-ip-san/leaf", [dns(H), ip("127.0.0.1")]))
case(F, "host-ipv6-san", "accept", "server", "::1", R,
     "RFC 2818 3.1: IPv6 host ::1 matches the 16-octet iPAddress SAN ::1",
     host_leaf("host-ipv6-san/leaf", [dns(H), ip("::1")]))
case(F, "host-ip-mismatch", "reject:name_mismatch", "server", "127.0.0.2", R,
     "RFC 2818 3.1: the iPAddress must exactly match; SAN 127.0.0.1 is not host 127.0.0.2",
     host_leaf("host-ip-mismatch/leaf", [dns(H), ip("127.0.0.1")]))
case(F, "host-ip-vs-dns-text", "reject:name_mismatch", "server", "127.0.0.1", R,
     "RFC 2818 3.1: an IP host must match an iPAddress SAN; a dNSName holding the text 127.0.0.1 is not one",
     host_leaf("host-ip-vs-dns-text/leaf", [dns("127.0.0.1")], cn="127.0.0.1"))
case(F, "host-ip-in-cn-no-san", "reject:name_mismatch", "server", "127.0.0.1", R,
     "RFC 2818 3.1: for an IP host the iPAddress SAN must be present; a CN of 127.0.0.1 in a certificate without SAN does not count",
     host_leaf("host-ip-in-cn-no-san/leaf", None, cn="127.0.0.1"))
case(F, "host-dns-vs-ip-san", "reject:name_mismatch", "server", H, R,
     "RFC 6125 6.4: a DNS host is compared with DNS-IDs only; the leaf has just iPAddress 127.0.0.1 (and a CN that is no host name)",
     host_leaf("host-dns-vs-ip-san/leaf", [ip("127.0.0.1")], cn="tlsdiff vectors leaf"))
case(F, "host-cn-fallback-no-san", "accept", "server", H, R,
     "RFC 6125 6.4.4: with no subjectAltName at all the reference falls back to the CN (its documented choice), and CN server.tlsdiff.test equals the host",
     host_leaf("host-cn-fallback-no-san/leaf", None, cn=H))
case(F, "host-cn-fallback-mismatch", "reject:name_mismatch", "server", H, R,
     "RFC 6125 6.4.4: no subjectAltName, so the CN is used (reference's choice), but CN www.tlsdiff.test differs from the host",
     host_leaf("host-cn-fallback-mismatch/leaf", None, cn="www.tlsdiff.test"))
case(F, "host-cn-fallback-wildcard", "accept", "server", H, R,
     "RFC 6125 6.4.4 with 6.4.3: no SAN, so the CN *.tlsdiff.test is the identifier (reference's choice) and matches by the wildcard rule",
     host_leaf("host-cn-fallback-wildcard/leaf", None, cn="*.tlsdiff.test"))
case(F, "host-cn-ignored-with-dns-san", "reject:name_mismatch", "server", H, R,
     "RFC 6125 6.4.4: the leaf has a DNS-ID (www.tlsdiff.test), so the CN server.tlsdiff.test MUST NOT be used",
     host_leaf("host-cn-ignored-with-dns-san/leaf", [dns("www.tlsdiff.test")], cn=H))
case(F, "host-cn-ignored-with-ip-san", "reject:name_mismatch", "server", H, R,
     "RFC 6125 6.4.4 leaves CN use to the client; the reference uses the CN only when there is no subjectAltName at all, and this leaf has one (iPAddress 127.0.0.1)",
     host_leaf("host-cn-ignored-with-ip-san/leaf", [ip("127.0.0.1")], cn=H))
case(F, "host-trailing-dot-host", "accept", "server", "server.tlsdiff.test.", R,
     "RFC 6125 6.4.1 compares DNS labels; server.tlsdiff.test. is the absolute form (RFC 1034 3.1) of the same name, with the same labels as the DNS-ID server.tlsdiff.test",
     host_leaf("host-trailing-dot-host/leaf", [dns(H)]))
case(F, "host-trailing-dot-san", "reject:name_mismatch|bad_extension", "server", H, R,
     "RFC 5280 4.2.1.6: a dNSName MUST be in preferred name syntax (RFC 1034 3.5), which has no trailing dot; the only DNS-ID server.tlsdiff.test. is malformed and is not matched",
     host_leaf("host-trailing-dot-san/leaf", [dns("server.tlsdiff.test.")], cn=H))

# ---- name constraints (RFC 5280 4.2.1.10, 6.1.3 (b),(c)) -------------------

F = "nc"


def nc_chain(label, constraint, sans=DEF, cn=DEF, subject=None):
    ca = int_like(label + "/int", pathlen=0, extra=[constraint])
    lf_ = make_leaf(label + "/leaf", ca, SRV_RSA, sans=sans, cn=cn, subject=subject)
    return [lf_, ca.der]


P_TEST = nc(permitted=[dns("tlsdiff.test")])
case(F, "nc-dns-permitted-inside", "accept", "server", H, R,
     "RFC 5280 4.2.1.10: permitted dNSName tlsdiff.test admits any name formed by adding labels on the left, and server.tlsdiff.test is one",
     nc_chain("nc-dns-permitted-inside", P_TEST))
case(F, "nc-dns-permitted-exact", "accept", "server", "tlsdiff.test", R,
     "RFC 5280 4.2.1.10: adding zero labels is allowed, so dNSName tlsdiff.test is within permitted tlsdiff.test",
     nc_chain("nc-dns-permitted-exact", P_TEST, sans=[dns("tlsdiff.test")], cn="tlsdiff.test"))
case(F, "nc-dns-permitted-outside", "reject:name_constraints", "server", "server.example.net", R,
     "RFC 5280 6.1.3 (b): the leaf's dNSName server.example.net is outside the intermediate's permitted tlsdiff.test",
     nc_chain("nc-dns-permitted-outside", P_TEST, sans=[dns("server.example.net")], cn="server.example.net"))
case(F, "nc-dns-permitted-label-boundary", "reject:name_constraints", "server", "server.eviltlsdiff.test", R,
     "RFC 5280 4.2.1.10: constraints match whole labels; server.eviltlsdiff.test ends in the characters but not the labels of tlsdiff.test",
     nc_chain("nc-dns-permitted-label-boundary", P_TEST, sans=[dns("server.eviltlsdiff.test")],
              cn="server.eviltlsdiff.test"))
case(F, "nc-dns-one-san-outside", "reject:name_constraints", "server", H, R,
     "RFC 5280 6.1.3 (b): every subjectAltName must be within the permitted subtrees; evil.example.net is not, although the host's name is",
     nc_chain("nc-dns-one-san-outside", P_TEST, sans=[dns(H), dns("evil.example.net")], cn=H))
case(F, "nc-dns-wildcard-inside", "accept", "server", H, R,
     "RFC 5280 4.2.1.10: *.tlsdiff.test lies under permitted tlsdiff.test; RFC 6125 6.4.3: it matches the host",
     nc_chain("nc-dns-wildcard-inside", P_TEST, sans=[dns("*.tlsdiff.test")], cn="*.tlsdiff.test"))
X_BAD = nc(excluded=[dns("bad.tlsdiff.test")])
case(F, "nc-dns-excluded-hit", "reject:name_constraints", "server", "server.bad.tlsdiff.test", R,
     "RFC 5280 6.1.3 (c): the leaf's dNSName server.bad.tlsdiff.test is within the excluded subtree bad.tlsdiff.test",
     nc_chain("nc-dns-excluded-hit", X_BAD, sans=[dns("server.bad.tlsdiff.test")], cn="server.bad.tlsdiff.test"))
case(F, "nc-dns-excluded-miss", "accept", "server", H, R,
     "RFC 5280 6.1.3 (c): server.tlsdiff.test is not within excluded bad.tlsdiff.test",
     nc_chain("nc-dns-excluded-miss", X_BAD))
case(F, "nc-dns-excluded-case", "reject:name_constraints", "server", "server.bad.tlsdiff.test", R,
     "RFC 5280 7.2: DNS names compare case-insensitively, so excluded BAD.TLSDIFF.TEST covers server.bad.tlsdiff.test",
     nc_chain("nc-dns-excluded-case", nc(excluded=[dns("BAD.TLSDIFF.TEST")]),
              sans=[dns("server.bad.tlsdiff.test")], cn="server.bad.tlsdiff.test"))
case(F, "nc-dns-permitted-and-excluded", "reject:name_constraints", "server", "server.bad.tlsdiff.test", R,
     "RFC 5280 6.1.3 (b),(c): server.bad.tlsdiff.test is inside permitted tlsdiff.test but also inside excluded bad.tlsdiff.test, and exclusion wins",
     nc_chain("nc-dns-permitted-and-excluded", nc(permitted=[dns("tlsdiff.test")], excluded=[dns("bad.tlsdiff.test")]),
              sans=[dns("server.bad.tlsdiff.test")], cn="server.bad.tlsdiff.test"))
case(F, "nc-cn-no-san-inside", "accept", "server", H, R,
     "RFC 5280 4.2.1.10 with RFC 6125 6.4.4: the leaf has no SAN and its CN server.tlsdiff.test serves as the DNS name (reference's choice), which is inside permitted tlsdiff.test",
     nc_chain("nc-cn-no-san-inside", P_TEST, sans=None, cn=H))
case(F, "nc-cn-no-san-outside", "reject:name_constraints", "server", "server.example.net", R,
     "RFC 5280 4.2.1.10 with RFC 6125 6.4.4: the CN server.example.net of a SAN-less leaf is used as its DNS name (reference's choice), so the dNSName constraint tlsdiff.test applies to it and is violated",
     nc_chain("nc-cn-no-san-outside", P_TEST, sans=None, cn="server.example.net"))
case(F, "nc-cn-no-san-excluded", "reject:name_constraints", "server", H, R,
     "RFC 5280 4.2.1.10 with RFC 6125 6.4.4: the SAN-less leaf's CN server.tlsdiff.test is its DNS name (reference's choice) and lies in excluded tlsdiff.test",
     nc_chain("nc-cn-no-san-excluded", nc(excluded=[dns("tlsdiff.test")]), sans=None, cn=H))
P_LOOP = nc(permitted=[ip_net("127.0.0.0/8")])
case(F, "nc-ip-permitted-inside", "accept", "server", "127.0.0.1", R,
     "RFC 5280 4.2.1.10: iPAddress 127.0.0.1 is inside permitted 127.0.0.0/255.0.0.0; the dNSName is not constrained (no dNSName subtree)",
     nc_chain("nc-ip-permitted-inside", P_LOOP, sans=[dns(H), ip("127.0.0.1")]))
case(F, "nc-ip-permitted-outside", "reject:name_constraints", "server", "127.0.0.1", R,
     "RFC 5280 6.1.3 (b): iPAddress 127.0.0.1 is outside permitted 10.0.0.0/255.0.0.0",
     nc_chain("nc-ip-permitted-outside", nc(permitted=[ip_net("10.0.0.0/8")]), sans=[dns(H), ip("127.0.0.1")]))
case(F, "nc-ip-excluded-hit", "reject:name_constraints", "server", "127.0.0.1", R,
     "RFC 5280 6.1.3 (c): iPAddress 127.0.0.1 is inside excluded 127.0.0.0/255.0.0.0",
     nc_chain("nc-ip-excluded-hit", nc(excluded=[ip_net("127.0.0.0/8")]), sans=[dns(H), ip("127.0.0.1")]))
case(F, "nc-ip-excluded-miss", "accept", "server", "127.0.0.1", R,
     "RFC 5280 6.1.3 (c): iPAddress 127.0.0.1 is not inside excluded 10.0.0.0/255.0.0.0",
     nc_chain("nc-ip-excluded-miss", nc(excluded=[ip_net("10.0.0.0/8")]), sans=[dns(H), ip("127.0.0.1")]))
case(F, "nc-ipv6-permitted-inside", "accept", "server", "::1", R,
     "RFC 5280 4.2.1.10: iPAddress ::1 is inside permitted ::1/128 (32 octets, address and mask)",
     nc_chain("nc-ipv6-permitted-inside", nc(permitted=[ip_net("::1/128")]), sans=[dns(H), ip("::1")]))
case(F, "nc-ip-only-leaf-has-dns", "accept", "server", H, R,
     "RFC 5280 4.2.1.10: constraints apply per name form; an iPAddress-only constraint (10.0.0.0/8) says nothing about a leaf that has only a dNSName",
     nc_chain("nc-ip-only-leaf-has-dns", nc(permitted=[ip_net("10.0.0.0/8")])))
case(F, "nc-email-only-leaf-has-dns", "accept", "server", H, R,
     "RFC 5280 4.2.1.10: a permitted rfc822Name subtree (tlsdiff.test) does not constrain dNSNames, and the leaf has no email address",
     nc_chain("nc-email-only-leaf-has-dns", nc(permitted=[email("tlsdiff.test")])))
P_DIR = nc(permitted=[dirname(name((OID_O, "tlsdiff")))])
case(F, "nc-dirname-permitted-inside", "accept", "server", H, R,
     "RFC 5280 4.2.1.10, 6.1.3 (b): the leaf's subject O=tlsdiff, CN=server.tlsdiff.test begins with the permitted directoryName O=tlsdiff",
     nc_chain("nc-dirname-permitted-inside", P_DIR,
              subject=name((OID_O, "tlsdiff"), (OID_CN, H))))
case(F, "nc-dirname-permitted-outside", "reject:name_constraints", "server", H, R,
     "RFC 5280 6.1.3 (b): the leaf's subject CN=server.tlsdiff.test does not begin with the permitted directoryName O=tlsdiff",
     nc_chain("nc-dirname-permitted-outside", P_DIR))

# ---- signature algorithm vs key (RFC 5280 4.1.1.2, 6.1.3 (a)(1)) ---------

F = "sig"
case(F, "sig-rsa-sha384", "accept", "server", H, R,
     "RFC 5280 4.1.1.2 / RFC 4055 5: sha384WithRSAEncryption by the RSA intermediate, TBS and outer algorithms equal",
     [srv("sig-rsa-sha384/leaf", alg="rsa-sha384"), INT.der])
case(F, "sig-rsa-sha512", "accept", "server", H, R,
     "RFC 5280 4.1.1.2 / RFC 4055 5: sha512WithRSAEncryption by the RSA intermediate",
     [srv("sig-rsa-sha512/leaf", alg="rsa-sha512"), INT.der])
case(F, "sig-rsa-sha1", "reject:unsupported_sig", "server", H, R,
     "RFC 5280 6.1.3 (a)(1) needs the signature verified; sha1WithRSAEncryption is not among the algorithms the reference verifies (SHA-2 only, td_x509_sig)",
     [srv("sig-rsa-sha1/leaf", alg="rsa-sha1"), INT.der])
case(F, "sig-ecdsa-oid-rsa-issuer", SIG_KEY_MISMATCH, "server", H, R,
     "RFC 5280 6.1.3 (a)(1), RFC 5758 3.2: the leaf says ecdsa-with-SHA256 (TBS and outer) but its issuer's key is RSA",
     [srv("sig-ecdsa-oid-rsa-issuer/leaf", alg="ecdsa-sha256", sign_alg="rsa-sha256"), INT.der])
case(F, "sig-ed25519-oid-rsa-issuer", SIG_KEY_MISMATCH, "server", H, R,
     "RFC 5280 6.1.3 (a)(1), RFC 8410 3: the leaf says id-Ed25519 but its issuer's key is RSA",
     [srv("sig-ed25519-oid-rsa-issuer/leaf", alg="ed25519", sign_alg="rsa-sha256"), INT.der])
case(F, "sig-rsa-oid-ec-issuer", SIG_KEY_MISMATCH, "server", H, "p256-root",
     "RFC 5280 6.1.3 (a)(1), RFC 4055 5: the leaf says sha256WithRSAEncryption but its issuer (the P-256 root) has an EC key",
     [make_leaf("sig-rsa-oid-ec-issuer/leaf", P256_ROOT, SRV_RSA, alg="rsa-sha256", sign_alg="ecdsa-sha256")])
case(F, "sig-pss-oid-ec-issuer", SIG_KEY_MISMATCH, "server", H, "p256-root",
     "RFC 5280 6.1.3 (a)(1), RFC 4055 3: the leaf says id-RSASSA-PSS but its issuer (the P-256 root) has an EC key",
     [make_leaf("sig-pss-oid-ec-issuer/leaf", P256_ROOT, SRV_RSA, alg="pss-sha256", sign_alg="ecdsa-sha256")])
case(F, "sig-ecdsa-oid-ed25519-issuer", SIG_KEY_MISMATCH, "server", H, "ed25519-root",
     "RFC 5280 6.1.3 (a)(1), RFC 8410 3: the leaf says ecdsa-with-SHA256 but its issuer (the Ed25519 root) has an Ed25519 key",
     [make_leaf("sig-ecdsa-oid-ed25519-issuer/leaf", ED_ROOT, SRV_RSA, alg="ecdsa-sha256", sign_alg="ed25519")])
case(F, "sig-tbs-outer-mismatch-rsa", "reject:sig_alg_mismatch", "server", H, R,
     "RFC 5280 4.1.1.2: signatureAlgorithm (sha384WithRSAEncryption) MUST equal TBSCertificate.signature (sha256WithRSAEncryption)",
     [srv("sig-tbs-outer-mismatch-rsa/leaf", alg="rsa-sha256", outer_alg="rsa-sha384"), INT.der])
case(F, "sig-tbs-outer-mismatch-ecdsa", "reject:sig_alg_mismatch", "server", H, "p256-root",
     "RFC 5280 4.1.1.2: signatureAlgorithm (ecdsa-with-SHA384) MUST equal TBSCertificate.signature (ecdsa-with-SHA256)",
     [make_leaf("sig-tbs-outer-mismatch-ecdsa/leaf", P256_ROOT, SRV_P256, alg="ecdsa-sha256",
                outer_alg="ecdsa-sha384")])
case(F, "sig-corrupt-leaf-signature", SIG_FAIL, "server", H, R,
     "RFC 5280 6.1.3 (a)(1): the last octet of the leaf's RSA signature is changed, so it does not verify under the intermediate's key",
     [srv("sig-corrupt-leaf-signature/leaf", sig_hook=flip_last), INT.der])
SER = bytes.fromhex("5a5a5a5a01020304")
case(F, "sig-corrupt-leaf-tbs", SIG_FAIL, "server", H, R,
     "RFC 5280 6.1.3 (a)(1): one bit of the leaf's serial was changed after signing, so the signature no longer covers the TBS",
     [srv("sig-corrupt-leaf-tbs/leaf", serial=SER,
          der_hook=lambda d: d.replace(SER, SER[:-1] + b"\x05", 1)), INT.der])
case(F, "sig-corrupt-intermediate-signature", SIG_FAIL, "server", H, R,
     "RFC 5280 6.1.3 (a)(1): the intermediate's signature (by root-ca) has its last octet changed",
     [srv("sig-corrupt-intermediate-signature/leaf"),
      int_like("sig-corrupt-intermediate-signature/int", pathlen=0, sig_hook=flip_last).der])
case(F, "sig-corrupt-ecdsa-signature", SIG_FAIL, "server", H, "p256-root",
     "RFC 5280 6.1.3 (a)(1): the last octet of s in the leaf's ECDSA signature (by the P-256 root) is changed; the Ecdsa-Sig-Value stays well-formed",
     [make_leaf("sig-corrupt-ecdsa-signature/leaf", P256_ROOT, SRV_P256, sig_hook=flip_last)])
case(F, "sig-corrupt-ed25519-signature", SIG_FAIL, "server", H, "ed25519-root",
     "RFC 5280 6.1.3 (a)(1), RFC 8410 6: the last octet of the leaf's Ed25519 signature is changed",
     [make_leaf("sig-corrupt-ed25519-signature/leaf", ED_ROOT, SRV_P256, sig_hook=flip_last)])

# ---- encoding (X.690 DER, RFC 5280 4.1, 4.2) ------------------------------

F = "der"
case(F, "der-unknown-critical-extension", "reject:unknown_critical", "server", H, R,
     "RFC 5280 4.2: the leaf has a critical extension 1.3.6.1.4.1.32473.1.1 the verifier does not recognize, so it MUST reject",
     [srv("der-unknown-critical-extension/leaf", extra=[unknown_ext(True)]), INT.der])
case(F, "der-unknown-critical-extension-intermediate", "reject:unknown_critical", "server", H, R,
     "RFC 5280 4.2, 6.1.4 (o): the intermediate carries an unrecognized critical extension 1.3.6.1.4.1.32473.1.1",
     [srv("der-unknown-critical-extension-intermediate/leaf"),
      int_like("der-unknown-critical-extension-intermediate/int", pathlen=0, extra=[unknown_ext(True)]).der])
case(F, "der-unknown-noncritical-extension", "accept", "server", H, R,
     "RFC 5280 4.2: an unrecognized non-critical extension (1.3.6.1.4.1.32473.1.1) MAY be ignored",
     [srv("der-unknown-noncritical-extension/leaf", extra=[unknown_ext(False)]), INT.der])
case(F, "der-known-critical-policies", "accept", "server", H, R,
     "RFC 5280 4.2, 4.2.1.4: certificatePolicies (anyPolicy) is a recognized extension, so critical is fine with no policy required",
     [srv("der-known-critical-policies/leaf",
          extra=[ext(OID_POLICIES, seq(seq(oid(OID_ANY_POLICY))), True)]), INT.der])
case(F, "der-duplicate-san", "reject:duplicate_extension", "server", H, R,
     "RFC 5280 4.2: a certificate MUST NOT include more than one instance of an extension; the leaf has subjectAltName twice",
     [srv("der-duplicate-san/leaf", extra=[san(dns(H))]), INT.der])
case(F, "der-duplicate-unknown-extension", "reject:duplicate_extension", "server", H, R,
     "RFC 5280 4.2: the one-instance rule covers every extension, including an unrecognized non-critical one (1.3.6.1.4.1.32473.1.1 twice)",
     [srv("der-duplicate-unknown-extension/leaf", extra=[unknown_ext(False), unknown_ext(False)]), INT.der])
case(F, "der-nonminimal-length-in-tbs", "reject:bad_der", "server", H, R,
     "X.690 10.1 (RFC 5280 4.1 requires DER): the subject CN's UTF8String length 19 is written 0x81 0x13 instead of 0x13 (signed as such)",
     [srv("der-nonminimal-length-in-tbs/leaf",
          subject=seq(set_of(seq(oid(OID_CN), tlv(0x0C, H.encode(), length=b"\x81\x13"))))), INT.der])
case(F, "der-nonminimal-length-outer", "reject:bad_der", "server", H, R,
     "X.690 10.1: the outer Certificate SEQUENCE length is written in 3 octets with a leading zero",
     [srv("der-nonminimal-length-outer/leaf",
          der_hook=lambda d: b"\x30" + long_len(len(contents(d)), 3) + contents(d)), INT.der])
case(F, "der-indefinite-length", "reject:bad_der", "server", H, R,
     "X.690 10.1: DER uses definite lengths; the outer Certificate SEQUENCE has the indefinite form 0x80 ... 00 00",
     [srv("der-indefinite-length/leaf",
          der_hook=lambda d: b"\x30\x80" + contents(d) + b"\x00\x00"), INT.der])
case(F, "der-trailing-data", "reject:bad_der", "server", H, R,
     "X.690 / RFC 5280 4.1: two octets follow the leaf's Certificate SEQUENCE inside its PEM block",
     [srv("der-trailing-data/leaf", der_hook=lambda d: d + b"\x05\x00"), INT.der])
case(F, "der-tbs-trailing-element", "reject:bad_der", "server", H, R,
     "RFC 5280 4.1: an extra NULL follows the extensions inside TBSCertificate, which has no such field",
     [srv("der-tbs-trailing-element/leaf", tbs_hook=lambda t: seq(contents(t) + null())), INT.der])
case(F, "der-serial-nonminimal", "reject:bad_der", "server", H, R,
     "X.690 8.3.2: the serial INTEGER 00 41 02 03 has a redundant leading zero octet",
     [srv("der-serial-nonminimal/leaf", serial=b"\x00\x41\x02\x03"), INT.der])
case(F, "der-serial-negative", "reject:bad_serial", "server", H, R,
     "RFC 5280 4.1.2.2: the serial MUST be positive; f0 01 02 03 is a (minimally encoded) negative INTEGER",
     [srv("der-serial-negative/leaf", serial=b"\xf0\x01\x02\x03"), INT.der])
case(F, "der-serial-zero", "reject:bad_serial", "server", H, R,
     "RFC 5280 4.1.2.2: the serial MUST be a positive integer; it is 0",
     [srv("der-serial-zero/leaf", serial=b"\x00"), INT.der])
case(F, "der-serial-one-octet", "accept", "server", H, R,
     "RFC 5280 4.1.2.2: serial 1 (one octet) is positive and short",
     [srv("der-serial-one-octet/leaf", serial=b"\x01"), INT.der])
case(F, "der-serial-20-octets", "accept", "server", H, R,
     "RFC 5280 4.1.2.2: a 20-octet positive serial (7f ...) is the longest allowed",
     [srv("der-serial-20-octets/leaf", serial=b"\x7f" + bytes(range(1, 20))), INT.der])
case(F, "der-serial-21-octets", "reject:bad_serial", "server", H, R,
     "RFC 5280 4.1.2.2: serials MUST NOT be longer than 20 octets and this one has 21 (01 ...); users SHOULD handle such gracefully, and the reference's documented choice is to refuse them",
     [srv("der-serial-21-octets/leaf", serial=b"\x01" + bytes(range(1, 21))), INT.der])
case(F, "der-critical-false-explicit", "reject:bad_der", "server", H, R,
     "X.690 11.5: a DEFAULT value MUST be omitted in DER; the leaf's extKeyUsage carries critical BOOLEAN FALSE explicitly",
     [srv("der-critical-false-explicit/leaf",
          eku_ext=ext(OID_EKU, seq(oid(OID_SERVER_AUTH)), crit_raw=boolean(False))), INT.der])
case(F, "der-boolean-not-ff", "reject:bad_der", "server", H, R,
     "X.690 11.1: DER TRUE is 0xff; the leaf's basicConstraints critical BOOLEAN is 0x01",
     [srv("der-boolean-not-ff/leaf", bc_ext=ext(OID_BC, seq(), crit_raw=tlv(0x01, b"\x01"))), INT.der])
case(F, "der-basic-constraints-explicit-false", "reject:bad_der|bad_extension", "server", H, R,
     "X.690 11.5: basicConstraints cA is DEFAULT FALSE, so DER omits it; the leaf encodes cA FALSE explicitly",
     [srv("der-basic-constraints-explicit-false/leaf", bc_ext=ext(OID_BC, seq(boolean(False)), True)), INT.der])
case(F, "der-key-usage-unused-bits-set", "reject:bad_der|bad_extension", "server", H, R,
     "X.690 11.2.1: the keyUsage BIT STRING says 5 unused bits (03 02 05 a1) but the last of them is 1",
     [srv("der-key-usage-unused-bits-set/leaf", ku_ext=ext(OID_KU, tlv(0x03, b"\x05\xa1"), True)), INT.der])
case(F, "der-utctime-no-seconds", "reject:bad_der", "server", H, R,
     "RFC 5280 4.1.2.5.1: UTCTime MUST include seconds (YYMMDDHHMMSSZ); notBefore is 2501010000Z",
     [srv("der-utctime-no-seconds/leaf", not_before=tlv(0x17, b"2501010000Z")), INT.der])
case(F, "der-empty-extensions", "reject:bad_der", "server", H, R,
     "RFC 5280 4.1: Extensions ::= SEQUENCE SIZE (1..MAX); the leaf's [3] holds an empty SEQUENCE",
     [srv("der-empty-extensions/leaf", exts=[]), INT.der])
case(F, "der-san-empty", "reject:bad_extension|bad_der", "server", H, R,
     "RFC 5280 4.2.1.6: GeneralNames ::= SEQUENCE SIZE (1..MAX); the leaf's subjectAltName is an empty SEQUENCE",
     [srv("der-san-empty/leaf", sans=[]), INT.der])
case(F, "der-v1-with-extensions", "reject:bad_version", "server", H, R,
     "RFC 5280 4.1.2.9: extensions appear only in v3; the leaf has no version field (v1) yet carries [3] extensions",
     [srv("der-v1-with-extensions/leaf", version=0), INT.der])
case(F, "der-v2-with-extensions", "reject:bad_version", "server", H, R,
     "RFC 5280 4.1.2.1, 4.1.2.9: the leaf is version 2 (INTEGER 1) but carries extensions, which need v3",
     [srv("der-v2-with-extensions/leaf", version=1), INT.der])
case(F, "der-version-v4", "reject:bad_version", "server", H, R,
     "RFC 5280 4.1: Version ::= INTEGER { v1(0), v2(1), v3(2) }; the leaf says 3 (v4)",
     [srv("der-version-v4/leaf", version=3), INT.der])
case(F, "der-version-v1-explicit", "reject:bad_version|bad_der", "server", H, R,
     "X.690 11.5, RFC 5280 4.1: version is DEFAULT v1, so a v1 leaf MUST omit [0]; this one (no extensions) writes [0] INTEGER 0",
     [srv("der-version-v1-explicit/leaf", exts=None, raw_version=explicit(0, integer(0))), INT.der])
case(F, "der-v1-leaf", "accept", "server", H, R,
     "RFC 5280 4.1.2.1 allows v1 end-entity certificates; with no extensions nothing restricts it and, with no SAN, its CN server.tlsdiff.test is the identifier (RFC 6125 6.4.4, reference's choice)",
     [srv("der-v1-leaf/leaf", exts=None, version=0), INT.der])
UIDS = tlv(0x81, b"\x00\x01\x02\x03") + tlv(0x82, b"\x00\x04\x05\x06")
case(F, "der-unique-ids-v3", "accept", "server", H, R,
     "RFC 5280 4.1.2.8: issuerUniqueID and subjectUniqueID may appear in v2/v3; applications SHOULD parse them and nothing processes them",
     [srv("der-unique-ids-v3/leaf", uids=UIDS), INT.der])
case(F, "der-unique-ids-v1", "reject:bad_version|bad_der", "server", H, R,
     "RFC 5280 4.1: the unique identifier fields MUST only appear if the version is 2 or 3; this v1 leaf (no extensions) has them",
     [srv("der-unique-ids-v1/leaf", exts=None, version=0, uids=UIDS), INT.der])

# ---- key types (RFC 5480, RFC 5758, RFC 8410, RFC 4055) --------------------

F = "key"
case(F, "key-p256-leaf", "accept", "server", H, R,
     "RFC 5480 2.1.1: a P-256 leaf (namedCurve secp256r1) signed sha256WithRSAEncryption by the RSA intermediate",
     [srv("key-p256-leaf/leaf", key=SRV_P256), INT.der])
case(F, "key-p384-leaf", "accept", "server", H, R,
     "RFC 5480 2.1.1: a P-384 leaf signed by the RSA intermediate",
     [srv("key-p384-leaf/leaf", key=SRV_P384), INT.der])
case(F, "key-ed25519-leaf", "accept", "server", H, R,
     "RFC 8410 4: an Ed25519 leaf (id-Ed25519 SPKI) signed by the RSA intermediate",
     [srv("key-ed25519-leaf/leaf", key=SRV_ED), INT.der])
case(F, "key-ed25519-ca", "accept", "server", H, "ed25519-root",
     "RFC 8410 3: a P-256 leaf signed id-Ed25519 (parameters absent) by an Ed25519 root",
     [make_leaf("key-ed25519-ca/leaf", ED_ROOT, SRV_P256)])
case(F, "key-ed25519-ca-ed25519-leaf", "accept", "server", H, "ed25519-root",
     "RFC 8410 3, 4: an Ed25519 leaf signed by an Ed25519 root",
     [make_leaf("key-ed25519-ca-ed25519-leaf/leaf", ED_ROOT, SRV_ED)])
case(F, "key-p384-chain", "accept", "server", H, "p384-root",
     "RFC 5758 3.2: a P-384 leaf signed ecdsa-with-SHA384 by a P-384 root",
     [make_leaf("key-p384-chain/leaf", P384_ROOT, SRV_P384)])
p384_int = make_ca("key-p384-ca-p384-intermediate/int", P384_ROOT, "tlsdiff Vectors P-384 CA",
                   own_key("ca-p384-int", "p384"))
case(F, "key-p384-ca-p384-intermediate", "accept", "server", H, "p384-root",
     "RFC 5758 3.2: P-384 root -> P-384 intermediate -> P-256 leaf, every signature ecdsa-with-SHA384",
     [make_leaf("key-p384-ca-p384-intermediate/leaf", p384_int, SRV_P256), p384_int.der])
case(F, "key-p384-ca-sha512", "accept", "server", H, "p384-root",
     "RFC 5758 3.2: the P-384 root signs with ecdsa-with-SHA512; the hash is not tied to the curve",
     [make_leaf("key-p384-ca-sha512/leaf", P384_ROOT, SRV_P384, alg="ecdsa-sha512")])
case(F, "key-p384-ca-sha256", "accept", "server", H, "p384-root",
     "RFC 5758 3.2: the P-384 root signs with ecdsa-with-SHA256; X.509 does not tie the hash to the curve",
     [make_leaf("key-p384-ca-sha256/leaf", P384_ROOT, SRV_P384, alg="ecdsa-sha256")])
case(F, "key-p256-ca-sha256", "accept", "server", H, "p256-root",
     "RFC 5758 3.2: a P-256 leaf signed ecdsa-with-SHA256 by a P-256 root",
     [make_leaf("key-p256-ca-sha256/leaf", P256_ROOT, SRV_P256)])
case(F, "key-p256-ca-sha384", "accept", "server", H, "p256-root",
     "RFC 5758 3.2: the P-256 root signs with ecdsa-with-SHA384; curve and hash are independent in X.509",
     [make_leaf("key-p256-ca-sha384/leaf", P256_ROOT, SRV_P256, alg="ecdsa-sha384")])
case(F, "key-rsa-pss-sig-sha256", "accept", "server", H, R,
     "RFC 4055 3.1: the RSA (rsaEncryption) intermediate signs id-RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32",
     [srv("key-rsa-pss-sig-sha256/leaf", alg="pss-sha256"), INT.der])
case(F, "key-rsa-pss-sig-sha384", "accept", "server", H, R,
     "RFC 4055 3.1: the RSA intermediate signs id-RSASSA-PSS with SHA-384, MGF1-SHA-384, salt 48",
     [srv("key-rsa-pss-sig-sha384/leaf", alg="pss-sha384"), INT.der])
case(F, "key-rsa-pss-spki-leaf", "accept", "server", H, R,
     "RFC 4055 1.2, 3.1: a leaf whose key is id-RSASSA-PSS (parameters absent: any PSS use) with keyUsage digitalSignature, signed by the RSA intermediate",
     [srv("key-rsa-pss-spki-leaf/leaf", key=K_PSSLEAF, spki=pss_spki(K_PSSLEAF)), INT.der])
PSS_CA = make_ca("key-rsa-pss-ca/int", ROOT, "tlsdiff Vectors RSA-PSS CA", K_PSSCA, pathlen=0,
                 spki=pss_spki(K_PSSCA, pss_params("sha256")), alg_as_issuer="pss-sha256")
case(F, "key-rsa-pss-ca", "accept", "server", H, R,
     "RFC 4055 3.1: an intermediate with an id-RSASSA-PSS key restricted to SHA-256/MGF1-SHA-256/salt 32 signs the leaf with exactly those parameters",
     [make_leaf("key-rsa-pss-ca/leaf", PSS_CA, SRV_RSA), PSS_CA.der])
case(F, "key-rsa-pss-ca-pkcs1-signature", SIG_KEY_MISMATCH, "server", H, R,
     "RFC 4055 1.2: an id-RSASSA-PSS key MUST only be used for RSASSA-PSS; the PSS intermediate's leaf is signed sha256WithRSAEncryption (PKCS #1 v1.5)",
     [make_leaf("key-rsa-pss-ca-pkcs1-signature/leaf", PSS_CA, SRV_RSA, alg="rsa-sha256"), PSS_CA.der])
case(F, "key-rsa-pss-ca-hash-mismatch", SIG_KEY_MISMATCH, "server", H, R,
     "RFC 4055 3.1: the PSS intermediate's key parameters fix SHA-256, but the leaf's signature uses RSASSA-PSS with SHA-384",
     [make_leaf("key-rsa-pss-ca-hash-mismatch/leaf", PSS_CA, SRV_RSA, alg="pss-sha384"), PSS_CA.der])
case(F, "key-p521-leaf", "reject:unsupported_key", "server", H, R,
     "RFC 5480 2.1.1 allows secp521r1, but the reference verifies P-256/P-384 only (td_x509_key) and refuses a P-521 leaf key it could not use in the handshake",
     [srv("key-p521-leaf/leaf", key=K_P521), INT.der])
case(F, "key-x25519-leaf", "reject:unsupported_key", "server", H, R,
     "RFC 8410 3: an id-X25519 key (no keyUsage) is for key agreement only and cannot sign the CertificateVerify; the reference does not support it as a certificate key",
     [srv("key-x25519-leaf/leaf", key=K_X25519, ku_ext=None), INT.der])

# ---- client certificates (purpose client, anchored at client-ca) ---------

F = "client"
C = "client-ca"


def cli(label, key=CLI_P256, issuer=CLIENT_CA, **kw):
    return make_leaf(label, issuer, key, purpose="client", **kw)


case(F, "client-p256", "accept", "client", "-", C,
     "RFC 5280 6.1, 4.2.1.12: a P-256 client leaf with extKeyUsage clientAuth signed by client-ca",
     [cli("client-p256/leaf")])
case(F, "client-rsa", "accept", "client", "-", C,
     "RFC 5280 6.1, 4.2.1.12: an RSA client leaf with extKeyUsage clientAuth signed by client-ca",
     [cli("client-rsa/leaf", key=CLI_RSA)])
case(F, "client-eku-serverauth-only", "reject:eku", "client", "-", C,
     "RFC 5280 4.2.1.12: the client leaf's extKeyUsage is serverAuth only, which excludes clientAuth",
     [cli("client-eku-serverauth-only/leaf", eku_ext=eku(OID_SERVER_AUTH))])
case(F, "client-eku-both", "accept", "client", "-", C,
     "RFC 5280 4.2.1.12: extKeyUsage serverAuth and clientAuth includes clientAuth",
     [cli("client-eku-both/leaf", eku_ext=eku(OID_SERVER_AUTH, OID_CLIENT_AUTH))])
case(F, "client-eku-absent", "accept", "client", "-", C,
     "RFC 5280 4.2.1.12: without extKeyUsage the client key is not restricted",
     [cli("client-eku-absent/leaf", eku_ext=None)])
case(F, "client-eku-any", "accept", "client", "-", C,
     "RFC 5280 4.2.1.12 permits anyExtendedKeyUsage; the reference accepts it for clientAuth (its documented choice)",
     [cli("client-eku-any/leaf", eku_ext=eku(OID_ANY_EKU))])
case(F, "client-ku-certsign-only", "reject:leaf_key_usage", "client", "-", C,
     "RFC 5280 4.2.1.3 / RFC 8446 4.4.3: the client leaf's keyUsage keyCertSign only does not allow the CertificateVerify signature (digitalSignature)",
     [cli("client-ku-certsign-only/leaf", ku_ext=ku("keyCertSign"))])
case(F, "client-expired", "reject:expired", "client", "-", C,
     "RFC 5280 6.1.3 (a)(2): the client leaf's notAfter 2025-12-31T23:59:59Z is before the clock",
     [cli("client-expired/leaf", not_after=utc("251231235959Z"))])
case(F, "client-wrong-anchor", "reject:no_path", "client", "-", R,
     "RFC 5280 6.1: the client leaf is issued by client-ca but the only anchor is root-ca",
     [cli("client-wrong-anchor/leaf")])
client_int = make_ca("client-via-intermediate/int", CLIENT_CA, "tlsdiff Vectors Client Intermediate",
                     K_CLIENT_INT, pathlen=0)
case(F, "client-via-intermediate", "accept", "client", "-", C,
     "RFC 5280 6.1: client-ca -> client intermediate (pathLen 0) -> client leaf, the intermediate sent after the leaf",
     [cli("client-via-intermediate/leaf", issuer=client_int), client_int.der])
case(F, "client-server-leaf-wrong-anchor", "reject:no_path", "client", "-", C,
     "RFC 5280 6.1: a server chain (leaf, intermediate under root-ca) presented as a client certificate to a verifier that trusts only client-ca",
     [srv("client-server-leaf-wrong-anchor/leaf", eku_ext=eku(OID_SERVER_AUTH, OID_CLIENT_AUTH)), INT.der])


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

FAMILY_TITLES = [
    ("validity", "validity periods (RFC 5280 4.1.2.5, 6.1.3 (a)(2))"),
    ("chain", "chain building (RFC 5280 6.1, RFC 8446 4.4.2)"),
    ("ca", "CA certificates (RFC 5280 4.2.1.3, 4.2.1.9, 6.1.4)"),
    ("leaf", "leaf key usage and extended key usage (RFC 5280 4.2.1.3, 4.2.1.12)"),
    ("host", "host names (RFC 6125 6.4, RFC 2818 3.1)"),
    ("nc", "name constraints (RFC 5280 4.2.1.10, 6.1.3 (b),(c))"),
    ("sig", "signature algorithm vs issuer key (RFC 5280 4.1.1.2, 6.1.3 (a)(1))"),
    ("der", "encoding (X.690 DER, RFC 5280 4.1, 4.2)"),
    ("key", "key types (RFC 4055, RFC 5480, RFC 5758, RFC 8410)"),
    ("client", "client certificates (purpose client, anchor client-ca)"),
]


def write_outputs():
    os.makedirs(CHAINS, exist_ok=True)
    os.makedirs(ANCHORS, exist_ok=True)
    for d in (CHAINS, ANCHORS):
        for f in os.listdir(d):
            if f.endswith(".pem"):
                os.remove(os.path.join(d, f))
    for n, src in ANCHOR_COPY.items():
        with open(os.path.join(ANCHORS, n + ".pem"), "w") as f:
            f.write(read_text(os.path.join(PKI, src)))
    for n, der in ANCHOR_DER.items():
        with open(os.path.join(ANCHORS, n + ".pem"), "w") as f:
            f.write(der_to_pem(der))
    lines = [
        "# tlsdiff crafted X.509 chains: written by vectors/x509/gen.py, do not edit.",
        "# Format (README.md): ID EXPECT PURPOSE HOST ANCHORS | JUSTIFICATION",
        "# Clock: 2026-01-01T00:00:00Z (unix %d). Chains: chains/ID.pem, leaf first." % CLOCK,
    ]
    fams = [f for f, _ in FAMILY_TITLES]
    assert {c[0] for c in CASES} <= set(fams)
    for fam, title in FAMILY_TITLES:
        lines.append("")
        lines.append("# ---- %s: %s" % (fam, title))
        for (f, cid, expect, purpose, host, anchors, just, chain) in CASES:
            if f != fam:
                continue
            lines.append("%s %s %s %s %s | %s" % (cid, expect, purpose, host, anchors, just))
            with open(os.path.join(CHAINS, cid + ".pem"), "w") as out:
                out.write("".join(der_to_pem(d) for d in chain))
    with open(os.path.join(HERE, "cases.list"), "w") as f:
        f.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------
# Self-check with openssl verify
# ---------------------------------------------------------------------------

# openssl verify error numbers -> the closest td_x509_reason (for the
# table; "profile" marks -x509_strict's CA/Browser-style profile checks,
# which have no RFC 5280 path-validation counterpart)
OSSL_REASON = {
    2: "no_path", 20: "no_path", 21: "no_path", 18: "no_path", 19: "no_path",
    7: "bad_signature", 4: "bad_signature", 6: "unsupported_key",
    9: "not_yet_valid", 10: "expired", 13: "bad_der", 14: "bad_der",
    22: "path_too_long", 24: "not_ca", 25: "path_len", 26: "eku", 32: "ca_key_usage",
    34: "unknown_critical", 41: "bad_der", 47: "name_constraints", 48: "name_constraints",
    49: "name_constraints", 51: "name_constraints", 53: "name_constraints",
    62: "name_mismatch", 64: "name_mismatch", 78: "sig_alg_mismatch", 79: "not_ca",
    82: "leaf_key_usage", 87: "bad_extension", 93: "bad_version",
    81: "profile", 85: "profile", 86: "profile", 89: "profile", 90: "profile", 91: "profile",
    92: "profile",
}


def openssl_verify(c, tmp, strict=True):
    """openssl's verdict on a case: ("accept" | "reject:REASON", detail)."""
    _, cid, expect, purpose, host, anchors, _, chain = c
    cafile = os.path.join(tmp, "ca.pem")
    with open(cafile, "w") as f:
        for a in anchors.split(","):
            f.write(read_text(os.path.join(ANCHORS, a + ".pem")))
    ders = pem_to_ders(read_text(os.path.join(CHAINS, cid + ".pem")))
    assert ders == chain, cid + ": chain file does not read back"
    leaf = os.path.join(tmp, "leaf.pem")
    with open(leaf, "w") as f:
        f.write(der_to_pem(ders[0]))
    cmd = ["openssl", "verify", "-attime", str(CLOCK), "-partial_chain",
           "-CAfile", cafile, "-purpose", "sslserver" if purpose == "server" else "sslclient"]
    if strict:
        cmd.append("-x509_strict")
    if len(ders) > 1:
        rest = os.path.join(tmp, "rest.pem")
        with open(rest, "w") as f:
            f.write("".join(der_to_pem(d) for d in ders[1:]))
        cmd += ["-untrusted", rest]
    if host != "-":
        try:
            ipaddress.ip_address(host)
            cmd += ["-verify_ip", host]
        except ValueError:
            cmd += ["-verify_hostname", host]
    cmd.append(leaf)
    p = subprocess.run(cmd, capture_output=True, text=True)
    out = (p.stdout + p.stderr).strip()
    if p.returncode == 0 and out.endswith(": OK"):
        return "accept", "OK"
    m = re.search(r"error (\d+) at (\d+) depth lookup: ([^\n]*)", out)
    if m:
        code = int(m.group(1))
        return "reject:" + OSSL_REASON.get(code, "?"), "error %s at depth %s: %s" % (
            m.group(1), m.group(2), m.group(3))
    return "reject:bad_der", "does not load"


def parse_check():
    """cryptography's own (strict) parser must read every certificate of
    every accept case: a failure there means the encoder above is wrong."""
    bad = []
    for c in CASES:
        if c[2] != "accept":
            continue
        for i, d in enumerate(c[7]):
            try:
                cx509.load_der_x509_certificate(d).extensions
            except Exception as e:  # noqa: BLE001 (report anything)
                bad.append("%s cert %d: %s" % (c[1], i, e))
    print()
    print("cryptography parses every certificate of the accept cases: %s"
          % ("yes" if not bad else "NO"))
    for b in bad:
        print("  " + b)


def self_check():
    rows = []
    reason_rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for c in CASES:
            got, detail = openssl_verify(c, tmp)
            exp = c[2]
            if (exp == "accept") != (got == "accept"):
                lax, _ = openssl_verify(c, tmp, strict=False)
                rows.append((c[1], exp, detail, lax))
            elif exp != "accept":
                reasons = exp[len("reject:"):].split("|")
                if got[len("reject:"):] not in reasons:
                    reason_rows.append((c[1], exp, detail))
    print()
    print("openssl verify -x509_strict -partial_chain: verdict differs from the expected one in %d of %d cases"
          % (len(rows), len(CASES)))
    print("(last column: openssl's verdict without -x509_strict)")
    if rows:
        w = max(len(r[0]) for r in rows)
        print("  %-*s  %-36s  %-62s  %s" % (w, "case", "expected", "openssl -x509_strict", "non-strict"))
        for cid, exp, detail, lax in rows:
            print("  %-*s  %-36s  %-62s  %s" % (w, cid, exp, detail[:62], lax))
    print()
    print("both reject, but openssl's first error maps to another reason (%d cases; information only):"
          % len(reason_rows))
    if reason_rows:
        w = max(len(r[0]) for r in reason_rows)
        for cid, exp, detail in reason_rows:
            print("  %-*s  %-36s  %s" % (w, cid, exp, detail))


def summary():
    print("%d cases written to %s" % (len(CASES), os.path.join(HERE, "cases.list")))
    for fam, _ in FAMILY_TITLES:
        cs = [c for c in CASES if c[0] == fam]
        acc = sum(1 for c in cs if c[2] == "accept")
        print("  %-9s %3d  (accept %d, reject %d)" % (fam, len(cs), acc, len(cs) - acc))
    acc = sum(1 for c in CASES if c[2] == "accept")
    print("  %-9s %3d  (accept %d, reject %d)" % ("total", len(CASES), acc, len(CASES) - acc))


if __name__ == "__main__":
    write_outputs()
    summary()
    parse_check()
    if "--no-openssl" not in sys.argv[1:]:
        self_check()
