using Vigil.Daemon;
using Vigil.Tests.Schedule;
using Xunit;

namespace Vigil.Tests.Daemon;

public sealed class AuditLostWatchTests
{
    [Fact]
    public void FirstCheck_TakesTheStartingValue_LossesBeforeStartAreNotReported()
    {
        var status = new RecordingStatusLog();
        var watch = new AuditLostWatch(() => 4444, status);
        Assert.Equal(0, watch.Check(1000));
        Assert.Equal(0, watch.Check(1060));
        Assert.Equal(0, watch.Lost);
        Assert.Empty(status.Lines);
    }

    [Fact]
    public void Rise_WarnsOncePerCheck_WithTheDeltaTheElapsedSecondsAndTheNewTotal()
    {
        var status = new RecordingStatusLog();
        var counter = new Queue<uint>([4444, 4567, 4567, 5000]);
        var watch = new AuditLostWatch(counter.Dequeue, status);
        Assert.Equal(0, watch.Check(1000));
        Assert.Equal(123, watch.Check(1060));
        Assert.Equal(0, watch.Check(1120));
        Assert.Equal(433, watch.Check(1150));
        Assert.Equal(556, watch.Lost);
        Assert.Equal(
            [
                "WARNING kernel audit lost 123 records in the last 60 s (lost counter now 4567); raise --audit_backlog_limit or exclude noisy executables (audit.exclude)",
                "WARNING kernel audit lost 433 records in the last 30 s (lost counter now 5000); raise --audit_backlog_limit or exclude noisy executables (audit.exclude)",
            ],
            status.Lines);
    }

    [Fact]
    public void CounterReset_CountsWhatItHoldsSinceTheReset()
    {
        var status = new RecordingStatusLog();
        var counter = new Queue<uint>([900, 0, 7]);
        var watch = new AuditLostWatch(counter.Dequeue, status);
        watch.Check(0);
        Assert.Equal(0, watch.Check(60));
        Assert.Equal(7, watch.Check(120));
        Assert.Equal(["WARNING kernel audit lost 7 records in the last 60 s (lost counter now 7); raise --audit_backlog_limit or exclude noisy executables (audit.exclude)"], status.Lines);
    }

    [Fact]
    public void CounterNearItsTop_RisesWithoutOverflow()
    {
        var status = new RecordingStatusLog();
        var counter = new Queue<uint>([uint.MaxValue - 10, uint.MaxValue]);
        var watch = new AuditLostWatch(counter.Dequeue, status);
        watch.Check(0);
        Assert.Equal(10, watch.Check(60));
    }
}
