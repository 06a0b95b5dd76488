using System.Runtime.InteropServices;
using Vigil.Daemon;
using Vigil.Flags;
using Vigil.Kernel;
using Vigil.Logging;
using Vigil.Pipeline;
using Vigil.Platform;
using Vigil.Remote;
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
        + "(schedule, packs, decorators and audit.exclude; its options apply at the next start). SIGUSR2 restarts it in\n"
        + "place: it executes its command line again (a new /usr/bin/vigil after an upgrade) with the same pid, keeping\n"
        + "the audit socket and rules, so no event is lost or read twice.\n"
        + "--config_check validates the config, printing every error, and exits.";

    /// <inheritdoc/>
    public int Run(FlagValues flags, IReadOnlyList<string> arguments, CliConsole console)
    {
        if (arguments.Count > 0)
        {
            throw new CliException($"daemon takes no arguments (got '{arguments[0]}')");
        }

        var code = RunDaemon(flags, console, InPlaceRestart.TakeHandover(), out var restart, out var handover);
        if (restart)
        {
            throw InPlaceRestart.Exec(handover);
        }

        return code;
    }

    // Returns with restart set when SIGUSR2 asked for a restart in place, once everything is closed: the caller then
    // executes the command line again, passing handover on.
    private static int RunDaemon(FlagValues flags, CliConsole console, KernelHandover? handoverIn, out bool restart, out KernelHandover? handover)
    {
        restart = false;
        handover = null;

        var configPath = flags.Get(VigilFlags.ConfigPath);
        var tlsConfig = flags.Get(VigilFlags.ConfigPlugin) == "tls";
        OsqueryConfig? config = null;
        List<string> unknown = [];
        if (!tlsConfig)
        {
            using (var compiler = VigilDaemon.OpenEngine(null, flags))
            {
                config = ConfigFile.Load(configPath, new ConfigCompiler(compiler), flags, console.Error);
            }

            if (config is null)
            {
                return 1;
            }

            flags = flags.WithOptions(config.Options, VigilFlags.All, out unknown);
            if (flags.Get(VigilFlags.ConfigCheck))
            {
                console.Out.Write($"{configPath}: ok ({config.Schedule.Count} scheduled queries, {config.Packs.Count} packs)\n");
                console.Out.Flush();
                return 0;
            }
        }
        else if (flags.Get(VigilFlags.ConfigCheck))
        {
            throw new CliException("--config_check validates --config_path; with --config_plugin=tls the served config is validated as it arrives");
        }

        DaemonSettings settings;
        try
        {
            settings = DaemonSettings.FromFlags(flags, config?.Audit, config?.FilePaths, config?.ExcludePaths);
        }
        catch (FlagException e)
        {
            throw new CliException(e.Message);
        }

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

        var glog = opened;
        using var syslog = settings.LoggerPlugin.Split(',', StringSplitOptions.TrimEntries).Contains("syslog") ? new SyslogLogger(settings.Syslog, glog) : null;
        IStatusLog status = syslog is null ? glog : new StatusLogTee([glog, syslog]);
        string instanceId;
        PidFile? pidfile = null;
        try
        {
            // Before the database is opened: a second daemon on the same pidfile must not check, recover or create the
            // first one's store.
            pidfile = settings.Pidfile.Length > 0 ? PidFile.Lock(settings.Pidfile) : null;
            if (handoverIn is null)
            {
                VigilDaemon.RecoverDamagedStore(settings.DatabasePath, status);
            }

            instanceId = VigilDaemon.InstanceId(settings.DatabasePath);
        }
        catch (IOException e)
        {
            pidfile?.Release();
            status.Error($"vigil daemon failed to start: {e.Message}");
            throw new CliException(e.Message);
        }

        // The settings above only opened the logs and the database: --host_identifier=instance needs the database's id.
        settings = DaemonSettings.FromFlags(flags, config?.Audit, config?.FilePaths, config?.ExcludePaths, instanceId: instanceId);
        using var remote = settings.Remote.Enabled ? OpenRemote(settings, instanceId, status) : null;
        status = remote?.StatusLog(status) ?? status;
        if (config is null)
        {
            (config, var text) = ServedConfig(remote!, status);
            remote!.Applied(text);
            try
            {
                flags = flags.WithOptions(config.Options, VigilFlags.All, out unknown);
            }
            catch (FlagException e)
            {
                status.Error($"The served config's options are not applied: {e.Message}");
            }

            settings = DaemonSettings.FromFlags(flags, config.Audit, config.FilePaths, config.ExcludePaths, instanceId: instanceId) with { ConfigPath = ServerDescription(settings.Remote) };
        }

        foreach (var name in unknown)
        {
            status.Warning($"Config option '{name}' is not a Vigil flag; ignored");
        }

        // The handlers are in place before the daemon starts: a stop that arrives while it installs its rules is held
        // and honoured once it runs, instead of ending the process with the rules left in the kernel.
        var gate = new Lock();
        VigilDaemon? running = null;
        var stopBeforeStart = false;
        var reloadBeforeStart = false;
        var restartBeforeStart = false;
        // SIGINT stops the daemon and SIGHUP reloads it, as documented, however it was started (nohup, a script's &).
        SignalDisposition.ResetInterruptAndHangup();
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
        using var restartSignal = PosixSignalRegistration.Create(InPlaceRestart.Signal, context =>
        {
            context.Cancel = true;
            lock (gate)
            {
                restartBeforeStart = running is null;
                running?.RequestHandover();
            }
        });
        var loadOptions = ConfigFile.Options(flags);
        VigilDaemon daemon;
        try
        {
            daemon = VigilDaemon.Start(settings, config, remote is null ? runner => ConfigLoader.Load(configPath, runner, loadOptions) : runner => Reloaded(remote, runner),
                status, settings.Ingest.Debug ? console.Error : null, new DaemonLoggers { Syslog = syslog, Remote = remote }, handoverIn, pidfile);
        }
        catch (Exception e)
        {
            pidfile?.Release();
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

                if (restartBeforeStart)
                {
                    daemon.RequestHandover();
                }

                if (stopBeforeStart)
                {
                    daemon.RequestStop();
                }
            }

            remote?.Start(remote.LastGoodConfig, daemon.RequestReload, daemon.QueryWatch, daemon.OpenRemoteEngine);
            try
            {
                daemon.Run();
            }
            finally
            {
                lock (gate)
                {
                    running = null;
                }
            }

            if (daemon.HandoverRequested)
            {
                handover = daemon.HandOver();
                restart = true;
            }
        }

        return 0;

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

    private static RemoteClient OpenRemote(DaemonSettings settings, string instanceId, IStatusLog status)
    {
        try
        {
            return new RemoteClient(settings.Remote, settings.DatabasePath, () => VigilDaemon.OpenEngine(settings.DatabasePath, settings.Flags, instanceId), status);
        }
        catch (RemoteException e)
        {
            status.Error($"vigil daemon failed to start: {e.Message}");
            throw new CliException(e.Message);
        }
    }

    private static string ServerDescription(RemoteSettings remote) => $"https://{remote.Hostname}{remote.ConfigEndpoint}";

    /// <summary>
    /// The config to start with: the one the server serves now, or when it cannot be had or is refused, the last good
    /// one it served (kept in the database), or else an empty one until the server answers; each case is logged.
    /// </summary>
    private static (OsqueryConfig Config, string Text) ServedConfig(RemoteClient remote, IStatusLog status)
    {
        using var compiler = VigilDaemon.OpenEngine(null, FlagValues.Defaults);
        var runner = new ConfigCompiler(compiler);
        if (remote.FetchConfig() is { } served)
        {
            var check = ConfigLoader.Parse(served, "served config", runner);
            if (check.Ok)
            {
                return (check.Config!, served);
            }

            status.Error($"The served config is refused: {string.Join("; ", check.Errors)}");
        }

        if (remote.LastGoodConfig is { } kept && ConfigLoader.Parse(kept, "kept config", runner) is { Ok: true } keptCheck)
        {
            status.Warning("Starting with the last config the TLS server served (kept in the database)");
            return (keptCheck.Config!, kept);
        }

        status.Warning("Starting with an empty config until the TLS server serves one");
        return (new OsqueryConfig(), "{}");
    }

    // A reload under --config_plugin=tls applies what the server served last; a config refused keeps the running one
    // (the daemon logs the reasons), and only an applied one is kept as the last good config.
    private static ConfigCheck Reloaded(RemoteClient remote, IQueryRunner runner)
    {
        var text = remote.Served ?? "{}";
        var check = ConfigLoader.Parse(text, "served config", runner);
        if (check.Ok)
        {
            remote.Applied(text);
        }

        return check;
    }
}
