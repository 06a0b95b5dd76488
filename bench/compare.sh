#!/usr/bin/env bash
# Compares the cost of consuming the same audit events with no auditing, auditd (RAW and ENRICHED), vigil daemon on
# audit and vigil daemon on its BPF programs (vigil-bpf: --event_source=bpf, no audit rules at all), then the offline
# reading of one recorded auditd log by vigil shell and by ausearch -i.
#
# Usage (as root, from the repository root): bench/compare.sh [--rates "200 600 2000"] [--duration 10]
#        [--offline_duration 40] [--offline_runs 3] [--skip_offline] [--offline_only] [--offline_log FILE]
#        [--results FILE|-]
#   or, for one contender: VIGIL=<vigil> [STRESS=<vigil>] flock /tmp/vigil-kernel.lock bench/compare.sh _contender
#        NAME RATE DURATION DIR    (NAME: none, auditd-raw, auditd-enriched, vigil, vigil-bpf)
# VIGIL is the vigil under test (default: a ReadyToRun build published into the work directory; the shipped NativeAOT
# one is artifacts/publish/vigil after tools/package.sh); STRESS the vigil
# whose `stress` command generates the workload (default: VIGIL); VIGIL_FLAGS more flags for the vigil and vigil-bpf
# daemons (e.g. --audit_hash_executables=true), split on spaces.
# --offline_only skips the live contenders; --offline_log reads an already recorded RAW log instead of recording one
# (the kernel is then not touched at all), so contenders can be compared on the same file; --offline_runs runs each
# offline command that many times, one after the other in turn, and reports the run of median wall time of each (a
# single run of a second or less moves with whatever else the machine does).
# Every contender runs under flock /tmp/vigil-kernel.lock with the same rules, backlog limit and workload; the kernel
# audit state is restored (rules deleted, auditing disabled, settings put back, consumer killed) on exit, even on failure.
set -euo pipefail

LOCK=/tmp/vigil-kernel.lock
RULE=(-a always,exit -F arch=b64 -S execve,execveat,connect,bind)
BACKLOG_LIMIT=8192
# Vigil's default --audit_backlog_wait_time is 0 (lose rather than stall the audited process); every contender gets
# the same so that "lost" means the same thing for all of them.
BACKLOG_WAIT=0
REPO=$(cd "$(dirname "$0")/.." && pwd)
# The vigil under test; by default compare.sh publishes one ReadyToRun build into its work directory and every vigil
# run uses it (a fresh daemon would otherwise spend its first seconds, the measured window, in the JIT).
VIGIL=${VIGIL:-}
# The workload generator; by default the vigil under test, or one fixed build when comparing builds.
STRESS=${STRESS:-}
read -r -a VIGIL_FLAGS <<<"${VIGIL_FLAGS:-}"
AUDIT_STATE=${AUDIT_STATE:-/work/shared/tools/audit-state}
TICKS=$(getconf CLK_TCK)
# auditd_write_conf, audit_wait_owner
source "$REPO/tools/auditd-capture.sh"
# vigil_under_test
source "$REPO/bench/vigil-under-test.sh"

cpu_ticks() { # utime+stime of a pid, from the fields after the ')' of /proc/<pid>/stat
  local rest
  rest=$(sed 's/.*) //' "/proc/$1/stat")
  awk '{ print $12 + $13 }' <<<"$rest"
}

hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

# A run's directory must be new or empty: a daemon's database, log or stress output left by an earlier run would be
# counted again.
fresh_dir() {
  if [[ -n $(ls -A "$1" 2>/dev/null) ]]; then
    echo "$1 is not empty: give each run a new directory" >&2
    exit 2
  fi
  mkdir -p "$1"
}

# One contender, run under the kernel lock: prints one "key=value ..." line.
contender() {
  local name=$1 rate=$2 duration=$3 dir=$4
  fresh_dir "$dir"
  consumer=""
  audit_state_save
  restore() {
    if [[ -n $consumer ]] && kill -0 "$consumer" 2>/dev/null; then
      kill -TERM "$consumer" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$consumer" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$consumer" 2>/dev/null || true
    fi
    audit_state_restore
    "$AUDIT_STATE" >&2 || echo "warning: audit state not clean after $name" >&2
  }
  trap restore EXIT

  auditctl -D >/dev/null
  auditctl -e 0 >/dev/null
  auditctl -b "$BACKLOG_LIMIT" --backlog_wait_time "$BACKLOG_WAIT" >/dev/null
  case $name in
    none) ;;
    auditd-raw | auditd-enriched)
      auditd_write_conf "$dir" "$([[ $name == auditd-raw ]] && echo RAW || echo ENRICHED)"
      auditd -n -s nochange -c "$dir" >"$dir/auditd.out" 2>&1 &
      consumer=$!
      audit_wait_owner "$consumer"
      auditctl "${RULE[@]}" >/dev/null
      auditctl -e 1 >/dev/null
      ;;
    vigil | vigil-bpf)
      cat >"$dir/vigil.conf" <<EOF
{"schedule": {
  "process_events": {"query": "SELECT * FROM process_events", "interval": 10},
  "socket_events": {"query": "SELECT * FROM socket_events", "interval": 10}}}
EOF
      mkdir -p "$dir/log"
      "$VIGIL" daemon --config_path="$dir/vigil.conf" --database_path="$dir/vigil.db" --logger_path="$dir/log" \
        --disable_audit=false --audit_allow_config=true --audit_allow_sockets=true \
        --audit_allow_accept_socket_events=false --audit_backlog_limit="$BACKLOG_LIMIT" \
        --audit_backlog_wait_time="$BACKLOG_WAIT" --event_source="$([[ $name == vigil-bpf ]] && echo bpf || echo audit)" "${VIGIL_FLAGS[@]}" >"$dir/daemon.out" 2>&1 &
      consumer=$!
      if [[ $name == vigil ]]; then
        audit_wait_owner "$consumer"
        # The daemon installs its rules after taking the socket; wait until they are in.
        for _ in $(seq 100); do [[ $(auditctl -l | grep -c syscall) -gt 0 ]] && break; sleep 0.1; done
      else
        for _ in $(seq 300); do grep -q 'BPF programs attached' "$dir/log/vigil.INFO" 2>/dev/null && break; sleep 0.1; done
      fi
      ;;
  esac

  local lost0 cpu0=0 cpu1=0 start end hwm=0 lost1 backlog
  lost0=$(audit_status_field lost)
  [[ -n $consumer ]] && cpu0=$(cpu_ticks "$consumer")
  start=$(date +%s.%N)
  # A bound on the workload, so a hung generator cannot hold the kernel lock.
  timeout $((duration * 5 + 60)) "$STRESS" stress --stress_rate="$rate" --stress_duration="$duration" >"$dir/stress.out" 2>/dev/null
  end=$(date +%s.%N)
  [[ -n $consumer ]] && cpu1=$(cpu_ticks "$consumer")
  sleep 2
  [[ -n $consumer ]] && hwm=$(hwm_kb "$consumer")
  lost1=$(audit_status_field lost)
  backlog=$(audit_status_field backlog)

  # Stop the consumer (auditd flushes its log, vigil commits its batch) before counting.
  if [[ -n $consumer ]]; then
    kill -TERM "$consumer"
    wait "$consumer" 2>/dev/null || true
    consumer=""
  fi

  local run launched sent recorded=- connects=-
  run=$(awk '$1 == "run:" { print $2 }' "$dir/stress.out")
  launched=$(awk '$1 == "launched:" { print $2 }' "$dir/stress.out")
  sent=$(awk '$1 == "datagrams" && $2 == "sent:" { print $3 }' "$dir/stress.out")
  case $name in
    auditd-*)
      recorded=$(grep '^type=EXECVE' "$dir/audit.log" | grep -o "vigil-stress-$run-[0-9]*" | sort -u | wc -l)
      # The stress process's connect() calls: SYSCALL records of connect (42) from its pid.
      connects=$(grep '^type=SYSCALL' "$dir/audit.log" | grep -c ' syscall=42 .*exe="[^"]*/vigil"' || true)
      ;;
    vigil | vigil-bpf)
      recorded=$("$VIGIL" shell --database_path="$dir/vigil.db" --csv \
        "SELECT count(DISTINCT cmdline) FROM process_events WHERE cmdline LIKE '%vigil-stress-$run-%'" | tail -n 1)
      connects=$("$VIGIL" shell --database_path="$dir/vigil.db" --csv \
        "SELECT count(*) FROM socket_events WHERE action = 'connect' AND path LIKE '%/vigil'" | tail -n 1)
      ;;
  esac

  # The BPF programs count what the ring buffer had no room for; the daemon logs the total as it stops.
  [[ $name == vigil-bpf ]] && lost1=$((lost0 + $(grep -o 'records sent [0-9]*, lost [0-9]*' "$dir/log/vigil.INFO" | awk '{ print $NF }')))
  trap - EXIT
  restore
  printf 'name=%s rate=%s wall=%.3f cpu=%.2f hwm_mb=%.1f lost=%s backlog=%s launched=%s recorded=%s sent=%s connects=%s\n' \
    "$name" "$rate" "$(echo "$end - $start" | bc)" "$(echo "($cpu1 - $cpu0) / $TICKS" | bc -l)" \
    "$(echo "$hwm / 1024" | bc -l)" "$((lost1 - lost0))" "$backlog" "$launched" "$recorded" "$sent" "$connects"
}

# Records a RAW auditd log of the stress workload for the offline comparison; prints its path.
record_log() {
  local duration=$1 dir=$2
  fresh_dir "$dir"
  consumer=""
  audit_state_save
  restore() {
    [[ -n $consumer ]] && kill -TERM "$consumer" 2>/dev/null && wait "$consumer" 2>/dev/null || true
    audit_state_restore
    "$AUDIT_STATE" >&2 || echo "warning: audit state not clean after recording" >&2
  }
  trap restore EXIT
  auditd_write_conf "$dir" RAW
  auditctl -D >/dev/null
  auditctl -b "$BACKLOG_LIMIT" --backlog_wait_time "$BACKLOG_WAIT" >/dev/null
  auditd -n -s nochange -c "$dir" >"$dir/auditd.out" 2>&1 &
  consumer=$!
  audit_wait_owner "$consumer"
  auditctl "${RULE[@]}" >/dev/null
  auditctl -e 1 >/dev/null
  "$STRESS" stress --stress_rate=2000 --stress_duration="$duration" >"$dir/stress.out" 2>/dev/null
  sleep 2
  kill -TERM "$consumer"
  wait "$consumer" 2>/dev/null || true
  consumer=""
  trap - EXIT
  restore
}

# A signal becomes an ordinary exit, so the EXIT traps that restore the kernel state run.
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ ${1:-} == _contender || ${1:-} == _record ]]; then
  [[ -x $VIGIL ]] || { echo "$1 needs VIGIL=<vigil executable>" >&2; exit 2; }
  STRESS=${STRESS:-$VIGIL}
fi
if [[ ${1:-} == _contender ]]; then
  shift
  contender "$@"
  exit
fi
if [[ ${1:-} == _record ]]; then
  shift
  record_log "$@"
  exit
fi

RATES="200 600 2000"
DURATION=10
OFFLINE_DURATION=40
OFFLINE_RUNS=3
OFFLINE=1
LIVE=1
OFFLINE_LOG=""
# The report goes under the title of bench/RESULTS.md, newest first, unless --results names another file (appended
# to) or is "-" (printed only).
RESULTS="$REPO/bench/RESULTS.md"
while [[ $# -gt 0 ]]; do
  case $1 in
    --rates) RATES=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --offline_duration) OFFLINE_DURATION=$2; shift 2 ;;
    --offline_runs) OFFLINE_RUNS=$2; shift 2 ;;
    --skip_offline) OFFLINE=0; shift ;;
    --offline_only) LIVE=0; shift ;;
    --offline_log) OFFLINE_LOG=$2; shift 2 ;;
    --results) RESULTS=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

[[ $(id -u) == 0 ]] || { echo "compare.sh needs root (auditctl, auditd)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/vigil-compare.XXXXXX)
echo "work directory: $WORK" >&2
vigil_under_test "$WORK"
STRESS=${STRESS:-$VIGIL}
export VIGIL STRESS

table=$(mktemp)
{
  echo "| Rate asked (exec/s) | Contender | Workload wall (s) | Consumer CPU (s) | Peak RSS (MB) | Lost | Execs recorded / launched | Connects recorded / sent |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|"
} >"$table"
for rate in $( ((LIVE)) && echo "$RATES"); do
  for name in none auditd-raw auditd-enriched vigil vigil-bpf; do
    line=$(flock "$LOCK" "$0" _contender "$name" "$rate" "$DURATION" "$WORK/$name-$rate")
    echo "$line" >&2
    eval "$(tr ' ' '\n' <<<"$line" | sed 's/^/r_/')"
    if [[ $name == none ]]; then
      echo "| $rate | $r_name | $r_wall | - | - | - | - (launched $r_launched) | - (sent $r_sent) |" >>"$table"
    else
      echo "| $rate | $r_name | $r_wall | $r_cpu | $r_hwm_mb | $r_lost | $r_recorded / $r_launched | $r_connects / $r_sent |" >>"$table"
    fi
  done
done

offline=$(mktemp)
if [[ $OFFLINE == 1 ]]; then
  if [[ -n $OFFLINE_LOG ]]; then
    log=$OFFLINE_LOG
  else
    flock "$LOCK" "$0" _record "$OFFLINE_DURATION" "$WORK/offline"
    log=$WORK/offline/audit.log
  fi
  events=$(grep -o 'msg=audit([0-9.:]*)' "$log" | sort -u | wc -l)
  size=$(stat -c %s "$log")
  commands=(
    "ausearch -if $log -i"
    "$VIGIL shell --audit_log_file=$log --json 'SELECT * FROM process_events'"
    "$VIGIL shell --audit_log_file=$log --json 'SELECT * FROM socket_events'"
    "$VIGIL shell --audit_log_file=$log --json 'SELECT * FROM process_events; SELECT * FROM socket_events'"
  )
  labels=(
    "\`ausearch -if F -i\`"
    "\`vigil shell --audit_log_file=F --json 'SELECT * FROM process_events'\`"
    "\`vigil shell --audit_log_file=F --json 'SELECT * FROM socket_events'\`"
    "\`vigil shell --audit_log_file=F --json 'SELECT * FROM process_events; SELECT * FROM socket_events'\`"
  )
  # Each run appends "wall user+sys rss_kb" to its command's file; the commands take turns so that a slow spell of the
  # machine falls on all of them.
  for ((run = 0; run < OFFLINE_RUNS; run++)); do
    for i in "${!commands[@]}"; do
      /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.out" bash -c "${commands[$i]}" >/dev/null 2>"$WORK/time.err"
      read -r wall user sys rss <"$WORK/time.out"
      echo "$wall $(echo "$user + $sys" | bc) $rss" >>"$WORK/offline.$i"
    done
  done
  {
    if [[ -n $OFFLINE_LOG ]]; then
      echo "Log: $events events, $((size / 1024)) KB, $OFFLINE_LOG."
    else
      echo "Log: $events events, $((size / 1024)) KB, recorded by auditd RAW during \`vigil stress --stress_rate=2000 --stress_duration=$OFFLINE_DURATION\`."
    fi
    echo
    echo "Each command run $OFFLINE_RUNS times in turn; the run of median wall time is shown, every wall time in the last column."
    echo
    echo "| Command (output to /dev/null) | Wall (s) | CPU (s) | Peak RSS (MB) | Events/s of log | Every run's wall (s) |"
    echo "|---|---:|---:|---:|---:|---|"
    for i in "${!commands[@]}"; do
      read -r wall cpu rss < <(sort -n "$WORK/offline.$i" | sed -n "$(((OFFLINE_RUNS + 1) / 2))p")
      echo "| ${labels[$i]} | $wall | $cpu | $((rss / 1024)) | $(echo "$events / $wall" | bc) | $(cut -d' ' -f1 "$WORK/offline.$i" | paste -sd' ') |"
    done
  } >"$offline"
fi

live=""
if ((LIVE)); then
  live="Rule \`auditctl ${RULE[*]}\` (vigil installs the same syscalls itself; vigil-bpf installs no rule and reads its
BPF programs, its Lost being the records its ring buffer had no room for), backlog_limit $BACKLOG_LIMIT, backlog_wait_time
$BACKLOG_WAIT, workload \`vigil stress --stress_rate=R --stress_duration=$DURATION\`. Consumer CPU is utime+stime of the
auditd or vigil daemon process between just before and just after the workload; peak RSS its VmHWM 2 s after.

$(cat "$table")"
fi
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
memory_gib=$(awk '/^MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
report="## bench/compare.sh ($(date -u '+%Y-%m-%d %H:%M UTC'), ${cpu_model:-unknown CPU}, $(nproc) cores, ${memory_gib} GiB, $(uname -r), load average at end $(cut -d' ' -f1-3 /proc/loadavg))

$live

$(cat "$offline")"
echo "$report"
if [[ $RESULTS == "$REPO/bench/RESULTS.md" && $(head -n 1 "$RESULTS" 2>/dev/null) == "# "* ]]; then
  # Rewritten in place (not replaced by a new file), so the checkout's owner keeps the file though this runs as root.
  updated=$(mktemp)
  { head -n 2 "$RESULTS"; printf '%s\n\n' "$report"; tail -n +3 "$RESULTS"; } >"$updated"
  cat "$updated" >"$RESULTS"
  rm -f "$updated"
  echo "report added to $RESULTS" >&2
elif [[ $RESULTS != - ]]; then
  printf '\n%s\n' "$report" >>"$RESULTS"
  echo "report appended to $RESULTS" >&2
fi
rm -f "$table" "$offline"
