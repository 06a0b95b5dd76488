using Vigil.Logging;
using Vigil.Schedule;
using Xunit;

namespace Vigil.Tests.Schedule;

public class SchedulerTests
{
    private const long Start = 1_700_000_040; // a multiple of 120, so of every interval used here

    private readonly FakeQueryRunner _runner = new();
    private readonly RecordingResultLogger _logger = new();
    private readonly RecordingStatusLog _status = new();
    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(Start));

    private static ScheduledQuery Query(string name, string sql, ulong interval = 10) =>
        new() { Name = name, Pack = "main", QueryName = name, Sql = sql, Interval = interval };

    private Scheduler Create(OsqueryConfig config, ulong splay = 101) => new(
        config, _runner, new InMemoryResultStore(), _logger, _status,
        new SchedulerOptions { HostIdentifier = "vm", SplayPercent = splay, Epoch = 3 }, _clock);

    [Fact]
    public void SplayIsStableAndWithinThePercentage()
    {
        ulong a = Splay.Interval("procs", 3600, 10);

        Assert.Equal(a, Splay.Interval("procs", 3600, 10));
        Assert.InRange(a, 3240UL, 3960UL);
        Assert.NotEqual(a, Splay.Interval("users", 3600, 10));
        Assert.Equal(3600UL, Splay.Interval("procs", 3600, 101));
        Assert.Equal(Splay.Interval("procs", 3600, 10), Splay.Interval("procs", 3600, 0));
        Assert.Equal(1UL, Splay.Interval("procs", 1, 10));
        var spread = new HashSet<ulong>();
        for (int i = 0; i < 200; i++)
        {
            ulong v = Splay.Interval($"q{i}", 100, 10);
            Assert.InRange(v, 90UL, 110UL);
            spread.Add(v);
        }

        Assert.True(spread.Count > 15, $"only {spread.Count} distinct splayed intervals");
    }

    [Fact]
    public void ARunOfAMegabyteOrMore_IsFollowedByAFullCollection_BeforeTheNextQuery()
    {
        var value = new string('x', 1000);
        var rows = new string[1100][];
        Array.Fill(rows, [value]);
        _runner.Answer("SELECT cmdline FROM process_events", FakeQueryRunner.Rows(["cmdline"], rows));
        var collections = -1;
        _runner.Answer("SELECT 1 AS after", () =>
        {
            collections = GC.CollectionCount(2);
            return FakeQueryRunner.Rows(["after"], ["1"]);
        });
        var scheduler = Create(new OsqueryConfig { Schedule = [Query("large", "SELECT cmdline FROM process_events"), Query("next", "SELECT 1 AS after")] });

        var before = GC.CollectionCount(2);
        scheduler.Tick(Start);

        Assert.True(collections > before, "no full collection between the large run and the next query");
    }

    [Fact]
    public void QueriesRunWhenTheirIntervalDividesTheTime()
    {
        _runner.Answer("SELECT pid FROM processes", FakeQueryRunner.Rows(["pid"], ["1"]));
        _runner.Answer("SELECT uid FROM users", FakeQueryRunner.Rows(["uid"], ["0"]));
        var scheduler = Create(new OsqueryConfig { Schedule = [Query("procs", "SELECT pid FROM processes", 10), Query("users", "SELECT uid FROM users", 20)] });

        for (long t = Start; t < Start + 40; t++)
        {
            scheduler.Tick(t);
        }

        Assert.Equal(4, _runner.Ran.Count(s => s == "SELECT pid FROM processes"));
        Assert.Equal(2, _runner.Ran.Count(s => s == "SELECT uid FROM users"));
    }

    [Fact]
    public void DifferentialRunsAreLoggedOnlyWhenRowsChange()
    {
        string[][] rows = [["1"], ["2"]];
        _runner.Answer("SELECT pid FROM processes", () => FakeQueryRunner.Rows(["pid"], rows));
        var scheduler = Create(new OsqueryConfig { Schedule = [Query("procs", "SELECT pid FROM processes")] });

        scheduler.Tick(Start);
        scheduler.Tick(Start + 10);
        rows = [["2"], ["3"]];
        _clock.Now = DateTimeOffset.FromUnixTimeSeconds(Start + 20);
        scheduler.Tick(Start + 20);

        Assert.Equal(2, _logger.Results.Count);
        var first = _logger.Results[0];
        Assert.Equal(("procs", "vm", Start, 3UL, 0UL), (first.Name, first.HostIdentifier, first.UnixTime, first.Epoch, first.Counter));
        Assert.Equal(2, first.Diff.Added.Count);
        var second = _logger.Results[1];
        Assert.Equal(1UL, second.Counter);
        Assert.Equal(Start + 20, second.UnixTime);
        Assert.Equal("3", Assert.Single(second.Diff.Added)["pid"]);
        Assert.Equal("1", Assert.Single(second.Diff.Removed)["pid"]);
    }

    [Fact]
    public void RemovedFalseDropsRemovedRowsAndSkipsRunsThatOnlyRemoved()
    {
        string[][] rows = [["1"], ["2"]];
        _runner.Answer("SELECT pid FROM processes", () => FakeQueryRunner.Rows(["pid"], rows));
        var scheduler = Create(new OsqueryConfig { Schedule = [Query("procs", "SELECT pid FROM processes") with { Removed = false }] });

        scheduler.Tick(Start);
        rows = [["2"]];
        scheduler.Tick(Start + 10);
        rows = [["2"], ["5"]];
        scheduler.Tick(Start + 20);

        Assert.Equal(2, _logger.Results.Count);
        Assert.Equal(2UL, _logger.Results[1].Counter);
        Assert.Equal("5", Assert.Single(_logger.Results[1].Diff.Added)["pid"]);
        Assert.Empty(_logger.Results[1].Diff.Removed);
    }

    [Fact]
    public void SnapshotQueriesLogAllRowsEveryRunWithCounterZero()
    {
        _runner.Answer("SELECT uid FROM users", FakeQueryRunner.Rows(["uid"], ["0"], ["1000"]));
        var scheduler = Create(new OsqueryConfig { Schedule = [Query("users", "SELECT uid FROM users") with { Snapshot = true }] });

        scheduler.Tick(Start);
        scheduler.Tick(Start + 10);

        Assert.Empty(_logger.Results);
        Assert.Equal(2, _logger.Snapshots.Count);
        Assert.All(_logger.Snapshots, s => Assert.True(s.IsSnapshot && s.Counter == 0 && s.Snapshot.Count == 2));
    }

    [Fact]
    public void EventQueriesLogEveryRowAsAddedFromCounterOne()
    {
        _runner.Answer("SELECT pid FROM process_events", FakeQueryRunner.Rows(["pid"], ["7"]) with { EventBased = true });
        var scheduler = Create(new OsqueryConfig { Schedule = [Query("execs", "SELECT pid FROM process_events")] });

        scheduler.Tick(Start);
        scheduler.Tick(Start + 10);

        Assert.Equal([1UL, 2UL], _logger.Results.Select(r => r.Counter));
        Assert.All(_logger.Results, r => Assert.Equal("7", Assert.Single(r.Diff.Added)["pid"]));
    }

    [Fact]
    public void FailingQueriesAreReportedAndSkipped()
    {
        var scheduler = Create(new OsqueryConfig { Schedule = [Query("bad", "SELECT * FROM nowhere")] });

        scheduler.Tick(Start);

        Assert.Empty(_logger.Results);
        Assert.Equal(["ERROR Error executing scheduled query bad: no such table: SELECT * FROM nowhere"], _status.Lines);
    }

    [Fact]
    public void DecoratorsMergeFirstRowsAndRunAtTheirPoints()
    {
        int always = 0;
        int interval = 0;
        _runner.Answer("SELECT 'vm' AS hostname", FakeQueryRunner.Rows(["hostname"], ["vm"], ["ignored"]));
        _runner.Answer("SELECT n FROM always", () => FakeQueryRunner.Rows(["always_n"], [(++always).ToString()]));
        _runner.Answer("SELECT n FROM interval", () => FakeQueryRunner.Rows(["interval_n"], [(++interval).ToString()]));
        _runner.Answer("SELECT pid FROM processes", () => FakeQueryRunner.Rows(["pid"], [always.ToString()]));
        var decorators = new DecoratorConfig
        {
            Load = ["SELECT 'vm' AS hostname"],
            Always = ["SELECT n FROM always"],
            Interval = new Dictionary<ulong, IReadOnlyList<string>> { [120] = ["SELECT n FROM interval"] },
        };
        var scheduler = Create(new OsqueryConfig { Schedule = [Query("procs", "SELECT pid FROM processes", 60)], Decorators = decorators });

        for (long t = Start; t <= Start + 180; t += 60)
        {
            scheduler.Tick(t);
        }

        Assert.Equal(2, interval);
        Assert.Equal(4, always);
        Assert.Equal("WARNING Multiple rows returned for decorator query: SELECT 'vm' AS hostname", _status.Lines[0]);
        var last = _logger.Results[^1];
        Assert.Equal(
            [new("always_n", "4"), new("hostname", "vm"), new("interval_n", interval.ToString())],
            last.Decorations);
        Assert.Equal([new("always_n", "1"), new("hostname", "vm")], _logger.Results[0].Decorations);
    }

    [Fact]
    public void PackQueriesRunOnlyWhileDiscoveryFindsRows()
    {
        _runner.Answer("SELECT pid FROM processes", FakeQueryRunner.Rows(["pid"], ["1"]));
        _runner.Answer("SELECT 1 FROM found", FakeQueryRunner.Rows(["1"], ["1"]));
        _runner.Answer("SELECT 1 FROM missing", FakeQueryRunner.Rows(["1"]));
        var on = new PackConfig { Name = "on", Discovery = ["SELECT 1 FROM found"], Queries = [Query("pack_on_procs", "SELECT pid FROM processes") with { Pack = "on" }] };
        var off = new PackConfig { Name = "off", Discovery = ["SELECT 1 FROM missing"], Queries = [Query("pack_off_procs", "SELECT pid FROM processes") with { Pack = "off" }] };
        var scheduler = Create(new OsqueryConfig { Packs = [on, off] });

        scheduler.Tick(Start);
        scheduler.Tick(Start + 10);

        Assert.Equal(["pack_on_procs"], _logger.Results.Select(r => r.Name));
        Assert.Equal(1, _runner.Ran.Count(s => s == "SELECT 1 FROM missing"));
    }

    [Fact]
    public void StartupPriorityQueriesRunOnTheFirstTick()
    {
        _runner.Answer("SELECT pid FROM processes", FakeQueryRunner.Rows(["pid"], ["1"]));
        var scheduler = Create(new OsqueryConfig { Schedule = [Query("procs", "SELECT pid FROM processes", 3600) with { StartupPriority = 1 }] });

        scheduler.Tick(Start + 1);
        scheduler.Tick(Start + 2);

        Assert.Single(_runner.Ran);
    }

    [Fact]
    public async Task RunAsyncTicksEverySecondOnTheInjectedClock()
    {
        _runner.Answer("SELECT pid FROM processes", FakeQueryRunner.Rows(["pid"], ["1"]));
        var config = new OsqueryConfig { Schedule = [Query("procs", "SELECT pid FROM processes", 1)] };
        var scheduler = new Scheduler(config, _runner, new InMemoryResultStore(), _logger, _status, new SchedulerOptions { HostIdentifier = "vm", SplayPercent = 101, Timeout = 5 }, new AdvancingClock(Start));

        await scheduler.RunAsync(CancellationToken.None);

        Assert.Equal(6, _runner.Ran.Count);
    }

    /// <summary>A clock whose timers fire at once, moving time to their due point.</summary>
    private sealed class AdvancingClock(long start) : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.FromUnixTimeSeconds(start);

        public override DateTimeOffset GetUtcNow() => _now;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _now += dueTime;
            callback(state);
            return new NoTimer();
        }

        private sealed class NoTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
