#!/usr/bin/env bash
# The TLS logger's figures: request bytes per 1,000 process events with and without --logger_tls_compress, and the
# daemon's CPU with --logger_plugin=filesystem,tls against filesystem alone at the generator's maximum rate.
# Each run: vigil daemon collecting from the kernel with `SELECT * FROM process_events` every 10 s, `vigil stress`
# for DURATION seconds at RATE (default 2000, above what the generator reaches: its maximum), then 15 s for the last run to be logged and sent, against
# bench/fleet-sink.py on loopback (a CA and certificate made by openssl for the run). The three runs are repeated
# RUNS times (default 3), each round after the load average (`uptime`), because the CPU figures move with the load of
# the shared machine. Bytes per 1,000 process events are the result requests' body bytes (as sent, gzip or not; HTTP
# headers and TLS framing not counted) over the process_events lines the sink received. sender_thread_cpu_s is the
# CPU of the TLS logger's sending thread alone, over the whole run, a figure the machine's load does not blur as much.
# VIGIL is the vigil under test (default: a ReadyToRun build published into the work directory, as compare.sh does).
# Usage (as root, from the repository root): bench/tls-logger.sh [RATE] [DURATION] [RUNS]
# Runs under flock /tmp/vigil-kernel.lock; the kernel audit state is restored on exit, even on failure.
set -euo pipefail
RATE=${1:-2000}
DURATION=${2:-10}
RUNS=${3:-3}
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/vigil-tlsbench-XXXXXX)
TICKS=$(getconf CLK_TCK)
PORT=$((20000 + RANDOM % 20000))
AUDIT_STATE=${AUDIT_STATE:-/work/shared/tools/audit-state}
sink=""
trap 'kill -TERM $sink 2>/dev/null || true; rm -rf "$WORK"' EXIT

source "$REPO/bench/vigil-under-test.sh"
vigil_under_test "$WORK"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench-ca \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
  -keyout "$WORK/server.key" -out "$WORK/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n' >"$WORK/ext"
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 2 \
  -extfile "$WORK/ext" -out "$WORK/server.pem" 2>/dev/null
printf 'bench-secret\n' >"$WORK/secret" && chmod 600 "$WORK/secret"
cat >"$WORK/config.json" <<'JSON'
{"schedule": {"process_events": {"query": "SELECT * FROM process_events", "interval": 10}}}
JSON

cpu_ticks() { local rest; rest=$(sed 's/.*) //' "/proc/$1/stat"); awk '{ print $12 + $13 }' <<<"$rest"; }

# run NAME LOGGER COMPRESS: prints "NAME cpu_s=... events=... <sink counts>"
run() {
  local name=$1 logger=$2 compress=$3 dir="$WORK/$1"
  mkdir -p "$dir/log"
  python3 "$REPO/bench/fleet-sink.py" "$PORT" "$WORK/server.pem" "$WORK/server.key" "$WORK/config.json" "$dir/counts.json" &
  sink=$!
  sleep 1
  flock /tmp/vigil-kernel.lock bash -c '
    set -euo pipefail
    "$0" daemon --database_path="$1/vigil.db" --logger_path="$1/log" --disable_audit=false --audit_allow_config=true \
      --tls_hostname=localhost:'"$PORT"' --tls_server_certs='"$WORK"'/ca.pem --enroll_secret_path='"$WORK"'/secret \
      --enroll_tls_endpoint=/api/osquery/enroll --config_plugin=tls --config_tls_endpoint=/api/v1/osquery/config \
      --logger_plugin='"$logger"' --logger_tls_endpoint=/api/v1/osquery/log --logger_tls_period=4 \
      --logger_tls_compress='"$compress"' --audit_backlog_limit=8192 >"$1/daemon.out" 2>&1 &
    daemon=$!
    trap "kill -TERM $daemon 2>/dev/null; wait $daemon || true; '"$AUDIT_STATE"' >&2" EXIT
    for _ in $(seq 100); do grep -q "vigil daemon started" "$1/log/vigil.INFO" 2>/dev/null && break; sleep 0.1; done
    cpu0=$(sed "s/.*) //" /proc/$daemon/stat | awk "{ print \$12 + \$13 }")
    "$0" stress --stress_rate='"$RATE"' --stress_duration='"$DURATION"' >"$1/stress.out" 2>/dev/null
    sleep 15
    cpu1=$(sed "s/.*) //" /proc/$daemon/stat | awk "{ print \$12 + \$13 }")
    echo $((cpu1 - cpu0)) >"$1/cpu"
    # The TLS sender thread alone (the kernel cuts its name to 15 characters), from the start of the daemon.
    sender=0
    for task in /proc/$daemon/task/*; do
      if [[ $(cat "$task/comm") == vigil-tls-logge ]]; then
        sender=$(sed "s/.*) //" "$task/stat" | awk "{ print \$12 + \$13 }")
      fi
    done
    echo "$sender" >"$1/sender"
  ' "$VIGIL" "$dir"
  kill -TERM "$sink"; wait "$sink" || true; sink=""
  local events
  events=$("$VIGIL" shell --database_path="$dir/vigil.db" --csv "SELECT count(*) FROM process_events" | tail -n 1)
  local per1000
  per1000=$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])).get("result"); print(round(r["wire_bytes"] * 1000 / r["names"]["process_events"]) if r and r.get("names", {}).get("process_events") else "-")' "$dir/counts.json")
  echo "$name cpu_s=$(awk -v t="$(cat "$dir/cpu")" -v h="$TICKS" 'BEGIN { printf "%.2f", t / h }') stored_events=$events launched=$(awk '$1 == "launched:" { print $2 }' "$dir/stress.out") sender_thread_cpu_s=$(awk -v t="$(cat "$dir/sender")" -v h="$TICKS" 'BEGIN { printf "%.2f", t / h }') bytes_per_1000_process_events=$per1000 sink=$(cat "$dir/counts.json")"
  # The next round starts from a new database, as the first did (no node key, no events kept).
  rm -rf "$dir"
}

for round in $(seq "$RUNS"); do
  echo "round $round: $(uptime)"
  run filesystem filesystem false
  run filesystem+tls filesystem,tls false
  run filesystem+tls-gzip filesystem,tls true
done
