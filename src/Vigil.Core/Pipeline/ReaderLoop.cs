namespace Vigil.Pipeline;

/// <summary>
/// A collector's reading thread that an unexpected exception (a record no parser foresaw, a descriptor error) does not
/// end: the exception is counted and kept for whoever reports it, and reading starts again a second later.
/// </summary>
public sealed class ReaderLoop
{
    private long _failures;
    private string? _error;

    /// <summary>Times reading failed on an exception and started again.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The last exception, as its type and message, or null.</summary>
    public string? Error => Volatile.Read(ref _error);

    /// <summary>Runs <paramref name="read"/> until <paramref name="stop"/> is signalled, again a second after each exception.</summary>
    public void Run(CancellationToken stop, Action read)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                read();
            }
            catch (Exception e)
            {
                Volatile.Write(ref _error, $"{e.GetType().Name}: {e.Message}");
                Interlocked.Increment(ref _failures);
                stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }
    }
}
