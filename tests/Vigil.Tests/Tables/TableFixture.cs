using Vigil.Events;
using Vigil.Sources;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

/// <summary>Feeds a recorded log through the record parser and the reassembler into one table's row builder.</summary>
internal static class TableFixture
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "tables", name);

    /// <summary>The rows <paramref name="table"/> builds from the fixture's events, in the order they complete.</summary>
    public static List<TableRow> Rows(IEventTable table, string name)
    {
        var sink = new RowSink(table);
        var counters = new IngestCounters();
        var reassembler = new Reassembler(sink, counters);
        new LogFileSource(PathOf(name)).Read(reassembler);
        reassembler.Flush();
        Assert.Equal(0, counters.MalformedRecords);
        return sink.Rows;
    }

    private sealed class RowSink(IEventTable table) : IAuditEventSink
    {
        public List<TableRow> Rows { get; } = [];

        public void OnEvent(AuditEvent auditEvent)
        {
            var values = new ColumnValue[table.Spec.Columns.Count];
            if (table.TryBuildRow(auditEvent, values))
            {
                Rows.Add(new TableRow(table.Spec, values));
            }
        }
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
}

/// <summary>A fixed uptime, so the uptime column is exact.</summary>
internal sealed class FixedUptime(long seconds) : IUptimeSource
{
    public long GetUptimeSeconds() => seconds;
}

/// <summary>File times for known paths; stat fails for the others.</summary>
internal sealed class FakeFileTimes(Dictionary<string, (long Access, long Modify, long Change)> times) : IFileTimes
{
    public bool TryGet(string path, out long accessTime, out long modifyTime, out long changeTime)
    {
        var found = times.TryGetValue(path, out var known);
        (accessTime, modifyTime, changeTime) = known;
        return found;
    }
}
