using Vigil.Pipeline;
using Vigil.Sql;
using Vigil.Tables;
using Vigil.Tests.Tables;
using Xunit;

namespace Vigil.Tests.Sql;

/// <summary>
/// The shell over log files reads event tables straight from the files (<see cref="LogFileRows"/>); these compare every
/// answer with the old path, the same files loaded into a scratch store (<see cref="LogFileLoader"/>) and indexed.
/// </summary>
public sealed class StreamedEventTableTests
{
    // Every fixture in the order of its events' times, so a time-index plan on the store and the files' order agree.
    private static readonly string[] Chronological =
    [
        "records/raw.log", "tables/exec.log", "tables/exec-large.log", "tables/sockets.log", "tables/user.log", "records/enriched.log",
    ];

    public static TheoryData<string[]> FixtureSets => new()
    {
        { ["records/raw.log"] },
        { ["records/enriched.log"] },
        { Chronological },
    };

    [Theory]
    [MemberData(nameof(FixtureSets))]
    public void EveryColumnOfEveryTable_IsTheStoredValueAndType_InTheSameOrder(string[] fixtures)
    {
        using var pair = new EnginePair(fixtures);
        var rows = 0;
        foreach (var spec in IngestOptions.EventTableSpecs)
        {
            var columns = string.Join(", ", spec.Columns.Select(c => $"\"{c.Name}\", typeof(\"{c.Name}\")"));
            rows += pair.AssertSame($"SELECT rowid, {columns} FROM {spec.Name}");
            pair.AssertSame($"SELECT * FROM {spec.Name}");
        }

        Assert.True(rows >= 4, $"only {rows} rows");
        // Answered from the files: nothing was loaded into the store.
        foreach (var spec in IngestOptions.EventTableSpecs)
        {
            Assert.Equal(0, pair.Streamed.TemporaryStore!.Count(spec));
        }
    }

    [Theory]
    [InlineData("SELECT eid, pid, time, path, cmdline FROM process_events WHERE time >= 1795268000 AND time < 1795268050", 7)]
    [InlineData("SELECT eid, pid, time, path FROM process_events WHERE time BETWEEN 1795267961.5 AND 1795268064.0", 9)]
    [InlineData("SELECT eid, action, time, remote_address FROM socket_events WHERE time > '1795267961' AND time <= 1795268023", 13)]
    [InlineData("SELECT eid, type, time, message FROM user_events WHERE time < 1795268064 AND eid > '0000000003'", 20)]
    [InlineData("SELECT eid, pid, time FROM process_events WHERE pid = (SELECT max(pid) FROM process_events) AND time > 0", 1)]
    [InlineData("SELECT count(*) FROM socket_events WHERE time >= 1795268023 AND eid <= '0000000010'", 1)]
    public void TimeRange_GivesTheStoredRows(string sql, int expectedRows)
    {
        using var pair = new EnginePair(Chronological);
        Assert.Equal(expectedRows, pair.AssertSame(sql));
    }

    [Theory]
    [InlineData("SELECT p.eid, p.pid, p.path, u.eid, u.type, u.message FROM process_events p JOIN user_events u ON u.pid = p.pid ORDER BY 1, 4", 4)]
    [InlineData("SELECT p.eid, p.cmdline, s.eid, s.action, s.remote_port FROM process_events p JOIN socket_events s ON s.auid = p.auid AND s.time >= p.time ORDER BY 1, 3", 160)]
    [InlineData("SELECT a.eid, b.eid FROM process_events a JOIN process_events b ON b.time = a.time AND b.eid > a.eid ORDER BY 1, 2", 28)]
    public void JoinOfTwoEventTables_GivesTheStoredRows(string sql, int expectedRows)
    {
        using var pair = new EnginePair(Chronological);
        Assert.Equal(expectedRows, pair.AssertSame(sql));

        // The inner side of the join needed a pass per outer row: its table was loaded into the store once.
        var loaded = 0L;
        foreach (var spec in IngestOptions.EventTableSpecs)
        {
            loaded += pair.Streamed.TemporaryStore!.Count(spec);
        }

        Assert.True(loaded > 0);
        Assert.Equal(expectedRows, pair.AssertSame(sql));
    }

    [Fact]
    public void SeveralStatements_EachReadTheFilesAgain()
    {
        using var pair = new EnginePair(Chronological);
        var streamed = pair.Streamed.Execute(
            "SELECT count(*) FROM process_events; SELECT max(eid), min(time) FROM socket_events; SELECT count(*) FROM process_events WHERE time > 1795268023");
        var stored = pair.Stored.Execute(
            "SELECT count(*) FROM process_events; SELECT max(eid), min(time) FROM socket_events; SELECT count(*) FROM process_events WHERE time > 1795268023");

        Assert.Equal(["13", "0000000015|1795267961", "2"], streamed.Select(r => string.Join('|', r.Rows[0])));
        Assert.Equal(stored.Select(r => string.Join('|', r.Rows[0])), streamed.Select(r => string.Join('|', r.Rows[0])));
    }

    [Fact]
    public void AQueryThatStopsEarly_ReadsOnlyWhatItNeeds()
    {
        using var pair = new EnginePair(Chronological);
        Assert.Equal(2, pair.AssertSame("SELECT eid, path FROM process_events LIMIT 2"));
        Assert.Equal(2, pair.Streamed.StoreRowsRead);
    }

    [Fact]
    public void AMissingFile_IsNamedWhenTheSourceIsMade()
    {
        var error = Assert.Throws<FileNotFoundException>(() => new LogFileRows(["/nonexistent/audit.log"], () => []));
        Assert.Equal("Audit log file not found: /nonexistent/audit.log", error.Message);
    }

    [Fact]
    public void AFileRemovedAfterTheSourceIsMade_EndsThePassWithItsName_AfterTheRowsBeforeIt()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-streamed-");
        try
        {
            var first = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tables", "exec.log");
            var second = Path.Combine(dir.FullName, "gone.log");
            File.Copy(first, second);
            var rows = new LogFileRows([first, second], TableFixture.LogFileTables);
            File.Delete(second);

            using var reader = rows.Open(ProcessEventsTable.Schema);
            var paths = new List<string?>();
            var error = Assert.Throws<FileNotFoundException>(() =>
            {
                while (reader.MoveNext())
                {
                    paths.Add(reader.Current[ProcessEventsTable.Schema.IndexOf("path")].Text);
                }
            });

            Assert.Equal($"Audit log file not found: {second}", error.Message);
            Assert.Equal(5, paths.Count);
            Assert.Equal("/usr/bin/echo", paths[0]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The same files behind a store loaded as the shell used to load it, and behind the streamed tables.</summary>
    private sealed class EnginePair : IDisposable
    {
        public EnginePair(string[] fixtures)
        {
            var paths = fixtures.Select(f => Path.Combine(AppContext.BaseDirectory, "Fixtures", f)).ToArray();
            Stored = new SqlEngine(null, IngestOptions.EventTableSpecs, []);
            LogFileLoader.Load(paths, TableFixture.LogFileTables(), Stored.TemporaryStore!.Writer);
            Stored.TemporaryStore.CreateIndexes();
            Streamed = new SqlEngine(null, IngestOptions.EventTableSpecs, [], new LogFileRows(paths, TableFixture.LogFileTables));
        }

        public SqlEngine Stored { get; }

        public SqlEngine Streamed { get; }

        /// <summary>Asserts both engines give the same columns and rows, in the same order; returns the number of rows.</summary>
        public int AssertSame(string sql)
        {
            var stored = Stored.Execute(sql).Single();
            var streamed = Streamed.Execute(sql).Single();
            Assert.Equal(stored.Columns, streamed.Columns);
            Assert.Equal(stored.Rows, streamed.Rows);
            return streamed.Rows.Count;
        }

        public void Dispose()
        {
            Stored.Dispose();
            Streamed.Dispose();
        }
    }
}
