#!/bin/bash
# Records the row-builder workloads into OUTDIR/audit.log. Usage, as root from any folder:
#   flock /tmp/vigil-kernel.lock record.sh OUTDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../../../../tools/auditd-capture.sh"
out=$1
trap auditd_stop EXIT
auditd_start "$out" RAW
auditctl -a always,exit -F arch=b64 -S execve,execveat,connect,bind,accept,accept4 -k fixture
auditctl -e 1 >/dev/null
sleep 0.3
cd "$here"
echo "--- exec"; /usr/bin/python3 workload.py
echo "--- big"; /usr/bin/python3 big.py
echo "--- sockets"; /usr/bin/python3 sockets.py
echo "--- su"; su -s /bin/true nobody; su root -c true; script -qc "su -s /bin/true nobody" /dev/null
sleep 1
auditd_stop
/work/shared/tools/audit-state; echo "audit-state rc=$?"
