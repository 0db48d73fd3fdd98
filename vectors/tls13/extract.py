#!/usr/bin/env python3
"""Extract the TLS 1.3 example handshake traces into .vec files.

Usage: extract.py TRACES_TXT [OUTDIR]

TRACES_TXT is the "Example Handshake Traces for TLS 1.3" text
(shared/rfc/tls13-traces.txt, the RFC 8448 format). OUTDIR defaults to the
directory of this script. One file per trace section (3 to 7) plus the
server RSA key of section 2; the format is described in README.md.

Every value annotated "(N octets)" is checked against the number of bytes
actually read; any mismatch, any hex line no value claims, and any
"octets)" line that is not understood stop the script with an error.
Python 3 standard library only.
"""

import os
import re
import sys

SECTIONS = {
    2: "s2-keys.vec",
    3: "s3-1rtt.vec",
    4: "s4-0rtt.vec",
    5: "s5-hrr.vec",
    6: "s6-client-auth.vec",
    7: "s7-compat.vec",
}

PAGE_FOOTER = re.compile(r"^Thomson\s+Expires .*\[Page \d+\]\s*$")
PAGE_HEADER = re.compile(r"^Internet-Draft\s+TLS 1\.3 Traces\s+\w+ \d{4}\s*$")
SECTION = re.compile(r"^(\d+)\.\s+(\S.*)$")
STEP = re.compile(r"^   \{(client|server)\}\s+(.*)$")
HEX_LINE = re.compile(r"^\s+[0-9a-f]{2}(?: [0-9a-f]{2})*\s*$")
# "      label (N octets):  hex..." / "(empty)"
VALUE = re.compile(r"^\s+([A-Za-z][A-Za-z0-9 ]*?) \((\d+) octets\):\s+(.*)$")
# section 2: "   label:  hex..." without a count
VALUE_NOCOUNT = re.compile(
    r"^\s+([a-z][a-z0-9 ()]*?):\s+((?:[0-9a-f]{2})(?: [0-9a-f]{2})*)\s*$")
ZERO_SALT = re.compile(r"^\s+salt:\s+0 \(all zero octets\)\s*$")

RECORD_TYPES = {
    "change_cipher_spec": 20, "alert": 21, "handshake": 22,
    "application_data": 23,
}
HANDSHAKE_TYPES = {
    "client_hello": 1, "server_hello": 2, "new_session_ticket": 4,
    "end_of_early_data": 5, "encrypted_extensions": 8, "certificate": 11,
    "certificate_request": 13, "certificate_verify": 15, "finished": 20,
}


class ExtractError(Exception):
    pass


def fail(lineno, msg):
    raise ExtractError("line %d: %s" % (lineno, msg))


def snake(label):
    """ClientHello prefix -> client_hello_prefix, PRK -> prk."""
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", label.strip())
    s = re.sub(r"[^A-Za-z0-9]+", "_", s).strip("_")
    return s.lower()


def step_slug(text):
    """derive secret "tls13 c hs traffic" -> derive_secret_tls13_c_hs_traffic"""
    text = re.sub(r"\(same as.*$", "", text).strip().rstrip(":")
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def clean_lines(text):
    """(lineno, line) with page breaks, footers and headers removed."""
    out = []
    for i, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        if "\f" in line:
            if line.strip("\f \t"):
                fail(i, "form feed inside text")
            continue
        if PAGE_FOOTER.match(line) or PAGE_HEADER.match(line):
            continue
        out.append((i, line))
    return out


def hex_bytes(s):
    return bytes(int(b, 16) for b in s.split())


def read_value(lines, k, first):
    """Bytes of a value starting with `first` on lines[k]; continuation
    lines are the hex-only lines that follow, across blank lines and page
    breaks. Returns (bytes, index of the next unread line)."""
    data = bytearray(hex_bytes(first))
    j = k + 1
    while j < len(lines):
        line = lines[j][1]
        if not line.strip():
            j += 1
            continue
        if not HEX_LINE.match(line):
            break
        data += hex_bytes(line)
        j += 1
    return bytes(data), j


def parse(text):
    """{section number: (title, [entries])}. An entry is a dict with side,
    step (text), and either label/data or comment."""
    lines = clean_lines(text)
    sections = {}
    cur = None
    side = None
    step = None
    k = 0
    while k < len(lines):
        lineno, line = lines[k]
        m = SECTION.match(line)
        if m and not line.startswith(" "):
            num = int(m.group(1))
            cur = None
            if num in SECTIONS:
                cur = sections.setdefault(num, (m.group(2).strip(), []))
            side, step = ("server" if num == 2 else None), None
            k += 1
            continue
        if cur is None:
            k += 1
            continue
        entries = cur[1]
        m = STEP.match(line)
        if m:
            side, step = m.group(1), m.group(2).strip()
            # a step text may wrap until its parenthesis closes
            while step.count("(") > step.count(")") and k + 1 < len(lines):
                k += 1
                step += " " + lines[k][1].strip()
            entries.append({"side": side, "step": step})
            k += 1
            continue
        if ZERO_SALT.match(line):
            entries.append({"side": side, "step": step,
                            "comment": "salt: 0 (all zero octets)"})
            k += 1
            continue
        m = VALUE.match(line)
        if m:
            label, count, rest = m.group(1), int(m.group(2)), m.group(3)
            if rest.strip() == "(empty)":
                data, k = b"", k + 1
            elif HEX_LINE.match("  " + rest):
                data, k = read_value(lines, k, rest)
            else:
                fail(lineno, "value %r is not hex" % label)
            if len(data) != count:
                fail(lineno, "%s: text says %d octets, read %d"
                     % (label, count, len(data)))
            if side is None or step is None:
                fail(lineno, "value %r outside a {client}/{server} step"
                     % label)
            entries.append({"side": side, "step": step, "label": label,
                            "data": data, "line": lineno})
            continue
        m = VALUE_NOCOUNT.match(line) if cur and side == "server" \
            and step is None else None
        if m:
            data, k = read_value(lines, k, m.group(2))
            entries.append({"side": side, "step": "server RSA key",
                            "label": m.group(1), "data": data,
                            "line": lineno})
            continue
        if "octets)" in line:
            fail(lineno, "unparsed value line: %r" % line.strip())
        if HEX_LINE.match(line):
            fail(lineno, "hex line outside any value: %r" % line.strip())
        k += 1
    return sections


def check_rsa(entries):
    vals = {snake(e["label"]): int.from_bytes(e["data"], "big")
            for e in entries if "data" in e}
    need = ("modulus_public", "public_exponent", "private_exponent",
            "prime1", "prime2")
    if not all(n in vals for n in need):
        raise ExtractError("section 2: RSA key incomplete: %s" % sorted(vals))
    n, e, d = vals["modulus_public"], vals["public_exponent"], \
        vals["private_exponent"]
    p, q = vals["prime1"], vals["prime2"]
    if p * q != n:
        raise ExtractError("section 2: prime1 * prime2 != modulus")
    if pow(pow(2, e, n), d, n) != 2:
        raise ExtractError("section 2: private exponent does not invert e")


def record_lines(entries, i, e):
    """payload + complete record of one "send X record" step."""
    m = re.match(r"send (\w+) record", e["step"])
    ctype = m.group(1)
    if ctype not in RECORD_TYPES:
        fail(e["line"], "unknown record type %r" % ctype)
    field = snake(e["label"])
    data = e["data"]
    if field == "payload":
        return "record", ctype, "payload", data
    if field != "complete_record":
        fail(e["line"], "unexpected value %r in a record step" % e["label"])
    prev = entries[i - 1] if i > 0 else {}
    if prev.get("step") != e["step"] or snake(prev.get("label", "")) \
            != "payload":
        fail(e["line"], "complete record without its payload")
    payload = prev["data"]
    if len(data) < 5 or int.from_bytes(data[3:5], "big") != len(data) - 5:
        fail(e["line"], "record header length does not match the record")
    if data[5:] == payload:
        if data[0] != RECORD_TYPES[ctype]:
            fail(e["line"], "plaintext record type %d is not %s"
                 % (data[0], ctype))
        return "record", ctype, "plaintext", data
    if data[0] != RECORD_TYPES["application_data"]:
        fail(e["line"], "protected record with outer type %d" % data[0])
    return "record", ctype, "protected", data


def handshake_line(e):
    m = re.match(r"construct an? (\w+) handshake message", e["step"])
    name = snake(m.group(1))
    if snake(e["label"]) != name:
        fail(e["line"], "message %r in step %r" % (e["label"], e["step"]))
    data = e["data"]
    if name not in HANDSHAKE_TYPES or data[0] != HANDSHAKE_TYPES[name]:
        fail(e["line"], "%s does not start with its msg_type" % name)
    # a ClientHello shown before its binders are computed is a prefix:
    # its length field covers the binders that are not shown yet
    body = int.from_bytes(data[1:4], "big")
    if body + 4 == len(data):
        return "handshake", name, "message", data
    if body + 4 > len(data):
        return "handshake", name, "partial", data
    fail(e["line"], "%s is longer than its length field" % name)


def render(num, title, entries):
    out = ["# tlsdiff vectors: section %d \"%s\" of the TLS 1.3 example"
           % (num, title),
           "# handshake traces (shared/rfc/tls13-traces.txt). Generated by",
           "# vectors/tls13/extract.py; do not edit. Format: README.md.",
           "# side  kind  name  field  hex", ""]
    for i, e in enumerate(entries):
        if "data" not in e:
            if "comment" in e:
                out.append("#   %s" % e["comment"])
            else:
                out.append("")
                out.append("# {%s}  %s" % (e["side"], e["step"]))
            continue
        step = e["step"]
        if num == 2:
            row = ("key", "server_rsa", snake(e["label"]), e["data"])
        elif step.startswith("send "):
            row = record_lines(entries, i, e)
        elif step.startswith("construct "):
            row = handshake_line(e)
        elif step.startswith("create "):
            row = ("key", step_slug(step), snake(e["label"]), e["data"])
        else:
            row = ("kdf", step_slug(step), snake(e["label"]), e["data"])
        kind, name, field, data = row
        out.append("%-7s %-10s %-42s %-18s %s" % (
            e["side"], kind, name, field, data.hex() if data else "-"))
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    outdir = argv[2] if len(argv) == 3 else os.path.dirname(
        os.path.abspath(__file__))
    with open(argv[1], encoding="utf-8") as f:
        text = f.read()
    try:
        sections = parse(text)
        missing = sorted(set(SECTIONS) - set(sections))
        if missing:
            raise ExtractError("sections not found: %s" % missing)
        check_rsa(sections[2][1])
        rendered = {n: render(n, t, es) for n, (t, es) in sections.items()}
    except ExtractError as err:
        sys.stderr.write("extract.py: %s: %s\n" % (argv[1], err))
        return 1
    for num, body in sorted(rendered.items()):
        path = os.path.join(outdir, SECTIONS[num])
        with open(path, "w", encoding="utf-8") as f:
            f.write(body)
        values = sum(1 for line in body.splitlines()
                     if line and not line.startswith("#"))
        print("%s: %d values" % (path, values))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
