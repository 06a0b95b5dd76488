using System.Diagnostics;
using Vigil.Bpf;
using Vigil.Tests.Cli;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Bpf;

/// <summary>
/// The executable as a user runs it with the BPF backend: whatever way the shell or the daemon stops (SIGTERM, SIGINT,
/// a failure while loading), no program, map or link of Vigil's is left in the kernel; and a kernel without BTF or a
/// user without the privilege gets one clear line and exit code 1.
/// </summary>
[Collection("Kernel")]
public sealed class BpfLifecycleKernelTests : IDisposable
{
    private static readonly string[] BpfShell = ["shell", "--disable_audit=false", "--event_source=bpf", "--enable_bpf_events=true", "--audit_allow_sockets=true"];

    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-bpf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [BpfFact]
    public void Shell_LeavesNothingInTheKernel_OnSigterm() => StopShell("TERM", 143);

    [BpfFact]
    public void Shell_LeavesNothingInTheKernel_OnSigint() => StopShell("INT", 130);

    [BpfFact]
    public void Daemon_LeavesNothingInTheKernel_OnSigterm() => StopDaemon("TERM");

    [BpfFact]
    public void Daemon_LeavesNothingInTheKernel_OnSigint() => StopDaemon("INT");

    [BpfFact]
    public void AFailureDuringLoad_IsOneLine_AndLeavesNothing()
    {
        // One more exclusion entry than the kernel map holds: the programs are loaded and attached when storing them fails.
        var entries = string.Join(", ", Enumerable.Range(1, BpfLoadOptions.MaxExclusions + 1).Select(uid => $"{{\"uid\": {uid}}}"));
        var config = Path.Combine(_dir, "vigil.conf");
        File.WriteAllText(config, $"{{\"audit\": {{\"exclude\": [{entries}]}}}}");
        var (code, output, errors) = VigilProcess.Run("", [.. BpfShell, $"--config_path={config}", "SELECT 1"]);
        Assert.Equal((1, ""), (code, output));
        Assert.Equal($"vigil: storing {BpfLoadOptions.MaxExclusions + 1} exclusion entries (at most {BpfLoadOptions.MaxExclusions}) failed: Argument list too long\n", errors);
        BpfKernelObjects.AssertNoneLeft();
    }

    [BpfFact]
    public void AKernelWithoutBtf_IsOneLine()
    {
        // /sys/kernel/btf hidden in a mount namespace of the child's own: to libbpf, a kernel built without BTF.
        var (code, output, errors) = VigilProcess.Run(
            VigilProcess.StartInfo([.. BpfShell, "SELECT 1"], "unshare", ["-m", "--propagation", "private", "sh", "-c", "mount -t tmpfs none /sys/kernel/btf && exec \"$@\"", "sh"]),
            "");
        Assert.Equal((1, "", "vigil: this kernel has no BTF (/sys/kernel/btf/vmlinux is missing; the BPF backend needs CONFIG_DEBUG_INFO_BTF=y)\n"), (code, output, errors));
        BpfKernelObjects.AssertNoneLeft();
    }

    [BpfFact]
    public void AUserWithoutPrivilege_IsOneLine()
    {
        var (code, output, errors) = VigilProcess.Run(
            VigilProcess.StartInfo([.. BpfShell, "SELECT 1"], "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups"]),
            "");
        Assert.Equal((1, "", $"vigil: {BpfPrograms.PermissionMessage}\n"), (code, output, errors));
        BpfKernelObjects.AssertNoneLeft();
    }

    private static void StopShell(string signal, int exitCode)
    {
        using var shell = Process.Start(VigilProcess.StartInfo(BpfShell))!;
        BpfKernelObjects.WaitForLinks();
        Signal(shell, signal);
        Assert.True(shell.WaitForExit(TimeSpan.FromSeconds(30)), $"the shell did not stop on SIG{signal}");
        Assert.Equal(exitCode, shell.ExitCode);
        BpfKernelObjects.AssertNoneLeft();
    }

    private void StopDaemon(string signal)
    {
        var config = Path.Combine(_dir, "vigil.conf");
        File.WriteAllText(config, "{}");
        using var daemon = Process.Start(VigilProcess.StartInfo([
            "daemon", $"--config_path={config}", $"--database_path={Path.Combine(_dir, "db", "vigil.db")}", $"--logger_path={Path.Combine(_dir, "log")}",
            "--disable_audit=false", "--event_source=bpf", "--enable_bpf_events=true",
        ]))!;
        daemon.StandardInput.Close();
        BpfKernelObjects.WaitForLinks();
        Signal(daemon, signal);
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(30)), $"the daemon did not stop on SIG{signal}");
        Assert.Equal(0, daemon.ExitCode);
        BpfKernelObjects.AssertNoneLeft();
        var log = File.ReadAllText(Path.Combine(_dir, "log", "vigil.INFO"));
        Assert.Contains("BPF programs attached: 3", log, StringComparison.Ordinal);
        Assert.Contains("vigil daemon stopped", log, StringComparison.Ordinal);
    }

    private static void Signal(Process process, string signal) =>
        Process.Start("kill", [$"-{signal}", process.Id.ToString()])!.WaitForExit();
}
