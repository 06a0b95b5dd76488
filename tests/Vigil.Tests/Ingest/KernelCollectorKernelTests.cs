using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Vigil.Ingest;
using Vigil.Netlink;
using Vigil.Sources;
using Vigil.Sql;
using Vigil.Tables;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Ingest;

/// <summary>
/// The whole live path against the real kernel: rules installed, real execve and connect calls made by child
/// processes (the test process itself is excluded by Vigil's never rule), rows stored and read back with SQL.
/// </summary>
[Collection("Kernel")]
public sealed class KernelCollectorKernelTests(KernelAuditFixture kernel) : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"vigil-collector-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        kernel.Restore();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_database + suffix);
        }
    }

    [KernelFact]
    public void Exec_IsStoredWithExactColumns()
    {
        var marker = $"vigil-marker-{Guid.NewGuid():N}";
        var workDir = Directory.CreateTempSubdirectory("vigil dir ").FullName;
        int child;
        using (Collect(sockets: false))
        {
            child = RunToExit("/bin/true", workDir, marker, "two words", "");
            WaitForRow($"SELECT 1 FROM process_events WHERE cmdline LIKE '%{marker}%'");
        }

        var row = Single($"SELECT pid, parent, path, cmdline, cwd, uid, euid, gid, auid, syscall, cmdline_size, mode FROM process_events WHERE cmdline LIKE '%{marker}%'");
        Assert.Equal<IEnumerable<string?>>(
            [
                child.ToString(), Environment.ProcessId.ToString(), "/usr/bin/true",
                $"/bin/true {marker} two words ", workDir, "0", "0", "0", LoginUid(), "execve",
                (marker.Length + "/bin/true ".Length + " two words ".Length).ToString(), "0100755",
            ],
            row);
        Directory.Delete(workDir);
    }

    [KernelFact]
    public void Connect_IsStoredWithExactColumns()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        int child;
        using (Collect(sockets: true))
        {
            child = RunToExit("/bin/bash", "/", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{port}");
            WaitForRow($"SELECT 1 FROM socket_events WHERE remote_port = {port}");
        }

        var row = Single($"SELECT action, pid, path, family, remote_address, remote_port, local_address, status, success FROM socket_events WHERE remote_port = {port}");
        Assert.Equal<IEnumerable<string?>>(["connect", child.ToString(), "/usr/bin/bash", "2", "127.0.0.1", port.ToString(), null, "succeeded", "1"], row);
    }

    [KernelFact]
    public void ABurstOfExecs_IsReadInBatches_SeparatedByTheGatherTime()
    {
        var marker = $"vigil-burst-{Guid.NewGuid():N}";
        using var collector = Collect(sockets: false);
        var before = collector.Source.Batches;
        var clock = Stopwatch.StartNew();
        RunToExit("/bin/sh", "/", "-c", $"for i in $(seq 100); do /bin/true {marker}; done");
        WaitForRow($"SELECT count(*) AS n FROM process_events WHERE cmdline = '/bin/true {marker}' GROUP BY cmdline HAVING n = 100");
        var batches = collector.Source.Batches - before;
        var elapsed = clock.ElapsedMilliseconds;

        // Each batch but the first follows a gather sleep; without it every exec would wake the reader at least once.
        Assert.InRange(batches, 1, (elapsed / (long)KernelSource.DefaultGather.TotalMilliseconds) + 1);
        Assert.True(batches < 100, $"{batches} batches for 100 execs in {elapsed} ms");
    }

    [KernelFact]
    public void Stop_RestoresTheStateFoundAtStart()
    {
        using var client = AuditClient.OpenUnicast();
        var before = AuditState.Capture(client);
        using (Collect(sockets: true))
        {
            var during = client.GetStatus();
            Assert.Equal((uint)Environment.ProcessId, during.Pid);
            Assert.Equal(1u, during.Enabled);
            Assert.Contains(client.ListRules(), rule => rule.ToAuditctlText().Contains("key=vigil", StringComparison.Ordinal));
        }

        Assert.True(before.Matches(client.GetStatus(), client.ListRuleData()), "the kernel audit state after the collector stopped differs from the one before");
    }

    private KernelCollector Collect(bool sockets)
    {
        var options = new IngestOptions
        {
            Kernel = new KernelAuditOptions
            {
                AllowConfig = true,
                SocketType = AuditSocketType.Unicast,
                ProcessEvents = true,
                Sockets = sockets,
            },
            Sockets = new SocketEventsOptions(),
            ProcessEvents = true,
            SocketEvents = sockets,
        };
        return KernelCollector.Start(options, _database);
    }

    private static int RunToExit(string file, string workDir, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workDir };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        process.WaitForExit();
        return process.Id;
    }

    private void WaitForRow(string sql)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            using var engine = Engine();
            if (engine.Execute(sql)[0].Rows.Count > 0)
            {
                return;
            }

            Thread.Sleep(100);
        }

        Assert.Fail($"no row within 10 s for: {sql}");
    }

    private string?[] Single(string sql)
    {
        using var engine = Engine();
        return Assert.Single(engine.Execute(sql)[0].Rows);
    }

    private SqlEngine Engine() => new(_database, IngestOptions.EventTableSpecs, []);

    private static string LoginUid() => File.ReadAllText("/proc/self/loginuid").Trim();
}
