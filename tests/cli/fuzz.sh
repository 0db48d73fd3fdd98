#!/usr/bin/env bash
# tlsdiff fuzz from the command line, in every build: the setup errors,
# and a run against a stand-in for a libFuzzer binary (a script in a fake
# fuzz build folder), so that what tlsdiff fuzz passes to libFuzzer, how
# it reads libFuzzer's lines, and what it does with divergences and
# crashes are checked without libFuzzer:
#   - no build folder (--build, or TLSDIFF_FUZZ_BUILD): one line telling
#     to build the fuzz preset, exit 2; a build that is not a fuzz build,
#     and a target that is not in it: one line each, exit 2; usage errors
#     exit 2;
#   - the command line libFuzzer gets: the working corpus first, then the
#     seeds (corpus/TARGET, corpus/regressions/TARGET), the dictionary and
#     max_len of TARGET.options, the artifact prefix, -max_total_time for
#     --time, -fork for --jobs; TD_FUZZ_RAW=1 only with --raw;
#     TD_FUZZ_DIVERGENCE_DIR for a differential target;
#   - the summary: execs, coverage and corpus from the last progress
#     line (the fork parent's lines in fork mode), execs from the stat
#     line otherwise, the dictionary's entries; a recorded divergence
#     listed with its explanation and moved to the artifacts folder, exit 3;
#   - a crash artifact: a codec target's is ours (exit 1, the sanitizer's
#     SUMMARY line as the reason); a differential target's is replayed,
#     and a replay that names the wolfSSL subject makes it a finding
#     (exit 3), one that does not makes it ours (exit 1).
set -u
tlsdiff=$1
source_dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # description, status, expected status
    if [ "$2" -ne "$3" ]; then echo "FAIL: $1 (exit $2, expected $3)"; fail=1; fi
}
has() { # description, file, pattern
    if ! grep -q -- "$3" "$2"; then echo "FAIL: $1: no '$3' in:"; head -40 "$2"; fail=1; fi
}
lines() { # description, file, expected line count
    if [ "$(wc -l <"$2")" -ne "$3" ]; then echo "FAIL: $1: not $3 line(s):"; cat "$2"; fail=1; fi
}
export TLSDIFF_VECTORS=$source_dir/vectors
unset TLSDIFF_FUZZ_BUILD TD_FUZZ_RAW

# --- setup errors ---------------------------------------------------------
"$tlsdiff" fuzz client_hello --build "$tmp/absent" >"$tmp/out" 2>"$tmp/err"
check "no build folder" $? 2
lines "no build folder: one line" "$tmp/err" 1
has "no build folder: what to run" "$tmp/err" "no fuzz build in $tmp/absent: run 'cmake --preset fuzz && cmake --build --preset fuzz'"
TLSDIFF_FUZZ_BUILD=$tmp/absent2 "$tlsdiff" fuzz client_hello >"$tmp/out" 2>"$tmp/err"
check "TLSDIFF_FUZZ_BUILD" $? 2
has "TLSDIFF_FUZZ_BUILD names the folder" "$tmp/err" "no fuzz build in $tmp/absent2"

mkdir -p "$tmp/plain"
echo "TD_FUZZ:BOOL=OFF" >"$tmp/plain/CMakeCache.txt"
"$tlsdiff" fuzz client_hello --build "$tmp/plain" >"$tmp/out" 2>"$tmp/err"
check "not a fuzz build" $? 2
lines "not a fuzz build: one line" "$tmp/err" 1
has "not a fuzz build" "$tmp/err" "is not a fuzz build (TD_FUZZ=ON)"

b=$tmp/build
mkdir -p "$b/targets"
echo "TD_FUZZ:BOOL=ON" >"$b/CMakeCache.txt"
"$tlsdiff" fuzz client_hello --build "$b" >"$tmp/out" 2>"$tmp/err"
check "target not built" $? 2
has "target not built" "$tmp/err" "no fuzz target 'client_hello' in $b/targets"

for args in "" "--time 5" "client_hello --time 0" "client_hello --jobs x" "../x" \
    "client_hello --bogus 1"; do
    # shellcheck disable=SC2086
    "$tlsdiff" fuzz $args >"$tmp/out" 2>"$tmp/err"
    check "usage error: '$args'" $? 2
    has "usage error: '$args'" "$tmp/err" "usage: tlsdiff fuzz TARGET"
done

# --- a run against the stand-in ---------------------------------------------
# It writes its arguments and TD_FUZZ_* environment to $FAKE_OUT, prints
# libFuzzer's lines, and, as FAKE_MODE says, records a divergence the way
# targets/common/td_fuzz_diff.c does, or writes a crash artifact.
cat >"$tmp/fake" <<'EOF'
#!/usr/bin/env bash
printf '%s\n' "$@" >"$FAKE_OUT/args"
env | grep '^TD_FUZZ' | sort >"$FAKE_OUT/env"
prefix=
for a in "$@"; do case $a in -artifact_prefix=*) prefix=${a#-artifact_prefix=} ;; esac; done
echo "Dictionary: 3 entries"
printf '#2\tINITED cov: 10 ft: 20 corp: 2/4b exec/s: 0 rss: 30Mb\n'
printf '#64\tpulse  cov: 17 ft: 30 corp: 5/20b lim: 4 exec/s: 32 rss: 30Mb\n'
echo "#80: cov: 19 ft: 33 corp: 6 exec/s 40 oom/timeout/crash: 0/0/0 time: 2s job: 1 dft_time: 0"
printf 'x' >"$1/new-input"
case ${FAKE_MODE:-} in
divergence)
    d=$TD_FUZZ_DIVERGENCE_DIR/divergence-00000000000000aa
    printf '\000\000' >"$d"
    echo "client_hello [tls13-x25519-ecdsa-p256] verdict: reference alert:decode_error, wolfSSL alert:illegal_parameter; edit: set cipher_suites hex:e0d7a3" >"$d.txt"
    ;;
crash)
    printf 'x' >"${prefix}crash-0123"
    echo "==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x1"
    echo "SUMMARY: AddressSanitizer: heap-buffer-overflow td_x.c:1 in td_x"
    exit 77
    ;;
esac
echo "stat::number_of_executed_units: 1234"
EOF
chmod +x "$tmp/fake"
for t in client_hello roundtrip_record; do
    cp "$tmp/fake" "$b/targets/$t"
    printf '[libfuzzer]\nmax_len = 1024\ndict = tls.dict\n' >"$b/targets/$t.options"
done
printf 'a="\\x01"\nb="\\x02"\nc="\\x03"\n' >"$b/targets/tls.dict"
export FAKE_OUT=$tmp

"$tlsdiff" fuzz client_hello --build "$b" --time 5 --jobs 2 >"$tmp/out" 2>"$tmp/err"
check "a quiet run" $? 0
a=$b/artifacts/client_hello
has "working corpus first" <(sed -n 1p "$tmp/args") "^$a/corpus$"
has "seeds" "$tmp/args" "^$source_dir/corpus/client_hello$"
has "regressions" "$tmp/args" "^$source_dir/corpus/regressions/client_hello$"
has "dictionary" "$tmp/args" "^-dict=$b/targets/tls.dict$"
has "max_len" "$tmp/args" "^-max_len=1024$"
has "artifact prefix" "$tmp/args" "^-artifact_prefix=$a/$"
has "--time" "$tmp/args" "^-max_total_time=5$"
has "--jobs" "$tmp/args" "^-fork=2$"
has "divergence folder" "$tmp/env" "^TD_FUZZ_DIVERGENCE_DIR=$a/.run-"
if grep -q TD_FUZZ_RAW "$tmp/env"; then echo "FAIL: TD_FUZZ_RAW without --raw"; fail=1; fi
has "summary" "$tmp/out" "^== tlsdiff fuzz client_hello: summary"
# fork mode: the parent's "#N:" lines count, not its children's "#N<tab>"
# lines nor their stat lines
has "execs (fork mode)" "$tmp/out" "^execs: *80$"
has "coverage" "$tmp/out" "^coverage: *19 edges, 33 features"
has "corpus" "$tmp/out" "^corpus: *6 inputs; 1 files new in $a/corpus"
has "fork mode said" "$tmp/out" "^time: .*(fork mode)"
has "dictionary entries" "$tmp/out" "^dictionary: *3 entries ($b/targets/tls.dict), max_len 1024"
has "no divergence" "$tmp/out" "^divergences: *0 new"
has "no crash" "$tmp/out" "^crashes: *0"
has "the log" "$a/fuzz.log" "stat::number_of_executed_units: 1234"

FAKE_MODE=divergence "$tlsdiff" fuzz client_hello --build "$b" --raw >"$tmp/out" 2>"$tmp/err"
check "a divergence" $? 3
has "--raw" "$tmp/env" "^TD_FUZZ_RAW=1$"
has "execs: the stat line" "$tmp/out" "^execs: *1234$"
has "divergence counted" "$tmp/out" "^divergences: *1 new (not in vectors/divergences)"
has "its explanation" "$tmp/out" "^  client_hello \[tls13-x25519-ecdsa-p256\] verdict: reference alert:decode_error, wolfSSL alert:illegal_parameter; edit: set cipher_suites hex:e0d7a3$"
has "its input" "$tmp/out" "divergence-00000000000000aa$"
if [ ! -f "$a/divergence-00000000000000aa" ] || [ ! -f "$a/divergence-00000000000000aa.txt" ]; then
    echo "FAIL: the divergence is not in the artifacts folder"; ls -la "$a"; fail=1
fi
if compgen -G "$a/.run-*" >/dev/null; then echo "FAIL: the run's folder is left"; fail=1; fi
FAKE_MODE=divergence "$tlsdiff" fuzz client_hello --build "$b" >"$tmp/out" 2>"$tmp/err"
check "the divergence again" $? 3
has "found by an earlier run" "$tmp/out" "(an earlier run found it too)"

FAKE_MODE=crash "$tlsdiff" fuzz roundtrip_record --build "$b" >"$tmp/out" 2>"$tmp/err"
check "a codec crash" $? 1
has "crash listed" "$tmp/out" "^  crash-0123 (ours): SUMMARY: AddressSanitizer: heap-buffer-overflow td_x.c:1 in td_x$"
has "crash counted" "$tmp/out" "^crashes: *1$"

# a differential target's crash: the replay (here a stand-in for the fuzz
# build's tlsdiff) names the subject
mkdir -p "$b/harness"
for who in wolfSSL reference; do
    printf '#!/bin/sh\necho "replay: crashed while running the %s subject" >&2\nexit 1\n' "$who" \
        >"$b/harness/tlsdiff"
    chmod +x "$b/harness/tlsdiff"
    rm -f "$b"/artifacts/client_hello/crash-*
    FAKE_MODE=crash "$tlsdiff" fuzz client_hello --build "$b" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$who" = wolfSSL ]; then
        check "a crash in wolfSSL" $rc 3
        has "crash in wolfSSL" "$tmp/out" "^  crash-0123 (in the wolfSSL subject)"
    else
        check "a crash in the reference" $rc 1
        has "crash in the reference" "$tmp/out" "^  crash-0123 (ours)"
    fi
    has "the replay report" "$a/crash-0123.replay" "crashed while running the $who subject"
done
exit $fail
