using Vigil.Logging;
using Vigil.Sql;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Logging;

public class QueryLogSerializerTests
{
    // The process_events sample of osquery's docs/wiki/deployment/process-auditing.md, written in the member order of
    // osquery/core/query.cpp (the docs print members reversed, and predate "epoch", "counter" and "numerics").
    private static readonly ResultRow CurlRow = ResultRow.From(
    [
        new("uid", "0"), new("time", "1527895541"), new("pid", "30219"), new("path", "/usr/bin/curl"), new("auid", "1000"),
        new("cmdline", "curl google.com"), new("ctime", "1503452096"), new("cwd", ""), new("egid", "0"), new("euid", "0"),
        new("gid", "0"), new("parent", ""),
    ]);

    private const string CurlColumns =
        "{\"auid\":\"1000\",\"cmdline\":\"curl google.com\",\"ctime\":\"1503452096\",\"cwd\":\"\",\"egid\":\"0\",\"euid\":\"0\",\"gid\":\"0\",\"parent\":\"\",\"path\":\"/usr/bin/curl\",\"pid\":\"30219\",\"time\":\"1527895541\",\"uid\":\"0\"}";

    private static QueryLogItem Item(ResultDiff diff, IReadOnlyList<KeyValuePair<string, string>>? decorations = null) => new()
    {
        Name = "process_events",
        HostIdentifier = "vagrant",
        UnixTime = 1527895550,
        Epoch = 0,
        Counter = 0,
        Decorations = decorations ?? [],
        Diff = diff,
    };

    [Fact]
    public void EventLineMatchesOsquerysShapeByteForByte()
    {
        var lines = Events(Item(new ResultDiff([CurlRow], [])), decorationsTopLevel: false);

        Assert.Equal(
            ["{\"name\":\"process_events\",\"hostIdentifier\":\"vagrant\",\"calendarTime\":\"Fri Jun  1 23:25:50 2018 UTC\",\"unixTime\":1527895550,\"epoch\":0,\"counter\":0,\"numerics\":false,\"columns\":" + CurlColumns + ",\"action\":\"added\"}"],
            lines);
    }

    [Fact]
    public void EventLinesPutRemovedRowsBeforeAddedRowsAndDecorationsBeforeColumns()
    {
        var added = ResultRow.From(["pid"], ["2"]);
        var removed = ResultRow.From(["pid"], ["1"]);
        var item = Item(new ResultDiff([added], [removed]), [new("host_uuid", "abc"), new("username", "root")]) with { Epoch = 7, Counter = 3 };

        var lines = Events(item, decorationsTopLevel: false);

        const string Head = "{\"name\":\"process_events\",\"hostIdentifier\":\"vagrant\",\"calendarTime\":\"Fri Jun  1 23:25:50 2018 UTC\",\"unixTime\":1527895550,\"epoch\":7,\"counter\":3,\"numerics\":false,\"decorations\":{\"host_uuid\":\"abc\",\"username\":\"root\"},";
        Assert.Equal(
            [Head + "\"columns\":{\"pid\":\"1\"},\"action\":\"removed\"}", Head + "\"columns\":{\"pid\":\"2\"},\"action\":\"added\"}"],
            lines);
    }

    [Fact]
    public void EventLines_AreUtf8WithNewlines_RemovedFirst_ForEveryDecorationPlacement()
    {
        var columns = new[] { "pid", "path", "cmdline" };
        ResultRow[] rows = [ResultRow.From(columns, ["1", "/usr/bin/caf\u00e9", "\"q\" \u2603"]), ResultRow.From(columns, ["2", "/bin/true", ""])];
        var item = Item(new ResultDiff(rows, [CurlRow]), [new("host", "h\u00e9")]) with { Counter = 4 };

        foreach (var topLevel in new[] { false, true })
        {
            var encoded = new Utf8Lines();
            QueryLogSerializer.SerializeEvents(item, topLevel, encoded);

            var head = "{\"name\":\"process_events\",\"hostIdentifier\":\"vagrant\",\"calendarTime\":\"Fri Jun  1 23:25:50 2018 UTC\",\"unixTime\":1527895550,\"epoch\":0,\"counter\":4,\"numerics\":false,"
                + (topLevel ? "\"host\":\"h\u00e9\"," : "\"decorations\":{\"host\":\"h\u00e9\"},");
            string[] expected =
            [
                head + "\"columns\":" + CurlColumns + ",\"action\":\"removed\"}",
                head + "\"columns\":{\"cmdline\":\"\\\"q\\\" \u2603\",\"path\":\"/usr/bin/caf\u00e9\",\"pid\":\"1\"},\"action\":\"added\"}",
                head + "\"columns\":{\"cmdline\":\"\",\"path\":\"/bin/true\",\"pid\":\"2\"},\"action\":\"added\"}",
            ];
            Assert.Equal(3, encoded.Count);
            Assert.Equal(expected, encoded.ToStrings());
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(string.Concat(expected.Select(l => l + "\n"))), encoded.ToArray());
        }
    }

    [Fact]
    public void TopLevelDecorationsFollowNumerics()
    {
        var item = Item(new ResultDiff([ResultRow.From(["pid"], ["2"])], []), [new("username", "root")]);

        var line = Assert.Single(Events(item, decorationsTopLevel: true));

        Assert.Equal(
            "{\"name\":\"process_events\",\"hostIdentifier\":\"vagrant\",\"calendarTime\":\"Fri Jun  1 23:25:50 2018 UTC\",\"unixTime\":1527895550,\"epoch\":0,\"counter\":0,\"numerics\":false,\"username\":\"root\",\"columns\":{\"pid\":\"2\"},\"action\":\"added\"}",
            line);
    }

    [Fact]
    public void BatchLineStartsWithDiffResultsRemovedThenAdded()
    {
        var item = Item(new ResultDiff([ResultRow.From(["pid"], ["2"])], [ResultRow.From(["pid"], ["1"])]), [new("username", "root")]) with { Counter = 4 };

        Assert.Equal(
            "{\"diffResults\":{\"removed\":[{\"pid\":\"1\"}],\"added\":[{\"pid\":\"2\"}]},\"name\":\"process_events\",\"hostIdentifier\":\"vagrant\",\"calendarTime\":\"Fri Jun  1 23:25:50 2018 UTC\",\"unixTime\":1527895550,\"epoch\":0,\"counter\":4,\"numerics\":false,\"decorations\":{\"username\":\"root\"}}",
            Batch(item, decorationsTopLevel: false));
    }

    [Fact]
    public void BatchLineOfAnEmptyFirstRunHasEmptyArrays()
    {
        Assert.Equal(
            "{\"diffResults\":{\"removed\":[],\"added\":[]},\"name\":\"process_events\",\"hostIdentifier\":\"vagrant\",\"calendarTime\":\"Fri Jun  1 23:25:50 2018 UTC\",\"unixTime\":1527895550,\"epoch\":0,\"counter\":0,\"numerics\":false}",
            Batch(Item(ResultDiff.Empty), decorationsTopLevel: false));
        Assert.Empty(Events(Item(ResultDiff.Empty), decorationsTopLevel: false));
    }

    [Fact]
    public void SnapshotLineHasSnapshotAndActionFirst()
    {
        var item = Item(ResultDiff.Empty) with { Name = "users", IsSnapshot = true, Snapshot = [ResultRow.From(["uid", "username"], ["0", "root"]), ResultRow.From(["uid", "username"], ["1000", "vagrant"])] };

        Assert.Equal(
            "{\"snapshot\":[{\"uid\":\"0\",\"username\":\"root\"},{\"uid\":\"1000\",\"username\":\"vagrant\"}],\"action\":\"snapshot\",\"name\":\"users\",\"hostIdentifier\":\"vagrant\",\"calendarTime\":\"Fri Jun  1 23:25:50 2018 UTC\",\"unixTime\":1527895550,\"epoch\":0,\"counter\":0,\"numerics\":false}",
            Batch(item, decorationsTopLevel: false));
        Assert.Equal(
            "{\"name\":\"users\",\"hostIdentifier\":\"vagrant\",\"calendarTime\":\"Fri Jun  1 23:25:50 2018 UTC\",\"unixTime\":1527895550,\"epoch\":0,\"counter\":0,\"numerics\":false,\"columns\":{\"uid\":\"0\",\"username\":\"root\"},\"action\":\"snapshot\"}",
            Events(item, decorationsTopLevel: false)[0]);
    }

    [Fact]
    public void StringsAreEscapedAsRapidjsonDoes()
    {
        var row = ResultRow.From(["cmdline"], ["a\"b\\c\n\t\u0001/é"]);

        var line = Assert.Single(Events(Item(new ResultDiff([row], [])), decorationsTopLevel: false));

        Assert.Contains("\"columns\":{\"cmdline\":\"a\\\"b\\\\c\\n\\t\\u0001/é\"}", line, StringComparison.Ordinal);
    }

    private static List<string> Events(QueryLogItem item, bool decorationsTopLevel)
    {
        var lines = new Utf8Lines();
        QueryLogSerializer.SerializeEvents(item, decorationsTopLevel, lines);
        return lines.ToStrings();
    }

    private static string Batch(QueryLogItem item, bool decorationsTopLevel)
    {
        var lines = new Utf8Lines();
        QueryLogSerializer.SerializeBatch(item, decorationsTopLevel, lines);
        return Assert.Single(lines.ToStrings());
    }

    [Theory]
    [InlineData(1462228052, "Mon May  2 22:27:32 2016 UTC")]
    [InlineData(1527895550, "Fri Jun  1 23:25:50 2018 UTC")]
    [InlineData(1700000000, "Tue Nov 14 22:13:20 2023 UTC")]
    [InlineData(0, "Thu Jan  1 00:00:00 1970 UTC")]
    public void CalendarTimeIsAsctimeInUtc(long unixTime, string expected)
    {
        Assert.Equal(expected, CalendarTime.Format(unixTime));
    }
}
