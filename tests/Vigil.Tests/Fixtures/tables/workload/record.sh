#!/bin/bash
set -u
cd /tmp/vigil-tables-rec
rm -f log/audit.log*
auditd -n -c /tmp/vigil-tables-rec/conf &
AUDITD=$!
sleep 1.5
auditctl -D >/dev/null
auditctl -a always,exit -F arch=b64 -S execve,execveat,connect,bind,accept,accept4 -k fixture
auditctl -e 1 >/dev/null
sleep 0.3
echo "--- exec"; /usr/bin/python3 workload.py
echo "--- big"; /usr/bin/python3 big.py
echo "--- sockets"; /usr/bin/python3 sockets.py
echo "--- su"; su -s /bin/true nobody; su root -c true; script -qc "su -s /bin/true nobody" /dev/null
sleep 1
auditctl -D >/dev/null; auditctl -e 0 >/dev/null
sleep 0.5
kill $AUDITD; wait $AUDITD
/work/shared/tools/audit-state; echo "audit-state rc=$?"
