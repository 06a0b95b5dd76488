#!/usr/bin/env bash
# Installs auditd's user-space tools (auditctl, ausearch, aureport), which the comparison tests run as a reference.
# The package's service is kept from starting: a running auditd would own the audit socket that the tests need.
set -euo pipefail
if command -v auditctl >/dev/null && command -v ausearch >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-reference-tools: needs root to apt-get install auditd" >&2
  exit 1
fi
policy=/usr/sbin/policy-rc.d
created=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created=1
fi
trap '[ "$created" = 1 ] && rm -f "$policy"' EXIT
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends auditd >/dev/null
systemctl disable --now auditd >/dev/null 2>&1 || true
pkill -x auditd || true
