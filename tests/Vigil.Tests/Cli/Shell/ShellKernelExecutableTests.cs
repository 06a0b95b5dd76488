using System.Diagnostics;
using Vigil.Kernel;
using Vigil.KernelAbi;
using Vigil.Netlink;
using Vigil.Rules;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Cli.Shell;

/// <summary>The <c>vigil</c> executable against the real kernel, as a user runs it.</summary>
[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class ShellKernelExecutableTests(KernelAuditFixture kernel) : IDisposable
{
    public void Dispose() => kernel.Restore();

    [KernelTheory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void Signal_RestoresTheStateFoundAtStart(string signal) =>
        SignalRestoresTheStateFoundAtStart(signal, (client, vigil) =>
        {
            WaitUntilCollecting(client, vigil, SocketRules);
            Assert.Equal(8192u, client.GetStatus().BacklogLimit);
        });

    // The signal lands while Vigil is still installing its rules, before the shell has its collector: the state must
    // come back all the same. Polled without pause, so the signal follows the socket's takeover as closely as it can.
    [KernelTheory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void Signal_DuringStart_RestoresTheStateFoundAtStart(string signal) =>
        SignalRestoresTheStateFoundAtStart(signal, (client, vigil) =>
        {
            var clock = Stopwatch.StartNew();
            while (client.GetStatus().Pid != (uint)vigil.Id)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "vigil did not take the audit socket");
            }
        });

    // The state found at start is not always the clean one: audit already on with other settings and another
    // agent's rule. Vigil changes the settings while it runs and puts them back, leaving that rule in place.
    [KernelTheory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void Signal_RestoresAStateOtherThanTheDefault_AndKeepsOtherRules(string signal)
    {
        using (var control = AuditClient.OpenUnicast())
        {
            control.SetStatus(new AuditStatus
            {
                Mask = AuditStatusMask.Enabled | AuditStatusMask.Failure | AuditStatusMask.RateLimit | AuditStatusMask.BacklogLimit | AuditStatusMask.BacklogWaitTime,
                Enabled = 1, Failure = 1, RateLimit = 5000, BacklogLimit = 320, BacklogWaitTime = 15000,
            });
            control.AddRule(AuditRule.ForSyscalls(SyscallTable.ArchX86_64, ["mknodat"], "other-agent"));
        }

        SignalRestoresTheStateFoundAtStart(signal, (client, vigil) =>
        {
            WaitUntilCollecting(client, vigil, SocketRules);
            var during = client.GetStatus();
            Assert.Equal((8192u, 0u, 0u), (during.BacklogLimit, during.BacklogWaitTime, during.Failure));
            Assert.Contains("-a always,exit -F arch=b64 -S mknodat -F key=other-agent", client.ListRules().Select(rule => rule.ToAuditctlText()));
        });
    }

    // With --audit_log_file the tables come from the file: the kernel is left as found even when audit and its
    // configuration are allowed, and the shell runs as root.
    [KernelFact]
    public void Shell_ReadingALogFile_LeavesTheKernelAsFound()
    {
        var log = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tables", "user.log");
        using var client = AuditClient.OpenUnicast();
        var before = AuditState.Capture(client);
        using var vigil = Process.Start(VigilProcess.StartInfo(
            ["shell", "--disable_audit=false", "--audit_allow_config=true", "--audit_allow_sockets=true", $"--audit_log_file={log}", "--csv"]))!;
        try
        {
            vigil.StandardInput.Write("select count(*) as n from user_events;\n");
            vigil.StandardInput.Flush();
            Assert.Equal("n", vigil.StandardOutput.ReadLine());
            Assert.Equal("18", vigil.StandardOutput.ReadLine());
            Assert.True(before.Matches(client.GetStatus(), client.ListRuleData()), "the shell reading a log file changed the kernel audit state");

            vigil.StandardInput.Close();
            Assert.True(vigil.WaitForExit(TimeSpan.FromSeconds(20)));
            Assert.Equal(0, vigil.ExitCode);
            Assert.True(before.Matches(client.GetStatus(), client.ListRuleData()));
        }
        finally
        {
            if (!vigil.HasExited)
            {
                vigil.Kill();
            }
        }
    }

    [KernelFact]
    public void Shell_CollectsItsOwnExecs_WithSqlFromStdin()
    {
        var marker = $"vigil-marker-{Guid.NewGuid():N}";
        using var vigil = Process.Start(VigilProcess.StartInfo(["shell", "--disable_audit=false", "--audit_allow_config=true", "--csv"]))!;
        try
        {
            using var client = AuditClient.OpenUnicast();
            WaitUntilCollecting(client, vigil, ExecRules);
            int child;
            using (var process = Process.Start("/bin/echo", [marker, "x y"]))
            {
                process.WaitForExit();
                child = process.Id;
            }

            Thread.Sleep(500);
            vigil.StandardInput.Write($"SELECT pid, path, cmdline FROM process_events WHERE cmdline LIKE '%{marker}%';\n");
            vigil.StandardInput.Close();
            var output = vigil.StandardOutput.ReadToEnd();
            Assert.True(vigil.WaitForExit(TimeSpan.FromSeconds(20)));
            Assert.Equal($"pid|path|cmdline\n{child}|/usr/bin/echo|\"/bin/echo {marker} x y\"\n", output);
            Assert.Equal(0, vigil.ExitCode);
        }
        finally
        {
            if (!vigil.HasExited)
            {
                vigil.Kill();
            }
        }
    }

    // The config's audit.exclude becomes kernel never rules in the shell too: the excluded executable's exec never
    // reaches Vigil, another one does.
    [KernelFact]
    public void Shell_ConfigExclusions_KeepTheExcludedExecutableOut()
    {
        var marker = $"vigil-marker-{Guid.NewGuid():N}";
        var config = Path.Combine(Directory.CreateTempSubdirectory("vigil-shell-").FullName, "vigil.conf");
        File.WriteAllText(config, """{"audit": {"exclude": [{"exe": "/usr/bin/tru?"}]}}""");
        using var vigil = Process.Start(VigilProcess.StartInfo(["shell", "--disable_audit=false", "--audit_allow_config=true", "--csv", $"--config_path={config}"]))!;
        try
        {
            using var client = AuditClient.OpenUnicast();
            Wait.Until(() => client.GetStatus().Pid == (uint)vigil.Id && CountVigilRules(client) == 5, "vigil to add its rules and the exclusion's", TimeSpan.FromSeconds(30));
            Assert.Contains(client.ListRules(), rule => rule.ToAuditctlText() == "-a never,exit -F arch=b64 -S execve,execveat -F exe=/usr/bin/true -F key=vigil");
            foreach (var program in (string[])["/bin/true", "/bin/echo"])
            {
                using var process = Process.Start(program, [marker])!;
                process.WaitForExit();
            }

            Thread.Sleep(500);
            vigil.StandardInput.Write($"SELECT path FROM process_events WHERE cmdline LIKE '%{marker}%';\n");
            vigil.StandardInput.Close();
            var output = vigil.StandardOutput.ReadToEnd();
            Assert.True(vigil.WaitForExit(TimeSpan.FromSeconds(20)));
            Assert.Equal("path\n/usr/bin/echo\n", output);
        }
        finally
        {
            if (!vigil.HasExited)
            {
                vigil.Kill();
            }

            Directory.Delete(Path.GetDirectoryName(config)!, recursive: true);
        }
    }

    [Fact]
    public void Shell_BadConfig_IsRefusedWithItsErrors()
    {
        var config = Path.Combine(Directory.CreateTempSubdirectory("vigil-shell-").FullName, "vigil.conf");
        try
        {
            File.WriteAllText(config, """{"audit": {"exclude": [{"exe": "awk"}]}}""");
            var (code, output, errors) = VigilProcess.Run("", "shell", "--disable_audit=false", $"--config_path={config}");
            Assert.Equal((1, ""), (code, output));
            Assert.StartsWith($"vigil: {config}", errors, StringComparison.Ordinal);
            Assert.Contains("awk", errors, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(config)!, recursive: true);
        }
    }

    [KernelFact]
    public void Status_WarnsWhenAnotherProcessOwnsTheSocket()
    {
        using var owner = AuditClient.OpenUnicast();
        owner.SetPid((uint)Environment.ProcessId);
        var (code, output, errors) = VigilProcess.Run("", "status");
        Assert.Equal((0, ""), (code, errors));
        Assert.Contains($"\npid {Environment.ProcessId} (", output, StringComparison.Ordinal);
        Assert.Contains($"warning: the audit socket is owned by pid {Environment.ProcessId}", output, StringComparison.Ordinal);
    }

    private static void SignalRestoresTheStateFoundAtStart(string signal, Action<AuditClient, Process> beforeSignal)
    {
        using var client = AuditClient.OpenUnicast();
        var before = AuditState.Capture(client);
        using var vigil = Process.Start(VigilProcess.StartInfo(
            ["shell", "--disable_audit=false", "--audit_allow_config=true", "--audit_allow_sockets=true", "--audit_backlog_limit=8192"]))!;
        try
        {
            beforeSignal(client, vigil);
            using (var kill = Process.Start("kill", [$"-{signal}", vigil.Id.ToString()]))
            {
                kill.WaitForExit();
            }

            Assert.True(vigil.WaitForExit(TimeSpan.FromSeconds(20)), "vigil did not exit on the signal");
            Assert.True(before.Matches(client.GetStatus(), client.ListRuleData()), $"the audit state after SIG{signal} differs from the one before start");
        }
        finally
        {
            if (!vigil.HasExited)
            {
                vigil.Kill();
            }
        }
    }

    // Vigil's rules for execs: the never rule for itself and an always rule per arch.
    private const int ExecRules = 3;

    // With socket events (accept included by default, as in osquery), a b32 socketcall rule per socket call too: bind,
    // connect, accept and accept4.
    private const int SocketRules = ExecRules + 4;

    // Vigil owns the socket first, then installs its rules, as many as given.
    private static void WaitUntilCollecting(AuditClient client, Process vigil, int rules) =>
        Wait.Until(() => client.GetStatus().Pid == (uint)vigil.Id && CountVigilRules(client) == rules, "vigil to own the audit socket and add its rules", TimeSpan.FromSeconds(30));

    private static int CountVigilRules(AuditClient client)
    {
        var count = 0;
        foreach (var rule in client.ListRuleData())
        {
            if (AuditState.IsVigilRule(rule))
            {
                count++;
            }
        }

        return count;
    }
}
