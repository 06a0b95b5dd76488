using Vigil.Logging;
using Vigil.Schedule;
using Vigil.Sql;
using Xunit;

namespace Vigil.Tests.Logging;

public class ResultLoggerTests
{
    private static readonly QueryLogItem Item = new()
    {
        Name = "procs",
        HostIdentifier = "vm",
        UnixTime = 1462228052,
        Diff = new ResultDiff([ResultRow.From(["pid"], ["2"])], [ResultRow.From(["pid"], ["1"])]),
    };

    [Fact]
    public void EventTypeWritesOneLinePerRowAndBatchTypeOneLinePerRun()
    {
        var events = new StringWriter();
        var batch = new StringWriter();

        new ResultLogger([new StdoutResultSink(events)], new ResultLogOptions()).LogResults(Item);
        new ResultLogger([new StdoutResultSink(batch)], new ResultLogOptions { EventType = false }).LogResults(Item);

        const string Head = "\"name\":\"procs\",\"hostIdentifier\":\"vm\",\"calendarTime\":\"Mon May  2 22:27:32 2016 UTC\",\"unixTime\":1462228052,\"epoch\":0,\"counter\":0,\"numerics\":false";
        Assert.Equal(
            "{" + Head + ",\"columns\":{\"pid\":\"1\"},\"action\":\"removed\"}\n{" + Head + ",\"columns\":{\"pid\":\"2\"},\"action\":\"added\"}\n",
            events.ToString());
        Assert.Equal("{\"diffResults\":{\"removed\":[{\"pid\":\"1\"}],\"added\":[{\"pid\":\"2\"}]}," + Head + "}\n", batch.ToString());
    }

    [Fact]
    public void SnapshotsAreOneLineUnlessSnapshotEventTypeIsSet()
    {
        var item = Item with { IsSnapshot = true, Snapshot = [ResultRow.From(["pid"], ["1"]), ResultRow.From(["pid"], ["2"])] };
        var one = new StringWriter();
        var perRow = new StringWriter();

        new ResultLogger([new StdoutResultSink(one)], new ResultLogOptions()).LogSnapshot(item);
        new ResultLogger([new StdoutResultSink(perRow)], new ResultLogOptions { SnapshotEventType = true }).LogSnapshot(item);

        Assert.Single(one.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, perRow.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
