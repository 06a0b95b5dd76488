using System.Diagnostics;
using Vigil.Netlink;
using Xunit;

namespace Vigil.Tests.Kernel;

/// <summary>
/// A real <c>auditd -n</c> with a configuration of its own in a temporary directory, logging RAW records to
/// <see cref="LogPath"/> (the settings of tools/auditd-capture.sh). Dispose stops it, killing it when SIGTERM is not
/// enough, and deletes the directory; the kernel settings it leaves are the caller's to restore.
/// </summary>
internal sealed class AuditdProcess : IDisposable
{
    /// <summary>auditd's path, or null when it is not installed.</summary>
    public static string? Executable { get; } = new[] { "/usr/sbin/auditd", "/sbin/auditd" }.FirstOrDefault(File.Exists);

    private readonly Process _process;

    private AuditdProcess(string directory, Process process)
    {
        Directory = directory;
        _process = process;
    }

    public string Directory { get; }

    public string LogPath => Path.Combine(Directory, "audit.log");

    public int Pid => _process.Id;

    /// <summary>Starts auditd and waits until the kernel's audit pid is its own.</summary>
    public static AuditdProcess Start()
    {
        var executable = Executable ?? throw new InvalidOperationException(
            "auditd is not installed: run `bash tools/install-reference-tools.sh` as root (.ci/run does it before the tests)");
        var directory = System.IO.Directory.CreateTempSubdirectory("vigil-auditd-").FullName;
        WriteConfig(directory);
        var info = new ProcessStartInfo(executable, ["-n", "-s", "nochange", "-c", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var auditd = new AuditdProcess(directory, process);
        try
        {
            using var client = AuditClient.OpenUnicast();
            var clock = Stopwatch.StartNew();
            while (client.GetStatus().Pid != (uint)process.Id)
            {
                Assert.False(process.HasExited, $"auditd exited with {(process.HasExited ? process.ExitCode : 0)} before taking the audit socket");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "auditd did not take the audit socket within 20 s");
                Thread.Sleep(100);
            }

            return auditd;
        }
        catch
        {
            auditd.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
                if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    _process.Kill();
                    _process.WaitForExit();
                }
            }
        }
        finally
        {
            _process.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    // The configuration the benchmarks and fixture recordings use (tools/auditd-capture.sh, copied beside the tests):
    // never rotated, capped or suspended, so nothing the test does can stop auditd from logging.
    private static void WriteConfig(string directory)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "tools", "auditd-capture.sh");
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-c", "source \"$0\" && auditd_write_conf \"$1\" RAW", script, directory])
        {
            RedirectStandardError = true,
        })!;
        var errors = bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        Assert.True(bash.ExitCode == 0, $"auditd_write_conf failed: {errors}");
    }
}
