#!/usr/bin/env bash
# Run the fuzz targets under the fuzz preset (libFuzzer, ASan, UBSan), each
# through `tlsdiff fuzz` (harness/cli/td_cmd_fuzz.c), which gives it its
# seeds (corpus/<target>/ and corpus/regressions/<target>/, read only),
# the TLS dictionary and its targets/*/<target>.options (max_len).
#
#   ci/fuzz.sh [RUNS] [TARGET...]
#
# Without RUNS each target runs FUZZ_SECONDS seconds (default 20: the CI
# smoke run); with RUNS, RUNS inputs (libFuzzer's -runs; -1: until
# stopped), and FUZZ_SECONDS=S still stops it after S seconds. Targets
# are the targets/*/<name>.c that have a corpus: the codec round trips,
# fuzz_x509_chain and the 14 differential targets. FUZZ_PARALLEL targets
# run at a time (default 2, one per core of the CI machine). FUZZ_BUILD
# names another fuzz build folder than the preset's build/fuzz (configured
# already; it is built, not configured).
#
# Each target starts from its seeds only: its working corpus
# (<build>/artifacts/<target>/corpus/) is emptied first. Its artifacts,
# its log (fuzz.log) and the summary of tlsdiff fuzz (summary.txt) are in
# <build>/artifacts/<target>/.
#
# What fails the script, and what does not:
#   - a crash, leak, timeout or invariant failure (a codec round trip,
#     fuzz_x509_chain's verdicts, the harness or the reference engine
#     under a differential target): tlsdiff fuzz exits 1, the script fails,
#     as it always has;
#   - a new divergence of a differential target (a difference from
#     wolfSSL that vectors/divergences does not record) and a crash
#     inside the wolfSSL subject (tlsdiff fuzz replays a differential
#     crash to name the subject): tlsdiff fuzz exits 3. These are
#     results about wolfSSL waiting for review (corpus/triage/README.md),
#     not failures of this project: each is printed with its one-line
#     explanation and its input, and the script passes. The first runs
#     of the differential targets found a new difference in every one of
#     them within seconds, so failing on them would fail every run.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=
if [ $# -gt 0 ] && [[ $1 =~ ^-?[0-9]+$ ]]; then
    runs=$1
    shift
fi
seconds=${FUZZ_SECONDS:-}
if [ -z "$runs" ] && [ -z "$seconds" ]; then seconds=20; fi
parallel=${FUZZ_PARALLEL:-2}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for d in corpus/*/; do
        t=$(basename "$d")
        if compgen -G "targets/*/$t.c" >/dev/null; then targets+=("$t"); fi
    done
fi

build=${FUZZ_BUILD:-build/fuzz}
if [ -z "${FUZZ_BUILD:-}" ]; then cmake --preset fuzz >/dev/null; fi
cmake --build "$build" --target tlsdiff "${targets[@]}" | tail -n 1
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$root/ci/sanitizers/wolfssl-ubsan.supp"
export ASAN_OPTIONS="abort_on_error=1"

# One target: its summary and exit status in its artifacts folder.
run_target() {
    local t=$1 art=$build/artifacts/$1 rc=0
    mkdir -p "$art"
    rm -rf "$art/corpus"
    "$build"/harness/tlsdiff fuzz "$t" --build "$build" ${runs:+--runs "$runs"} \
        ${seconds:+--time "$seconds"} >"$art/summary.txt" 2>"$art/stderr.txt" || rc=$?
    echo "$rc" >"$art/status"
}

start=$(date +%s)
running=0
for t in "${targets[@]}"; do
    run_target "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$parallel" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait
elapsed=$(($(date +%s) - start))

# The table, then what each target found.
figure() { sed -n "s|^$1: *||p" "$2" | head -n 1; }
status=0
printf '%-28s %10s %8s %7s %5s  %s\n' target execs exec/s cov div result
for t in "${targets[@]}"; do
    art=$build/artifacts/$t
    rc=$(cat "$art/status" 2>/dev/null || echo 2)
    s=$art/summary.txt
    div=$(figure divergences "$s" | cut -d' ' -f1)
    case $rc in
        0) result=ok ;;
        3) result="ok (findings about wolfSSL, below)" ;;
        *) result="FAILED (exit $rc; see $art/fuzz.log)"; status=1 ;;
    esac
    printf '%-28s %10s %8s %7s %5s  %s\n' "$t" "$(figure execs "$s")" "$(figure exec/s "$s")" \
        "$(figure coverage "$s" | cut -d' ' -f1)" "${div:--}" "$result"
done
echo "${#targets[@]} targets, $parallel at a time, in ${elapsed} s"
for t in "${targets[@]}"; do
    art=$build/artifacts/$t
    rc=$(cat "$art/status" 2>/dev/null || echo 2)
    [ "$rc" = 0 ] && continue
    echo "== $t"
    if [ "$rc" = 3 ] || [ "$rc" = 1 ]; then
        sed -n '/^crashes:/,/^artifacts:/p' "$art/summary.txt" | sed '$d'
    else
        cat "$art/stderr.txt" "$art/summary.txt"
    fi
done
exit $status
