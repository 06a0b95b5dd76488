#!/usr/bin/env bash
# Two figures of vigil daemon with its database on a full file system (issue 18): the memory the daemon holds per
# 10,000 events waiting for the store, and the time from space returning to the first event stored.
#
# Usage (as root, from the repository root): flock /tmp/vigil-kernel.lock bench/faults.sh [--events N] [--rounds R]
# VIGIL is the vigil under test (default: a ReadyToRun build published into the work directory, as compare.sh does).
#
# Each round: the daemon starts with its database on a 64 MB tmpfs and its logs on the work directory's disk; 2,000
# marked execs are stored to warm it up; the tmpfs is filled; `vigil stress -n N` launches N marked shells, whose events
# wait in the daemon's queue; its resident set is read before and after (VmRSS, 3 s after the workload, so the queue is
# settled). The tmpfs then grows, and a reader polls the database every 5 ms for the first event stored after that.
# The events that waited are counted exactly afterwards: the rows stored in all, less those stored before the fill.
# The kernel audit state is restored on exit, even on failure (the daemon's own stop; then rules deleted, audit off).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
VIGIL=${VIGIL:-}
AUDIT_STATE=${AUDIT_STATE:-/work/shared/tools/audit-state}
EVENTS=40000
ROUNDS=3
while [[ $# -gt 0 ]]; do
  case $1 in
    --events) EVENTS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ $(id -u) == 0 ]] || { echo "faults.sh needs root (mount, the audit socket)" >&2; exit 1; }

# vigil_under_test
source "$REPO/bench/vigil-under-test.sh"
WORK=$(mktemp -d /tmp/vigil-faults.XXXXXX)
echo "work directory: $WORK" >&2
vigil_under_test "$WORK"

daemon=""
cleanup() {
  if [[ -n $daemon ]] && kill -0 "$daemon" 2>/dev/null; then
    kill -TERM "$daemon" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$daemon" 2>/dev/null || true
  fi
  umount "$WORK/db" 2>/dev/null || umount -l "$WORK/db" 2>/dev/null || true
  "$AUDIT_STATE" >&2 || echo "warning: audit state not clean" >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
stored() { python3 -c "import sqlite3,sys; print(sqlite3.connect('file:'+sys.argv[1]+'?mode=ro', uri=True).execute('SELECT count(*) FROM process_events_data').fetchone()[0])" "$WORK/db/vigil.db"; }

# Polls the database until it holds more than $1 rows; prints the seconds from $2 (a date +%s.%N) to that moment.
first_stored_after() {
  python3 - "$WORK/db/vigil.db" "$1" "$2" <<'PY'
import sqlite3, sys, time
db, before, since = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
connection = sqlite3.connect('file:' + db + '?mode=ro', uri=True)
while connection.execute('SELECT count(*) FROM process_events_data').fetchone()[0] <= before:
    time.sleep(0.005)
print(f"{time.time() - since:.3f}")
PY
}

echo '{"schedule": {}}' >"$WORK/vigil.conf"
for round in $(seq "$ROUNDS"); do
  dir=$WORK/round-$round
  mkdir -p "$dir/log" "$WORK/db"
  mount -t tmpfs -o size=64m,mode=0700 tmpfs "$WORK/db"
  "$VIGIL" daemon --config_path="$WORK/vigil.conf" --database_path="$WORK/db/vigil.db" --logger_path="$dir/log" \
    --disable_audit=false --audit_allow_config=true --audit_allow_user_events=false --audit_backlog_limit=65536 \
    --database_space_left=0 --watchdog_memory_limit=4096 --events_max=0 --events_expiry=0 >"$dir/daemon.out" 2>&1 &
  daemon=$!
  for _ in $(seq 300); do grep -q "vigil daemon started" "$dir/log/vigil.INFO" 2>/dev/null && break; sleep 0.1; done
  "$VIGIL" stress -n 2000 >/dev/null 2>&1
  sleep 2
  dd if=/dev/zero of="$WORK/db/filler" bs=64k 2>/dev/null || true
  sleep 2
  before=$(stored)
  rss0=$(rss_kb "$daemon")
  "$VIGIL" stress -n "$EVENTS" >"$dir/stress.out" 2>/dev/null
  sleep 3
  rss1=$(rss_kb "$daemon")
  grep -q "Cannot store events" "$dir/log/vigil.INFO" || { echo "round $round: the store never failed" >&2; exit 1; }

  since=$(date +%s.%N)
  mount -o remount,size=1g "$WORK/db"
  latency=$(first_stored_after "$before" "$since")
  for _ in $(seq 600); do grep -q "Storing events works again" "$dir/log/vigil.INFO" && break; sleep 0.1; done
  sleep 3
  kill -TERM "$daemon"
  wait "$daemon" || true
  daemon=""
  stop=$(grep -o 'vigil daemon stopped; .*' "$dir/log/vigil.INFO")
  total=$(stored)
  waited=$((total - before))
  umount "$WORK/db"
  echo "round=$round waited=$waited rss_before_kb=$rss0 rss_after_kb=$rss1 kb_per_10000=$(( (rss1 - rss0) * 10000 / waited )) first_stored_s=$latency stop=\"$stop\""
done
