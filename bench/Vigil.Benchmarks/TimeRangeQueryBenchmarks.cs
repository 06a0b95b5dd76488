using BenchmarkDotNet.Attributes;
using Vigil.Pipeline;
using Vigil.Sql;
using Vigil.Tables;

namespace Vigil.Benchmarks;

/// <summary>
/// Time-range queries through <see cref="SqlEngine"/> over a store holding 1,000,000 process_events rows, one per second
/// of event time: a real recorded exec row with its pid and times varied.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class TimeRangeQueryBenchmarks
{
    private const int StoredRows = 1_000_000;
    private const long FirstTime = 1_795_000_000;
    private const long RangeStart = FirstTime + 500_000;

    private static readonly string CountThousand = $"SELECT count(*) FROM process_events WHERE time BETWEEN {RangeStart} AND {RangeStart + 999}";
    private static readonly string CountTenPercent = $"SELECT count(*) FROM process_events WHERE time BETWEEN {RangeStart} AND {RangeStart + 99_999}";
    private static readonly string SelectThousand = $"SELECT pid, path, cmdline, uid, time FROM process_events WHERE time BETWEEN {RangeStart} AND {RangeStart + 999}";

    private TemporaryStore _store = null!;
    private SqlEngine _engine = null!;

    /// <summary>Fills the store, then opens it read-only through the engine and checks each query's answer.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var template = RecordedExecRow();
        var time = ProcessEventsTable.Schema.IndexOf("time");
        var uptime = ProcessEventsTable.Schema.IndexOf("uptime");
        var pid = ProcessEventsTable.Schema.IndexOf("pid");
        _store = new TemporaryStore();
        var sink = new StoreRowSink(_store.Store.Writer);
        for (var i = 0; i < StoredRows; i++)
        {
            template[time] = ColumnValue.Of(FirstTime + i);
            template[uptime] = ColumnValue.Of(1000 + i);
            template[pid] = ColumnValue.Of(10_000 + (i % 4_000_000));
            sink.Write(ProcessEventsTable.Schema, template);
        }

        sink.Commit();
        _store.Close();
        _engine = new SqlEngine(_store.Path, IngestOptions.EventTableSpecs, []);
        Check(CountThousand, "1000", 1);
        Check(CountTenPercent, "100000", 1);
        Check(SelectThousand, null, 1000);
    }

    /// <summary>Closes the engine and deletes the store.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        _store.Dispose();
    }

    /// <summary>count(*) over 1,000 seconds (1,000 rows).</summary>
    [Benchmark]
    public int CountOverThousandRows() => _engine.Execute(CountThousand)[0].Rows.Count;

    /// <summary>count(*) over 100,000 seconds (100,000 rows).</summary>
    [Benchmark]
    public int CountOverHundredThousandRows() => _engine.Execute(CountTenPercent)[0].Rows.Count;

    /// <summary>Five columns of the 1,000 rows in a 1,000 second range.</summary>
    [Benchmark]
    public int SelectThousandRows() => _engine.Execute(SelectThousand)[0].Rows.Count;

    private static ColumnValue[] RecordedExecRow()
    {
        var captured = new CapturedRows();
        var replay = Replay.ToRows([new ProcessEventsTable()], captured);
        RecordedStream.Build(StreamSize.Events).Feed(replay);
        replay.Flush();
        return captured.Rows.Count > 0 ? captured.Rows[0].Row : throw new InvalidOperationException("the fixtures hold no exec event");
    }

    private void Check(string sql, string? firstValue, int rows)
    {
        var result = _engine.Execute(sql)[0];
        if (result.Rows.Count != rows || (firstValue is not null && result.Rows[0][0] != firstValue))
        {
            throw new InvalidOperationException($"{sql}: {result.Rows.Count} rows, first '{(result.Rows.Count > 0 ? result.Rows[0][0] : null)}'");
        }
    }
}
