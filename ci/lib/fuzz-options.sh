# shellcheck shell=bash
# The libFuzzer flags of a target's .options file, as tlsdiff fuzz reads
# them (harness/cli/td_fuzz_run.c): dict (relative to BUILD/targets),
# max_len, and any other `key = value` as -key=value. Sourced by
# ci/bench-fuzz.sh and ci/coverage.sh.
#
#   fuzz_flags BUILD TARGET   prints one flag per line
fuzz_flags() {
    local build=$1 t=$2 key value
    [ -f "$build/targets/$t.options" ] || return 0
    while IFS='=' read -r key value; do
        key=$(echo "$key" | tr -d '[:space:]')
        value=$(echo "$value" | tr -d '[:space:]')
        case "$key" in
            ''|'#'*|'['*) ;;
            dict) echo "-dict=$build/targets/$value" ;;
            *) echo "-$key=$value" ;;
        esac
    done <"$build/targets/$t.options"
}
