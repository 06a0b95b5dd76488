using System.Diagnostics;
using Vigil.Netlink;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Exclusions;

[Collection("Kernel")]
public sealed class AuditOwnerKernelTests(KernelAuditFixture fixture) : IDisposable
{
    // The kernel only lets a process register its own pid (AUDIT_SET checks it against the sender), so the other
    // owner is a child: it sends AUDIT_SET pid=itself on its own socket, reports, and waits on stdin.
    private const string OwnerScript = """
        import os, socket, struct, sys
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 9)
        s.bind((0, 0))
        status = struct.pack('=11I', 4, 0, 0, os.getpid(), 0, 0, 0, 0, 0, 0, 0)
        s.send(struct.pack('=IHHII', 16 + len(status), 1001, 5, 1, 0) + status)
        s.recv(8192)
        print('owner', flush=True)
        sys.stdin.read()
        """;

    public void Dispose() => fixture.Restore();

    [KernelFact]
    public void Auto_reads_multicast_when_another_live_process_owns_audit_and_config_is_not_allowed()
    {
        using var owner = Process.Start(new ProcessStartInfo("python3", ["-c", OwnerScript])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        try
        {
            Assert.Equal("owner", owner.StandardOutput.ReadLine());
            using (var control = AuditClient.OpenUnicast())
            {
                Assert.Equal((uint)owner.Id, control.GetStatus().Pid);
            }

            using (var session = KernelAuditSession.Start(new KernelAuditOptions { SocketType = AuditSocketType.Auto, AllowConfig = false, ProcessEvents = true }))
            {
                Assert.True(session.IsMulticast);
                Assert.Equal([$"the audit socket is owned by pid {owner.Id}; reading in multicast mode"], session.Notes);
                Assert.Empty(session.AddedRules);
            }

            using var after = AuditClient.OpenUnicast();
            Assert.Equal((uint)owner.Id, after.GetStatus().Pid);
        }
        finally
        {
            owner.StandardInput.Close();
            owner.WaitForExit();
        }
    }
}
