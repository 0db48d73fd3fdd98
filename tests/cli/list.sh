#!/usr/bin/env bash
# tlsdiff list: every vectors/profiles/*.profile is listed with its summary
# line (read here from the file itself), the built-in serve/connect
# profiles are among them, and the fuzz targets listed are exactly the ones
# targets/CMakeLists.txt builds.
set -u
tlsdiff=$1
src=$2
export TLSDIFF_VECTORS=$src/vectors
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

"$tlsdiff" list >"$tmp/all" 2>&1
rc=$?
[ $rc -eq 0 ] || { echo "FAIL: tlsdiff list: exit $rc"; cat "$tmp/all"; fail=1; }
n=0
for f in "$src"/vectors/profiles/*.profile; do
    name=$(basename "$f" .profile)
    summary=$(sed -n 's/^summary *= *//p' "$f")
    n=$((n + 1))
    awk -v n="$name" -v s="$summary" '$1 == n { sub(/^ *[^ ]+ +/, ""); if ($0 == s) found = 1 } END { exit !found }' \
        "$tmp/all" || { echo "FAIL: profile $name not listed with '$summary'"; fail=1; }
done
for name in server-rsa server-ecdsa server-rsa-clientauth client; do
    grep -qE "^  $name +" "$tmp/all" || { echo "FAIL: built-in profile $name not listed"; fail=1; }
done
[ "$n" -ge 4 ] || { echo "FAIL: only $n profiles found"; fail=1; }

# the fuzz targets: the set(TD_FUZZ_TARGETS ...) list of targets/CMakeLists.txt,
# set(TD_DIFF_TARGETS ...) of targets/diff/ and set(TD_WOLFSSL_TARGETS ...)
# of targets/wolfssl/
for f in "$src/targets/CMakeLists.txt" "$src/targets/diff/CMakeLists.txt" \
    "$src/targets/wolfssl/CMakeLists.txt"; do
    awk '/^set\(TD_(FUZZ|DIFF|WOLFSSL)_TARGETS/ { on = 1; next }
         on { line = $0; done = sub(/\).*/, "", line); n = split(line, w, " ");
              for (i = 1; i <= n; i++) print w[i]; if (done) exit }' "$f"
done | sort >"$tmp/want"
"$tlsdiff" list fuzz | awk 'NR > 1 { print $1 }' | sort >"$tmp/got"
[ -s "$tmp/want" ] || { echo "FAIL: no fuzz targets in targets/CMakeLists.txt"; fail=1; }
cmp -s "$tmp/want" "$tmp/got" || { echo "FAIL: fuzz targets differ (built < > listed):"; diff "$tmp/want" "$tmp/got"; fail=1; }

# a section at a time; anything else is a usage error
"$tlsdiff" list profiles | grep -q '^fuzz targets' && { echo "FAIL: list profiles shows fuzz targets"; fail=1; }
"$tlsdiff" list bogus >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] || { echo "FAIL: list bogus: exit $rc, expected 2"; fail=1; }
exit $fail
