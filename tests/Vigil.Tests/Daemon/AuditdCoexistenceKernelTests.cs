using Vigil.Kernel;
using Vigil.KernelAbi;
using Vigil.Netlink;
using Vigil.Pipeline;
using Vigil.Sql;
using Vigil.Tests.Kernel;
using Vigil.Tests.Rules;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary>
/// Vigil beside a running auditd: with <c>--audit_socket_type=auto --audit_allow_config=false</c> the daemon finds
/// auditd owning the audit socket, reads the multicast copy of the records auditd's own rule produces, and leaves
/// auditd's pid, rules and settings as they were.
/// </summary>
[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class AuditdCoexistenceKernelTests(KernelAuditFixture kernel)
{
    private const string RuleKey = "vigil-test-auditd";

    [AuditdFact]
    public void MulticastBesideAuditd_BothLogTheExec_AuditdKeepsItsSocketAndRules()
    {
        Assert.True(AuditdProcess.Executable is not null,
            "auditd is not installed: run `bash tools/install-reference-tools.sh` as root (.ci/run does it before the tests)");
        BesideAuditd(kernel, RuleKey, (control, auditd, before) =>
        {
            Assert.Equal((uint)auditd.Pid, before.Status.Pid);

            var marker = $"vigil-auditd-{Guid.NewGuid():N}";
            using (var harness = new DaemonHarness("""{"schedule": {}}"""))
            {
                var daemon = harness.Start("--audit_socket_type=auto", "--audit_allow_config=false");
                Assert.Equal(1, harness.InfoLines($"the audit socket is owned by pid {auditd.Pid}; reading in multicast mode"));
                KernelRecords.Run("/bin/echo", marker, "two words", "");
                Wait.Until(() => Cmdlines(harness.DatabasePath, marker).Count > 0, "Vigil to store the exec", TimeSpan.FromSeconds(20));
                DaemonHarness.Stop(daemon);
                Assert.Equal([$"/bin/echo {marker} two words "], Cmdlines(harness.DatabasePath, marker));
            }

            Wait.Until(() => File.ReadAllText(auditd.LogPath).Contains($"a1=\"{marker}\"", StringComparison.Ordinal), "auditd to log the exec", TimeSpan.FromSeconds(20));
            var execve = File.ReadLines(auditd.LogPath).Single(l => l.Contains($"a1=\"{marker}\"", StringComparison.Ordinal));
            // The kernel writes an argument holding a space in hex.
            Assert.EndsWith($"argc=4 a0=\"/bin/echo\" a1=\"{marker}\" a2=74776F20776F726473 a3=\"\"", execve);
            var serial = KernelRecords.Serial(execve);
            Assert.Contains(File.ReadLines(auditd.LogPath),
                l => l.StartsWith("type=SYSCALL ", StringComparison.Ordinal) && KernelRecords.Serial(l) == serial && l.Contains($" key=\"{RuleKey}\"", StringComparison.Ordinal));

            var after = control.GetStatus();
            Assert.Equal((uint)auditd.Pid, after.Pid);
            Assert.True(before.Matches(after, control.ListRuleData()), "Vigil changed the audit settings, pid or rules auditd had");
        });
    }

    /// <summary>
    /// Runs <paramref name="test"/> with a real auditd owning the audit socket, audit enabled and an execve rule keyed
    /// <paramref name="ruleKey"/>, given the state captured then; afterwards auditd is stopped and the kernel restored.
    /// </summary>
    internal static void BesideAuditd(KernelAuditFixture kernel, string ruleKey, Action<AuditClient, AuditdProcess, AuditState> test)
    {
        using var control = AuditClient.OpenUnicast();
        Assert.Equal(0u, control.GetStatus().Pid);
        try
        {
            using var auditd = AuditdProcess.Start();
            control.SetStatus(new AuditStatus { Mask = AuditStatusMask.Enabled, Enabled = 1 });
            var added = Auditctl.Run("-a", "always,exit", "-F", "arch=b64", "-S", "execve", "-k", ruleKey);
            Assert.True(added.ExitCode == 0, $"auditctl failed: {added.Error}");
            test(control, auditd, AuditState.Capture(control));
        }
        finally
        {
            kernel.Restore();
        }

        Wait.Until(() => control.GetStatus().Pid == 0, "the kernel to drop the stopped auditd as its receiver", TimeSpan.FromSeconds(20));
    }

    internal static List<string> Cmdlines(string database, string marker)
    {
        using var sql = new SqlEngine(database, IngestOptions.EventTableSpecs, []);
        var cmdlines = new List<string>();
        foreach (var row in sql.Execute($"SELECT cmdline FROM process_events WHERE cmdline LIKE '%{marker}%'")[0].Rows)
        {
            cmdlines.Add(row[0]!);
        }

        return cmdlines;
    }

}
