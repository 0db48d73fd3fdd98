#!/usr/bin/env bash
# tlsdiff explain from the command line:
#   - a client_hello script of six edits where only `ext drop
#     signature_algorithms` matters (RFC 8446 9.2: missing_extension; the
#     five GREASE extensions of RFC 8701 are ignored by both servers):
#     the reduced script, the outcomes and the difference printed, the
#     reduced input written to FILE.min (and to -o OUT), and FILE.min
#     replays as the same difference; exit 0;
#   - an input that shows no difference: said, exit 1;
#   - a missing file and a corrupt one (mode 0 and bytes that are no edit
#     script): one line naming the file, exit 2; an unknown target and a
#     missing operand are usage errors (exit 2).
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

# variant 0, mode 0 (an edit script), the script's binary form
input() { # file, script
    local hex
    hex=$("$tlsdiff" edit encode "$2") || { echo "FAIL: edit encode '$2'"; fail=1; return; }
    printf '\000\000' >"$1"
    printf '%s' "$hex" | xxd -r -p >>"$1"
}

input "$tmp/six" "ext insert 0x0a0a -; ext insert 0x1a1a -; ext drop signature_algorithms; ext insert 0x2a2a -; ext insert 0x3a3a -; ext insert 0x4a4a -"
"$tlsdiff" explain client_hello "$tmp/six" >"$tmp/out" 2>&1
check "six edits" $? 0
# new today; known once vectors/divergences records it
has "original judgement" "$tmp/out" "original: [a-z]*: verdict: reference alert:missing_extension, wolfSSL continue"
has "reduced script" "$tmp/out" "reduced: ext drop signature_algorithms$"
has "variant and profile" "$tmp/out" "variant 0 (profile tls13-x25519-ecdsa-p256)"
has "trials" "$tmp/out" "trials: [0-9]"
has "outcomes" "$tmp/out" "outcomes: reference alert:missing_extension, wolfSSL continue"
has "difference" "$tmp/out" "difference: verdict: reference alert:missing_extension, wolfSSL continue"
has "the entry or none" "$tmp/out" "divergence: \(known\|not in\)"
# 00 00 then `ext drop signature_algorithms` (op 2, ExtensionType 13)
has "hex input" "$tmp/out" "input: 000002000d (5 bytes"
if ! cmp -s "$tmp/six.min" <(printf '\000\000\002\000\015'); then
    echo "FAIL: six.min is not the reduced input"; fail=1
fi
"$tlsdiff" replay client_hello "$tmp/six.min" >"$tmp/out" 2>&1
has "the reduced input replays" "$tmp/out" "edit: ext drop signature_algorithms"
has "the same difference" "$tmp/out" "verdict: reference alert:missing_extension, wolfSSL continue"
"$tlsdiff" explain client_hello "$tmp/six" -o "$tmp/elsewhere" >/dev/null 2>&1
check "-o OUT" $? 0
cmp -s "$tmp/six.min" "$tmp/elsewhere" || { echo "FAIL: -o OUT differs"; fail=1; }

# legacy_version is not what a TLS 1.3 server negotiates from when
# supported_versions is there (RFC 8446 4.2.1): both refuse alike
input "$tmp/same" "set legacy_version 0x0300"
"$tlsdiff" explain client_hello "$tmp/same" >"$tmp/out" 2>&1
check "no difference" $? 1
has "nothing to explain" "$tmp/out" "nothing to explain"
[ -e "$tmp/same.min" ] && { echo "FAIL: same.min written"; fail=1; }

"$tlsdiff" explain client_hello "$tmp/absent" >"$tmp/out" 2>"$tmp/err"
check "missing file" $? 2
has "missing file named" "$tmp/err" "tlsdiff: explain: $tmp/absent: cannot read"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || { echo "FAIL: more than one line:"; cat "$tmp/err"; fail=1; }

printf '\000\000\377\377\377' >"$tmp/corrupt"
"$tlsdiff" explain client_hello "$tmp/corrupt" >"$tmp/out" 2>"$tmp/err"
check "corrupt file" $? 2
has "corrupt file named" "$tmp/err" "$tmp/corrupt: corrupt"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || { echo "FAIL: more than one line:"; cat "$tmp/err"; fail=1; }

"$tlsdiff" explain no_such_target "$tmp/six" >/dev/null 2>"$tmp/err"
check "unknown target" $? 2
has "unknown target named" "$tmp/err" "no target 'no_such_target'"
"$tlsdiff" explain client_hello >/dev/null 2>&1
check "missing operand" $? 2
exit $fail
