using System.Text.Json;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary>
/// <c>vigil daemon --disable_audit=true</c> through the executable while its <c>--logger_path</c> is removed: the
/// directory and logs come back, and a file put in the directory's place stops neither the daemon nor the results.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DaemonLoggerPathTests
{
    private const string Config = """{"schedule": {"clock": {"query": "SELECT CAST(strftime('%s', 'now') AS INTEGER) AS t", "interval": 1}}}""";

    [Fact]
    public void RemovedLoggerPath_IsCreatedAgainWithItsMode_ResultsAndStatusGoOn()
    {
        using var harness = new DaemonHarness(Config) { Audit = false };
        var daemon = harness.Start();
        harness.WaitForResults(IsClock, 1, TimeSpan.FromSeconds(10));
        var mode = File.GetUnixFileMode(harness.LogPath);

        Remove(harness.LogPath);
        harness.WaitForResults(IsClock, 2, TimeSpan.FromSeconds(10));

        Assert.Equal(mode, File.GetUnixFileMode(harness.LogPath));
        Assert.Equal(1, harness.InfoLines($"--logger_path {harness.LogPath} was removed while running; created it again with mode 0{Convert.ToString((int)mode, 8)}"));
        Wait.Until(
            () => harness.ErrorLines.Any(l => l.Contains($"--logger_path {harness.LogPath} was removed while running", StringComparison.Ordinal)),
            "the warning on stderr", TimeSpan.FromSeconds(10));
        DaemonHarness.Stop(daemon);
        Assert.Equal(1, harness.InfoLines("vigil daemon stopped"));
    }

    [Fact]
    public void AFileInPlaceOfTheLoggerPath_DaemonKeepsRunning_ReportsOnce_WritesTheHeldLinesWhenItIsGone()
    {
        using var harness = new DaemonHarness(Config) { Audit = false };
        var daemon = harness.Start();
        harness.WaitForResults(IsClock, 1, TimeSpan.FromSeconds(10));

        Remove(harness.LogPath);
        File.WriteAllText(harness.LogPath, "not a directory");
        var blockedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Thread.Sleep(3500);
        Assert.False(daemon.HasExited, "the daemon stopped when its logs could not be written");
        Assert.Single(harness.ErrorLines, l => l.Contains("] Writing results failed: ", StringComparison.Ordinal));
        Assert.Single(harness.ErrorLines, l => l.StartsWith($"vigil: cannot write the status log {harness.InfoLog}: ", StringComparison.Ordinal));
        var unblockedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        File.Delete(harness.LogPath);

        harness.WaitForInfo("Writing results works again", 1, TimeSpan.FromSeconds(10));
        var first = harness.ReadResults()[0];
        var heldTime = first.GetProperty("unixTime").GetInt64();
        Assert.True(heldTime >= blockedAt && heldTime < unblockedAt, $"the first line after the outage was run at {heldTime}, not during it ({blockedAt}..{unblockedAt})");
        Assert.Equal(1, harness.InfoLines("Completed the results journaled while the result log could not be written"));
        Assert.False(daemon.HasExited);
        DaemonHarness.Stop(daemon);
    }

    // Moved away first, so the path is gone at once: deleting in place races the daemon, which may create a log in the
    // directory between the deletion of its files and of the directory itself.
    private static void Remove(string directory)
    {
        var gone = directory + ".gone";
        Directory.Move(directory, gone);
        Directory.Delete(gone, recursive: true);
    }

    private static bool IsClock(JsonElement line) => line.GetProperty("name").GetString() == "clock";
}
