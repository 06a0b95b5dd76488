using Microsoft.Data.Sqlite;
using Vigil.Daemon;
using Vigil.Flags;
using Vigil.Pipeline;
using Vigil.Schedule;
using Vigil.Sql;
using Vigil.Tables;
using Vigil.Tests.Schedule;
using Xunit;

namespace Vigil.Tests.Daemon;

public sealed class WatchdogTests : IDisposable
{
    private const long MB = 1024 * 1024;
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-watchdog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private readonly RecordingStatusLog _status = new();
    private long _now;
    private long _resident = 90 * MB;
    private TimeSpan _cpu;
    private int _sheds;

    private static WatchdogLimits Limits(long delaySeconds = 0) => new(true, 100 * MB, 10, 12, delaySeconds);

    private Watchdog Create(WatchdogLimits limits) => new(limits, () => _now, () => _resident, () => _cpu, [() =>
    {
        _sheds++;
        return 42;
    }], _status);

    [Fact]
    public void UnderTheLimit_NothingHappens()
    {
        var watchdog = Create(Limits());
        using var query = watchdog.Watch(() => throw new InvalidOperationException("interrupted"));
        watchdog.Check();
        Assert.Equal((0L, 0L, 0, (string?)null), (watchdog.Interrupted, watchdog.Shed, _sheds, query.StopReason));
        Assert.Empty(_status.Lines);
    }

    [Fact]
    public void MemoryOverWhileAQueryRuns_InterruptsTheQueryOnce_AndShedsNothing()
    {
        var watchdog = Create(Limits());
        var interrupts = 0;
        var query = watchdog.Watch(() => interrupts++);
        _resident = 150 * MB;
        watchdog.Check();
        _now = 1000;
        watchdog.Check();
        Assert.Equal((1, 1L, 0), (interrupts, watchdog.Interrupted, _sheds));
        Assert.Equal("memory 150 MB is above --watchdog_memory_limit 100 MB", query.StopReason);
        Assert.Empty(_status.Lines);

        // Once the query returned, memory still over the limit with nothing running: the last resort.
        query.Dispose();
        _now = 1200;
        watchdog.Check();
        Assert.Equal((1, 1, 42L), (interrupts, _sheds, watchdog.Shed));
        Assert.Equal(
            ["WARNING memory 150 MB is above --watchdog_memory_limit 100 MB with no query running: dropped 42 events read from the kernel and not yet stored"],
            _status.Lines);
    }

    [Fact]
    public void MemoryJustOverTheLimit_ReadsAsTheNextMegabyte()
    {
        var watchdog = Create(Limits());
        using var query = watchdog.Watch(() => { });
        _resident = (100 * MB) + 1;
        watchdog.Check();
        Assert.Equal("memory 101 MB is above --watchdog_memory_limit 100 MB", query.StopReason);
    }

    [Fact]
    public void AQueryThatStartedOverTheLimit_RunsOnWithinItsTime_AndNothingIsShedMeanwhile()
    {
        var watchdog = Create(Limits());
        _resident = 150 * MB;
        var interrupts = 0;
        var query = watchdog.Watch(() => interrupts++);
        _resident = 180 * MB;
        watchdog.Check();
        _now = 12_001;
        watchdog.Check();
        Assert.Equal((1, "it ran longer than --watchdog_latency_limit 12 s", 0), (interrupts, query.StopReason, _sheds));
        query.Dispose();
        watchdog.Check();
        Assert.Equal(1, _sheds);
    }

    [Fact]
    public void AQueryPastTheLatencyLimit_IsInterrupted()
    {
        var watchdog = Create(Limits());
        _now = 5000;
        var interrupts = 0;
        using var query = watchdog.Watch(() => interrupts++);
        _now = 17_000;
        watchdog.Check();
        Assert.Equal(0, interrupts);
        _now = 17_001;
        watchdog.Check();
        Assert.Equal((1, "it ran longer than --watchdog_latency_limit 12 s"), (interrupts, query.StopReason));
    }

    [Fact]
    public void SqlFromAServer_IsStoppedForMemoryOnly()
    {
        var watchdog = Create(Limits());
        var interrupts = 0;
        using var query = watchdog.Watch(() => interrupts++, timed: false);
        _now = 60_000;
        watchdog.Check();
        Assert.Equal(0, interrupts);
        _resident = 150 * MB;
        watchdog.Check();
        Assert.Equal((1, "memory 150 MB is above --watchdog_memory_limit 100 MB"), (interrupts, query.StopReason));
    }

    // The real thing in this process: the watchdog's checks on another thread stop a statement that never ends, through
    // sqlite3_interrupt on the engine's connection, and the engine's next statement runs.
    [Fact]
    public void AStatementThatNeverEnds_IsInterruptedFromTheWatchdogsThread_AndTheNextOneRuns()
    {
        using var engine = new SqlEngine(null, IngestOptions.EventTableSpecs, []);
        var watchdog = new Watchdog(new WatchdogLimits(true, long.MaxValue, 100, 1, 0), () => Environment.TickCount64, () => 0, () => TimeSpan.Zero, [], _status);
        engine.Watch = watchdog;
        var failed = WhileChecking(watchdog, () => Assert.Throws<SqlException>(() => engine.Execute("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r")));
        Assert.Equal(("interrupted by the watchdog: it ran longer than --watchdog_latency_limit 1 s", true), (failed.Message, failed.Interrupted));
        Assert.Equal("1", engine.Execute("SELECT 1")[0].Rows[0][0]);
        Assert.Equal(1L, watchdog.Interrupted);
    }

    // Runs body while a thread checks every 50 ms, as the daemon's watchdog thread does every 200 ms.
    private static T WhileChecking<T>(Watchdog watchdog, Func<T> body)
    {
        using var stop = new CancellationTokenSource();
        var checks = new Thread(() =>
        {
            while (!stop.Token.WaitHandle.WaitOne(50))
            {
                watchdog.Check();
            }
        });
        checks.Start();
        try
        {
            return body();
        }
        finally
        {
            stop.Cancel();
            checks.Join();
        }
    }

    // Through the daemon's runner: the failure says the watchdog stopped it, and whether it had read an event table
    // (osquery then leaves it scheduled unless --events_enforce_denylist).
    [Theory]
    [InlineData("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r CROSS JOIN process_events", true)]
    [InlineData("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r", false)]
    public void TheRunner_SaysAStatementWasInterrupted_AndWhetherItReadEvents(string sql, bool eventBased)
    {
        var path = Path.Combine(_dir, "vigil.db");
        VigilDaemon.PrepareStore(path);
        using var state = new DaemonStateStore(path);
        using var engine = new SqlEngine(path, IngestOptions.EventTableSpecs, []);
        var watchdog = new Watchdog(new WatchdogLimits(true, long.MaxValue, 100, 1, 0), () => Environment.TickCount64, () => 0, () => TimeSpan.Zero, [], _status);
        engine.Watch = watchdog;
        var runner = new SqlQueryRunner(engine, state, eventsOptimize: true);
        var failed = WhileChecking(watchdog, () => Assert.Throws<QueryException>(() => runner.RunScheduled(
            new ScheduledQuery { Name = "runaway", Pack = "main", QueryName = "runaway", Sql = sql, Interval = 60 })));
        Assert.Equal(("interrupted by the watchdog: it ran longer than --watchdog_latency_limit 1 s", true, eventBased), (failed.Message, failed.Interrupted, failed.EventBased));
    }

    [Fact]
    public void WithinTheDelay_NothingIsEnforced()
    {
        var watchdog = Create(Limits(delaySeconds: 60));
        var interrupts = 0;
        using var query = watchdog.Watch(() => interrupts++);
        _resident = 150 * MB;
        _now = 59_999;
        watchdog.Check();
        Assert.Equal(0, interrupts);
        _now = 60_000;
        watchdog.Check();
        Assert.Equal(1, interrupts);
    }

    [Fact]
    public void AQueryNoLongerWatched_IsNeverInterrupted()
    {
        var watchdog = Create(Limits());
        var interrupts = 0;
        watchdog.Watch(() => interrupts++).Dispose();
        _resident = 150 * MB;
        _now = 20_000;
        watchdog.Check();
        Assert.Equal((0, 1), (interrupts, _sheds));
    }

    [Fact]
    public void NoQueryRunning_MemoryOver_ShedsAtMostOnceASecond()
    {
        var watchdog = Create(Limits());
        _resident = 150 * MB;
        foreach (var at in new long[] { 0, 200, 999, 1000, 1800, 2000 })
        {
            _now = at;
            watchdog.Check();
        }

        Assert.Equal((3, 126L), (_sheds, watchdog.Shed));
    }

    // The audit and the BPF source can collect together (--enable_bpf_events beside audit): both queues are shed.
    [Fact]
    public void TheLastResort_ShedsTheQueueOfEveryCollector()
    {
        var shedQueues = new List<string>();
        var watchdog = new Watchdog(Limits(), () => _now, () => 150 * MB, () => _cpu, [() =>
        {
            shedQueues.Add("audit");
            return 40;
        }, () =>
        {
            shedQueues.Add("bpf");
            return 2;
        }], _status);

        watchdog.Check();

        Assert.Equal(["audit", "bpf"], shedQueues);
        Assert.Equal(42L, watchdog.Shed);
        Assert.Equal(
            ["WARNING memory 150 MB is above --watchdog_memory_limit 100 MB with no query running: dropped 42 events read from the kernel and not yet stored"],
            _status.Lines);
    }

    [Fact]
    public void NoQueryRunning_MemoryUnderTheLimitAfterACollection_ShedsNothing()
    {
        var reads = 0;
        var watchdog = new Watchdog(Limits(), () => _now, () => ++reads == 1 ? 150 * MB : 90 * MB, () => _cpu, [() => throw new InvalidOperationException("shed")], _status);
        watchdog.Check();
        Assert.Equal((2, 0L), (reads, watchdog.Shed));
        Assert.Empty(_status.Lines);
    }

    // osquery's watcher: CPU is measured every 3 s; 12 s over the limit in a row shed the load, one interval under it
    // starts the count again, and the first interval back under ends the shedding.
    [Fact]
    public void SustainedCpu_ShedsLoad_AfterTheLatencyLimit_UntilAnIntervalUnderTheLimit()
    {
        var watchdog = Create(Limits());
        var shedding = new List<bool>();
        void Interval(long cpuMilliseconds)
        {
            _now += 3000;
            _cpu += TimeSpan.FromMilliseconds(cpuMilliseconds);
            watchdog.Check();
            shedding.Add(watchdog.Shedding);
        }

        watchdog.Check();
        Interval(600);
        Interval(600);
        Interval(600);
        Interval(300);
        Interval(600);
        Interval(600);
        Interval(600);
        Interval(600);
        Interval(600);
        Interval(150);
        Assert.Equal([false, false, false, false, false, false, false, true, true, false], shedding);
        Assert.Equal(
            [
                "WARNING CPU 20% of a core has been above --watchdog_utilization_limit 10% for 12 s: scheduled queries wait until it falls (each at most one interval); collection and storing go on",
                "INFO CPU 5% of a core is under --watchdog_utilization_limit 10% again: scheduled queries run when due",
            ],
            _status.Lines);
    }

    [Fact]
    public void CpuIsMeasuredOverWholeIntervals()
    {
        var watchdog = Create(Limits() with { LatencySeconds = 3 });
        watchdog.Check();
        _now = 2999;
        _cpu = TimeSpan.FromSeconds(2);
        watchdog.Check();
        Assert.False(watchdog.Shedding);
        _now = 3000;
        watchdog.Check();
        Assert.True(watchdog.Shedding);
    }

    [Theory]
    [InlineData(new string[0], true, 200, 10, 12, 60)]
    [InlineData(new[] { "--watchdog_level=1" }, true, 100, 5, 6, 60)]
    [InlineData(new[] { "--watchdog_level=1", "--watchdog_memory_limit=350", "--watchdog_utilization_limit=50", "--watchdog_latency_limit=30", "--watchdog_delay=0" }, true, 350, 50, 30, 0)]
    [InlineData(new[] { "--watchdog_level=-1" }, false, 200, 10, 12, 60)]
    [InlineData(new[] { "--disable_watchdog=true" }, false, 200, 10, 12, 60)]
    public void LimitsFromFlags(string[] flags, bool enabled, long megabytes, long percent, long seconds, long delay) =>
        Assert.Equal(new WatchdogLimits(enabled, megabytes * MB, percent, seconds, delay), WatchdogLimits.FromFlags(FlagParser.ForVigil().Parse(flags).Values));

    [Fact]
    public void ResidentBytes_IsThisProcesssResidentSet()
    {
        var statusLine = File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var fromStatus = long.Parse(statusLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        Assert.InRange(Watchdog.ReadResidentBytes(), fromStatus / 2, fromStatus * 2);
    }

    // A second connection holds the write lock, so the writer thread waits in its first commit with the first row while
    // the others pile up in the queue: exactly the memory Shed gives back. The rows it sheds are gone; the others are
    // stored.
    [Fact]
    public void Shed_DropsWhatWaits_NotTheBatchBeingWritten_AndTheRestIsStored()
    {
        var path = Path.Combine(_dir, "vigil.db");
        var queue = new StoreQueue(path, IngestOptions.EventTableSpecs, new StoreQueueOptions { CommitWindow = TimeSpan.Zero });
        var row = new ColumnValue[UserEventsTable.Schema.Columns.Count];
        Array.Fill(row, ColumnValue.Of(1));
        using (var blocker = new SqliteConnection($"Data Source={path}"))
        {
            blocker.Open();
            using var lockCommand = blocker.CreateCommand();
            lockCommand.CommandText = "BEGIN IMMEDIATE";
            lockCommand.ExecuteNonQuery();
            queue.Write(UserEventsTable.Schema, row);
            Thread.Sleep(200);
            for (var i = 0; i < 999; i++)
            {
                queue.Write(UserEventsTable.Schema, row);
            }

            Assert.Equal(999, queue.Shed());
            Assert.Equal((999L, 1), (queue.ShedRows, queue.Depth));
            lockCommand.CommandText = "ROLLBACK";
            lockCommand.ExecuteNonQuery();
            queue.Write(UserEventsTable.Schema, row);
            queue.Dispose();
            Assert.Equal((2L, 999L), (queue.Committed, queue.Dropped));
        }

        using var check = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT count(*) FROM user_events_data";
        Assert.Equal(2L, (long)count.ExecuteScalar()!);
    }
}
