using System.Diagnostics;
using Xunit;

namespace Vigil.Tests.Package;

/// <summary>
/// The .deb packages under test, each built once per test run by tools/package.sh (the native executable takes a
/// minute or two to link), unless .ci/run built it already and names it: the checkout's version (VIGIL_DEB), and the
/// same tree as the next version for the upgrade (VIGIL_DEB_NEWER, package.sh --version=next).
/// </summary>
internal static class PackageBuild
{
    private static readonly Lazy<string> s_output = new(() =>
    {
        var directory = Directory.CreateTempSubdirectory("vigil-package-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        return directory;
    });

    private static readonly Lazy<string> s_current = new(() => Prebuilt("VIGIL_DEB") ?? Build("current"));

    private static readonly Lazy<string> s_newer = new(() => Prebuilt("VIGIL_DEB_NEWER") ?? Build("next"));

    /// <summary>The package of the checkout's version.</summary>
    public static string Current => s_current.Value;

    /// <summary>The same tree packaged as the next version, to upgrade <see cref="Current"/> to.</summary>
    public static string Newer => s_newer.Value;

    /// <summary>A control field of <paramref name="deb"/> (dpkg-deb -f).</summary>
    public static string Field(string deb, string name) => Run("dpkg-deb", "-f", deb, name).Out.TrimEnd('\n');

    /// <summary>The path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindCommand(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>Runs a command to its end (10 minutes at most) and gives its exit code and output.</summary>
    public static (int Code, string Out, string Err) Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };

        // The test host's MSBuild variables would point a nested dotnet at the build that started the tests.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not end in 10 minutes");
        }

        return (process.ExitCode, output.Result, errors.Result);
    }

    private static string? Prebuilt(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } deb ? Path.GetFullPath(deb) : null;

    // "current" builds the checkout's version, "next" the one after it.
    private static string Build(string version)
    {
        var output = Path.Combine(s_output.Value, version);
        string[] arguments = [Path.Combine(Checkout.Root, "tools", "package.sh"), $"--output={output}", .. version == "next" ? (string[])["--version=next"] : []];
        var (code, stdout, stderr) = Run("bash", arguments);
        Assert.True(code == 0, $"tools/package.sh failed ({code}):\n{stdout}\n{stderr}");
        var deb = stdout.TrimEnd('\n').Split('\n')[^1];
        Assert.True(File.Exists(deb), $"tools/package.sh did not name a .deb it built:\n{stdout}");
        return deb;
    }
}
