using Vigil.Logging;

namespace Vigil.Daemon;

/// <summary>
/// Reports the records a multicast reader's socket dropped. The kernel gives multicast readers no retry and does not
/// count their drops in its <c>lost</c> counter, so without this warning they would vanish silently; a unicast
/// reader's failed deliveries are retried and what is finally dropped shows in <c>lost</c> (<see cref="AuditLostWatch"/>).
/// </summary>
public sealed class SocketDropWatch(Func<long> readDrops, Func<long> readBufferBytes, IStatusLog status)
{
    private CounterRise _drops;

    /// <summary>
    /// Reads the drop count at unix time <paramref name="second"/> and warns when it rose since the previous check,
    /// with the socket's receive buffer (which grows after each overflow); the first check only takes the starting
    /// value. Returns the rise.
    /// </summary>
    public long Check(long second)
    {
        var (rise, elapsed) = _drops.Next(readDrops(), second);
        if (rise > 0)
        {
            status.Warning($"the multicast audit socket dropped {rise} records in the last {elapsed} s (multicast readers get no retry, so they are lost); receive buffer now {readBufferBytes() / 1024} KiB");
        }

        return rise;
    }
}
