#!/usr/bin/env bash
# The main job: install, build, and run tlsdiff against both subjects with a
# readable summary. Until the conformance suite lands this is the
# deterministic handshake matrix (tlsdiff matrix). Extra arguments go to it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ci/setup.sh
ci/build.sh default | tail -n 1
exec build/default/harness/tlsdiff matrix "$@"
