namespace Vigil.Platform;

/// <summary>
/// Sleeps the calling thread with nanosleep(2). The readers sleep a gather time after every drained queue, up to
/// about fifty times a second; Thread.Sleep's wait subsystem (a monitor and a timed condition wait) cost a measurable
/// share of their CPU at low rates, which one system call does not.
/// </summary>
internal static class ThreadNap
{
    /// <summary>Sleeps about <paramref name="milliseconds"/>; a signal may end it early, which only shortens a gather.</summary>
    public static unsafe void Sleep(int milliseconds)
    {
        var time = new Libc.Timespec { tv_sec = milliseconds / 1000, tv_nsec = milliseconds % 1000 * 1_000_000L };
        Libc.nanosleep(&time, null);
    }
}
