namespace Vigil.Schedule;

/// <summary>One query of the schedule or of a pack, as the config declares it.</summary>
public sealed record ScheduledQuery
{
    /// <summary>The name results are logged under: the query name for the schedule, <c>pack_&lt;pack&gt;_&lt;query&gt;</c> for packs.</summary>
    public required string Name { get; init; }

    /// <summary>The pack it belongs to; <c>main</c> for the top-level schedule, as in osquery.</summary>
    public required string Pack { get; init; }

    /// <summary>The query's own key in the schedule or pack.</summary>
    public required string QueryName { get; init; }

    /// <summary>The SQL text.</summary>
    public required string Sql { get; init; }

    /// <summary>The configured interval in seconds (1..604800), before splay.</summary>
    public required ulong Interval { get; init; }

    /// <summary>Log every run's full rows as a snapshot instead of a differential.</summary>
    public bool Snapshot { get; init; }

    /// <summary>Log removed rows (osquery's default); false keeps only added rows.</summary>
    public bool Removed { get; init; } = true;

    /// <summary>osquery's <c>denylist</c> option: false keeps the query off <see cref="QueryDenylist"/> when the watchdog stops it.</summary>
    public bool Denylist { get; init; } = true;

    /// <summary>When set, the query also runs on the scheduler's first second, ordered by this priority.</summary>
    public ulong? StartupPriority { get; init; }

    /// <summary>The platform restriction as written, or null.</summary>
    public string? Platform { get; init; }

    /// <summary>The minimum osquery version as written, or null.</summary>
    public string? Version { get; init; }

    /// <summary>The shard restriction (1..100), or 0 for none.</summary>
    public ulong Shard { get; init; }
}
