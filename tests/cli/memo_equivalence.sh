#!/usr/bin/env bash
# Memoised crypto changes nothing (issue: fuzzing throughput, "the full
# conformance suite gives identical observations with memoisation on and
# off"): the whole suite of vectors/conformance runs twice, with the memo
# cache (td_memo.h) and with TD_MEMO=0, and every case's observation of
# each subject (tlsdiff conform --digests: a digest of the subject's state,
# every message it sent byte for byte, its alerts and record counts) must
# be the same. The run with the cache must have been served from it (hits
# > 0: the scripted peer and both subjects repeat key shares, signatures
# and verifications between the reference's run and wolfSSL's), and the
# run without it must not (0 hits), or the comparison proves nothing.
set -u
tlsdiff=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TLSDIFF_VECTORS=$root/vectors
fail=0

TD_MEMO=1 "$tlsdiff" conform --digests >"$tmp/on" 2>&1 || { echo "FAIL: the suite with memoisation"; fail=1; }
TD_MEMO=0 "$tlsdiff" conform --digests >"$tmp/off" 2>&1 || { echo "FAIL: the suite without memoisation"; fail=1; }
grep '^digest ' "$tmp/on" >"$tmp/on.d"
grep '^digest ' "$tmp/off" >"$tmp/off.d"
n=$(wc -l <"$tmp/on.d")
if [ "$n" -lt 600 ]; then
    echo "FAIL: $n digests with memoisation, expected the whole suite"
    fail=1
fi
if ! diff -u "$tmp/off.d" "$tmp/on.d" >"$tmp/diff"; then
    echo "FAIL: observations differ with and without memoisation:"
    head -40 "$tmp/diff"
    fail=1
fi
on_hits=$(sed -n 's/^memo hits: //p' "$tmp/on")
off_hits=$(sed -n 's/^memo hits: //p' "$tmp/off")
if [ -z "$on_hits" ] || [ "$on_hits" -eq 0 ]; then
    echo "FAIL: the run with memoisation had no memo hits ($on_hits)"
    fail=1
fi
if [ "$off_hits" != 0 ]; then
    echo "FAIL: the run with TD_MEMO=0 had memo hits ($off_hits)"
    fail=1
fi
[ $fail = 0 ] && echo "memo equivalence: $n cases, both subjects, identical; $on_hits hits with memoisation, $off_hits without"
exit $fail
