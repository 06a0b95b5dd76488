# Sourced, not run: auditd in the foreground with a configuration of its own, writing to a folder of the caller's
# choice, for recording fixtures and for benchmarks. Callers run as root under flock /tmp/vigil-kernel.lock.
#
#   auditd_write_conf DIR FORMAT [NAME_FORMAT [NAME]]   DIR/auditd.conf logging every record to DIR/audit.log
#   audit_wait_owner PID                                until the kernel's audit pid is PID (at most 60 s)
#   auditd_start DIR FORMAT [NAME_FORMAT [NAME]]        both, with auditd started; sets AUDITD_PID
#   auditd_stop                                         deletes all rules, disables audit, stops auditd
#   audit_state_save                                    notes the backlog limit, wait time and lost counter
#   audit_state_restore                                 no rules, audit off, the noted backlog settings back, and the
#                                                       lost counter back to zero when it was zero (a contender that
#                                                       could not keep up raised it)

auditd_write_conf() {
  mkdir -p "$1/plugins"
  # Logs are never rotated or capped and a full disk is ignored: a recording is one file, and nothing may suspend it.
  cat >"$1/auditd.conf" <<CONF
local_events = yes
write_logs = yes
log_file = $1/audit.log
log_group = root
log_format = $2
flush = INCREMENTAL_ASYNC
freq = 50
max_log_file = 0
num_logs = 0
max_log_file_action = IGNORE
priority_boost = 4
name_format = ${3:-NONE}
${4:+name = $4}
space_left = 2
space_left_action = IGNORE
admin_space_left = 1
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
q_depth = 2000
overflow_action = IGNORE
max_restarts = 10
plugin_dir = $1/plugins
end_of_event_timeout = 2
CONF
  chmod 600 "$1/auditd.conf"
}

audit_wait_owner() {
  local i
  for ((i = 0; i < 600; i++)); do
    kill -0 "$1" 2>/dev/null || { echo "process $1 exited before taking the audit socket" >&2; return 1; }
    [[ $(auditctl -s | awk '$1 == "pid" { print $2 }') == "$1" ]] && return 0
    sleep 0.1
  done
  echo "process $1 did not take the audit socket" >&2
  return 1
}

auditd_start() {
  auditd_write_conf "$@"
  auditd -n -s nochange -c "$1" >"$1/auditd.out" 2>&1 &
  AUDITD_PID=$!
  audit_wait_owner "$AUDITD_PID"
}

auditd_stop() {
  auditctl -D >/dev/null 2>&1 || true
  auditctl -e 0 >/dev/null 2>&1 || true
  if [[ -n ${AUDITD_PID:-} ]]; then
    kill -TERM "$AUDITD_PID" 2>/dev/null && wait "$AUDITD_PID" 2>/dev/null || true
    AUDITD_PID=
  fi
}

audit_status_field() { auditctl -s | awk -v k="$1" '$1 == k { print $2 }'; }

audit_state_save() {
  AUDIT_SAVED_LIMIT=$(audit_status_field backlog_limit)
  AUDIT_SAVED_WAIT=$(audit_status_field backlog_wait_time)
  AUDIT_SAVED_LOST=$(audit_status_field lost)
}

audit_state_restore() {
  auditctl -D >/dev/null 2>&1 || true
  auditctl -e 0 >/dev/null 2>&1 || true
  auditctl -b "$AUDIT_SAVED_LIMIT" --backlog_wait_time "$AUDIT_SAVED_WAIT" >/dev/null 2>&1 || true
  if [[ $AUDIT_SAVED_LOST == 0 && $(audit_status_field lost) != 0 ]]; then
    auditctl --reset-lost >/dev/null 2>&1 || true
  fi
}
