namespace Vigil.Schedule;

/// <summary>The <c>decorators</c> section: queries whose first row decorates every result line.</summary>
public sealed record DecoratorConfig
{
    /// <summary>Run once when the config is loaded.</summary>
    public IReadOnlyList<string> Load { get; init; } = [];

    /// <summary>Run before every scheduled query.</summary>
    public IReadOnlyList<string> Always { get; init; } = [];

    /// <summary>Run when the Unix time is a multiple of the key (seconds, a multiple of 60).</summary>
    public IReadOnlyDictionary<ulong, IReadOnlyList<string>> Interval { get; init; } = new Dictionary<ulong, IReadOnlyList<string>>();
}
