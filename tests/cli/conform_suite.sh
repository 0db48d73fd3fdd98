#!/usr/bin/env bash
# The conformance suite as CI runs it: every case of vectors/conformance
# against the reference and wolfSSL (exit 0: the reference does what each
# clause says, and every wolfSSL divergence is recorded), its JUnit XML
# parsed, and the committed matrix docs/conformance.md identical to the
# one this run writes (regenerate it with
# `tlsdiff conform --report docs/conformance.md`).
set -u
tlsdiff=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TLSDIFF_VECTORS=$root/vectors
fail=0

"$tlsdiff" conform --junit "$tmp/junit.xml" --report "$tmp/conformance.md" || fail=1
python3 - "$tmp/junit.xml" <<'PY' || fail=1
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
n = [len(s.findall("testcase")) for s in root.findall("testsuite")]
assert len(n) == 2 and n[0] == n[1] and n[0] >= 1, n
PY
if ! diff -u "$root/docs/conformance.md" "$tmp/conformance.md" >"$tmp/diff"; then
    echo "FAIL: docs/conformance.md is not what this run produces; regenerate it with"
    echo "      tlsdiff conform --report docs/conformance.md"
    head -40 "$tmp/diff"
    fail=1
fi
exit $fail
