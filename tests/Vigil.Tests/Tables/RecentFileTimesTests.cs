using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class RecentFileTimesTests
{
    [Fact]
    public void SamePathWithinASecond_IsReadOnce_ThenReadAgain()
    {
        var source = new CountingFileTimes();
        var now = 5_000L;
        var times = new RecentFileTimes(source, () => now);

        Assert.True(times.TryGet("/usr/bin/sh", out var a, out var m, out var c, out _));
        Assert.Equal((11, 12, 13), (a, m, c));
        source.Next = 100;
        now += 999;
        Assert.True(times.TryGet("/usr/bin/sh", out a, out m, out c, out _));
        Assert.Equal((11, 12, 13), (a, m, c));
        Assert.Equal(1, source.Calls);

        now += 1;
        Assert.True(times.TryGet("/usr/bin/sh", out a, out m, out c, out _));
        Assert.Equal((101, 102, 103), (a, m, c));
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public void OtherPaths_AndMissingFiles_AreReadAndRememberedSeparately()
    {
        var source = new CountingFileTimes { Missing = "/gone" };
        var times = new RecentFileTimes(source, () => 0);

        Assert.True(times.TryGet("/usr/bin/sh", out _, out _, out _, out _));
        Assert.False(times.TryGet("/gone", out var a, out var m, out var c, out _));
        Assert.Equal((0, 0, 0), (a, m, c));
        Assert.False(times.TryGet("/gone", out _, out _, out _, out _));
        Assert.True(times.TryGet("/usr/bin/sh", out _, out _, out _, out _));
        Assert.Equal(2, source.Calls);
    }

    private sealed class CountingFileTimes : IFileTimes
    {
        public int Calls { get; private set; }

        public long Next { get; set; } = 10;

        public string? Missing { get; init; }

        public bool TryGet(string path, out long accessTime, out long modifyTime, out long changeTime, out uint mode)
        {
            Calls++;
            mode = 0;
            if (path == Missing)
            {
                accessTime = modifyTime = changeTime = 0;
                return false;
            }

            (accessTime, modifyTime, changeTime) = (Next + 1, Next + 2, Next + 3);
            return true;
        }
    }
}
