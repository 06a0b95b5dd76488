using Vigil.Daemon;
using Vigil.Tests.Schedule;
using Xunit;

namespace Vigil.Tests.Daemon;

public sealed class SocketDropWatchTests
{
    [Fact]
    public void Rise_WarnsWithTheDeltaTheElapsedSecondsAndTheBuffer_DropsBeforeTheFirstCheckAreNot()
    {
        var status = new RecordingStatusLog();
        var drops = new Queue<long>([12, 12, 40, 41]);
        var buffers = new Queue<long>([32 << 20, 64 << 20]);
        var watch = new SocketDropWatch(drops.Dequeue, buffers.Dequeue, status);

        Assert.Equal(0, watch.Check(1000));
        Assert.Equal(0, watch.Check(1060));
        Assert.Equal(28, watch.Check(1120));
        Assert.Equal(1, watch.Check(1150));

        Assert.Equal(
            [
                "WARNING the multicast audit socket dropped 28 records in the last 60 s (multicast readers get no retry, so they are lost); receive buffer now 32768 KiB",
                "WARNING the multicast audit socket dropped 1 records in the last 30 s (multicast readers get no retry, so they are lost); receive buffer now 65536 KiB",
            ],
            status.Lines);
    }
}
