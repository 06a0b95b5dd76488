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

    // `auditctl -D` by someone else: every rule goes, and the repair must put the exclusion back ahead of the always
    // rules, where the kernel still consults it.
    [KernelFact]
    public void AllRulesDeleted_RepairRestoresTheirOrder()
    {
        var before = DaemonHarness.CaptureState();
        var harness = new DaemonHarness("""{"schedule": {}, "audit": {"exclude": [{"exe": "/usr/bin/true"}]}}""");
        try
        {
            var daemon = harness.Start();
            using var client = AuditClient.OpenUnicast();
            var installed = VigilRuleTexts(client);
            Assert.Equal(5, installed.Count);
            Assert.StartsWith("-a never,exit -F arch=b64 -S all -F pid=", installed[0], StringComparison.Ordinal);
            Assert.Equal("-a never,exit -F arch=b64 -S execve,execveat -F exe=/usr/bin/true -F key=vigil", installed[1]);

            foreach (var rule in client.ListRuleData())
            {
                client.DeleteRule(rule);
            }

            harness.WaitForInfo("5 of Vigil's 5 audit rules were deleted by another process; added them again", 1, TimeSpan.FromSeconds(5));
            Assert.Equal(installed, VigilRuleTexts(client));

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

    private static List<string> VigilRuleTexts(AuditClient client)
    {
        var texts = new List<string>();
        foreach (var rule in client.ListRules())
        {
            var text = rule.ToAuditctlText();
            if (text.EndsWith("-F key=vigil", StringComparison.Ordinal))
            {
                texts.Add(text);
            }
        }

        return texts;
    }
}
