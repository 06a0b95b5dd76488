using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Tests.Daemon;
using Xunit;

namespace Vigil.Tests.Kernel;

[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class AuditOwnerKernelTests(KernelAuditFixture fixture) : IDisposable
{
    public void Dispose() => fixture.Restore();

    [KernelFact]
    public void Auto_reads_multicast_when_another_live_process_owns_audit_and_config_is_not_allowed()
    {
        // The kernel only lets a process register its own pid (AUDIT_SET checks it against the sender), so the other
        // owner is another process: a Vigil daemon, which takes the socket in unicast mode.
        using var harness = new DaemonHarness("""{"schedule": {}}""");
        var owner = harness.Start();
        try
        {
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
            DaemonHarness.Stop(owner);
        }
    }
}
