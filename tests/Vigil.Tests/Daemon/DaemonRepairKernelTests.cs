using System.Globalization;
using System.Text.RegularExpressions;
using Vigil.Kernel;
using Vigil.KernelAbi;
using Vigil.Netlink;
using Vigil.Rules;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary><c>vigil daemon --audit_allow_config=true</c> repairs audit disabled and its rules deleted by another process while it runs.</summary>
[Collection("Kernel")]
[Trait("Category", "Kernel")]
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

            DaemonHarness.StopAndAssertKernelAsBefore(daemon, before);
        }
        finally
        {
            harness.Dispose();
            DaemonHarness.RestoreKernel(before);
        }
    }

    // Someone deletes the exclusion rules only: appended again after the always rules they would never match, so the
    // repair must put them back at the head of the exit list.
    [KernelFact]
    public void ExclusionRulesDeleted_RepairPutsThemBeforeTheAlwaysRules()
    {
        var before = DaemonHarness.CaptureState();
        var harness = new DaemonHarness("""{"schedule": {}, "audit": {"exclude": [{"exe": "/usr/bin/true"}]}}""");
        try
        {
            var daemon = harness.Start();
            using var client = AuditClient.OpenUnicast();
            var installed = VigilRuleTexts(client);
            Assert.Equal(5, installed.Count);
            Assert.Equal("-a never,exit -F arch=b64 -S execve,execveat -F exe=/usr/bin/true -F key=vigil", installed[1]);
            foreach (var rule in client.ListRules())
            {
                if (rule.ToAuditctlText().Contains("-F exe=/usr/bin/true", StringComparison.Ordinal))
                {
                    client.DeleteRule(rule.Encode());
                }
            }

            // Deleted one call after the other, the two may be repaired together or one at a time.
            Wait.Until(() => RulesAddedAgain(harness) == 2, $"repairs of 2 deleted rules in {harness.InfoLog}", TimeSpan.FromSeconds(5));
            var repaired = VigilRuleTexts(client);
            Assert.Equal(installed.Order(StringComparer.Ordinal), repaired.Order(StringComparer.Ordinal));
            Assert.Equal(["never", "never", "never", "always", "always"], repaired.Select(r => r.Split(' ')[1].Split(',')[0]));

            DaemonHarness.StopAndAssertKernelAsBefore(daemon, before);
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
        foreach (var rule in client.ListRuleData())
        {
            if (AuditState.IsVigilRule(rule))
            {
                texts.Add(AuditRule.Decode(rule).ToAuditctlText());
            }
        }

        return texts;
    }

    // The rules the daemon's repairs said they added again, over every repair line of its log.
    private static int RulesAddedAgain(DaemonHarness harness) =>
        File.ReadLines(harness.InfoLog)
            .Select(line => Regex.Match(line, "] ([0-9]+) of Vigil's [0-9]+ audit rules were deleted by another process; added them again"))
            .Where(match => match.Success)
            .Sum(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
}
