using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Pipeline;
using Vigil.Rules;
using Vigil.Tables;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Pipeline;

/// <summary>
/// process_file_events against the real kernel: the -F dir= rules of a temporary watched directory, fim.py's calls
/// made by a child python, each row read back with SQL and compared exactly; and an unwatched directory whose calls
/// make the kernel send nothing at all.
/// </summary>
[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class ProcessFileEventsKernelTests(KernelAuditFixture kernel) : IDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"vigil-fim-{Guid.NewGuid():N}.db");
    private readonly string _root = Directory.CreateTempSubdirectory("vigil-fim-").FullName;

    public void Dispose()
    {
        kernel.Restore();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_database + suffix);
        }

        Directory.Delete(_root, recursive: true);
    }

    [KernelFact]
    public void EveryOperation_GivesItsExactRow_AndAnEarlierDescriptorAPartialOne()
    {
        var (w, u) = FimWorkload.Prepare(_root);

        var expected = FimWorkload.RunBesideAnEarlyWriter(w, u, () => Collect(w, descriptors: true), WaitForRow, partialCwd: "");
        var login = File.ReadAllText("/proc/self/loginuid").Trim();
        var rows = Rows("SELECT operation, pid, ppid, executable, partial, cwd, path, dest_path FROM process_file_events");
        Assert.Equal(expected, rows);
        Assert.Equal(
            [["0", "0", login, "0", "0", "0", "0", "0", "0"]],
            Rows("SELECT DISTINCT uid, gid, auid, euid, egid, fsuid, fsgid, suid, sgid FROM process_file_events"));
    }

    [KernelFact]
    public void AnUnwatchedDirectory_MakesTheKernelSendNoRecord()
    {
        var (w, u) = FimWorkload.Prepare(_root);
        var printed = new StringWriter();
        int quiet;
        int marker;
        using (Collect(w, descriptors: false, printed))
        {
            quiet = FimWorkload.Run(Python, "-c", $"import os; fd = os.open('{u}/a', os.O_WRONLY | os.O_CREAT); os.write(fd, b'x'); os.close(fd); os.rename('{u}/a', '{u}/b'); os.link('{u}/b', '{u}/c'); os.unlink('{u}/b'); os.unlink('{u}/c'); os.mkdir('{u}/d'); os.rmdir('{u}/d')");

            // Records arrive in order: once the marker's row is in, every record of the quiet process would have been read.
            marker = FimWorkload.Run(Python, "-c", $"open('{w}/marker', 'w').close()");
            WaitForRow($"SELECT 1 FROM process_file_events WHERE path = '{w}/marker'");
        }

        var lines = printed.ToString().Split('\n');
        Assert.Equal(0, lines.Count(line => line.Contains($" pid={quiet} ", StringComparison.Ordinal)));
        Assert.Equal(1, lines.Count(line => line.Contains($" pid={marker} ", StringComparison.Ordinal)));
        Assert.Equal([["open", marker.ToString(), $"{w}/marker"]], Rows("SELECT operation, pid, path FROM process_file_events"));
    }

    // Only fcntl's commands that copy a descriptor make records: F_GETFD, F_SETFD and F_GETFL, called as often as
    // any program calls them, do not.
    [KernelFact]
    public void Fcntl_MakesARecordOnlyWhenItCopiesADescriptor()
    {
        var (w, u) = FimWorkload.Prepare(_root);
        var printed = new StringWriter();
        int caller;
        using (Collect(w, descriptors: true, printed))
        {
            caller = FimWorkload.Run(Python, "-c", $"import fcntl, os; fd = os.open('{w}/copied', os.O_WRONLY | os.O_CREAT, 0o600); fcntl.fcntl(fd, fcntl.F_GETFD); fcntl.fcntl(fd, fcntl.F_SETFD, 1); fcntl.fcntl(fd, fcntl.F_GETFL); copy = fcntl.fcntl(fd, fcntl.F_DUPFD, 10); os.write(copy, b'x'); open('{w}/marker', 'w').close()");
            WaitForRow($"SELECT 1 FROM process_file_events WHERE path = '{w}/marker'");
        }

        var fcntls = printed.ToString().Split('\n').Count(line => line.Contains($" pid={caller} ", StringComparison.Ordinal) && line.Contains(" syscall=72 ", StringComparison.Ordinal));
        Assert.Equal(1, fcntls);
        Assert.Contains(["write", $"{w}/copied"], Rows($"SELECT operation, path FROM process_file_events WHERE pid = {caller}"));
    }

    [KernelFact]
    public void NewWatchedPaths_MoveTheRulesAndTheRows()
    {
        var (w, u) = FimWorkload.Prepare(_root);
        var printed = new StringWriter();
        var options = Options(w, descriptors: false);
        int before;
        int after;
        using (var collector = KernelCollector.Start(options, _database, printed))
        {
            var moved = FimWorkload.Patterns(u);
            Assert.Equal((2, 2), collector.Session.ReplaceFileRoots(moved.Roots));
            options.Files.Patterns = moved;
            using var client = AuditClient.OpenUnicast();
            Assert.Equal(
                [$"-a always,exit -F arch=b64 -S open,truncate,rename,mkdir,rmdir,creat,link,unlink,symlink,openat,mkdirat,unlinkat,renameat,linkat,symlinkat,renameat2,openat2 -F dir={u} -F key=vigil"],
                client.ListRules().Select(rule => rule.ToAuditctlText()).Where(text => text.Contains("dir=", StringComparison.Ordinal) && text.Contains("b64", StringComparison.Ordinal)));

            before = FimWorkload.Run(Python, "-c", $"open('{w}/left', 'w').close()");
            after = FimWorkload.Run(Python, "-c", $"open('{u}/joined', 'w').close()");
            WaitForRow($"SELECT 1 FROM process_file_events WHERE path = '{u}/joined'");
        }

        Assert.DoesNotContain($" pid={before} ", printed.ToString(), StringComparison.Ordinal);
        Assert.Equal([["open", after.ToString(), $"{u}/joined"]], Rows("SELECT operation, pid, path FROM process_file_events"));
    }

    [KernelFact]
    public void AnAuditExclusion_KeepsTheExcludedExecutablesFileCallsFromTheKernel()
    {
        var (w, u) = FimWorkload.Prepare(_root);
        var printed = new StringWriter();
        var options = Options(w, descriptors: false);
        options.Kernel.ExclusionRules = AuditExclusionRules.Build([AuditExclusionParser.ForExe("/usr/bin/python3.11")], options.Kernel.ExcludableSyscalls());
        int excluded;
        int marker;
        using (KernelCollector.Start(options, _database, printed))
        {
            excluded = FimWorkload.Run(Python, "-c", $"open('{w}/excluded', 'w').close()");
            marker = FimWorkload.Run("/usr/bin/touch", $"{w}/marker");
            WaitForRow($"SELECT 1 FROM process_file_events WHERE path = '{w}/marker'");
        }

        Assert.DoesNotContain($" pid={excluded} ", printed.ToString(), StringComparison.Ordinal);
        Assert.Equal([["open", marker.ToString(), $"{w}/marker"]], Rows("SELECT operation, pid, path FROM process_file_events"));
    }

    private KernelCollector Collect(string watched, bool descriptors, TextWriter? debug = null) =>
        KernelCollector.Start(Options(watched, descriptors), _database, debug);

    private static IngestOptions Options(string watched, bool descriptors)
    {
        var patterns = FimWorkload.Patterns(watched);
        return new IngestOptions
        {
            Kernel = new KernelAuditOptions
            {
                AllowConfig = true,
                SocketType = AuditSocketType.Unicast,
                FileEvents = true,
                FileRoots = patterns.Roots,
                FileDirectories = true,
                FileDescriptors = descriptors,
            },
            Sockets = new SocketEventsOptions(),
            FileEvents = true,
            Files = new ProcessFileEventsOptions { Patterns = patterns, ShowPartial = true, ShowDirectories = true },
        };
    }

    private void WaitForRow(string sql) => KernelCollectorKernelTests.WaitForRow(_database, sql);

    private IReadOnlyList<string?[]> Rows(string sql) => FimWorkload.Query(_database, sql);
}
