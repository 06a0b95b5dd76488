using Vigil.Pipeline;
using Xunit;

namespace Vigil.Tests.Pipeline;

public sealed class ReaderLoopTests
{
    [Fact]
    public void An_exception_is_counted_and_kept_and_reading_starts_again_until_stopped()
    {
        using var stop = new CancellationTokenSource();
        var loop = new ReaderLoop();
        var reads = 0;

        loop.Run(stop.Token, () =>
        {
            if (++reads == 1)
            {
                throw new InvalidOperationException("a record nobody foresaw");
            }

            stop.Cancel();
        });

        Assert.Equal((2, 1L, "InvalidOperationException: a record nobody foresaw"), (reads, loop.Failures, loop.Error));
    }
}
