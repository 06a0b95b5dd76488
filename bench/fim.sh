#!/usr/bin/env bash
# What process_file_events' kernel rules cost a file-heavy workload: tar unpacks 20,000 small files and rm -rf deletes
# them, in a directory nothing watches with audit off (none), with vigil daemon's process rules alone
# (vigil-processes-only: the audit context every audit consumer's rules turn on), with vigil daemon watching another directory
# (vigil-unwatched), in the directory vigil watches (vigil-watched), and in a directory auditd watches with the
# equivalent -w DIR -p wa rule (auditd-watched; auditd-unwatched beside it), and with vigil daemon on its BPF programs
# (vigil-bpf-unwatched, vigil-bpf-watched: --event_source=bpf, no audit rule). Vigil runs with --audit_allow_fim_events
# alone (no process, socket or user events, no --audit_fim_fd_events), auditd writes RAW. Both get the same backlog
# limit (BACKLOG_LIMIT, default 65536) and backlog_wait_time 0, so a record the consumer cannot keep up with is lost,
# never waited for, for both.
#
# Usage (as root, from the repository root): VIGIL=<vigil> flock /tmp/vigil-kernel.lock bench/fim.sh
# VIGIL is the vigil under test (default: a ReadyToRun build published into the work directory). Prints one line per
# contender: workload wall time, the workload's CPU, the consumer's CPU from just before the workload to 3 s after it, the records it
# kept (vigil: process_file_events rows; auditd: SYSCALL records) and the kernel's lost counter's rise.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
AUDIT_STATE=${AUDIT_STATE:-/work/shared/tools/audit-state}
TICKS=$(getconf CLK_TCK)
FILES=20000
BACKLOG_LIMIT=${BACKLOG_LIMIT:-65536}
source "$REPO/tools/auditd-capture.sh"
source "$REPO/bench/vigil-under-test.sh"

work=$(mktemp -d /tmp/vigil-fimbench-XXXXXX)
vigil_under_test "$work"
audit_state_save
consumer=""
cleanup() {
  if [[ -n $consumer ]] && kill -0 "$consumer" 2>/dev/null; then kill -TERM "$consumer"; wait "$consumer" 2>/dev/null || true; fi
  audit_state_restore
  "$AUDIT_STATE" >&2 || echo "warning: audit state not clean" >&2
  umount "$work/fs" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# The workload's directories are on a tmpfs: on the VM's disk the same unpack took anywhere from 1.6 to 10 s
# without audit, which hid the cost of the rules in the noise of writeback.
mkdir -p "$work/fs"
mount -t tmpfs -o size=1g vigil-fimbench "$work/fs"
mkdir -p "$work/src/files" "$work/fs/watched" "$work/fs/unwatched"
python3 -c "
import os, sys
for i in range($FILES):
    with open(os.path.join(sys.argv[1], f'f{i:05d}.txt'), 'w') as f:
        f.write('x' * 100)
" "$work/src/files"
tar -cf "$work/files.tar" -C "$work/src" files
rm -rf "$work/src"

# One run of the workload in $2 for contender $1; prints its line.
measure() {
  local name=$1 dir=$2 cpu0=0 cpu1=0 lost0 lost1 start end
  lost0=$(audit_status_field lost)
  [[ -n $consumer ]] && cpu0=$(cpu_ticks "$consumer")
  start=$(date +%s.%N)
  # The workload's own CPU (user and system, the kernel's per-call work included) moves less with the machine's
  # other load than its wall time.
  workload_cpu=$(/usr/bin/time -f '%U %S' sh -c "tar -xf '$work/files.tar' -C '$dir' && rm -rf '$dir/files'" 2>&1 | awk '{ print $1 + $2 }')
  end=$(date +%s.%N)
  sleep 3
  [[ -n $consumer ]] && cpu1=$(cpu_ticks "$consumer")
  lost1=$(audit_status_field lost)
  printf '%s wall_s=%.2f workload_cpu_s=%.2f consumer_cpu_s=%.2f lost=%d' "$name" "$(echo "$end - $start" | bc)" "$workload_cpu" \
    "$(echo "($cpu1 - $cpu0) / $TICKS" | bc -l)" $((lost1 - lost0))
}

auditctl -D >/dev/null
auditctl -e 0 >/dev/null
echo "$(measure none "$work/fs/unwatched") kept=-"

# The floor any audit consumer pays: Vigil's process rules alone (execve, no file rule), which already make the kernel
# keep an audit context with the names of every path call.
mkdir -p "$work/log-processes"
echo '{}' >"$work/processes.conf"
chmod 600 "$work/processes.conf"
"$VIGIL" daemon --config_path="$work/processes.conf" --database_path="$work/processes.db" --logger_path="$work/log-processes" \
  --disable_audit=false --audit_allow_config=true --audit_allow_user_events=false \
  --audit_backlog_limit="$BACKLOG_LIMIT" --audit_backlog_wait_time=0 >"$work/daemon-processes.out" 2>&1 &
consumer=$!
audit_wait_owner "$consumer"
for _ in $(seq 100); do [[ $(auditctl -l | grep -c "execve") -gt 0 ]] && break; sleep 0.1; done
sleep 2
line=$(measure vigil-processes-only "$work/fs/unwatched")
kill -TERM "$consumer"
wait "$consumer" 2>/dev/null || true
consumer=""
echo "$line kept=-"
auditctl -D >/dev/null
auditctl -e 0 >/dev/null

cat >"$work/vigil.conf" <<CONF
{"file_paths": {"bench": ["$work/fs/watched/%%"]}}
CONF
chmod 600 "$work/vigil.conf"
mkdir -p "$work/log"
"$VIGIL" daemon --config_path="$work/vigil.conf" --database_path="$work/vigil.db" --logger_path="$work/log" \
  --disable_audit=false --audit_allow_config=true --audit_allow_process_events=false --audit_allow_user_events=false \
  --audit_allow_fim_events=true --audit_backlog_limit="$BACKLOG_LIMIT" --audit_backlog_wait_time=0 >"$work/daemon.out" 2>&1 &
consumer=$!
audit_wait_owner "$consumer"
for _ in $(seq 100); do [[ $(auditctl -l | grep -c "dir=") -gt 0 ]] && break; sleep 0.1; done
sleep 2
line_unwatched=$(measure vigil-unwatched "$work/fs/unwatched")
line_watched=$(measure vigil-watched "$work/fs/watched")
kill -TERM "$consumer"
wait "$consumer" 2>/dev/null || true
consumer=""
rows() { "$VIGIL" shell --database_path="$work/vigil.db" --csv "SELECT count(*) FROM process_file_events WHERE path LIKE '$work/fs/$1/%'" | tail -n 1; }
echo "$line_unwatched kept=$(rows unwatched)"
echo "$line_watched kept=$(rows watched)"
auditctl -D >/dev/null
auditctl -e 0 >/dev/null

# The BPF source (--event_source=bpf): no audit rule at all; the programs on the syscall tracepoints match each file
# call's path against the watched directories in the kernel. Its lost figure is the programs' own count of records the
# ring buffer had no room for, which the daemon logs as it stops.
mkdir -p "$work/log-bpf"
"$VIGIL" daemon --config_path="$work/vigil.conf" --database_path="$work/bpf.db" --logger_path="$work/log-bpf" \
  --disable_audit=false --event_source=bpf --audit_allow_process_events=false --audit_allow_sockets=false \
  --audit_allow_user_events=false --audit_allow_fim_events=true >"$work/daemon-bpf.out" 2>&1 &
consumer=$!
for _ in $(seq 300); do grep -q 'BPF programs attached' "$work/log-bpf/vigil.INFO" 2>/dev/null && break; sleep 0.1; done
grep -q 'BPF programs attached' "$work/log-bpf/vigil.INFO" || { echo "vigil-bpf did not attach its programs: $(tail -n 3 "$work/daemon-bpf.out")" >&2; exit 1; }
sleep 2
line_unwatched=$(measure vigil-bpf-unwatched "$work/fs/unwatched")
line_watched=$(measure vigil-bpf-watched "$work/fs/watched")
kill -TERM "$consumer"
wait "$consumer" 2>/dev/null || true
consumer=""
bpf_lost=$(grep -o 'records sent [0-9]*, lost [0-9]*' "$work/log-bpf/vigil.INFO" | awk '{ print $NF }')
bpf_rows() { "$VIGIL" shell --database_path="$work/bpf.db" --csv "SELECT count(*) FROM process_file_events WHERE path LIKE '$work/fs/$1/%'" | tail -n 1; }
echo "$line_unwatched kept=$(bpf_rows unwatched) (the audit lost counter; the programs lost $bpf_lost over both runs)"
echo "$line_watched kept=$(bpf_rows watched)"

auditd_start "$work/auditd" RAW
consumer=$AUDITD_PID
auditctl -b "$BACKLOG_LIMIT" --backlog_wait_time 0 >/dev/null
auditctl -w "$work/fs/watched" -p wa >/dev/null
auditctl -e 1 >/dev/null
sleep 1
line_unwatched=$(measure auditd-unwatched "$work/fs/unwatched")
before=$(grep -c '^type=SYSCALL' "$work/auditd/audit.log" || true)
line_watched=$(measure auditd-watched "$work/fs/watched")
auditd_stop
consumer=""
after=$(grep -c '^type=SYSCALL' "$work/auditd/audit.log" || true)
echo "$line_unwatched kept=$before"
echo "$line_watched kept=$((after - before))"
