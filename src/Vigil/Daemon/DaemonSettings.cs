using Vigil.Flags;
using Vigil.Ingest;
using Vigil.Logging;
using Vigil.Schedule;

namespace Vigil.Daemon;

/// <summary>What the flags (with the config's options applied) ask of the daemon.</summary>
public sealed record DaemonSettings
{
    public required string DatabasePath { get; init; }

    public required string ConfigPath { get; init; }

    public required string LoggerPath { get; init; }

    public required string LoggerPlugin { get; init; }

    public required bool CollectAudit { get; init; }

    public bool AuditPersist { get; init; } = true;

    public required IngestOptions Ingest { get; init; }

    public required SchedulerOptions Scheduler { get; init; }

    public required ResultLogOptions ResultLog { get; init; }

    public required FilesystemLoggerOptions Filesystem { get; init; }

    public long EventsExpiry { get; init; }

    public long EventsMax { get; init; }

    /// <summary>Resident memory in bytes above which the daemon sheds queued events.</summary>
    public long MemoryLimitBytes { get; init; }

    /// <summary>
    /// Seconds between maintenance passes, the first at start: events_expiry, events_max and the report of records
    /// the kernel lost. Not a flag; tests shorten it.
    /// </summary>
    public long MaintenanceSeconds { get; init; } = 60;

    /// <summary>Reads the settings from parsed flags and the config's raw <c>audit</c> JSON (its exclusions).</summary>
    public static DaemonSettings FromFlags(FlagValues flags, string? auditConfig = null)
    {
        var loggerPath = flags.Get(VigilFlags.LoggerPath);
        return new DaemonSettings
        {
            DatabasePath = Path.GetFullPath(flags.Get(VigilFlags.DatabasePath)),
            ConfigPath = flags.Get(VigilFlags.ConfigPath),
            LoggerPath = loggerPath,
            LoggerPlugin = flags.Get(VigilFlags.LoggerPlugin),
            CollectAudit = !flags.Get(VigilFlags.DisableAudit),
            AuditPersist = flags.Get(VigilFlags.AuditPersist),
            Ingest = IngestOptions.FromFlags(flags, auditConfig),
            Scheduler = new SchedulerOptions
            {
                HostIdentifier = HostIdentifier.Resolve(flags.Get(VigilFlags.HostIdentifier), flags.Get(VigilFlags.SpecifiedIdentifier)),
                Epoch = (ulong)flags.Get(VigilFlags.ScheduleEpoch),
                SplayPercent = (ulong)flags.Get(VigilFlags.ScheduleSplayPercent),
                EventsOptimize = flags.Get(VigilFlags.EventsOptimize),
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
            EventsExpiry = flags.Get(VigilFlags.EventsExpiry),
            EventsMax = flags.Get(VigilFlags.EventsMax),
            MemoryLimitBytes = MemoryWatchdog.LimitBytes(flags.Get(VigilFlags.WatchdogMemoryLimit)),
        };
    }
}
