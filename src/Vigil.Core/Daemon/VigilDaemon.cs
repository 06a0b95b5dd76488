using Vigil.Bpf;
using Vigil.Flags;
using Vigil.Kernel;
using Vigil.Logging;
using Vigil.Netlink;
using Vigil.Pipeline;
using Vigil.Remote;
using Vigil.Rules;
using Vigil.Schedule;
using Vigil.Sql;
using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Daemon;

/// <summary>
/// One run of <c>vigil daemon</c>: the event store, kernel collection, the scheduler over SQL on the same file, the
/// result and status logs, the housekeeping (events_expiry, events_max, WAL checkpoints, the kernel's lost
/// counter) and the <see cref="Watchdog"/> on a thread of its own. <see cref="Run"/> ticks once a second until stopped; <see cref="RequestReload"/> (the schedule and the
/// audit exclusions) and <see cref="RequestStop"/> may be called from signal handlers.
/// Once started, nothing ends the process but a stop: every part of a tick that fails (a full, read-only or failing
/// disk under the database or the logs, or an exception nobody foresaw) is reported with what it was doing, at most
/// once a minute per part, and tried again at its next turn; the first success after a reported failure is reported too.
/// </summary>
public sealed class VigilDaemon : IDisposable
{
    private const int AuditWatchSeconds = 2;

    /// <summary>How often the watchdog looks: a query growing by hundreds of MB a second overshoots the limit by a fifth of that.</summary>
    private static readonly TimeSpan WatchdogPeriod = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a handover waits for a moment with no event in flight: past the reassembler's timeout, so an event without EOE is emitted first.</summary>
    private static readonly TimeSpan HandoverBoundaryWait = TimeSpan.FromSeconds(5);

    private readonly DaemonSettings _settings;
    private readonly Func<IQueryRunner, ConfigCheck> _loadConfig;
    private readonly IStatusLog _status;
    private readonly EventStore _store;
    private readonly SqlEngine _sql;
    private readonly HostTables _tables;
    private readonly SchedulePerformance _performance = new();
    private readonly QueryDenylist _denylist;
    private readonly DaemonStateStore _state;
    private readonly SqlQueryRunner _runner;
    private readonly JournaledResultLog _results;
    private readonly ResultLogger _logger;
    private readonly KernelCollector? _collector;
    private readonly Watchdog? _watchdog;
    private readonly Thread? _watchdogThread;
    private readonly AuditWatch? _watch;
    private readonly AuditLostWatch? _lost;
    private readonly UnknownSyscallWatch? _unknown;
    private readonly SocketDropWatch? _drops;
    private readonly ReaderWatch? _readerWatch;
    private readonly StoreQueueWatch? _storeWatch;
    private readonly ReaderWatch? _bpfReaderWatch;
    private readonly StoreQueueWatch? _bpfStoreWatch;
    private readonly BpfCollector? _bpf;
    private readonly BpfLostWatch? _bpfLost;
    private readonly string? _kernelStatePath;
    private readonly PidFile? _pidfile;
    private readonly CancellationTokenSource _stop = new();
    private readonly FailureReport _reloadFailures = new(FailureReport.Minute);
    private readonly FailureReport _watchFailures = new(FailureReport.Minute);
    private readonly FailureReport _watchdogFailures = new(FailureReport.Minute);
    private readonly FailureReport _expiryFailures = new(FailureReport.Minute);
    private readonly FailureReport _maxFailures = new(FailureReport.Minute);
    private readonly FailureReport _checkpointFailures = new(FailureReport.Minute);
    private readonly FailureReport _countersFailures = new(FailureReport.Minute);
    private readonly FailureReport _resultsFailures = new(FailureReport.Minute);
    private readonly FailureReport _pidfileFailures = new(FailureReport.Minute);
    private readonly FailureReport _kernelStateFailures = new(FailureReport.Minute);
    private Scheduler _scheduler;
    private AuditState? _unsavedKernelState;
    private long? _lastMaintenance;
    private int _reload;
    private bool _handoverRequested;
    private bool _handedOver;

    private VigilDaemon(
        DaemonSettings settings, OsqueryConfig config, Func<IQueryRunner, ConfigCheck> loadConfig, IStatusLog status, TextWriter? debug, DaemonLoggers loggers,
        KernelHandover? handover, PidFile? pidfile)
    {
        _settings = settings;
        _loadConfig = loadConfig;
        _status = status;

        // Before anything else: a second daemon on the same pidfile must not touch the first one's store or kernel rules.
        _pidfile = pidfile ?? (settings.Pidfile.Length > 0 ? PidFile.Lock(settings.Pidfile) : null);
        try
        {
            _store = OpenStore(settings.DatabasePath);
        }
        catch
        {
            _pidfile?.Release();
            throw;
        }

        try
        {
            if (_pidfile is not null)
            {
                WritePidfile();
            }

            _state = new DaemonStateStore(settings.DatabasePath);
            _results = new JournaledResultLog(Sinks(settings, status, loggers), _state, status, loggers.Remote?.Buffer);
            Attempt(_resultsFailures, "Completing the results journaled before an unclean stop",
                "they are completed before the next results are written", () => _results.Recover());
            if (settings.CollectAudit)
            {
                _kernelStatePath = KernelStateFile.PathFor(settings.DatabasePath);
                AuditState restoreTo;
                if (handover is not null)
                {
                    restoreTo = KernelStateFile.Saved(_kernelStatePath);
                }
                else
                {
                    restoreTo = KernelStateFile.Prepare(_kernelStatePath, out var recovered, out var leftovers);
                    if (recovered || leftovers > 0)
                    {
                        status.Warning($"Recovering from an unclean stop: removed {leftovers} leftover Vigil audit rules; the audit state saved at first start will be restored on stop");
                    }

                    if (!recovered)
                    {
                        _unsavedKernelState = restoreTo;
                        SaveKernelState();
                    }
                }

                _collector = KernelCollector.Start(settings.Ingest, settings.DatabasePath, debug, restoreTo, handover);
                _readerWatch = new ReaderWatch("audit records", _collector.Reader, status);
                _storeWatch = new StoreQueueWatch(_collector.Store, "events", status);
                foreach (var note in _collector.Session.Notes)
                {
                    status.Info(note);
                }

                _watch = new AuditWatch(_collector, settings.AuditPersist, status);
                _lost = new AuditLostWatch(() => _collector.Session.CurrentStatus().Lost, status);
                _unknown = new UnknownSyscallWatch(_collector.Counters, status);
                if (_collector.Session.IsMulticast)
                {
                    _drops = new SocketDropWatch(() => _collector.Source.Drops, () => _collector.Source.ReceiveBufferBytes, status);
                }
            }

            if (settings.Bpf.Enabled)
            {
                _bpf = BpfCollector.Start(settings.Bpf, settings.DatabasePath);
                status.Info($"BPF programs attached: {_bpf.Links}");
                _bpfReaderWatch = new ReaderWatch("BPF records", _bpf.Reader, status);
                _bpfStoreWatch = new StoreQueueWatch(_bpf.Store, "BPF events", status);
                _bpfLost = new BpfLostWatch(() => _bpf.ReadCounters().Kernel.Lost, status);
            }

            if (settings.Watchdog.Enabled)
            {
                var shed = new List<Func<int>>(2);
                if (_collector is not null)
                {
                    shed.Add(_collector.ShedQueuedRows);
                }

                if (_bpf is not null)
                {
                    shed.Add(_bpf.ShedQueuedRows);
                }

                _watchdog = new Watchdog(settings.Watchdog, static () => Environment.TickCount64, Watchdog.ReadResidentBytes, static () => Environment.CpuUsage.TotalTime, shed, status);
            }

            _tables = new HostTables(settings.Flags, IngestOptions.EventTableSpecs, AuditClient.ReadStatus, _state.InstanceId());
            _tables.AuditStatus.Counters = _collector;
            _tables.BpfStatus.Counters = _bpf;
            _sql = new SqlEngine(settings.DatabasePath, IngestOptions.EventTableSpecs, _tables.All);
            if (settings.Remote.ConfigTls)
            {
                _sql.Restrict(settings.Remote.Budget);
            }

            _sql.Watch = _watchdog;
            _runner = new SqlQueryRunner(_sql, _state, settings.Scheduler.EventsOptimize);
            _logger = new ResultLogger([_results], settings.ResultLog);
            _denylist = new QueryDenylist(TimeProvider.System, _state);
            _scheduler = StartSchedule(config);
            _watchdogThread = _watchdog is null ? null : StartWatchdog(_watchdog);
        }
        catch
        {
            DisposeParts();
            RemovePidfile();
            throw;
        }
    }

    /// <summary>The watch over the kernel audit state, when collecting from the kernel.</summary>
    public AuditWatch? Audit => _watch;

    /// <summary>The watchdog, unless turned off; it watches the SQL of the daemon's remote client too.</summary>
    public IStatementWatch? QueryWatch => _watchdog;

    /// <summary>The daemon's state store (differential state, marks, result-log journal).</summary>
    internal DaemonStateStore State => _state;

    /// <summary>The scheduler now running (replaced by a reload).</summary>
    public Scheduler Scheduler => _scheduler;

    /// <summary>
    /// Opens everything and starts collection; throws <see cref="StoreException"/>, <see cref="IOException"/> (also
    /// when another daemon holds the pidfile) or a netlink error saying what failed. <paramref name="loggers"/> holds the
    /// loggers made before the daemon (their status logs are in <paramref name="status"/> already): the syslog logger
    /// and the remote client's TLS logger. With <paramref name="handover"/> collection resumes the kernel session an
    /// earlier image of this process passed on (<see cref="HandOver"/>). <paramref name="pidfile"/> is the pidfile's
    /// lock when the caller took it already (before it opened the database), which the daemon then owns.
    /// </summary>
    public static VigilDaemon Start(
        DaemonSettings settings, OsqueryConfig config, Func<IQueryRunner, ConfigCheck> loadConfig, IStatusLog status, TextWriter? debug = null,
        DaemonLoggers? loggers = null, KernelHandover? handover = null, PidFile? pidfile = null)
    {
        var daemon = new VigilDaemon(settings, config, loadConfig, status, debug, loggers ?? new DaemonLoggers(), handover, pidfile);
        status.Info($"vigil daemon started: database {settings.DatabasePath}, config {settings.ConfigPath}, {daemon._scheduler.Queries.Count} scheduled queries, audit {(settings.CollectAudit ? "on" : "off")}"
            + (handover is null ? "" : "; took over the audit socket and rules of the previous executable"));
        return daemon;
    }

    /// <summary>Asks <see cref="Run"/> to reload the config before its next tick.</summary>
    public void RequestReload() => Interlocked.Exchange(ref _reload, 1);

    /// <summary>Asks <see cref="Run"/> to return; a stop wins over a restart in place asked for before it.</summary>
    public void RequestStop()
    {
        Volatile.Write(ref _handoverRequested, false);
        _stop.Cancel();
    }

    /// <summary>Asks <see cref="Run"/> to return for a restart in place: the caller then ends with <see cref="HandOver"/>.</summary>
    public void RequestHandover()
    {
        Volatile.Write(ref _handoverRequested, true);
        _stop.Cancel();
    }

    /// <summary>Whether <see cref="RequestHandover"/> was called.</summary>
    public bool HandoverRequested => Volatile.Read(ref _handoverRequested);

    /// <summary>
    /// Ticks once a second until stopped. Results that cannot be written are reported at most once a minute and
    /// collection goes on (see <see cref="JournaledResultLog"/> for what is kept).
    /// </summary>
    public void Run()
    {
        var second = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        while (!_stop.IsCancellationRequested)
        {
            Tick(second);
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
    }

    /// <summary>
    /// One tick at unix time <paramref name="second"/>: a requested reload, the reports of the reader and the store, the
    /// kernel watch, maintenance when <see cref="DaemonSettings.MaintenanceSeconds"/> have passed
    /// since the last, the schedule, and the files still to be written (pidfile, kernel state). Each part that fails is
    /// reported and tried again at its next turn; none ends the tick.
    /// </summary>
    internal void Tick(long second)
    {
        if (Interlocked.Exchange(ref _reload, 0) == 1)
        {
            Attempt(_reloadFailures, "Reloading the config", "keeping the running config", Reload);
        }

        var now = Environment.TickCount64;
        _readerWatch?.Check(now);
        _storeWatch?.Check(now);
        _bpfReaderWatch?.Check(now);
        _bpfStoreWatch?.Check(now);

        if (_watch is not null && second % AuditWatchSeconds == 0)
        {
            Attempt(_watchFailures, "Checking the kernel audit state", "checked again in 2 s", _watch.Check);
        }

        if (_lastMaintenance is not { } last || second - last >= _settings.MaintenanceSeconds)
        {
            Maintain(second);
            _lastMaintenance = second;
        }

        // A run whose results cannot be written is forgotten, its marks and differential state with it, so that its
        // rows are produced again by the first run that can be logged.
        var logged = Attempt(_resultsFailures, "Writing results",
            "retrying every second, the lines already committed first; runs until then are not logged (differential queries catch up, snapshots are skipped)",
            () =>
            {
                _scheduler.Tick(second);
                return _results.Commit(_runner.PendingMarks);
            });
        _runner.ClearMarks();
        if (!logged)
        {
            _results.Discard();
        }

        if (_pidfile is { Written: false })
        {
            WritePidfile();
        }

        if (_unsavedKernelState is not null)
        {
            SaveKernelState();
        }
    }

    /// <summary>
    /// Stops collection (committing what was read and restoring the kernel state), closes the store and logs the stop
    /// with what this run stored and dropped.
    /// </summary>
    public void Dispose()
    {
        if (_handedOver)
        {
            _stop.Dispose();
            return;
        }

        StopWatchdog();

        // The kernel's counters go with the programs: they are read before the unload.
        var bpf = _bpf?.ReadCounters().Kernel;
        DisposeParts();
        if (_kernelStatePath is not null)
        {
            Attempt(_kernelStateFailures, $"Removing {_kernelStatePath}", "the next start restores the state it holds, which is the one found at this start",
                () => File.Delete(_kernelStatePath));
        }

        RemovePidfile();

        _status.Info(_collector?.Store is { } queue
            ? $"vigil daemon stopped; {queue.Committed} events stored this run, {queue.Dropped} dropped ({queue.DroppedQueueFull} queue full, "
                + $"{queue.ShedRows} memory limit, {queue.DroppedStoreError} store errors, {queue.DroppedAtStop} unstored at stop); kernel audit state restored"
            : "vigil daemon stopped");
        if (bpf is { } kernel)
        {
            _status.Info($"BPF programs unloaded; {_bpf!.RowsStored} rows stored this run, {_bpf.RowsDropped} dropped; records sent {kernel.Sent}, lost {kernel.Lost}, excluded {kernel.Excluded}");
        }

        _stop.Dispose();
    }

    /// <summary>
    /// Ends this run for the next image of this process (execve, same pid) instead of <see cref="Dispose"/>: stores
    /// every event read, stopping between two events, commits the results, and leaves the kernel as it is, with the
    /// saved state file, and the pidfile for the next image to resume. Returns the kernel session to pass on, or null
    /// when not collecting.
    /// </summary>
    public KernelHandover? HandOver()
    {
        _handedOver = true;
        StopWatchdog();
        var handover = DisposeParts(handOver: true);
        _pidfile?.Release();
        _status.Info(_collector?.Store is { } queue
            ? $"vigil daemon restarting in place; {queue.Committed} events stored this run; the audit socket and rules are kept for the next executable"
            : "vigil daemon restarting in place");
        return handover;
    }

    private bool Attempt(FailureReport report, string what, string consequence, Action action) =>
        Attempt(report, what, consequence, () =>
        {
            action();
            return true;
        });

    /// <summary>
    /// Runs one part of a tick: a failure is reported (what was being done, the exception, what follows from it) at
    /// most once a minute, and the first success after a reported failure once; a turn in which
    /// <paramref name="action"/> had nothing to write (returned false) proves nothing either way. Returns whether it
    /// did not fail.
    /// </summary>
    private bool Attempt(FailureReport report, string what, string consequence, Func<bool> action)
    {
        var now = Environment.TickCount64;
        try
        {
            if (!action())
            {
                return true;
            }
        }
        catch (Exception e)
        {
            if (report.Fail(now, out var failures))
            {
                _status.Error($"{what} failed: {e.GetType().Name}: {e.Message}; {consequence} (failures since the last report: {failures}; reported at most once a minute)");
            }

            return false;
        }

        if (report.Recover(now, out var failed))
        {
            _status.Info($"{what} works again after {failed / 1000} s");
        }

        return true;
    }

    // Its own thread, so that it can stop a query the tick thread is running.
    private Thread StartWatchdog(Watchdog watchdog)
    {
        var thread = new Thread(() =>
        {
            while (!_stop.Token.WaitHandle.WaitOne(WatchdogPeriod))
            {
                Attempt(_watchdogFailures, "The watchdog", "checked again in 200 ms", watchdog.Check);
            }
        })
        { IsBackground = true, Name = "vigil-watchdog" };
        thread.Start();
        return thread;
    }

    // Before the engine and the collectors go: the watchdog interrupts the one and sheds from the others.
    private void StopWatchdog()
    {
        _stop.Cancel();
        _watchdogThread?.Join();
    }

    private void WritePidfile() =>
        Attempt(_pidfileFailures, $"Writing --pidfile={_pidfile!.Path}", "retried every second", _pidfile.Write);

    private void RemovePidfile()
    {
        if (_pidfile is not null)
        {
            Attempt(_pidfileFailures, $"Removing --pidfile={_pidfile.Path}", "it is left behind", _pidfile.Remove);
        }
    }

    // Until it is saved, a run killed outright leaves nothing to say what the kernel had before the first start.
    private void SaveKernelState()
    {
        if (Attempt(_kernelStateFailures, $"Saving the kernel audit state found at start to {_kernelStatePath}",
            "retried every second; until it is saved, a restart after an unclean stop cannot restore that state", () => KernelStateFile.Save(_kernelStatePath!, _unsavedKernelState!)))
        {
            _unsavedKernelState = null;
        }
    }

    /// <summary>
    /// An engine over the daemon's tables (event tables and the host tables with <paramref name="flags"/>): read-only on
    /// <paramref name="databasePath"/>, or a scratch store when null. osquery_info reports <paramref name="instanceId"/>;
    /// the scratch engines that only compile a config's statements run none and leave it empty.
    /// </summary>
    public static SqlEngine OpenEngine(string? databasePath, FlagValues flags, string instanceId = "") =>
        new(databasePath, IngestOptions.EventTableSpecs, new HostTables(flags, IngestOptions.EventTableSpecs, AuditClient.ReadStatus, instanceId).All);

    /// <summary>
    /// An engine over this daemon's store and its own live tables, for the SQL a fleet manager sends: osquery_schedule,
    /// osquery_info's config, osquery_flags and audit_status then describe the running daemon, as they do for its
    /// scheduled queries. Those tables read shared state that is swapped whole or locked, so the remote client's
    /// thread can generate their rows while the daemon runs.
    /// </summary>
    public SqlEngine OpenRemoteEngine() => new(_settings.DatabasePath, IngestOptions.EventTableSpecs, _tables.All);

    /// <summary>Creates the daemon's database (and its directory) when missing, as the daemon opens it; throws <see cref="IOException"/> saying why it cannot.</summary>
    public static void PrepareStore(string path) => OpenStore(path).Dispose();

    /// <summary>
    /// The instance id kept in the daemon's database at <paramref name="path"/> (<see cref="DaemonStateStore.InstanceId"/>),
    /// made now when it has none, the database created when missing; throws <see cref="IOException"/> saying why it cannot.
    /// </summary>
    public static string InstanceId(string path)
    {
        PrepareStore(path);
        try
        {
            using var state = new DaemonStateStore(path);
            return state.InstanceId();
        }
        catch (Exception e) when (e is StoreException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new IOException($"cannot keep the instance id in --database_path={path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks every page of the database at start and recovers a damaged one (<see cref="DamagedStore"/>), saying so in
    /// the status log; throws <see cref="IOException"/> when the file is damaged and not Vigil's to recover. Not on an
    /// in-place restart, whose file the running daemon had open until the handover.
    /// </summary>
    public static void RecoverDamagedStore(string path, IStatusLog status)
    {
        try
        {
            if (DamagedStore.RecoverIfDamaged(path, IngestOptions.EventTableSpecs, DateTime.UtcNow) is { } recovery)
            {
                status.Warning($"The database {path} was damaged ({recovery.Damage}); it is kept as {recovery.DamagedPath}, "
                    + $"and {recovery.Events} events, {recovery.UnsentLines} unsent result lines and the schedule's state were recovered into a new database");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StoreException)
        {
            throw new IOException($"cannot open --database_path={path}: {e.Message}", e);
        }
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

    // The tls logger is not a sink: its lines go into its buffer in the commit's transaction.
    private static List<IResultSink> Sinks(DaemonSettings settings, IStatusLog status, DaemonLoggers loggers)
    {
        var sinks = new List<IResultSink>();
        foreach (var name in settings.LoggerPlugin.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (name)
            {
                case "filesystem":
                    sinks.Add(new FilesystemResultSink(settings.Filesystem, status));
                    break;
                case "stdout":
                    sinks.Add(new StdoutResultSink());
                    break;
                case "syslog" when loggers.Syslog is not null:
                    sinks.Add(loggers.Syslog);
                    break;
                case "tls" when loggers.Remote?.Buffer is not null:
                    break;
                default:
                    throw new IOException($"unknown --logger_plugin '{name}' (expected filesystem, stdout, syslog or tls)");
            }
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

        _scheduler = StartSchedule(check.Config!);
        _status.Info($"Config reloaded from {_settings.ConfigPath}: {_scheduler.Queries.Count} scheduled queries");
        if (_collector is not null)
        {
            ReloadExclusions(_collector.Session, check.Config!.Audit);
            if (_settings.Ingest.FileEvents)
            {
                ReloadFilePaths(_collector.Session, check.Config);
            }
        }

        if (_bpf is not null)
        {
            ReloadBpfExclusions(_bpf, check.Config!.Audit);
            if (_settings.Bpf.FileEvents)
            {
                ReloadBpfFilePaths(_bpf, check.Config);
            }
        }
    }

    private void ReloadBpfFilePaths(BpfCollector bpf, OsqueryConfig config)
    {
        try
        {
            var patterns = FilePatterns.Parse(config.FilePaths, config.ExcludePaths);
            bpf.ReplaceFilePatterns(patterns, _settings.Ingest.Files);
            _status.Info($"Watched paths reloaded: {patterns.Roots.Count} directories watched by the BPF programs");
        }
        catch (Exception e) when (e is AuditExclusionException or BpfException)
        {
            _status.Error($"Watched paths reload failed; keeping the running ones: {e.Message}");
        }
    }

    private void ReloadBpfExclusions(BpfCollector bpf, string? auditConfig)
    {
        try
        {
            _status.Info($"BPF exclusions reloaded: {bpf.ReplaceExclusions(_settings.Ingest.ExclusionsFor(auditConfig))} map entries");
        }
        catch (Exception e) when (e is AuditExclusionException or BpfException)
        {
            _status.Error($"BPF exclusions reload failed; keeping the running exclusions: {e.Message}");
        }
    }

    /// <summary>A scheduler for <paramref name="config"/>, shown by osquery_schedule and osquery_info from now on.</summary>
    private Scheduler StartSchedule(OsqueryConfig config)
    {
        var scheduler = new Scheduler(config, _runner, _state, _logger, _status, _settings.Scheduler, TimeProvider.System, _performance, _denylist,
            _watchdog is { } watchdog ? () => watchdog.Shedding : null);
        _tables.Schedule.Source = scheduler;
        _tables.Info.SetConfig(config.Hash, valid: true);
        return scheduler;
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

    // The new directories are watched in the kernel before the rows ask for their paths, and the directories no longer
    // watched are left only after; rows of the moment between are those of the new paths.
    private void ReloadFilePaths(KernelAuditSession session, OsqueryConfig config)
    {
        try
        {
            var patterns = FilePatterns.Parse(config.FilePaths, config.ExcludePaths);
            var change = session.ReplaceFileRoots(patterns.Roots);
            _settings.Ingest.Files.Patterns = patterns;
            _status.Info(change is var (added, removed)
                ? $"Watched paths reloaded: {patterns.Roots.Count} directories ({added} audit rules added, {removed} removed)"
                : "Watched paths reloaded; their audit rules not: Vigil installed no audit rules in this run");
        }
        catch (Exception e) when (e is AuditExclusionException or AuditNetlinkException)
        {
            _status.Error($"Watched paths reload failed; keeping the running ones: {e.Message}");
        }
    }

    private void Maintain(long second)
    {
        if (_settings.EventsExpiry > 0)
        {
            Attempt(_expiryFailures, $"Expiring events older than --events_expiry={_settings.EventsExpiry} s",
                "they stay stored until the next maintenance pass that succeeds", () => Expire(second));
        }

        if (_settings.EventsMax > 0)
        {
            Attempt(_maxFailures, $"Dropping the oldest events beyond --events_max={_settings.EventsMax}",
                "the tables hold more until the next maintenance pass that succeeds", TrimToMax);
        }

        Attempt(_checkpointFailures, $"Checkpointing {_settings.DatabasePath}-wal",
            "the -wal file grows until a checkpoint succeeds, tried again at the next maintenance pass", _store.Checkpoint);
        Attempt(_countersFailures, "Reading the kernel's lost counter, the socket's drops and the unknown syscalls", "read again at the next maintenance pass", () =>
        {
            _drops?.Check(second);
            _lost?.Check(second);
            _bpfLost?.Check(second);
            _unknown?.Check();
        });
    }

    private void Expire(long second)
    {
        foreach (var table in IngestOptions.EventTableSpecs)
        {
            var expired = _store.DeleteOlderThan(table, second - _settings.EventsExpiry);
            if (expired > 0)
            {
                _status.Info($"Expired {expired} events from {table.Name} older than {_settings.EventsExpiry} seconds");
            }
        }
    }

    private void TrimToMax()
    {
        foreach (var table in IngestOptions.EventTableSpecs)
        {
            var dropped = _store.TrimToMax(table, _settings.EventsMax);
            if (dropped > 0)
            {
                _status.Warning($"Dropped {dropped} oldest events from {table.Name} to stay within --events_max={_settings.EventsMax}");
            }
        }
    }

    // Ends collection, restoring the kernel or, with handOver, passing its session on; then closes the SQL and the store.
    private KernelHandover? DisposeParts(bool handOver = false)
    {
        try
        {
            try
            {
                if (handOver)
                {
                    return _collector?.HandOver(HandoverBoundaryWait);
                }

                _collector?.Dispose();
                return null;
            }
            finally
            {
                _bpf?.Dispose();
            }
        }
        finally
        {
            _sql?.Dispose();
            _state?.Dispose();
            _store.Dispose();
        }
    }
}
