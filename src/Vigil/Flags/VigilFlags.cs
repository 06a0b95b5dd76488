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

    /// <summary>auditd log files to read records from instead of the kernel.</summary>
    public static readonly Flag<IReadOnlyList<string>> AuditLogFile =
        FlagDefinition.List("audit_log_file", "Read records from this auditd log file instead of the kernel (repeatable)");

    /// <summary>The event store's SQLite file.</summary>
    public static readonly Flag<string> DatabasePath =
        FlagDefinition.String("database_path", "/var/lib/vigil/vigil.db", "Path of the event store database");

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
        FlagDefinition.Bool("json", false, "Shell: print results as a JSON array per statement");

    /// <summary>Shell output as separated values.</summary>
    public static readonly Flag<bool> Csv =
        FlagDefinition.Bool("csv", false, "Shell: print results as '|'-separated values with a header");

    /// <summary>Shell output one value per line.</summary>
    public static readonly Flag<bool> Line =
        FlagDefinition.Bool("line", false, "Shell: print results one 'column = value' per line");

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

    /// <summary>The daemon's memory ceiling in MB (osquery's name); 0 takes osquery's level-0 profile, 200 MB.</summary>
    public static readonly Flag<long> WatchdogMemoryLimit =
        FlagDefinition.Int("watchdog_memory_limit", 0, "Resident memory in MB above which the daemon drops events it has not stored yet (0: 200 MB)");

    /// <summary>All of the above, sorted by name.</summary>
    public static IReadOnlyList<FlagDefinition> All { get; } = Sorted(
        DisableAudit, AuditAllowConfig, AuditPersist, AuditAllowProcessEvents, AuditAllowSockets, AuditAllowUserEvents,
        AuditAllowUnix, AuditAllowFailedSocketEvents, AuditAllowAcceptSocketEvents, AuditBacklogLimit, AuditBacklogWaitTime,
        AuditDebug, AuditSocketType, AuditLogFile, DatabasePath, Flagfile, ConfigPath, EventsExpiry, EventsMax, EventsOptimize,
        LoggerPath, LoggerPlugin, HostIdentifier, Verbose,
        ConfigCheck, Pidfile, LoggerEventType, LoggerSnapshotEventType, LoggerRotate, LoggerRotateSize, LoggerRotateMaxFiles,
        SpecifiedIdentifier, ScheduleSplayPercent, ScheduleEpoch, LogNames, DisableDecorators, DecorationsTopLevel, Json, Csv, Line, StressIntensity, StressRate, StressDuration, Help, Version, AuditRulesFile, AuditRulesIgnoreErrors,
        AuditRedactPatterns,
        AuditExcludeExe, TopWindow, TopLimit, WatchdogMemoryLimit);

    private static FlagDefinition[] Sorted(params FlagDefinition[] flags)
    {
        Array.Sort(flags, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return flags;
    }
}
