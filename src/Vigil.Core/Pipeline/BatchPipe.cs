using System.Collections.Concurrent;

namespace Vigil.Pipeline;

/// <summary>
/// Batches passed from one producing thread to one consuming thread, at most a bounded number in flight, each given
/// back once taken so that a pass allocates only its first few.
/// </summary>
internal sealed class BatchPipe<T>(int inFlight, Func<T> create) : IDisposable
    where T : class
{
    private readonly BlockingCollection<T> _full = new(inFlight);
    private readonly ConcurrentQueue<T> _free = new();

    /// <summary>Passes <paramref name="filled"/> (none at the start) to the consumer, waiting while the pipe is full, and returns an empty batch.</summary>
    public T Send(T? filled, CancellationToken stop)
    {
        if (filled is not null)
        {
            _full.Add(filled, stop);
        }

        return _free.TryDequeue(out var free) ? free : create();
    }

    /// <summary>No more batches: the consumer's <see cref="TryReceive"/> is false once it has taken the ones sent.</summary>
    public void Complete() => _full.CompleteAdding();

    /// <summary>The next batch, waiting for it; false once the producer completed the pipe and every batch was taken.</summary>
    public bool TryReceive(out T batch, CancellationToken stop) => _full.TryTake(out batch!, Timeout.Infinite, stop);

    /// <summary>Gives a batch the consumer is done with back to the producer, emptied by the consumer.</summary>
    public void Return(T batch) => _free.Enqueue(batch);

    public void Dispose() => _full.Dispose();
}
