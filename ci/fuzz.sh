#!/usr/bin/env bash
# Run the fuzz targets under the fuzz preset (libFuzzer, ASan, UBSan).
#
#   ci/fuzz.sh [RUNS] [TARGET...]
#
# Each target starts from a scratch copy of its seed corpus
# (corpus/<target>/, which stays untouched), runs RUNS inputs (default
# 20000: a smoke test; use 1000000 or more for a real run) and prints
# runs and exec/s. A crash or invariant failure leaves the input in
# build/fuzz/artifacts/ and fails the script. Targets are the
# targets/*/<name>.c that have a corpus; a targets/*/<name>.options file
# (libFuzzer's format, "max_len = N") sets the target's maximum input
# length (default 4096). FUZZ_SECONDS=S in the environment also stops each
# target after S seconds (the differential targets run two handshakes per
# input, so a run count alone would take long).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-20000}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=()
    for d in corpus/*/; do
        t=$(basename "$d")
        compgen -G "targets/*/$t.c" >/dev/null && targets+=("$t")
    done
fi

cmake --preset fuzz >/dev/null
cmake --build build/fuzz --target "${targets[@]}" | tail -n 1
mkdir -p build/fuzz/artifacts
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$root/ci/sanitizers/wolfssl-ubsan.supp"
export ASAN_OPTIONS="abort_on_error=1"
status=0
printf '%-28s %10s %10s  %s\n' target runs exec/s result
for t in "${targets[@]}"; do
    work=$(mktemp -d)
    cp corpus/"$t"/* "$work"/ 2>/dev/null || true
    log=build/fuzz/artifacts/$t.log
    max_len=4096
    opts=$(compgen -G "targets/*/$t.options" | head -n 1 || true)
    if [ -n "$opts" ]; then
        max_len=$(sed -n 's/^max_len *= *//p' "$opts")
    fi
    start=$(date +%s%N)
    if build/fuzz/targets/"$t" -runs="$runs" -max_len="$max_len" -print_final_stats=1 \
        ${FUZZ_SECONDS:+-max_total_time="$FUZZ_SECONDS"} \
        -artifact_prefix=build/fuzz/artifacts/"$t"- "$work" >"$log" 2>&1; then
        result=ok
    else
        result="FAILED (see $log)"
        status=1
    fi
    elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    # wall-clock rate, start-up included: libFuzzer's own average counts
    # whole seconds, so a short run would read 0
    rate=$(( ${execs:-0} * 1000 / (elapsed_ms > 0 ? elapsed_ms : 1) ))
    printf '%-28s %10s %10s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$result"
    rm -rf "$work"
done
exit $status
