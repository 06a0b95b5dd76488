using System.Globalization;
using System.Runtime.InteropServices;
using Vigil.Daemon;
using Vigil.Flags;
using Vigil.Ingest;
using Vigil.Logging;
using Vigil.Schedule;
using Vigil.Sql;
using Vigil.Tables;

namespace Vigil.Cli;

/// <summary>
/// <c>vigil daemon</c>: runs in the foreground collecting events and running the schedule of <c>--config_path</c> until
/// SIGTERM or SIGINT; SIGHUP reloads the config. <c>--config_check</c> only validates the config.
/// </summary>
public sealed class DaemonCommand : ICommand
{
    /// <inheritdoc/>
    public string Name => "daemon";

    /// <inheritdoc/>
    public string Summary => "Collect events and run the scheduled queries of --config_path, logging results";

    /// <inheritdoc/>
    public string Usage => "Usage: vigil daemon [FLAGS]\n\nRuns in the foreground until SIGTERM or SIGINT; SIGHUP reloads --config_path\n"
        + "(schedule, packs, decorators and audit.exclude; its options apply at the next start).\n"
        + "--config_check validates the config, printing every error, and exits.";

    /// <inheritdoc/>
    public int Run(FlagValues flags, IReadOnlyList<string> arguments, CliConsole console)
    {
        if (arguments.Count > 0)
        {
            throw new CliException($"daemon takes no arguments (got '{arguments[0]}')");
        }

        var configPath = flags.Get(VigilFlags.ConfigPath);
        OsqueryConfig? config;
        using (var compiler = new SqlEngine(null, IngestOptions.EventTableSpecs, [new ProcessesTable(), new AuditStatusTable()]))
        {
            config = ConfigFile.Load(configPath, new CompileOnly(compiler), console.Error);
        }

        if (config is null)
        {
            return 1;
        }

        flags = flags.WithOptions(config.Options, VigilFlags.All, out var unknown);
        if (flags.Get(VigilFlags.ConfigCheck))
        {
            console.Out.Write($"{configPath}: ok ({config.Schedule.Count} scheduled queries, {config.Packs.Count} packs)\n");
            console.Out.Flush();
            return 0;
        }

        var settings = DaemonSettings.FromFlags(flags, config.Audit);
        if (settings.CollectAudit && !AuditPrivilege.HasAuditCapabilities(File.ReadAllText("/proc/self/status")))
        {
            throw new CliException(AuditPrivilege.Missing.Replace(" or use --audit_log_file", " or use --disable_audit", StringComparison.Ordinal));
        }

        GlogStatusLog opened;
        try
        {
            opened = new GlogStatusLog(new FilesystemLoggerOptions { LoggerPath = settings.LoggerPath }, StatusSeverity.Info, console.Error, StatusSeverity.Warning);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write logs in --logger_path={settings.LoggerPath}: {e.Message}");
        }

        using var status = opened;
        foreach (var name in unknown)
        {
            status.Warning($"Config option '{name}' is not a Vigil flag; ignored");
        }

        var pidfile = flags.Get(VigilFlags.Pidfile);
        if (pidfile.Length > 0)
        {
            File.WriteAllText(pidfile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        }

        // The handlers are in place before the daemon starts: a stop that arrives while it installs its rules is held
        // and honoured once it runs, instead of ending the process with the rules left in the kernel.
        var gate = new Lock();
        VigilDaemon? running = null;
        var stopBeforeStart = false;
        var reloadBeforeStart = false;
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            lock (gate)
            {
                reloadBeforeStart = running is null;
                running?.RequestReload();
            }
        });
        try
        {
            VigilDaemon daemon;
            try
            {
                daemon = VigilDaemon.Start(settings, config, runner => ConfigLoader.Load(configPath, runner), status,
                    settings.Ingest.Debug ? console.Error : null);
            }
            catch (Exception e)
            {
                status.Error($"vigil daemon failed to start: {e.Message}");
                throw;
            }

            using (daemon)
            {
                lock (gate)
                {
                    running = daemon;
                    if (reloadBeforeStart)
                    {
                        daemon.RequestReload();
                    }

                    if (stopBeforeStart)
                    {
                        daemon.RequestStop();
                    }
                }

                try
                {
                    return daemon.Run();
                }
                finally
                {
                    lock (gate)
                    {
                        running = null;
                    }
                }
            }
        }
        finally
        {
            if (pidfile.Length > 0)
            {
                File.Delete(pidfile);
            }
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            lock (gate)
            {
                stopBeforeStart = running is null;
                running?.RequestStop();
            }
        }
    }

    /// <summary>The config check's compiler: prepares statements on a scratch engine, never runs them.</summary>
    private sealed class CompileOnly(SqlEngine engine) : IQueryRunner
    {
        public QueryRows Run(string sql) => throw new QueryException("config validation does not run queries");

        public bool Compiles(string sql, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error) => engine.Compiles(sql, out error);
    }
}
