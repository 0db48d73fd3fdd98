#!/usr/bin/env bash
# tlsdiff conform from the command line, on copies of the vectors:
#   - a case whose expected outcome is edited to one the RFC does not give
#     (RFC 8446 4.1.2: a ClientHello compression method other than null
#     MUST get illegal_parameter; the copy says accept) makes the runner
#     fail (exit 1) with a line naming the case, its file and line;
#   - the JUnit XML of a run parses (python3 xml.etree) with one testcase
#     per case and subject, and the failure is in it;
#   - a wolfSSL divergence not in the divergences file is a failure
#     (exit 1) that says how to record it, and is known (exit 0) once an
#     entry records it;
#   - a malformed cases file is one line naming the file and line (exit 2).
set -u
tlsdiff=$1
vectors=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # description, status, expected status
    if [ "$2" -ne "$3" ]; then echo "FAIL: $1 (exit $2, expected $3)"; fail=1; fi
}
has() { # description, file, pattern
    if ! grep -q -- "$3" "$2"; then echo "FAIL: $1: no '$3' in:"; head -40 "$2"; fail=1; fi
}
export TLSDIFF_VECTORS=$vectors

mkdir "$tmp/cases"
cat >"$tmp/cases/t.cases" <<'EOF'
case t.compression
  rfc       RFC 8446 4.1.2
  quote     If a TLS 1.3 ClientHello is received with any other value in this field, the server MUST abort the handshake with an "illegal_parameter" alert
  profile   tls13-x25519-ecdsa-p256
  subject   server
  message   client_hello
  edit      set legacy_compression_methods 0,1
  expect    alert(illegal_parameter)

case t.canonical
  rfc       RFC 8446 4.1.2
  quote     the canonical handshake completes
  profile   tls13-x25519-ecdsa-p256
  subject   server
  message   client_hello
  expect    accept
EOF
"$tlsdiff" conform --cases "$tmp/cases" --junit "$tmp/ok.xml" >"$tmp/out" 2>&1
check "cases as the RFC says" $? 0
has "summary row" "$tmp/out" "RFC 8446 4.1 .* 2 .* 2 .* 2 .* 0 .* 0"

# The expectation edited in the copy: the runner must fail and name it.
sed -i 's/expect    alert(illegal_parameter)/expect    accept/' "$tmp/cases/t.cases"
"$tlsdiff" conform --cases "$tmp/cases" --junit "$tmp/bad.xml" >"$tmp/out" 2>&1
check "edited expectation fails" $? 1
has "the case named" "$tmp/out" "REFERENCE FAILS  t.compression (t.cases:1, RFC 8446 4.1.2)"
has "what happened" "$tmp/out" "expected accept; reference alert:illegal_parameter, wolfSSL alert:illegal_parameter"

python3 - "$tmp/ok.xml" "$tmp/bad.xml" <<'EOF' || fail=1
import sys, xml.etree.ElementTree as ET
ok, bad = (ET.parse(p).getroot() for p in sys.argv[1:])
for root, failures in ((ok, 0), (bad, 2)):
    cases = root.findall("./testsuite/testcase")
    assert [s.get("name") for s in root.findall("testsuite")] == ["reference", "wolfSSL"], root
    assert len(cases) == 4, len(cases)
    got = len(root.findall("./testsuite/testcase/failure"))
    assert got == failures and root.get("failures") == str(failures), (got, root.attrib)
f = bad.find("./testsuite/testcase[@name='t.compression']/failure")
assert "expected accept, got alert:illegal_parameter" in f.get("message"), f.attrib
EOF

# wolfSSL's answer to a duplicated supported_versions (RFC 8446 4.2: no
# two extensions of a type) is not the RFC's: new without an entry.
cat >"$tmp/cases/t.cases" <<'EOF'
case t.dup
  rfc       RFC 8446 4.2
  quote     There MUST NOT be more than one extension of the same type in a given extension block
  profile   tls13-x25519-ecdsa-p256
  subject   server
  message   client_hello
  edit      ext dup supported_versions
  expect    alert(illegal_parameter) | alert(decode_error)
EOF
: >"$tmp/none"
"$tlsdiff" conform --cases "$tmp/cases" --divergences "$tmp/none" >"$tmp/out" 2>&1
check "unrecorded divergence (wolfSSL 5.7.2 stops without an alert)" $? 1
has "how to record it" "$tmp/out" "not in vectors/divergences: record it with edit 'case t.dup'"
wolf=$(sed -n "s/.*and observed reference=[^ ]* wolfssl=\(.*\)$/\1/p" "$tmp/out")
cat >"$tmp/div" <<EOF
divergence t-dup
  message   client_hello
  edit      case t.dup
  observed  reference=alert:* wolfssl=$wolf
  clause    RFC 8446 4.2
  right     reference
  note      a test entry
EOF
"$tlsdiff" conform --cases "$tmp/cases" --divergences "$tmp/div" >"$tmp/out" 2>&1
check "recorded divergence" $? 0
has "known and named" "$tmp/out" "divergence t-dup (right: reference)"

printf 'case x\n  colour blue\n' >"$tmp/cases/t.cases"
"$tlsdiff" conform --cases "$tmp/cases" >"$tmp/out" 2>&1
check "malformed cases file" $? 2
has "file and line" "$tmp/out" "conform: t.cases:2: unknown key: colour"
[ "$(wc -l <"$tmp/out")" -eq 1 ] || { echo "FAIL: more than one line for a malformed file"; fail=1; }

exit $fail
