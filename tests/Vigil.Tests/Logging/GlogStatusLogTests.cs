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
        var log = new GlogStatusLog(new FilesystemLoggerOptions { LoggerPath = _dir }, StatusSeverity.Info, stderr, StatusSeverity.Warning, clock);
        log.Info("starting");
        log.Warning("careful");
        log.Error("failed");

        string info = File.ReadAllText(Path.Combine(_dir, "vigil.INFO"));
        string warning = File.ReadAllText(Path.Combine(_dir, "vigil.WARNING"));
        string error = File.ReadAllText(Path.Combine(_dir, "vigil.ERROR"));
        Assert.StartsWith($"Log file created at: 2024/03/04 05:06:07\nRunning on machine: {Environment.MachineName}\nLog line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg\n", info, StringComparison.Ordinal);
        Assert.Equal(["I0304 05:06:07.000000", "W0304 05:06:07.000000", "E0304 05:06:07.000000"], Prefixes(info));
        Assert.Equal(["W0304 05:06:07.000000", "E0304 05:06:07.000000"], Prefixes(warning));
        Assert.Equal(["E0304 05:06:07.000000"], Prefixes(error));
        Assert.EndsWith(" GlogStatusLogTests.cs:41] failed\n", error, StringComparison.Ordinal);
        Assert.Equal(2, stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(_dir, "vigil.INFO")));
    }

    [Fact]
    public void LinesBelowTheMinimumAreDropped()
    {
        var log = new GlogStatusLog(new FilesystemLoggerOptions { LoggerPath = _dir }, StatusSeverity.Warning);
        log.Info("quiet");
        log.Warning("loud");

        string info = File.ReadAllText(Path.Combine(_dir, "vigil.INFO"));
        Assert.DoesNotContain("quiet", info, StringComparison.Ordinal);
        Assert.Contains("] loud\n", info, StringComparison.Ordinal);
    }

    [Fact]
    public void RemovedDirectory_IsCreatedAgain_AndTheNewFileSaysSoFirst()
    {
        var clock = new ManualClock(new DateTimeOffset(2024, 3, 4, 5, 6, 7, TimeSpan.Zero));
        var stderr = new StringWriter();
        var log = new GlogStatusLog(new FilesystemLoggerOptions { LoggerPath = _dir }, StatusSeverity.Info, stderr, StatusSeverity.Warning, clock);
        var mode = File.GetUnixFileMode(_dir);
        log.Info("before");

        Directory.Delete(_dir, recursive: true);
        log.Info("after");
        log.Info("again");

        var notice = $"--logger_path {_dir} was removed while running; created it again with mode 0{Convert.ToString((int)mode, 8)}; started a new status log";
        Assert.Equal(["W", "I", "I"], Messages(Path.Combine(_dir, "vigil.INFO")).Select(m => m.Severity));
        Assert.Equal([notice, "after", "again"], Messages(Path.Combine(_dir, "vigil.INFO")).Select(m => m.Text));
        Assert.Equal([notice], Messages(Path.Combine(_dir, "vigil.WARNING")).Select(m => m.Text));
        Assert.Equal(mode, File.GetUnixFileMode(_dir));
        Assert.EndsWith($"] {notice}\n", stderr.ToString(), StringComparison.Ordinal);
        Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void RemovedFile_IsStartedAnew_WithTheNotice()
    {
        var log = new GlogStatusLog(new FilesystemLoggerOptions { LoggerPath = _dir });
        log.Info("before");

        File.Delete(Path.Combine(_dir, "vigil.INFO"));
        log.Info("after");

        Assert.Equal(
            [$"The status log {Path.Combine(_dir, "vigil.INFO")} was moved or removed while running; started a new one", "after"],
            Messages(Path.Combine(_dir, "vigil.INFO")).Select(m => m.Text));
    }

    [Fact]
    public void AFileInPlaceOfTheDirectory_LinesGoToStderr_TheErrorOnceAMinute_NothingThrows_TheNextFileSaysHowLong()
    {
        var clock = new ManualClock(new DateTimeOffset(2024, 3, 4, 5, 6, 7, TimeSpan.Zero));
        var stderr = new StringWriter();
        var log = new GlogStatusLog(new FilesystemLoggerOptions { LoggerPath = _dir }, StatusSeverity.Info, stderr, StatusSeverity.Warning, clock);
        log.Info("before");
        Directory.Delete(_dir, recursive: true);
        File.WriteAllText(_dir, "not a directory");
        try
        {
            log.Info("one");
            clock.Now = clock.Now.AddSeconds(59);
            log.Info("two");
            clock.Now = clock.Now.AddSeconds(1);
            log.Error("three");

            var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var report = $"vigil: cannot write the status log {Path.Combine(_dir, "vigil.INFO")}: ";
            Assert.Equal(5, lines.Length);
            Assert.StartsWith(report, lines[0], StringComparison.Ordinal);
            Assert.EndsWith("] one", lines[1], StringComparison.Ordinal);
            Assert.EndsWith("] two", lines[2], StringComparison.Ordinal);
            Assert.StartsWith(report, lines[3], StringComparison.Ordinal);
            Assert.EndsWith("] three", lines[4], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(_dir);
        }

        log.Info("back");
        Assert.Equal(
            [
                $"--logger_path {_dir} was removed while running; created it again with mode 0{Convert.ToString((int)File.GetUnixFileMode(_dir), 8)}; started a new status log",
                "The status log could not be written for 60 s; its lines of that time went to stderr only",
                "back",
            ],
            Messages(Path.Combine(_dir, "vigil.INFO")).Select(m => m.Text));
    }

    private static (string Severity, string Text)[] Messages(string file) =>
        [.. File.ReadAllLines(file).Where(l => l.Length > 22 && "IWE".Contains(l[0]) && char.IsAsciiDigit(l[1])).Select(l => (l[..1], l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..]))];

    private static string[] Prefixes(string file) =>
        [.. file.Split('\n').Where(l => l.Length > 22 && "IWE".Contains(l[0]) && char.IsAsciiDigit(l[1])).Select(l => l[..21])];
}
