namespace Vigil.Tables;

/// <summary>
/// Remembers each path's times for a second, so a burst of execs of the same few executables costs one statx per path
/// per second instead of one per exec (a tenth of the offline load's CPU went to statx). The times are read when the
/// row is built, not when the process ran, so they are already late by the queue; a second more is within the
/// columns' one-second resolution. Not thread-safe: one row builder owns it.
/// </summary>
public sealed class RecentFileTimes(IFileTimes source, Func<long>? clockMilliseconds = null) : IFileTimes
{
    private const long LifetimeMilliseconds = 1000;

    // Distinct executables in one second are few; a burst of one-off paths just starts the table again.
    private const int MaxPaths = 4096;

    private readonly Dictionary<string, Entry> _recent = new(StringComparer.Ordinal);
    private readonly Func<long> _clock = clockMilliseconds ?? (() => Environment.TickCount64);

    /// <inheritdoc/>
    public bool TryGet(string path, out long accessTime, out long modifyTime, out long changeTime, out uint mode)
    {
        var now = _clock();
        if (!_recent.TryGetValue(path, out var entry) || now - entry.ReadAt >= LifetimeMilliseconds)
        {
            if (_recent.Count >= MaxPaths)
            {
                _recent.Clear();
            }

            var found = source.TryGet(path, out accessTime, out modifyTime, out changeTime, out mode);
            _recent[path] = new Entry(now, found, accessTime, modifyTime, changeTime, mode);
            return found;
        }

        accessTime = entry.AccessTime;
        modifyTime = entry.ModifyTime;
        changeTime = entry.ChangeTime;
        mode = entry.Mode;
        return entry.Found;
    }

    private readonly record struct Entry(long ReadAt, bool Found, long AccessTime, long ModifyTime, long ChangeTime, uint Mode);
}
