#!/usr/bin/env bash
# Fetch the pinned wolfSSL source package from Debian and unpack it, with
# Debian's patches applied, into .cache/wolfssl/<version>/ (git ignores .cache).
#
#   ci/fetch-wolfssl.sh            fetch (no-op when already unpacked)
#   ci/fetch-wolfssl.sh --print    print the unpacked source directory
#
# The package comes through a temporary deb-src list (nothing under
# /etc/apt is changed). apt checks the signed Sources index; this script
# additionally pins the .dsc's SHA-256 and checks every file the .dsc lists
# against the .dsc's Checksums-Sha256 before unpacking.
set -euo pipefail

PKG=wolfssl
VERSION=5.7.2-0.1+deb13u2
DSC_SHA256=b61bd9e726503a49e1d66244ff3d1aca5d15f08f489699d3f7c7b0acec72b1e8
SUITES="trixie trixie-updates"
SECURITY_SUITES="trixie-security"

root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache/wolfssl"
dest="$cache/$PKG-$VERSION"

if [ "${1:-}" = "--print" ]; then
    echo "$dest"
    exit 0
fi
if [ -f "$dest/.tlsdiff-unpacked" ]; then
    exit 0
fi

for tool in apt-get dpkg-source sha256sum; do
    command -v "$tool" >/dev/null || {
        echo "fetch-wolfssl: '$tool' is missing (apt-get install dpkg-dev apt coreutils)" >&2
        exit 1
    }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/dl"
cat >"$work/tlsdiff.sources" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $SUITES
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: $SECURITY_SUITES
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
apt_opts=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::Etc::sourcelist=$work/tlsdiff.sources"
          -o "Dir::State::Lists=$work/lists" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)

echo "fetch-wolfssl: downloading $PKG $VERSION (Debian source package)"
apt-get "${apt_opts[@]}" -qq update
(cd "$work/dl" && apt-get "${apt_opts[@]}" -qq source --download-only "$PKG=$VERSION") >/dev/null || true

dsc="$work/dl/${PKG}_${VERSION}.dsc"
[ -f "$dsc" ] || { echo "fetch-wolfssl: $PKG $VERSION is not in the archive any more; point -DWOLFSSL_SOURCE_DIR at a wolfSSL checkout" >&2; exit 1; }

got=$(sha256sum "$dsc" | cut -d' ' -f1)
if [ "$got" != "$DSC_SHA256" ]; then
    echo "fetch-wolfssl: $dsc has SHA-256 $got, expected $DSC_SHA256" >&2
    exit 1
fi
# Every file listed under Checksums-Sha256 must match.
awk '/^Checksums-Sha256:/{on=1;next} /^[^ ]/{on=0} on&&NF==3{print $1"  "$3}' "$dsc" >"$work/sums"
[ -s "$work/sums" ] || { echo "fetch-wolfssl: no checksums in $dsc" >&2; exit 1; }
(cd "$work/dl" && sha256sum --quiet -c "$work/sums") || {
    echo "fetch-wolfssl: checksum mismatch in the files of $dsc" >&2
    exit 1
}

rm -rf "$dest"
mkdir -p "$cache"
dpkg-source --no-check -x "$dsc" "$dest" >/dev/null
rm -f "$cache"/*.orig.tar.* 
touch "$dest/.tlsdiff-unpacked"
echo "fetch-wolfssl: unpacked into $dest"
