using Vigil.Logging;

namespace Vigil.Schedule;

/// <summary>
/// osqueryd's scheduler (osquery/dispatcher/scheduler.cpp): once per second it runs every query whose splayed interval divides the
/// Unix time (and, on the first pass, queries with a startup priority), turns the rows into a differential or a snapshot, and hands
/// the log item to the result logger. Interval decorators run on whole minutes. The clock is injected so tests drive it.
/// </summary>
public sealed class Scheduler
{
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

    /// <summary>Prepares the schedule of <paramref name="config"/> and runs its <c>load</c> decorators.</summary>
    public Scheduler(OsqueryConfig config, IQueryRunner runner, IResultStore store, IResultLogger logger, IStatusLog status, SchedulerOptions options, TimeProvider time)
    {
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

    /// <summary>The decorations the next log item will carry.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> CurrentDecorations => _options.DisableDecorators ? [] : _decorations.Current;

    /// <summary>Runs what is due at Unix second <paramref name="unixTime"/>: due queries in order, then interval decorators on whole minutes.</summary>
    /// <exception cref="IOException">A result could not be written; osquery shuts down in that case, and so should the caller.</exception>
    public void Tick(long unixTime)
    {
        foreach (var entry in _entries)
        {
            bool firstRun = !_launched.Contains(entry.Query.Name);
            bool due = unixTime % (long)entry.SplayedInterval == 0 || (entry.Query.StartupPriority is not null && firstRun);
            if (!due || (entry.Pack is not null && !PackActive(entry.Pack, unixTime)))
            {
                continue;
            }

            _launched.Add(entry.Query.Name);
            Launch(entry.Query);
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

        QueryRows rows;
        try
        {
            rows = _runner.RunScheduled(query);
        }
        catch (QueryException e)
        {
            _status.Error($"Error executing scheduled query {query.Name}: {e.Message}");
            return null;
        }

        var item = new QueryLogItem
        {
            Name = query.Name,
            HostIdentifier = _options.HostIdentifier,
            UnixTime = _time.GetUtcNow().ToUnixTimeSeconds(),
            Epoch = _options.Epoch,
            Decorations = CurrentDecorations,
        };

        var current = rows.ToResultRows();
        if (query.Snapshot)
        {
            item = item with { IsSnapshot = true, Snapshot = current };
            _logger.LogSnapshot(item);
            return item;
        }

        var (diff, counter) = _options.EventsOptimize && rows.EventBased
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
