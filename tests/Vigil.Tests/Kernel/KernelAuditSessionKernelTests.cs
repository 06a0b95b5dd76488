using System.Net.Sockets;
using System.Net;
using System.Text;
using Vigil.Kernel;
using Vigil.KernelAbi;
using Vigil.Netlink;
using Xunit;

namespace Vigil.Tests.Kernel;

[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class KernelAuditSessionKernelTests(KernelAuditFixture fixture) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public void Dispose() => fixture.Restore();

    private static KernelAuditOptions Options(AuditSocketType type) => new()
    {
        AllowConfig = true,
        SocketType = type,
        ProcessEvents = true,
        Sockets = true,
    };

    private static bool HasExecveWith(List<(ushort Type, string Text)> records, string marker) =>
        records.Exists(r => r.Type == RecordType.Execve && ContainsMarker(r.Text, marker));

    private static bool ContainsMarker(string text, string marker) =>
        text.Contains(marker, StringComparison.Ordinal)
        || text.Contains(Convert.ToHexString(Encoding.ASCII.GetBytes(marker)), StringComparison.Ordinal);

    [KernelFact]
    public void Unicast_session_receives_the_execve_of_a_child_process()
    {
        using var session = KernelAuditSession.Start(Options(AuditSocketType.Unicast));
        var marker = $"vigil-marker-{Guid.NewGuid():N}";

        KernelRecords.Run("/bin/true", marker);
        var records = KernelRecords.ReadUntil(session.Reader, r => HasExecveWith(r, marker), Wait);

        Assert.False(session.IsMulticast);
        var execve = records.Find(r => r.Type == RecordType.Execve && ContainsMarker(r.Text, marker));
        Assert.NotNull(execve.Text);
        Assert.Contains("a0=\"/bin/true\"", execve.Text);
        var serial = KernelRecords.Serial(execve.Text);
        var syscall = records.Find(r => r.Type == RecordType.Syscall && KernelRecords.Serial(r.Text) == serial);
        Assert.Contains(" syscall=59 ", syscall.Text);
        Assert.Contains(" key=\"vigil\"", syscall.Text);
    }

    [KernelFact]
    public void Unicast_session_receives_the_sockaddr_of_a_connect()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var saddr = $"saddr=0200{port:X4}7F0000010000000000000000";
        using var session = KernelAuditSession.Start(Options(AuditSocketType.Unicast));

        KernelRecords.Run("/bin/bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{port}");
        var records = KernelRecords.ReadUntil(session.Reader, r => r.Exists(x => x.Type == RecordType.Sockaddr && x.Text.Contains(saddr)), Wait);

        var sockaddr = records.Find(r => r.Type == RecordType.Sockaddr && r.Text.Contains(saddr));
        Assert.NotNull(sockaddr.Text);
        var serial = KernelRecords.Serial(sockaddr.Text);
        var syscall = records.Find(r => r.Type == RecordType.Syscall && KernelRecords.Serial(r.Text) == serial);
        Assert.Contains(" syscall=42 ", syscall.Text);
    }

    [KernelFact]
    public void Multicast_reader_receives_execs_while_another_socket_owns_unicast()
    {
        using var owner = AuditClient.OpenUnicast();
        owner.SetPid((uint)Environment.ProcessId);
        try
        {
            using var session = KernelAuditSession.Start(Options(AuditSocketType.Multicast));
            var marker = $"vigil-marker-{Guid.NewGuid():N}";

            KernelRecords.Run("/bin/true", marker);
            var records = KernelRecords.ReadUntil(session.Reader, r => HasExecveWith(r, marker), Wait);

            Assert.True(session.IsMulticast);
            Assert.True(HasExecveWith(records, marker));
            Assert.Equal((uint)Environment.ProcessId, owner.GetStatus().Pid);
        }
        finally
        {
            owner.SetPid(0);
        }
    }

    [KernelFact]
    public void Dispose_restores_the_snapshot_exactly()
    {
        using var control = AuditClient.OpenUnicast();
        var before = AuditState.Capture(control);
        var session = KernelAuditSession.Start(Options(AuditSocketType.Unicast));

        var during = control.GetStatus();
        Assert.Equal(1u, during.Enabled);
        Assert.Equal((uint)Environment.ProcessId, during.Pid);
        Assert.Equal(4096u, during.BacklogLimit);
        Assert.Equal(0u, during.BacklogWaitTime);
        // The never rule for itself, an always rule per arch and a b32 socketcall rule per socket call (bind, connect).
        Assert.Equal(before.Rules.Count + 5, control.ListRuleData().Count);
        Assert.Equal(5, session.AddedRules.Count);

        session.Dispose();
        session.Dispose();

        Assert.True(before.Matches(control.GetStatus(), control.ListRuleData()));
        Assert.True(fixture.Snapshot!.Matches(control.GetStatus(), control.ListRuleData()));
    }

    [Fact]
    public void Only_a_live_process_other_than_this_one_counts_as_the_owner()
    {
        var status = new AuditStatus { Pid = 1 };

        Assert.Equal(1u, KernelAuditSession.LiveOwner(status));
        Assert.Equal(0u, KernelAuditSession.LiveOwner(new AuditStatus { Pid = (uint)Environment.ProcessId }));
        Assert.Equal(0u, KernelAuditSession.LiveOwner(new AuditStatus { Pid = 0 }));
    }
}
