using System.Text;
using Vigil.Daemon;
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
}
