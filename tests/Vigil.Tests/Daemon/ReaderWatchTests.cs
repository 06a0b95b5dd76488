using Vigil.Daemon;
using Vigil.Pipeline;
using Vigil.Tests.Schedule;
using Xunit;

namespace Vigil.Tests.Daemon;

public sealed class ReaderWatchTests
{
    [Fact]
    public void A_reader_failure_is_reported_once_a_minute_with_the_count_and_its_recovery_once()
    {
        var loop = new ReaderLoop();
        var status = new RecordingStatusLog();
        var watch = new ReaderWatch("audit records", loop, status);

        watch.Check(1_000);
        FailOnce(loop);
        watch.Check(2_000);
        FailOnce(loop);
        watch.Check(3_000);
        watch.Check(5_000);
        watch.Check(6_000);

        Assert.Equal(
            [
                "ERROR Reading audit records failed: IOException: socket gone; reading started again a second later (failures since the last report: 1; reported at most once a minute)",
                "INFO Reading audit records works again after 3 s",
            ],
            status.Lines);
    }

    // One exception through the loop, stopped as it is thrown so that the loop returns at once.
    private static void FailOnce(ReaderLoop loop)
    {
        using var stop = new CancellationTokenSource();
        loop.Run(stop.Token, () =>
        {
            stop.Cancel();
            throw new IOException("socket gone");
        });
    }
}
