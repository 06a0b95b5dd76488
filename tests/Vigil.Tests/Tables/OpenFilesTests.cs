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

    private static OpenFile File(string path) => new(path, watched: true, writable: true, closeOnExec: false, partial: false);

    private sealed class FakeHost : IOpenFileSource
    {
        public HashSet<int> Alive { get; } = [];

        public string ReadDescriptor(int pid, int fd) => string.Empty;

        public bool IsAlive(int pid) => Alive.Contains(pid);
    }
}
