using System.Diagnostics.CodeAnalysis;
using Vigil.Logging;
using Vigil.Schedule;
using Vigil.Sql;

namespace Vigil.Tests.Schedule;

/// <summary>A query runner answering from a table of canned results; SQL containing "syntax error" does not compile.</summary>
internal sealed class FakeQueryRunner : IQueryRunner
{
    private readonly Dictionary<string, Func<QueryRun>> _answers = new(StringComparer.Ordinal);

    public List<string> Ran { get; } = [];

    public void Answer(string sql, QueryRun rows) => _answers[sql] = () => rows;

    public void Answer(string sql, Func<QueryRun> rows) => _answers[sql] = rows;

    public QueryRun Run(string sql)
    {
        Ran.Add(sql);
        if (_answers.TryGetValue(sql, out var answer))
        {
            return answer();
        }

        throw new QueryException($"no such table: {sql}");
    }

    public bool Compiles(string sql, [NotNullWhen(false)] out string? error)
    {
        error = sql.Contains("syntax error", StringComparison.Ordinal) ? "near \"syntax\": syntax error" : null;
        return error is null;
    }

    public static QueryRun Rows(string[] columns, params string[][] rows) => new([.. rows.Select(row => ResultRow.From(columns, row))]);
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}

/// <summary>Keeps every item the scheduler logs.</summary>
internal sealed class RecordingResultLogger : IResultLogger
{
    public List<QueryLogItem> Results { get; } = [];

    public List<QueryLogItem> Snapshots { get; } = [];

    public void LogResults(QueryLogItem item) => Results.Add(item);

    public void LogSnapshot(QueryLogItem item) => Snapshots.Add(item);
}

/// <summary>Keeps every status line as "SEVERITY message".</summary>
internal sealed class RecordingStatusLog : IStatusLog
{
    public List<string> Lines { get; } = [];

    public void Info(string message, string file = "", int line = 0) => Lines.Add("INFO " + message);

    public void Warning(string message, string file = "", int line = 0) => Lines.Add("WARNING " + message);

    public void Error(string message, string file = "", int line = 0) => Lines.Add("ERROR " + message);
}
