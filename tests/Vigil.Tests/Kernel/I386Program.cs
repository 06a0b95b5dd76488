using System.Diagnostics;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Kernel;

/// <summary>
/// Fixtures/programs/i386-calls.c built with <c>gcc -m32 -static</c> (gcc-multilib, which
/// tools/install-reference-tools.sh installs) into a directory of its own, removed on dispose: a 32-bit process whose
/// exec, connect and socketcall the kernel reports with <c>arch=40000003</c>.
/// </summary>
internal sealed class I386Program : IDisposable
{
    private static readonly string Source = System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "programs", "i386-calls.c");

    private readonly TempDirectory _directory = new();

    public I386Program()
    {
        Path = _directory.File("i386-calls");
        var gcc = new ProcessStartInfo("gcc", ["-m32", "-static", "-O2", "-Wall", "-Werror", "-o", Path, Source]) { RedirectStandardError = true };
        using var build = Process.Start(gcc)!;
        var errors = build.StandardError.ReadToEnd();
        build.WaitForExit();
        Assert.True(build.ExitCode == 0, $"gcc -m32 failed (bash tools/install-reference-tools.sh installs gcc-multilib): {errors}");
    }

    /// <summary>The built executable.</summary>
    public string Path { get; }

    public void Dispose() => _directory.Dispose();
}
