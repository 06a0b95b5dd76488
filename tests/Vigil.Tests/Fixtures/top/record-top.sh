#!/bin/bash
# Records top.log: auditd (RAW, own config, foreground) with execve/connect/bind rules over a workload whose
# executables repeat a known number of times. Run as root under flock /tmp/vigil-kernel.lock; leaves the kernel clean.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
source "$here/../../../../tools/auditd-capture.sh"
trap auditd_stop EXIT
auditd_start "$out" RAW
auditctl -a always,exit -F arch=b64 -S execve,connect,bind -k vigil-top
auditctl -e 1 >/dev/null
for i in $(seq 30); do /usr/bin/true $i; done
for i in $(seq 12); do /usr/bin/echo $i > /dev/null; done
for i in $(seq 4); do /usr/bin/sleep 0; done
/usr/bin/python3.11 -c '
import socket
for i in range(25):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect(("127.0.0.1", 9))
    s.close()
for i in range(3):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.close()
'
sleep 0.5
auditd_stop
cp $out/audit.log "$here/top.log"
rm -rf $out
/work/shared/tools/audit-state
echo "state rc=$?"
