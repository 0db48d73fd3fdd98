# shellcheck shell=bash
# Coverage of wolfSSL's own code by a corpus, sourced by ci/coverage.sh and
# ci/bench-fuzz.sh (not run on its own).
#
# libFuzzer's cov: counts every instrumented edge of the binary: the
# reference engine, the harness and the edit-script interpreter as well as
# wolfSSL. A differential target carries far more of the project's own
# code than a wolfSSL-only target, so cov: cannot say which one reaches
# more of wolfSSL. Here a corpus is replayed through a separate build with
# clang source-based coverage (-fprofile-instr-generate -fcoverage-mapping,
# no sanitizers, -O1; cmake/wolfssl.cmake compiles wolfSSL with the same
# flags, so it is instrumented too) and llvm-cov's summary is kept for the
# files under the wolfSSL source tree only.
#
#   wolfcov_build BUILD TARGET...      configure BUILD when it is not there,
#                                      then build the replay programs
#   wolfcov_source_dir BUILD           the wolfSSL tree BUILD compiles
#   wolfcov_replay BIN OUT PATH...     replay files and folders through BIN,
#                                      the merged profile in OUT
#   wolfcov_merge OUT PROFILE...       one profile from several (a union)
#   wolfcov_count SRCDIR PROFILE OBJ...
#                                      one line: branches covered, total;
#                                      regions covered, total; lines
#                                      covered, total; branches covered in
#                                      src/ (TLS) and in wolfcrypt/
#
# "Edges" in the reports below are llvm-cov branches: each outcome (true,
# false) of each condition, the closest source-level figure to libFuzzer's
# edges. Totals depend on which wolfSSL files the objects link (a static
# library brings only the objects a program uses), so compare covered
# counts measured with the same objects; ci/coverage.sh passes the same
# set to every count.
#
# Tools: LLVM_PROFDATA, LLVM_COV and WOLFCOV_CC (default the -14 ones, the
# versions must agree: a raw profile is read only by its own release);
# WOLFCOV_JOBS (default 2) build jobs; WOLFCOV_CHUNK (default 100) inputs
# per replay process.

WOLFCOV_ROOT=${WOLFCOV_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LLVM_PROFDATA=${LLVM_PROFDATA:-llvm-profdata-14}
LLVM_COV=${LLVM_COV:-llvm-cov-14}
WOLFCOV_CC=${WOLFCOV_CC:-clang-14}

wolfcov_die() {
    echo "wolfssl-coverage: $*" >&2
    exit 2
}

wolfcov_build() {
    local build=$1
    shift
    command -v "$LLVM_PROFDATA" >/dev/null && command -v "$LLVM_COV" >/dev/null ||
        wolfcov_die "$LLVM_PROFDATA and $LLVM_COV are needed"
    if [ -f "$build/CMakeCache.txt" ]; then
        grep -q '^CMAKE_C_FLAGS:[A-Z]*=.*-fcoverage-mapping' "$build/CMakeCache.txt" ||
            wolfcov_die "$build is not a coverage build (-fcoverage-mapping)"
    else
        echo "wolfssl-coverage: configuring $build" >&2
        cmake -S "$WOLFCOV_ROOT" -B "$build" -G Ninja -DCMAKE_C_COMPILER="$WOLFCOV_CC" \
            -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            -DCMAKE_C_FLAGS="-fprofile-instr-generate -fcoverage-mapping" \
            -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1" \
            -DCMAKE_EXE_LINKER_FLAGS="-fprofile-instr-generate" \
            ${WOLFSSL_SOURCE_DIR:+-DWOLFSSL_SOURCE_DIR="$WOLFSSL_SOURCE_DIR"} >/dev/null
    fi
    grep -q '^TD_FUZZ:BOOL=ON' "$build/CMakeCache.txt" &&
        wolfcov_die "$build is a libFuzzer build; the coverage build links the replay main"
    local log
    log=$(mktemp "${TMPDIR:-/tmp}/wolfcov-build.XXXXXX")
    if ! cmake --build "$build" -j "${WOLFCOV_JOBS:-2}" --target "$@" >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        rm -f "$log"
        wolfcov_die "building $* in $build failed"
    fi
    tail -n 1 "$log" >&2
    rm -f "$log"
}

wolfcov_source_dir() {
    local dir
    dir=$(sed -n 's/^WOLFSSL_SOURCE_DIR:[A-Z]*=//p' "$1/CMakeCache.txt" 2>/dev/null)
    [ -n "$dir" ] || dir=$("$WOLFCOV_ROOT/ci/fetch-wolfssl.sh" --print)
    [ -f "$dir/src/internal.c" ] || wolfcov_die "$dir is not a wolfSSL tree"
    echo "$dir"
}

# One replay process over some inputs; its profile is PREFIX-<pid>.profraw.
# The profile is written at exit, so a process that aborts (an invariant
# of the harness, a crash inside wolfSSL) or hangs leaves none: status 1.
wolfcov_run() {
    local bin=$1 prefix=$2 log=$3 div=$4
    shift 4
    # in a subshell of its own, whose stderr is the log: the shell's own
    # line about a program killed by a signal goes there too
    (LLVM_PROFILE_FILE="$prefix-%p.profraw" TD_FUZZ_DIVERGENCE_DIR=$div \
        timeout -s KILL $((60 + 10 * $#)) "$bin" "$@" >/dev/null || true) 2>>"$log"
    compgen -G "$prefix-*.profraw" >/dev/null
}

# Replay every file (dot files aside, as the replay main does) of the
# PATHs through BIN, WOLFCOV_CHUNK at a time. A chunk whose process left no
# profile is replayed again one input at a time, so only the inputs that
# stop the program go uncounted; they are named on stderr. A new
# divergence does not stop a differential target: TD_FUZZ_DIVERGENCE_DIR
# is a scratch folder. Sets WOLFCOV_INPUTS and WOLFCOV_LOST.
wolfcov_replay() {
    local bin=$1 out=$2
    shift 2
    local work files=() batch=() i j chunk=${WOLFCOV_CHUNK:-100}
    [ -x "$bin" ] || wolfcov_die "$bin: no such replay program"
    work=$(mktemp -d "${TMPDIR:-/tmp}/wolfcov.XXXXXX")
    mkdir -p "$work/div"
    mapfile -t files < <(find "$@" -type f ! -name '.*' 2>/dev/null | LC_ALL=C sort)
    # shellcheck disable=SC2034 # read by the callers
    WOLFCOV_INPUTS=${#files[@]}
    WOLFCOV_LOST=0
    # no inputs still gives a profile (every counter zero) to merge
    wolfcov_run "$bin" "$work/empty" "$work/replay.log" "$work/div" "$work/div" ||
        wolfcov_die "$bin did not write a profile (is it a coverage build?)"
    for ((i = 0; i < ${#files[@]}; i += chunk)); do
        batch=("${files[@]:i:chunk}")
        wolfcov_run "$bin" "$work/c$i" "$work/replay.log" "$work/div" "${batch[@]}" && continue
        rm -f "$work/c$i"-*.profraw
        for ((j = 0; j < ${#batch[@]}; j++)); do
            if ! wolfcov_run "$bin" "$work/c$i-$j" "$work/replay.log" "$work/div" "${batch[j]}"; then
                WOLFCOV_LOST=$((WOLFCOV_LOST + 1))
                echo "wolfssl-coverage: ${batch[j]}: the replay stopped; its coverage is not counted" >&2
            fi
        done
    done
    "$LLVM_PROFDATA" merge -sparse -o "$out" "$work"/*.profraw
    rm -rf "$work"
}

wolfcov_merge() {
    local out=$1
    shift
    "$LLVM_PROFDATA" merge -sparse -o "$out" "$@"
}

# The summary of llvm-cov over the files under SRCDIR, the wolfSSL tree:
# the project's own sources (harness/, targets/, cmake/wolfssl/
# user_settings.h) are outside it. wolfSSL's tests and examples are not
# compiled (cmake/wolfssl.cmake takes src/*.c and wolfcrypt/src/*.c), and
# are left out here should a tree compile them. Paths are compared after
# resolving symbolic links.
wolfcov_count() {
    local srcdir=$1 prof=$2 first=$3
    shift 3
    local objs=() o
    for o in "$@"; do objs+=(-object "$o"); done
    "$LLVM_COV" export -summary-only -instr-profile "$prof" "$first" "${objs[@]}" |
        python3 -c '
import json, os, sys
root = os.path.realpath(sys.argv[1]) + os.sep
skip = ("tests/", "testsuite/", "examples/", "wolfcrypt/test/", "wolfcrypt/benchmark/",
        "IDE/", "mcapi/", "wrapper/")
tot = dict(bc=0, bt=0, rc=0, rt=0, lc=0, lt=0, tls=0, crypt=0)
for data in json.load(sys.stdin)["data"]:
    for f in data["files"]:
        path = os.path.realpath(f["filename"])
        if not path.startswith(root):
            continue
        rel = path[len(root):]
        if rel.startswith(skip):
            continue
        s = f["summary"]
        tot["bc"] += s["branches"]["covered"]
        tot["bt"] += s["branches"]["count"]
        tot["rc"] += s["regions"]["covered"]
        tot["rt"] += s["regions"]["count"]
        tot["lc"] += s["lines"]["covered"]
        tot["lt"] += s["lines"]["count"]
        if rel.startswith("src/"):
            tot["tls"] += s["branches"]["covered"]
        elif rel.startswith("wolfcrypt/"):
            tot["crypt"] += s["branches"]["covered"]
print(" ".join(str(tot[k]) for k in ("bc", "bt", "rc", "rt", "lc", "lt", "tls", "crypt")))
' "$srcdir"
}
