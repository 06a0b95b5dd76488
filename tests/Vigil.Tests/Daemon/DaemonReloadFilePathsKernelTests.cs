using Vigil.Kernel;
using Vigil.Tests.Bpf;
using Vigil.Tests.Kernel;
using Vigil.Tests.Pipeline;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary>
/// SIGHUP makes <c>vigil daemon</c> move its process_file_events rules (or, on the BPF source, its watched directories)
/// to the config's new <c>file_paths</c>.
/// </summary>
[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class DaemonReloadFilePathsKernelTests : IDisposable
{
    private const string FileSyscalls = "-S open,truncate,rename,creat,link,unlink,symlink,openat,unlinkat,renameat,linkat,symlinkat,renameat2,openat2";

    private readonly AuditState? _before = KernelFactAttribute.SkipReason() is null ? DaemonHarness.CaptureState() : null;
    private readonly string _first = Directory.CreateTempSubdirectory("vigil-watched-").FullName;
    private readonly string _second = Directory.CreateTempSubdirectory("vigil-watched-").FullName;
    private readonly DaemonHarness _harness;

    public DaemonReloadFilePathsKernelTests()
    {
        _harness = new DaemonHarness(Config(_first));
    }

    public void Dispose()
    {
        _harness.Dispose();
        if (_before is not null)
        {
            DaemonHarness.RestoreKernel(_before);
        }

        Directory.Delete(_first, recursive: true);
        Directory.Delete(_second, recursive: true);
    }

    [KernelFact]
    public void Sighup_MovesTheDirRules_ToTheNewFilePaths()
    {
        var daemon = _harness.Start("--audit_allow_fim_events=true", "--audit_allow_process_events=false", "--audit_allow_user_events=false");
        Assert.Equal(DirRules(_first), VigilDirRules());

        File.WriteAllText(_harness.ConfigPath, Config(_second));
        DaemonHarness.Signal(daemon, "HUP");
        _harness.WaitForInfo("Watched paths reloaded: 1 directories (2 audit rules added, 2 removed)", 1, TimeSpan.FromSeconds(5));
        Assert.Equal(DirRules(_second), VigilDirRules());

        DaemonHarness.StopAndAssertKernelAsBefore(daemon, _before!);
    }

    [BpfFact]
    public void Sighup_MovesTheBpfProgramsWatchedDirectories()
    {
        var daemon = _harness.Start("--event_source=bpf", "--audit_allow_fim_events=true", "--audit_allow_process_events=false", "--audit_allow_user_events=false");
        File.WriteAllText(_harness.ConfigPath, Config(_second));
        DaemonHarness.Signal(daemon, "HUP");
        _harness.WaitForInfo("Watched paths reloaded: 1 directories watched by the BPF programs", 1, TimeSpan.FromSeconds(5));
        var writer = FimWorkload.Run("/usr/bin/python3", "-c", $"open('{_first}/left', 'w').close(); open('{_second}/joined', 'w').close()");
        KernelCollectorKernelTests.WaitForRow(_harness.DatabasePath, $"SELECT 1 FROM process_file_events WHERE path = '{_second}/joined'");
        DaemonHarness.StopAndAssertKernelAsBefore(daemon, _before!);

        Assert.Equal([["open", $"{_second}/joined"]], FimWorkload.Query(_harness.DatabasePath, $"SELECT operation, path FROM process_file_events WHERE pid = {writer}"));
    }

    private static string Config(string watched) => $$$"""{"schedule": {}, "file_paths": {"w": ["{{{watched}}}/%%"]}}""";

    // The b32 rule lists the same calls in i386's numbering order.
    private static List<string> DirRules(string directory) =>
        [$"-a always,exit -F arch=b64 {FileSyscalls} -F dir={directory} -F key=vigil", $"b32 -F dir={directory}"];

    private static List<string> VigilDirRules() =>
        DaemonReloadExclusionsKernelTests.VigilRules()
            .Where(text => text.Contains(" -F dir=", StringComparison.Ordinal))
            .Select(text => text.Contains("arch=b32", StringComparison.Ordinal) ? "b32 " + text[text.IndexOf("-F dir=", StringComparison.Ordinal)..text.IndexOf(" -F key=", StringComparison.Ordinal)] : text)
            .ToList();
}
