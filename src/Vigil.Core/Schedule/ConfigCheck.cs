namespace Vigil.Schedule;

/// <summary>The outcome of loading a config: the config when it is valid, every error found otherwise.</summary>
/// <param name="Config">The config, or null when there are errors.</param>
/// <param name="Errors">Every problem found, in file order.</param>
public sealed record ConfigCheck(OsqueryConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    /// <summary>True when the config is valid.</summary>
    public bool Ok => Errors.Count == 0;
}
