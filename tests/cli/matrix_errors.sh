#!/usr/bin/env bash
# tlsdiff matrix from the command line: a missing or corrupt profile gets a
# one-line error naming the file (and line), the other profiles still run,
# and the exit code says something failed.
set -u
tlsdiff=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # description, command status, expected status
    if [ "$2" -ne "$3" ]; then echo "FAIL: $1 (exit $2, expected $3)"; fail=1; fi
}
has() { # description, file, pattern
    if ! grep -q -- "$3" "$2"; then echo "FAIL: $1: no '$3' in:"; cat "$2"; fail=1; fi
}

printf 'versions = 1.3\nsuites = TLS_AES_128_GCM_SHA999\n' >"$tmp/corrupt.profile"
"$tlsdiff" matrix tls13-hrr no-such-profile "$tmp/corrupt.profile" tls12-rsa-aes128-gcm >"$tmp/out" 2>&1
check "matrix with bad profiles" $? 1
has "missing profile named" "$tmp/out" "no-such-profile.profile: cannot open"
has "corrupt profile named with its line" "$tmp/out" "corrupt.profile:2: unknown name 'TLS_AES_128_GCM_SHA999'"
has "good profiles still run" "$tmp/out" "^tls13-hrr .*PASS$"
has "good profiles after the bad ones still run" "$tmp/out" "^tls12-rsa-aes128-gcm .*PASS$"
has "summary" "$tmp/out" "^2 passed, 2 failed$"
[ "$(grep -c 'error:' "$tmp/out")" -eq 2 ] || { echo "FAIL: expected exactly two error lines"; fail=1; }

"$tlsdiff" matrix --no-such-option >"$tmp/out" 2>&1
check "unknown option" $? 2
"$tlsdiff" matrix --list "$tmp/absent.list" >"$tmp/out" 2>&1
check "missing list file" $? 2
has "missing list named" "$tmp/out" "absent.list"
"$tlsdiff" frobnicate >"$tmp/out" 2>&1
check "unknown command" $? 2

[ $fail -eq 0 ] && echo "matrix_errors: all checks passed"
exit $fail
