#!/usr/bin/env bash
# How much of wolfSSL's own code fuzz targets reach: each target is fuzzed
# S seconds by its fuzz-preset binary (libFuzzer, ASan, UBSan) from a
# scratch copy of its seeds, then its seeds and the corpus it ended with
# are replayed through a separate coverage build (ci/lib/wolfssl-coverage.sh)
# and the branches covered in files of the wolfSSL source tree are counted;
# the reference engine, the harness and the targets themselves are not.
# Not a test (ci/test.sh and ctest do not run it).
#
#   ci/coverage.sh [--compare] [--seconds S] [--split]
#   ci/coverage.sh --targets a,b,... [--seconds S]
#       [--corpus-root DIR] [--fuzz-build DIR] [--build DIR] [--keep]
#
#   --compare      (the default) client_hello, flight and
#                  wolfssl_client_hello, and the comparison the fuzzing
#                  issue asks for: the union of the two structure-aware
#                  differential targets' corpora against the wolfSSL-only
#                  raw baseline's, from the seeds and after S seconds
#   --seconds S    fuzzing time per target (default 600); 0 replays the
#                  seeds only, the starting point of every run
#   --split        the differential pair shares S seconds (S/2 each, the
#                  same CPU time as the baseline) instead of S each
#   --targets      these targets, one row each (the comparison too when the
#                  three above are among them)
#   --corpus-root  the seeds are DIR/<target>/ (default corpus/; the
#                  regressions of corpus/regressions/ are not added)
#   --fuzz-build   the libFuzzer build whose binaries fuzz (default
#                  build/fuzz, the fuzz preset's); it is used, not built
#   --build        the coverage build (default build/coverage), configured
#                  and built here when needed
#   --keep         keep the scratch folder (corpora, logs, profiles)
#
# Targets fuzz FUZZ_PARALLEL at a time (default 2, as ci/fuzz.sh), each
# with the TLS dictionary and max_len of its .options, the reviewed
# wolfSSL UBSan suppressions, and TD_FUZZ_DIVERGENCE_DIR in the scratch
# folder, so a new divergence is recorded there and fuzzing goes on. A
# target that stops early (a crash, a leak, a timeout) keeps its row,
# marked, and its folder is copied to <build>/artifacts/coverage/; the
# script then exits 1 after the report.
#
# Branches are llvm-cov's (each outcome of each condition). The fuzz
# preset gives libFuzzer no feedback from wolfSSL's big-number and hash
# arithmetic (targets/common/wolfcrypt-math.ignorelist); those files are
# counted here all the same, and the TLS (src/) and wolfcrypt columns say
# where the branches are. Figures vary with the machine's load and
# between runs: compare runs of the same length on one machine.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=ci/lib/wolfssl-coverage.sh
. ci/lib/wolfssl-coverage.sh
# shellcheck source=ci/lib/fuzz-options.sh
. ci/lib/fuzz-options.sh

seconds=600
only=
split=0
keep=0
corpus_root=corpus
fuzz=build/fuzz
cov=build/coverage
usage() {
    echo "usage: ci/coverage.sh [--compare] [--targets a,b,...] [--seconds S] [--split]" \
        "[--corpus-root DIR] [--fuzz-build DIR] [--build DIR] [--keep]" >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case $1 in
        --compare) only=; shift ;;
        --seconds) [ $# -ge 2 ] && [[ $2 =~ ^[0-9]+$ ]] || usage; seconds=$2; shift 2 ;;
        --targets) [ $# -ge 2 ] || usage; only=$2; shift 2 ;;
        --split) split=1; shift ;;
        --corpus-root) [ $# -ge 2 ] || usage; corpus_root=${2%/}; shift 2 ;;
        --fuzz-build) [ $# -ge 2 ] || usage; fuzz=${2%/}; shift 2 ;;
        --build) [ $# -ge 2 ] || usage; cov=${2%/}; shift 2 ;;
        --keep) keep=1; shift ;;
        *) usage ;;
    esac
done

pair=(client_hello flight)
base=wolfssl_client_hello
if [ -n "$only" ]; then
    IFS=',' read -r -a targets <<<"$only"
else
    targets=("${pair[@]}" "$base")
fi
for t in "${targets[@]}"; do
    compgen -G "targets/*/$t.c" >/dev/null || { echo "coverage: no target $t" >&2; exit 2; }
    [ -d "$corpus_root/$t" ] || { echo "coverage: no seeds $corpus_root/$t/" >&2; exit 2; }
done
compare=1
for t in "${pair[@]}" "$base"; do
    [[ " ${targets[*]} " == *" $t "* ]] || compare=0
done

# the fuzzing time of each target: S, or S/2 for the pair under --split
# (at least 1: libFuzzer reads -max_total_time=0 as no limit)
declare -A secs
for t in "${targets[@]}"; do
    secs[$t]=$seconds
    if [ "$split" = 1 ] && [ "$compare" = 1 ] && [[ " ${pair[*]} " == *" $t "* ]] &&
        [ "$seconds" -gt 0 ]; then
        secs[$t]=$(((seconds + 1) / 2))
    fi
done

if [ "$seconds" -gt 0 ]; then
    grep -q '^TD_FUZZ:BOOL=ON' "$fuzz/CMakeCache.txt" 2>/dev/null ||
        { echo "coverage: $fuzz is not a fuzz build (cmake --preset fuzz)" >&2; exit 2; }
    for t in "${targets[@]}"; do
        [ -x "$fuzz/targets/$t" ] || {
            echo "coverage: $fuzz/targets/$t is missing (cmake --build $fuzz --target $t)" >&2
            exit 2
        }
    done
fi
wolfcov_build "$cov" "${targets[@]}"
srcdir=$(wolfcov_source_dir "$cov")
# every count over the same objects, so every total is the same
objs=()
for t in "${targets[@]}"; do objs+=("$cov/targets/$t"); done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/coverage.XXXXXX")
cleanup() {
    # interrupted while fuzzing: the fuzzers, then the subshells that wait
    local p
    for p in $(jobs -p); do
        pkill -P "$p" 2>/dev/null || true
        kill "$p" 2>/dev/null || true
    done
    if [ "$keep" = 1 ]; then echo "coverage: kept $scratch" >&2; else rm -rf "$scratch"; fi
}
trap cleanup EXIT
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$root/ci/sanitizers/wolfssl-ubsan.supp"
export ASAN_OPTIONS="abort_on_error=1"
unset TD_FUZZ_RAW

# ---- the seeds ---------------------------------------------------------------
declare -A seeds_n lost
for t in "${targets[@]}"; do
    mkdir -p "$scratch/$t/seeds" "$scratch/$t/new" "$scratch/$t/divergences"
    cp -r "$corpus_root/$t/." "$scratch/$t/seeds/"
    echo "coverage: $t: replaying its seeds" >&2
    wolfcov_replay "$cov/targets/$t" "$scratch/$t/seeds.profdata" "$scratch/$t/seeds"
    seeds_n[$t]=$WOLFCOV_INPUTS
    lost[$t]=$WOLFCOV_LOST
done

# ---- fuzzing -----------------------------------------------------------------

# One target: new inputs go to new/ (libFuzzer's first folder), the seeds
# are read from seeds/; its log and exit status in its scratch folder.
run_fuzz() {
    local t=$1 dir=$scratch/$1 rc=0 flags
    mapfile -t flags < <(fuzz_flags "$fuzz" "$t")
    TD_FUZZ_DIVERGENCE_DIR=$dir/divergences "$fuzz/targets/$t" "$dir/new" "$dir/seeds" \
        -artifact_prefix="$dir/" -print_final_stats=1 -max_total_time="${secs[$t]}" \
        "${flags[@]}" \
        >"$dir/fuzz.log" 2>&1 || rc=$?
    echo "$rc" >"$dir/status"
}

parallel=${FUZZ_PARALLEL:-2}
start=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "$seconds" -gt 0 ]; then
    running=0
    for t in "${targets[@]}"; do
        printf 'coverage: fuzzing %s (%s s)\n' "$t" "${secs[$t]}" >&2
        run_fuzz "$t" &
        running=$((running + 1))
        if [ "$running" -ge "$parallel" ]; then
            wait -n || true
            running=$((running - 1))
        fi
    done
    wait
fi
elapsed=$(($(date +%s) - start))

# ---- the corpora it ended with -------------------------------------------------
declare -A new_n
for t in "${targets[@]}"; do
    new_n[$t]=0
    if [ "$seconds" -gt 0 ]; then
        echo "coverage: $t: replaying its new inputs" >&2
        wolfcov_replay "$cov/targets/$t" "$scratch/$t/new.profdata" "$scratch/$t/new"
        new_n[$t]=$WOLFCOV_INPUTS
        lost[$t]=$((lost[$t] + WOLFCOV_LOST))
        wolfcov_merge "$scratch/$t/final.profdata" "$scratch/$t/seeds.profdata" \
            "$scratch/$t/new.profdata"
    else
        cp "$scratch/$t/seeds.profdata" "$scratch/$t/final.profdata"
    fi
done

# count NAME PROFILE: the figures of wolfcov_count in count_NAME
declare -A figures
count() { figures[$1]=$(wolfcov_count "$srcdir" "$2" "${objs[@]}"); }
field() { cut -d' ' -f"$2" <<<"${figures[$1]}"; }
for t in "${targets[@]}"; do
    count "seeds:$t" "$scratch/$t/seeds.profdata"
    count "final:$t" "$scratch/$t/final.profdata"
done
if [ "$compare" = 1 ]; then
    for k in seeds final; do
        wolfcov_merge "$scratch/pair.$k.profdata" "$scratch/${pair[0]}/$k.profdata" \
            "$scratch/${pair[1]}/$k.profdata"
        count "$k:pair" "$scratch/pair.$k.profdata"
    done
fi

# ---- the report ----------------------------------------------------------------
final_stat() { sed -n "s/^stat::$1: *//p" "$2" 2>/dev/null | tail -n 1; }
t0=${targets[0]}
version=$(sed -n 's/^#define LIBWOLFSSL_VERSION_STRING *"\(.*\)"/\1/p' "$srcdir/wolfssl/version.h")
if [ "$seconds" = 0 ]; then
    budget="none: the seeds only are replayed"
elif [ "$compare" = 1 ] && [ "$split" = 1 ]; then
    budget="${pair[0]} and ${pair[1]} ${secs[${pair[0]}]} s each (together the $seconds s of $base)"
    [ "${#targets[@]}" -le 3 ] || budget="$budget, the others $seconds s"
elif [ "$compare" = 1 ]; then
    budget="$seconds s each: ${pair[0]} and ${pair[1]} together get twice the time of $base"
else
    budget="$seconds s each"
fi
echo "# wolfSSL coverage: branches covered in the wolfSSL sources only"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) online"
echo "- load average at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- wolfSSL $version: $srcdir (its src/ and wolfcrypt/src/ as compiled; the project's sources are not counted)"
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$cov/CMakeCache.txt")
cflags="$(sed -n 's/^CMAKE_C_FLAGS:[A-Z]*=//p' "$cov/CMakeCache.txt") $(sed -n \
    's/^CMAKE_C_FLAGS_RELWITHDEBINFO:[A-Z]*=//p' "$cov/CMakeCache.txt")"
echo "- coverage build: $cov ($(basename "$cc") $cflags); totals over the wolfSSL files these targets link: $(field "seeds:$t0" 2) branches, $(field "seeds:$t0" 4) regions, $(field "seeds:$t0" 6) lines"
echo "- seeds: a scratch copy of $corpus_root/<target>/"
if [ "$seconds" = 0 ]; then
    echo "- fuzzing: $budget"
else
    echo "- fuzzing: $budget; $fuzz binaries (libFuzzer, ASan, UBSan), $parallel at a time, in ${elapsed} s"
fi
echo
printf '| %-22s | %4s | %8s | %6s | %6s | %7s | %8s | %8s | %6s | %8s | %8s | %7s | %9s | %s\n' \
    target s execs exec/s "rss MB" inputs "seeds br" branches "+br" regions lines "TLS br" "crypto br" "result |"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..24})" \
    "$(printf -- '-%.0s' {1..6})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..8})" \
    "$(printf -- '-%.0s' {1..8})" \
    "$(printf -- '-%.0s' {1..9})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..10})" \
    "$(printf -- '-%.0s' {1..8})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..10})" \
    "$(printf -- '-%.0s' {1..9})" "$(printf -- '-%.0s' {1..11})" "$(printf -- '-%.0s' {1..8})"
status=0
for t in "${targets[@]}"; do
    log=$scratch/$t/fuzz.log
    result=ok s=0 execs=- rate=- rss=-
    if [ "$seconds" -gt 0 ]; then
        s=${secs[$t]}
        execs=$(final_stat number_of_executed_units "$log")
        rate=$(final_stat average_exec_per_sec "$log")
        rss=$(final_stat peak_rss_mb "$log")
        rc=$(cat "$scratch/$t/status" 2>/dev/null || echo 2)
        divs=$(find "$scratch/$t/divergences" -name 'divergence-*.txt' | wc -l)
        [ "$divs" -gt 0 ] && result="ok; new divergences: $divs"
        [ "$rc" = 0 ] || { result="stopped (exit $rc)"; status=1; }
    fi
    [ "${lost[$t]}" = 0 ] || result="$result; ${lost[$t]} inputs not replayed"
    printf '| %-22s | %4s | %8s | %6s | %6s | %7s | %8s | %8s | %6s | %8s | %8s | %7s | %9s | %s |\n' \
        "$t" "$s" "${execs:--}" "${rate:--}" "${rss:--}" "$((seeds_n[$t] + new_n[$t]))" \
        "$(field "seeds:$t" 1)" "$(field "final:$t" 1)" \
        "$(($(field "final:$t" 1) - $(field "seeds:$t" 1)))" \
        "$(field "final:$t" 3)" "$(field "final:$t" 5)" "$(field "final:$t" 7)" \
        "$(field "final:$t" 8)" "$result"
done

if [ "$compare" = 1 ]; then
    name="${pair[0]} + ${pair[1]}"
    echo
    echo "wolfSSL branches covered (of $(field seeds:pair 2)):"
    printf '  %-32s %10s %12s\n' "" seeds "after $seconds s"
    printf '  %-32s %10s %12s\n' "$name (union)" "$(field seeds:pair 1)" "$(field final:pair 1)"
    printf '  %-32s %10s %12s\n' "$base" "$(field "seeds:$base" 1)" "$(field "final:$base" 1)"
    for k in seeds final; do
        a=$(field "$k:pair" 1)
        b=$(field "$k:$base" 1)
        label=$([ "$k" = seeds ] && echo "from the seeds" || echo "after $seconds s")
        if [ "$a" -gt "$b" ]; then
            echo "  larger $label: $name, by $((a - b)) ($a > $b)"
        elif [ "$a" -lt "$b" ]; then
            echo "  larger $label: $base, by $((b - a)) ($b > $a)"
        else
            echo "  $label: equal ($a)"
        fi
        [ "$seconds" -gt 0 ] || break
    done
fi

for t in "${targets[@]}"; do
    [ "$seconds" -gt 0 ] || break
    rc=$(cat "$scratch/$t/status" 2>/dev/null || echo 2)
    [ "$rc" = 0 ] && continue
    mkdir -p "$cov/artifacts/coverage"
    rm -rf "$cov/artifacts/coverage/$t"
    cp -r "$scratch/$t" "$cov/artifacts/coverage/$t"
    echo "== $t stopped (exit $rc): $cov/artifacts/coverage/$t/fuzz.log"
    grep -E '^SUMMARY|invariant failed|ERROR: ' "$scratch/$t/fuzz.log" | head -n 3 || true
done
exit $status
