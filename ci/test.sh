#!/usr/bin/env bash
# The test command: install, build the default and asan presets, run every
# ctest of both, and check that both builds produce byte-identical
# handshake transcripts.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

ci/setup.sh
status=0
for preset in default asan; do
    echo "== build ($preset)"
    ci/build.sh "$preset" | tail -n 1
    echo "== ctest ($preset)"
    ctest --preset "$preset" --output-on-failure || status=1
done

# Determinism across builds: the same seed gives the same bytes whatever
# the compiler and instrumentation (DESIGN.md "Determinism").
echo "== transcripts: default vs asan"
export UBSAN_OPTIONS="halt_on_error=1:suppressions=$root/ci/sanitizers/wolfssl-ubsan.supp"
build/default/harness/tlsdiff matrix --digests >build/default/matrix-digests.txt || status=1
build/asan/harness/tlsdiff matrix --digests >build/asan/matrix-digests.txt || status=1
if diff -u build/default/matrix-digests.txt build/asan/matrix-digests.txt; then
    echo "identical ($(wc -l <build/default/matrix-digests.txt) profiles)"
else
    echo "the default and asan builds produced different transcripts" >&2
    status=1
fi
exit $status
