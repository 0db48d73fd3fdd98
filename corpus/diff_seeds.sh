#!/usr/bin/env bash
# Seeds of the message-level differential targets (targets/diff/,
# harness/peer/td_target.c): for every target, the canonical message of
# each profile variant (input bytes: variant, mode 0, an empty edit
# script), plus a few edit scripts per target written here, encoded by
# `tlsdiff edit encode`, plus the flight of every conformance case that a
# target can express (vectors/conformance, `tlsdiff conform --seeds`: a
# case with flight edits seeds the flight target, one with split, record
# or plain the record target, when one of their variants sends its
# message; the others seed their message's target). Files are named by
# their SHA-1; rerunning writes the same files (and new ones for cases
# added since).
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
    [new_session_ticket]=2 [server_finished]=5
    [flight]=40 [record]=40 [post_handshake]=11)

# target|variant|script: edits with a clear outcome, kept when both
# subjects share it or vectors/divergences records how they differ
# (`tlsdiff replay` exits 0), like the conformance flights below. The
# variants of flight and record (td_target.c FLIGHT_VARIANTS): 2 the TLS
# 1.3 server Certificate, 3 its CertificateVerify, 14/15 the TLS 1.3
# client's Certificate/CertificateVerify, 18/19 the TLS 1.2 server
# Certificate/ServerKeyExchange, 20 ServerHelloDone, 23 the TLS 1.2
# ClientKeyExchange, 34 the TLS 1.2 client CertificateVerify, 39 a TLS
# 1.3 NewSessionTicket; of post_handshake (POST_VARIANTS): 0/1
# KeyUpdate(update_requested) to a client/server, 2 not requested, 4 a
# NewSessionTicket, 6 a TLS 1.2 HelloRequest, 7 a TLS 1.2 renegotiation
# ClientHello, 10 a ClientHello after TLS 1.3.
edits=(
    "client_hello|0|ext drop supported_versions"
    "client_hello|0|truncate 10"
    "client_hello|0|set random 11*32"
    "server_hello|0|set cipher_suite TLS_AES_256_GCM_SHA384"
    "server_hello|3|set cipher_suite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
    # SKIP-TLS (RFC 8446 4, RFC 5246 7.3: a message out of order is
    # unexpected_message), SMACK (a repeated or injected message)
    "flight|2|skip"
    "flight|3|skip"
    "flight|15|skip"
    "flight|18|skip"
    "flight|19|skip"
    "flight|20|skip"
    "flight|34|skip"
    "flight|1|repeat"
    "flight|23|repeat"
    "flight|2|reorder"
    "flight|2|inject finished 00*32"
    "flight|20|inject server_key_exchange 03001d20+09*32+04030000"
    "flight|39|repeat 2"
    # framing (RFC 8446 5.1, RFC 5246 6.2.1) and records between messages
    "record|2|split 100"
    "record|18|split 16384"
    "record|23|split 5"
    "record|1|plain change_cipher_spec 01"
    "record|3|record change_cipher_spec 01"
    "record|0|plain handshake -"
    "record|4|record application_data -"
    "record|21|record alert 0200"
    "record|39|split 5"
    # after the handshake (RFC 8446 4.6, RFC 5246 7.4.1.1)
    "post_handshake|0|set request_update 2"
    "post_handshake|1|set request_update 2"
    "post_handshake|2|truncate 0"
    "post_handshake|0|repeat"
    "post_handshake|4|truncate 6"
    "post_handshake|4|repeat 2"
    "post_handshake|6|replace 00"
    "post_handshake|10|stale"
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
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
left=()
for e in "${edits[@]}"; do
    IFS='|' read -r t v script <<<"$e"
    hex=$(printf '%02x00' "$v")$("$tlsdiff" edit encode "$script")
    printf '%s' "$hex" | xxd -r -p >"$tmp"
    if "$tlsdiff" replay "$t" "$tmp" >/dev/null 2>&1; then
        write "$t" "$hex"
    else
        left+=("$e")
    fi
done
for e in "${left[@]}"; do
    echo "diff_seeds: left out (it diverges; corpus/triage/README.md): $e"
done
# every conformance case whose message a target sends under one of its
# profiles (tlsdiff conform --seeds: "TARGET HEX" lines), kept when the
# two subjects agree on it or vectors/divergences records how they differ
# in the target's terms (`tlsdiff replay` exits 0): the seed corpus is
# replayed by every build, and a new divergence there fails it
kept=0 dropped=0
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
