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

    // Never rotated, capped or suspended, so nothing the test does can stop auditd from logging.
    private static void WriteConfig(string directory)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "plugins"));
        var config = Path.Combine(directory, "auditd.conf");
        File.WriteAllText(config, $"""
            local_events = yes
            write_logs = yes
            log_file = {directory}/audit.log
            log_group = root
            log_format = RAW
            flush = INCREMENTAL_ASYNC
            freq = 50
            max_log_file = 0
            num_logs = 0
            max_log_file_action = IGNORE
            name_format = NONE
            space_left = 2
            space_left_action = IGNORE
            admin_space_left = 1
            admin_space_left_action = IGNORE
            disk_full_action = IGNORE
            disk_error_action = IGNORE
            q_depth = 2000
            overflow_action = IGNORE
            max_restarts = 10
            plugin_dir = {directory}/plugins
            end_of_event_timeout = 2

            """);
        // auditd refuses a configuration that others could write; the check is only for the platform analyzer.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
