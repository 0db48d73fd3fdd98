#!/usr/bin/env bash
# tlsdiff x509 verify from the command line, on the test PKI (properties in
# vectors/pki/README.md) and two crafted chains of vectors/x509:
#   - a good server chain: exit 0, both implementations accept, they agree;
#   - the wrong host, or a clock after notAfter (2036-01-01): exit 1 with the
#     reason and the alert (RFC 8446 6.2);
#   - --json parses and carries both verdicts;
#   - a crafted chain the two disagree on (chain-intermediates-out-of-order,
#     RFC 8446 4.4.2) says so;
#   - bad base64 is one line with the file and the byte offset, a missing
#     file names it, an unknown option is usage: exit 2.
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
    if ! grep -q -- "$3" "$2"; then echo "FAIL: $1: no '$3' in:"; head -20 "$2"; fail=1; fi
}
pki=$vectors/pki

"$tlsdiff" x509 verify "$pki/server-p256.chain.pem" --ca "$pki/root-ca.crt.pem" \
    --host server.tlsdiff.test >"$tmp/out" 2>&1
check "good chain" $? 0
has "leaf shown" "$tmp/out" "\[0\] CN=server.tlsdiff.test, issued by CN=tlsdiff Test Intermediate CA"
has "reference accepts" "$tmp/out" "^reference: accept"
has "wolfSSL accepts" "$tmp/out" "^wolfSSL:   accept"
has "agree" "$tmp/out" "^agree:     yes"

"$tlsdiff" x509 verify "$pki/server-p256.chain.pem" --ca "$pki/root-ca.crt.pem" \
    --host other.tlsdiff.test >"$tmp/out" 2>&1
check "wrong host" $? 1
has "name_mismatch" "$tmp/out" "^reference: reject name_mismatch: .*(alert bad_certificate)"

"$tlsdiff" x509 verify "$pki/server-rsa2048.chain.pem" --ca "$pki/root-ca.crt.pem" \
    --at 2036-01-01T00:00:01Z >"$tmp/out" 2>&1
check "expired" $? 1
has "expired with its alert" "$tmp/out" "^reference: reject expired: .*(alert certificate_expired)"
"$tlsdiff" x509 verify "$pki/server-rsa2048.chain.pem" --ca "$pki/root-ca.crt.pem" \
    --at 2082758400 >"$tmp/out" 2>&1
check "notAfter itself is valid (RFC 5280 4.1.2.5)" $? 0

# client-p256.chain.pem is the leaf alone: client-ca issued it directly
"$tlsdiff" x509 verify "$pki/client-p256.chain.pem" --ca "$pki/client-ca.crt.pem" \
    --purpose client --json >"$tmp/json" 2>&1
check "client chain --json" $? 0
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["reference"]["accept"] and d["wolfssl"]["accept"] and d["agree"] and len(d["certificates"]) == 1, d' \
    "$tmp/json" || { echo "FAIL: --json"; cat "$tmp/json"; fail=1; }

"$tlsdiff" x509 verify "$vectors/x509/chains/chain-intermediates-out-of-order.pem" \
    --ca "$vectors/x509/anchors/root-ca.pem" --host server.tlsdiff.test >"$tmp/out" 2>&1
check "out of order chain" $? 0
has "wolfSSL differs" "$tmp/out" "^agree:     no"

# bad base64 at a known offset: the BEGIN line is 28 bytes with its newline
printf -- '-----BEGIN CERTIFICATE-----\nMII*\n-----END CERTIFICATE-----\n' >"$tmp/bad.pem"
"$tlsdiff" x509 verify "$tmp/bad.pem" --ca "$pki/root-ca.crt.pem" >"$tmp/out" 2>"$tmp/err"
check "bad base64" $? 2
has "file and offset named" "$tmp/err" "bad.pem: offset 31: not base64"
"$tlsdiff" x509 verify "$tmp/absent.pem" --ca "$pki/root-ca.crt.pem" >"$tmp/out" 2>"$tmp/err"
check "missing file" $? 2
has "missing file named" "$tmp/err" "absent.pem: cannot read"
"$tlsdiff" x509 verify "$pki/server-p256.chain.pem" >/dev/null 2>&1
check "no --ca" $? 2
"$tlsdiff" x509 frobnicate >/dev/null 2>&1
check "unknown subcommand" $? 2
exit $fail
