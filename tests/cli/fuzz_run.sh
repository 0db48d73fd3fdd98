#!/usr/bin/env bash
# tlsdiff fuzz on a real libFuzzer target (fuzz preset only): client_hello
# for 5 seconds, in a folder that borrows the build's targets and
# tlsdiff, so the run's artifacts stay out of the build. Checks:
#   - exit 0 or 3 (a new divergence is a finding, not an error);
#   - the summary's lines: time, execs (more than 0), exec/s, coverage,
#     corpus, the dictionary with as many entries as tls.dict has (libFuzzer
#     read every line), the mutation, crashes 0, divergences;
#   - each divergence listed is in the artifacts folder with its input,
#     and the run's own folder is gone;
#   - tlsdiff replay takes a recorded divergence and judges it new.
set -u
tlsdiff=$1
build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
has() { # description, file, pattern
    if ! grep -q -- "$3" "$2"; then echo "FAIL: $1: no '$3' in:"; head -40 "$2"; fail=1; fi
}
b=$tmp/build
mkdir -p "$b"
cp "$build/CMakeCache.txt" "$b/"
ln -s "$build/targets" "$b/targets"
ln -s "$build/harness" "$b/harness"

"$tlsdiff" fuzz client_hello --time 5 --build "$b" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
    echo "FAIL: exit $rc (expected 0 or 3)"; cat "$tmp/err" "$tmp/out"; tail -40 "$b/artifacts/client_hello/fuzz.log"
    exit 1
fi
entries=$(grep -vc '^#' "$build/targets/tls.dict")
has "summary" "$tmp/out" "^== tlsdiff fuzz client_hello: summary"
has "time" "$tmp/out" "^time: *[0-9.]* s"
has "execs" "$tmp/out" "^execs: *[1-9][0-9]*$"
has "exec/s" "$tmp/out" "^exec/s: *[0-9]*$"
has "coverage" "$tmp/out" "^coverage: *[1-9][0-9]* edges"
has "corpus" "$tmp/out" "^corpus: *[1-9][0-9]* inputs"
has "dictionary read whole" "$tmp/out" "^dictionary: *$entries entries ($b/targets/tls.dict), max_len 1024"
has "mutation" "$tmp/out" "^mutation: *edit scripts"
has "crashes" "$tmp/out" "^crashes: *0$"
has "divergences" "$tmp/out" "^divergences: *[0-9]* new"
a=$b/artifacts/client_hello
n=$(sed -n 's/^divergences: *\([0-9]*\) new.*/\1/p' "$tmp/out")
files=$(find "$a" -maxdepth 1 -name 'divergence-*.txt' | wc -l)
if [ "${n:-x}" != "$files" ]; then echo "FAIL: $n divergences listed, $files in $a"; fail=1; fi
if [ $rc -eq 3 ] && [ "$n" = 0 ]; then echo "FAIL: exit 3 without a divergence"; fail=1; fi
if compgen -G "$a/.run-*" >/dev/null; then echo "FAIL: the run's folder is left"; fail=1; fi
for txt in $(find "$a" -maxdepth 1 -name 'divergence-*.txt' | head -n 2); do
    input=${txt%.txt}
    has "listed: $(basename "$input")" "$tmp/out" "$(basename "$input")"
    "$tlsdiff" replay client_hello "$input" >"$tmp/replay" 2>&1
    [ $? -eq 1 ] || { echo "FAIL: replay of $input does not exit 1"; fail=1; }
    has "replay judges it new" "$tmp/replay" "=> DIVERGENCE (not in vectors/divergences)"
done
exit $fail
