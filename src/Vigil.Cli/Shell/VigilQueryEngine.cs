using System.Runtime.InteropServices;
using Vigil.Flags;
using Vigil.Ingest;
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
        var auditConfig = ReadConfig(ref flags, diagnostics);
        var options = IngestOptions.FromFlags(flags, auditConfig);
        var status = new AuditStatusTable();
        ILiveTable[] live = [new ProcessesTable(), status];
        if (flags.IsSet(VigilFlags.DatabasePath))
        {
            return new VigilQueryEngine(new SqlEngine(flags.Get(VigilFlags.DatabasePath), IngestOptions.EventTableSpecs, live), collecting: false);
        }

        var logFiles = flags.Get(VigilFlags.AuditLogFile);
        if (logFiles.Count > 0)
        {
            var rows = new LogFileRows(logFiles, options.LogFileTables, (lines, counters) =>
            {
                for (var i = 0; showProgress && i < lines.Count; i++)
                {
                    diagnostics.WriteLine($"read {lines[i]} lines from {logFiles[i]}");
                }

                if (counters.MalformedRecords > 0)
                {
                    diagnostics.WriteLine($"vigil: skipped {counters.MalformedRecords} malformed records");
                }
            });
            return new VigilQueryEngine(new SqlEngine(null, IngestOptions.EventTableSpecs, live, rows), collecting: false);
        }

        var sql = new SqlEngine(null, IngestOptions.EventTableSpecs, live);
        try
        {
            if (flags.Get(VigilFlags.DisableAudit))
            {
                return new VigilQueryEngine(sql, collecting: false);
            }

            var engine = new VigilQueryEngine(sql, collecting: true);
            try
            {
                var collector = KernelCollector.Start(
                    options, sql.DatabasePath, options.Debug ? diagnostics : null, storeError: message => diagnostics.WriteLine($"vigil: {message}"));
                engine.Attach(collector);
                status.Counters = collector;
                foreach (var note in collector.Session.Notes)
                {
                    diagnostics.WriteLine($"vigil: {note}");
                }

                return engine;
            }
            catch
            {
                engine.DisposeSignals();
                throw;
            }
        }
        catch
        {
            sql.Dispose();
            throw;
        }
    }

    // Like osqueryi, the shell reads a --config_path when given: its options apply as flags and its audit section
    // (exclusions) shapes the rules installed. The schedule is the daemon's business and is not run.
    private static string? ReadConfig(ref FlagValues flags, TextWriter diagnostics)
    {
        if (!flags.IsSet(VigilFlags.ConfigPath))
        {
            return null;
        }

        var path = flags.Get(VigilFlags.ConfigPath);
        var config = ConfigFile.Load(path, compiler: null, diagnostics) ?? throw new CliException($"{path}: invalid config, not loaded");
        flags = flags.WithOptions(config.Options, VigilFlags.All, out _);
        return config.Audit;
    }

    /// <inheritdoc/>
    public void Execute(string sql, IQueryResultSink sink) => _sql.Execute(sql, sink);

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

    /// <summary>Stops collection (restoring the kernel's audit state), then closes and deletes the temporary store.</summary>
    public void Dispose()
    {
        DisposeSignals();
        try
        {
            Volatile.Read(ref _collector)?.Dispose();
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
            if (_collector is not null)
            {
                _collector.Dispose();
                return;
            }

            context.Cancel = true;
            _pendingExitCode = 128 + SignalNumber(context.Signal);
        }
    }

    private void Attach(KernelCollector collector)
    {
        int exitCode;
        lock (_collectorGate)
        {
            _collector = collector;
            exitCode = _pendingExitCode;
        }

        if (exitCode != 0)
        {
            collector.Dispose();
            Environment.Exit(exitCode);
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
