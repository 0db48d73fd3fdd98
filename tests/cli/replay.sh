#!/usr/bin/env bash
# tlsdiff replay from the command line:
#   - the canonical input of client_hello (variant 0, empty edit script):
#     both observations printed, judged known (the server_name
#     acknowledgement entry of vectors/divergences), exit 0;
#   - with a divergences file that lacks the entry (a copy of the vectors
#     with an empty list), the same canonical input is a new divergence:
#     exit 1;
#   - a missing file is named and the other inputs still run (exit 2 when
#     nothing worse happened); an unknown target is a usage error.
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

printf '\000\000' >"$tmp/canonical"
"$tlsdiff" replay client_hello "$tmp/canonical" >"$tmp/out" 2>&1
check "canonical client_hello" $? 0
has "profile and edit" "$tmp/out" "profile tls13-x25519-ecdsa-p256, edit: canonical"
has "reference observation" "$tmp/out" "1 server_hello (118 bytes)"
has "known divergence named" "$tmp/out" "=> known divergence sni-ack-tls13"

mkdir -p "$tmp/inputs"
cp "$tmp/canonical" "$tmp/inputs/a"
"$tlsdiff" replay client_hello "$tmp/inputs" "$tmp/absent" >"$tmp/out" 2>"$tmp/err"
check "folder and a missing file" $? 2
has "missing file named" "$tmp/err" "absent: cannot read"
has "the folder still ran" "$tmp/out" "2 inputs replayed"

# vectors with an empty divergences list: the known difference is new
cp -r "$vectors" "$tmp/vectors"
grep '^#' "$vectors/divergences" >"$tmp/vectors/divergences"
TLSDIFF_VECTORS=$tmp/vectors "$tlsdiff" replay client_hello "$tmp/canonical" >"$tmp/out" 2>&1
check "new divergence" $? 1
has "new divergence line" "$tmp/out" "=> DIVERGENCE (not in vectors/divergences): encrypted_extensions.server_name"

"$tlsdiff" replay no_such_target "$tmp/canonical" >/dev/null 2>"$tmp/err"
check "unknown target" $? 2
has "unknown target named" "$tmp/err" "no target 'no_such_target'"
exit $fail
