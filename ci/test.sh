#!/usr/bin/env bash
# The test command: install, build the default and asan presets, run every
# ctest of both, check that both builds produce byte-identical handshake
# transcripts, and run every fuzz target briefly under the fuzz preset.
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
# the compiler and instrumentation (DESIGN.md "Determinism"), for wolfSSL
# and for the reference engine in every pairing.
echo "== transcripts: default vs asan"
export UBSAN_OPTIONS="halt_on_error=1:suppressions=$root/ci/sanitizers/wolfssl-ubsan.supp"
for pair in wolfssl:wolfssl ref:wolfssl wolfssl:ref ref:ref; do
    c=${pair%%:*} s=${pair##*:}
    f=matrix-digests-$c-$s.txt
    build/default/harness/tlsdiff matrix --digests --client "$c" --server "$s" >build/default/$f || status=1
    build/asan/harness/tlsdiff matrix --digests --client "$c" --server "$s" >build/asan/$f || status=1
    if [ -s build/default/$f ] && diff -u build/default/$f build/asan/$f; then
        echo "client $c, server $s: identical ($(wc -l <build/default/$f) profiles)"
    else
        echo "client $c, server $s: the default and asan builds produced different transcripts" >&2
        status=1
    fi
done

echo "== states diagram"; ci/states.sh || status=1
# Every fuzz target under libFuzzer with ASan and UBSan (codec round
# trips, fuzz_x509_chain and the 14 differential targets), 20 s each from
# its seeds, two at a time (ci/fuzz.sh; ctest above replayed corpus/ and
# corpus/regressions/). A crash of ours fails; a new divergence from
# wolfSSL is printed for review and does not (ci/fuzz.sh says why).
echo "== fuzz smoke"
FUZZ_SECONDS=20 FUZZ_PARALLEL=2 ci/fuzz.sh || status=1
exit $status
