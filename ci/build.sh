#!/usr/bin/env bash
# Configure and build one preset: ci/build.sh default|asan|fuzz
# WOLFSSL_SOURCE_DIR in the environment builds that wolfSSL tree instead of
# the pinned one.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
preset=${1:-default}
extra=()
[ -n "${WOLFSSL_SOURCE_DIR:-}" ] && extra+=("-DWOLFSSL_SOURCE_DIR=$WOLFSSL_SOURCE_DIR")

cd "$root"
cmake --preset "$preset" "${extra[@]}" >/dev/null
cmake --build --preset "$preset"
