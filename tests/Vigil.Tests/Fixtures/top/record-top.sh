#!/bin/bash
# Records top.log: auditd (RAW, own config, foreground) with execve/connect/bind rules over a workload whose
# executables repeat a known number of times. Run as root under flock /tmp/vigil-kernel.lock; leaves the kernel clean.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
mkdir -p $out/plugins
cat > $out/auditd.conf <<CONF
local_events = yes
write_logs = yes
log_file = $out/audit.log
log_group = root
log_format = RAW
flush = INCREMENTAL_ASYNC
freq = 50
max_log_file = 50
num_logs = 1
priority_boost = 0
name_format = NONE
max_log_file_action = IGNORE
space_left = 2
space_left_action = IGNORE
admin_space_left = 1
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
plugin_dir = $out/plugins
CONF
auditd -n -c $out &
apid=$!
sleep 1.5
auditctl -a always,exit -F arch=b64 -S execve,connect,bind -k vigil-top
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
auditctl -D
auditctl -e 0
sleep 0.5
kill $apid
wait $apid
cp $out/audit.log "$here/top.log"
rm -rf $out
/work/shared/tools/audit-state
echo "state rc=$?"
