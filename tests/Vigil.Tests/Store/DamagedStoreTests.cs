using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Vigil.Daemon;
using Vigil.Store;
using Xunit;
using static Vigil.Tests.Store.TestTables;

namespace Vigil.Tests.Store;

public sealed class DamagedStoreTests : IDisposable
{
    private const int Rows = 5000;
    internal const int PageSize = 4096;
    private static readonly DateTime Now = new(2026, 12, 6, 19, 30, 5, DateTimeKind.Utc);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Missing_Empty_Sound_OrNotSqlite_NothingIsDone()
    {
        var missing = _dir.File("missing.db");
        Assert.Null(DamagedStore.RecoverIfDamaged(missing, [ProcessEvents], Now));
        Assert.False(File.Exists(missing));

        // An empty file is what a crash during creation leaves: SQLite makes it a new database.
        var empty = _dir.File("empty.db");
        File.WriteAllBytes(empty, []);
        Assert.Null(DamagedStore.RecoverIfDamaged(empty, [ProcessEvents], Now));
        Assert.Equal(0, new FileInfo(empty).Length);

        var sound = Filled("sound.db");
        var bytes = File.ReadAllBytes(sound);
        Assert.Null(DamagedStore.RecoverIfDamaged(sound, [ProcessEvents], Now));
        Assert.Equal(bytes, File.ReadAllBytes(sound));

        var text = _dir.File("notes.db");
        File.WriteAllText(text, "not a database\n");
        Assert.Null(DamagedStore.RecoverIfDamaged(text, [ProcessEvents], Now));
        Assert.Equal("not a database\n", File.ReadAllText(text));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*damaged*"));
    }

    [Fact]
    public void GarbagePages_MovedAsideAsFound_EveryReadableRowRecoveredExactly_WithTheUnsentLines()
    {
        var path = Filled("vigil.db");
        Overwrite(path, firstPage: 40, pages: 3);
        var damagedHash = Hash(path);

        var recovery = DamagedStore.RecoverIfDamaged(path, [ProcessEvents], Now);

        Assert.NotNull(recovery);
        Assert.Equal(path + ".damaged-20261206T193005Z", recovery.DamagedPath);
        Assert.Equal(damagedHash, Hash(recovery.DamagedPath));
        // Each row takes more than 64 bytes of a page: what the three pages held is lost, the rest kept as it was.
        Assert.InRange(recovery.Events, Rows - (3 * PageSize / 64), Rows - 1);
        Assert.Equal(3, recovery.UnsentLines);
        AssertRecoveredRowsExact(path, recovery.Events);
    }

    [Fact]
    public void TruncatedFile_RowsBeforeTheCutRecovered()
    {
        var path = Filled("vigil.db");
        using (var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.SetLength(file, RandomAccess.GetLength(file) / 2 / PageSize * PageSize);
        }

        var recovery = DamagedStore.RecoverIfDamaged(path, [ProcessEvents], Now);

        Assert.NotNull(recovery);
        Assert.InRange(recovery.Events, 1000, Rows - 1);
        AssertRecoveredRowsExact(path, recovery.Events);
    }

    // SQLite stops replaying a -wal at the first frame whose checksum fails: the commit before it is kept, the one
    // after it is gone, and the file is sound.
    [Fact]
    public void DamagedWal_TheCommitsBeforeTheDamageAreKept_AndTheFileIsSound()
    {
        var live = _dir.File("live.db");
        var copy = _dir.File("copy.db");
        using (var store = EventStore.OpenReadWrite(live, [ProcessEvents]))
        {
            for (var i = 1; i <= 100; i++)
            {
                store.Writer.Append(ProcessEvents, ProcessRow(i, $"/bin/p{i}", 1_700_000_000 + i));
                if (i % 50 == 0)
                {
                    store.Writer.Commit();
                }
            }

            // What a power cut leaves: the file and its -wal as they are while the store is open.
            File.Copy(live, copy);
            File.Copy(live + "-wal", copy + "-wal");
        }

        using (var wal = File.OpenHandle(copy + "-wal", FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.Write(wal, new byte[64], RandomAccess.GetLength(wal) - 64);
        }

        Assert.Null(DamagedStore.RecoverIfDamaged(copy, [ProcessEvents], Now));
        using var store2 = EventStore.OpenReadWrite(copy, [ProcessEvents]);
        Assert.Equal(50, store2.Count(ProcessEvents));
    }

    [Fact]
    public void DamagedFile_ThatIsNotVigils_OrANewerVigils_IsLeftAsItIs()
    {
        var other = _dir.File("other.db");
        using (var connection = new SqliteConnection($"Data Source={other};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO notes SELECT i, printf('note %d of many', i) FROM n";
            command.ExecuteNonQuery();
        }

        Overwrite(other, firstPage: 20, pages: 2);
        var otherBytes = File.ReadAllBytes(other);
        var notVigil = Assert.Throws<StoreException>(() => DamagedStore.RecoverIfDamaged(other, [ProcessEvents], Now));
        Assert.StartsWith($"{other} is damaged (Tree 2 page ", notVigil.Message);
        Assert.EndsWith(") and is not a Vigil database (it has no vigil_meta table); it is left as it is", notVigil.Message);
        Assert.Equal(otherBytes, File.ReadAllBytes(other));

        var newer = Filled("newer.db");
        using (var connection = StateConnection.Open(newer))
        {
            StateConnection.Execute(connection, "UPDATE vigil_meta SET value = '2' WHERE key = 'schema_version'");
        }

        Overwrite(newer, firstPage: 40, pages: 3);
        var newerBytes = File.ReadAllBytes(newer);
        var downgrade = Assert.Throws<StoreException>(() => DamagedStore.RecoverIfDamaged(newer, [ProcessEvents], Now));
        Assert.EndsWith(") and has Vigil schema version '2'; this Vigil reads version 1; it is left as it is", downgrade.Message);
        Assert.Equal(newerBytes, File.ReadAllBytes(newer));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*damaged*"));
    }

    /// <summary>A store of <see cref="Rows"/> process rows and the daemon's state tables, three result lines journaled, closed.</summary>
    private string Filled(string name)
    {
        var path = _dir.File(name);
        using (var store = EventStore.OpenReadWrite(path, [ProcessEvents]))
        {
            for (var i = 1; i <= Rows; i++)
            {
                store.Writer.Append(ProcessEvents, ProcessRow(i, $"/usr/bin/program-{i:D5}", 1_700_000_000 + i));
            }

            store.Writer.Commit();
        }

        new DaemonStateStore(path).Dispose();
        using var connection = StateConnection.Open(path);
        StateConnection.Execute(connection, "INSERT INTO vigil_log_journal(path, offset, bytes) VALUES ('/var/log/vigil/vigil.results.log', 0, CAST('{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n' AS BLOB))");
        StateConnection.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        return path;
    }

    /// <summary>Fills pages <paramref name="firstPage"/> (1 is the header's) onwards with a byte no page starts with, as a torn or stray write would.</summary>
    internal static void Overwrite(string path, int firstPage, int pages)
    {
        var garbage = new byte[pages * PageSize];
        Array.Fill(garbage, (byte)0x5a);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.Write(file, garbage, (long)(firstPage - 1) * PageSize);
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The new file is sound and each row in it is the row written with that eid, to the letter.</summary>
    private static void AssertRecoveredRowsExact(string path, long count)
    {
        using var connection = StateConnection.Open(path);
        using (var check = StateConnection.Command(connection, "PRAGMA quick_check"))
        {
            Assert.Equal("ok", check.ExecuteScalar());
        }

        using var command = StateConnection.Command(connection, "SELECT eid, pid, path, cmdline, cmdline_size, time FROM test_process_events_data ORDER BY eid");
        using var reader = command.ExecuteReader();
        var seen = 0;
        while (reader.Read())
        {
            var eid = reader.GetInt64(0);
            var program = $"/usr/bin/program-{eid:D5}";
            Assert.Equal((eid, program, program + " --flag", program.Length + 7L, 1_700_000_000 + eid),
                (reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5)));
            seen++;
        }

        Assert.Equal(count, seen);
    }
}
