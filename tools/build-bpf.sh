#!/usr/bin/env bash
# Compiles Vigil's BPF programs (src/Vigil.Core/Bpf/Programs) into OUT_DIR/vigil.bpf.o, which src/Vigil.Core/Vigil.Core.csproj
# embeds in the library. vmlinux.h is generated here from the build machine's BTF (/sys/kernel/btf/vmlinux) by
# bpftool, never committed: CO-RE relocates the programs against the running kernel's BTF at load.
#
#   tools/build-bpf.sh [--no-install] OUT_DIR
#   tools/build-bpf.sh --install-only          (what tools/install-reference-tools.sh, and so CI, runs first)
#
# Without --no-install, clang, libbpf-dev and bpftool are installed with apt-get when missing (needs root).
# With --no-install (the build's own call), missing tools or BTF are reported on one line and nothing is built, so
# a machine with only the .NET SDK still builds Vigil, without the BPF backend (its tests say why they skip, outside
# CI; under CI=true they fail).
set -euo pipefail
install=1
case "${1:-}" in
  --no-install) install=0; shift ;;
  --install-only) install=2; shift ;;
esac
out=${1:-}
if [ "$install" != 2 ] && [ -z "$out" ]; then
  echo "usage: build-bpf.sh [--no-install] OUT_DIR | --install-only" >&2
  exit 2
fi
src="$(cd "$(dirname "$0")/.." && pwd)/src/Vigil.Core/Bpf/Programs"
btf=/sys/kernel/btf/vmlinux

missing=()
command -v clang >/dev/null || missing+=(clang)
command -v bpftool >/dev/null || missing+=(bpftool)
[ -f /usr/include/bpf/bpf_helpers.h ] || missing+=(libbpf-dev)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$install" = 0 ]; then
    echo "build-bpf: not building the BPF object, missing ${missing[*]} (bash tools/build-bpf.sh OUT_DIR installs them)"
    exit 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "build-bpf: needs root to apt-get install ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "$install" = 2 ]; then
  exit 0
fi
if [ ! -r "$btf" ]; then
  echo "build-bpf: not building the BPF object, $btf is missing: this kernel has no BTF (CONFIG_DEBUG_INFO_BTF) to generate vmlinux.h from"
  exit "$install"
fi

case "$(uname -m)" in
  x86_64) arch=x86 ;;
  aarch64) arch=arm64 ;;
  *) echo "build-bpf: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bpftool btf dump file "$btf" format c > "$tmp/vmlinux.h"
clang -g -O2 -target bpf -D"__TARGET_ARCH_$arch" -Wall -Werror -I"$tmp" -I"$src" -c "$src/vigil.bpf.c" -o "$tmp/vigil.tmp.o"
# bpftool's linker drops the DWARF and keeps the BTF that libbpf needs for maps and CO-RE.
bpftool gen object "$tmp/vigil.bpf.o" "$tmp/vigil.tmp.o"
mv "$tmp/vigil.bpf.o" "$out/vigil.bpf.o"
