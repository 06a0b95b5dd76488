#!/usr/bin/env bash
# Builds artifacts/vigil_<version>_amd64.deb: vigil published with NativeAOT, vigilctl, vigild.service and the
# example configuration (packaging/). Needs only the .NET SDK; installs clang, zlib1g-dev, binutils, dpkg-dev and
# fakeroot from Debian when they are missing (as root).
#   --version=V   build as version V instead of Directory.Build.props' <Version>; --version=next bumps its last
#                 number (0.1.0 gives 0.1.1), the newer package the upgrade test installs over the current one
#   --output=DIR  write the .deb, and the published executable under DIR/publish, to DIR (default: artifacts/)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
version=""
out="$repo/artifacts"
for arg in "$@"; do
  case "$arg" in
    --version=*) version=${arg#*=} ;;
    --output=*) out=${arg#*=} ;;
    *) echo "usage: package.sh [--version=VERSION] [--output=DIR]" >&2; exit 2 ;;
  esac
done

bash "$repo/tools/install-package-tools.sh" build
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ -z "$version" ] || [ "$version" = next ]; then
  current=$(dotnet msbuild "$repo/src/Vigil.Cli/Vigil.Cli.csproj" -getProperty:Version -nologo)
  if [ "$version" = next ]; then
    version="${current%.*}.$((${current##*.} + 1))"
  else
    version=$current
  fi
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
publish="$out/publish"
dotnet publish "$repo/src/Vigil.Cli" -c Release -r linux-x64 -p:Version="$version" -o "$publish" -nologo -v q -nodeReuse:false >&2

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
chmod 0755 "$root"
pkg="$repo/packaging"
# The executable and the SQLite library it loads from its own directory; /usr/bin/vigil links to it.
install -D -m 0755 "$publish/vigil" "$root/usr/lib/vigil/vigil"
install -D -m 0644 "$publish/libe_sqlite3.so" "$root/usr/lib/vigil/libe_sqlite3.so"
# The publish step strips vigil's symbols into vigil.dbg (not shipped); the SQLite library comes unstripped.
strip --remove-section=.comment "$root/usr/lib/vigil/vigil"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/lib/vigil/libe_sqlite3.so"
install -d "$root/usr/bin"
ln -s ../lib/vigil/vigil "$root/usr/bin/vigil"
install -m 0755 "$pkg/vigilctl" "$root/usr/bin/vigilctl"
install -D -m 0644 "$pkg/vigild.service" "$root/lib/systemd/system/vigild.service"
install -D -m 0644 "$pkg/vigild.default" "$root/etc/default/vigild"
install -D -m 0600 "$pkg/vigil.flags" "$root/etc/vigil/vigil.flags"
install -m 0600 "$pkg/vigil.conf" "$root/etc/vigil/vigil.conf"

doc="$root/usr/share/doc/vigil"
install -D -m 0644 "$pkg/copyright" "$doc/copyright"
install -D -m 0644 "$pkg/lintian-overrides" "$root/usr/share/lintian/overrides/vigil"
install -D -m 0644 "$pkg/vigil.flags" "$doc/examples/vigil.flags"
install -m 0644 "$pkg/vigil.conf" "$doc/examples/vigil.conf"
install -D -m 0644 -t "$doc/examples/packs" "$pkg"/packs/*.conf
# Dated from the last commit, so two builds of one tree are the same package.
date=$(git -C "$repo" log -1 --format=%cD 2>/dev/null || date -R)
printf 'vigil (%s) unstable; urgency=medium\n\n  * Built from %s.\n\n -- Vigil maintainers <vigil@vigil.invalid>  %s\n' \
  "$version" "$(git -C "$repo" describe --always --dirty 2>/dev/null || echo 'a source tree')" "$date" |
  gzip -9n > "$doc/changelog.gz"
install -d "$root/usr/share/man/man8"
for page in "$pkg"/man/*.8; do
  gzip -9n < "$page" > "$root/usr/share/man/man8/$(basename "$page").gz"
done

install -d "$root/DEBIAN"
install -m 0644 "$pkg/deb/conffiles" "$root/DEBIAN/conffiles"
install -m 0755 "$pkg/deb/postinst" "$pkg/deb/prerm" "$pkg/deb/postrm" "$root/DEBIAN/"
# dpkg-shlibdeps reads debian/control of the directory it runs in; it needs nothing else of a source package.
shlibs=$(mktemp -d)
trap 'rm -rf "$root" "$shlibs"' EXIT
mkdir "$shlibs/debian"
printf 'Source: vigil\n\nPackage: vigil\nArchitecture: amd64\n' > "$shlibs/debian/control"
depends=$(cd "$shlibs" && dpkg-shlibdeps -O -e"$root/usr/lib/vigil/vigil" -e"$root/usr/lib/vigil/libe_sqlite3.so" 2>/dev/null |
  sed -n 's/^shlibs:Depends=//p')
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" -e "s/@DEPENDS@/$depends/" "$pkg/deb/control" > "$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"

deb="$out/vigil_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
