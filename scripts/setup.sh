#!/usr/bin/env bash
# Installs the Debian packages Litfass needs, only those missing (idempotent), and makes sure the
# Swift toolchain is on PATH. Sourced by scripts/run.sh and scripts/test.sh.
set -euo pipefail

# C libraries of the geospatial field (system-library targets) and GDAL's command-line tools
# (tests compare against ogrinfo and gdal_viewshed); libpng for the PNG previews; GNU libmicrohttpd for `litfass serve`.
LITFASS_APT_PACKAGES=(pkg-config libproj-dev libgeos-dev libgdal-dev libpng-dev gdal-bin glpk-utils libmicrohttpd-dev)

missing=()
for package in "${LITFASS_APT_PACKAGES[@]}" ${LITFASS_EXTRA_APT_PACKAGES:-}; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "litfass setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        [ -x "$dir/swift" ] && export PATH="$dir:$PATH" && break
    done
fi
command -v swift >/dev/null 2>&1 || { echo "litfass setup: the Swift toolchain (swift) is not on PATH" >&2; exit 1; }
