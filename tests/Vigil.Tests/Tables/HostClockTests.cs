using System.Globalization;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class HostClockTests
{
    [Fact]
    public void Boot_time_uptime_matches_proc_uptime()
    {
        var before = ProcUptime();
        var uptime = BootTimeUptime.Instance.GetUptimeSeconds();
        var after = ProcUptime();

        Assert.InRange(uptime, before, after + 1);
    }

    [Fact]
    public void Statx_gives_the_access_modify_and_change_times()
    {
        var path = Path.Combine(Path.GetTempPath(), "vigil-statx-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, "x");
        try
        {
            File.SetLastAccessTimeUtc(path, DateTime.UnixEpoch.AddSeconds(1600000000));
            File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(1650000000));
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

            Assert.True(StatxFileTimes.Instance.TryGet(path, out var accessTime, out var modifyTime, out var changeTime, out _));

            Assert.Equal(1600000000, accessTime);
            Assert.Equal(1650000000, modifyTime);
            Assert.InRange(changeTime, now - 5, now + 5);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Statx_of_a_missing_file_fails_with_zero_times()
    {
        Assert.False(StatxFileTimes.Instance.TryGet("/nonexistent/vigil", out var accessTime, out var modifyTime, out var changeTime, out _));
        Assert.Equal((0, 0, 0), (accessTime, modifyTime, changeTime));
    }

    private static long ProcUptime()
    {
        var text = File.ReadAllText("/proc/uptime");
        return (long)double.Parse(text[..text.IndexOf(' ')], CultureInfo.InvariantCulture);
    }
}
