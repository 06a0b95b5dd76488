using Vigil.Daemon;
using Vigil.Schedule;
using Xunit;

namespace Vigil.Tests.Schedule;

/// <summary>What the watchdog does to the schedule: interrupted queries denylisted for osquery's day, load shed as delays.</summary>
public sealed class SchedulerWatchdogTests : IDisposable
{
    private const long Start = 1_700_000_040; // a multiple of 120
    private const string Interrupted = "interrupted by the watchdog: memory 300 MB is above --watchdog_memory_limit 200 MB";

    private readonly FakeQueryRunner _runner = new();
    private readonly RecordingStatusLog _status = new();
    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(Start));
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-denylist-").FullName;
    private bool _shedding;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ScheduledQuery Query(string name, string sql, bool denylist = true) =>
        new() { Name = name, Pack = "main", QueryName = name, Sql = sql, Interval = 10, Denylist = denylist };

    private Scheduler Create(QueryDenylist denylist, params ScheduledQuery[] queries) => Create(denylist, enforceEvents: false, queries);

    private Scheduler Create(QueryDenylist denylist, bool enforceEvents, params ScheduledQuery[] queries) => new(
        new OsqueryConfig { Schedule = queries }, _runner, new InMemoryResultStore(), new RecordingResultLogger(), _status,
        new SchedulerOptions { HostIdentifier = "vm", SplayPercent = 101, EventsEnforceDenylist = enforceEvents }, _clock, denylist: denylist, shedding: () => _shedding);

    private void At(Scheduler scheduler, long second)
    {
        _clock.Now = DateTimeOffset.FromUnixTimeSeconds(second);
        scheduler.Tick(second);
    }

    [Fact]
    public void AnInterruptedQuery_IsLoggedAsFailed_DenylistedForADay_AndRunsAgainAfterIt()
    {
        _runner.Answer("grow", () => throw new QueryException(Interrupted) { Interrupted = true });
        var scheduler = Create(new QueryDenylist(_clock, null), Query("grow", "grow"));

        At(scheduler, Start);
        Assert.Equal(
            [$"ERROR Error executing scheduled query grow: {Interrupted}", "WARNING Scheduled query grow is denylisted until 2023-11-15 22:14:00 UTC"],
            _status.Lines);
        Assert.True(Assert.Single(scheduler.ScheduleEntries()).Denylisted);
        Assert.Equal(1L, scheduler.ScheduleEntries()[0].Performance.Executions);

        At(scheduler, Start + 10);
        At(scheduler, Start + 86400);
        Assert.Single(_runner.Ran);

        // osquery's expiry: past the time, not at it.
        At(scheduler, Start + 86410);
        Assert.Equal(2, _runner.Ran.Count);
        Assert.Equal(4, _status.Lines.Count);
    }

    [Fact]
    public void DenylistFalse_KeepsTheQueryScheduled()
    {
        _runner.Answer("grow", () => throw new QueryException(Interrupted) { Interrupted = true });
        var scheduler = Create(new QueryDenylist(_clock, null), Query("grow", "grow", denylist: false));

        At(scheduler, Start);
        At(scheduler, Start + 10);
        Assert.Equal(2, _runner.Ran.Count);
        Assert.Equal($"WARNING Scheduled query grow is not denylisted: its config says \"denylist\": false", _status.Lines[1]);
        Assert.False(scheduler.ScheduleEntries()[0].Denylisted);
    }

    // osquery leaves a query over event tables scheduled unless --events_enforce_denylist.
    [Theory]
    [InlineData(false, 2, "WARNING Scheduled query procs is not denylisted: it reads event tables (--events_enforce_denylist=false)")]
    [InlineData(true, 1, "WARNING Scheduled query procs is denylisted until 2023-11-15 22:14:00 UTC")]
    public void AnInterruptedQueryOverEventTables_IsDenylistedOnlyWithEventsEnforceDenylist(bool enforce, int runs, string line)
    {
        _runner.Answer("events", () => throw new QueryException(Interrupted) { Interrupted = true, EventBased = true });
        var scheduler = Create(new QueryDenylist(_clock, null), enforce, Query("procs", "events"));

        At(scheduler, Start);
        At(scheduler, Start + 10);
        Assert.Equal(runs, _runner.Ran.Count);
        Assert.Equal(line, _status.Lines[1]);
    }

    [Fact]
    public void AQueryThatFailedOtherwise_IsNotDenylisted()
    {
        var scheduler = Create(new QueryDenylist(_clock, null), Query("missing", "SELECT * FROM nothing"));

        At(scheduler, Start);
        At(scheduler, Start + 10);
        Assert.Equal(2, _runner.Ran.Count);
        Assert.Equal(["ERROR Error executing scheduled query missing: no such table: SELECT * FROM nothing"], _status.Lines.Distinct());
    }

    [Fact]
    public void TheDenylist_IsKeptInTheDatabase_UntilItExpires()
    {
        var path = Path.Combine(_dir, "vigil.db");
        VigilDaemon.PrepareStore(path);
        using (var state = new DaemonStateStore(path))
        {
            new QueryDenylist(_clock, state).Add("grow", Interrupted);
        }

        _clock.Now = DateTimeOffset.FromUnixTimeSeconds(Start + 86400);
        using (var state = new DaemonStateStore(path))
        {
            Assert.True(new QueryDenylist(_clock, state).IsDenylisted(Query("grow", "grow")));
        }

        Assert.Equal([new DenylistEntry("grow", Start + 86400, Interrupted)], DaemonStateStore.ReadDenylist(path, Start + 86400));
        Assert.Empty(DaemonStateStore.ReadDenylist(path, Start + 86401));

        _clock.Now = DateTimeOffset.FromUnixTimeSeconds(Start + 86401);
        using (var state = new DaemonStateStore(path))
        {
            Assert.False(new QueryDenylist(_clock, state).IsDenylisted(Query("grow", "grow")));
            Assert.Empty(state.LoadDenylist(Start));
        }
    }

    // Due while the watchdog sheds load, a query waits until the load falls, or until it is due again, and runs once.
    [Fact]
    public void WhileLoadIsShed_DueQueriesWait_AtMostOneInterval()
    {
        _runner.Answer("procs", FakeQueryRunner.Rows(["pid"], ["1"]));
        var scheduler = Create(new QueryDenylist(_clock, null), Query("procs", "procs"));
        var ran = new List<long>();
        void Tick(long offset, bool shedding)
        {
            _shedding = shedding;
            var before = _runner.Ran.Count;
            At(scheduler, Start + offset);
            if (_runner.Ran.Count > before)
            {
                ran.Add(offset);
            }
        }

        Tick(0, true);
        Tick(1, true);
        Tick(2, false);
        Tick(3, false);
        Tick(10, true);
        Tick(15, true);
        Tick(20, true);
        Tick(21, false);
        Tick(30, false);
        Assert.Equal([2L, 20, 30], ran);
    }
}
