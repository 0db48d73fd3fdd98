#!/usr/bin/env bash
# tlsdiff decode from the command line, on the RFC 8448 messages of
# vectors/tls13 and the openssl captures of vectors/tls12:
#   - every handshake message decodes (hex input), and its name is printed;
#   - --json output parses and names the same message;
#   - binary input gives the same output as hex;
#   - a whole trace flight decodes in order (later forms follow the
#     ServerHello), as records too; records after a ChangeCipherSpec are
#     named encrypted;
#   - truncated input and a broken length: exit 1, one line with the file,
#     the offset and the reason; a missing file is named and the other
#     files still decode (exit 2).
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
unhex() { python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read().strip()))'; }

n=0
for vec in "$vectors"/tls13/s[3-7]-*.vec "$vectors"/tls12/*.vec; do
    base=$(basename "$vec" .vec)
    case "$vec" in */tls12/*) form=--tls12 ;; *) form=--tls13 ;; esac
    # one message at a time
    awk '$2 == "handshake" && $4 == "message" { print $3, $5 }' "$vec" >"$tmp/list"
    i=0
    while read -r name hex; do
        i=$((i + 1)); n=$((n + 1))
        f="$tmp/$base-$i.hex"
        echo "$hex" >"$f"
        kx=ecdhe; case "$base" in rsa-*) kx=rsa ;; esac
        "$tlsdiff" decode $form --kx $kx "$f" >"$tmp/out" 2>&1
        check "$base #$i $name" $? 0
        has "$base #$i names the message" "$tmp/out" "offset 0: $name ("
        "$tlsdiff" decode --json $form --kx $kx "$f" >"$tmp/json" 2>&1
        check "$base #$i $name --json" $? 0
        python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); m=d["messages"][0]; assert d["error"] is None and sys.argv[2] in m, d' \
            "$tmp/json" "$name" || { echo "FAIL: $base #$i: bad JSON"; fail=1; }
        unhex <"$f" >"$tmp/bin"
        "$tlsdiff" decode --bin $form --kx $kx "$tmp/bin" | sed 1s/^[^:]*:// >"$tmp/out.bin"
        "$tlsdiff" decode $form --kx $kx "$f" | sed 1s/^[^:]*:// >"$tmp/out.hex"
        cmp -s "$tmp/out.bin" "$tmp/out.hex" || { echo "FAIL: $base #$i: binary and hex differ"; fail=1; }
    done <"$tmp/list"
    # the whole flight of the trace, in order, as one input
    awk '$2 == "handshake" && $4 == "message" { printf "%s", $5 } END { print "" }' "$vec" >"$tmp/$base.flight"
    "$tlsdiff" decode "$tmp/$base.flight" >"$tmp/out" 2>&1
    check "$base whole flight" $? 0
    [ "$(grep -c ': offset [0-9]*: ' "$tmp/out")" -eq "$i" ] || { echo "FAIL: $base flight: expected $i messages"; fail=1; }
done
[ "$n" -ge 60 ] || { echo "FAIL: only $n messages found"; fail=1; }

# records: the plaintext ClientHello record of RFC 8448 section 3
awk '$2 == "record" && $3 == "handshake" && $4 == "plaintext" { print $5; exit }' \
    "$vectors/tls13/s3-1rtt.vec" >"$tmp/rec.hex"
"$tlsdiff" decode "$tmp/rec.hex" >"$tmp/out" 2>&1
check "record input" $? 0
has "record header shown" "$tmp/out" "offset 0: record type 22 version 0x0301 length 196"
has "message inside the record" "$tmp/out" "offset 5: client_hello (192 bytes)"

# truncated: the section 3 ClientHello cut to 150 of its 196 bytes
ch=$(awk '$3 == "client_hello" && $4 == "message" { print $5; exit }' "$vectors/tls13/s3-1rtt.vec")
echo "${ch:0:300}" >"$tmp/trunc.hex"
"$tlsdiff" decode "$tmp/trunc.hex" >"$tmp/out" 2>"$tmp/err"
check "truncated input" $? 1
has "truncated: file, offset and reason" "$tmp/err" \
    "trunc.hex: offset 4: handshake header: decode_error: truncated: 192 bytes needed, 146 left"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || { echo "FAIL: truncated: expected one line"; fail=1; }
"$tlsdiff" decode --json "$tmp/trunc.hex" >"$tmp/json" 2>/dev/null
python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; assert e["offset"]==4 and e["alert"]=="decode_error", e' \
    "$tmp/json" || { echo "FAIL: truncated --json error object"; fail=1; }

# a broken inner length: legacy_session_id length byte (offset 4+2+32) set
# to 0x21 = 33, over its <0..32> bound (RFC 8446 4.1.2)
echo "${ch:0:76}21${ch:78}" >"$tmp/sid.hex"
"$tlsdiff" decode "$tmp/sid.hex" >"$tmp/out" 2>"$tmp/err"
check "session id over 32" $? 1
has "bound named with its offset" "$tmp/err" "sid.hex: offset 38: client_hello: decode_error: vector length 33 over its maximum 32"

# RFC 5246 7.1: after a ChangeCipherSpec record the sender's records are
# encrypted; a handshake record there (40 bytes, as a GCM Finished is: 8
# explicit nonce + 16 + 16 tag) is named encrypted, not decoded
printf '140303000101''1603030028%s\n' "$(printf 'ab%.0s' $(seq 40))" >"$tmp/ccs.hex"
"$tlsdiff" decode --records "$tmp/ccs.hex" >"$tmp/out" 2>"$tmp/err"
check "records after ChangeCipherSpec" $? 0
has "encrypted record named" "$tmp/out" "encrypted (after ChangeCipherSpec)"

# not hex, not there: named, the rest still decode
printf 'zz\n' >"$tmp/bad.hex"
"$tlsdiff" decode --hex "$tmp/bad.hex" "$tmp/absent.hex" "$tmp/rec.hex" >"$tmp/out" 2>"$tmp/err"
check "bad and missing files" $? 2
has "bad hex named" "$tmp/err" "bad.hex: not hex at character 0"
has "missing file named" "$tmp/err" "absent.hex: cannot read"
has "good file after them decoded" "$tmp/out" "client_hello (192 bytes)"

"$tlsdiff" decode --no-such-flag x >/dev/null 2>&1
check "unknown option" $? 2
exit $fail
