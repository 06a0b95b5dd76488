namespace Vigil.Schedule;

/// <summary>A validated osquery-format configuration (<c>--config_path</c>).</summary>
public sealed record OsqueryConfig
{
    /// <summary><c>options</c>: flag name to value as text (<c>true</c>/<c>false</c>, the number as written, or the string).</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary><c>schedule</c>: the queries that run on this host (osquery's pack <c>main</c>), ordered by startup priority then name.</summary>
    public IReadOnlyList<ScheduledQuery> Schedule { get; init; } = [];

    /// <summary><c>packs</c>, in the config's order.</summary>
    public IReadOnlyList<PackConfig> Packs { get; init; } = [];

    /// <summary><c>decorators</c>.</summary>
    public DecoratorConfig Decorators { get; init; } = new();

    /// <summary><c>file_paths</c> as raw JSON, or null.</summary>
    public string? FilePaths { get; init; }

    /// <summary><c>exclude_paths</c> as raw JSON, or null.</summary>
    public string? ExcludePaths { get; init; }

    /// <summary><c>file_accesses</c> as raw JSON, or null.</summary>
    public string? FileAccesses { get; init; }

    /// <summary><c>events</c> as raw JSON, or null.</summary>
    public string? Events { get; init; }

    /// <summary><c>audit</c> as raw JSON, or null.</summary>
    public string? Audit { get; init; }

    /// <summary>osquery's config hash of the text this config was read from (<see cref="ConfigLoader.Hash"/>), as osquery_info reports it.</summary>
    public string Hash { get; init; } = string.Empty;
}
