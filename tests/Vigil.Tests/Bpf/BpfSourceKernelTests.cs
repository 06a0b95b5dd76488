using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Vigil.Bpf;
using Vigil.Pipeline;
using Vigil.Rules;
using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Sql;
using Vigil.Tables;
using Vigil.Tests.Kernel;
using Vigil.Tests.Pipeline;
using Xunit;

namespace Vigil.Tests.Bpf;

/// <summary>
/// The same workload seen by both event sources in one run: audit (Vigil's kernel collector) into one store and BPF
/// (<c>--event_source=bpf</c> with <c>--enable_bpf_events</c>) into another; the rows must agree column for column
/// where both sources know the value, and carry the exact values the workload made.
/// </summary>
[Collection("Kernel")]
public sealed class BpfSourceKernelTests(KernelAuditFixture kernel) : IDisposable
{
    private const string ProcessColumns =
        "pid, parent, path, cmdline, cmdline_size, cwd, auid, uid, euid, gid, egid, fsuid, suid, fsgid, sgid, syscall, mode, owner_uid, owner_gid";

    private const string SocketColumns =
        "action, pid, path, fd, auid, family, local_address, remote_address, local_port, remote_port, socket, success, status";

    private readonly string _auditDatabase = Path.Combine(Path.GetTempPath(), $"vigil-audit-{Guid.NewGuid():N}.db");
    private readonly string _bpfDatabase = Path.Combine(Path.GetTempPath(), $"vigil-bpf-{Guid.NewGuid():N}.db");
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("vigil bpf ");

    public void Dispose()
    {
        kernel.Restore();
        foreach (var database in (string[])[_auditDatabase, _bpfDatabase])
        {
            foreach (var suffix in (string[])["", "-wal", "-shm"])
            {
                File.Delete(database + suffix);
            }
        }

        _work.Delete(recursive: true);
    }

    [BpfFact]
    public void Execs_AgreeBetweenAuditAndBpf()
    {
        var mark = $"vigil-bpf-{Guid.NewGuid():N}";
        var notExecutable = Path.Combine(_work.FullName, "not-executable");
        File.WriteAllText(notExecutable, "#!/bin/sh\n");
        var script = string.Join('\n',
            $"/bin/true {mark}-plain 'two words' \"it's\" 'say \"hi\"' héllo ''",
            $"setpriv --reuid=65534 --regid=65534 --clear-groups /bin/true {mark}-nobody",
            $"'{notExecutable}' {mark}-failed 2>/dev/null",
            $"/bin/true {mark}-long $(seq -f 'argument-%04g' 3000)",
            "");
        Collect(sockets: false, () => KernelCollectorKernelTests.RunToExit("/bin/sh", _work.FullName, "-c", script),
            $"SELECT 1 FROM process_events WHERE cmdline LIKE '/bin/true {mark}-long%'");

        foreach (var suffix in (string[])["plain", "nobody"])
        {
            var sql = $"SELECT {ProcessColumns} FROM process_events WHERE cmdline LIKE '/bin/true {mark}-{suffix}%'";
            Assert.Equal(Single(_auditDatabase, sql), Single(_bpfDatabase, sql));
        }

        var plain = Single(_bpfDatabase, $"SELECT path, cmdline, cwd, uid, euid, syscall, mode FROM process_events WHERE cmdline LIKE '/bin/true {mark}-plain%'");
        Assert.Equal<IEnumerable<string?>>(
            ["/usr/bin/true", $"/bin/true {mark}-plain two words it's say \"hi\" héllo ", _work.FullName, "0", "0", "execve", "0100755"], plain);
        var nobody = Single(_bpfDatabase, $"SELECT uid, euid, gid, cmdline FROM process_events WHERE cmdline LIKE '/bin/true {mark}-nobody%'");
        Assert.Equal<IEnumerable<string?>>(["65534", "65534", "65534", $"/bin/true {mark}-nobody"], nobody);
        var osquery = Single(_bpfDatabase, $"SELECT syscall, exit_code, probe_error, path, cwd, cmdline, json_cmdline FROM bpf_process_events WHERE cmdline LIKE '/bin/true {mark}-plain%'");
        Assert.Equal<IEnumerable<string?>>(
            ["exec", "0", "0", "/usr/bin/true", _work.FullName, $"/bin/true {mark}-plain 'two words' it's 'say \"hi\"' héllo ",
                $"[\"/bin/true\",\"{mark}-plain\",\"two words\",\"it's\",\"say \\\"hi\\\"\",\"héllo\",\"\"]"],
            osquery);

        // A failed exec is no row from either source.
        foreach (var database in (string[])[_auditDatabase, _bpfDatabase])
        {
            Assert.Equal("0", Single(database, $"SELECT count(*) FROM process_events WHERE cmdline LIKE '{notExecutable} {mark}-failed%'")[0]);
        }

        Assert.Equal("0", Single(_bpfDatabase, $"SELECT count(*) FROM bpf_process_events WHERE cmdline LIKE '{notExecutable} {mark}-failed%'")[0]);

        // 3,000 arguments: audit has them all; BPF has the first 32,768 bytes of the argument area and says it cut.
        var arguments = new StringBuilder($"/bin/true\0{mark}-long\0");
        for (var i = 1; i <= 3000; i++)
        {
            arguments.Append($"argument-{i:0000}\0");
        }

        var full = arguments.ToString();
        var captured = full[..32768].Replace('\0', ' ');
        var audited = Single(_auditDatabase, $"SELECT cmdline FROM process_events WHERE cmdline LIKE '/bin/true {mark}-long%'")[0];
        Assert.Equal(full[..^1].Replace('\0', ' '), audited);
        Assert.Equal(captured, Single(_bpfDatabase, $"SELECT cmdline FROM process_events WHERE cmdline LIKE '/bin/true {mark}-long%'")[0]);
        Assert.Equal("1", Single(_bpfDatabase, $"SELECT probe_error FROM bpf_process_events WHERE cmdline LIKE '/bin/true {mark}-long%'")[0]);
    }

    [BpfFact]
    public void Sockets_AgreeBetweenAuditAndBpf()
    {
        using var tcp4 = new TcpListener(IPAddress.Loopback, 0);
        using var tcp6 = new TcpListener(IPAddress.IPv6Loopback, 0);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var unixPath = Path.Combine(_work.FullName, "listener.sock");
        unix.Bind(new UnixDomainSocketEndPoint(unixPath));
        unix.Listen();
        tcp4.Start();
        tcp6.Start();
        var bindPort = LoopbackPort.Free();
        var perl = $$"""
            use Socket qw(:all);
            my ($p4, $p6, $pu, $path, $bp) = @ARGV;
            socket(my $a, AF_INET, SOCK_STREAM, 0); connect($a, pack_sockaddr_in($p4, inet_aton("127.0.0.1"))) or die "tcp4 $!";
            socket(my $b, AF_INET6, SOCK_STREAM, 0); connect($b, pack_sockaddr_in6($p6, inet_pton(AF_INET6, "::1"))) or die "tcp6 $!";
            socket(my $c, AF_INET, SOCK_DGRAM, 0); connect($c, pack_sockaddr_in($pu, inet_aton("127.0.0.1"))) or die "udp $!";
            socket(my $d, AF_UNIX, SOCK_STREAM, 0); connect($d, pack_sockaddr_un($path)) or die "unix $!";
            socket(my $l, AF_INET, SOCK_STREAM, 0); bind($l, pack_sockaddr_in($bp, inet_aton("127.0.0.1"))) or die "bind $!"; listen($l, 1);
            socket(my $m, AF_INET, SOCK_STREAM, 0); bind($m, pack_sockaddr_in($bp, inet_aton("127.0.0.1"))) and die "second bind";
            socket(my $n, AF_INET, SOCK_STREAM, 0); connect($n, pack_sockaddr_in($bp, inet_aton("127.0.0.1"))) or die "self $!";
            accept(my $s, $l) or die "accept $!";
            my ($peer) = unpack_sockaddr_in(getsockname($n)); print "$peer\n";
            print join(" ", map { fileno($_) } ($a, $b, $c, $d, $l, $m, $n, $s)), "\n";
            """;
        var ports = new[] { Port(tcp4.LocalEndpoint), Port(tcp6.LocalEndpoint), Port(udp.Client.LocalEndPoint!) };
        int child = 0;
        string output = "";
        Collect(sockets: true, () => (child, output) = RunPerl(perl, [.. ports.Select(p => p.ToString()), unixPath, bindPort.ToString()]),
            $"SELECT 1 FROM socket_events WHERE action = 'accept' AND remote_port = {{PEER}}", () => OutputLine(0));
        var peer = int.Parse(OutputLine(0), CultureInfo.InvariantCulture);
        string OutputLine(int index) => output.Split('\n')[index].Trim();

        var sql = $"SELECT {SocketColumns} FROM socket_events WHERE pid = {child} ORDER BY eid";
        var audited = Rows(_auditDatabase, sql);
        Assert.Equal(audited, Rows(_bpfDatabase, sql));

        // Descriptors are the lowest free in perl, which depends on what the test host inherited (flock's lock file
        // under flock) and what perl itself holds open, so perl reports them; the fd column is audit's hex a0.
        var fds = OutputLine(1).Split(' ').Select(f => int.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        string Fd(int socket) => fds[socket].ToString("x", CultureInfo.InvariantCulture);
        string?[][] expected =
        [
            ["connect", $"{child}", "/usr/bin/perl", Fd(0), Auid(), "2", null, "127.0.0.1", "0", $"{ports[0]}", null, "1", "succeeded"],
            ["connect", $"{child}", "/usr/bin/perl", Fd(1), Auid(), "10", null, "::1", "0", $"{ports[1]}", null, "1", "succeeded"],
            ["connect", $"{child}", "/usr/bin/perl", Fd(2), Auid(), "2", null, "127.0.0.1", "0", $"{ports[2]}", null, "1", "succeeded"],
            ["connect", $"{child}", "/usr/bin/perl", Fd(3), Auid(), "1", null, null, "0", "0", unixPath, "1", "succeeded"],
            ["bind", $"{child}", "/usr/bin/perl", Fd(4), Auid(), "2", "127.0.0.1", null, $"{bindPort}", "0", null, "1", "succeeded"],
            ["bind", $"{child}", "/usr/bin/perl", Fd(5), Auid(), "2", "127.0.0.1", null, $"{bindPort}", "0", null, "0", "failed"],
            ["connect", $"{child}", "/usr/bin/perl", Fd(6), Auid(), "2", null, "127.0.0.1", "0", $"{bindPort}", null, "1", "succeeded"],
            ["accept", $"{child}", "/usr/bin/perl", Fd(4), Auid(), "2", null, "127.0.0.1", "0", $"{peer}", null, "1", "succeeded"],
        ];
        Assert.Equal(expected, audited);

        // What only BPF knows (its fd column is decimal): the protocol, the socket type, both ends of the accepted socket, and listen.
        Assert.Equal<IEnumerable<string?>>(["6", "6", "17", "0", "6", "6", "6", "6"], Rows(_bpfDatabase, $"SELECT protocol FROM socket_events WHERE pid = {child} ORDER BY eid").Select(r => r[0]));
        Assert.Equal<IEnumerable<string?>>(
            ["accept", "-", $"{fds[4]}", "1", "127.0.0.1", $"{bindPort}", "127.0.0.1", $"{peer}"],
            Single(_bpfDatabase, $"SELECT syscall, CASE WHEN exit_code > 0 THEN '-' END, fd, type, local_address, local_port, remote_address, remote_port FROM bpf_socket_events WHERE pid = {child} AND syscall = 'accept'"));
        Assert.Equal<IEnumerable<string?>>(
            ["0", "127.0.0.1", $"{bindPort}"],
            Single(_bpfDatabase, $"SELECT exit_code, local_address, local_port FROM bpf_socket_events WHERE pid = {child} AND syscall = 'listen'"));
        Assert.Equal("-98", Single(_bpfDatabase, $"SELECT exit_code FROM bpf_socket_events WHERE pid = {child} AND syscall = 'bind' AND fd = '{fds[5]}'")[0]);
    }

    [BpfFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void AScriptsChild_HasTheSameParentAndSessionFromBothSources()
    {
        var mark = $"vigil-bpf-parent-{Guid.NewGuid():N}";
        var script = Path.Combine(_work.FullName, mark + ".sh");

        var child = $"/bin/sh -c : {mark}-child; /bin/sleep 0.3";
        File.WriteAllText(script, $"#!/bin/sh\n/bin/sh -c ': {mark}-child; /bin/sleep 0.3'\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Collect(sockets: false, () => KernelCollectorKernelTests.RunToExit(script, _work.FullName, mark),
            $"SELECT 1 FROM process_events WHERE cmdline = '{child}'");

        var sql = $"SELECT parent_path, parent_cmdline, session_id FROM process_events WHERE cmdline = '{child}'";
        Assert.Equal<IEnumerable<string?>>(
            ["/usr/bin/dash", $"/bin/sh {script} {mark}", File.ReadAllText("/proc/self/sessionid")], Single(_bpfDatabase, sql));
        Assert.Equal(Single(_auditDatabase, sql), Single(_bpfDatabase, sql));
        var cgroup = $"SELECT cgroup, container_id FROM process_events WHERE cmdline = '{child}'";
        Assert.Equal<IEnumerable<string?>>([KernelCollectorKernelTests.OwnCgroup(), ""], Single(_bpfDatabase, cgroup));
        Assert.Equal(Single(_auditDatabase, cgroup), Single(_bpfDatabase, cgroup));
        var tty = $"SELECT tty FROM process_events WHERE cmdline = '{child}'";
        Assert.Equal("(none)", Assert.Single(Single(_bpfDatabase, tty)));
        Assert.Equal(Single(_auditDatabase, tty), Single(_bpfDatabase, tty));
    }

    // script(1) runs the command on a new pseudo-terminal, its controlling terminal.
    [BpfFact]
    public void AnExecOnATerminal_HasTheSameTtyFromBothSources()
    {
        var mark = $"vigil-bpf-tty-{Guid.NewGuid():N}";
        var command = $"/bin/sh -c : {mark}; /bin/sleep 0.3";
        Collect(sockets: false, () => KernelRecords.Run("/usr/bin/script", "-q", "-c", $"/bin/sh -c ': {mark}; /bin/sleep 0.3'", "/dev/null"),
            $"SELECT 1 FROM process_events WHERE cmdline = '{command}'");

        var sql = $"SELECT tty FROM process_events WHERE cmdline = '{command}'";
        Assert.Matches("^pts[0-9]+$", Assert.Single(Single(_bpfDatabase, sql)));
        Assert.Equal(Single(_auditDatabase, sql), Single(_bpfDatabase, sql));
    }

    // The BPF programs read the cgroup id at the exec; the container's cgroup, made by runc just before, is found by
    // walking the unified hierarchy again.
    [PodmanFact(Bpf = true)]
    public void AContainersExec_HasTheSameCgroupAndContainerFromBothSources()
    {
        var mark = $"vigil-bpf-container-{Guid.NewGuid():N}";
        using var container = new BusyboxContainer();
        var command = $": {mark}; /bin/sleep 0.3";
        Collect(sockets: false, () => container.Run(command), $"SELECT 1 FROM process_events WHERE cmdline = '/bin/sh -c {command}'");

        var sql = $"SELECT path, cgroup, container_id FROM process_events WHERE cmdline = '/bin/sh -c {command}'";
        Assert.Equal<IEnumerable<string?>>(["/bin/busybox", $"/libpod_parent/libpod-{container.Id}", container.Id], Single(_bpfDatabase, sql));
        Assert.Equal(Single(_auditDatabase, sql), Single(_bpfDatabase, sql));
    }

    private void Collect(bool sockets, Action workload, string doneSql, Func<string>? peer = null)
    {
        var options = new IngestOptions
        {
            Kernel = new KernelAuditOptions
            {
                AllowConfig = true,
                SocketType = AuditSocketType.Unicast,
                ProcessEvents = true,
                Sockets = sockets,
                AcceptSockets = sockets,
            },
            Sockets = new SocketEventsOptions { AllowUnix = true, AllowFailed = true },
            ProcessEvents = true,
            SocketEvents = sockets,
        };
        var bpfOptions = new BpfCollectorOptions
        {
            BpfTables = true,
            ProcessEvents = true,
            SocketEvents = sockets,
            Sockets = options.Sockets,
        };
        using (KernelCollector.Start(options, _auditDatabase))
        using (BpfCollector.Start(bpfOptions, _bpfDatabase))
        {
            workload();
            var done = peer is null ? doneSql : doneSql.Replace("{PEER}", peer(), StringComparison.Ordinal);
            WaitForRow(_auditDatabase, done);
            WaitForRow(_bpfDatabase, done);
        }
    }

    private static (int Pid, string Output) RunPerl(string script, string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/perl") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-e");
        info.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"the perl workload failed: {errors}");
        return (process.Id, output);
    }

    private static int Port(EndPoint endPoint) => ((IPEndPoint)endPoint).Port;

    private static string Auid() => File.ReadAllText("/proc/self/loginuid").Trim();

    private static void WaitForRow(string database, string sql) =>
        Wait.Until(() => Rows(database, sql).Count > 0, $"a row in {database} for: {sql}", TimeSpan.FromSeconds(15));

    private static List<string?[]> Rows(string database, string sql)
    {
        using var engine = new SqlEngine(database, IngestOptions.EventTableSpecs, []);
        return [.. engine.Execute(sql)[0].Rows];
    }

    private static string?[] Single(string database, string sql) => Assert.Single(Rows(database, sql));
}
