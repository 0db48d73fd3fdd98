#!/usr/bin/env bash
# The fuzzing benchmark (not a test; ci/test.sh does not run it): every
# fuzz target of the fuzz preset (libFuzzer, ASan, UBSan) for S seconds,
# one at a time, each from a scratch copy of its seeds (corpus/<target>/
# and corpus/regressions/<target>/), then a table with one row per target:
# execs, exec/s, the exec/s of its wolfSSL-only baseline where one exists
# and the ratio between them, libFuzzer's covered edges (cov:), the
# branches of wolfSSL's own sources the final corpus covers (wolfSSL br)
# and its peak RSS, after a description of the machine.
#
#   ci/bench-fuzz.sh [--seconds S] [--targets a,b,...] [--build DIR] [--write]
#                    [--coverage-build DIR | --no-wolfssl-br]
#
#   --seconds S   per target (default 60)
#   --targets     a subset, comma-separated (default: every target with a
#                 seed corpus, as ci/fuzz.sh finds them)
#   --build DIR   a fuzz build (TD_FUZZ=ON) already configured; default
#                 the fuzz preset's build/fuzz, configured here
#   --write       also write the table to ci/bench-fuzz.results.md
#   --coverage-build DIR
#                 the coverage build that counts wolfSSL br (default
#                 build/coverage, configured and built here when needed)
#   --no-wolfssl-br
#                 leave the wolfSSL br column empty (no coverage build)
#
# cov: counts every edge of the binary, the harness and the reference
# engine too, so it cannot compare a differential target with a
# wolfSSL-only one; wolfSSL br can: each target's corpus as the run ended
# is replayed through the coverage build and llvm-cov's branches are
# counted in the wolfSSL source tree only (ci/lib/wolfssl-coverage.sh, as
# ci/coverage.sh does; - for targets that do not link wolfSSL).
#
# The baselines are the wolfSSL-only targets of targets/wolfssl/
# (wolfssl_client_hello for client_hello, wolfssl_client_finished for
# client_finished): wolfSSL alone on the same message under the same
# profile, raw bytes, in the style of the OSS-Fuzz wolfSSL fuzzers. The
# ratio is the target's exec/s over its baseline's, when both ran.
#
# Each target runs as ci/fuzz.sh runs it (the TLS dictionary, max_len from
# its .options, the reviewed wolfSSL UBSan suppressions), with
# TD_FUZZ_DIVERGENCE_DIR in a scratch folder, so a new divergence of a
# differential target is recorded there and fuzzing goes on. A target that
# stops early (a crash, a leak, a timeout) keeps its row, marked, with its
# log; the script then exits 1 after the table. exec/s is libFuzzer's
# stat::average_exec_per_sec (start-up and the seeds included).
#
# The figures depend on the machine and its load: read them, compare them
# on one machine, assert nothing on them. A run of --seconds 60 over every
# target takes a little more than a minute a target.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

seconds=60
only=
build=
write=0
covbuild=build/coverage
usage() {
    echo "usage: ci/bench-fuzz.sh [--seconds S] [--targets a,b,...] [--build DIR] [--write]" \
        "[--coverage-build DIR | --no-wolfssl-br]" >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case $1 in
        --seconds) [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]*$ ]] || usage; seconds=$2; shift 2 ;;
        --targets) [ $# -ge 2 ] || usage; only=$2; shift 2 ;;
        --build) [ $# -ge 2 ] || usage; build=$2; shift 2 ;;
        --write) write=1; shift ;;
        --coverage-build) [ $# -ge 2 ] || usage; covbuild=$2; shift 2 ;;
        --no-wolfssl-br) covbuild=; shift ;;
        *) usage ;;
    esac
done

# every target with a seed corpus, family by family
all=()
for family in codec x509 diff wolfssl; do
    for f in targets/$family/*.c; do
        t=$(basename "$f" .c)
        [ -d "corpus/$t" ] && all+=("$t")
    done
done
targets=()
if [ -n "$only" ]; then
    IFS=',' read -r -a targets <<<"$only"
    for t in "${targets[@]}"; do
        [[ " ${all[*]} " == *" $t "* ]] || { echo "bench-fuzz: no target $t (${all[*]})" >&2; exit 2; }
    done
else
    targets=("${all[@]}")
fi

declare -A baseline=([client_hello]=wolfssl_client_hello [client_finished]=wolfssl_client_finished)

if [ -z "$build" ]; then
    cmake --preset fuzz >/dev/null
    build=build/fuzz
fi
grep -q '^TD_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null ||
    { echo "bench-fuzz: $build is not a fuzz build (TD_FUZZ=ON)" >&2; exit 2; }
cmake --build "$build" --target tlsdiff td_tls_dict "${targets[@]}" | tail -n 1

# ---- the machine ------------------------------------------------------------
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
btype=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
cflags="$(sed -n 's/^CMAKE_C_FLAGS:[A-Z]*=//p' "$build/CMakeCache.txt") $(sed -n \
    "s/^CMAKE_C_FLAGS_${btype^^}:[A-Z]*=//p" "$build/CMakeCache.txt")"
machine=(
    "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(
        [ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || echo ' with local changes')"
    "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) online"
    "ram: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    "kernel: $(uname -sr)"
    "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    "compiler: $("${cc:-cc}" --version | head -n 1), $cflags"
    "wolfSSL: $("$build"/harness/tlsdiff version 2>/dev/null | sed -n 's/.*wolfSSL \([0-9][^ ,]*\).*/\1/p' | head -n 1)"
    "run: ${seconds} s a target, one at a time, from a scratch copy of its seeds"
)

scratch=$(mktemp -d "${TMPDIR:-/tmp}/bench-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$root/ci/sanitizers/wolfssl-ubsan.supp"
export ASAN_OPTIONS="abort_on_error=1"
unset TD_FUZZ_RAW

# shellcheck source=ci/lib/fuzz-options.sh
. ci/lib/fuzz-options.sh

# One target: libFuzzer's log in its scratch folder, kept when it failed.
run_target() {
    local t=$1 dir=$scratch/$1 rc=0 flags
    mkdir -p "$dir/corpus" "$dir/divergences"
    cp -r "corpus/$t/." "$dir/corpus/"
    if [ -d "corpus/regressions/$t" ]; then cp -r "corpus/regressions/$t/." "$dir/corpus/"; fi
    mapfile -t flags < <(fuzz_flags "$build" "$t")
    TD_FUZZ_DIVERGENCE_DIR=$dir/divergences "$build/targets/$t" "$dir/corpus" \
        -artifact_prefix="$dir/" -print_final_stats=1 -max_total_time="$seconds" \
        "${flags[@]}" \
        >"$dir/fuzz.log" 2>&1 || rc=$?
    echo "$rc" >"$dir/status"
}

# Figures from a log: the final stats, and the last status line's cov/rss.
final() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }
last() { grep -E '^#[0-9]+' "$2" | tail -n 1 | sed -n "s/.* $1: \([0-9]*\).*/\1/p"; }

for t in "${targets[@]}"; do
    printf 'bench-fuzz: %s (%s s) ...\n' "$t" "$seconds" >&2
    run_target "$t"
done

declare -A rate
for t in "${targets[@]}"; do rate[$t]=$(final average_exec_per_sec "$scratch/$t/fuzz.log"); done

# wolfSSL br: each corpus as the run ended, through the coverage build
# (built once, for every target at once)
declare -A wolfbr
if [ -n "$covbuild" ]; then
    # shellcheck source=ci/lib/wolfssl-coverage.sh
    . ci/lib/wolfssl-coverage.sh
    wolfcov_build "$covbuild" "${targets[@]}"
    wolfsrc=$(wolfcov_source_dir "$covbuild")
    for t in "${targets[@]}"; do
        printf 'bench-fuzz: %s: wolfSSL coverage of its corpus ...\n' "$t" >&2
        wolfcov_replay "$covbuild/targets/$t" "$scratch/$t/cov.profdata" "$scratch/$t/corpus"
        read -r br total _ <<<"$(wolfcov_count "$wolfsrc" "$scratch/$t/cov.profdata" \
            "$covbuild/targets/$t")"
        if [ "$total" -gt 0 ]; then wolfbr[$t]=$br; fi
    done
fi

status=0
table() {
    printf '| %-26s | %10s | %7s | %13s | %5s | %6s | %10s | %7s | %-6s |\n' \
        target execs exec/s "baseline e/s" ratio cov "wolfSSL br" "rss MB" result
    printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..28})" \
        "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..9})" \
        "$(printf -- '-%.0s' {1..15})" "$(printf -- '-%.0s' {1..7})" \
        "$(printf -- '-%.0s' {1..8})" "$(printf -- '-%.0s' {1..12})" \
        "$(printf -- '-%.0s' {1..9})" "$(printf -- '-%.0s' {1..8})"
    for t in "${targets[@]}"; do
        local log=$scratch/$t/fuzz.log rc b base=- ratio=- result=ok divs
        rc=$(cat "$scratch/$t/status")
        divs=$(find "$scratch/$t/divergences" -name 'divergence-*.txt' | wc -l)
        [ "$divs" -gt 0 ] && result="ok; new divergences: $divs"
        [ "$rc" = 0 ] || result="stopped (exit $rc)"
        b=${baseline[$t]:-}
        if [ -n "$b" ] && [ -n "${rate[$b]:-}" ]; then
            base=${rate[$b]}
            [ -n "${rate[$t]}" ] && [ "$base" -gt 0 ] &&
                ratio=$(awk -v a="${rate[$t]}" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
        fi
        printf '| %-26s | %10s | %7s | %13s | %5s | %6s | %10s | %7s | %s |\n' "$t" \
            "$(final number_of_executed_units "$log")" "${rate[$t]:--}" "$base" "$ratio" \
            "$(last cov "$log")" "${wolfbr[$t]:--}" "$(final peak_rss_mb "$log")" "$result"
    done
}
describe() {
    for line in "${machine[@]}"; do echo "- $line"; done
    echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
}

out=$(
    describe
    echo
    table
)
echo "$out"
for t in "${targets[@]}"; do
    rc=$(cat "$scratch/$t/status")
    [ "$rc" = 0 ] && continue
    status=1
    mkdir -p "$build/artifacts/bench-fuzz"
    rm -rf "$build/artifacts/bench-fuzz/$t"
    cp -r "$scratch/$t" "$build/artifacts/bench-fuzz/$t"
    echo "== $t stopped (exit $rc): $build/artifacts/bench-fuzz/$t/fuzz.log"
    grep -E '^SUMMARY|invariant failed|ERROR: ' "$scratch/$t/fuzz.log" | head -n 3 || true
done
if [ "$write" = 1 ]; then
    {
        echo "# Fuzzing benchmark"
        echo
        echo "Written by \`ci/bench-fuzz.sh --seconds $seconds --write\`. exec/s is"
        echo "libFuzzer's average over the run; the baseline is the wolfSSL-only target"
        echo "on the same message (targets/wolfssl/), the ratio the target's exec/s over"
        echo "the baseline's. wolfSSL br: the branches of wolfSSL's own sources that"
        echo "the corpus the run ended with covers (llvm-cov, ci/lib/wolfssl-coverage.sh)."
        echo "Figures of one machine under the load shown; compare"
        echo "them with runs on the same machine only."
        echo
        echo "$out"
    } >ci/bench-fuzz.results.md
    echo "written: ci/bench-fuzz.results.md"
fi
exit $status
