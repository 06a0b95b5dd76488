using Vigil.Bpf;
using Vigil.Flags;
using Vigil.Logging;
using Vigil.Pipeline;
using Vigil.Remote;
using Vigil.Schedule;

namespace Vigil.Daemon;

/// <summary>What the flags (with the config's options applied) ask of the daemon.</summary>
public sealed record DaemonSettings
{
    public required string DatabasePath { get; init; }

    /// <summary>The flags the daemon runs with, as osquery_flags shows them.</summary>
    public FlagValues Flags { get; init; } = FlagValues.Defaults;

    public required string ConfigPath { get; init; }

    public required string LoggerPath { get; init; }

    public required string LoggerPlugin { get; init; }

    /// <summary>Collect from the audit subsystem: audit on, with <c>--event_source=audit</c>.</summary>
    public required bool CollectAudit { get; init; }

    /// <summary>What BPF collects (<c>--enable_bpf_events</c>, <c>--event_source=bpf</c>).</summary>
    public BpfCollectorOptions Bpf { get; init; } = new();

    /// <summary><c>--pidfile</c>, or empty for none.</summary>
    public string Pidfile { get; init; } = "";

    public bool AuditPersist { get; init; } = true;

    public required IngestOptions Ingest { get; init; }

    public required SchedulerOptions Scheduler { get; init; }

    public required ResultLogOptions ResultLog { get; init; }

    public required FilesystemLoggerOptions Filesystem { get; init; }

    /// <summary>The syslog logger's settings, used when <see cref="LoggerPlugin"/> lists syslog.</summary>
    public SyslogOptions Syslog { get; init; } = new();

    /// <summary>The remote API client's settings; <see cref="RemoteSettings.Enabled"/> says whether it runs.</summary>
    public RemoteSettings Remote { get; init; } = new();

    public long EventsExpiry { get; init; }

    public long EventsMax { get; init; }

    /// <summary>The watchdog's limits (<c>--watchdog_*</c>, <c>--disable_watchdog</c>).</summary>
    public required WatchdogLimits Watchdog { get; init; }

    /// <summary>
    /// Seconds between maintenance passes, the first at start: events_expiry, events_max and the report of records
    /// the kernel lost. Not a flag; tests shorten it.
    /// </summary>
    public long MaintenanceSeconds { get; init; } = 60;

    /// <summary>
    /// Reads the settings from parsed flags, the config's raw <c>audit</c> JSON (its exclusions), <c>file_paths</c> and
    /// <c>exclude_paths</c>, and the instance id kept in the database (<see cref="VigilDaemon.InstanceId"/>, null
    /// before the database is open; see <see cref="HostIdentifier.Resolve"/>).
    /// </summary>
    public static DaemonSettings FromFlags(
        FlagValues flags, string? auditConfig = null, string? filePaths = null, string? excludePaths = null, string? instanceId = null)
    {
        var loggerPath = flags.Get(VigilFlags.LoggerPath);
        var ingest = IngestOptions.FromFlags(flags, auditConfig, filePaths, excludePaths);
        var hostIdentifier = HostIdentifier.Resolve(flags.Get(VigilFlags.HostIdentifier), flags.Get(VigilFlags.SpecifiedIdentifier), instanceId);
        return new DaemonSettings
        {
            DatabasePath = Path.GetFullPath(flags.Get(VigilFlags.DatabasePath)),
            Flags = flags,
            ConfigPath = flags.Get(VigilFlags.ConfigPath),
            LoggerPath = loggerPath,
            LoggerPlugin = flags.Get(VigilFlags.LoggerPlugin),
            CollectAudit = !flags.Get(VigilFlags.DisableAudit) && flags.Get(VigilFlags.EventSource) == "audit",
            Pidfile = flags.Get(VigilFlags.Pidfile),
            AuditPersist = flags.Get(VigilFlags.AuditPersist),
            Ingest = ingest,
            Bpf = BpfCollectorOptions.FromFlags(flags, ingest),
            Scheduler = new SchedulerOptions
            {
                HostIdentifier = hostIdentifier,
                Epoch = (ulong)flags.Get(VigilFlags.ScheduleEpoch),
                SplayPercent = (ulong)flags.Get(VigilFlags.ScheduleSplayPercent),
                EventsOptimize = flags.Get(VigilFlags.EventsOptimize),
                EventsEnforceDenylist = flags.Get(VigilFlags.EventsEnforceDenylist),
                DisableDecorators = flags.Get(VigilFlags.DisableDecorators),
                LogNames = flags.Get(VigilFlags.LogNames),
            },
            ResultLog = new ResultLogOptions
            {
                EventType = flags.Get(VigilFlags.LoggerEventType),
                SnapshotEventType = flags.Get(VigilFlags.LoggerSnapshotEventType),
                DecorationsTopLevel = flags.Get(VigilFlags.DecorationsTopLevel),
            },
            Filesystem = new FilesystemLoggerOptions
            {
                LoggerPath = loggerPath,
                Rotate = flags.Get(VigilFlags.LoggerRotate),
                RotateSize = flags.Get(VigilFlags.LoggerRotateSize),
                RotateMaxFiles = checked((int)flags.Get(VigilFlags.LoggerRotateMaxFiles)),
            },
            Syslog = new SyslogOptions
            {
                Path = flags.Get(VigilFlags.LoggerSyslogPath),
                Facility = flags.Get(VigilFlags.LoggerSyslogFacility),
                PrependCee = flags.Get(VigilFlags.LoggerSyslogPrependCee),
                MaxLineSize = flags.Get(VigilFlags.LoggerSyslogMaxLinesize),
            },
            Remote = RemoteSettings.FromFlags(flags, hostIdentifier),
            EventsExpiry = flags.Get(VigilFlags.EventsExpiry),
            EventsMax = flags.Get(VigilFlags.EventsMax),
            Watchdog = WatchdogLimits.FromFlags(flags),
        };
    }
}
