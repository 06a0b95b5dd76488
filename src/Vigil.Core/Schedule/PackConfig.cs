namespace Vigil.Schedule;

/// <summary>A query pack: its restrictions, discovery queries and the queries that pass the platform, version and shard checks.</summary>
public sealed record PackConfig
{
    /// <summary>The pack's name (its key under <c>packs</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The file the pack was read from, or null for an inline pack.</summary>
    public string? SourcePath { get; init; }

    /// <summary>The pack's platform restriction, or null.</summary>
    public string? Platform { get; init; }

    /// <summary>The pack's minimum osquery version, or null.</summary>
    public string? Version { get; init; }

    /// <summary>The pack's shard restriction, or 0.</summary>
    public ulong Shard { get; init; }

    /// <summary>False when the pack's platform, version or shard excludes this host; its queries are then empty.</summary>
    public bool Applies { get; init; } = true;

    /// <summary>Queries that must each return at least one row for the pack to run (re-checked every <c>--pack_refresh_interval</c>).</summary>
    public IReadOnlyList<string> Discovery { get; init; } = [];

    /// <summary>The pack's queries that run on this host, ordered by startup priority then name.</summary>
    public IReadOnlyList<ScheduledQuery> Queries { get; init; } = [];
}
