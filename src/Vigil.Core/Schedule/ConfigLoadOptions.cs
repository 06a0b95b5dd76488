namespace Vigil.Schedule;

/// <summary>Host facts and flags that decide which configured queries apply here.</summary>
public sealed record ConfigLoadOptions
{
    /// <summary>The hostname whose SHA-1 gives this host's shard (osquery's <c>getMachineShard</c>).</summary>
    public string Hostname { get; init; } = Environment.MachineName;

    /// <summary>The osquery version Vigil answers <c>version</c> restrictions with: a query asking for a newer one is skipped.</summary>
    public string OsqueryVersion { get; init; } = "5.0.0";

    /// <summary><c>--schedule_default_interval</c>: the interval of a query that gives none.</summary>
    public ulong DefaultInterval { get; init; } = 3600;

    /// <summary><c>--pack_delimiter</c>: joins <c>pack</c>, the pack name and the query name.</summary>
    public string PackDelimiter { get; init; } = "_";
}
