using System.Diagnostics;

namespace Vigil.Tests.Cli;

/// <summary>
/// Starts the <c>vigil</c> under test: the native executable named by <c>VIGIL_EXECUTABLE</c> (.ci/run runs the
/// executable tests a second time on the NativeAOT build that tools/package.sh ships), otherwise the build copied
/// next to the tests, through the dotnet host.
/// </summary>
internal static class VigilProcess
{
    /// <summary>The native executable under test, or null for the JIT build beside the tests.</summary>
    public static string? Native { get; } = Environment.GetEnvironmentVariable("VIGIL_EXECUTABLE") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, string? wrapper = null, IEnumerable<string>? wrapperArgs = null)
    {
        var program = Native ?? Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(wrapper ?? program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (wrapper is not null)
        {
            foreach (var arg in wrapperArgs ?? [])
            {
                info.ArgumentList.Add(arg);
            }

            info.ArgumentList.Add(program);
        }

        if (Native is null)
        {
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vigil.dll"));
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    public static (int Code, string Out, string Err) Run(string input, params string[] args) => Run(StartInfo(args), input);

    public static (int Code, string Out, string Err) Run(ProcessStartInfo info, string input)
    {
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException("vigil did not exit");
        }

        return (process.ExitCode, output.Result, errors.Result);
    }
}
