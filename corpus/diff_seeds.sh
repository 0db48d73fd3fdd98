#!/usr/bin/env bash
# Seeds of the message-level differential targets (targets/diff/,
# harness/peer/td_target.c): for every target, the canonical message of
# each profile variant (input bytes: variant, mode 0, an empty edit
# script), plus a few edit scripts per target written here, encoded by
# `tlsdiff edit encode`, plus the flight of every conformance case that a
# target can express (vectors/conformance, `tlsdiff conform --seeds`).
# Files are named by their SHA-1; rerunning writes the same files.
#
#   corpus/diff_seeds.sh [TLSDIFF]   (default build/default/harness/tlsdiff)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tlsdiff=${1:-$root/build/default/harness/tlsdiff}

# target: variants (td_target.c)
declare -A variants=(
    [client_hello]=6 [client_certificate]=2 [client_key_exchange]=3
    [client_certificate_verify]=2 [client_finished]=5 [server_hello]=6
    [encrypted_extensions]=3 [server_certificate]=5 [server_key_exchange]=2
    [certificate_request]=2 [server_hello_done]=3 [server_certificate_verify]=2
    [new_session_ticket]=2 [server_finished]=5)

# target|variant|script: edits whose outcome both subjects share or that
# vectors/divergences records
edits=(
    "client_hello|0|ext drop supported_versions"
    "client_hello|0|truncate 10"
    "client_hello|0|set random 11*32"
    "server_hello|0|set cipher_suite TLS_AES_256_GCM_SHA384"
    "server_hello|3|set cipher_suite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
)

write() { # target, bytes as hex
    local dir=$root/corpus/$1 name
    mkdir -p "$dir"
    name=$(printf '%s' "$2" | xxd -r -p | sha1sum | cut -c1-40)
    printf '%s' "$2" | xxd -r -p >"$dir/$name"
}

for t in "${!variants[@]}"; do
    for ((v = 0; v < ${variants[$t]}; v++)); do
        write "$t" "$(printf '%02x00' "$v")"
    done
done
for e in "${edits[@]}"; do
    IFS='|' read -r t v script <<<"$e"
    write "$t" "$(printf '%02x00' "$v")$("$tlsdiff" edit encode "$script")"
done
# every conformance case whose message a target sends under one of its
# profiles (tlsdiff conform --seeds: "TARGET HEX" lines), kept when the
# two subjects agree on it or vectors/divergences records how they differ
# in the target's terms (`tlsdiff replay` exits 0): the seed corpus is
# replayed by every build, and a new divergence there fails it
kept=0 dropped=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
while read -r t hex; do
    printf '%s' "$hex" | xxd -r -p >"$tmp"
    if "$tlsdiff" replay "$t" "$tmp" >/dev/null 2>&1; then
        write "$t" "$hex"
        kept=$((kept + 1))
    else
        dropped=$((dropped + 1))
    fi
done < <("$tlsdiff" conform --seeds)
echo "diff_seeds: $kept conformance flights kept, $dropped left out (they diverge: tlsdiff replay shows how)"
echo "diff_seeds: $(for t in "${!variants[@]}"; do ls "$root/corpus/$t"; done | wc -l) seeds"
