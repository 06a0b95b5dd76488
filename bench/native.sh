#!/usr/bin/env bash
# The native executable against the ReadyToRun build, side by side in one run: `vigil shell "SELECT 1"` wall time,
# the idle daemon's RSS, the peak RSS at the stress generator's maximum rate (compare.sh's vigil contender), and
# the sizes of the executable and the package.
#
# Usage (as root, from the repository root, after bash tools/package.sh): bench/native.sh [--runs 30] [--idle 20]
#   AOT (default artifacts/publish/vigil) and DEB (default the newest artifacts/vigil_*_amd64.deb) name what is
#   measured; the ReadyToRun build is published into a work directory. Prints a Markdown table.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
LOCK=/tmp/vigil-kernel.lock
RUNS=30
IDLE=20
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --idle) IDLE=$2; shift 2 ;;
    *) echo "usage: bench/native.sh [--runs N] [--idle SECONDS]" >&2; exit 2 ;;
  esac
done
AOT=${AOT:-$REPO/artifacts/publish/vigil}
DEB=${DEB:-$(ls -t "$REPO"/artifacts/vigil_*_amd64.deb | head -n 1)}
[[ -x $AOT ]] || { echo "$AOT is not an executable (run bash tools/package.sh)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/vigil-native.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# vigil_under_test
source "$REPO/bench/vigil-under-test.sh"
VIGIL=""
vigil_under_test "$WORK"
R2R=$VIGIL

# Median and minimum wall time in ms of RUNS runs of `vigil shell "SELECT 1"`, after one unmeasured run.
startup() {
  local vigil=$1 times=() start end
  "$vigil" shell "SELECT 1" >/dev/null
  for _ in $(seq "$RUNS"); do
    start=$(date +%s%N)
    "$vigil" shell "SELECT 1" >/dev/null
    end=$(date +%s%N)
    times+=($(((end - start) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END { printf "%.1f | %.1f", t[int((NR + 1) / 2)] / 1000, t[1] / 1000 }'
}

# RSS in MB of a daemon collecting from the kernel (Vigil's rules, no workload) after IDLE seconds.
idle_rss() {
  local vigil=$1 dir=$WORK/idle-$2
  mkdir -p "$dir"
  echo '{"schedule": {"procs": {"query": "SELECT * FROM process_events", "interval": 10}}}' > "$dir/vigil.conf"
  flock "$LOCK" bash -c '
    "$1" daemon --disable_audit=false --audit_allow_config=true --audit_allow_sockets=true --config_path="$2/vigil.conf" \
      --database_path="$2/vigil.db" --logger_path="$2/log" </dev/null >/dev/null 2>&1 &
    pid=$!
    sleep "$3"
    awk "/^VmRSS:/ { printf \"%.1f\", \$2 / 1024 }" "/proc/$pid/status"
    kill -TERM "$pid"
    wait "$pid" || true
    /work/shared/tools/audit-state >&2' _ "$vigil" "$dir" "$IDLE"
}

# Peak RSS in MB of compare.sh's vigil contender at the generator's maximum rate (2000 asked, 10 s).
peak_rss() {
  local vigil=$1 line
  line=$(VIGIL=$vigil STRESS=$AOT flock "$LOCK" "$REPO/bench/compare.sh" _contender vigil 2000 10 "$WORK/peak-$2")
  sed -nE 's/.* hwm_mb=([0-9.]+) .*/\1/p' <<<"$line"
  echo "$2: $line" >&2
}

mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.2f", b / 1048576 }'; }
dir_mb() { du -sb "$1" | awk '{ printf "%.2f", $1 / 1048576 }'; }

echo "| Build | \`shell \"SELECT 1\"\` median (ms) | min (ms) | Idle daemon RSS (MB) | Peak RSS at max rate (MB) | Size (MB) |"
echo "|---|---:|---:|---:|---:|---:|"
echo "| NativeAOT ($AOT) | $(startup "$AOT") | $(idle_rss "$AOT" aot) | $(peak_rss "$AOT" aot) | $(mb "$AOT") executable, $(mb "$(dirname "$AOT")/libe_sqlite3.so") libe_sqlite3.so, $(mb "$DEB") .deb |"
echo "| ReadyToRun (framework-dependent) | $(startup "$R2R") | $(idle_rss "$R2R" r2r) | $(peak_rss "$R2R" r2r) | $(dir_mb "$(dirname "$R2R")") publish directory, plus the .NET runtime |"
