#!/usr/bin/env bash
# Capture TLS 1.2 reference handshakes from OpenSSL (see README.md in this
# directory).
#
# Runs `openssl s_server` and `openssl s_client` on 127.0.0.1 with the test PKI
# in ../pki, once per handshake, with `-msg` on both sides. `-msg` prints every
# record header and every handshake message at the handshake layer, so the
# Finished messages (sent after ChangeCipherSpec, encrypted on the wire) appear
# in plaintext. The embedded Python 3 (standard library only) parses both
# sides' output, checks it (lengths, types, the order of the messages, both
# sides' views byte for byte, the RFC 5246 structure of every message, the
# signatures, and the Finished verify_data against the master secret from
# s_client's key log), and writes one .vec file per handshake. Nothing in this
# directory is replaced unless every check of every handshake passes.
#
# Can be run from any working directory. Needs openssl, python3 and timeout.
# OPENSSL=/path/to/openssl selects another binary.
set -euo pipefail

TLS12_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VECTORS_DIR="$(cd "$TLS12_DIR/.." && pwd)"
OPENSSL="${OPENSSL:-openssl}"

die() {
    echo "capture.sh: error: $*" >&2
    exit 1
}

for tool in "$OPENSSL" python3 timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# Paths in the openssl arguments are relative to vectors/, so that the command
# lines written into the .vec headers are the same on every machine.
cd "$VECTORS_DIR"

# capture NAME SERVER-ARGS... -- CLIENT-ARGS...
#
# The server always gets `-accept 127.0.0.1:0 -naccept 1 -rev -msg`: port 0
# lets the kernel pick a free port (s_server prints it as "ACCEPT host:port");
# -rev makes s_server serve the connection without reading its standard input
# (the default mode ends the connection as soon as stdin is at EOF). The
# client always gets `-connect 127.0.0.1:PORT -msg -keylogfile FILE` and reads
# /dev/null: a TLS 1.2 handshake completes before s_client reads its input,
# then the EOF makes it send close_notify and exit.
capture() {
    local name="$1"
    shift
    local -a srv=() cli=()
    while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
        srv+=("$1")
        shift
    done
    [ "$#" -gt 0 ] || die "capture $name: missing --"
    shift
    cli=("$@")

    local out="$WORK/$name"
    printf '%s\n' "${srv[*]}" >"$out.server.args"
    printf '%s\n' "${cli[*]}" >"$out.client.args"

    timeout 60 "$OPENSSL" s_server -accept 127.0.0.1:0 -naccept 1 -rev -msg \
        "${srv[@]}" </dev/null >"$out.server.txt" 2>"$out.server.err" &
    SERVER_PID=$!

    local port=""
    for _ in $(seq 1 100); do
        port="$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$out.server.txt")"
        [ -n "$port" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$port" ]; then
        cat "$out.server.err" >&2
        die "$name: s_server did not start listening"
    fi

    local crc=0 src=0
    timeout 30 "$OPENSSL" s_client -connect "127.0.0.1:$port" -msg \
        -keylogfile "$out.keylog" "${cli[@]}" \
        </dev/null >"$out.client.txt" 2>"$out.client.err" || crc=$?
    if [ "$crc" -ne 0 ]; then
        # Do not wait for the server's own timeout.
        kill "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" || src=$?
    SERVER_PID=""
    if [ "$crc" -ne 0 ] || [ "$src" -ne 0 ]; then
        echo "--- s_client stderr:" >&2
        cat "$out.client.err" >&2
        echo "--- s_server stderr:" >&2
        cat "$out.server.err" >&2
        die "$name: s_client exited $crc, s_server exited $src (124 = timeout)"
    fi
    echo "captured $name (port $port)"
}

# Server certificates: leaf + intermediate (the root is the client's anchor).
SRV_P256=(-cert pki/server-p256.crt.pem -key pki/server-p256.key.pem
          -cert_chain pki/intermediate-ca.crt.pem)
SRV_RSA=(-cert pki/server-rsa2048.crt.pem -key pki/server-rsa2048.key.pem
         -cert_chain pki/intermediate-ca.crt.pem)
# The client verifies the server at the harness clock (2026-01-01T00:00:00Z).
CLI_VERIFY=(-CAfile pki/root-ca.crt.pem -verify_return_error
            -verify_hostname server.tlsdiff.test -attime 1767225600
            -servername server.tlsdiff.test)

capture ecdhe-ecdsa-aes128-gcm \
    -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -groups P-256 -alpn h2 \
    "${SRV_P256[@]}" \
    -- \
    -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -groups P-256 \
    -alpn h2,http/1.1 "${CLI_VERIFY[@]}"

capture ecdhe-rsa-chacha20 \
    -tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305 -groups X25519 \
    "${SRV_RSA[@]}" \
    -- \
    -tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305 -groups X25519 \
    "${CLI_VERIFY[@]}"

capture rsa-aes128-gcm \
    -tls1_2 -cipher AES128-GCM-SHA256 -no_ticket \
    "${SRV_RSA[@]}" \
    -- \
    -tls1_2 -cipher AES128-GCM-SHA256 -no_ticket \
    "${CLI_VERIFY[@]}"

capture client-auth \
    -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -groups P-256 \
    -Verify 1 -verify_return_error -CAfile pki/client-ca.crt.pem \
    -attime 1767225600 "${SRV_P256[@]}" \
    -- \
    -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -groups P-256 \
    -cert pki/client-p256.crt.pem -key pki/client-p256.key.pem \
    "${CLI_VERIFY[@]}"

# The server keeps its default versions (TLS 1.2 and TLS 1.3); only the
# client is limited to TLS 1.2.
capture downgrade \
    -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -groups P-256 \
    "${SRV_P256[@]}" \
    -- \
    -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -groups P-256 \
    "${CLI_VERIFY[@]}"

OPENSSL_VERSION="$("$OPENSSL" version)"
mkdir "$WORK/out"

timeout 300 python3 - "$WORK" "$WORK/out" "$VECTORS_DIR" "$OPENSSL" \
    "$OPENSSL_VERSION" <<'PYTHON'
import hashlib
import hmac
import os
import re
import subprocess
import sys

WORK, OUT, VECTORS, OPENSSL, OPENSSL_VERSION = sys.argv[1:6]
PKI = os.path.join(VECTORS, "pki")


class CaptureError(Exception):
    pass


def fail(msg):
    raise CaptureError(msg)


def ensure(cond, msg):
    if not cond:
        fail(msg)


# What each handshake must look like. `flow` is the exact sequence of
# (sender, handshake message) of a full TLS 1.2 handshake (RFC 5246 7.3,
# Figure 1; RFC 5077 3.1 for NewSessionTicket before the server's
# ChangeCipherSpec).
ECDHE_FLOW = [
    ("client", "client_hello"), ("server", "server_hello"),
    ("server", "certificate"), ("server", "server_key_exchange"),
    ("server", "server_hello_done"), ("client", "client_key_exchange"),
    ("client", "finished"), ("server", "new_session_ticket"),
    ("server", "finished"),
]
HANDSHAKES = {
    "ecdhe-ecdsa-aes128-gcm": dict(
        title="ECDHE-ECDSA-AES128-GCM-SHA256, P-256, SNI, ALPN, session ticket",
        suite=0xC02B, group=0x0017, server_cert="server-p256",
        client_cert=None, ticket=True, alpn_client=[b"h2", b"http/1.1"],
        alpn_server=[b"h2"], downgrade=False, expansion=8 + 16,
        flow=ECDHE_FLOW),
    "ecdhe-rsa-chacha20": dict(
        title="ECDHE-RSA-CHACHA20-POLY1305, X25519, RSA-2048 certificate",
        suite=0xCCA8, group=0x001D, server_cert="server-rsa2048",
        client_cert=None, ticket=True, alpn_client=None, alpn_server=None,
        downgrade=False, expansion=16, flow=ECDHE_FLOW),
    "rsa-aes128-gcm": dict(
        title="static RSA key exchange, AES128-GCM-SHA256, no session ticket",
        suite=0x009C, group=None, server_cert="server-rsa2048",
        client_cert=None, ticket=False, alpn_client=None, alpn_server=None,
        downgrade=False, expansion=8 + 16,
        flow=[("client", "client_hello"), ("server", "server_hello"),
              ("server", "certificate"), ("server", "server_hello_done"),
              ("client", "client_key_exchange"), ("client", "finished"),
              ("server", "finished")]),
    "client-auth": dict(
        title="ECDHE-ECDSA-AES128-GCM-SHA256, P-256, client certificate (P-256)",
        suite=0xC02B, group=0x0017, server_cert="server-p256",
        client_cert="client-p256", ticket=True, alpn_client=None,
        alpn_server=None, downgrade=False, expansion=8 + 16,
        flow=[("client", "client_hello"), ("server", "server_hello"),
              ("server", "certificate"), ("server", "server_key_exchange"),
              ("server", "certificate_request"),
              ("server", "server_hello_done"), ("client", "certificate"),
              ("client", "client_key_exchange"),
              ("client", "certificate_verify"), ("client", "finished"),
              ("server", "new_session_ticket"), ("server", "finished")]),
    "downgrade": dict(
        title="TLS 1.3-capable server, TLS 1.2-only client: downgrade sentinel",
        suite=0xC02B, group=0x0017, server_cert="server-p256",
        client_cert=None, ticket=True, alpn_client=None, alpn_server=None,
        downgrade=True, expansion=8 + 16, flow=ECDHE_FLOW),
}

# openssl -msg label -> (name, HandshakeType) (RFC 5246 7.4, RFC 5077 3.3).
MSG_TYPES = {
    "ClientHello": ("client_hello", 1),
    "ServerHello": ("server_hello", 2),
    "NewSessionTicket": ("new_session_ticket", 4),
    "Certificate": ("certificate", 11),
    "ServerKeyExchange": ("server_key_exchange", 12),
    "CertificateRequest": ("certificate_request", 13),
    "ServerHelloDone": ("server_hello_done", 14),
    "CertificateVerify": ("certificate_verify", 15),
    "ClientKeyExchange": ("client_key_exchange", 16),
    "Finished": ("finished", 20),
}
# ContentType (RFC 5246 6.2.1) -> openssl -msg label and .vec name.
CONTENT_TYPES = {
    20: ("ChangeCipherSpec", "change_cipher_spec"),
    21: ("Alert", "alert"),
    22: ("Handshake", "handshake"),
}
# RFC 8446 4.1.3: last 8 bytes of ServerHello.random when a TLS 1.3 server
# negotiates TLS 1.2 ("DOWNGRD" 01) or TLS 1.1 or below ("DOWNGRD" 00).
DOWNGRADE_TLS12 = bytes.fromhex("444f574e47524401")
DOWNGRADE_TLS11 = bytes.fromhex("444f574e47524400")

HDR_RE = re.compile(
    r"^(>>>|<<<) ([^,]+), (\w+) \[length ([0-9a-f]{4})\](?:, (.*))?$")
HEX_RE = re.compile(r"^    ((?:[0-9a-f]{2} )*[0-9a-f]{2}) ?$")


def parse_msg_output(path):
    """Events of an `openssl -msg` transcript: (dir, type, label, bytes)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    events = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not (line.startswith(">>> ") or line.startswith("<<< ")):
            continue
        m = HDR_RE.match(line)
        ensure(m, f"{path}: unrecognised -msg line: {line!r}")
        direction, _version, ctype, length, label = m.groups()
        length = int(length, 16)
        data = bytearray()
        while i < len(lines) and HEX_RE.match(lines[i]):
            data += bytes.fromhex(lines[i].replace(" ", ""))
            i += 1
        ensure(len(data) == length,
               f"{path}: {line!r}: {len(data)} bytes of hex, openssl printed "
               f"length {length}")
        events.append(dict(dir=direction, ctype=ctype, label=label,
                           data=bytes(data), line=line))
    ensure(events, f"{path}: no -msg output")
    return events


def split_records(events, direction, path):
    """Group one direction's events into records: header + content events."""
    records = []
    for ev in events:
        if ev["dir"] != direction:
            continue
        if ev["ctype"] == "RecordHeader":
            ensure(len(ev["data"]) == 5, f"{path}: {ev['line']}: not 5 bytes")
            records.append(dict(header=ev["data"], contents=[]))
        else:
            ensure(records, f"{path}: {ev['line']}: content before any "
                   "record header")
            records[-1]["contents"].append(ev)
    return records


def check_handshake_event(ev, path):
    """RFC 5246 7.4: msg_type, uint24 length, body. Returns the .vec name."""
    ensure(ev["label"] in MSG_TYPES,
           f"{path}: {ev['line']}: unexpected handshake message")
    name, msg_type = MSG_TYPES[ev["label"]]
    data = ev["data"]
    ensure(len(data) >= 4, f"{path}: {ev['line']}: shorter than the header")
    ensure(data[0] == msg_type,
           f"{path}: {ev['line']}: type byte {data[0]}, {name} is {msg_type}")
    body_len = int.from_bytes(data[1:4], "big")
    ensure(body_len + 4 == len(data),
           f"{path}: {ev['line']}: length field {body_len} + 4 != "
           f"{len(data)} bytes printed")
    return name


def sent_records(events, side, path, expansion):
    """The records a side sent, checked against their content."""
    out = []
    protected = False
    for rec in split_records(events, ">>>", path):
        h = rec["header"]
        ctype = h[0]
        rec_len = int.from_bytes(h[3:5], "big")
        ensure(ctype in CONTENT_TYPES,
               f"{path}: record type {ctype} sent by the {side}")
        label, vec_name = CONTENT_TYPES[ctype]
        ensure(h[1:3] in (b"\x03\x01", b"\x03\x03"),
               f"{path}: record version {h[1:3].hex()} (RFC 5246 6.2.1, E.1)")
        ensure(rec["contents"], f"{path}: empty {vec_name} record")
        for ev in rec["contents"]:
            ensure(ev["ctype"] == label,
                   f"{path}: {ev['line']} inside a {vec_name} record")
        payload = b"".join(ev["data"] for ev in rec["contents"])
        if protected:
            # RFC 5246 6.2.3.3 (GCM: 8-byte explicit nonce + 16-byte tag),
            # RFC 7905 2 (ChaCha20-Poly1305: 16-byte tag, no explicit nonce).
            ensure(rec_len == len(payload) + expansion,
                   f"{path}: protected record length {rec_len} != "
                   f"{len(payload)} + {expansion}")
        else:
            ensure(rec_len == len(payload),
                   f"{path}: record length {rec_len} != content length "
                   f"{len(payload)}")
        messages = []
        if ctype == 22:
            for ev in rec["contents"]:
                messages.append((check_handshake_event(ev, path), ev))
        elif ctype == 20:
            # RFC 5246 7.1: ChangeCipherSpec is the single byte 1.
            ensure(payload == b"\x01", f"{path}: CCS payload {payload.hex()}")
        else:
            # Only the closing alerts: warning(1) close_notify(0), RFC 5246 7.2.1.
            ensure(payload == b"\x01\x00",
                   f"{path}: alert {payload.hex()} sent by the {side}")
        out.append(dict(side=side, header=h, payload=payload,
                        protected=protected, type=vec_name,
                        messages=messages, lines=[ev["line"] for ev in
                                                  rec["contents"]]))
        if ctype == 20:
            protected = True
    return out


class Reader:
    """Bounds-checked reader for the structure checks (RFC 5246 4.3)."""

    def __init__(self, data, what):
        self.data = data
        self.pos = 0
        self.what = what

    def take(self, n):
        ensure(self.pos + n <= len(self.data),
               f"{self.what}: truncated (need {n} bytes at {self.pos})")
        v = self.data[self.pos:self.pos + n]
        self.pos += n
        return v

    def uint(self, n):
        return int.from_bytes(self.take(n), "big")

    def vec(self, n, lo, hi, what):
        length = self.uint(n)
        ensure(lo <= length <= hi,
               f"{self.what}: {what} length {length} outside <{lo}..{hi}>")
        return Reader(self.take(length), f"{self.what}.{what}")

    def rest(self):
        return self.take(len(self.data) - self.pos)

    def empty(self):
        return self.pos == len(self.data)

    def done(self):
        ensure(self.empty(), f"{self.what}: {len(self.data) - self.pos} "
               "trailing bytes")


def parse_extensions(r, what):
    """RFC 5246 7.4.1.4: Extension extensions<0..2^16-1>, no duplicates."""
    exts = {}
    if r.empty():
        return exts
    block = r.vec(2, 0, 0xFFFF, "extensions")
    while not block.empty():
        ext_type = block.uint(2)
        ext_data = block.vec(2, 0, 0xFFFF, f"extension {ext_type:#06x}").rest()
        ensure(ext_type not in exts,
               f"{what}: duplicate extension {ext_type:#06x}")
        exts[ext_type] = ext_data
    return exts


def parse_alpn(data, what):
    """RFC 7301 3.1: ProtocolName protocol_name_list<2..2^16-1>."""
    r = Reader(data, what)
    lst = r.vec(2, 2, 0xFFFF, "protocol_name_list")
    r.done()
    names = []
    while not lst.empty():
        names.append(lst.vec(1, 1, 255, "ProtocolName").rest())
    return names


def der_cert(name):
    with open(os.path.join(PKI, name + ".crt.der"), "rb") as f:
        return f.read()


def run(args, what, stdin=None):
    try:
        p = subprocess.run(args, input=stdin, capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        fail(f"{what}: timed out")
    ensure(p.returncode == 0,
           f"{what}: {' '.join(args)} failed: {p.stderr.decode(errors='replace')}")
    return p.stdout


# SignatureScheme (RFC 8446 4.2.3; the TLS 1.2 SignatureAndHashAlgorithm
# values of RFC 5246 7.4.1.4.1 are the same code points).
SIG_SCHEMES = {
    0x0401: ("rsa", "sha256", False), 0x0501: ("rsa", "sha384", False),
    0x0601: ("rsa", "sha512", False), 0x0403: ("ec", "sha256", False),
    0x0503: ("ec", "sha384", False), 0x0603: ("ec", "sha512", False),
    0x0804: ("rsa", "sha256", True), 0x0805: ("rsa", "sha384", True),
    0x0806: ("rsa", "sha512", True),
}


def verify_signature(cert, scheme, signature, data, what, tmp):
    """Verify with `openssl dgst -verify` and the certificate's public key."""
    ensure(scheme in SIG_SCHEMES, f"{what}: signature scheme {scheme:#06x}")
    key_type, digest, pss = SIG_SCHEMES[scheme]
    cert_key = "ec" if cert.endswith("p256") else "rsa"
    ensure(key_type == cert_key,
           f"{what}: scheme {scheme:#06x} does not fit the {cert} key")
    pub = run([OPENSSL, "x509", "-in", os.path.join(PKI, cert + ".crt.pem"),
               "-noout", "-pubkey"], what)
    paths = {k: os.path.join(tmp, k) for k in ("pub", "sig", "data")}
    for k, v in (("pub", pub), ("sig", signature), ("data", data)):
        with open(paths[k], "wb") as f:
            f.write(v)
    args = [OPENSSL, "dgst", "-" + digest, "-verify", paths["pub"],
            "-signature", paths["sig"]]
    if pss:
        # RFC 8446 4.2.3: RSASSA-PSS, salt length = digest length.
        args += ["-sigopt", "rsa_padding_mode:pss",
                 "-sigopt", "rsa_pss_saltlen:digest"]
    out = run(args + [paths["data"]], what)
    ensure(b"Verified OK" in out, f"{what}: signature does not verify")


def prf_sha256(secret, label, seed, n):
    """RFC 5246 5: PRF(secret, label, seed) = P_SHA256(secret, label + seed)."""
    seed = label + seed
    out = b""
    a = seed
    while len(out) < n:
        a = hmac.new(secret, a, hashlib.sha256).digest()
        out += hmac.new(secret, a + seed, hashlib.sha256).digest()
    return out[:n]


def check_handshake(name, cfg, msgs, keylog, tmp):
    """RFC 5246 7.4 structure of every message of one handshake."""
    facts = []
    by_name = {}
    for side, mname, data in msgs:
        by_name.setdefault((side, mname), data)
    what = lambda s, m: f"{name}: {s} {m}"

    # ClientHello, RFC 5246 7.4.1.2.
    ch = Reader(by_name[("client", "client_hello")][4:],
                what("client", "client_hello"))
    ensure(ch.uint(2) == 0x0303, f"{ch.what}: client_version is not 3,3")
    client_random = ch.take(32)
    ch.vec(1, 0, 32, "session_id")
    suites = ch.vec(2, 2, 0xFFFE, "cipher_suites").rest()
    ensure(len(suites) % 2 == 0, f"{ch.what}: odd cipher_suites length")
    ensure(cfg["suite"].to_bytes(2, "big") in
           [suites[i:i + 2] for i in range(0, len(suites), 2)],
           f"{ch.what}: suite {cfg['suite']:#06x} not offered")
    comp = ch.vec(1, 1, 255, "compression_methods").rest()
    ensure(0 in comp, f"{ch.what}: null compression not offered (RFC 5246 7.4.1.2)")
    ch_exts = parse_extensions(ch, ch.what)
    ch.done()
    sni = Reader(ch_exts.get(0x0000, b""), f"{ch.what}.server_name")
    names = sni.vec(2, 1, 0xFFFF, "server_name_list")
    sni.done()
    ensure(names.uint(1) == 0, f"{ch.what}: server_name type is not host_name")
    host = names.vec(2, 1, 0xFFFF, "HostName").rest()
    names.done()
    ensure(host == b"server.tlsdiff.test",
           f"{ch.what}: server_name {host!r} (RFC 6066 3)")
    ensure(0x0017 in ch_exts and ch_exts[0x0017] == b"",
           f"{ch.what}: no empty extended_master_secret (RFC 7627 5.1)")
    ensure(0x002B not in ch_exts,
           f"{ch.what}: supported_versions sent by a TLS 1.2-only client")
    ensure((0x0023 in ch_exts) == cfg["ticket"],
           f"{ch.what}: session_ticket extension presence")
    if cfg["alpn_client"] is not None:
        ensure(parse_alpn(ch_exts.get(0x0010, b""), ch.what) ==
               cfg["alpn_client"], f"{ch.what}: ALPN list")
    else:
        ensure(0x0010 not in ch_exts, f"{ch.what}: unexpected ALPN")
    if cfg["group"] is not None:
        groups = Reader(ch_exts.get(0x000A, b""), f"{ch.what}.supported_groups")
        glist = groups.vec(2, 2, 0xFFFF, "named_curve_list").rest()
        groups.done()
        ensure(cfg["group"].to_bytes(2, "big") in
               [glist[i:i + 2] for i in range(0, len(glist), 2)],
               f"{ch.what}: group {cfg['group']:#06x} not offered")

    # ServerHello, RFC 5246 7.4.1.3.
    sh = Reader(by_name[("server", "server_hello")][4:],
                what("server", "server_hello"))
    ensure(sh.uint(2) == 0x0303, f"{sh.what}: server_version is not 3,3")
    server_random = sh.take(32)
    sh.vec(1, 0, 32, "session_id")
    suite = sh.uint(2)
    ensure(suite == cfg["suite"],
           f"{sh.what}: cipher_suite {suite:#06x}, expected {cfg['suite']:#06x}")
    ensure(sh.uint(1) == 0, f"{sh.what}: compression_method is not null")
    sh_exts = parse_extensions(sh, sh.what)
    sh.done()
    scsv = b"\x00\xff" in [suites[i:i + 2] for i in range(0, len(suites), 2)]
    for ext_type in sh_exts:
        # RFC 5246 7.4.1.4: only extensions the client offered; RFC 5746 3.6:
        # TLS_EMPTY_RENEGOTIATION_INFO_SCSV counts as an empty
        # renegotiation_info.
        ensure(ext_type in ch_exts or (ext_type == 0xFF01 and scsv),
               f"{sh.what}: extension {ext_type:#06x} not offered")
    ensure(sh_exts.get(0x0017) == b"",
           f"{sh.what}: no empty extended_master_secret (RFC 7627 5.2)")
    ensure(sh_exts.get(0xFF01) == b"\x00",
           f"{sh.what}: renegotiation_info is not the initial empty one "
           "(RFC 5746 3.6)")
    ensure((0x0023 in sh_exts) == cfg["ticket"],
           f"{sh.what}: session_ticket extension presence")
    if cfg["alpn_server"] is not None:
        ensure(parse_alpn(sh_exts.get(0x0010, b""), sh.what) ==
               cfg["alpn_server"], f"{sh.what}: selected ALPN")
    else:
        ensure(0x0010 not in sh_exts, f"{sh.what}: unexpected ALPN")
    facts.append("ClientHello: client_version 0303, extensions " +
                 " ".join(f"{t:04x}" for t in ch_exts) +
                 ", SNI server.tlsdiff.test, empty extended_master_secret.")
    facts.append(f"ServerHello: server_version 0303, cipher_suite {suite:04x}, "
                 "extensions " + " ".join(f"{t:04x}" for t in sh_exts) +
                 " (each offered by the client; renegotiation_info 00, "
                 "empty extended_master_secret" +
                 (", ALPN h2" if cfg["alpn_server"] else "") + ").")
    tail = server_random[24:]
    if cfg["downgrade"]:
        ensure(tail == DOWNGRADE_TLS12,
               f"{sh.what}: random ends in {tail.hex()}, not the TLS 1.2 "
               f"downgrade sentinel {DOWNGRADE_TLS12.hex()} (RFC 8446 4.1.3)")
        facts.append("ServerHello.random ends with the RFC 8446 4.1.3 TLS 1.2 "
                     f"downgrade sentinel {DOWNGRADE_TLS12.hex()} (checked).")
    else:
        ensure(tail not in (DOWNGRADE_TLS12, DOWNGRADE_TLS11),
               f"{sh.what}: downgrade sentinel from a TLS 1.2-only server")

    # Certificate, RFC 5246 7.4.2.
    def check_certificate(side, expected):
        r = Reader(by_name[(side, "certificate")][4:], what(side, "certificate"))
        lst = r.vec(3, 0, 0xFFFFFF, "certificate_list")
        r.done()
        certs = []
        while not lst.empty():
            certs.append(lst.vec(3, 1, 0xFFFFFF, "ASN.1Cert").rest())
        ensure(certs == [der_cert(n) for n in expected],
               f"{r.what}: certificate_list is not {' + '.join(expected)} "
               "(DER from vectors/pki)")
        facts.append(f"{side} Certificate = {' + '.join(expected)} "
                     "(byte-equal to vectors/pki/*.crt.der).")

    check_certificate("server", [cfg["server_cert"], "intermediate-ca"])
    if cfg["client_cert"]:
        check_certificate("client", [cfg["client_cert"]])

    # ServerKeyExchange, RFC 4492 5.4 (as updated by RFC 8422 5.4).
    if cfg["group"] is not None:
        ske_msg = by_name[("server", "server_key_exchange")]
        ske = Reader(ske_msg[4:], what("server", "server_key_exchange"))
        ensure(ske.uint(1) == 3, f"{ske.what}: curve_type is not named_curve")
        ensure(ske.uint(2) == cfg["group"], f"{ske.what}: namedcurve")
        point = ske.vec(1, 1, 255, "public").rest()
        if cfg["group"] == 0x0017:
            # RFC 8422 5.4.1: uncompressed point, 04 || X || Y.
            ensure(len(point) == 65 and point[0] == 4,
                   f"{ske.what}: not an uncompressed P-256 point")
        else:
            ensure(len(point) == 32, f"{ske.what}: X25519 key is not 32 bytes")
        params = ske_msg[4:4 + 4 + len(point)]
        scheme = ske.uint(2)
        signature = ske.vec(2, 0, 0xFFFF, "signature").rest()
        ske.done()
        # RFC 4492 5.4: signed over client_random + server_random + params.
        verify_signature(cfg["server_cert"], scheme, signature,
                         client_random + server_random + params, ske.what, tmp)
        facts.append(f"ServerKeyExchange: named_curve {cfg['group']:#06x}, "
                     f"signature scheme {scheme:#06x}, signature verified "
                     f"with the {cfg['server_cert']} public key.")
    else:
        ensure(("server", "server_key_exchange") not in by_name,
               f"{name}: ServerKeyExchange in a static RSA handshake")

    # CertificateRequest, RFC 5246 7.4.4.
    if cfg["client_cert"]:
        cr = Reader(by_name[("server", "certificate_request")][4:],
                    what("server", "certificate_request"))
        types = cr.vec(1, 1, 255, "certificate_types").rest()
        algs = cr.vec(2, 2, 0xFFFE, "supported_signature_algorithms").rest()
        ensure(len(algs) % 2 == 0, f"{cr.what}: odd signature algorithm list")
        cas = cr.vec(2, 0, 0xFFFF, "certificate_authorities")
        cr.done()
        dns = []
        while not cas.empty():
            dns.append(cas.vec(2, 1, 0xFFFF, "DistinguishedName").rest())
        ensure(64 in types, f"{cr.what}: ecdsa_sign(64) not requested")
        ensure(dns and all(dn in der_cert("client-ca") for dn in dns),
               f"{cr.what}: certificate_authorities is not client-ca's DN")
        facts.append("CertificateRequest: certificate_authorities = the "
                     "client-ca subject (found in client-ca.crt.der).")

    # ClientKeyExchange, RFC 5246 7.4.7 / RFC 4492 5.7.
    cke = Reader(by_name[("client", "client_key_exchange")][4:],
                 what("client", "client_key_exchange"))
    pre_master = None
    if cfg["group"] is not None:
        point = cke.vec(1, 1, 255, "ecdh_Yc").rest()
        ensure(len(point) == (65 if cfg["group"] == 0x0017 else 32),
               f"{cke.what}: public value size")
    else:
        enc = cke.vec(2, 0, 0xFFFF, "EncryptedPreMasterSecret").rest()
        ensure(len(enc) == 256, f"{cke.what}: not one RSA-2048 block")
        with open(os.path.join(tmp, "epms"), "wb") as f:
            f.write(enc)
        pre_master = run([OPENSSL, "pkeyutl", "-decrypt", "-inkey",
                          os.path.join(PKI, "server-rsa2048.key.pem"), "-in",
                          os.path.join(tmp, "epms")], cke.what)
        # RFC 5246 7.4.7.1: client_version (3,3) + 46 random bytes.
        ensure(len(pre_master) == 48 and pre_master[:2] == b"\x03\x03",
               f"{cke.what}: decrypted PreMasterSecret is malformed")
        facts.append("ClientKeyExchange decrypts with server-rsa2048.key.pem "
                     "to a 48-byte PreMasterSecret starting 03 03.")
    cke.done()

    # Transcript, RFC 5246 7.4.8 / 7.4.9: every handshake message in order.
    def transcript_before(side, mname):
        out = b""
        for s, m, data in msgs:
            if (s, m) == (side, mname):
                return out
            out += data
        fail(f"{name}: no {side} {mname}")

    # CertificateVerify, RFC 5246 7.4.8.
    if cfg["client_cert"]:
        cv = Reader(by_name[("client", "certificate_verify")][4:],
                    what("client", "certificate_verify"))
        scheme = cv.uint(2)
        signature = cv.vec(2, 0, 0xFFFF, "signature").rest()
        cv.done()
        verify_signature(cfg["client_cert"], scheme, signature,
                         transcript_before("client", "certificate_verify"),
                         cv.what, tmp)
        facts.append(f"CertificateVerify: scheme {scheme:#06x}, signature "
                     "over the transcript verified with the client-p256 key.")

    # NewSessionTicket, RFC 5077 3.3.
    if cfg["ticket"]:
        nst = Reader(by_name[("server", "new_session_ticket")][4:],
                     what("server", "new_session_ticket"))
        nst.uint(4)
        nst.vec(2, 0, 0xFFFF, "ticket")
        nst.done()

    # ServerHelloDone, RFC 5246 7.4.5: empty body.
    ensure(by_name[("server", "server_hello_done")] == b"\x0e\x00\x00\x00",
           f"{name}: ServerHelloDone is not empty")

    # Finished, RFC 5246 7.4.9, with the master secret from s_client's key
    # log (NSS key log format: CLIENT_RANDOM <client_random> <master_secret>).
    master = keylog.get(client_random)
    ensure(master is not None and len(master) == 48,
           f"{name}: no CLIENT_RANDOM line for this ClientHello in the key log")
    if pre_master is not None:
        # RFC 7627 4: master_secret = PRF(pre_master_secret,
        # "extended master secret", session_hash)[0..47], where session_hash
        # is the hash of the messages up to and including ClientKeyExchange.
        session_hash = hashlib.sha256(
            transcript_before("client", "client_key_exchange") +
            by_name[("client", "client_key_exchange")]).digest()
        ensure(prf_sha256(pre_master, b"extended master secret",
                          session_hash, 48) == master,
               f"{name}: extended master secret derivation does not match")
        facts.append("master_secret = PRF(pre_master_secret, \"extended "
                     "master secret\", session_hash) (RFC 7627 4, checked).")
    for side, label in (("client", b"client finished"),
                        ("server", b"server finished")):
        verify_data = prf_sha256(
            master, label,
            hashlib.sha256(transcript_before(side, "finished")).digest(), 12)
        ensure(by_name[(side, "finished")] == b"\x14\x00\x00\x0c" + verify_data,
               f"{name}: {side} Finished verify_data does not match the "
               "PRF of the transcript (RFC 5246 7.4.9)")
    facts.append("Both Finished verify_data = PRF(master_secret, finished_label, "
                 "SHA-256(transcript)) (RFC 5246 7.4.9, checked).")
    return facts, master, pre_master


def read_keylog(path):
    keys = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "CLIENT_RANDOM":
                keys[bytes.fromhex(parts[1])] = bytes.fromhex(parts[2])
    return keys


def vec_line(side, kind, name, field, data):
    return f"{side:<8}{kind:<11}{name:<43}{field:<19}{data.hex() or '-'}\n"


def process(name, cfg):
    base = os.path.join(WORK, name)
    cpath, spath = base + ".client.txt", base + ".server.txt"
    cev = parse_msg_output(cpath)
    sev = parse_msg_output(spath)
    crecs = sent_records(cev, "client", cpath, cfg["expansion"])
    srecs = sent_records(sev, "server", spath, cfg["expansion"])

    # Both views must agree: what one side sent is what the other received.
    for sender, recs, peer_events, peer_path in (
            ("client", crecs, sev, spath), ("server", srecs, cev, cpath)):
        sent = [ev["data"] for r in recs for _, ev in r["messages"]]
        got = [ev["data"] for ev in peer_events
               if ev["dir"] == "<<<" and ev["ctype"] == "Handshake"]
        ensure(sent == got, f"{name}: handshake messages sent by the {sender} "
               f"differ from those {peer_path} received")
        hdrs = [r["header"] for r in recs]
        got_hdrs = [ev["data"] for ev in peer_events
                    if ev["dir"] == "<<<" and ev["ctype"] == "RecordHeader"]
        ensure(got_hdrs == hdrs[:len(got_hdrs)],
               f"{name}: record headers sent by the {sender} differ from "
               f"those {peer_path} received")

    # Order of the whole exchange: the client's view, where the server's
    # records appear as received record headers.
    order = []
    ci = si = 0
    for ev in cev:
        if ev["ctype"] != "RecordHeader":
            continue
        if ev["dir"] == ">>>":
            order.append(crecs[ci])
            ci += 1
        else:
            order.append(srecs[si])
            si += 1
    ensure(all(r["type"] == "alert" for r in crecs[ci:] + srecs[si:]),
           f"{name}: records missing from the client's view")
    order = [r for r in order if r["type"] != "alert"]

    msgs = [(r["side"], mname, ev["data"])
            for r in order for mname, ev in r["messages"]]
    flow = [(side, mname) for side, mname, _ in msgs]
    ensure(flow == cfg["flow"],
           f"{name}: handshake flow\n  got      {flow}\n  expected {cfg['flow']}")
    for side in ("client", "server"):
        kinds = [r["type"] for r in order if r["side"] == side]
        ensure(kinds.count("change_cipher_spec") == 1,
               f"{name}: {side} sent {kinds.count('change_cipher_spec')} CCS")
        fin = [i for i, r in enumerate(order) if r["side"] == side and
               any(m == "finished" for m, _ in r["messages"])]
        ccs = [i for i, r in enumerate(order) if r["side"] == side and
               r["type"] == "change_cipher_spec"]
        # RFC 5246 7.4.9: Finished immediately follows ChangeCipherSpec.
        ensure(fin and ccs and fin[0] == ccs[0] + 1,
               f"{name}: {side} Finished does not follow its CCS")

    tmp = base + ".tmp"
    os.makedirs(tmp, exist_ok=True)
    facts, master, pre_master = check_handshake(
        name, cfg, msgs, read_keylog(base + ".keylog"), tmp)

    with open(base + ".server.args") as f:
        server_args = f.read().strip()
    with open(base + ".client.args") as f:
        client_args = f.read().strip()
    lines = [
        f"# tlsdiff vectors: TLS 1.2 handshake \"{name}\": {cfg['title']}.\n",
        f"# Captured from {OPENSSL_VERSION} (s_server/s_client -msg) by\n",
        "# vectors/tls12/capture.sh; do not edit. Format: README.md (and\n",
        "# ../tls13/README.md). Randoms, keys, signatures and tickets differ\n",
        "# on every run; the structure does not.\n",
        "#\n",
        "# openssl s_server -accept 127.0.0.1:0 -naccept 1 -rev -msg\n",
        f"#     {server_args}\n",
        "# openssl s_client -connect 127.0.0.1:PORT -msg -keylogfile FILE\n",
        f"#     {client_args}\n",
        "# (paths relative to vectors/)\n",
        "#\n",
        "# Checked by capture.sh:\n",
    ]
    lines += [f"#   {fact}\n" for fact in facts]
    lines += ["# side  kind  name  field  hex\n", "\n"]
    for r in order:
        for mname, ev in r["messages"]:
            lines.append(f"# {{{r['side']}}}  {ev['label']}   "
                         f"(-msg: {ev['line'][4:]})\n")
            lines.append(vec_line(r["side"], "handshake", mname, "message",
                                  ev["data"]))
        if r["protected"]:
            lines.append(f"# {{{r['side']}}}  send {r['type']} record "
                         f"(protected, record header {r['header'].hex()}; "
                         "ciphertext not captured):\n")
            lines.append(vec_line(r["side"], "record", r["type"], "payload",
                                  r["payload"]))
        else:
            lines.append(f"# {{{r['side']}}}  send {r['type']} record:\n")
            lines.append(vec_line(r["side"], "record", r["type"], "payload",
                                  r["payload"]))
            lines.append(vec_line(r["side"], "record", r["type"], "plaintext",
                                  r["header"] + r["payload"]))
        lines.append("\n")
    lines.append("# {client}  key log (SSLKEYLOGFILE CLIENT_RANDOM line):\n")
    if pre_master is not None:
        lines.append(vec_line("client", "kdf", "pre_master_secret", "secret",
                              pre_master))
    lines.append(vec_line("client", "kdf", "master_secret", "secret", master))
    with open(os.path.join(OUT, name + ".vec"), "w") as f:
        f.writelines(lines)
    print(f"checked {name}: {len(msgs)} handshake messages, "
          f"{len(order)} records")


errors = []
for hs_name, hs_cfg in HANDSHAKES.items():
    try:
        process(hs_name, hs_cfg)
    except CaptureError as e:
        errors.append(str(e))
for e in errors:
    print(f"capture.sh: CHECK FAILED: {e}", file=sys.stderr)
sys.exit(1 if errors else 0)
PYTHON

vec_files=("$WORK"/out/*.vec)
[ "${#vec_files[@]}" -eq 5 ] || die "expected 5 .vec files, got ${#vec_files[@]}"
cp "${vec_files[@]}" "$TLS12_DIR/"
echo "wrote ${#vec_files[@]} files to $TLS12_DIR"
