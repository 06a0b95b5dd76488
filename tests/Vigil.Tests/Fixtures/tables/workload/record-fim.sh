#!/bin/bash
# Records fim.log: fim.py under the rules Vigil installs for process_file_events with --audit_fim_fd_events and
# --audit_fim_show_directories (the path syscalls scoped to the watched directory, the descriptor syscalls and execs of
# every process but auditd, fcntl only copying a descriptor; auditctl names pwrite64 pwrite), then the events of fim.py's process tree. Usage, as root from any folder:
#   flock /tmp/vigil-kernel.lock record-fim.sh OUTDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../../../../tools/auditd-capture.sh"
out=$1
w=/tmp/vigil-fim-fixture/w
u=/tmp/vigil-fim-fixture/u
rm -rf /tmp/vigil-fim-fixture
mkdir -p "$w/skip" "$u"
printf x >"$w/existing.txt"
printf x >"$u/in.txt"
trap auditd_stop EXIT
auditd_start "$out" RAW
auditctl -a never,exit -F arch=b64 -S all -F pid="$AUDITD_PID" -k fixture
auditctl -a always,exit -F arch=b64 -S open,openat,openat2,creat,truncate,link,linkat,symlink,symlinkat,unlink,unlinkat,rename,renameat,renameat2,mkdir,mkdirat,rmdir -F dir="$w" -k fixture
auditctl -a always,exit -F arch=b64 -S write,writev,pwrite,pwritev,pwritev2,ftruncate,close,close_range,dup,dup2,dup3,execve,execveat -k fixture
auditctl -a always,exit -F arch=b64 -S fcntl -F a1=0 -k fixture
auditctl -a always,exit -F arch=b64 -S fcntl -F a1=1030 -k fixture
auditctl -e 1 >/dev/null
sleep 0.3
/usr/bin/python3 "$here/fim.py" "$w" "$u" &
workload=$!
wait $workload
sleep 1
auditd_stop
/work/shared/tools/audit-state; echo "audit-state rc=$?"
/usr/bin/python3 "$here/tree.py" "$out/audit.log" pid=$workload >"$out/fim.log"
rm -rf /tmp/vigil-fim-fixture
