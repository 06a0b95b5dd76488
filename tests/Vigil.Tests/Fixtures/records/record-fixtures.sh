#!/bin/bash
# Records raw.log / enriched.log material. Usage, as root from any folder:
#   flock /tmp/vigil-kernel.lock record-fixtures.sh FORMAT OUTDIR NAME_FORMAT   (RAW … NONE, or ENRICHED … USER)
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../../../tools/auditd-capture.sh"
fmt=$1; out=$2; nf=$3
trap auditd_stop EXIT
auditd_start "$out" "$fmt" "$nf" fixture-node
auditctl -a always,exit -F arch=b64 -S execve,execveat,connect,bind -k vigil-fixture
auditctl -e 1 >/dev/null
/bin/echo "hello world" "say \"hi\"" plain 'naïve' > /dev/null
/bin/true a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12
/bin/true "$(head -c 20000 /dev/zero | tr '\0' x)"
/bin/true "$(head -c 12000 /dev/zero | tr '\0' ' ')"
auditctl -m "vigil fixture user message"
runuser -u root -- /bin/true
/usr/bin/python3.11 "$here/fixture-syscalls.py"
sleep 0.5
auditd_stop
/work/shared/tools/audit-state
