using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Tests.Cli;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary>A temporary directory with a config, a database and logs for runs of the built <c>vigil daemon</c>, and the kernel state around them.</summary>
internal sealed class DaemonHarness : IDisposable
{
    private readonly List<Process> _started = [];
    private readonly List<IDisposable> _mounts = [];
    private readonly ConcurrentQueue<string> _stderr = new();
    private int _startsSeen;

    public DaemonHarness(string config)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("vigil-daemon-").FullName;
        File.WriteAllText(ConfigPath, config);
    }

    public string Directory { get; }

    /// <summary>Whether runs collect from the kernel; without it they need neither root nor the kernel lock.</summary>
    public bool Audit { get; init; } = true;

    /// <summary>A command line that runs the daemon (nohup), or null to start it directly.</summary>
    public string[]? Wrapper { get; init; }

    public string ConfigPath => Path.Combine(Directory, "vigil.conf");

    public string DatabasePath => Path.Combine(Directory, "db", "vigil.db");

    public string LogPath => Path.Combine(Directory, "log");

    public string ResultsLog => Path.Combine(LogPath, "vigil.results.log");

    public string InfoLog => Path.Combine(LogPath, "vigil.INFO");

    /// <summary>What the daemons started so far wrote to stderr, line by line.</summary>
    public IReadOnlyList<string> ErrorLines => [.. _stderr];

    public static AuditState CaptureState()
    {
        using var client = AuditClient.OpenUnicast();
        return AuditState.Capture(client);
    }

    /// <summary>Puts back what a failed test may leave: Vigil's rules, the settings and the owner pid of <paramref name="before"/>.</summary>
    public static void RestoreKernel(AuditState before)
    {
        using var client = AuditClient.OpenUnicast();
        AuditState.DeleteVigilRules(client);
        before.Restore(client, []);
        var status = client.GetStatus();
        if (status.Pid != before.Status.Pid && (status.Pid == (uint)Environment.ProcessId || !System.IO.Directory.Exists($"/proc/{status.Pid}")))
        {
            client.SetPid(0);
        }
    }

    /// <summary>Starts a daemon and waits until its INFO log says it started.</summary>
    public Process Start(params string[] extra)
    {
        var daemon = Launch(extra);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (InfoLines("vigil daemon started") <= _startsSeen)
        {
            Assert.False(daemon.HasExited, $"the daemon exited with {(daemon.HasExited ? daemon.ExitCode : 0)}: {string.Join('\n', _stderr)}");
            Assert.True(DateTime.UtcNow < deadline, "the daemon did not start");
            Thread.Sleep(100);
        }

        _startsSeen++;
        return daemon;
    }

    /// <summary>Starts a daemon without waiting for it; <see cref="Dispose"/> kills it if the test does not stop it.</summary>
    public Process Launch(params string[] extra)
    {
        string[] args = [
            "daemon", $"--config_path={ConfigPath}", $"--database_path={DatabasePath}", $"--logger_path={LogPath}",
            Audit ? "--disable_audit=false" : "--disable_audit=true", "--audit_allow_config=true", .. extra,
        ];
        var daemon = Process.Start(VigilProcess.StartInfo(args, Wrapper?[0], Wrapper?[1..]))!;
        _started.Add(daemon);
        daemon.StandardInput.Close();
        daemon.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                _stderr.Enqueue(line.Data);
            }
        };
        daemon.OutputDataReceived += (_, _) => { };
        daemon.BeginErrorReadLine();
        daemon.BeginOutputReadLine();
        return daemon;
    }

    public static void Signal(Process daemon, string signal) => Process.Start("kill", [$"-{signal}", daemon.Id.ToString()])!.WaitForExit();

    public static void Stop(Process daemon)
    {
        Signal(daemon, "TERM");
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(30)), "the daemon did not stop on SIGTERM");
        Assert.Equal(0, daemon.ExitCode);
    }

    /// <summary>Stops the daemon with SIGTERM and checks that the kernel is left as <paramref name="before"/> had it.</summary>
    public static void StopAndAssertKernelAsBefore(Process daemon, AuditState before)
    {
        Stop(daemon);
        var after = CaptureState();
        Assert.True(before.Matches(after.Status, after.Rules), "the kernel audit state after the stop differs from the one before the start");
    }

    public int InfoLines(string contains) =>
        File.Exists(InfoLog) ? File.ReadAllLines(InfoLog).Count(l => l.Contains(contains, StringComparison.Ordinal)) : 0;

    public void WaitForInfo(string contains, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (InfoLines(contains) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} lines with '{contains}' in {InfoLog}:\n{(File.Exists(InfoLog) ? File.ReadAllText(InfoLog) : "(missing)")}");
            Thread.Sleep(100);
        }
    }

    /// <summary>A file system mounted under <see cref="Directory"/>: undone once the daemons are killed, before the directory is removed.</summary>
    public T Mount<T>(T mount)
        where T : IDisposable
    {
        _mounts.Add(mount);
        return mount;
    }

    /// <summary>The lines of the results log, those of rotated files (<c>.N</c>, oldest first) before the live file's.</summary>
    public List<JsonElement> ReadResults()
    {
        var files = new List<string>();
        for (var n = 1; File.Exists(Vigil.Logging.LogRotation.RotatedName(ResultsLog, n)); n++)
        {
            files.Insert(0, Vigil.Logging.LogRotation.RotatedName(ResultsLog, n));
        }

        files.Add(ResultsLog);
        var lines = new List<JsonElement>();
        foreach (var file in files)
        {
            if (File.Exists(file))
            {
                // An append the daemon is making may be read half done: a line counts once its newline is there, as
                // for any reader following the log. A line cut short anywhere else still fails to parse.
                var text = File.ReadAllText(file);
                foreach (var line in text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    lines.Add(JsonDocument.Parse(line).RootElement.Clone());
                }
            }
        }

        return lines;
    }

    public static string? Column(JsonElement line, string name, string column) =>
        line.GetProperty("name").GetString() == name && line.GetProperty("columns").TryGetProperty(column, out var value) ? value.GetString() : null;

    public void WaitForResults(Func<JsonElement, bool> match, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (ReadResults().Count(match) < count)
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"expected {count} matching lines in {ResultsLog} ({ReadResults().Count} lines); {InfoLog}:\n{(File.Exists(InfoLog) ? File.ReadAllText(InfoLog) : "(missing)")}");
            }

            Thread.Sleep(200);
        }
    }

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }

        for (var i = _mounts.Count - 1; i >= 0; i--)
        {
            _mounts[i].Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
