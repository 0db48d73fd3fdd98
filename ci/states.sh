#!/usr/bin/env bash
# docs/states.svg is the reference engine's handshake table drawn by
# Graphviz: `tlsdiff states --dot | dot -Tsvg`. This regenerates it with
# the default preset's tlsdiff (build it first: ci/build.sh default) and
# fails when it differs from the committed one. After a change to the
# table (harness/ref/engine/td_hs_table.c), write the new one with
#     ci/states.sh --update
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

tlsdiff=${TLSDIFF:-build/default/harness/tlsdiff}
if [ ! -x "$tlsdiff" ]; then
    echo "states: $tlsdiff is missing: build the default preset first (ci/build.sh default)" >&2
    exit 1
fi
if ! command -v dot >/dev/null; then
    echo "states: Graphviz dot is missing (ci/setup.sh installs graphviz)" >&2
    exit 1
fi

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$tlsdiff" states --dot | dot -Tsvg >"$tmp"
if [ "${1:-}" = "--update" ]; then
    cp "$tmp" docs/states.svg
    echo "states: docs/states.svg written"
elif diff -u docs/states.svg "$tmp" >/dev/null; then
    echo "states: docs/states.svg matches the handshake table"
else
    diff -u docs/states.svg "$tmp" | head -n 40 >&2 || true
    echo "states: docs/states.svg differs from 'tlsdiff states --dot | dot -Tsvg';" \
         "regenerate it with ci/states.sh --update" >&2
    exit 1
fi
