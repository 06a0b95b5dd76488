using System.Text;
using Microsoft.Data.Sqlite;
using Vigil.Daemon;
using Vigil.Logging;
using Vigil.Store;
using Vigil.Tests.Schedule;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Daemon;

public sealed class JournaledResultLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Recover_CompletesAnAppendCutInItsSecondChunk_AndKeepsOneAlreadyWhole()
    {
        var database = _dir.File("vigil.db");
        EventStore.OpenReadWrite(database, []).Dispose();
        var cut = _dir.File("cut.log");
        var whole = _dir.File("whole.log");
        File.WriteAllText(cut, "before\n");
        File.WriteAllText(whole, "before\n");
        byte[][] chunks = [Encoding.UTF8.GetBytes("first \u00e9\n"), Encoding.UTF8.GetBytes("second\nthird\n"), Encoding.UTF8.GetBytes("fourth\n")];
        using (var state = new DaemonStateStore(database))
        {
            state.Commit(
                new Dictionary<string, Dictionary<string, long>>(),
                [new LogAppend(cut, 7, [.. chunks.Select(c => (ReadOnlyMemory<byte>)c)]), new LogAppend(whole, 7, [.. chunks.Select(c => (ReadOnlyMemory<byte>)c)])]);
        }

        // The crash came in the middle of the second chunk of one file, after the other was written whole.
        File.AppendAllText(cut, "first \u00e9\nsec");
        File.AppendAllText(whole, "first \u00e9\nsecond\nthird\nfourth\n");
        var status = new RecordingStatusLog();
        using (var state = new DaemonStateStore(database))
        {
            Assert.Equal(1, new JournaledResultLog([], state, status).Recover());
            Assert.Empty(state.Journal());
        }

        Assert.Equal("before\nfirst \u00e9\nsecond\nthird\nfourth\n", File.ReadAllText(cut));
        Assert.Equal("before\nfirst \u00e9\nsecond\nthird\nfourth\n", File.ReadAllText(whole));
        Assert.Equal([$"WARNING Completed the results journaled before an unclean stop: 29 bytes to {cut}"], status.Lines);
    }

    [Fact]
    public void Recover_CutsOffWhatRunsNeverCommittedAppended_AndLeavesAFileNotWrittenAlone()
    {
        var database = _dir.File("vigil.db");
        EventStore.OpenReadWrite(database, []).Dispose();
        var written = _dir.File("written.log");
        var untouched = _dir.File("untouched.log");
        File.WriteAllText(written, "before\n");
        File.WriteAllText(untouched, "before\n");
        using (var state = new DaemonStateStore(database))
        {
            state.JournalAppends([new LogAppend(written, 7, []), new LogAppend(untouched, 7, [])]);
        }

        // The process died after appending to one file, in the middle of a line, and before its commit.
        File.AppendAllText(written, "{\"a\":1}\n{\"b\"");
        var status = new RecordingStatusLog();
        using (var state = new DaemonStateStore(database))
        {
            Assert.Equal(0, new JournaledResultLog([], state, status).Recover());
            Assert.Empty(state.Journal());
        }

        Assert.Equal("before\n", File.ReadAllText(written));
        Assert.Equal("before\n", File.ReadAllText(untouched));
        Assert.Equal([$"WARNING Cut 12 bytes of results off the end of {written}: their runs were not committed before an unclean stop, and run again"], status.Lines);
    }

    [Fact]
    public void Recover_UndoesARotationInTheMiddleOfAnAppendNeverCommitted_ThenCutsItOff()
    {
        var (database, log) = ALogRotatedOnceBeforeAnUncommittedAppend();

        // The size check before a line rotated the file, and the process died in the middle of the next line.
        WriteAcrossRotations(log, "{\"a\":1}\n", "{\"b\":2}\n{\"c\"");
        var status = Recover(database, 0);
        Assert.Equal(["before\n", "older\n"], [File.ReadAllText(log), File.ReadAllText(LogRotation.RotatedName(log, 1))]);
        Assert.False(File.Exists(LogRotation.RotatedName(log, 2)));
        Assert.Equal(
            [$"WARNING Undid 1 rotation of {log} made while appending results whose runs were not committed before an unclean stop",
             $"WARNING Cut 8 bytes of results off the end of {log}: their runs were not committed before an unclean stop, and run again"],
            status.Lines);
    }

    [Fact]
    public void Recover_CompletesAJournaledAppendThatTwoRotationsSplit_OnceInTheFileItStartedIn()
    {
        var (database, log) = ALogRotatedOnce();
        byte[][] chunks = [Encoding.UTF8.GetBytes("{\"a\":1}\n"), Encoding.UTF8.GetBytes("{\"b\":2}\n{\"c\":3}\n")];
        using (var state = new DaemonStateStore(database))
        {
            state.Commit(new Dictionary<string, Dictionary<string, long>>(), [LogAppend.To(log, [.. chunks.Select(c => (ReadOnlyMemory<byte>)c)])]);
        }

        WriteAcrossRotations(log, "{\"a\":1}\n", "{\"b\":2}\n", "{\"c\"");
        var status = Recover(database, 1);
        Assert.Equal(["before\n{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n", "older\n"], [File.ReadAllText(log), File.ReadAllText(LogRotation.RotatedName(log, 1))]);
        Assert.False(File.Exists(LogRotation.RotatedName(log, 2)));
        Assert.Equal($"WARNING Undid 2 rotations of {log} made while appending results journaled before an unclean stop", status.Lines[0]);
    }

    [Fact]
    public void Recover_FinishesTakingBackRotationsThatARecoveryCutShort()
    {
        var (database, log) = ALogRotatedOnceBeforeAnUncommittedAppend();

        WriteAcrossRotations(log, "{\"a\":1}\n", "{\"b\":2}\n", "");

        // The recovery died after deleting the files that held only the append, before the original took its name back.
        File.Delete(log);
        File.Delete(LogRotation.RotatedName(log, 1));
        var status = Recover(database, 0);

        Assert.Equal(["before\n", "older\n"], [File.ReadAllText(log), File.ReadAllText(LogRotation.RotatedName(log, 1))]);
        Assert.Equal(["vigil.db", "vigil.results.log", "vigil.results.log.1"], Directory.GetFiles(Path.GetDirectoryName(log)!).Select(f => Path.GetFileName(f)).Where(f => !f.StartsWith("vigil.db-", StringComparison.Ordinal)).Order());
        Assert.Equal($"WARNING Undid 2 rotations of {log} made while appending results whose runs were not committed before an unclean stop", status.Lines[0]);
    }

    [Fact]
    public void AJournalWrittenBeforeInodesWereRecorded_IsReadWithoutOne_AndNewAppendsKeepTheirs()
    {
        var database = _dir.File("vigil.db");
        EventStore.OpenReadWrite(database, []).Dispose();
        var log = _dir.File("vigil.results.log");
        File.WriteAllText(log, "before\n");
        using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE TABLE vigil_log_journal(path TEXT PRIMARY KEY, offset INTEGER NOT NULL, bytes BLOB NOT NULL); INSERT INTO vigil_log_journal VALUES ('{log}', 7, x'')";
            command.ExecuteNonQuery();
        }

        using var state = new DaemonStateStore(database);
        var old = Assert.Single(state.Journal());
        Assert.Equal((log, 7L, 0UL), (old.Path, old.Offset, old.Inode));

        state.JournalAppends([LogAppend.To(log, [])]);
        var now = Assert.Single(state.Journal());
        Assert.Equal((log, 7L, LogAppend.InodeOf(log)), (now.Path, now.Offset, now.Inode));
        Assert.NotEqual(0UL, now.Inode);
    }

    // The same, with the journal of an append whose runs are never committed.
    private (string Database, string Log) ALogRotatedOnceBeforeAnUncommittedAppend()
    {
        var (database, log) = ALogRotatedOnce();
        using var state = new DaemonStateStore(database);
        state.JournalAppends([LogAppend.To(log, [])]);
        return (database, log);
    }

    // A database and a results log holding "before\n", its one rotated file "older\n".
    private (string Database, string Log) ALogRotatedOnce()
    {
        var database = _dir.File("vigil.db");
        EventStore.OpenReadWrite(database, []).Dispose();
        var log = _dir.File("vigil.results.log");
        File.WriteAllText(log, "before\n");
        File.WriteAllText(LogRotation.RotatedName(log, 1), "older\n");
        return (database, log);
    }

    // What the result sink writes of an append before dying: the pieces, the file rotated between each two.
    private static void WriteAcrossRotations(string log, params string[] pieces)
    {
        for (var i = 0; i < pieces.Length; i++)
        {
            if (i > 0)
            {
                LogRotation.Rotate(log, 5);
            }

            File.AppendAllText(log, pieces[i]);
        }
    }

    // What a restart does with the journal: the number of appends written again is checked, the status lines returned.
    private static RecordingStatusLog Recover(string database, int rewritten)
    {
        var status = new RecordingStatusLog();
        using var state = new DaemonStateStore(database);
        Assert.Equal(rewritten, new JournaledResultLog([], state, status).Recover());
        return status;
    }
}
