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
# The fuzz targets under libFuzzer with ASan and UBSan: a short smoke run
# from the seed corpora (ci/fuzz.sh takes a run count for longer ones).
# The differential targets (targets/diff/) are replayed by ctest above
# (seeds and corpus/regressions) but not fuzzed here yet: their first runs
# find differences that wait for review in corpus/triage/, and an
# unreviewed difference fails a run by design.
echo "== fuzz smoke"
smoke=()
for d in corpus/*/; do
    t=$(basename "$d")
    if [ -f "targets/codec/$t.c" ] || [ -f "targets/x509/$t.c" ]; then smoke+=("$t"); fi
done
FUZZ_SECONDS=15 ci/fuzz.sh 20000 "${smoke[@]}" || status=1
exit $status
