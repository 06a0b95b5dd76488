using Vigil.Logging;
using Vigil.Sql;

namespace Vigil.Daemon;

/// <summary>
/// osquery's watchdog (osquery/core/watcher.cpp) aimed at the cause instead of the process. osquery kills its worker
/// when it grows past <c>--watchdog_memory_limit</c> or stays over <c>--watchdog_utilization_limit</c>, losing the
/// events it held, and denylists the query that was running. Vigil, checking from its own thread
/// (<see cref="Check"/>), interrupts the query that is running when it pushed memory over the limit (it started under
/// it) or when it has run longer than <c>--watchdog_latency_limit</c> (its caller then denylists it); while CPU stays over the utilization limit it
/// asks the scheduler to wait (<see cref="Shedding"/>), and collection and storing go on. Events read from the kernel and
/// not yet stored are shed only as the last resort: when no query runs and memory is still over the limit after a full
/// garbage collection. Stored events are never touched. Nothing is enforced during <c>--watchdog_delay</c> after start.
/// </summary>
public sealed class Watchdog : IStatementWatch
{
    /// <summary>How often osquery's watcher measures CPU; Vigil measures it over the same interval.</summary>
    public const long UtilizationIntervalMilliseconds = 3000;

    /// <summary>The least time between two full collections on the way to shedding.</summary>
    public const long ShedIntervalMilliseconds = 1000;

    private const long MB = 1024 * 1024;

    private readonly WatchdogLimits _limits;
    private readonly Func<long> _milliseconds;
    private readonly Func<long> _residentBytes;
    private readonly Func<TimeSpan> _cpuTime;
    private readonly IReadOnlyList<Func<int>> _shed;
    private readonly IStatusLog _status;
    private readonly long _start;
    private readonly Lock _gate = new();
    private readonly List<RunningQuery> _running = [];
    private long? _cpuAt;
    private TimeSpan _cpuThen;
    private long _overFor;
    private long? _shedAt;
    private volatile bool _shedding;

    /// <param name="limits">The flags.</param>
    /// <param name="milliseconds">A monotonic clock in milliseconds (<see cref="Environment.TickCount64"/>); the delay starts now.</param>
    /// <param name="residentBytes">This process's resident memory (<see cref="ReadResidentBytes"/>).</param>
    /// <param name="cpuTime">This process's user and system CPU time so far.</param>
    /// <param name="shed">
    /// One for each collector (the audit and the BPF source may run together): drops the events waiting for its store
    /// and returns how many. Empty when nothing collects.
    /// </param>
    /// <param name="status">Hears about shedding, in and out of load shedding.</param>
    public Watchdog(WatchdogLimits limits, Func<long> milliseconds, Func<long> residentBytes, Func<TimeSpan> cpuTime, IReadOnlyList<Func<int>> shed, IStatusLog status)
    {
        _limits = limits;
        _milliseconds = milliseconds;
        _residentBytes = residentBytes;
        _cpuTime = cpuTime;
        _shed = shed;
        _status = status;
        _start = milliseconds();
    }

    /// <summary>Whether CPU has stayed over the utilization limit for the latency limit: scheduled queries wait.</summary>
    public bool Shedding => _shedding;

    /// <summary>Queries interrupted so far.</summary>
    public long Interrupted { get; private set; }

    /// <summary>Events shed so far, the last resort.</summary>
    public long Shed { get; private set; }

    /// <summary>This process's resident set from /proc/self/statm (pages × page size).</summary>
    public static long ReadResidentBytes()
    {
        var fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    /// <summary>
    /// Watches a query from now until the result is disposed: <paramref name="interrupt"/> is called (from the watchdog's
    /// thread, at most once, never after the disposal) to stop it, and <see cref="IWatchedStatement.StopReason"/> says why;
    /// an untimed one is stopped for memory only.
    /// </summary>
    public IWatchedStatement Watch(Action interrupt, bool timed = true)
    {
        var query = new RunningQuery(this, interrupt, _milliseconds(), _residentBytes(), timed);
        lock (_gate)
        {
            _running.Add(query);
        }

        return query;
    }

    /// <summary>One look at memory, the queries running and CPU; the daemon's watchdog thread calls it five times a second.</summary>
    public void Check()
    {
        var now = _milliseconds();
        if (now - _start < _limits.DelaySeconds * 1000)
        {
            return;
        }

        var resident = _residentBytes();
        bool running;
        lock (_gate)
        {
            foreach (var query in _running)
            {
                if (query.StopReason is null && StopReason(query, resident, now) is { } reason)
                {
                    query.StopReason = reason;
                    Interrupted++;
                    query.Interrupt();
                }
            }

            running = _running.Count > 0;
        }

        if (!running && resident > _limits.MemoryBytes)
        {
            ShedLastResort(now);
        }

        MeasureUtilization(now);
    }

    // A query that started with memory over the limit did not put it there: it runs on within its time, and what
    // holds the memory is shed once it has returned.
    private string? StopReason(RunningQuery query, long resident, long now) =>
        resident > _limits.MemoryBytes && query.ResidentAtStart <= _limits.MemoryBytes ? $"memory {Megabytes(resident)} MB is above --watchdog_memory_limit {_limits.MemoryBytes / MB} MB"
        : query.Timed && now - query.Started > _limits.LatencySeconds * 1000 ? $"it ran longer than --watchdog_latency_limit {_limits.LatencySeconds} s"
        : null;

    // What is garbage (an interrupted query's rows) goes first; only what still holds memory with no query running is shed.
    private void ShedLastResort(long now)
    {
        if (_shed.Count == 0 || now - _shedAt < ShedIntervalMilliseconds)
        {
            return;
        }

        _shedAt = now;
        Collect();
        var resident = _residentBytes();
        if (resident <= _limits.MemoryBytes)
        {
            return;
        }

        var dropped = 0;
        lock (_gate)
        {
            // A query that started meanwhile is the one to stop, at the next check.
            if (_running.Count > 0)
            {
                return;
            }

            foreach (var shed in _shed)
            {
                dropped += shed();
            }
        }

        if (dropped == 0)
        {
            return;
        }

        Shed += dropped;
        Collect();
        _status.Warning($"memory {Megabytes(resident)} MB is above --watchdog_memory_limit {_limits.MemoryBytes / MB} MB with no query running: dropped {dropped} events read from the kernel and not yet stored");
    }

    // Rounded up, so that memory just over the limit never reads as the limit itself.
    private static long Megabytes(long bytes) => (bytes + MB - 1) / MB;

    private static void Collect() => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    // osquery's watcher: every interval over the limit adds to the time over it, one under it starts again from 0.
    private void MeasureUtilization(long now)
    {
        var cpu = _cpuTime();
        if (_cpuAt is not { } then)
        {
            (_cpuAt, _cpuThen) = (now, cpu);
            return;
        }

        var elapsed = now - then;
        if (elapsed < UtilizationIntervalMilliseconds)
        {
            return;
        }

        var percent = (long)((cpu - _cpuThen).TotalMilliseconds * 100 / elapsed);
        (_cpuAt, _cpuThen) = (now, cpu);
        _overFor = percent > _limits.UtilizationPercent ? _overFor + elapsed : 0;
        var shedding = _overFor >= _limits.LatencySeconds * 1000;
        if (shedding == _shedding)
        {
            return;
        }

        _shedding = shedding;
        if (shedding)
        {
            _status.Warning($"CPU {percent}% of a core has been above --watchdog_utilization_limit {_limits.UtilizationPercent}% for {_overFor / 1000} s: "
                + "scheduled queries wait until it falls (each at most one interval); collection and storing go on");
        }
        else
        {
            _status.Info($"CPU {percent}% of a core is under --watchdog_utilization_limit {_limits.UtilizationPercent}% again: scheduled queries run when due");
        }
    }

    private void Unwatch(RunningQuery query)
    {
        lock (_gate)
        {
            _running.Remove(query);
        }
    }

    /// <summary>A query under watch; dispose it when the query has returned.</summary>
    private sealed class RunningQuery : IWatchedStatement
    {
        private readonly Watchdog _watchdog;

        internal RunningQuery(Watchdog watchdog, Action interrupt, long started, long residentAtStart, bool timed)
        {
            _watchdog = watchdog;
            Interrupt = interrupt;
            Started = started;
            ResidentAtStart = residentAtStart;
            Timed = timed;
        }

        /// <summary>Why the watchdog interrupted it, or null.</summary>
        public string? StopReason { get; internal set; }

        internal Action Interrupt { get; }

        internal long Started { get; }

        internal long ResidentAtStart { get; }

        internal bool Timed { get; }

        /// <summary>Ends the watch.</summary>
        public void Dispose() => _watchdog.Unwatch(this);
    }
}

/// <summary>
/// The watchdog's flags after osquery's profiles (watcher.cpp kWatchdogLimits): level 0 allows 200 MB and 10% of a core
/// sustained for 12 s, level 1 (restrictive) 100 MB and 5% for 6 s; a limit flag above 0 overrides its profile's value;
/// level -1 or <c>--disable_watchdog</c> turns the watchdog off.
/// </summary>
public sealed record WatchdogLimits(bool Enabled, long MemoryBytes, long UtilizationPercent, long LatencySeconds, long DelaySeconds)
{
    /// <summary>Reads the limits from the flags.</summary>
    public static WatchdogLimits FromFlags(Flags.FlagValues flags)
    {
        var level = flags.Get(Flags.VigilFlags.WatchdogLevel);
        var restrictive = level == "1";
        return new WatchdogLimits(
            level != "-1" && !flags.Get(Flags.VigilFlags.DisableWatchdog),
            Override(flags.Get(Flags.VigilFlags.WatchdogMemoryLimit), restrictive ? 100 : 200) * 1024 * 1024,
            Override(flags.Get(Flags.VigilFlags.WatchdogUtilizationLimit), restrictive ? 5 : 10),
            Override(flags.Get(Flags.VigilFlags.WatchdogLatencyLimit), restrictive ? 6 : 12),
            flags.Get(Flags.VigilFlags.WatchdogDelay));
    }

    private static long Override(long flag, long profile) => flag > 0 ? flag : profile;
}
