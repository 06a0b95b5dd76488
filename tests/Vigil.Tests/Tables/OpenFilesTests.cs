using Vigil.Rules;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class OpenFilesTests
{
    [Fact]
    public void AProcessThatExited_IsForgottenAtTheNextSweep_AndALiveOneKept()
    {
        var host = new FakeHost { Alive = { 10, 11 } };
        var files = new OpenFiles(host);
        files.Get(10, 1, 0, create: true)!.Set(3, File("/w/a"));
        files.Get(11, 1, 0, create: true)!.Set(3, File("/w/b"));
        host.Alive.Remove(10);

        files.Get(11, 1, OpenFiles.SweepMilliseconds - 1, create: true);
        Assert.Equal(2, files.Count);
        files.Get(11, 1, OpenFiles.SweepMilliseconds, create: true);
        Assert.Equal(1, files.Count);
        Assert.Null(files.Get(10, 1, 5_000, create: false));
    }

    // The reader runs behind the kernel: a process's last events can be read after it exited.
    [Fact]
    public void AProcessThatExited_IsKept_WhileItsEventsAreStillBeingRead()
    {
        var host = new FakeHost { Alive = { 11 } };
        var files = new OpenFiles(host);
        files.Get(10, 1, 0, create: true)!.Set(3, File("/w/a"));
        files.Get(10, 1, OpenFiles.SweepMilliseconds - 1, create: false);

        files.Get(11, 1, OpenFiles.SweepMilliseconds, create: true);
        Assert.True(files.Get(10, 1, OpenFiles.SweepMilliseconds + 1, create: false)!.TryGet(3, out var file));
        Assert.Equal("/w/a", file.Path);

        files.Get(11, 1, (2 * OpenFiles.SweepMilliseconds) + 1, create: true);
        Assert.Equal(1, files.Count);
    }

    [Fact]
    public void InALogFile_AProcessIsForgottenAfterItsIdleTime()
    {
        var files = new OpenFiles(null);
        files.Get(10, 1, 0, create: true)!.Set(3, File("/w/a"));
        files.Get(11, 1, OpenFiles.IdleMilliseconds, create: true);
        Assert.Equal(2, files.Count);

        files.Get(11, 1, OpenFiles.IdleMilliseconds + OpenFiles.SweepMilliseconds + 1, create: true);
        Assert.Equal(1, files.Count);
    }

    [Fact]
    public void AChild_StartsWithACopyOfItsParentsDescriptors_AndAnUnknownProcessCostsNoEntry()
    {
        var files = new OpenFiles(null);
        var parent = files.Get(10, 1, 0, create: true)!;
        parent.Set(3, File("/w/a"));
        parent.TryGet(3, out var opened);
        opened.Wrote = true;

        var child = files.Get(20, 10, 0, create: false)!;
        Assert.True(child.TryGet(3, out var inherited));
        Assert.Equal("/w/a", inherited.Path);
        Assert.False(inherited.Wrote);
        Assert.Null(files.Get(30, 29, 0, create: false));
        Assert.Equal(2, files.Count);
    }

    [Fact]
    public void Bounds_EvictTheIdlestProcess_AndIgnoreDescriptorsPastTheLimit()
    {
        var files = new OpenFiles(null);
        for (var pid = 1; pid <= OpenFiles.MaxProcesses; pid++)
        {
            files.Get(pid, 0, pid, create: true);
        }

        files.Get(OpenFiles.MaxProcesses + 1, 0, OpenFiles.MaxProcesses + 1, create: true);
        Assert.Equal(OpenFiles.MaxProcesses, files.Count);
        Assert.Null(files.Get(1, 0, OpenFiles.MaxProcesses + 1, create: false));

        var process = files.Get(2, 0, OpenFiles.MaxProcesses + 1, create: true)!;
        for (var fd = 0; fd <= OpenFiles.MaxDescriptors; fd++)
        {
            process.Set(fd, File($"/w/{fd}"));
        }

        Assert.False(process.TryGet(OpenFiles.MaxDescriptors, out _));
        Assert.True(process.TryGet(OpenFiles.MaxDescriptors - 1, out _));
    }

    [Fact]
    public void AnExec_ClosesOnlyTheCloseOnExecDescriptors()
    {
        var process = new OpenFiles(null).Get(10, 1, 0, create: true)!;
        process.Set(3, File("/w/kept"));
        process.Set(4, new OpenFile("/w/closed", watched: true, writable: true, closeOnExec: true, partial: false));

        process.CloseOnExec();

        Assert.True(process.TryGet(3, out _));
        Assert.False(process.TryGet(4, out _));
    }

    // close_range(2) takes out the descriptors from first to last (last may be ~0U), or with CLOSE_RANGE_CLOEXEC only
    // marks them, so that the next exec closes them.
    [Fact]
    public void CloseRange_ForgetsItsRange_OrMarksItForTheNextExec()
    {
        var process = new OpenFiles(null).Get(10, 1, 0, create: true)!;
        foreach (var fd in (int[])[3, 4, 5, 9])
        {
            process.Set(fd, File($"/w/{fd}"));
        }

        process.CloseRange(4, 5, onExecOnly: false);
        Assert.Equal([true, false, false, true], [process.TryGet(3, out _), process.TryGet(4, out _), process.TryGet(5, out _), process.TryGet(9, out _)]);

        process.CloseRange(9, uint.MaxValue, onExecOnly: true);
        Assert.True(process.TryGet(9, out var marked) && marked.CloseOnExec);
        process.CloseOnExec();
        Assert.Equal([true, false], [process.TryGet(3, out _), process.TryGet(9, out _)]);
    }

    [Fact]
    public void ACopy_HasItsOwnCloseOnExecFlag_AndItsFirstWriteIsARowAgain()
    {
        var original = new OpenFile("/w/a", watched: true, writable: true, closeOnExec: true, partial: false) { Wrote = true };

        var copy = original.Clone(closeOnExec: false);

        Assert.Equal(("/w/a", false, false, true), (copy.Path, copy.CloseOnExec, copy.Wrote, original.CloseOnExec));
    }

    // A rename moves every descriptor open on the file, or under the directory, in any process; a name that only
    // starts like it (/w/dir2) is another file, and a descriptor moved out of the watched paths is no longer watched.
    [Fact]
    public void ARename_MovesTheDescriptorsOpenOnItOrUnderIt_InEveryProcess()
    {
        var files = new OpenFiles(null);
        var first = files.Get(10, 1, 0, create: true)!;
        var second = files.Get(20, 1, 0, create: true)!;
        first.Set(3, File("/w/dir/a.txt"));
        first.Set(4, File("/w/dir2/b.txt"));
        second.Set(3, new OpenFile("/w/dir/c.txt", watched: true, writable: true, closeOnExec: false, partial: false) { Wrote = true });
        var patterns = FilePatterns.Parse("""{"w": ["/w/%%"]}""", null);

        files.Renamed("/w/dir", "/w/moved", patterns);
        files.Renamed("/w/moved/a.txt", "/elsewhere/a.txt", patterns);

        Assert.True(first.TryGet(3, out var a));
        Assert.True(second.TryGet(3, out var c));
        Assert.True(first.TryGet(4, out var b));
        Assert.Equal(("/elsewhere/a.txt", false), (a.Path, a.Watched));
        Assert.Equal(("/w/moved/c.txt", true, true), (c.Path, c.Watched, c.Wrote));
        Assert.Equal("/w/dir2/b.txt", b.Path);
    }

    private static OpenFile File(string path) => new(path, watched: true, writable: true, closeOnExec: false, partial: false);

    private sealed class FakeHost : IOpenFileSource
    {
        public HashSet<int> Alive { get; } = [];

        public string ReadDescriptor(int pid, int fd) => string.Empty;

        public bool IsAlive(int pid) => Alive.Contains(pid);
    }
}
