using Vigil.Sql;
using Vigil.Store;
using Vigil.Tables;
using Vigil.Tests.Store;
using Xunit;
using static Vigil.Tests.Store.TestTables;

namespace Vigil.Tests.Sql;

public sealed class SqlEngineTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _path;

    public SqlEngineTests()
    {
        _path = _dir.File("events.db");

        // 100 rows: pid 1000 + i % 10, time 1000 + i, eid i + 1.
        using var store = EventStore.OpenReadWrite(_path, [ProcessEvents, SocketEvents]);
        for (var i = 0; i < 100; i++)
        {
            store.Writer.Append(ProcessEvents, ProcessRow(1000 + (i % 10), "/bin/p" + i, 1000 + i));
        }

        store.Writer.Commit();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SelectStar_LeavesOutHiddenColumns()
    {
        using var engine = Open();
        var result = Single(engine, "SELECT * FROM test_process_events WHERE eid = '0000000003'");
        Assert.Equal(["pid", "path", "cmdline", "time"], result.Columns);
        Assert.Equal([["1002", "/bin/p2", "/bin/p2 --flag", "1002"]], result.Rows);
    }

    [Fact]
    public void HiddenColumns_CanBeNamed()
    {
        using var engine = Open();
        var result = Single(engine, "SELECT eid, cmdline_size, pid FROM test_process_events WHERE time >= 1098");
        Assert.Equal(["eid", "cmdline_size", "pid"], result.Columns);
        Assert.Equal([["0000000099", "15", "1008"], ["0000000100", "15", "1009"]], result.Rows);
    }

    [Fact]
    public void TimeRange_IsPushedDownToTheStore()
    {
        using var engine = Open();
        var before = engine.StoreRowsRead;
        var result = Single(engine, "SELECT group_concat(time) FROM test_process_events WHERE time >= 1010 AND time < 1015");
        Assert.Equal([["1010,1011,1012,1013,1014"]], result.Rows);
        Assert.Equal(5, engine.StoreRowsRead - before);

        var plan = Single(engine, "EXPLAIN QUERY PLAN SELECT * FROM test_process_events WHERE time >= 1010 AND time < 1015");
        Assert.Equal("SCAN test_process_events VIRTUAL TABLE INDEX 2:time>=,time<;pid,path,cmdline,time", plan.Rows[0][3]);
    }

    [Fact]
    public void OnlyTheColumnsAQueryNeeds_AreReadFromTheStore()
    {
        using var engine = Open();
        Assert.Equal("SCAN test_process_events VIRTUAL TABLE INDEX 2:time>=,time<;time",
            Single(engine, "EXPLAIN QUERY PLAN SELECT count(*) FROM test_process_events WHERE time >= 1010 AND time < 1015").Rows[0][3]);
        Assert.Equal("SCAN test_process_events VIRTUAL TABLE INDEX 0:;cmdline,eid",
            Single(engine, "EXPLAIN QUERY PLAN SELECT eid FROM test_process_events WHERE cmdline LIKE '%p7 %'").Rows[0][3]);
        Assert.Equal("SCAN test_process_events VIRTUAL TABLE INDEX 1:pid=",
            Single(engine, "EXPLAIN QUERY PLAN SELECT *, eid, cmdline_size FROM test_process_events WHERE pid = 1003").Rows[0][3]);

        Assert.Equal([["5"]], Single(engine, "SELECT count(*) FROM test_process_events WHERE time >= 1010 AND time < 1015").Rows);
        Assert.Equal([["0000000008"]], Single(engine, "SELECT eid FROM test_process_events WHERE cmdline LIKE '%p7 %'").Rows);
        Assert.Equal([["1003", "/bin/p3", "/bin/p3 --flag", "1003", "0000000004", "14"]],
            Single(engine, "SELECT *, eid, cmdline_size FROM test_process_events WHERE pid = 1003 AND time < 1010").Rows);
    }

    [Fact]
    public void Constraints_WithEveryOperatorAndBoundTextValues_MatchWhatSqliteWouldReturn()
    {
        using var engine = Open();
        Assert.Equal("1095", Single(engine, "SELECT min(time) FROM test_process_events WHERE time > '1094'").Rows[0][0]);
        Assert.Equal("1003", Single(engine, "SELECT max(time) FROM test_process_events WHERE time <= 1003").Rows[0][0]);
        Assert.Equal("1", Single(engine, "SELECT count(*) FROM test_process_events WHERE time = 1042.0").Rows[0][0]);
        Assert.Equal("0", Single(engine, "SELECT count(*) FROM test_process_events WHERE time > NULL").Rows[0][0]);
        Assert.Equal("1040", Single(engine, "SELECT max(time) FROM test_process_events WHERE time < 1050 AND pid = 1000").Rows[0][0]);
    }

    [Fact]
    public void PidEquality_IsPushedDownToTheStore()
    {
        using var engine = Open();
        var before = engine.StoreRowsRead;
        var result = Single(engine, "SELECT count(*), min(time), max(time) FROM test_process_events WHERE pid = 1003");
        Assert.Equal([["10", "1003", "1093"]], result.Rows);
        Assert.Equal(10, engine.StoreRowsRead - before);
    }

    [Fact]
    public void PaddedEid_IsPushedDownAndRechecked()
    {
        using var engine = Open();
        var before = engine.StoreRowsRead;
        var result = Single(engine, "SELECT group_concat(eid) FROM test_process_events WHERE eid >= '0000000098'");
        Assert.Equal([["0000000098,0000000099,0000000100"]], result.Rows);
        Assert.Equal(3, engine.StoreRowsRead - before);

        // Not a 10-digit eid: nothing is pushed down, and SQLite's own TEXT comparison decides ('0000000001' < '5').
        Assert.Equal("100", Single(engine, "SELECT count(*) FROM test_process_events WHERE eid < '5'").Rows[0][0]);
    }

    [Fact]
    public void EventTable_JoinsALiveTable()
    {
        var live = new FakeLiveTable(
        [
            [ColumnValue.Of(1003), ColumnValue.Of("three"), ColumnValue.Of("s3")],
            [ColumnValue.Of(1004), ColumnValue.Of("four"), ColumnValue.Of((string?)null)],
            [ColumnValue.Of(77), ColumnValue.Of("none"), ColumnValue.Of("s77")],
        ]);
        using var engine = new SqlEngine(_path, [ProcessEvents, SocketEvents], [live]);
        var before = engine.StoreRowsRead;
        var result = Single(engine,
            "SELECT p.name, count(*), min(e.time) FROM test_processes p JOIN test_process_events e ON e.pid = p.pid GROUP BY p.name ORDER BY p.name");
        Assert.Equal([["four", "10", "1004"], ["three", "10", "1003"]], result.Rows);
        Assert.Equal(20, engine.StoreRowsRead - before);
        Assert.Equal(1, live.Generated);

        var star = Single(engine, "SELECT *, secret FROM test_processes ORDER BY pid");
        Assert.Equal(["pid", "name", "secret"], star.Columns);
        Assert.Equal([["77", "none", "s77"], ["1003", "three", "s3"], ["1004", "four", null]], star.Rows);
    }

    [Fact]
    public void Execute_RunsEveryStatementAndKeepsNulls()
    {
        using var engine = Open();
        var results = engine.Execute("SELECT 1 AS a; CREATE TEMP TABLE t(x); INSERT INTO t VALUES (2.5); SELECT x, NULL AS n, 'é' AS e FROM t;  -- done");
        Assert.Equal(2, results.Count);
        Assert.Equal(["a"], results[0].Columns);
        Assert.Equal([["1"]], results[0].Rows);
        Assert.Equal(["x", "n", "e"], results[1].Columns);
        Assert.Equal([["2.5", null, "é"]], results[1].Rows);
        Assert.Empty(engine.Execute("  ;  "));
    }

    [Fact]
    public void Errors_CarrySqlitesMessage()
    {
        using var engine = Open();
        Assert.Equal("no such table: foo", Assert.Throws<SqlException>(() => engine.Execute("SELECT * FROM foo")).Message);
        Assert.Equal("near \"SELEC\": syntax error", Assert.Throws<SqlException>(() => engine.Execute("SELEC 1")).Message);
        Assert.Equal("table test_process_events may not be modified",
            Assert.Throws<SqlException>(() => engine.Execute("DELETE FROM test_process_events")).Message);
        Assert.Equal("attempt to write a readonly database",
            Assert.Throws<SqlException>(() => engine.Execute("DELETE FROM test_process_events_data")).Message);
        Assert.Equal("100", Single(engine, "SELECT count(*) FROM test_process_events").Rows[0][0]);
    }

    [Fact]
    public void LiveTableFailure_BecomesAnSqlError()
    {
        var live = new FakeLiveTable([], new InvalidOperationException("cannot read /proc"));
        using var engine = new SqlEngine(_path, [ProcessEvents], [live]);
        Assert.Equal("cannot read /proc", Assert.Throws<SqlException>(() => engine.Execute("SELECT * FROM test_processes")).Message);
    }

    [Fact]
    public void TableNames_ListOnlyUserFacingTables()
    {
        using var engine = new SqlEngine(_path, [SocketEvents, ProcessEvents], [new FakeLiveTable([])]);
        Assert.Equal(["test_process_events", "test_processes", "test_socket_events"], engine.TableNames);
        Assert.Empty(Single(engine, "SELECT name FROM sqlite_master WHERE name IN ('test_process_events', 'test_processes')").Rows);
    }

    [Fact]
    public void Schema_IsWhatOsqueryiPrints()
    {
        using var engine = new SqlEngine(_path, [ProcessEvents], [new FakeLiveTable([])]);
        Assert.Equal(
            "CREATE TABLE test_process_events(`pid` BIGINT, `path` TEXT, `cmdline` TEXT, `cmdline_size` BIGINT HIDDEN, `time` BIGINT, `eid` TEXT HIDDEN);",
            engine.Schema("test_process_events"));
        Assert.Equal(
            "CREATE TABLE test_processes(`pid` BIGINT, `name` TEXT, `secret` TEXT HIDDEN, PRIMARY KEY (`pid`)) WITHOUT ROWID;",
            engine.Schema("test_processes"));
        Assert.Equal("no such table: nope", Assert.Throws<SqlException>(() => engine.Schema("nope")).Message);
    }

    [Fact]
    public void EventTableMissingFromTheStore_IsEmpty()
    {
        var other = new TableSpec("test_file_events", "", true, [new ColumnSpec("pid", ColumnType.BigInt, ""), new ColumnSpec("time", ColumnType.BigInt, "")]);
        using var engine = new SqlEngine(_path, [ProcessEvents, other], []);
        Assert.Equal([["0"]], Single(engine, "SELECT count(*) FROM test_file_events WHERE time > 5").Rows);
    }

    [Fact]
    public void WriterOnAnotherThread_IsSeenByTheEngineAtEachCommit()
    {
        using var engine = Open();
        using var writer = EventStore.OpenReadWrite(_path, [ProcessEvents, SocketEvents]);
        var socketRow = new[] { ColumnValue.Of("connect"), ColumnValue.Of(5), ColumnValue.Of(2000), ColumnValue.Of("") };

        OnThread(() =>
        {
            writer.Writer.Append(SocketEvents, socketRow);
            writer.Writer.Append(SocketEvents, socketRow);
            writer.Writer.Commit();
            writer.Writer.Append(SocketEvents, socketRow);
        });
        Assert.Equal("2", Single(engine, "SELECT count(*) FROM test_socket_events").Rows[0][0]);

        OnThread(() => writer.Writer.Commit());
        Assert.Equal("3", Single(engine, "SELECT count(*) FROM test_socket_events WHERE time = 2000").Rows[0][0]);
    }

    [Fact]
    public void NoDatabase_UsesATemporaryStoreDeletedOnDispose()
    {
        string path;
        using (var engine = new SqlEngine(null, [ProcessEvents], []))
        {
            path = engine.DatabasePath;
            Assert.True(File.Exists(path));
            engine.TemporaryStore!.Writer.Append(ProcessEvents, ProcessRow(9, "/x", 5));
            engine.TemporaryStore.Writer.Commit();
            Assert.Equal([["9", "0000000001"]], Single(engine, "SELECT pid, eid FROM test_process_events").Rows);
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void MissingOrGarbageDatabase_IsAClearErrorAndIsNotCreated()
    {
        var missing = _dir.File("nope.db");
        Assert.Equal($"Vigil database not found: {missing}",
            Assert.Throws<StoreException>(() => new SqlEngine(missing, [ProcessEvents], [])).Message);
        Assert.False(File.Exists(missing));

        var garbage = _dir.File("garbage.db");
        File.WriteAllText(garbage, "this is not a database, it is a text file long enough to have a header\n");
        Assert.Equal($"{garbage} is not a Vigil database: file is not a database",
            Assert.Throws<StoreException>(() => new SqlEngine(garbage, [ProcessEvents], [])).Message);
    }

    [Fact]
    public void NativeLibrary_IsTheOneMicrosoftDataSqliteLoaded()
    {
        using var engine = Open();
        Assert.Equal("1", Single(engine, "SELECT count(*) FROM test_process_events WHERE eid = '0000000001'").Rows[0][0]);
        var paths = new HashSet<string>();
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var start = line.IndexOf('/');
            if (start >= 0 && line.Contains("libe_sqlite3", StringComparison.Ordinal))
            {
                paths.Add(line[start..]);
            }
        }

        Assert.Single(paths);
    }

    /// <summary>Runs <paramref name="action"/> on a thread of its own, as the ingest path does, and waits for it.</summary>
    private static void OnThread(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        Assert.Null(failure);
    }

    private SqlEngine Open() => new(_path, [ProcessEvents, SocketEvents], []);

    private static QueryResult Single(SqlEngine engine, string sql) => Assert.Single(engine.Execute(sql));
}
