#!/usr/bin/env bash
# Installs what the tests use besides Vigil: auditd's user-space tools (auditctl, ausearch, aureport), which the
# comparison tests run, the kernel's uapi headers (linux-libc-dev), from which tools/gen-kernel-abi.sh generates the
# committed kernel ABI tables, the tools the file-system fault tests make their file systems with (mkfs.ext4 from
# e2fsprogs, losetup from mount), iproute2 (ip) and ethtool, whose readings of the network the interface and route
# tables are checked against, rsyslog, which the syslog logger's tests start on a private socket and config, and
# podman with runc and busybox-static, with which the context tests run a container from a local root file system,
# and the other architectures' kernel headers and gcc-multilib (see not_installed below). The packages' services are
# kept from starting: a running auditd would own the audit socket that the tests need, and the system rsyslog is not
# the tests'. First the BPF toolchain (clang, libbpf-dev, bpftool), with which the build
# compiles the BPF programs (tools/build-bpf.sh).
set -euo pipefail
bash "$(dirname "$0")/build-bpf.sh" --install-only
packages=()
if ! command -v auditctl >/dev/null || ! command -v ausearch >/dev/null; then
  packages+=(auditd)
fi
if [ ! -e /usr/include/linux/audit.h ]; then
  packages+=(linux-libc-dev)
fi
if ! command -v mkfs.ext4 >/dev/null; then
  packages+=(e2fsprogs)
fi
if ! command -v losetup >/dev/null; then
  packages+=(mount)
fi
if ! command -v ip >/dev/null; then
  packages+=(iproute2)
fi
if ! command -v ethtool >/dev/null; then
  packages+=(ethtool)
fi
if ! command -v rsyslogd >/dev/null; then
  packages+=(rsyslog)
fi
if ! command -v podman >/dev/null; then
  packages+=(podman)
fi
if [ ! -x /usr/sbin/runc ]; then
  packages+=(runc)
fi
# Each package of $@ that is not installed.
not_installed() {
  local package
  for package; do
    dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || packages+=("$package")
  done
}
not_installed busybox-static
# /usr/bin/time, with which bench/compare.sh and bench/fim.sh measure what they run.
not_installed time
# The other architectures' uapi headers, from which tools/gen-kernel-abi.sh generates their syscall tables, and the
# 32-bit (i386) compiler and libc with which the kernel tests build a 32-bit program.
not_installed linux-libc-dev-arm64-cross linux-libc-dev-armhf-cross linux-libc-dev-ppc64el-cross \
  linux-libc-dev-s390x-cross linux-libc-dev-riscv64-cross gcc-multilib
if [ ${#packages[@]} = 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-reference-tools: needs root to apt-get install ${packages[*]}" >&2
  exit 1
fi
policy=/usr/sbin/policy-rc.d
created=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created=1
fi
trap '[ "$created" = 1 ] && rm -f "$policy"' EXIT
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
if [[ " ${packages[*]} " == *" auditd "* ]]; then
  systemctl disable --now auditd >/dev/null 2>&1 || true
  pkill -x auditd || true
fi
if [[ " ${packages[*]} " == *" rsyslog "* ]]; then
  systemctl disable --now rsyslog syslog.socket >/dev/null 2>&1 || true
fi
