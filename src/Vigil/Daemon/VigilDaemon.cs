using Vigil.Ingest;
using Vigil.Logging;
using Vigil.Netlink;
using Vigil.Schedule;
using Vigil.Sql;
using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Daemon;

/// <summary>
/// One run of <c>vigil daemon</c>: the event store, kernel collection, the scheduler over SQL on the same file, the
/// result and status logs, and the housekeeping (events_expiry, events_max, the kernel's lost counter). <see cref="Run"/>
/// ticks once a second until stopped; <see cref="RequestReload"/> (the schedule and the audit exclusions) and
/// <see cref="RequestStop"/> may be called from signal handlers.
/// </summary>
public sealed class VigilDaemon : IDisposable
{
    private const int AuditWatchSeconds = 2;
    private const int WriteErrorReportSeconds = 60;

    private readonly DaemonSettings _settings;
    private readonly Func<IQueryRunner, ConfigCheck> _loadConfig;
    private readonly IStatusLog _status;
    private readonly EventStore _store;
    private readonly SqlEngine _sql;
    private readonly DaemonStateStore _state;
    private readonly SqlQueryRunner _runner;
    private readonly JournaledResultLog _results;
    private readonly ResultLogger _logger;
    private readonly KernelCollector? _collector;
    private readonly MemoryWatchdog? _memory;
    private readonly AuditWatch? _watch;
    private readonly AuditLostWatch? _lost;
    private readonly SocketDropWatch? _drops;
    private readonly string? _kernelStatePath;
    private readonly CancellationTokenSource _stop = new();
    private Scheduler _scheduler;
    private long? _lastMaintenance;
    private int _reload;
    private long? _lastWriteErrorReport;
    private bool _resultsFailing;

    private VigilDaemon(DaemonSettings settings, OsqueryConfig config, Func<IQueryRunner, ConfigCheck> loadConfig, IStatusLog status, TextWriter? debug)
    {
        _settings = settings;
        _loadConfig = loadConfig;
        _status = status;
        _store = OpenStore(settings.DatabasePath);
        try
        {
            _state = new DaemonStateStore(settings.DatabasePath);
            _results = new JournaledResultLog(Sinks(settings, status), _state, status);
            JournaledResultLog.Recover(_state, status);
            if (settings.CollectAudit)
            {
                _kernelStatePath = KernelStateFile.PathFor(settings.DatabasePath);
                var restoreTo = KernelStateFile.Prepare(_kernelStatePath, out var recovered, out var leftovers);
                if (recovered || leftovers > 0)
                {
                    status.Warning($"Recovering from an unclean stop: removed {leftovers} leftover Vigil audit rules; the audit state saved at first start will be restored on stop");
                }

                _collector = KernelCollector.Start(settings.Ingest, settings.DatabasePath, debug, restoreTo, message => status.Error(message));
                foreach (var note in _collector.Session.Notes)
                {
                    status.Info(note);
                }

                _watch = new AuditWatch(_collector, settings.AuditPersist, status);
                _lost = new AuditLostWatch(() => _collector.Session.CurrentStatus().Lost, status);
                if (_collector.Session.IsMulticast)
                {
                    _drops = new SocketDropWatch(() => _collector.Source.Drops, () => _collector.Source.ReceiveBufferBytes, status);
                }

                _memory = new MemoryWatchdog(settings.MemoryLimitBytes, MemoryWatchdog.ReadResidentBytes, _collector.ShedQueuedRows, status);
            }

            _sql = new SqlEngine(settings.DatabasePath, IngestOptions.EventTableSpecs, [new ProcessesTable(), new AuditStatusTable { Counters = _collector }]);
            _runner = new SqlQueryRunner(_sql, _state, settings.Scheduler.EventsOptimize);
            _logger = new ResultLogger([_results], settings.ResultLog);
            _scheduler = new Scheduler(config, _runner, _state, _logger, status, settings.Scheduler, TimeProvider.System);
        }
        catch
        {
            DisposeParts();
            throw;
        }
    }

    /// <summary>The watch over the kernel audit state, when collecting from the kernel.</summary>
    public AuditWatch? Audit => _watch;

    /// <summary>The daemon's state store (differential state, marks, result-log journal).</summary>
    internal DaemonStateStore State => _state;

    /// <summary>The scheduler now running (replaced by a reload).</summary>
    public Scheduler Scheduler => _scheduler;

    /// <summary>Opens everything and starts collection; throws <see cref="StoreException"/>, <see cref="IOException"/> or a netlink error saying what failed.</summary>
    public static VigilDaemon Start(DaemonSettings settings, OsqueryConfig config, Func<IQueryRunner, ConfigCheck> loadConfig, IStatusLog status, TextWriter? debug = null)
    {
        var daemon = new VigilDaemon(settings, config, loadConfig, status, debug);
        status.Info($"vigil daemon started: database {settings.DatabasePath}, config {settings.ConfigPath}, {daemon._scheduler.Queries.Count} scheduled queries, audit {(settings.CollectAudit ? "on" : "off")}");
        return daemon;
    }

    /// <summary>Asks <see cref="Run"/> to reload the config before its next tick.</summary>
    public void RequestReload() => Interlocked.Exchange(ref _reload, 1);

    /// <summary>Asks <see cref="Run"/> to return.</summary>
    public void RequestStop() => _stop.Cancel();

    /// <summary>
    /// Ticks once a second until stopped; returns 0, or 1 when collection failed. Results that cannot be written are
    /// reported at most once a minute and collection goes on (see <see cref="JournaledResultLog"/> for what is kept).
    /// </summary>
    public int Run()
    {
        var second = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        while (!_stop.IsCancellationRequested)
        {
            if (!Tick(second))
            {
                return 1;
            }

            second++;
            var wait = DateTimeOffset.FromUnixTimeSeconds(second) - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                _stop.Token.WaitHandle.WaitOne(wait);
            }
            else if (-wait > TimeSpan.FromSeconds(_settings.Scheduler.MaxDrift))
            {
                second = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            }
        }

        return 0;
    }

    /// <summary>
    /// One tick at unix time <paramref name="second"/>: a requested reload, the kernel watch, the memory watchdog,
    /// maintenance when <see cref="DaemonSettings.MaintenanceSeconds"/> have passed since the last, then the schedule.
    /// Returns false, having logged why, when collection stopped; results that cannot be written are reported and retried.
    /// </summary>
    internal bool Tick(long second)
    {
        if (Interlocked.Exchange(ref _reload, 0) == 1)
        {
            Reload();
        }

        if (_collector?.Failure is { } failure)
        {
            _status.Error($"Audit collection stopped: {failure.Message}");
            return false;
        }

        if (_watch is not null && second % AuditWatchSeconds == 0)
        {
            try
            {
                _watch.Check();
            }
            catch (AuditNetlinkException e)
            {
                _status.Error($"Checking the kernel audit state failed: {e.Message}");
            }
        }

        _memory?.Check();
        if (_lastMaintenance is not { } last || second - last >= _settings.MaintenanceSeconds)
        {
            Maintain(second);
            _lastMaintenance = second;
        }

        try
        {
            _scheduler.Tick(second);
            _results.Commit(_runner.PendingMarks);
            _runner.ClearMarks();
            if (_resultsFailing)
            {
                _resultsFailing = false;
                _status.Info("Writing results works again");
            }
        }
        catch (IOException e)
        {
            _runner.ClearMarks();
            _results.Discard();
            _resultsFailing = true;
            if (_lastWriteErrorReport is not { } lastReport || second - lastReport >= WriteErrorReportSeconds)
            {
                _lastWriteErrorReport = second;
                _status.Error($"Writing results failed: {e.Message}; retrying every second, the lines already committed first; runs until then are not logged (differential queries catch up, snapshots are skipped); reported at most once a minute");
            }
        }

        return true;
    }

    /// <summary>Stops collection (committing what was read and restoring the kernel state), closes the store and logs the stop.</summary>
    public void Dispose()
    {
        var stored = _collector?.RowsStored;
        DisposeParts();
        if (_kernelStatePath is not null)
        {
            File.Delete(_kernelStatePath);
        }

        _status.Info(stored is { } rows ? $"vigil daemon stopped; {rows} events stored this run; kernel audit state restored" : "vigil daemon stopped");
        _stop.Dispose();
    }

    private static EventStore OpenStore(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Vigil runs on Linux.");
        }

        try
        {
            var directory = Path.GetDirectoryName(path)!;
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var store = EventStore.OpenReadWrite(path, IngestOptions.EventTableSpecs);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return store;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StoreException)
        {
            throw new IOException($"cannot open --database_path={path}: {e.Message}", e);
        }
    }

    private static List<IResultSink> Sinks(DaemonSettings settings, IStatusLog status)
    {
        var sinks = new List<IResultSink>();
        foreach (var name in settings.LoggerPlugin.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            sinks.Add(name switch
            {
                "filesystem" => new FilesystemResultSink(settings.Filesystem, status),
                "stdout" => new StdoutResultSink(),
                _ => throw new IOException($"unknown --logger_plugin '{name}' (expected filesystem or stdout)"),
            });
        }

        return sinks;
    }

    private void Reload()
    {
        var check = _loadConfig(_runner);
        if (!check.Ok)
        {
            _status.Error($"Config reload failed; keeping the running config: {string.Join("; ", check.Errors)}");
            return;
        }

        _scheduler = new Scheduler(check.Config!, _runner, _state, _logger, _status, _settings.Scheduler, TimeProvider.System);
        _status.Info($"Config reloaded from {_settings.ConfigPath}: {_scheduler.Queries.Count} scheduled queries");
        if (_collector is not null)
        {
            ReloadExclusions(_collector.Session, check.Config!.Audit);
        }
    }

    // Exe wildcards are expanded again, so a reload also picks up executables installed since the start.
    private void ReloadExclusions(KernelAuditSession session, string? auditConfig)
    {
        try
        {
            if (session.ReplaceExclusions(_settings.Ingest.ExclusionRulesFor(auditConfig)) is { } change)
            {
                _status.Info($"Audit exclusions reloaded: {change.Rules} rules ({change.Added} added, {change.Removed} removed)");
            }
            else
            {
                _status.Info("Audit exclusions not reloaded: Vigil installed no audit rules in this run");
            }
        }
        catch (Exception e) when (e is AuditExclusionException or AuditNetlinkException or IOException or UnauthorizedAccessException)
        {
            _status.Error($"Audit exclusions reload failed; keeping the running exclusions: {e.Message}");
        }
    }

    private void Maintain(long now)
    {
        foreach (var table in IngestOptions.EventTableSpecs)
        {
            if (_settings.EventsExpiry > 0)
            {
                var expired = _store.DeleteOlderThan(table, now - _settings.EventsExpiry);
                if (expired > 0)
                {
                    _status.Info($"Expired {expired} events from {table.Name} older than {_settings.EventsExpiry} seconds");
                }
            }

            if (_settings.EventsMax > 0)
            {
                var dropped = _store.TrimToMax(table, _settings.EventsMax);
                if (dropped > 0)
                {
                    _status.Warning($"Dropped {dropped} oldest events from {table.Name} to stay within --events_max={_settings.EventsMax}");
                }
            }
        }

        _drops?.Check(now);
        try
        {
            _lost?.Check(now);
        }
        catch (AuditNetlinkException e)
        {
            _status.Error($"Reading the kernel audit lost counter failed: {e.Message}");
        }
    }

    private void DisposeParts()
    {
        try
        {
            _collector?.Dispose();
        }
        finally
        {
            _sql?.Dispose();
            _state?.Dispose();
            _store.Dispose();
        }
    }
}
