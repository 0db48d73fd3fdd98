#!/usr/bin/env bash
# The benchmark (not a test; ci/test.sh does not run it): build the default
# preset and print in-memory full handshakes per second for the reference
# engine and for wolfSSL on the same profiles, and the ratio between them
# (tlsdiff bench). Arguments go to tlsdiff bench, e.g.
#     ci/bench.sh --seconds 3
#     ci/bench.sh tls13-x25519-ecdsa-p256 tls12-rsa-aes128-gcm
# The figures depend on the machine and its load: read them, compare them
# on one machine, assert nothing on them.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

ci/build.sh default | tail -n 1
exec build/default/harness/tlsdiff bench "$@"
