using System.Diagnostics.CodeAnalysis;
using Vigil.Schedule;
using Vigil.Sql;

namespace Vigil.Daemon;

/// <summary>
/// The scheduler's <see cref="IQueryRunner"/> over an <see cref="SqlEngine"/>. With events_optimize, a scheduled query
/// reads only event rows above its saved marks; the new marks are held in <see cref="PendingMarks"/> until the daemon
/// commits them with the run's results (<see cref="JournaledResultLog"/>).
/// </summary>
public sealed class SqlQueryRunner(SqlEngine engine, DaemonStateStore state, bool eventsOptimize) : IQueryRunner
{
    private static readonly Dictionary<string, long> NoMarks = new(StringComparer.Ordinal);

    private readonly Dictionary<string, Dictionary<string, long>> _pending = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public QueryRows Run(string sql)
    {
        engine.SetEventMarks(NoMarks);
        return Execute(sql, out _);
    }

    /// <inheritdoc/>
    public QueryRows RunScheduled(ScheduledQuery query)
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

    private QueryRows Execute(string sql, out IReadOnlyDictionary<string, long?> scanned)
    {
        IReadOnlyList<QueryResult> results;
        try
        {
            results = engine.Execute(sql);
        }
        catch (SqlException e)
        {
            throw new QueryException(e.Message, e);
        }

        scanned = engine.ScannedEventTables();
        if (results.Count == 0)
        {
            return new QueryRows([], [], scanned.Count > 0);
        }

        // The engine's rows are this call's own: NULL becomes the empty string in place rather than in a copy of
        // every row (a scheduled SELECT * of 10 s of events at the maximum rate is some 10,000 rows).
        var last = results[^1];
        var rows = new List<IReadOnlyList<string>>(last.Rows.Count);
        foreach (var row in last.Rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                row[i] ??= string.Empty;
            }

            rows.Add(row!);
        }

        return new QueryRows(last.Columns, rows, scanned.Count > 0);
    }
}
