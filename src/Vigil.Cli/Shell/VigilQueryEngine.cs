using System.Runtime.InteropServices;
using Vigil.Daemon;
using Vigil.Flags;
using Vigil.Netlink;
using Vigil.Pipeline;
using Vigil.Schedule;
using Vigil.Sources;
using Vigil.Sql;
using Vigil.Tables;

namespace Vigil.Cli.Shell;

/// <summary>
/// The shell's engine: Vigil's tables over a store that is filled, as the flags say, from the kernel while the shell
/// runs or not at all (a daemon's database opened read-only); over auditd log files, each scan of an event table reads
/// the files instead (<see cref="LogFileRows"/>), and the store only takes a table a join must scan more than once.
/// </summary>
public sealed class VigilQueryEngine : IQueryEngine, IDisposable
{
    private readonly SqlEngine _sql;
    private readonly PosixSignalRegistration[] _signals;
    private readonly Lock _collectorGate = new();
    private KernelCollector? _collector;
    private BpfCollector? _bpf;
    private TextWriter? _diagnostics;
    private string? _storeErrorShown;
    private int _pendingExitCode;

    // With kernel collection the handlers are in place before the collector starts, so a signal that arrives as
    // collection begins still puts the kernel back.
    private VigilQueryEngine(SqlEngine sql, bool collecting)
    {
        _sql = sql;
        _signals = collecting
            ? [
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
                PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
                PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal),
            ]
            : [];
    }

    /// <summary>Opens the engine the flags describe; progress and debug output go to <paramref name="diagnostics"/>.</summary>
    public static VigilQueryEngine Create(FlagValues flags, TextWriter diagnostics, bool showProgress)
    {
        var config = ReadConfig(ref flags, diagnostics);
        var options = IngestOptions.FromFlags(flags, config?.Audit, config?.FilePaths, config?.ExcludePaths);
        // osquery_info's instance_id belongs to the database: a daemon's, read from it, or the shell's own scratch store's.
        var databasePath = flags.IsSet(VigilFlags.DatabasePath) ? flags.Get(VigilFlags.DatabasePath) : null;
        var instanceId = (databasePath is null ? null : DaemonInstanceId(databasePath)) ?? Guid.NewGuid().ToString("D");
        var tables = new HostTables(flags, IngestOptions.EventTableSpecs, AuditClient.ReadStatus, instanceId);
        if (config is not null)
        {
            tables.Info.SetConfig(config.Hash, valid: true);
        }

        var live = tables.All;
        if (databasePath is not null)
        {
            return new VigilQueryEngine(new SqlEngine(databasePath, IngestOptions.EventTableSpecs, live), collecting: false);
        }

        var logFiles = flags.Get(VigilFlags.AuditLogFile);
        if (logFiles.Count > 0)
        {
            var rows = new LogFileRows(logFiles, options.LogFileTables, (lines, counters) =>
            {
                for (var i = 0; showProgress && i < lines.Count; i++)
                {
                    var unit = new LogFileSource(logFiles[i]).IsBsmTrail() ? "records" : "lines";
                    diagnostics.WriteLine($"read {lines[i]} {unit} from {logFiles[i]}");
                }

                if (counters.MalformedRecords > 0)
                {
                    diagnostics.WriteLine($"vigil: skipped {counters.MalformedRecords} malformed records");
                }

                if (counters.UnknownSyscallsLine() is { } unknown)
                {
                    diagnostics.WriteLine($"vigil: {unknown}");
                }
            });
            return new VigilQueryEngine(new SqlEngine(null, IngestOptions.EventTableSpecs, live, rows), collecting: false);
        }

        var sql = new SqlEngine(null, IngestOptions.EventTableSpecs, live);
        try
        {
            var bpf = BpfCollectorOptions.FromFlags(flags, options);
            var audit = !flags.Get(VigilFlags.DisableAudit) && flags.Get(VigilFlags.EventSource) == "audit";
            if (!audit && !bpf.Enabled)
            {
                return new VigilQueryEngine(sql, collecting: false);
            }

            var engine = new VigilQueryEngine(sql, collecting: true);
            try
            {
                if (bpf.Enabled)
                {
                    var bpfCollector = BpfCollector.Start(bpf, sql.DatabasePath);
                    engine.Attach(bpfCollector, diagnostics);
                    tables.BpfStatus.Counters = bpfCollector;
                }

                if (!audit)
                {
                    return engine;
                }

                var collector = KernelCollector.Start(options, sql.DatabasePath, options.Debug ? diagnostics : null);
                engine.Attach(collector, diagnostics);
                tables.AuditStatus.Counters = collector;
                foreach (var note in collector.Session.Notes)
                {
                    diagnostics.WriteLine($"vigil: {note}");
                }

                return engine;
            }
            catch
            {
                engine.DisposeSignals();
                engine.DisposeCollectors();
                throw;
            }
        }
        catch
        {
            sql.Dispose();
            throw;
        }
    }

    // A database that cannot be opened gets no id here: opening it for the query engine, next, says why to the user.
    private static string? DaemonInstanceId(string databasePath)
    {
        try
        {
            return DaemonStateStore.ReadInstanceId(databasePath);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return null;
        }
    }

    // Like osqueryi, the shell reads a --config_path when given: its options apply as flags, its audit section
    // (exclusions) shapes the rules installed and osquery_info reports its hash. The schedule is the daemon's business
    // and is not run.
    private static OsqueryConfig? ReadConfig(ref FlagValues flags, TextWriter diagnostics)
    {
        if (!flags.IsSet(VigilFlags.ConfigPath))
        {
            return null;
        }

        var path = flags.Get(VigilFlags.ConfigPath);
        var config = ConfigFile.Load(path, compiler: null, flags, diagnostics) ?? throw new CliException($"{path}: invalid config, not loaded");
        flags = flags.WithOptions(config.Options, VigilFlags.All, out _);
        return config;
    }

    /// <summary>Runs <paramref name="sql"/>, first saying why events are not being stored when that is news (audit_status.store_error keeps it).</summary>
    public void Execute(string sql, IQueryResultSink sink)
    {
        if (Volatile.Read(ref _collector)?.Store.Error is var error && error != _storeErrorShown)
        {
            _storeErrorShown = error;
            if (error is not null)
            {
                _diagnostics!.WriteLine($"vigil: cannot store events: {error}; they wait in memory, the oldest dropped when the queue is full");
            }
        }

        _sql.Execute(sql, sink);
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> TableNames() => _sql.TableNames;

    /// <inheritdoc/>
    public string Schema(string? table)
    {
        if (table is not null)
        {
            return _sql.Schema(table);
        }

        var all = new List<string>(_sql.TableNames.Count);
        foreach (var name in _sql.TableNames)
        {
            all.Add(_sql.Schema(name));
        }

        return string.Join('\n', all);
    }

    /// <summary>
    /// Stops collection (restoring the kernel's audit state) and reports the events it could not name, then closes and
    /// deletes the temporary store.
    /// </summary>
    public void Dispose()
    {
        DisposeSignals();
        try
        {
            DisposeCollectors();
            if (_collector?.Counters.UnknownSyscallsLine() is { } unknown)
            {
                _diagnostics?.WriteLine($"vigil: {unknown}");
            }
        }
        finally
        {
            _sql.Dispose();
        }
    }

    // The default action (ending the process) still follows; this only makes sure the kernel is put back first.
    // A signal that arrives while the collector is starting (rules may already be in the kernel) is held: the process
    // goes on until Attach, which restores the kernel and then exits as the signal would have.
    private void OnSignal(PosixSignalContext context)
    {
        lock (_collectorGate)
        {
            if (_collector is not null || _bpf is not null)
            {
                DisposeCollectors();
                return;
            }

            context.Cancel = true;
            _pendingExitCode = 128 + SignalNumber(context.Signal);
        }
    }

    private void Attach(IDisposable collector, TextWriter diagnostics)
    {
        int exitCode;
        _diagnostics = diagnostics;
        lock (_collectorGate)
        {
            if (collector is KernelCollector kernel)
            {
                _collector = kernel;
            }
            else
            {
                _bpf = (BpfCollector)collector;
            }

            exitCode = _pendingExitCode;
        }

        if (exitCode != 0)
        {
            DisposeCollectors();
            Environment.Exit(exitCode);
        }
    }

    // Each collector's Dispose runs once however often this is called (a signal, then the shell's own exit).
    private void DisposeCollectors()
    {
        try
        {
            Volatile.Read(ref _collector)?.Dispose();
        }
        finally
        {
            Volatile.Read(ref _bpf)?.Dispose();
        }
    }

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        _ => 15,
    };

    private void DisposeSignals()
    {
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }
    }
}
