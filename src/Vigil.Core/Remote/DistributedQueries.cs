using System.Diagnostics;
using System.Text.Json;
using Vigil.Logging;
using Vigil.Sql;

namespace Vigil.Remote;

/// <summary>
/// Live queries (osquery's distributed plugin over TLS): reads the queries the server has for this node, runs each
/// whose discovery query (if it has one) returns rows, and writes back per query its rows (objects of strings),
/// status (0, or 1 on an error), error message and stats (wall time, user and system CPU time, memory), as osquery
/// does. The SQL runs on the restricted engine (<see cref="SqlEngine.Restrict"/>); the results of one read together
/// stay within one query's byte budget, and queries past it are answered with an error instead of run.
/// </summary>
public sealed class DistributedQueries
{
    // osquery's accelerated distributed interval.
    private const long AcceleratedInterval = 5;

    private readonly RemoteSettings _settings;
    private readonly NodeSession _session;
    private readonly Func<string, IQueryResultSink, string?> _run;
    private readonly IStatusLog _status;
    private long _accelerateUntil;

    /// <param name="settings">The flags.</param>
    /// <param name="session">The node's requests.</param>
    /// <param name="run">Runs SQL into a sink on the restricted engine; returns the error message, or null.</param>
    /// <param name="status">Hears about failures.</param>
    public DistributedQueries(RemoteSettings settings, NodeSession session, Func<string, IQueryResultSink, string?> run, IStatusLog status)
    {
        _settings = settings;
        _session = session;
        _run = run;
        _status = status;
    }

    /// <summary>Seconds until the next read: the interval, or 5 while the server asked to accelerate.</summary>
    public long NextDelay(long now) => now < _accelerateUntil ? Math.Min(AcceleratedInterval, _settings.DistributedInterval) : _settings.DistributedInterval;

    /// <summary>One read, and when it had queries, their runs and one write; failures are logged.</summary>
    public void Poll(long now, CancellationToken cancel)
    {
        List<(string Id, string Sql, string? Discovery)> queries;
        try
        {
            using var read = _session.Request(_settings.DistributedReadEndpoint, _ => { }, false, _settings.DistributedMaxAttempts, cancel);
            queries = Queries(read.RootElement, now);
        }
        catch (RemoteException e)
        {
            _status.Error($"Reading live queries failed: {e.Message}");
            return;
        }

        if (queries.Count == 0)
        {
            return;
        }

        var answers = new List<Answer>(queries.Count);
        var budget = _settings.Budget.MaxBytes;
        foreach (var (id, sql, discovery) in queries)
        {
            if (discovery is not null && !Discovered(discovery))
            {
                continue;
            }

            var answer = budget > 0 ? Run(id, sql) : new Answer(id, [], [], $"not run: the results of this read already reached {_settings.Budget.MaxBytes} bytes", default);
            budget -= answer.Bytes;
            answers.Add(answer);
        }

        if (answers.Count == 0)
        {
            return;
        }

        try
        {
            using var _ = _session.Request(_settings.DistributedWriteEndpoint, writer => Write(writer, answers), false, _settings.DistributedMaxAttempts, cancel);
        }
        catch (RemoteException e)
        {
            _status.Error($"Writing the results of {answers.Count} live queries failed: {e.Message}");
        }
    }

    private List<(string, string, string?)> Queries(JsonElement root, long now)
    {
        if (root.TryGetProperty("accelerate", out var accelerate) && accelerate.TryGetInt64(out var seconds) && seconds > 0)
        {
            _accelerateUntil = now + seconds;
        }

        var queries = new List<(string, string, string?)>();
        if (!root.TryGetProperty("queries", out var all) || all.ValueKind != JsonValueKind.Object)
        {
            return queries;
        }

        root.TryGetProperty("discovery", out var discovery);
        foreach (var query in all.EnumerateObject())
        {
            if (query.Value.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            string? discover = discovery.ValueKind == JsonValueKind.Object && discovery.TryGetProperty(query.Name, out var d) && d.ValueKind == JsonValueKind.String
                ? d.GetString()
                : null;
            queries.Add((query.Name, query.Value.GetString()!, discover));
        }

        return queries;
    }

    private bool Discovered(string sql)
    {
        var results = new QueryResultCollector();
        return _run(sql, results) is null && results.Results.Count > 0 && results.Results[^1].Rows.Count > 0;
    }

    private Answer Run(string id, string sql)
    {
        var results = new QueryResultCollector();
        var cpu = Environment.CpuUsage;
        var memory = Environment.WorkingSet;
        var clock = Stopwatch.StartNew();
        var error = _run(sql, results);
        var wall = clock.ElapsedMilliseconds;
        var spent = Environment.CpuUsage;
        var stats = new Stats(
            wall,
            (long)(spent.UserTime - cpu.UserTime).TotalMilliseconds,
            (long)(spent.PrivilegedTime - cpu.PrivilegedTime).TotalMilliseconds,
            Math.Max(0, Environment.WorkingSet - memory));
        if (error is not null)
        {
            return new Answer(id, [], [], error, stats);
        }

        // osquery answers with the rows of the last statement.
        if (results.Results.Count == 0)
        {
            return new Answer(id, [], [], null, stats);
        }

        var last = results.Results[^1];
        long bytes = 0;
        foreach (var row in last.Rows)
        {
            foreach (var cell in row)
            {
                bytes += cell?.Length ?? 0;
            }
        }

        return new Answer(id, last.Columns, last.Rows, null, stats) { Bytes = bytes };
    }

    private static void Write(Utf8JsonWriter writer, List<Answer> answers)
    {
        writer.WriteStartObject("queries");
        foreach (var answer in answers)
        {
            writer.WriteStartArray(answer.Id);
            foreach (var row in answer.Rows)
            {
                writer.WriteStartObject();
                for (var i = 0; i < answer.Columns.Count; i++)
                {
                    writer.WriteString(answer.Columns[i], row[i] ?? "");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteStartObject("statuses");
        foreach (var answer in answers)
        {
            writer.WriteNumber(answer.Id, answer.Error is null ? 0 : 1);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("messages");
        foreach (var answer in answers)
        {
            writer.WriteString(answer.Id, answer.Error ?? "");
        }

        writer.WriteEndObject();
        writer.WriteStartObject("stats");
        foreach (var answer in answers)
        {
            writer.WriteStartObject(answer.Id);
            writer.WriteNumber("wall_time_ms", answer.Stats.WallMs);
            writer.WriteNumber("user_time", answer.Stats.UserMs);
            writer.WriteNumber("system_time", answer.Stats.SystemMs);
            writer.WriteNumber("memory", answer.Stats.Memory);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private readonly record struct Stats(long WallMs, long UserMs, long SystemMs, long Memory);

    private sealed record Answer(string Id, IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Rows, string? Error, Stats Stats)
    {
        public long Bytes { get; init; }
    }
}
