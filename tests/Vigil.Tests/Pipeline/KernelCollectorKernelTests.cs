using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Net;
using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Pipeline;
using Vigil.Rules;
using Vigil.Sources;
using Vigil.Sql;
using Vigil.Tables;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Pipeline;

/// <summary>
/// The whole live path against the real kernel: rules installed, real execve and connect calls made by child
/// processes (the test process itself is excluded by Vigil's never rule), rows stored and read back with SQL.
/// </summary>
[Collection("Kernel")]
[Trait("Category", "Kernel")]
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

    // The kernel numbers LOGIN among its control messages (1006); auditd logs it, so the live path keeps it too.
    [KernelFact]
    public void SettingALoginuid_GivesAUserEventsRow()
    {
        int child;
        using (Collect(sockets: false, userEvents: true))
        {
            child = RunToExit("/bin/sh", "/", "-c", "echo 4242 > /proc/self/loginuid");
            WaitForRow($"SELECT 1 FROM user_events WHERE pid = {child}");
        }

        Assert.Equal<IEnumerable<string?>>(["1006", "0", "4242", null, null], Single($"SELECT type, uid, auid, message, path FROM user_events WHERE pid = {child}"));
    }

    // The 32-bit process execs: the kernel reports arch=40000003 syscall=11, which only the b32 rule catches.
    [KernelFact]
    public void I386Exec_IsStoredWithExactColumns()
    {
        var marker = $"vigil-i386-{Guid.NewGuid():N}";
        using var program = new I386Program();
        int child;
        using (Collect(sockets: false))
        {
            child = RunToExit(program.Path, "/", "exec", "/bin/true", marker);
            WaitForRow($"SELECT 1 FROM process_events WHERE cmdline = '/bin/true {marker}'");
        }

        var row = Single($"SELECT pid, parent, path, cmdline, cwd, uid, auid, syscall FROM process_events WHERE cmdline = '/bin/true {marker}'");
        Assert.Equal<IEnumerable<string?>>(
            [child.ToString(), Environment.ProcessId.ToString(), "/usr/bin/true", $"/bin/true {marker}", "/", "0", LoginUid(), "execve"],
            row);
    }

    // connect is i386 syscall 362; socketcall (102) with SYS_CONNECT in a0 is the old way, which osquery misses.
    [KernelTheory]
    [InlineData("connect")]
    [InlineData("socketcall")]
    public void I386Connect_IsStoredWithExactColumns(string call)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var program = new I386Program();
        int child;
        using (Collect(sockets: true))
        {
            child = RunToExit(program.Path, "/", call, port.ToString(CultureInfo.InvariantCulture));
            WaitForRow($"SELECT 1 FROM socket_events WHERE remote_port = {port}");
        }

        var row = Single($"SELECT action, pid, path, fd, family, remote_address, remote_port, local_address, status, success FROM socket_events WHERE remote_port = {port}");
        Assert.Equal<IEnumerable<string?>>(
            ["connect", child.ToString(), program.Path, "7", "2", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), null, "succeeded", "1"],
            row);
    }

    // bind is i386 syscall 361; through socketcall its call number is SYS_BIND (2).
    [KernelTheory]
    [InlineData("bind")]
    [InlineData("socketcall-bind")]
    public void I386Bind_IsStoredWithExactColumns(string call)
    {
        var port = LoopbackPort.Free();
        using var program = new I386Program();
        int child;
        using (Collect(sockets: true))
        {
            child = RunToExit(program.Path, "/", call, port.ToString(CultureInfo.InvariantCulture));
            WaitForRow($"SELECT 1 FROM socket_events WHERE action = 'bind' AND local_port = {port}");
        }

        var row = Single($"SELECT action, pid, path, fd, family, local_address, local_port, remote_address, remote_port, status, success FROM socket_events WHERE action = 'bind' AND local_port = {port}");
        Assert.Equal<IEnumerable<string?>>(
            ["bind", child.ToString(), program.Path, "7", "2", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), null, "0", "succeeded", "1"],
            row);
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

    // The records the collector read, as --audit_debug prints them, are the count to match: one event per serial.
    [KernelFact]
    public void EventsBuilt_InAuditStatus_CountsEachEventTheKernelSentOnce()
    {
        var marker = $"vigil-count-{Guid.NewGuid():N}";
        var printed = new StringWriter();
        var collector = Collect(sockets: false, printed);
        using (collector)
        {
            RunToExit("/bin/sh", "/", "-c", $"for i in $(seq 20); do /bin/true {marker}; done");
            WaitForRow($"SELECT count(*) AS n FROM process_events WHERE cmdline = '/bin/true {marker}' GROUP BY cmdline HAVING n = 20");
        }

        var status = Assert.Single(new AuditStatusTable(AuditClient.ReadStatus) { Counters = collector }.Generate());
        var serials = RecordSerials.DistinctEvents(printed.ToString().Split('\n'));

        Assert.True(serials >= 21, $"{serials} events read for 21 execs");
        Assert.Equal(serials, status[AuditStatusTable.Schema.IndexOf("events_built")].Integer);
        Assert.Equal(collector.Counters.RowsBuilt, collector.RowsStored);
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

    [KernelFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void AScriptsChild_HasTheScriptAsParent_AndTheTestsSession()
    {
        var marker = $"vigil-parent-{Guid.NewGuid():N}";
        var script = Path.Combine(Path.GetTempPath(), marker + ".sh");

        // The child lives a moment, so that its cgroup can still be read when its row is built.
        var child = $"/bin/sh -c : {marker}-child; /bin/sleep 0.3";
        File.WriteAllText(script, $"#!/bin/sh\n/bin/sh -c ': {marker}-child; /bin/sleep 0.3'\necho done >/dev/null\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            using (Collect(sockets: false))
            {
                RunToExit(script, "/", marker);
                WaitForRow($"SELECT 1 FROM process_events WHERE cmdline = '{child}'");
            }
        }
        finally
        {
            File.Delete(script);
        }

        var row = Single($"SELECT path, parent_path, parent_cmdline, session_id, tty, cgroup, container_id FROM process_events WHERE cmdline = '{child}'");
        Assert.Equal<IEnumerable<string?>>(
            ["/usr/bin/dash", "/usr/bin/dash", $"/bin/sh {script} {marker}", File.ReadAllText("/proc/self/sessionid"), OwnTty(), OwnCgroup(), ""],
            row);
    }

    [KernelFact]
    public void AProcessStartedBeforeVigil_IsAKnownParent()
    {
        var marker = $"vigil-before-{Guid.NewGuid():N}";
        var command = $"read line; /bin/true {marker}; echo done";
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var shell = Process.Start(info)!;
        using (Collect(sockets: false))
        {
            shell.StandardInput.WriteLine("go");
            shell.StandardInput.Close();
            shell.WaitForExit();
            WaitForRow($"SELECT 1 FROM process_events WHERE cmdline = '/bin/true {marker}'");
        }

        var row = Single($"SELECT parent, parent_path, parent_cmdline FROM process_events WHERE cmdline = '/bin/true {marker}'");
        Assert.Equal<IEnumerable<string?>>([shell.Id.ToString(), "/usr/bin/dash", $"/bin/sh -c {command}"], row);
    }

    [PodmanFact]
    public void AContainersProcess_HasItsContainerIdAndCgroup_AndAHostProcessNone()
    {
        var marker = $"vigil-container-{Guid.NewGuid():N}";
        using var container = new BusyboxContainer();
        int podman;
        var command = $": {marker}; /bin/sleep 1";
        using (Collect(sockets: false))
        {
            podman = container.Run(command);
            WaitForRow($"SELECT 1 FROM process_events WHERE cmdline = '/bin/sh -c {command}'");
        }

        var id = container.Id;
        Assert.Matches("^[0-9a-f]{64}$", id);
        var inside = Single($"SELECT path, cgroup, container_id FROM process_events WHERE cmdline = '/bin/sh -c {command}'");
        Assert.Equal<IEnumerable<string?>>(["/bin/busybox", $"/libpod_parent/libpod-{id}", id], inside);
        var host = Single($"SELECT cgroup, container_id FROM process_events WHERE pid = {podman} AND path = '/usr/bin/podman'");
        Assert.Equal<IEnumerable<string?>>([OwnCgroup(), ""], host);
    }

    [KernelFact]
    public void ForkAndKill_GiveRowsWithOsquerysPidAndParent()
    {
        var marker = $"vigil-fork-{Guid.NewGuid():N}";
        var command = $"/bin/sleep 30 & echo $!; kill -TERM $!; wait; : {marker}";
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        int shell, child;
        using (Collect(sockets: false, processes: new ProcessEventsOptions { AllowFork = true, AllowKill = true }))
        {
            using var process = Process.Start(info)!;
            child = int.Parse(process.StandardOutput.ReadLine()!, CultureInfo.InvariantCulture);
            process.WaitForExit();
            shell = process.Id;
            WaitForRow($"SELECT 1 FROM process_events WHERE syscall = 'kill' AND pid = {shell}");
            WaitForRow($"SELECT 1 FROM process_events WHERE syscall = 'clone' AND pid = {child}");
        }

        var fork = Single($"SELECT pid, parent, path, syscall, cmdline, owner_uid, mode, parent_path, parent_cmdline FROM process_events WHERE syscall = 'clone' AND pid = {child}");
        Assert.Equal<IEnumerable<string?>>(
            [child.ToString(), shell.ToString(), "/usr/bin/dash", "clone", null, "0", "0755", "/usr/bin/dash", $"/bin/sh -c {command}"],
            fork);
        var kill = Single($"SELECT pid, parent, path, syscall, cmdline, owner_uid, mode FROM process_events WHERE syscall = 'kill' AND pid = {shell}");
        Assert.Equal<IEnumerable<string?>>([shell.ToString(), Environment.ProcessId.ToString(), "/usr/bin/dash", "kill", null, null, "0755"], kill);
    }

    [KernelFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void ExeSha256_IsTheSha256sumOfTheExecutedFile()
    {
        var marker = $"vigil-hash-{Guid.NewGuid():N}";
        var directory = Directory.CreateTempSubdirectory("vigil-hash-").FullName;
        var executable = Path.Combine(directory, marker);
        File.Copy("/usr/bin/true", executable);
        File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            using (Collect(sockets: false, processes: new ProcessEventsOptions { HashExecutables = true }))
            {
                RunToExit(executable, "/", marker);
                WaitForRow($"SELECT 1 FROM process_events WHERE path = '{executable}'");
            }

            var sum = new ProcessStartInfo("sha256sum", [executable]) { RedirectStandardOutput = true };
            using var process = Process.Start(sum)!;
            var expected = process.StandardOutput.ReadToEnd().Split(' ')[0];
            process.WaitForExit();
            Assert.Equal<IEnumerable<string?>>([executable, expected], Single($"SELECT path, exe_sha256 FROM process_events WHERE path = '{executable}'"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private KernelCollector Collect(bool sockets, TextWriter? debug = null, ProcessEventsOptions? processes = null, bool userEvents = false)
    {
        var options = new IngestOptions
        {
            Kernel = new KernelAuditOptions
            {
                AllowConfig = true,
                SocketType = AuditSocketType.Unicast,
                ProcessEvents = true,
                ForkProcessEvents = processes?.AllowFork ?? false,
                KillProcessEvents = processes?.AllowKill ?? false,
                Sockets = sockets,
            },
            Sockets = new SocketEventsOptions(),
            Processes = processes ?? new ProcessEventsOptions(),
            ProcessEvents = true,
            SocketEvents = sockets,
            UserEvents = userEvents,
            Store = new StoreQueueOptions { Completion = processes is { HashExecutables: true } ? new ExecutableHashes() : null },
        };
        return KernelCollector.Start(options, _database, debug);
    }

    internal static int RunToExit(string file, string workDir, params string[] args)
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

    private void WaitForRow(string sql) => WaitForRow(_database, sql);

    /// <summary>Waits at most 10 s for <paramref name="sql"/> to return a row from the event store at <paramref name="database"/>.</summary>
    internal static void WaitForRow(string database, string sql)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            using var engine = new SqlEngine(database, IngestOptions.EventTableSpecs, []);
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

    internal static string OwnCgroup() => ProcessCgroup.Parse(File.ReadAllText("/proc/self/cgroup")).Path;

    // tty_nr, the 7th field of /proc/self/stat (the 5th after the command's closing parenthesis): 0 is no terminal,
    // which audit writes as (none); the test's children inherit it.
    private static string OwnTty()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var ttyNumber = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[4];
        Assert.True(ttyNumber == "0", $"the test runs on terminal {ttyNumber}; run it without one");
        return "(none)";
    }
}
