using System.Diagnostics;

namespace Vigil.Tests.Rules;

/// <summary>Runs the system's auditctl, for comparing Vigil's rules with the ones auditctl sends.</summary>
internal static class Auditctl
{
    public static string? Path { get; } =
        new[] { "/usr/sbin/auditctl", "/sbin/auditctl", "/usr/bin/auditctl" }.FirstOrDefault(File.Exists);

    /// <summary>Runs auditctl with the whitespace-separated words of <paramref name="line"/> as its arguments.</summary>
    public static (int ExitCode, string Output, string Error) Run(string line) =>
        Run(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public static (int ExitCode, string Output, string Error) Run(params string[] arguments)
    {
        var path = Path ?? throw new InvalidOperationException("auditctl is not installed");
        using var process = Process.Start(new ProcessStartInfo(path, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
