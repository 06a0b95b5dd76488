#!/bin/bash
# Records context.log, the process tree of context.sh: every event of its processes and of those they made, in log
# order. Usage, as root from any folder:
#   flock /tmp/vigil-kernel.lock record-context.sh OUTDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../../../../tools/auditd-capture.sh"
out=$1
trap auditd_stop EXIT
auditd_start "$out" RAW
auditctl -a always,exit -F arch=b64 -S execve,execveat,connect,fork,vfork,clone,clone3,kill,tkill,tgkill -k fixture
auditctl -e 1 >/dev/null
sleep 0.3
"$here/context.sh"
sleep 1
auditd_stop
/work/shared/tools/audit-state; echo "audit-state rc=$?"
/usr/bin/python3 "$here/tree.py" "$out/audit.log" context.sh >"$out/context.log"
