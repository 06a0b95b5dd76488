using BenchmarkDotNet.Attributes;
using Vigil.Daemon;
using Vigil.Logging;
using Vigil.Pipeline;
using Vigil.Schedule;
using Vigil.Sql;
using Vigil.Tables;

namespace Vigil.Benchmarks;

/// <summary>
/// One run of a scheduled <c>SELECT * FROM process_events</c> over 10,000 stored rows (about 10 s of execs at the
/// maximum rate), as the daemon makes it with events_optimize: the rows read from the store, made osquery's rows and
/// written one event-form line each; the lines are held, as the daemon holds them until its tick ends.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ScheduledResultBenchmarks
{
    private const int StoredRows = 10_000;

    private readonly HeldLines _sink = new();
    private readonly ScheduledQuery _query = new() { Name = "processes", Pack = "main", QueryName = "processes", Sql = "SELECT * FROM process_events", Interval = 10 };
    private TemporaryStore _store = null!;
    private SqlEngine _engine = null!;
    private DaemonStateStore _state = null!;
    private SqlQueryRunner _runner = null!;
    private Scheduler _scheduler = null!;

    /// <summary>Stores the process_events rows of the typical stream, repeated, then opens the store as the daemon does.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var events = RecordedStream.BuildTypical(StreamSize.TypicalEvents).ToEvents();
        var table = new ProcessEventsTable();
        var row = new ColumnValue[ProcessEventsTable.Schema.Columns.Count];
        _store = new TemporaryStore();
        var sink = new StoreRowSink(_store.Store.Writer);
        for (int stored = 0, i = 0; stored < StoredRows; i++)
        {
            if (table.TryBuildRow(events[i % events.Length], row))
            {
                sink.Write(ProcessEventsTable.Schema, row);
                stored++;
            }
        }

        sink.Commit();
        _store.Close();
        _engine = new SqlEngine(_store.Path, IngestOptions.EventTableSpecs, []);
        _state = new DaemonStateStore(_store.Path);
        _runner = new SqlQueryRunner(_engine, _state, eventsOptimize: true);
        var logger = new ResultLogger([_sink], new ResultLogOptions());
        _scheduler = new Scheduler(new OsqueryConfig(), _runner, _state, logger, NullStatusLog.Instance, new SchedulerOptions { HostIdentifier = "bench" }, TimeProvider.System);
        if (Run() != StoredRows || _sink.Lines!.Count != StoredRows)
        {
            throw new InvalidOperationException($"a run logged {_sink.Lines?.Count} lines, expected {StoredRows}");
        }
    }

    /// <summary>Closes the engine and the state and deletes the store.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        _state.Dispose();
        _store.Dispose();
    }

    /// <summary>One run from the first of the stored rows (the pending marks forgotten); returns the rows logged.</summary>
    [Benchmark]
    public int Run()
    {
        _runner.ClearMarks();
        return _scheduler.Launch(_query)!.Diff.Added.Count;
    }

    private sealed class HeldLines : IResultSink
    {
        public Utf8Lines? Lines { get; private set; }

        public void LogResults(Utf8Lines lines) => Lines = lines;

        public void LogSnapshots(Utf8Lines lines) => Lines = lines;
    }
}
