using Vigil.Logging;
using Vigil.Schedule;
using Vigil.Sql;
using Xunit;

namespace Vigil.Tests.Schedule;

public class DifferentialResultsTests
{
    private static ResultRow Pid(string pid) => ResultRow.From(["pid"], [pid]);

    [Fact]
    public void DiffTreatsRowsAsMultisets()
    {
        var diff = ResultDiff.Compute([Pid("1"), Pid("1"), Pid("2"), Pid("3")], [Pid("3"), Pid("1"), Pid("4"), Pid("4")]);

        Assert.Equal([Pid("4"), Pid("4")], diff.Added);
        Assert.Equal([Pid("1"), Pid("2")], diff.Removed);
    }

    [Fact]
    public void RowsCompareByColumnNameThenValueWhateverTheColumnOrder()
    {
        var a = ResultRow.From(["b", "a"], ["2", "1"]);
        var b = ResultRow.From(["a", "b"], ["1", "2"]);

        Assert.Equal(a, b);
        Assert.Equal("a", a.Cells[0].Key);
        Assert.True(ResultRow.From(["a"], ["1"]).CompareTo(a) < 0);
    }

    [Fact]
    public void FirstRunAddsEverythingWithCounterZeroThenCountsOnlyChanges()
    {
        var store = new InMemoryResultStore();
        var status = new RecordingStatusLog();
        var results = new DifferentialResults(store, status);

        var (first, c0) = results.AddNewResults("procs", "SELECT pid FROM processes", [Pid("1"), Pid("2")], 0);
        var (same, cSame) = results.AddNewResults("procs", "SELECT pid FROM processes", [Pid("2"), Pid("1")], 0);
        var (changed, c1) = results.AddNewResults("procs", "SELECT pid FROM processes", [Pid("2"), Pid("3")], 0);
        var (changedAgain, c2) = results.AddNewResults("procs", "SELECT pid FROM processes", [Pid("3")], 0);

        Assert.Equal((ulong?)0, c0);
        Assert.Equal([Pid("1"), Pid("2")], first.Added);
        Assert.Null(cSame);
        Assert.True(same.IsEmpty);
        Assert.Equal((ulong?)1, c1);
        Assert.Equal([Pid("3")], changed.Added);
        Assert.Equal([Pid("1")], changed.Removed);
        Assert.Equal((ulong?)2, c2);
        Assert.Equal([Pid("2")], changedAgain.Removed);
        var state = store.Get("procs")!;
        Assert.Equal((ulong?)2, state.Counter);
        Assert.Equal([Pid("3")], state.Results);
        Assert.Equal(["INFO Storing initial results for new scheduled query: procs"], status.Lines);
    }

    [Fact]
    public void ANewEpochStartsOverAtCounterZero()
    {
        var status = new RecordingStatusLog();
        var results = new DifferentialResults(new InMemoryResultStore(), status);
        results.AddNewResults("procs", "SELECT 1", [Pid("1")], 0);
        results.AddNewResults("procs", "SELECT 1", [Pid("2")], 0);

        var (diff, counter) = results.AddNewResults("procs", "SELECT 1", [Pid("2")], 5);

        Assert.Equal((ulong?)0, counter);
        Assert.Equal([Pid("2")], diff.Added);
        Assert.Empty(diff.Removed);
        Assert.Equal("INFO New Epoch 5 for scheduled query procs", status.Lines[^1]);
    }

    [Fact]
    public void ChangedSqlKeepsDiffingAgainstThePreviousRowsAsOsqueryDoes()
    {
        var status = new RecordingStatusLog();
        var store = new InMemoryResultStore();
        var results = new DifferentialResults(store, status);
        results.AddNewResults("procs", "SELECT 1", [Pid("1")], 0);

        var (diff, counter) = results.AddNewResults("procs", "SELECT 2", [Pid("1"), Pid("2")], 0);

        Assert.Equal((ulong?)1, counter);
        Assert.Equal([Pid("2")], diff.Added);
        Assert.Equal("SELECT 2", store.Get("procs")!.Sql);
        Assert.Equal("INFO Scheduled query has been updated: procs", status.Lines[^1]);
    }

    [Fact]
    public void EventQueriesAddEveryRowAndStartCountingAtOne()
    {
        var store = new InMemoryResultStore();
        var results = new DifferentialResults(store, new RecordingStatusLog());

        var (first, c1) = results.AddNewEvents("execs", "SELECT * FROM process_events", [Pid("1")], 0);
        var (none, cNone) = results.AddNewEvents("execs", "SELECT * FROM process_events", [], 0);
        var (again, c2) = results.AddNewEvents("execs", "SELECT * FROM process_events", [Pid("1"), Pid("1")], 0);

        Assert.Equal((ulong?)1, c1);
        Assert.Equal([Pid("1")], first.Added);
        Assert.Null(cNone);
        Assert.True(none.IsEmpty);
        Assert.Equal((ulong?)2, c2);
        Assert.Equal([Pid("1"), Pid("1")], again.Added);
        Assert.Empty(store.Get("execs")!.Results);
    }

    [Fact]
    public void AnEventQueryWhoseFirstRunWasEmptyLogsCounterZeroLikeOsquery()
    {
        var results = new DifferentialResults(new InMemoryResultStore(), new RecordingStatusLog());
        results.AddNewEvents("execs", "SELECT * FROM process_events", [], 0);

        var (_, counter) = results.AddNewEvents("execs", "SELECT * FROM process_events", [Pid("1")], 0);

        Assert.Equal((ulong?)0, counter);
    }

    [Fact]
    public void RowsRoundTripThroughTheirJsonForm()
    {
        var rows = new List<ResultRow> { ResultRow.From(["b", "a"], ["x\"y", ""]), Pid("1") };

        string json = ResultRowsJson.Serialize(rows);

        Assert.Equal("[{\"a\":\"\",\"b\":\"x\\\"y\"},{\"pid\":\"1\"}]", json);
        Assert.Equal(rows, ResultRowsJson.Parse(json));
    }
}
