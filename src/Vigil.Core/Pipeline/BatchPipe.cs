namespace Vigil.Pipeline;

/// <summary>
/// Batches passed from one producing thread to one consuming thread, at most a bounded number in flight, each given
/// back once taken so that a pass allocates only its first few. A side that finds nothing to do sleeps at once
/// instead of spinning first, as a BlockingCollection would: the three stages of a log-file scan share two cores, and
/// a stage spinning there took time from the one it waited for.
/// </summary>
internal sealed class BatchPipe<T>(int inFlight, Func<T> create)
    where T : class
{
    // An object's monitor, not a Lock: waiting and pulsing need Monitor.
    private readonly object _gate = new();
    private readonly Queue<T> _full = new(inFlight);
    private readonly Queue<T> _free = new();
    private bool _completed;

    /// <summary>Passes <paramref name="filled"/> (none at the start) to the consumer, waiting while the pipe is full, and returns an empty batch.</summary>
    public T Send(T? filled, CancellationToken stop)
    {
        lock (_gate)
        {
            if (filled is not null)
            {
                while (_full.Count >= inFlight)
                {
                    Wait(stop);
                }

                _full.Enqueue(filled);
                Monitor.PulseAll(_gate);
            }

            return _free.TryDequeue(out var free) ? free : create();
        }
    }

    /// <summary>No more batches: the consumer's <see cref="TryReceive"/> is false once it has taken the ones sent.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The next batch, waiting for it; false once the producer completed the pipe and every batch was taken.</summary>
    public bool TryReceive(out T batch, CancellationToken stop)
    {
        lock (_gate)
        {
            while (!_full.TryDequeue(out batch!))
            {
                if (_completed)
                {
                    return false;
                }

                Wait(stop);
            }

            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>Gives a batch the consumer is done with back to the producer, emptied by the consumer.</summary>
    public void Return(T batch)
    {
        lock (_gate)
        {
            _free.Enqueue(batch);
        }
    }

    // Called holding the gate. A cancellation pulses it, so a side waiting here sees the token at once. The callback is
    // unregistered, not disposed: disposing waits for a callback already running, which waits for the gate this thread
    // holds once woken by the other side (a scan stopped early hung so). A cancellation that comes between the first
    // check and the registration runs the callback here, before the wait it was to end, so the token is looked at again.
    private void Wait(CancellationToken stop)
    {
        stop.ThrowIfCancellationRequested();
        var registration = stop.Register(PulseAll);
        try
        {
            if (!stop.IsCancellationRequested)
            {
                Monitor.Wait(_gate);
            }
        }
        finally
        {
            registration.Unregister();
        }

        stop.ThrowIfCancellationRequested();
    }

    private void PulseAll()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }
}
