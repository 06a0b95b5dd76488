using Vigil.Logging;

namespace Vigil.Schedule;

/// <summary>The osquery flags the scheduler follows.</summary>
public sealed record SchedulerOptions
{
    /// <summary>The <c>hostIdentifier</c> written on every line (see <see cref="Logging.HostIdentifier"/>).</summary>
    public required string HostIdentifier { get; init; }

    /// <summary><c>--schedule_epoch</c> (default 0): changing it restarts every query's differential.</summary>
    public ulong Epoch { get; init; }

    /// <summary><c>--schedule_splay_percent</c> (default 10).</summary>
    public ulong SplayPercent { get; init; } = 10;

    /// <summary><c>--events_optimize</c> (default true): event queries log their rows as added without a differential.</summary>
    public bool EventsOptimize { get; init; } = true;

    /// <summary><c>--events_enforce_denylist</c> (default false): a query over event tables the watchdog stopped is denylisted too.</summary>
    public bool EventsEnforceDenylist { get; init; }

    /// <summary><c>--disable_decorators</c> (default false).</summary>
    public bool DisableDecorators { get; init; }

    /// <summary><c>--schedule_timeout</c> in seconds (default 0, no limit): <see cref="Scheduler.RunAsync"/> stops after it.</summary>
    public ulong Timeout { get; init; }

    /// <summary><c>--schedule_max_drift</c> in seconds (default 60): a scheduler further behind skips ahead to the present.</summary>
    public ulong MaxDrift { get; init; } = 60;

    /// <summary><c>--schedule_lognames</c> (default false): a status line for every query launched.</summary>
    public bool LogNames { get; init; }

    /// <summary><c>--pack_refresh_interval</c> in seconds (default 3600): how long a pack's discovery result is trusted.</summary>
    public ulong PackRefreshInterval { get; init; } = 3600;
}
