
namespace Vigil.Flags;

/// <summary>Every flag Vigil knows, with osquery's names and defaults (reference/osquery.md §2).</summary>
public static class VigilFlags
{
    /// <summary>Leave the kernel audit subsystem alone.</summary>
    public static readonly Flag<bool> DisableAudit =
        FlagDefinition.Bool("disable_audit", true, "Do not collect events from the kernel audit subsystem");

    /// <summary>Allow changing the kernel audit configuration (enable, rules, backlog).</summary>
    public static readonly Flag<bool> AuditAllowConfig =
        FlagDefinition.Bool("audit_allow_config", false, "Allow Vigil to change the kernel audit configuration");

    /// <summary>Take the audit pid back when another process takes it.</summary>
    public static readonly Flag<bool> AuditPersist =
        FlagDefinition.Bool("audit_persist", true, "Retake the audit netlink owner pid when another process takes it");

    /// <summary>Fill process_events.</summary>
    public static readonly Flag<bool> AuditAllowProcessEvents =
        FlagDefinition.Bool("audit_allow_process_events", true, "Collect process executions into process_events");

    /// <summary>fork, vfork, clone and clone3 rows in process_events (osquery's process_events.cpp).</summary>
    public static readonly Flag<bool> AuditAllowForkProcessEvents =
        FlagDefinition.Bool("audit_allow_fork_process_events", false, "Allow the audit publisher to install process event monitoring rules to capture fork/vfork/clone system calls");

    /// <summary>kill, tkill and tgkill rows in process_events (osquery's process_events.cpp).</summary>
    public static readonly Flag<bool> AuditAllowKillProcessEvents =
        FlagDefinition.Bool("audit_allow_kill_process_events", false, "Allow the audit publisher to install process event monitoring rules to capture kill/tkill/tgkill system calls");

    /// <summary>Fill process_events.exe_sha256 (a Vigil addition).</summary>
    public static readonly Flag<bool> AuditHashExecutables =
        FlagDefinition.Bool("audit_hash_executables", false, "Fill process_events.exe_sha256 with the SHA-256 of the executable (hashed off the ingest thread, once per file version, at most 64 MiB/s; files over 64 MiB are not)");

    /// <summary>Fill process_file_events from kernel rules scoped to the config's file_paths (osquery's process_file_events.cpp).</summary>
    public static readonly Flag<bool> AuditAllowFimEvents =
        FlagDefinition.Bool("audit_allow_fim_events", false, "Allow the audit publisher to install filesystem event monitoring rules");

    /// <summary>Read accesses (read-only opens, reads) in process_file_events, hidden in osquery.</summary>
    public static readonly Flag<bool> AuditFimShowAccesses =
        FlagDefinition.Bool("audit_fim_show_accesses", false, "Show file accesses (read-only opens and reads) in process_file_events");

    /// <summary>Rows for descriptors Vigil never saw opened, hidden in osquery.</summary>
    public static readonly Flag<bool> AuditShowPartialFimEvents =
        FlagDefinition.Bool("audit_show_partial_fim_events", false, "Show process_file_events rows of file descriptors opened before Vigil saw them (partial = true)");

    /// <summary>The descriptor syscalls, which no kernel rule can scope to a path (a Vigil addition).</summary>
    public static readonly Flag<bool> AuditFimFdEvents =
        FlagDefinition.Bool("audit_fim_fd_events", false, "Audit write, ftruncate and close (read too with --audit_fim_show_accesses) of every process for write, truncate and close rows in process_file_events; audit cannot scope these to file_paths (the BPF source, --event_source=bpf, does)");

    /// <summary>mkdir and rmdir rows, which osquery lacks (a Vigil addition).</summary>
    public static readonly Flag<bool> AuditFimShowDirectories =
        FlagDefinition.Bool("audit_fim_show_directories", false, "Add mkdir and rmdir operations to process_file_events");

    /// <summary>Fill socket_events.</summary>
    public static readonly Flag<bool> AuditAllowSockets =
        FlagDefinition.Bool("audit_allow_sockets", false, "Collect connect/bind (and accept) calls into socket_events");

    /// <summary>Fill user_events.</summary>
    public static readonly Flag<bool> AuditAllowUserEvents =
        FlagDefinition.Bool("audit_allow_user_events", true, "Collect user-space audit messages into user_events");

    /// <summary>Keep unix domain sockets in socket_events.</summary>
    public static readonly Flag<bool> AuditAllowUnix =
        FlagDefinition.Bool("audit_allow_unix", false, "Include unix domain sockets in socket_events");

    /// <summary>Keep failed socket calls in socket_events.</summary>
    public static readonly Flag<bool> AuditAllowFailedSocketEvents =
        FlagDefinition.Bool("audit_allow_failed_socket_events", false, "Include failed socket calls in socket_events");

    /// <summary>Keep non-blocking accepts that found no client (status no_client) in socket_events.</summary>
    public static readonly Flag<bool> AuditAllowNullAcceptSocketEvents =
        FlagDefinition.Bool("audit_allow_null_accept_socket_events", false, "Allow non-blocking accept() syscalls that returned EAGAIN/EWOULDBLOCK");

    /// <summary>Also audit accept and accept4.</summary>
    public static readonly Flag<bool> AuditAllowAcceptSocketEvents =
        FlagDefinition.Bool("audit_allow_accept_socket_events", true, "Include accept/accept4 calls in socket_events");

    /// <summary>The kernel's backlog_limit.</summary>
    public static readonly Flag<long> AuditBacklogLimit =
        FlagDefinition.Int("audit_backlog_limit", 4096, "Kernel audit backlog limit (records queued before loss)");

    /// <summary>The kernel's backlog_wait_time.</summary>
    public static readonly Flag<long> AuditBacklogWaitTime =
        FlagDefinition.Int("audit_backlog_wait_time", 0, "Kernel audit backlog wait time, in jiffies");

    /// <summary>Log every raw record.</summary>
    public static readonly Flag<bool> AuditDebug =
        FlagDefinition.Bool("audit_debug", false, "Log every raw audit record received");

    /// <summary>How to receive records: as the audit owner (unicast) or as a multicast reader.</summary>
    public static readonly Flag<string> AuditSocketType =
        FlagDefinition.Choice("audit_socket_type", "auto", "Receive records as the audit owner (unicast) or as a multicast reader",
            "auto", "unicast", "multicast");

    /// <summary>Fill bpf_process_events and bpf_socket_events from Vigil's BPF programs.</summary>
    public static readonly Flag<bool> EnableBpfEvents =
        FlagDefinition.Bool("enable_bpf_events", false, "Enables the bpf_process_events and bpf_socket_events tables (BPF programs, needs BTF)");

    /// <summary>osquery's perf buffer size per CPU as a power of two pages; Vigil's ring buffer gets as much per CPU.</summary>
    public static readonly Flag<long> BpfPerfEventArrayExp =
        FlagDefinition.Int("bpf_perf_event_array_exp", 10, "Size of the BPF ring buffer per CPU as a power of 2 pages");

    /// <summary>osquery's slots per CPU for syscalls under way; Vigil's in-flight table holds as many per CPU.</summary>
    public static readonly Flag<long> BpfBufferStorageSize =
        FlagDefinition.Int("bpf_buffer_storage_size", 512, "How many syscalls per CPU may be in flight for the BPF programs");

    /// <summary>Where process_events and socket_events come from.</summary>
    public static readonly Flag<string> EventSource =
        FlagDefinition.Choice("event_source", "audit", "Feed process_events and socket_events from the audit subsystem or from BPF programs",
            "audit", "bpf");

    /// <summary>auditd log files to read records from instead of the kernel.</summary>
    public static readonly Flag<IReadOnlyList<string>> AuditLogFile =
        FlagDefinition.List("audit_log_file", "Read records from this auditd log file instead of the kernel (repeatable)");

    /// <summary>The event store's SQLite file.</summary>
    public static readonly Flag<string> DatabasePath =
        FlagDefinition.String("database_path", "/var/lib/vigil/vigil.db", "Path of the event store database");

    /// <summary>Free space on the database's file system below which <see cref="DatabaseSpaceLeftAction"/> applies (auditd's space_left).</summary>
    public static readonly Flag<long> DatabaseSpaceLeft =
        FlagDefinition.Int("database_space_left", 75, "MB of free space on the database's file system below which --database_space_left_action applies (0: never)");

    /// <summary>What the daemon does while the database's file system has less free space than <see cref="DatabaseSpaceLeft"/> (auditd's space_left_action).</summary>
    public static readonly Flag<string> DatabaseSpaceLeftAction =
        FlagDefinition.Choice("database_space_left_action", "expire_oldest",
            "Below --database_space_left: warn and keep storing; keep_in_memory: stop storing, the newest events wait in memory (oldest dropped when full); expire_oldest: delete the oldest stored events to make room for new ones",
            "warn", "keep_in_memory", "expire_oldest");

    /// <summary>A file of flags, one per line.</summary>
    public static readonly Flag<string> Flagfile =
        FlagDefinition.String("flagfile", "", "Read flags from this file, one --name=value per line ('#' starts a comment line)");

    /// <summary>The JSON configuration (schedule, packs, options).</summary>
    public static readonly Flag<string> ConfigPath =
        FlagDefinition.String("config_path", "/etc/vigil/vigil.conf", "Path of the JSON configuration");

    /// <summary>Seconds an event is kept in the store.</summary>
    public static readonly Flag<long> EventsExpiry =
        FlagDefinition.Int("events_expiry", 3600, "Seconds an event stays in the store");

    /// <summary>Most events kept per table.</summary>
    public static readonly Flag<long> EventsMax =
        FlagDefinition.Int("events_max", 50000, "Most events kept per table; the oldest go first");

    /// <summary>osquery's hidden flag: a query over event tables the watchdog stopped is denylisted only with it.</summary>
    public static readonly Flag<bool> EventsEnforceDenylist =
        FlagDefinition.Bool("events_enforce_denylist", false, "Denylist a scheduled query over event tables too when the watchdog stops it");

    /// <summary>Scheduled queries return only events they have not returned before.</summary>
    public static readonly Flag<bool> EventsOptimize =
        FlagDefinition.Bool("events_optimize", true, "Scheduled queries return only events not returned before");

    /// <summary>Where the filesystem logger writes.</summary>
    public static readonly Flag<string> LoggerPath =
        FlagDefinition.String("logger_path", "/var/log/vigil", "Directory of the filesystem logger's files");

    /// <summary>Which result loggers run.</summary>
    public static readonly Flag<string> LoggerPlugin =
        FlagDefinition.String("logger_plugin", "filesystem", "Result logger plugins, comma-separated");

    /// <summary>The host name written in every log line.</summary>
    public static readonly Flag<string> HostIdentifier =
        FlagDefinition.String("host_identifier", "hostname", "Host identity in logs");

    /// <summary>Verbose status logging.</summary>
    public static readonly Flag<bool> Verbose =
        FlagDefinition.Bool("verbose", false, "Log informational status messages");

    /// <summary>Shell output as JSON.</summary>
    public static readonly Flag<bool> Json =
        FlagDefinition.Bool("json", false, "Shell: print results as a JSON array per statement").ForShellOnly();

    /// <summary>Shell output as separated values.</summary>
    public static readonly Flag<bool> Csv =
        FlagDefinition.Bool("csv", false, "Shell: print results as '|'-separated values with a header").ForShellOnly();

    /// <summary>Shell output one value per line.</summary>
    public static readonly Flag<bool> Line =
        FlagDefinition.Bool("line", false, "Shell: print results one 'column = value' per line").ForShellOnly();

    /// <summary>vigil stress: how many marked shells to launch at once.</summary>
    public static readonly Flag<long> StressIntensity =
        FlagDefinition.Int("stress_intensity", 0, "vigil stress: launch this many marked shells as fast as possible").WithShortName('n');

    /// <summary>vigil stress: launches per second instead of all at once.</summary>
    public static readonly Flag<long> StressRate =
        FlagDefinition.Int("stress_rate", 0, "vigil stress: launch marked shells at this many per second (with --stress_duration)");

    /// <summary>vigil stress: how long a fixed-rate run lasts.</summary>
    public static readonly Flag<long> StressDuration =
        FlagDefinition.Int("stress_duration", 10, "vigil stress: seconds a --stress_rate run lasts");

    /// <summary>Print usage and exit.</summary>
    public static readonly Flag<bool> Help =
        FlagDefinition.Bool("help", false, "Show this help and exit");

    /// <summary>Print the version and exit.</summary>
    public static readonly Flag<bool> Version =
        FlagDefinition.Bool("version", false, "Show the version and exit");

    /// <summary>Validate the configuration and exit.</summary>
    public static readonly Flag<bool> ConfigCheck =
        FlagDefinition.Bool("config_check", false, "Daemon: check the configuration and exit (nonzero when it has errors)");

    /// <summary>The daemon's pid file.</summary>
    public static readonly Flag<string> Pidfile =
        FlagDefinition.String("pidfile", "", "Daemon: write the process id to this file while running");

    /// <summary>Log one line per added or removed row rather than one line per run.</summary>
    public static readonly Flag<bool> LoggerEventType =
        FlagDefinition.Bool("logger_event_type", true, "Log each added/removed row on its own line (false: one batch line per run)");

    /// <summary>Log snapshot rows one per line.</summary>
    public static readonly Flag<bool> LoggerSnapshotEventType =
        FlagDefinition.Bool("logger_snapshot_event_type", false, "Log each snapshot row on its own line");

    /// <summary>Rotate the filesystem logger's files.</summary>
    public static readonly Flag<bool> LoggerRotate =
        FlagDefinition.Bool("logger_rotate", false, "Rotate the filesystem logger's files");

    /// <summary>Size at which a log file is rotated.</summary>
    public static readonly Flag<long> LoggerRotateSize =
        FlagDefinition.Int("logger_rotate_size", 25 * 1024 * 1024, "Bytes after which a log file is rotated");

    /// <summary>Rotated files kept.</summary>
    public static readonly Flag<long> LoggerRotateMaxFiles =
        FlagDefinition.Int("logger_rotate_max_files", 25, "Rotated log files kept");

    /// <summary>The identifier used with <c>--host_identifier=specified</c>.</summary>
    public static readonly Flag<string> SpecifiedIdentifier =
        FlagDefinition.String("specified_identifier", "", "Host identity when --host_identifier=specified");

    /// <summary>Percent by which scheduled intervals are spread.</summary>
    public static readonly Flag<long> ScheduleSplayPercent =
        FlagDefinition.Int("schedule_splay_percent", 10, "Percent by which scheduled query intervals are splayed");

    /// <summary>The epoch of the differential results.</summary>
    public static readonly Flag<long> ScheduleEpoch =
        FlagDefinition.Int("schedule_epoch", 0, "Epoch of scheduled results; a change starts every differential anew");

    /// <summary>Log the name of each scheduled query as it runs.</summary>
    public static readonly Flag<bool> LogNames =
        FlagDefinition.Bool("log_names", false, "Log the name of each scheduled query as it runs");

    /// <summary>Disable the decorators.</summary>
    public static readonly Flag<bool> DisableDecorators =
        FlagDefinition.Bool("disable_decorators", false, "Do not run decorator queries");

    /// <summary>Add the decorations at the top level of log lines.</summary>
    public static readonly Flag<bool> DecorationsTopLevel =
        FlagDefinition.Bool("decorations_top_level", false, "Write decorations at the top level of each log line");

    /// <summary>A file of auditctl rule lines Vigil installs with its own and removes on exit.</summary>
    public static readonly Flag<string> AuditRulesFile =
        FlagDefinition.String("audit_rules_file", "", "File of auditctl rules (-a/-A/-w lines) to install with Vigil's own; needs --audit_allow_config");

    /// <summary>Like auditctl -i for <c>vigil rules load</c>: load the good lines and report the others.</summary>
    public static readonly Flag<bool> AuditRulesIgnoreErrors =
        FlagDefinition.Bool("audit_rules_ignore_errors", false, "vigil rules load: load the lines that work and report the others (auditctl -i)");

    /// <summary>Regexes whose matches in process_events.cmdline are masked before the row is stored.</summary>
    public static readonly Flag<IReadOnlyList<string>> AuditRedactPatterns =
        FlagDefinition.List("audit_redact_patterns",
            "Mask matches of this .NET regex in process_events.cmdline with *** (only the groups when it has any; repeatable)");

    /// <summary>Executables whose audited syscalls the kernel should not report.</summary>
    public static readonly Flag<IReadOnlyList<string>> AuditExcludeExe =
        FlagDefinition.List("audit_exclude_exe", "Install a kernel never rule for this absolute executable path; wildcards are expanded at start (repeatable)");

    /// <summary>How far back <c>vigil top</c> counts store rows.</summary>
    public static readonly Flag<long> TopWindow =
        FlagDefinition.Int("top_window", 3600, "vigil top: count store events of the last SECONDS");

    /// <summary>How many rows <c>vigil top</c> prints.</summary>
    public static readonly Flag<long> TopLimit =
        FlagDefinition.Int("top_limit", 15, "vigil top: print the N most frequent executable/syscall pairs");

    /// <summary>Joins "pack", a pack's name and a query's name into the scheduled query's name (pack_NAME_QUERY).</summary>
    public static readonly Flag<string> PackDelimiter =
        FlagDefinition.String("pack_delimiter", "_", "Delimiter of the names of pack queries: pack<delimiter>PACK<delimiter>QUERY");

    /// <summary>osquery's watchdog profile: 0 normal, 1 restrictive, -1 off (a choice: integer flags are never negative).</summary>
    public static readonly Flag<string> WatchdogLevel =
        FlagDefinition.Choice("watchdog_level", "0", "Performance limit level (0=normal: 200 MB, 10% for 12 s; 1=restrictive: 100 MB, 5% for 6 s; -1=off)", "0", "1", "-1");

    /// <summary>The daemon's memory ceiling in MB (osquery's name); 0 takes the level's profile.</summary>
    public static readonly Flag<long> WatchdogMemoryLimit =
        FlagDefinition.Int("watchdog_memory_limit", 0, "Override watchdog profile memory limit in MB: the query running past it is interrupted and denylisted");

    /// <summary>Percent of one core the daemon may use, sustained, before scheduled queries wait (osquery's name).</summary>
    public static readonly Flag<long> WatchdogUtilizationLimit =
        FlagDefinition.Int("watchdog_utilization_limit", 0, "Override watchdog profile CPU utilization limit (% of a core): sustained above it, scheduled queries are delayed");

    /// <summary>Seconds of CPU over the limit before load is shed, and the time budget of one query (osquery's name).</summary>
    public static readonly Flag<long> WatchdogLatencyLimit =
        FlagDefinition.Int("watchdog_latency_limit", 0, "Override watchdog profile CPU utilization latency limit in seconds, also the time a query may run before it is interrupted and denylisted");

    /// <summary>The watchdog's grace after start (osquery's name and default).</summary>
    public static readonly Flag<long> WatchdogDelay =
        FlagDefinition.Int("watchdog_delay", 60, "Initial delay in seconds before watchdog starts");

    /// <summary>Turns the watchdog off: no query interrupted, no load shed, no event shed.</summary>
    public static readonly Flag<bool> DisableWatchdog =
        FlagDefinition.Bool("disable_watchdog", false, "Disable the watchdog (queries past the limits are not interrupted, load is not shed)");

    /// <summary>host[:port] of the remote API server.</summary>
    public static readonly Flag<string> TlsHostname =
        FlagDefinition.String("tls_hostname", "", "TLS/HTTPS hostname (host[:port]) for the enroll, config, logger and distributed plugins");

    /// <summary>PEM bundle the server's certificate must chain to; the system store when empty.</summary>
    public static readonly Flag<string> TlsServerCerts =
        FlagDefinition.String("tls_server_certs", "", "PEM bundle of the certificates the TLS server must chain to (default: the system store)");

    /// <summary>Client certificate presented to the server.</summary>
    public static readonly Flag<string> TlsClientCert =
        FlagDefinition.String("tls_client_cert", "", "PEM client certificate presented to the TLS server");

    /// <summary>Private key of the client certificate.</summary>
    public static readonly Flag<string> TlsClientKey =
        FlagDefinition.String("tls_client_key", "", "PEM private key of --tls_client_cert (root-owned, not group/other-readable)");

    /// <summary>Accept gzip-compressed responses.</summary>
    public static readonly Flag<bool> TlsAcceptGzip =
        FlagDefinition.Bool("tls_accept_gzip", false, "Ask the TLS server for gzip-compressed responses");

    /// <summary>Seconds one request may take, connection and body included (Vigil's; osquery's client uses 16 s).</summary>
    public static readonly Flag<long> TlsRequestTimeout =
        FlagDefinition.Int("tls_request_timeout", 16, "Seconds one TLS request may take, connecting and reading the whole response included");

    /// <summary>The enroll endpoint.</summary>
    public static readonly Flag<string> EnrollTlsEndpoint =
        FlagDefinition.String("enroll_tls_endpoint", "", "TLS endpoint path for enrollment (e.g. /api/osquery/enroll)");

    /// <summary>File holding the enroll secret.</summary>
    public static readonly Flag<string> EnrollSecretPath =
        FlagDefinition.String("enroll_secret_path", "", "File holding the enroll secret (root-owned, not group/other-readable)");

    /// <summary>Environment variable holding the enroll secret.</summary>
    public static readonly Flag<string> EnrollSecretEnv =
        FlagDefinition.String("enroll_secret_env", "", "Name of the environment variable holding the enroll secret");

    /// <summary>Enroll at every start even with a node key cached.</summary>
    public static readonly Flag<bool> EnrollAlways =
        FlagDefinition.Bool("enroll_always", false, "Enroll at every start, even with a cached node key");

    /// <summary>Do not enroll again when the server calls the node key invalid.</summary>
    public static readonly Flag<bool> DisableReenrollment =
        FlagDefinition.Bool("disable_reenrollment", false, "Do not enroll again when the server answers node_invalid");

    /// <summary>Enroll attempts before giving up for this request.</summary>
    public static readonly Flag<long> TlsEnrollMaxAttempts =
        FlagDefinition.Int("tls_enroll_max_attempts", 12, "Enrollment attempts before giving up");

    /// <summary>Cap of the back-off between enroll attempts.</summary>
    public static readonly Flag<long> TlsEnrollMaxInterval =
        FlagDefinition.Int("tls_enroll_max_interval", 600, "Most seconds between enrollment attempts (the back-off doubles up to it)");

    /// <summary>Where the config comes from.</summary>
    public static readonly Flag<string> ConfigPlugin =
        FlagDefinition.Choice("config_plugin", "filesystem", "Config source: filesystem (--config_path) or tls (--config_tls_endpoint)", "filesystem", "tls");

    /// <summary>The config endpoint.</summary>
    public static readonly Flag<string> ConfigTlsEndpoint =
        FlagDefinition.String("config_tls_endpoint", "", "TLS endpoint path of the config");

    /// <summary>Attempts per config request.</summary>
    public static readonly Flag<long> ConfigTlsMaxAttempts =
        FlagDefinition.Int("config_tls_max_attempts", 3, "Attempts per config request");

    /// <summary>Seconds between config fetches; 0 fetches only at start.</summary>
    public static readonly Flag<long> ConfigRefresh =
        FlagDefinition.Int("config_refresh", 0, "Seconds between config fetches (0: only at start)");

    /// <summary>Seconds between config fetches after one failed.</summary>
    public static readonly Flag<long> ConfigAcceleratedRefresh =
        FlagDefinition.Int("config_accelerated_refresh", 300, "Seconds between config fetches after a failed one");

    /// <summary>The logger endpoint.</summary>
    public static readonly Flag<string> LoggerTlsEndpoint =
        FlagDefinition.String("logger_tls_endpoint", "", "TLS endpoint path of the result and status logs");

    /// <summary>Seconds between log sends.</summary>
    public static readonly Flag<long> LoggerTlsPeriod =
        FlagDefinition.Int("logger_tls_period", 4, "Seconds between sends of the buffered log lines");

    /// <summary>Lines per log request.</summary>
    public static readonly Flag<long> LoggerTlsMaxLines =
        FlagDefinition.Int("logger_tls_max_lines", 1024, "Most log lines per request");

    /// <summary>Longest line sent; longer ones are dropped and counted.</summary>
    public static readonly Flag<long> LoggerTlsMaxLinesize =
        FlagDefinition.Int("logger_tls_max_linesize", 1024 * 1024, "Longest log line sent, in bytes; longer lines are dropped and counted");

    /// <summary>Gzip log request bodies.</summary>
    public static readonly Flag<bool> LoggerTlsCompress =
        FlagDefinition.Bool("logger_tls_compress", false, "Gzip the bodies of log requests");

    /// <summary>Cap of the back-off between failed log sends.</summary>
    public static readonly Flag<long> LoggerTlsBackoffMax =
        FlagDefinition.Int("logger_tls_backoff_max", 3600, "Most seconds between log sends after failures (the back-off doubles up to it)");

    /// <summary>Most lines buffered for the TLS logger; the oldest go first.</summary>
    public static readonly Flag<long> BufferedLogMax =
        FlagDefinition.Int("buffered_log_max", 1000000, "Most log lines buffered for sending; past it the oldest are dropped and counted (0: no limit)");

    /// <summary>Live queries off.</summary>
    public static readonly Flag<bool> DisableDistributed =
        FlagDefinition.Bool("disable_distributed", true, "Do not read and answer live (distributed) queries");

    /// <summary>The distributed plugin.</summary>
    public static readonly Flag<string> DistributedPlugin =
        FlagDefinition.Choice("distributed_plugin", "tls", "Distributed query plugin", "tls");

    /// <summary>Seconds between distributed reads.</summary>
    public static readonly Flag<long> DistributedInterval =
        FlagDefinition.Int("distributed_interval", 60, "Seconds between reads of live queries");

    /// <summary>The distributed read endpoint.</summary>
    public static readonly Flag<string> DistributedTlsReadEndpoint =
        FlagDefinition.String("distributed_tls_read_endpoint", "", "TLS endpoint path the live queries are read from");

    /// <summary>The distributed write endpoint.</summary>
    public static readonly Flag<string> DistributedTlsWriteEndpoint =
        FlagDefinition.String("distributed_tls_write_endpoint", "", "TLS endpoint path the live query results are written to");

    /// <summary>Attempts per distributed request.</summary>
    public static readonly Flag<long> DistributedTlsMaxAttempts =
        FlagDefinition.Int("distributed_tls_max_attempts", 3, "Attempts per distributed read or write");

    /// <summary>Seconds one remote query may run.</summary>
    public static readonly Flag<long> RemoteQueryTimeLimit =
        FlagDefinition.Int("remote_query_time_limit", 60, "Seconds a live query (or a scheduled query of a served config) may run before it is interrupted");

    /// <summary>Rows one remote query may return.</summary>
    public static readonly Flag<long> RemoteQueryMaxRows =
        FlagDefinition.Int("remote_query_max_rows", 100000, "Rows a live query may return before it is stopped with an error");

    /// <summary>Bytes one remote query may return.</summary>
    public static readonly Flag<long> RemoteQueryMaxBytes =
        FlagDefinition.Int("remote_query_max_bytes", 16 * 1024 * 1024, "Bytes of values a live query may return, and the longest value SQL may build, before it is stopped with an error");

    /// <summary>syslog facility.</summary>
    public static readonly Flag<long> LoggerSyslogFacility =
        FlagDefinition.Int("logger_syslog_facility", 19, "syslog facility number 0-23 (default 19, LOCAL3; others fall back to it)");

    /// <summary>Prefix result lines with @cee:.</summary>
    public static readonly Flag<bool> LoggerSyslogPrependCee =
        FlagDefinition.Bool("logger_syslog_prepend_cee", false, "Prefix syslog result lines with @cee:");

    /// <summary>The local syslog socket (Vigil's; osquery always uses the C library's /dev/log).</summary>
    public static readonly Flag<string> LoggerSyslogPath =
        FlagDefinition.String("logger_syslog_path", "/dev/log", "The local syslog datagram socket");

    /// <summary>Longest syslog message sent; longer ones are reported and not sent.</summary>
    public static readonly Flag<long> LoggerSyslogMaxLinesize =
        FlagDefinition.Int("logger_syslog_max_linesize", 8192, "Longest syslog message sent, header included (rsyslog's default $MaxMessageSize is 8k); longer ones are reported, not sent");

    /// <summary>All of the above, sorted by name.</summary>
    public static IReadOnlyList<FlagDefinition> All { get; } = Sorted(
        DisableAudit, AuditAllowConfig, AuditPersist, AuditAllowProcessEvents, AuditAllowForkProcessEvents,
        AuditAllowKillProcessEvents, AuditHashExecutables, AuditAllowSockets, AuditAllowUserEvents, AuditAllowFimEvents,
        AuditFimShowAccesses, AuditShowPartialFimEvents, AuditFimFdEvents, AuditFimShowDirectories,
        AuditAllowUnix, AuditAllowFailedSocketEvents, AuditAllowNullAcceptSocketEvents, AuditAllowAcceptSocketEvents, AuditBacklogLimit, AuditBacklogWaitTime,
        AuditDebug, AuditSocketType, AuditLogFile, DatabasePath, DatabaseSpaceLeft, DatabaseSpaceLeftAction, Flagfile, ConfigPath, EventsExpiry, EventsMax, EventsOptimize, EventsEnforceDenylist,
        LoggerPath, LoggerPlugin, HostIdentifier, Verbose,
        ConfigCheck, Pidfile, LoggerEventType, LoggerSnapshotEventType, LoggerRotate, LoggerRotateSize, LoggerRotateMaxFiles,
        SpecifiedIdentifier, ScheduleSplayPercent, ScheduleEpoch, LogNames, DisableDecorators, DecorationsTopLevel, Json, Csv, Line, StressIntensity, StressRate, StressDuration, Help, Version, AuditRulesFile, AuditRulesIgnoreErrors,
        AuditRedactPatterns,
        AuditExcludeExe, TopWindow, TopLimit, WatchdogLevel, WatchdogMemoryLimit, WatchdogUtilizationLimit, WatchdogLatencyLimit, WatchdogDelay, DisableWatchdog, PackDelimiter, EnableBpfEvents, BpfPerfEventArrayExp,
        BpfBufferStorageSize, EventSource,
        TlsHostname, TlsServerCerts, TlsClientCert, TlsClientKey, TlsAcceptGzip, TlsRequestTimeout, EnrollTlsEndpoint,
        EnrollSecretPath, EnrollSecretEnv, EnrollAlways, DisableReenrollment, TlsEnrollMaxAttempts, TlsEnrollMaxInterval,
        ConfigPlugin, ConfigTlsEndpoint, ConfigTlsMaxAttempts, ConfigRefresh, ConfigAcceleratedRefresh, LoggerTlsEndpoint,
        LoggerTlsPeriod, LoggerTlsMaxLines, LoggerTlsMaxLinesize, LoggerTlsCompress, LoggerTlsBackoffMax, BufferedLogMax,
        DisableDistributed, DistributedPlugin, DistributedInterval, DistributedTlsReadEndpoint, DistributedTlsWriteEndpoint,
        DistributedTlsMaxAttempts, RemoteQueryTimeLimit, RemoteQueryMaxRows, RemoteQueryMaxBytes, LoggerSyslogFacility,
        LoggerSyslogPrependCee, LoggerSyslogPath, LoggerSyslogMaxLinesize);

    private static FlagDefinition[] Sorted(params FlagDefinition[] flags)
    {
        Array.Sort(flags, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return flags;
    }
}
