using System.Diagnostics;
using Xunit;

namespace Vigil.Tests.Tables;

/// <summary>Runs a host tool (ip, ethtool, stat, utmpdump, date) whose output a test compares a table with.</summary>
internal static class HostCommand
{
    /// <summary>The tool's standard output; the test fails when it exits non-zero.</summary>
    public static string Run(string file, params string[] arguments) => Run(file, arguments, input: null);

    /// <summary>The tool's standard output for <paramref name="input"/> on its standard input.</summary>
    public static string Run(string file, string[] arguments, string? input)
    {
        var (code, output, errors) = Start(file, arguments, input);
        Assert.True(code == 0, $"{file} {string.Join(' ', arguments)} exited {code}: {errors}");
        return output;
    }

    /// <summary>The tool's standard output, or null when it exits non-zero.</summary>
    public static string? TryRun(string file, params string[] arguments)
    {
        var (code, output, _) = Start(file, arguments, input: null);
        return code == 0 ? output : null;
    }

    private static (int Code, string Output, string Errors) Start(string file, string[] arguments, string? input)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input ?? string.Empty);
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), $"{file} did not exit");
        return (process.ExitCode, output.Result, errors.Result);
    }
}
