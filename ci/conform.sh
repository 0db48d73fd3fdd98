#!/usr/bin/env bash
# The main job: install, build, and run tlsdiff against both implementations
# with a readable summary. Until the conformance suite lands this is the
# deterministic handshake matrix (tlsdiff matrix), run for every pairing of
# client and server: wolfSSL and the reference, each way. Extra arguments go
# to every matrix run (e.g. --seed 7, or profile names).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ci/setup.sh
ci/build.sh default | tail -n 1
export UBSAN_OPTIONS="halt_on_error=1:suppressions=$root/ci/sanitizers/wolfssl-ubsan.supp"

status=0
summary=()
for pair in wolfssl:wolfssl ref:wolfssl wolfssl:ref ref:ref; do
    client=${pair%%:*}
    server=${pair##*:}
    echo
    out=$(build/default/harness/tlsdiff matrix --client "$client" --server "$server" "$@") || status=1
    echo "$out"
    summary+=("$(printf '%-8s %-8s %s' "$client" "$server" "$(tail -n 1 <<<"$out")")")
done
echo
echo "summary (client, server: result)"
printf '  %s\n' "${summary[@]}"
exit $status
