#!/usr/bin/env bash
# Install what tlsdiff needs on a Debian or Ubuntu machine (as root, or with
# sudo), then fetch the pinned wolfSSL source. Safe to run again: packages
# already present are not reinstalled and the wolfSSL source is cached.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

packages=(cmake ninja-build gcc clang llvm check pkg-config dpkg-dev apt
          python3 openssl gnutls-bin ca-certificates xz-utils debian-archive-keyring
          graphviz tshark)
# The compiler-rt runtime (ASan, UBSan, libFuzzer): one name on current
# Debian and Ubuntu, versioned names before.
if apt-cache show libclang-rt-dev >/dev/null 2>&1; then
    packages+=(libclang-rt-dev)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    # tshark's wireshark-common asks whether to install dumpcap setuid: no
    echo 'wireshark-common wireshark-common/install-setuid boolean false' |
        $sudo debconf-set-selections
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
    # libclang-rt-dev may only be known after the update.
    if ! dpkg-query -W -f='${Status}' libclang-rt-dev 2>/dev/null | grep -q "install ok installed"; then
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
            libclang-rt-dev >/dev/null 2>&1 || true
    fi
fi

if [ -z "${WOLFSSL_SOURCE_DIR:-}" ]; then
    "$root/ci/fetch-wolfssl.sh"
fi
