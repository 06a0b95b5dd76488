using System.Diagnostics;
using System.Text;
using Vigil.Logging;
using Vigil.Sql;
using Vigil.Tables;

namespace Vigil.Schedule;

/// <summary>
/// osqueryd's scheduler (osquery/dispatcher/scheduler.cpp): once per second it runs every query whose splayed interval divides the
/// Unix time (and, on the first pass, queries with a startup priority), turns the rows into a differential or a snapshot, and hands
/// the log item to the result logger. Interval decorators run on whole minutes. The clock is injected so tests drive it.
/// Each run's cost is recorded as osquery's monitor does, for osquery_schedule.
/// The watchdog has its say: a query it interrupted is denylisted (<see cref="QueryDenylist"/>) and skipped, and while
/// it sheds load (sustained CPU over <c>--watchdog_utilization_limit</c>) a due query waits for the load to fall, at most
/// until it is due again, when it runs once: under sustained load each query still runs, at half its rate at worst.
/// </summary>
public sealed class Scheduler : IScheduleSource
{
    /// <summary>The output of a run (osquery's output_size) from which its rows are collected before the next query runs.</summary>
    public const long LargeRunBytes = 1024 * 1024;

    private readonly IQueryRunner _runner;
    private readonly IResultLogger _logger;
    private readonly IStatusLog _status;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly DifferentialResults _results;
    private readonly Decorations _decorations;
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<string, (long CheckedAt, bool Passed)> _discovery = new(StringComparer.Ordinal);
    private readonly HashSet<string> _launched = new(StringComparer.Ordinal);
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);
    private readonly SchedulePerformance _performance;
    private readonly QueryDenylist? _denylist;
    private readonly Func<bool> _shedding;
    private long _lastOutputBytes;

    /// <summary>
    /// Prepares the schedule of <paramref name="config"/> and runs its <c>load</c> decorators; runs are recorded in
    /// <paramref name="performance"/> (a daemon passes the same one to the scheduler of each reload, as it does
    /// <paramref name="denylist"/>); <paramref name="shedding"/> says whether the watchdog sheds load now.
    /// </summary>
    public Scheduler(
        OsqueryConfig config, IQueryRunner runner, IResultStore store, IResultLogger logger, IStatusLog status, SchedulerOptions options, TimeProvider time,
        SchedulePerformance? performance = null, QueryDenylist? denylist = null, Func<bool>? shedding = null)
    {
        _performance = performance ?? new SchedulePerformance();
        _denylist = denylist;
        _shedding = shedding ?? (static () => false);
        _runner = runner;
        _logger = logger;
        _status = status;
        _options = options;
        _time = time;
        _results = new DifferentialResults(store, status);
        _decorations = new Decorations(config.Decorators, runner, status);

        foreach (var query in config.Schedule)
        {
            _entries.Add(new Entry(query, null, Splay.Interval(query.Name, query.Interval, options.SplayPercent)));
        }

        foreach (var pack in config.Packs)
        {
            foreach (var query in pack.Queries)
            {
                _entries.Add(new Entry(query, pack, Splay.Interval(query.Name, query.Interval, options.SplayPercent)));
            }
        }

        if (!options.DisableDecorators)
        {
            _decorations.RunLoad();
        }
    }

    /// <summary>Every query that runs here with its splayed interval, in the order the scheduler visits them.</summary>
    public IReadOnlyList<(ScheduledQuery Query, ulong SplayedInterval)> Queries => [.. _entries.Select(e => (e.Query, e.SplayedInterval))];

    /// <inheritdoc/>
    public IReadOnlyList<ScheduleEntry> ScheduleEntries() =>
        [.. _entries.Select(e => new ScheduleEntry(e.Query.Name, e.Query.Sql, e.Query.Interval, _performance.Of(e.Query.Name), _denylist?.IsDenylisted(e.Query) == true))];

    /// <summary>The decorations the next log item will carry.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> CurrentDecorations => _options.DisableDecorators ? [] : _decorations.Current;

    /// <summary>
    /// Runs what is due at Unix second <paramref name="unixTime"/>, or waited for the load to fall: queries in order,
    /// denylisted ones skipped, then interval decorators on whole minutes.
    /// </summary>
    /// <exception cref="IOException">A result could not be written; osquery shuts down in that case, and so should the caller.</exception>
    public void Tick(long unixTime)
    {
        var shedding = _shedding();
        foreach (var entry in _entries)
        {
            var name = entry.Query.Name;
            bool firstRun = !_launched.Contains(name);
            bool due = unixTime % (long)entry.SplayedInterval == 0 || (entry.Query.StartupPriority is not null && firstRun);
            bool waiting = _waiting.Contains(name);
            if ((!due && !waiting) || (entry.Pack is not null && !PackActive(entry.Pack, unixTime)))
            {
                continue;
            }

            if (_denylist?.IsDenylisted(entry.Query) == true)
            {
                _waiting.Remove(name);
                continue;
            }

            // Due again while it waited: it has waited a whole interval, and runs once for both.
            if (shedding && !(due && waiting))
            {
                _waiting.Add(name);
                continue;
            }

            _waiting.Remove(name);
            _launched.Add(name);
            Launch(entry.Query);
            if (_lastOutputBytes >= LargeRunBytes)
            {
                // The run's rows are garbage once logged, most of them already in the oldest generation, which only a
                // full collection frees: collected now, the next query's rows take their place instead of growing the
                // heap. A SELECT * of event tables at high rates is where the daemon's resident memory peaks.
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            }
        }

        if (unixTime % 60 == 0 && !_options.DisableDecorators)
        {
            _decorations.RunInterval(unixTime);
        }
    }

    /// <summary>
    /// Calls <see cref="Tick"/> for each second from now on, waiting on the injected clock, until cancelled or past
    /// <c>--schedule_timeout</c>. A scheduler that falls behind catches up second by second, unless it is more than
    /// <c>--schedule_max_drift</c> behind, in which case it skips to the present.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        long second = _time.GetUtcNow().ToUnixTimeSeconds();
        long end = _options.Timeout == 0 ? long.MaxValue : second + (long)_options.Timeout;
        while (second <= end && !cancellationToken.IsCancellationRequested)
        {
            Tick(second);
            second++;
            var wait = DateTimeOffset.FromUnixTimeSeconds(second) - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            else if (-wait > TimeSpan.FromSeconds(_options.MaxDrift))
            {
                long now = _time.GetUtcNow().ToUnixTimeSeconds();
                _status.Warning($"Scheduler fell {now - second} seconds behind; skipping ahead");
                second = now;
            }
        }
    }

    /// <summary>
    /// Runs one query now and logs it as osquery's <c>launchQuery</c> does: snapshot queries log all rows; others log their
    /// differential, unless nothing changed (a run with counter 0 is logged even when empty).
    /// </summary>
    /// <returns>The item handed to the logger, or null when the query failed or there was nothing to log.</returns>
    public QueryLogItem? Launch(ScheduledQuery query)
    {
        if (_options.LogNames)
        {
            _status.Info($"Executing scheduled query {query.Name}");
        }

        if (!_options.DisableDecorators)
        {
            _decorations.RunAlways();
        }

        QueryRun run;
        var started = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage;
        var resident = Environment.WorkingSet;
        try
        {
            run = _runner.RunScheduled(query);
        }
        catch (QueryException e)
        {
            RecordRun(query.Name, started, cpu, resident, outputBytes: 0);
            _status.Error($"Error executing scheduled query {query.Name}: {e.Message}");
            if (e.Interrupted && _denylist is not null)
            {
                Denylist(query, e.EventBased, e.Message);
            }

            return null;
        }

        RecordRun(query.Name, started, cpu, resident, OutputBytes(run.Rows));

        var item = new QueryLogItem
        {
            Name = query.Name,
            HostIdentifier = _options.HostIdentifier,
            UnixTime = _time.GetUtcNow().ToUnixTimeSeconds(),
            Epoch = _options.Epoch,
            Decorations = CurrentDecorations,
        };

        var current = run.Rows;
        if (query.Snapshot)
        {
            item = item with { IsSnapshot = true, Snapshot = current };
            _logger.LogSnapshot(item);
            return item;
        }

        var (diff, counter) = _options.EventsOptimize && run.EventBased
            ? _results.AddNewEvents(query.Name, query.Sql, current, _options.Epoch)
            : _results.AddNewResults(query.Name, query.Sql, current, _options.Epoch);
        if (!query.Removed)
        {
            diff = diff with { Removed = [] };
        }

        // osquery starts from counter 1, so a run whose counter was not set (nothing changed) is never logged.
        ulong logged = counter ?? 1;
        if (diff.IsEmpty && logged != 0)
        {
            return null;
        }

        item = item with { Counter = logged, Diff = diff };
        _logger.LogResults(item);
        return item;
    }

    // osquery's denylistExpired: a query over event tables is left scheduled unless --events_enforce_denylist.
    private void Denylist(ScheduledQuery query, bool eventBased, string reason)
    {
        if (!query.Denylist)
        {
            _status.Warning($"Scheduled query {query.Name} is not denylisted: its config says \"denylist\": false");
            return;
        }

        if (eventBased && !_options.EventsEnforceDenylist)
        {
            _status.Warning($"Scheduled query {query.Name} is not denylisted: it reads event tables (--events_enforce_denylist=false)");
            return;
        }

        var entry = _denylist!.Add(query.Name, reason);
        _status.Warning($"Scheduled query {query.Name} is denylisted until {entry.UntilText}");
    }

    /// <summary>A run's cost as osquery's monitor measures it: wall time, this process's CPU time and resident-memory growth.</summary>
    private void RecordRun(string name, long started, Environment.ProcessCpuUsage cpuBefore, long residentBefore, long outputBytes)
    {
        _lastOutputBytes = outputBytes;
        var cpu = Environment.CpuUsage;
        _performance.Record(
            name,
            (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            outputBytes,
            (long)(cpu.UserTime - cpuBefore.UserTime).TotalMilliseconds,
            (long)(cpu.PrivilegedTime - cpuBefore.PrivilegedTime).TotalMilliseconds,
            Environment.WorkingSet - residentBefore,
            _time.GetUtcNow().ToUnixTimeSeconds());
    }

    /// <summary>
    /// osquery's output size of a result: each cell's column name and value in bytes. osquery counts an integer cell as
    /// 8 bytes; the rows here are text, so an integer counts its digits.
    /// </summary>
    private static long OutputBytes(IReadOnlyList<ResultRow> rows)
    {
        long bytes = 0;
        foreach (var row in rows)
        {
            foreach (var (column, value) in row.Cells)
            {
                bytes += Encoding.UTF8.GetByteCount(column) + Encoding.UTF8.GetByteCount(value);
            }
        }

        return bytes;
    }

    private bool PackActive(PackConfig pack, long unixTime)
    {
        if (pack.Discovery.Count == 0)
        {
            return true;
        }

        if (_discovery.TryGetValue(pack.Name, out var cached) && unixTime - cached.CheckedAt < (long)_options.PackRefreshInterval)
        {
            return cached.Passed;
        }

        bool passed = true;
        foreach (var sql in pack.Discovery)
        {
            try
            {
                passed = _runner.Run(sql).Rows.Count > 0;
            }
            catch (QueryException e)
            {
                _status.Warning($"Discovery query failed ({sql}): {e.Message}");
                passed = false;
            }

            if (!passed)
            {
                break;
            }
        }

        _discovery[pack.Name] = (unixTime, passed);
        return passed;
    }

    private sealed record Entry(ScheduledQuery Query, PackConfig? Pack, ulong SplayedInterval);
}
