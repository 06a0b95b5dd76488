using Vigil.Logging;
using Vigil.Tests.Schedule;
using Xunit;

namespace Vigil.Tests.Logging;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GlogStatusLogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vigil-glog-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void FormatsOsquerysGlogPrefix()
    {
        var time = new DateTimeOffset(2016, 11, 21, 13, 45, 1, TimeSpan.Zero).AddTicks(1234560);

        Assert.Equal(
            "I1121 13:45:01.123456 12345 scheduler.cs:42] Executing scheduled query proc",
            GlogStatusLog.FormatLine(StatusSeverity.Info, time, 12345, "/src/Vigil/Schedule/scheduler.cs", 42, "Executing scheduled query proc"));
        Assert.Equal(
            "E0102 03:04:05.000007   987 a.cs:1] boom",
            GlogStatusLog.FormatLine(StatusSeverity.Error, new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(70), 987, "a.cs", 1, "boom"));
    }

    [Fact]
    public void EachSeverityGoesToItsFileAndEveryLowerOne()
    {
        var clock = new ManualClock(new DateTimeOffset(2024, 3, 4, 5, 6, 7, TimeSpan.Zero));
        var stderr = new StringWriter();
        using (var log = new GlogStatusLog(new FilesystemLoggerOptions { LoggerPath = _dir }, StatusSeverity.Info, stderr, StatusSeverity.Warning, clock))
        {
            log.Info("starting");
            log.Warning("careful");
            log.Error("failed");
        }

        string info = File.ReadAllText(Path.Combine(_dir, "vigil.INFO"));
        string warning = File.ReadAllText(Path.Combine(_dir, "vigil.WARNING"));
        string error = File.ReadAllText(Path.Combine(_dir, "vigil.ERROR"));
        Assert.StartsWith($"Log file created at: 2024/03/04 05:06:07\nRunning on machine: {Environment.MachineName}\nLog line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg\n", info, StringComparison.Ordinal);
        Assert.Equal(["I0304 05:06:07.000000", "W0304 05:06:07.000000", "E0304 05:06:07.000000"], Prefixes(info));
        Assert.Equal(["W0304 05:06:07.000000", "E0304 05:06:07.000000"], Prefixes(warning));
        Assert.Equal(["E0304 05:06:07.000000"], Prefixes(error));
        Assert.EndsWith(" GlogStatusLogTests.cs:42] failed\n", error, StringComparison.Ordinal);
        Assert.Equal(2, stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(_dir, "vigil.INFO")));
    }

    [Fact]
    public void LinesBelowTheMinimumAreDropped()
    {
        using (var log = new GlogStatusLog(new FilesystemLoggerOptions { LoggerPath = _dir }, StatusSeverity.Warning))
        {
            log.Info("quiet");
            log.Warning("loud");
        }

        string info = File.ReadAllText(Path.Combine(_dir, "vigil.INFO"));
        Assert.DoesNotContain("quiet", info, StringComparison.Ordinal);
        Assert.Contains("] loud\n", info, StringComparison.Ordinal);
    }

    private static string[] Prefixes(string file) =>
        [.. file.Split('\n').Where(l => l.Length > 22 && "IWE".Contains(l[0]) && char.IsAsciiDigit(l[1])).Select(l => l[..21])];
}
