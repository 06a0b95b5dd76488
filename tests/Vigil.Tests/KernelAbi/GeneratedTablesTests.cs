using System.Diagnostics;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.KernelAbi;

public class GeneratedTablesTests
{
    // tools/gen-kernel-abi.sh and the committed src/Vigil.Core/KernelAbi/*.g.cs are copied beside the tests.
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "tools", "gen-kernel-abi.sh");
    private static readonly string Committed = Path.Combine(AppContext.BaseDirectory, "KernelAbi", "committed");

    [KernelHeadersFact]
    public void The_committed_tables_are_what_the_script_writes_from_the_installed_headers()
    {
        Assert.True(File.Exists("/usr/include/linux/audit.h"), "linux/audit.h is missing: bash tools/install-reference-tools.sh installs linux-libc-dev and the cross headers");
        using var scratch = new TempDirectory();
        using var bash = Process.Start(new ProcessStartInfo("bash", [Script, scratch.Path]) { RedirectStandardError = true })!;
        var errors = bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        Assert.True(bash.ExitCode == 0, $"gen-kernel-abi.sh failed: {errors}");

        var written = Names(scratch.Path);
        Assert.Equal(written, Names(Committed));
        foreach (var name in written)
        {
            Assert.True(
                File.ReadAllText(Path.Combine(scratch.Path, name)) == File.ReadAllText(Path.Combine(Committed, name)),
                $"{name} is not what tools/gen-kernel-abi.sh writes from /usr/include: run it and commit the result");
        }
    }

    private static string[] Names(string directory) =>
        Directory.GetFiles(directory, "*.g.cs").Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal).ToArray();
}
