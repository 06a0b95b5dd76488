using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Rules;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary>
/// SIGHUP makes <c>vigil daemon</c> replace its <c>audit.exclude</c> never rules in the kernel: the new set, ahead of
/// its always rules; a config or kernel refusal keeps the old set; stop and crash recovery remove what it added.
/// </summary>
[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class DaemonReloadExclusionsKernelTests : IDisposable
{
    private const string Always64 = "-a always,exit -F arch=b64 -S execve,execveat -F key=vigil";
    private const string Always32 = "-a always,exit -F arch=b32 -S execve,execveat -F key=vigil";

    private readonly AuditState? _before = KernelFactAttribute.SkipReason() is null ? DaemonHarness.CaptureState() : null;
    private readonly DaemonHarness _harness = new(Config("""[{"exe": "/usr/bin/true"}]"""));

    public void Dispose()
    {
        _harness.Dispose();
        if (_before is not null)
        {
            DaemonHarness.RestoreKernel(_before);
        }
    }

    [KernelFact]
    public void Sighup_ReplacesTheExclusions_AheadOfTheAlwaysRules_RefusalsKeepTheOldSet_StopAndCrashRemoveThem()
    {
        var daemon = _harness.Start();
        var self = $"-a never,exit -F arch=b64 -S all -F pid={daemon.Id} -F key=vigil";
        Assert.Equal(
            [
                self,
                "-a never,exit -F arch=b64 -S execve,execveat -F exe=/usr/bin/true -F key=vigil",
                "-a never,exit -F arch=b32 -S execve,execveat -F exe=/usr/bin/true -F key=vigil",
                Always64,
                Always32,
            ],
            VigilRules());

        // The glob is expanded again at the reload; uid 4242 with execve only gives one rule per architecture.
        File.WriteAllText(_harness.ConfigPath, Config("""[{"exe": "/usr/bin/ech?"}, {"uid": 4242, "syscalls": ["execve"]}]"""));
        DaemonHarness.Signal(daemon, "HUP");
        _harness.WaitForInfo("Audit exclusions reloaded: 4 rules (4 added, 2 removed)", 1, TimeSpan.FromSeconds(5));
        string[] reloaded =
        [
            "-a never,exit -F arch=b64 -S execve,execveat -F exe=/usr/bin/echo -F key=vigil",
            "-a never,exit -F arch=b32 -S execve,execveat -F exe=/usr/bin/echo -F key=vigil",
            "-a never,exit -F arch=b64 -S execve -F uid=4242 -F key=vigil",
            "-a never,exit -F arch=b32 -S execve -F uid=4242 -F key=vigil",
            self,
            Always64,
            Always32,
        ];
        Assert.Equal(reloaded, VigilRules());

        File.WriteAllText(_harness.ConfigPath, Config("""[{"exe": "echo"}]"""));
        DaemonHarness.Signal(daemon, "HUP");
        _harness.WaitForInfo(
            $"Config reload failed; keeping the running config: {_harness.ConfigPath}: audit: audit.exclude[0]: exe must be an absolute path (got 'echo')",
            1, TimeSpan.FromSeconds(5));
        Assert.Equal(reloaded, VigilRules());

        // The kernel refuses an exe whose directory does not exist, after the /usr/bin/true rules went in (they are
        // added last first): those are taken out again.
        File.WriteAllText(_harness.ConfigPath, Config("""[{"exe": "/vigil/no/such/dir/x"}, {"exe": "/usr/bin/true"}]"""));
        DaemonHarness.Signal(daemon, "HUP");
        _harness.WaitForInfo(
            "Audit exclusions reload failed; keeping the running exclusions: AUDIT_ADD_RULE of exclusion rule "
                + "'-a never,exit -F arch=b32 -S execve,execveat -F exe=/vigil/no/such/dir/x -F key=vigil' failed: No such file or directory (errno 2)",
            1, TimeSpan.FromSeconds(5));
        Assert.Equal(reloaded, VigilRules());

        // The same set again changes nothing in the kernel.
        File.WriteAllText(_harness.ConfigPath, Config("""[{"exe": "/usr/bin/ech?"}, {"uid": 4242, "syscalls": ["execve"]}]"""));
        DaemonHarness.Signal(daemon, "HUP");
        _harness.WaitForInfo("Audit exclusions reloaded: 4 rules (0 added, 0 removed)", 1, TimeSpan.FromSeconds(5));
        Assert.Equal(reloaded, VigilRules());

        // A crash leaves the reloaded rules behind; the next start removes all 7 and a clean stop what that run added.
        daemon.Kill();
        daemon.WaitForExit();
        Assert.Equal(reloaded, VigilRules());
        var second = _harness.Start();
        Assert.Equal(1, _harness.InfoLines("removed 7 leftover Vigil audit rules"));
        Assert.Equal(
            [
                $"-a never,exit -F arch=b64 -S all -F pid={second.Id} -F key=vigil",
                "-a never,exit -F arch=b64 -S execve,execveat -F exe=/usr/bin/echo -F key=vigil",
                "-a never,exit -F arch=b32 -S execve,execveat -F exe=/usr/bin/echo -F key=vigil",
                "-a never,exit -F arch=b64 -S execve -F uid=4242 -F key=vigil",
                "-a never,exit -F arch=b32 -S execve -F uid=4242 -F key=vigil",
                Always64,
                Always32,
            ],
            VigilRules());

        File.WriteAllText(_harness.ConfigPath, Config("[]"));
        DaemonHarness.Signal(second, "HUP");
        _harness.WaitForInfo("Audit exclusions reloaded: 0 rules (0 added, 4 removed)", 1, TimeSpan.FromSeconds(5));
        Assert.Equal([$"-a never,exit -F arch=b64 -S all -F pid={second.Id} -F key=vigil", Always64, Always32], VigilRules());

        DaemonHarness.StopAndAssertKernelAsBefore(second, _before!);
    }

    private static string Config(string exclude) => """{"schedule": {}, "audit": {"exclude": """ + exclude + "}}";

    /// <summary>The rules in the kernel that are Vigil's, as auditctl lists them.</summary>
    internal static List<string> VigilRules()
    {
        using var client = AuditClient.OpenUnicast();
        return client.ListRuleData().Where(r => AuditState.IsVigilRule(r)).Select(r => AuditRule.Decode(r).ToAuditctlText()).ToList();
    }
}
