namespace Vigil.Schedule;

/// <summary>
/// osquery's schedule denylist (osquery/config/config.cpp): a scheduled query whose run the watchdog had to stop is
/// not run again for a day from then, unless its config says <c>"denylist": false</c>. osquery denylists the query that
/// was running when its watchdog killed the worker, and keeps the list in its database; so does Vigil, for the query
/// its watchdog interrupted, in <see cref="IDenylistStore"/>, so a restart does not run it again either. Read from any
/// thread (osquery_schedule), written by the scheduler.
/// </summary>
public sealed class QueryDenylist
{
    /// <summary>osquery's denylist period: <c>getUnixTime() + 86400</c>.</summary>
    public const long Seconds = 86400;

    private readonly TimeProvider _time;
    private readonly IDenylistStore? _store;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DenylistEntry> _entries = new(StringComparer.Ordinal);

    /// <summary>Starts from the unexpired entries of <paramref name="store"/> (none without one).</summary>
    public QueryDenylist(TimeProvider time, IDenylistStore? store)
    {
        _time = time;
        _store = store;
        foreach (var entry in store?.LoadDenylist(Now) ?? [])
        {
            _entries[entry.Name] = entry;
        }
    }

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>
    /// Denylists <paramref name="name"/> for <see cref="Seconds"/> from now because of <paramref name="reason"/>; kept in
    /// memory first, so a store that fails (reported by the caller) still keeps it off this run's schedule.
    /// </summary>
    public DenylistEntry Add(string name, string reason)
    {
        var entry = new DenylistEntry(name, Now + Seconds, reason);
        lock (_gate)
        {
            _entries[name] = entry;
        }

        _store?.SaveDenylisted(entry);
        return entry;
    }

    /// <summary>Whether <paramref name="query"/> must not run now: denylisted until a time not yet past (osquery's
    /// expiry is <c>now &gt; until</c>), and not configured with <c>"denylist": false</c>.</summary>
    public bool IsDenylisted(ScheduledQuery query)
    {
        lock (_gate)
        {
            return query.Denylist && _entries.TryGetValue(query.Name, out var entry) && Now <= entry.Until;
        }
    }
}

/// <summary>A denylisted scheduled query: its name, the Unix time it may run again after, and why it was denylisted.</summary>
public sealed record DenylistEntry(string Name, long Until, string Reason)
{
    /// <summary><see cref="Until"/> as the status log and <c>vigil status</c> print it.</summary>
    public string UntilText => $"{DateTimeOffset.FromUnixTimeSeconds(Until):yyyy-MM-dd HH:mm:ss} UTC";
}

/// <summary>Where the denylist is kept across restarts (the daemon's database).</summary>
public interface IDenylistStore
{
    /// <summary>Forgets the entries expired at Unix time <paramref name="now"/> and returns the others.</summary>
    IReadOnlyList<DenylistEntry> LoadDenylist(long now);

    /// <summary>Keeps <paramref name="entry"/>, replacing an older one of the same name.</summary>
    void SaveDenylisted(DenylistEntry entry);
}
