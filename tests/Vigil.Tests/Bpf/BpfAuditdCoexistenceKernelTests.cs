using Vigil.Tests.Daemon;
using Vigil.Tests.Kernel;
using Xunit;
using Xunit.Sdk;

namespace Vigil.Tests.Bpf;

/// <summary>
/// The BPF backend beside a running auditd that owns the audit socket: the daemon with <c>--event_source=bpf</c>
/// stores the exec from BPF, auditd logs it from its own rule, and the audit pid, rules and settings stay as auditd
/// had them, even with <c>--audit_allow_config=true</c>: the BPF source never touches the audit configuration.
/// </summary>
[Collection("Kernel")]
public sealed class BpfAuditdCoexistenceKernelTests(KernelAuditFixture kernel)
{
    private const string RuleKey = "vigil-test-bpf-auditd";

    [BpfAuditdFact]
    public void BpfBesideAuditd_BothSeeTheExec_AuditdKeepsItsSocketAndRules()
    {
        AuditdCoexistenceKernelTests.BesideAuditd(kernel, RuleKey, (control, auditd, before) =>
        {
            var marker = $"vigil-bpf-auditd-{Guid.NewGuid():N}";
            using (var harness = new DaemonHarness("""{"schedule": {}}"""))
            {
                var daemon = harness.Start("--event_source=bpf");
                Assert.True(before.Matches(control.GetStatus(), control.ListRuleData()), "the BPF daemon changed the audit state while running");
                KernelRecords.Run("/bin/echo", marker, "two words", "");
                Wait.Until(() => AuditdCoexistenceKernelTests.Cmdlines(harness.DatabasePath, marker).Count > 0, "Vigil to store the exec", TimeSpan.FromSeconds(20));
                DaemonHarness.Stop(daemon);
                Assert.Equal([$"/bin/echo {marker} two words "], AuditdCoexistenceKernelTests.Cmdlines(harness.DatabasePath, marker));
            }

            Wait.Until(() => File.ReadAllText(auditd.LogPath).Contains($"a1=\"{marker}\"", StringComparison.Ordinal), "auditd to log the exec", TimeSpan.FromSeconds(20));
            var after = control.GetStatus();
            Assert.Equal((uint)auditd.Pid, after.Pid);
            Assert.True(before.Matches(after, control.ListRuleData()), "the BPF daemon changed the audit settings, pid or rules auditd had");
        });
    }
}

/// <summary>A BPF test that also runs a real auditd: skipped like both <see cref="BpfFactAttribute"/> and <see cref="AuditdFactAttribute"/>.</summary>
[TraitDiscoverer(KernelCategory.DiscovererTypeName, KernelCategory.DiscovererAssemblyName)]
public sealed class BpfAuditdFactAttribute : FactAttribute, ITraitAttribute
{
    public BpfAuditdFactAttribute() => Skip = BpfFactAttribute.SkipReason() ?? new AuditdFactAttribute().Skip;
}
