using Vigil.Netlink;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary><c>vigil daemon --audit_allow_config=true</c> repairs audit disabled and its rules deleted by another process while it runs.</summary>
[Collection("Kernel")]
public sealed class DaemonRepairKernelTests
{
    [KernelFact]
    public void AuditDisabledAndRuleDeleted_NoticedLoggedAndRepaired_StateRestoredOnStop()
    {
        var before = DaemonHarness.CaptureState();
        var harness = new DaemonHarness("""{"schedule": {}}""");
        try
        {
            var daemon = harness.Start();
            using var client = AuditClient.OpenUnicast();
            var installed = client.ListRuleData();
            var syscalls = installed.Last(r => AuditState.IsVigilRule(r));

            client.SetStatus(new AuditStatus { Mask = AuditStatusMask.Enabled, Enabled = 0 });
            client.DeleteRule(syscalls);
            harness.WaitForInfo("audit was disabled (enabled 0) by another process; enabled it again", 1, TimeSpan.FromSeconds(5));
            harness.WaitForInfo("1 of Vigil's 3 audit rules were deleted by another process; added them again", 1, TimeSpan.FromSeconds(5));

            Assert.Equal(1u, client.GetStatus().Enabled);
            var repaired = client.ListRuleData();
            Assert.Equal(installed.Count, repaired.Count);
            Assert.Contains(repaired, r => AuditRule.SameEncoding(r, syscalls));

            DaemonHarness.Stop(daemon);
            var after = DaemonHarness.CaptureState();
            Assert.True(before.Matches(after.Status, after.Rules), "the kernel audit state after the stop differs from the one before the start");
        }
        finally
        {
            harness.Dispose();
            DaemonHarness.RestoreKernel(before);
        }
    }
}
