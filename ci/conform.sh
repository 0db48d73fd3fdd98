#!/usr/bin/env bash
# The main job: install, build, and run the conformance suite
# (vectors/conformance) against both implementations, the reference and
# wolfSSL, with a summary table by RFC section. Writes the JUnit XML and
# the Markdown matrix to build/conformance/. Extra arguments go to
# `tlsdiff conform` (e.g. --filter 'tls13.*', --verbose).
# Exit 0 when the reference does what every case's clause says and every
# wolfSSL divergence is recorded in vectors/divergences.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ci/setup.sh
ci/build.sh default | tail -n 1
export UBSAN_OPTIONS="halt_on_error=1:suppressions=$root/ci/sanitizers/wolfssl-ubsan.supp"

out=build/conformance
mkdir -p "$out"
echo
build/default/harness/tlsdiff conform --junit "$out/junit.xml" --report "$out/conformance.md" "$@"
