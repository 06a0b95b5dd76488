using Microsoft.Data.Sqlite;
using Vigil.Store;
using Vigil.Tables;
using Xunit;
using static Vigil.Tests.Store.TestTables;

namespace Vigil.Tests.Store;

public sealed class EventStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void OpenReadWrite_CreatesDataTablesIndexesAndMetaInWalMode()
    {
        var path = _dir.File("events.db");
        using (EventStore.OpenReadWrite(path, [ProcessEvents, SocketEvents]))
        {
        }

        Assert.Equal(
            [
                "index|test_process_events_data_pid", "index|test_process_events_data_time",
                "index|test_socket_events_data_pid", "index|test_socket_events_data_time",
                "table|sqlite_sequence", "table|test_process_events_data", "table|test_socket_events_data", "table|vigil_meta",
            ],
            Rows(path, "SELECT type || '|' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%' ORDER BY type, name"));
        Assert.Equal(["1"], Rows(path, "SELECT value FROM vigil_meta WHERE key = 'schema_version'"));
        Assert.Equal(["wal"], Rows(path, "PRAGMA journal_mode"));
        Assert.Equal(
            ["eid INTEGER", "pid BIGINT", "path TEXT", "cmdline TEXT", "cmdline_size BIGINT", "time BIGINT"],
            Rows(path, "SELECT name || ' ' || type FROM pragma_table_info('test_process_events_data')"));
    }

    [Fact]
    public void Writer_CommitsATenThousandRowBatchInOneTransaction()
    {
        var path = _dir.File("events.db");
        using (var store = EventStore.OpenReadWrite(path, [ProcessEvents]))
        {
            for (var i = 0; i < 10_000; i++)
            {
                store.Writer.Append(ProcessEvents, ProcessRow(i, "/bin/true", 1_700_000_000 + i));
            }

            Assert.Equal(10_000, store.Writer.Pending);
            Assert.Equal(["0"], Rows(path, "SELECT count(*) FROM test_process_events_data"));
            Assert.Equal(10_000, store.Writer.Commit());
            Assert.Equal(0, store.Writer.Pending);
            Assert.Equal(10_000, store.Writer.Committed);
            Assert.Equal(0, store.Writer.Commit());
        }

        using var reader = EventStore.OpenReadOnly(path, [ProcessEvents]);
        Assert.Equal(10_000, reader.Count(ProcessEvents));
        Assert.Equal(["1|10000|0|9999|1700000000|1700009999"], Rows(path, "SELECT min(eid) || '|' || max(eid) || '|' || min(pid) || '|' || max(pid) || '|' || min(time) || '|' || max(time) FROM test_process_events_data"));
    }

    [Fact]
    public void Writer_StoresEveryCellAndAssignsEidItself()
    {
        var path = _dir.File("events.db");
        using (var store = EventStore.OpenReadWrite(path, [ProcessEvents]))
        {
            store.Writer.Append(ProcessEvents, ProcessRow(42, "/usr/bin/id", 1_700_000_001));
            store.Writer.Append(ProcessEvents, [ColumnValue.Of(43), ColumnValue.Of((string?)null), ColumnValue.Of(""), ColumnValue.Of(0), ColumnValue.Of(1_700_000_002), ColumnValue.Of("0000000099")]);
            store.Writer.Commit();
        }

        Assert.Equal(
            ["1|42|/usr/bin/id|/usr/bin/id --flag|18|1700000001", "2|43|NULL||0|1700000002"],
            Rows(path, "SELECT eid || '|' || pid || '|' || ifnull(path, 'NULL') || '|' || cmdline || '|' || cmdline_size || '|' || time FROM test_process_events_data ORDER BY eid"));
    }

    [Fact]
    public void Writer_RowsOfTwoTablesInterleaved_AreStoredInAppendOrder_ThroughFullAndPartialMultiRowInserts()
    {
        // 42 process rows (two full multi-row inserts, then 10 one by one at the commit) between 21 socket rows (one
        // full, then 5), and a second batch whose eids carry on.
        Assert.Equal(16, StoreWriter.RowsPerInsert);
        var path = _dir.File("events.db");
        var processes = new List<string>();
        var sockets = new List<string>();
        using (var store = EventStore.OpenReadWrite(path, [ProcessEvents, SocketEvents]))
        {
            for (var i = 0; i < 63; i++)
            {
                if (i % 3 == 0)
                {
                    store.Writer.Append(SocketEvents, [ColumnValue.Of($"connect{i}"), ColumnValue.Of(i), ColumnValue.Of(1_700_000_000 + i), ColumnValue.Of("junk")]);
                    sockets.Add($"{sockets.Count + 1}|connect{i}|{i}|{1_700_000_000 + i}");
                }
                else
                {
                    store.Writer.Append(ProcessEvents, ProcessRow(i, $"/bin/p{i}", 1_700_000_000 + i));
                    processes.Add($"{processes.Count + 1}|{i}|/bin/p{i}|/bin/p{i} --flag|{$"/bin/p{i}".Length + 7}|{1_700_000_000 + i}");
                }
            }

            Assert.Equal(63, store.Writer.Pending);
            Assert.Equal(63, store.Writer.Commit());
            for (var i = 63; i < 66; i++)
            {
                store.Writer.Append(ProcessEvents, ProcessRow(i, $"/bin/p{i}", 1_700_000_000 + i));
                processes.Add($"{processes.Count + 1}|{i}|/bin/p{i}|/bin/p{i} --flag|{$"/bin/p{i}".Length + 7}|{1_700_000_000 + i}");
            }

            Assert.Equal(3, store.Writer.Commit());
            Assert.Equal(66, store.Writer.Committed);
        }

        Assert.Equal(45, processes.Count);
        Assert.Equal(21, sockets.Count);
        Assert.Equal(
            processes,
            Rows(path, "SELECT eid || '|' || pid || '|' || path || '|' || cmdline || '|' || cmdline_size || '|' || time FROM test_process_events_data ORDER BY eid"));
        Assert.Equal(
            sockets,
            Rows(path, "SELECT eid || '|' || action || '|' || pid || '|' || time FROM test_socket_events_data ORDER BY eid"));
    }

    [Fact]
    public void Writer_TextsLargerThanTheBindBufferAndAfterIt_AreStoredExactly_RowAfterRow()
    {
        var path = _dir.File("events.db");
        var large = string.Concat(Enumerable.Repeat("ü0123456789", 7000));
        // 20 rows: the first 16 go in one multi-row insert, whose texts overflow the bind buffer several times over;
        // the last 4 go in one by one at the commit.
        var rows = Enumerable.Range(0, 5).SelectMany(i => new[]
        {
            (Path: "/usr/bin/before" + i, Cmdline: large),
            (Path: large + i, Cmdline: "after a large path"),
            (Path: "/bin/short", Cmdline: "é" + i),
            (Path: "", Cmdline: ""),
        }).ToArray();
        using (var store = EventStore.OpenReadWrite(path, [ProcessEvents]))
        {
            foreach (var (rowPath, cmdline) in rows)
            {
                store.Writer.Append(ProcessEvents, [ColumnValue.Of(1), ColumnValue.Of(rowPath), ColumnValue.Of(cmdline), ColumnValue.Of(0), ColumnValue.Of(1_700_000_000), ColumnValue.Of("")]);
            }

            store.Writer.Commit();
        }

        Assert.Equal(
            rows.Select(row => $"{row.Path}|{row.Cmdline}"),
            Rows(path, "SELECT path || '|' || cmdline FROM test_process_events_data ORDER BY eid"));
    }

    [Fact]
    public void Writer_RollbackAndDisposeDropUncommittedRows()
    {
        var path = _dir.File("events.db");
        using (var store = EventStore.OpenReadWrite(path, [ProcessEvents]))
        {
            store.Writer.Append(ProcessEvents, ProcessRow(1, "/a", 10));
            store.Writer.Commit();
            store.Writer.Append(ProcessEvents, ProcessRow(2, "/b", 11));
            store.Writer.Rollback();
            Assert.Equal(1, store.Count(ProcessEvents));

            // 16 rows already inserted by a multi-row insert and 4 still held: the rollback drops all of them.
            for (var i = 0; i < 20; i++)
            {
                store.Writer.Append(ProcessEvents, ProcessRow(100 + i, "/d", 13));
            }

            store.Writer.Rollback();
            store.Writer.Append(ProcessEvents, ProcessRow(4, "/e", 14));
            Assert.Equal(1, store.Writer.Commit());
            store.Writer.Append(ProcessEvents, ProcessRow(3, "/c", 12));
        }

        Assert.Equal(["1,4"], Rows(path, "SELECT group_concat(pid) FROM test_process_events_data"));
    }

    [Fact]
    public void Writer_RejectsARowOfTheWrongLengthAndATableTheStoreDoesNotHold()
    {
        using var store = EventStore.OpenReadWrite(_dir.File("events.db"), [ProcessEvents]);
        var length = Assert.Throws<ArgumentException>(() => store.Writer.Append(ProcessEvents, [ColumnValue.Of(1)]));
        Assert.Equal("test_process_events has 6 columns; the row has 1.", length.Message);
        var table = Assert.Throws<ArgumentException>(() => store.Writer.Append(SocketEvents, new ColumnValue[4]));
        Assert.StartsWith("test_socket_events is not an event table of this store.", table.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteOlderThan_RemovesRowsBeforeTheTime()
    {
        using var store = Filled(10);
        Assert.Equal(5, store.DeleteOlderThan(ProcessEvents, 105));
        Assert.Equal(0, store.DeleteOlderThan(ProcessEvents, 105));
        Assert.Equal(["105,106,107,108,109"], Rows(store.Path, "SELECT group_concat(time) FROM (SELECT time FROM test_process_events_data ORDER BY time)"));
    }

    [Fact]
    public void TrimToMax_RemovesTheOldestRows()
    {
        using var store = Filled(10);
        Assert.Equal(7, store.TrimToMax(ProcessEvents, 3));
        Assert.Equal(0, store.TrimToMax(ProcessEvents, 5));
        Assert.Equal(["8,9,10"], Rows(store.Path, "SELECT group_concat(eid) FROM (SELECT eid FROM test_process_events_data ORDER BY eid)"));
    }

    [Fact]
    public void Eids_AreNeverReusedAfterATableIsEmptied()
    {
        using var store = Filled(3);
        Assert.Equal(3, store.TrimToMax(ProcessEvents, 0));
        store.Writer.Append(ProcessEvents, ProcessRow(7, "/d", 200));
        store.Writer.Commit();
        Assert.Equal(["4"], Rows(store.Path, "SELECT eid FROM test_process_events_data"));
    }

    [Fact]
    public void OpenReadWrite_AddsAColumnTheSpecGainedSinceTheFileWasMade()
    {
        var path = _dir.File("events.db");
        var before = new TableSpec("grow_events", "", true, [new ColumnSpec("pid", ColumnType.BigInt, ""), new ColumnSpec("time", ColumnType.BigInt, "")]);
        var after = new TableSpec("grow_events", "", true, [.. before.Columns, new ColumnSpec("syscall", ColumnType.Text, "")]);
        using (var store = EventStore.OpenReadWrite(path, [before]))
        {
            store.Writer.Append(before, [ColumnValue.Of(1), ColumnValue.Of(10)]);
            store.Writer.Commit();
        }

        using (var store = EventStore.OpenReadWrite(path, [after]))
        {
            store.Writer.Append(after, [ColumnValue.Of(2), ColumnValue.Of(11), ColumnValue.Of("execve")]);
            store.Writer.Commit();
        }

        Assert.Equal(["1|10|NULL", "2|11|execve"], Rows(path, "SELECT pid || '|' || time || '|' || ifnull(syscall, 'NULL') FROM grow_events_data ORDER BY eid"));
    }

    [Fact]
    public void OpenReadOnly_MissingFile_SaysSoAndCreatesNothing()
    {
        var path = _dir.File("missing.db");
        var error = Assert.Throws<StoreException>(() => EventStore.OpenReadOnly(path, [ProcessEvents]));
        Assert.Equal($"Vigil database not found: {path}", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void OpenReadOnlyAndReadWrite_GarbageFile_IsReportedAndLeftUntouched()
    {
        var path = _dir.File("garbage.db");
        var garbage = new byte[8192];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(path, garbage);

        var readOnly = Assert.Throws<StoreException>(() => EventStore.OpenReadOnly(path, [ProcessEvents]));
        Assert.Equal($"{path} is not a Vigil database: file is not a database", readOnly.Message);
        var readWrite = Assert.Throws<StoreException>(() => EventStore.OpenReadWrite(path, [ProcessEvents]));
        Assert.Equal($"{path} is not a Vigil database: file is not a database", readWrite.Message);
        Assert.Equal(garbage, File.ReadAllBytes(path));
    }

    [Fact]
    public void OpenReadOnlyAndReadWrite_OtherSqliteDatabase_IsNotAVigilDatabase()
    {
        var path = _dir.File("other.db");
        Rows(path, "CREATE TABLE notes(text TEXT)", SqliteOpenMode.ReadWriteCreate);

        var readOnly = Assert.Throws<StoreException>(() => EventStore.OpenReadOnly(path, [ProcessEvents]));
        Assert.Equal($"{path} is not a Vigil database (it has no vigil_meta table)", readOnly.Message);
        var readWrite = Assert.Throws<StoreException>(() => EventStore.OpenReadWrite(path, [ProcessEvents]));
        Assert.Equal($"{path} is not a Vigil database (it has tables but no vigil_meta table)", readWrite.Message);
        Assert.Equal(["notes"], Rows(path, "SELECT name FROM sqlite_master"));
    }

    [Fact]
    public void OpenReadOnly_OtherSchemaVersion_IsRefused()
    {
        var path = _dir.File("events.db");
        using (EventStore.OpenReadWrite(path, [ProcessEvents]))
        {
        }

        Rows(path, "UPDATE vigil_meta SET value = '99' WHERE key = 'schema_version'", SqliteOpenMode.ReadWrite);
        var error = Assert.Throws<StoreException>(() => EventStore.OpenReadOnly(path, [ProcessEvents]));
        Assert.Equal($"{path} has Vigil schema version '99'; this Vigil reads version 1", error.Message);
    }

    [Fact]
    public void OpenReadOnly_FileLockedByAnotherConnection_SaysLockedAfterTheBusyTimeout()
    {
        var path = _dir.File("events.db");
        using (EventStore.OpenReadWrite(path, [ProcessEvents]))
        {
        }

        using var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        holder.Open();
        using (var command = holder.CreateCommand())
        {
            command.CommandText = "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; DELETE FROM test_process_events_data;";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<StoreException>(() => EventStore.OpenReadOnly(path, [ProcessEvents]));
        Assert.Equal($"{path}: database is locked", error.Message);
    }

    [Fact]
    public void OpenReadOnly_RefusesTheWriter()
    {
        var path = _dir.File("events.db");
        using (EventStore.OpenReadWrite(path, [ProcessEvents]))
        {
        }

        using var store = EventStore.OpenReadOnly(path, [ProcessEvents]);
        Assert.True(store.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => store.Writer);
    }

    private EventStore Filled(int rows)
    {
        var store = EventStore.OpenReadWrite(_dir.File("events.db"), [ProcessEvents]);
        for (var i = 0; i < rows; i++)
        {
            store.Writer.Append(ProcessEvents, ProcessRow(i, "/bin/sh", 100 + i));
        }

        store.Writer.Commit();
        return store;
    }

    /// <summary>Reads through an independent Microsoft.Data.Sqlite connection: the first column of every row as text.</summary>
    internal static List<string> Rows(string path, string sql, SqliteOpenMode mode = SqliteOpenMode.ReadOnly)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
