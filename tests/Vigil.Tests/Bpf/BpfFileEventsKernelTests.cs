using Vigil.Pipeline;
using Vigil.Rules;
using Vigil.Tables;
using Vigil.Tests.Pipeline;
using Xunit;

namespace Vigil.Tests.Bpf;

/// <summary>
/// process_file_events from the BPF programs (<c>--event_source=bpf</c>) against the real kernel: fim.py, the workload
/// the audit source's kernel tests and fim.log share, must give the same rows; a directory outside file_paths must make
/// the programs send no record at all.
/// </summary>
[Collection("Kernel")]
public sealed class BpfFileEventsKernelTests : IDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"vigil-bpf-fim-{Guid.NewGuid():N}.db");
    private readonly string _root = Directory.CreateTempSubdirectory("vigil-bpf-fim-").FullName;

    public void Dispose()
    {
        foreach (var suffix in (string[])["", "-wal", "-shm"])
        {
            File.Delete(_database + suffix);
        }

        Directory.Delete(_root, recursive: true);
    }

    [BpfFact]
    public void EveryOperation_GivesTheAuditSourcesRow_AndAnEarlierDescriptorAPartialOne()
    {
        var (w, u) = FimWorkload.Prepare(_root);

        // The programs read the working directory of a process they did not see start, which audit cannot.
        var expected = FimWorkload.RunBesideAnEarlyWriter(w, u, () => BpfCollector.Start(Options(w, partial: true), _database), WaitForRow, partialCwd: "/");
        var login = File.ReadAllText("/proc/self/loginuid").Trim();
        Assert.Equal(expected, Rows("SELECT operation, pid, ppid, executable, partial, cwd, path, dest_path FROM process_file_events"));
        Assert.Equal(
            [["0", "0", login, "0", "0", "0", "0", "0", "0"]],
            Rows("SELECT DISTINCT uid, gid, auid, euid, egid, fsuid, fsgid, suid, sgid FROM process_file_events"));
    }

    // The kernel's FMODE_CREATED tells a new file O_TRUNC had nothing to empty from an existing one; openat2's flags,
    // behind a pointer, are read; a name with leading ".." is taken up the working directory's parents before it is
    // matched.
    [BpfFact]
    public void OTruncOfANewFile_IsAnOpen_AndADotDotName_IsResolved()
    {
        var (w, u) = FimWorkload.Prepare(_root);
        int caller;
        using (BpfCollector.Start(Options(w, partial: false), _database))
        {
            caller = FimWorkload.Run(Python, "-c", $"import ctypes, os; os.chdir('{u}'); os.close(os.open('../w/fresh', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)); os.close(os.open('../w/fresh', os.O_WRONLY | os.O_TRUNC)); how = (ctypes.c_uint64 * 3)(os.O_WRONLY | os.O_TRUNC, 0, 0); fd = ctypes.CDLL(None, use_errno=True).syscall(437, -100, b'../w/fresh', ctypes.byref(how), 24); assert fd >= 0, ctypes.get_errno(); os.close(fd); os.unlink('../w/fresh')");
            WaitForRow($"SELECT 1 FROM process_file_events WHERE operation = 'unlink'");
        }

        Assert.Equal(
            [
                ["open", $"{w}/fresh", u], ["close", $"{w}/fresh", u], ["truncate", $"{w}/fresh", u], ["close", $"{w}/fresh", u],
                ["truncate", $"{w}/fresh", u], ["close", $"{w}/fresh", u], ["unlink", $"{w}/fresh", u],
            ],
            Rows($"SELECT operation, path, cwd FROM process_file_events WHERE pid = {caller}"));
    }

    [BpfFact]
    public void AnUnwatchedDirectory_MakesTheProgramsSendNoRecord()
    {
        var (w, u) = FimWorkload.Prepare(_root);
        int marker;
        using (var collector = BpfCollector.Start(Options(w, partial: true), _database))
        {
            FimWorkload.Run(Python, "-c", $"import os; fd = os.open('{u}/a', os.O_WRONLY | os.O_CREAT); os.write(fd, b'x'); os.close(fd); os.rename('{u}/a', '{u}/b'); os.link('{u}/b', '{u}/c'); os.unlink('{u}/b'); os.unlink('{u}/c'); os.mkdir('{u}/d'); os.rmdir('{u}/d'); os.truncate('{u}/in.txt', 0)");
            marker = FimWorkload.Run(Python, "-c", $"open('{w}/marker', 'w').close()");
            WaitForRow($"SELECT 1 FROM process_file_events WHERE path = '{w}/marker' AND operation = 'close'");

            // The marker's open and close, and nothing else on the host: nothing else touches this test's directories.
            Assert.Equal(2, collector.ReadCounters().RecordsReceived);
        }

        Assert.Equal([["open", marker.ToString(), $"{w}/marker"], ["close", marker.ToString(), $"{w}/marker"]], Rows("SELECT operation, pid, path FROM process_file_events"));
    }

    // --audit_fim_show_accesses: a read-only open, the first read through it (the second makes none) and its close.
    [BpfFact]
    public void Accesses_AreReportedWhenAskedFor()
    {
        var (w, u) = FimWorkload.Prepare(_root);
        var options = new BpfCollectorOptions
        {
            FileEvents = true,
            Files = new ProcessFileEventsOptions { Patterns = FimWorkload.Patterns(w), ShowDescriptors = true, ShowAccesses = true },
        };
        int reader;
        using (BpfCollector.Start(options, _database))
        {
            reader = FimWorkload.Run(Python, "-c", $"import os; fd = os.open('{w}/existing.txt', os.O_RDONLY); os.read(fd, 1); os.read(fd, 1); os.close(fd)");
            WaitForRow($"SELECT 1 FROM process_file_events WHERE pid = {reader} AND operation = 'close'");
        }

        Assert.Equal(
            [["open", $"{w}/existing.txt"], ["read", $"{w}/existing.txt"], ["close", $"{w}/existing.txt"]],
            Rows($"SELECT operation, path FROM process_file_events WHERE pid = {reader}"));
    }

    // Without --audit_fim_fd_events the programs neither remember opens nor report writes and closes, as the audit
    // source installs no rule for them.
    [BpfFact]
    public void WithoutDescriptorEvents_OnlyThePathCallsAreSent()
    {
        var (w, u) = FimWorkload.Prepare(_root);
        int caller;
        using (var collector = BpfCollector.Start(Options(w, partial: true, descriptors: false), _database))
        {
            caller = FimWorkload.Run(Python, "-c", $"import os; fd = os.open('{w}/f', os.O_WRONLY | os.O_CREAT, 0o600); os.write(fd, b'x'); os.close(fd); os.write(os.open('{w}/existing.txt', os.O_WRONLY), b'y'); os.unlink('{w}/f')");
            WaitForRow($"SELECT 1 FROM process_file_events WHERE operation = 'unlink'");
            Assert.Equal(3, collector.ReadCounters().RecordsReceived);
        }

        Assert.Equal([["open", $"{w}/f"], ["open", $"{w}/existing.txt"], ["unlink", $"{w}/f"]], Rows($"SELECT operation, path FROM process_file_events WHERE pid = {caller}"));
    }

    [BpfFact]
    public void NewWatchedPaths_TakeEffectWithoutReloading()
    {
        var (w, u) = FimWorkload.Prepare(_root);
        var options = Options(w, partial: false);
        int after;
        using (var collector = BpfCollector.Start(options, _database))
        {
            // Judged unwatched before the change: the programs must judge it again.
            FimWorkload.Run(Python, "-c", $"open('{u}/before', 'w').close()");
            collector.ReplaceFilePatterns(FimWorkload.Patterns(u), options.Files);
            FimWorkload.Run(Python, "-c", $"open('{w}/left', 'w').close()");
            after = FimWorkload.Run(Python, "-c", $"open('{u}/joined', 'w').close()");
            WaitForRow($"SELECT 1 FROM process_file_events WHERE path = '{u}/joined' AND operation = 'close'");
            Assert.Equal(2, collector.ReadCounters().RecordsReceived);
        }

        Assert.Equal([["open", after.ToString(), $"{u}/joined"], ["close", after.ToString(), $"{u}/joined"]], Rows("SELECT operation, pid, path FROM process_file_events"));
    }

    // The programs remember which directories are watched; a rename anywhere makes them judge each one again.
    [BpfFact]
    public void ADirectoryMovedIntoTheWatchedTree_IsJudgedAgain()
    {
        var (w, u) = FimWorkload.Prepare(_root);
        int caller;
        using (var collector = BpfCollector.Start(Options(w, partial: false, descriptors: false), _database))
        {
            caller = FimWorkload.Run(Python, "-c", $"import os; os.mkdir('{u}/sub'); os.chdir('{u}/sub'); open('a', 'w').close(); os.rename('{u}/sub', '{w}/sub'); open('b', 'w').close(); os.unlink('a')");
            WaitForRow($"SELECT 1 FROM process_file_events WHERE operation = 'unlink'");
        }

        Assert.Equal(
            [["rename", $"{u}/sub", $"{w}/sub"], ["open", $"{w}/sub/b", ""], ["unlink", $"{w}/sub/a", ""]],
            Rows($"SELECT operation, path, dest_path FROM process_file_events WHERE pid = {caller}"));
    }

    [BpfFact]
    public void AnAuditExclusion_KeepsTheExcludedExecutablesFileCallsInTheKernel()
    {
        var (w, u) = FimWorkload.Prepare(_root);
        var options = Options(w, partial: false, exclusions: [AuditExclusionParser.ForExe("/usr/bin/python3.11")]);
        int marker;
        using (var collector = BpfCollector.Start(options, _database))
        {
            FimWorkload.Run(Python, "-c", $"open('{w}/excluded', 'w').close()");
            marker = FimWorkload.Run("/usr/bin/touch", $"{w}/marker");
            WaitForRow($"SELECT 1 FROM process_file_events WHERE path = '{w}/marker' AND operation = 'close'");
            Assert.Equal(1, collector.ReadCounters().Kernel.Excluded);
        }

        // touch moves its descriptor onto standard input with dup2, so the file is closed twice.
        Assert.Equal(
            [["open", marker.ToString(), $"{w}/marker"], ["close", marker.ToString(), $"{w}/marker"], ["close", marker.ToString(), $"{w}/marker"]],
            Rows("SELECT operation, pid, path FROM process_file_events"));
    }

    private static BpfCollectorOptions Options(string watched, bool partial, bool descriptors = true, IReadOnlyList<AuditExclusion>? exclusions = null) => new()
    {
        FileEvents = true,
        Files = new ProcessFileEventsOptions { Patterns = FimWorkload.Patterns(watched), ShowPartial = partial, ShowDirectories = true, ShowDescriptors = descriptors },
        Exclusions = exclusions ?? [],
    };

    private void WaitForRow(string sql) => KernelCollectorKernelTests.WaitForRow(_database, sql);

    private IReadOnlyList<string?[]> Rows(string sql) => FimWorkload.Query(_database, sql);
}
