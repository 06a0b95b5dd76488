using System.Diagnostics.CodeAnalysis;
using Vigil.Schedule;
using Vigil.Sql;

namespace Vigil.Daemon;

/// <summary>
/// The scheduler's <see cref="IQueryRunner"/> over an <see cref="SqlEngine"/>. With events_optimize, a scheduled query
/// reads only event rows above its saved marks; the new marks are held in <see cref="PendingMarks"/> until the daemon
/// commits them with the run's results (<see cref="JournaledResultLog"/>). A statement the engine's watch (the
/// watchdog) stopped fails with <see cref="QueryException.Interrupted"/> set.
/// </summary>
public sealed class SqlQueryRunner(SqlEngine engine, DaemonStateStore state, bool eventsOptimize) : IQueryRunner
{
    private static readonly Dictionary<string, long> NoMarks = new(StringComparer.Ordinal);

    private readonly Dictionary<string, Dictionary<string, long>> _pending = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public QueryRun Run(string sql)
    {
        engine.SetEventMarks(NoMarks);
        return Execute(sql, out _);
    }

    /// <inheritdoc/>
    public QueryRun RunScheduled(ScheduledQuery query)
    {
        if (!eventsOptimize)
        {
            return Run(query.Sql);
        }

        var marks = _pending.TryGetValue(query.Name, out var pending) ? pending : state.Marks(query.Name);
        engine.SetEventMarks(marks);
        var rows = Execute(query.Sql, out var scanned);
        var next = new Dictionary<string, long>(marks, StringComparer.Ordinal);
        foreach (var (table, max) in scanned)
        {
            if (max is { } eid && (!next.TryGetValue(table, out var old) || eid > old))
            {
                next[table] = eid;
            }
        }

        _pending[query.Name] = next;
        return rows;
    }

    /// <inheritdoc/>
    public bool Compiles(string sql, [NotNullWhen(false)] out string? error) => engine.Compiles(sql, out error);

    /// <summary>The marks of the runs since the last <see cref="ClearMarks"/>, by query name.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, long>> PendingMarks => _pending;

    /// <summary>Forgets the pending marks (committed, or their results were not logged).</summary>
    public void ClearMarks() => _pending.Clear();

    private QueryRun Execute(string sql, out IReadOnlyDictionary<string, long?> scanned)
    {
        var rows = new ResultRowCollector();
        try
        {
            engine.Execute(sql, rows);
        }
        catch (SqlException e)
        {
            throw new QueryException(e.Message, e) { Interrupted = e.Interrupted, EventBased = engine.ScannedEventTables().Count > 0 };
        }

        scanned = engine.ScannedEventTables();
        return new QueryRun(rows.Rows, scanned.Count > 0);
    }
}
