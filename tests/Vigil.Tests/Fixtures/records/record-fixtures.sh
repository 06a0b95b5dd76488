#!/bin/bash
# usage: record.sh FORMAT OUTDIR NAMEFORMAT
set -u
fmt=$1; out=$2; nf=$3
mkdir -p $out/plugins
cat > $out/auditd.conf <<CONF
local_events = yes
write_logs = yes
log_file = $out/audit.log
log_group = root
log_format = $fmt
flush = INCREMENTAL_ASYNC
freq = 50
max_log_file = 50
num_logs = 1
priority_boost = 0
name_format = $nf
name = fixture-node
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
auditctl -a always,exit -F arch=b64 -S execve,execveat,connect,bind -k vigil-fixture
/bin/echo "hello world" "say \"hi\"" plain 'naïve' > /dev/null
/bin/true a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12
/bin/true "$(head -c 20000 /dev/zero | tr '\0' x)"
/bin/true "$(head -c 12000 /dev/zero | tr '\0' ' ')"
auditctl -m "vigil fixture user message"
runuser -u root -- /bin/true
/usr/bin/python3.11 "$(dirname "$0")/fixture-syscalls.py"
sleep 0.5
auditctl -D
auditctl -e 0
sleep 0.5
kill $apid
wait $apid
/work/shared/tools/audit-state
echo "state rc=$?"
