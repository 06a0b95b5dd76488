#!/usr/bin/env bash
# Installs from Debian what the package needs beyond the .NET SDK, only what is missing:
#   build  clang and zlib1g-dev (NativeAOT's linker and libz), binutils (strip), dpkg-dev and fakeroot
#          (dpkg-deb, dpkg-shlibdeps); tools/package.sh runs this itself.
#   check  the above, plus lintian and systemd-analyze (package systemd; it is not started, only its verifier is
#          used); .ci/run runs this before the tests that build, check and install the .deb.
set -euo pipefail
case "${1:-build}" in
  build) wanted=(clang zlib1g-dev binutils dpkg-dev fakeroot) ;;
  check) wanted=(clang zlib1g-dev binutils dpkg-dev fakeroot lintian systemd) ;;
  *) echo "usage: install-package-tools.sh [build|check]" >&2; exit 2 ;;
esac
missing=()
for package in "${wanted[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null)" != installed ]; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-package-tools: ${missing[*]} missing; run as root to apt-get install them" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
