using Vigil.Logging;

namespace Vigil.Schedule;

/// <summary>
/// Runs decorator queries and keeps their values (plugins/config/parsers/decorators.cpp): each query's first row's columns are
/// merged into one name-ordered map, later values replacing earlier ones, and every log item carries that map.
/// </summary>
public sealed class Decorations
{
    private readonly DecoratorConfig _config;
    private readonly IQueryRunner _runner;
    private readonly IStatusLog _status;
    private readonly SortedDictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Creates the decorations of a config; nothing runs until <see cref="RunLoad"/>.</summary>
    public Decorations(DecoratorConfig config, IQueryRunner runner, IStatusLog status)
    {
        _config = config;
        _runner = runner;
        _status = status;
    }

    /// <summary>The current decorations, ordered by name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Current => [.. _values];

    /// <summary>Runs the <c>load</c> queries (once per config load).</summary>
    public void RunLoad() => Run(_config.Load);

    /// <summary>Runs the <c>always</c> queries (before each scheduled query).</summary>
    public void RunAlways() => Run(_config.Always);

    /// <summary>Runs the <c>interval</c> queries whose period divides <paramref name="unixTime"/>.</summary>
    public void RunInterval(long unixTime)
    {
        foreach (var (period, queries) in _config.Interval)
        {
            if ((ulong)unixTime % period == 0)
            {
                Run(queries);
            }
        }
    }

    private void Run(IReadOnlyList<string> queries)
    {
        foreach (var sql in queries)
        {
            QueryRun run;
            try
            {
                run = _runner.Run(sql);
            }
            catch (QueryException e)
            {
                _status.Warning($"Error running decorator query {sql}: {e.Message}");
                continue;
            }

            if (run.Rows.Count == 0)
            {
                continue;
            }

            foreach (var cell in run.Rows[0].Cells)
            {
                _values[cell.Key] = cell.Value;
            }

            if (run.Rows.Count > 1)
            {
                _status.Warning($"Multiple rows returned for decorator query: {sql}");
            }
        }
    }
}
