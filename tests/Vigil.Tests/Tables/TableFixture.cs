using Vigil.Flags;
using Vigil.Pipeline;
using Vigil.Tables;
using Vigil.Tests.Pipeline;
using Xunit;

namespace Vigil.Tests.Tables;

/// <summary>Feeds a recorded log through the replay into one table's row builder.</summary>
internal static class TableFixture
{
    /// <summary>The uptime <see cref="LogFileTables"/> report for every row.</summary>
    public const long Uptime = 4242;

    /// <summary>The watched and unwatched directories fim.log was recorded in (workload/record-fim.sh).</summary>
    public const string FimFixtureWatched = "/tmp/vigil-fim-fixture/w";

    public const string FimFixtureUnwatched = "/tmp/vigil-fim-fixture/u";

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "tables", name);

    /// <summary>
    /// Every event table as log files get them under the default flags, with the host's uptime and file times replaced
    /// by fixed ones, so the rows are the same on every machine; process_file_events watches fim.log's directory.
    /// </summary>
    public static IReadOnlyList<IEventTable> LogFileTables()
    {
        var options = IngestOptions.FromFlags(FlagValues.Defaults);
        var context = ProcessContext.ForLogFiles();
        return
        [
            new ProcessEventsTable(options.Processes, context, new FixedUptime(Uptime), new FakeFileTimes(new() { ["/usr/bin/python3.11"] = (1, 2, 3) })),
            new SocketEventsTable(options.Sockets, context, new FixedUptime(Uptime)),
            new UserEventsTable(new FixedUptime(Uptime)),
            new ProcessFileEventsTable(
                new ProcessFileEventsOptions { Patterns = FimWorkload.Patterns(FimFixtureWatched), ShowDirectories = true },
                new OpenFiles(null),
                new FixedUptime(Uptime)),
            new NoEventRows(BpfProcessEventsTable.Schema),
            new NoEventRows(BpfSocketEventsTable.Schema),
        ];
    }

    /// <summary>The rows <paramref name="table"/> builds from the fixture's events, in the order they complete.</summary>
    public static List<TableRow> Rows(IEventTable table, string name) => RowsOfFile(table, PathOf(name));

    /// <summary>The rows <paramref name="table"/> builds from the log file or trail at <paramref name="path"/>.</summary>
    public static List<TableRow> RowsOfFile(IEventTable table, string path)
    {
        var rows = new RowList();
        var replay = Replay.ToRows([table], rows);
        replay.ReadLogFiles([path]);
        Assert.Equal(0, replay.Counters.MalformedRecords);
        return rows.Rows;
    }

    /// <summary>The rows <paramref name="table"/> builds from the records of <paramref name="log"/>, a log's text written by a test.</summary>
    public static List<TableRow> RowsOfText(IEventTable table, string log)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, log);
            var rows = new RowList();
            var replay = Replay.ToRows([table], rows);
            replay.ReadLogFiles([path]);
            Assert.Equal(0, replay.Counters.MalformedRecords);
            return rows.Rows;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class RowList : IRowSink
    {
        public List<TableRow> Rows { get; } = [];

        public void Write(TableSpec table, ReadOnlySpan<ColumnValue> row) => Rows.Add(new TableRow(table, row.ToArray()));
    }
}

/// <summary>A built row, read by column name.</summary>
internal sealed class TableRow(TableSpec spec, ColumnValue[] values)
{
    public ColumnValue this[string column]
    {
        get
        {
            var index = spec.IndexOf(column);
            Assert.True(index >= 0, $"{spec.Name} has no column {column}");
            return values[index];
        }
    }

    public string? Text(string column)
    {
        var value = this[column];
        Assert.True(value.IsText, $"{column} is not text");
        return value.Text;
    }

    public long Integer(string column)
    {
        var value = this[column];
        Assert.False(value.IsText, $"{column} is not an integer");
        return value.Integer;
    }

    public bool IsNull(string column) => this[column] is { IsText: true, Text: null };

    /// <summary>The values of <paramref name="columns"/> joined with '|', NULL as "NULL".</summary>
    public string Values(params string[] columns) => string.Join('|', columns.Select(column => this[column] is { IsText: true, Text: null } ? "NULL" : this[column].ToString()));
}

/// <summary>A fixed uptime, so the uptime column is exact.</summary>
internal sealed class FixedUptime(long seconds) : IUptimeSource
{
    public long GetUptimeSeconds() => seconds;
}

/// <summary>File times for known paths, each a regular file of mode 0755; stat fails for the others.</summary>
internal sealed class FakeFileTimes(Dictionary<string, (long Access, long Modify, long Change)> times) : IFileTimes
{
    public bool TryGet(string path, out long accessTime, out long modifyTime, out long changeTime, out uint mode)
    {
        var found = times.TryGetValue(path, out var known);
        (accessTime, modifyTime, changeTime) = known;
        mode = found ? 0x81EDu : 0;
        return found;
    }
}
