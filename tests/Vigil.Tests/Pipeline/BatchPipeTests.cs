using Vigil.Pipeline;
using Xunit;

namespace Vigil.Tests.Pipeline;

public sealed class BatchPipeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Batches_ArriveInOrder_AndTheOnesGivenBackAreHandedOutAgain()
    {
        var created = 0;
        var pipe = new BatchPipe<List<int>>(2, () => { created++; return []; });

        var first = pipe.Send(null, CancellationToken.None);
        first.Add(1);
        var second = pipe.Send(first, CancellationToken.None);
        second.Add(2);
        pipe.Send(second, CancellationToken.None);

        Assert.True(pipe.TryReceive(out var taken, CancellationToken.None));
        Assert.Equal([1], taken);
        taken.Clear();
        pipe.Return(taken);
        Assert.True(pipe.TryReceive(out var next, CancellationToken.None));
        Assert.Equal([2], next);

        Assert.Same(taken, pipe.Send(null, CancellationToken.None));
        Assert.Equal(3, created);
    }

    [Fact]
    public async Task ASend_WaitsWhileTheBoundIsInFlight_UntilTheConsumerTakesOne()
    {
        var pipe = new BatchPipe<List<int>>(1, () => []);
        pipe.Send(pipe.Send(null, CancellationToken.None), CancellationToken.None);

        var sent = Task.Run(() => pipe.Send([], CancellationToken.None));
        Assert.NotSame(sent, await Task.WhenAny(sent, Task.Delay(200)));

        Assert.True(pipe.TryReceive(out _, CancellationToken.None));
        await sent.WaitAsync(Patience);
    }

    [Fact]
    public async Task Completion_EndsTheConsumer_AfterTheBatchesSentBeforeIt()
    {
        var pipe = new BatchPipe<List<int>>(2, () => []);
        pipe.Send([7], CancellationToken.None);
        var received = Task.Run(() =>
        {
            var batches = new List<List<int>>();
            while (pipe.TryReceive(out var batch, CancellationToken.None))
            {
                batches.Add(batch);
            }

            return batches;
        });

        pipe.Complete();

        Assert.Equal([7], Assert.Single(await received.WaitAsync(Patience)));
    }

    [Fact]
    public async Task Cancellation_WakesASideWaitingOnEitherEnd()
    {
        var full = new BatchPipe<List<int>>(1, () => []);
        full.Send([], CancellationToken.None);
        var empty = new BatchPipe<List<int>>(1, () => []);
        using var stop = new CancellationTokenSource();

        var sending = Task.Run(() => full.Send([], stop.Token));
        var receiving = Task.Run(() => empty.TryReceive(out _, stop.Token));
        var delay = Task.Delay(200);
        Assert.Same(delay, await Task.WhenAny(sending, receiving, delay));
        await stop.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => sending.WaitAsync(Patience));
        await Assert.ThrowsAsync<OperationCanceledException>(() => receiving.WaitAsync(Patience));
    }

    // Both ends busy passing batches when the token is cancelled: a side woken by the other holds the gate while the
    // cancellation's callback waits for it, which must not hang either of them.
    [Fact]
    public async Task Cancellation_WhileBothEndsPassBatches_EndsBoth()
    {
        for (var round = 0; round < 200; round++)
        {
            var pipe = new BatchPipe<List<int>>(1, () => []);
            using var stop = new CancellationTokenSource();
            var sending = Task.Run(() =>
            {
                var batch = pipe.Send(null, stop.Token);
                while (true)
                {
                    batch = pipe.Send(batch, stop.Token);
                }
            });
            var receiving = Task.Run(() =>
            {
                while (pipe.TryReceive(out var batch, stop.Token))
                {
                    pipe.Return(batch);
                }
            });
            await Task.Delay(round % 3);
            await stop.CancelAsync().WaitAsync(Patience);

            await Assert.ThrowsAsync<OperationCanceledException>(() => sending.WaitAsync(Patience));
            await Assert.ThrowsAsync<OperationCanceledException>(() => receiving.WaitAsync(Patience));
        }
    }
}
