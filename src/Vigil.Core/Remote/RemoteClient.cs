using System.Text.Json;
using Vigil.Logging;
using Vigil.Sql;

namespace Vigil.Remote;

/// <summary>
/// osquery's remote API client in one daemon: the node's session (enrollment, node key), the served config, the TLS
/// logger's buffer and sender, and live queries. <see cref="FetchConfig"/> runs at start on the caller's thread;
/// <see cref="Start"/> then runs two threads until <see cref="Dispose"/>: one sends logs, the other refreshes the
/// config and polls live queries, so a slow server in one does not hold up the other, and neither touches collection.
/// SQL from the server runs on an engine of its own, read-only and restricted (<see cref="SqlEngine.Restrict"/>).
/// </summary>
public sealed class RemoteClient : IDisposable
{
    private readonly RemoteSettings _settings;
    private readonly TlsTransport _transport;
    private readonly RemoteState _state;
    private readonly IStatusLog _status;
    private Func<SqlEngine> _openEngine;
    private readonly Lock _sqlLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _threads = [];
    private SqlEngine? _engine;
    private IStatementWatch? _watch;
    private DistributedQueries? _distributed;
    private string? _served;
    private bool _lastFetchFailed;

    /// <summary>Opens the client's state in <paramref name="databasePath"/> (an event store already initialised).</summary>
    /// <param name="settings">The flags.</param>
    /// <param name="databasePath">The daemon's database.</param>
    /// <param name="openEngine">Opens an engine over the daemon's tables, for host details and live queries.</param>
    /// <param name="status">The daemon's status log (without the TLS logger's copy, which <see cref="StatusLog"/> adds).</param>
    public RemoteClient(RemoteSettings settings, string databasePath, Func<SqlEngine> openEngine, IStatusLog status)
    {
        _settings = settings;
        _openEngine = openEngine;
        _status = status;
        if (settings.ClientKey.Length > 0 && Platform.FilePermissions.SecretRefusal(settings.ClientKey, "--tls_client_key") is { } refusal)
        {
            throw new RemoteException(refusal);
        }

        _transport = new TlsTransport(settings);
        try
        {
            _state = new RemoteState(databasePath);
            Buffer = settings.LoggerTls ? new TlsLogBuffer(databasePath, settings.LoggerMaxLineSize, settings.BufferedLogMax) : null;
            Session = new NodeSession(settings, _transport, _state, HostQuery, status);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The TLS logger's buffer, when <c>--logger_plugin</c> lists tls.</summary>
    public TlsLogBuffer? Buffer { get; }

    /// <summary>The node's session.</summary>
    public NodeSession Session { get; }

    /// <summary>
    /// <paramref name="status"/> with the TLS logger's copy of each line added when the TLS logger is on; the daemon
    /// logs through it so its status lines reach the server.
    /// </summary>
    public IStatusLog StatusLog(IStatusLog status) =>
        Buffer is null ? status : new StatusLogTee([status, new TlsStatusLog(Buffer, _settings.HostIdentifier)]);

    /// <summary>The last served config that was applied, kept across restarts, or null.</summary>
    public string? LastGoodConfig => _state.Get(RemoteState.Config);

    /// <summary>
    /// Fetches the config (up to <c>--config_tls_max_attempts</c> times); returns its text, or null after logging why
    /// there is none. The text is only remembered as good by <see cref="Applied"/>.
    /// </summary>
    public string? FetchConfig(CancellationToken cancel = default)
    {
        try
        {
            using var answer = Session.Request(_settings.ConfigEndpoint, _ => { }, false, _settings.ConfigMaxAttempts, cancel);
            _lastFetchFailed = false;
            return ConfigText(answer.RootElement);
        }
        catch (RemoteException e)
        {
            _lastFetchFailed = true;
            _status.Error($"Fetching the config from the TLS server failed: {e.Message}");
            return null;
        }
    }

    /// <summary>The served config awaiting a reload (set by the refresh thread), or null.</summary>
    public string? Served => Volatile.Read(ref _served);

    /// <summary>Remembers <paramref name="text"/> as the last good config, the one used when the server cannot be reached at start.</summary>
    public void Applied(string text) => _state.Set(RemoteState.Config, text);

    /// <summary>
    /// Starts the threads; <paramref name="configChanged"/> is called from the refresh thread when the server serves a
    /// config other than <paramref name="current"/> (its text is then <see cref="Served"/>). From now on the SQL from the
    /// server also runs under <paramref name="watch"/> (the daemon's watchdog), when there is one, and on the engines
    /// <paramref name="openEngine"/> opens when given (the running daemon's, whose tables know its schedule and config).
    /// </summary>
    public void Start(string? current, Action configChanged, IStatementWatch? watch = null, Func<SqlEngine>? openEngine = null)
    {
        _served = current;
        lock (_sqlLock)
        {
            _watch = watch;
            _engine?.Watch = watch;
            if (openEngine is not null)
            {
                _openEngine = openEngine;
                _engine?.Dispose();
                _engine = null;
            }
        }

        if (Buffer is not null)
        {
            var sender = new TlsLogSender(_settings, Session, Buffer, _state, _status);
            StartThread("vigil-tls-logger", () => sender.SendAll(_stop.Token), () => sender.NextDelay);
        }

        if (_settings.Distributed)
        {
            _distributed = new DistributedQueries(_settings, Session, RunRemote, _status);
        }

        var refresh = _settings.ConfigTls && (_settings.ConfigRefresh > 0 || _lastFetchFailed);
        if (refresh || _distributed is not null)
        {
            var nextConfig = Now() + (_lastFetchFailed ? _settings.ConfigAcceleratedRefresh : _settings.ConfigRefresh);
            var nextDistributed = Now();
            StartThread("vigil-tls-config", () =>
            {
                var now = Now();
                if (refresh && now >= nextConfig)
                {
                    Refresh(configChanged);
                    nextConfig = now + (_lastFetchFailed ? _settings.ConfigAcceleratedRefresh : _settings.ConfigRefresh);
                    refresh = _settings.ConfigRefresh > 0 || _lastFetchFailed;
                }

                if (_distributed is not null && now >= nextDistributed)
                {
                    _distributed.Poll(now, _stop.Token);
                    nextDistributed = now + _distributed.NextDelay(now);
                }
            }, () => 1);
        }
    }

    /// <summary>Stops the threads (a request under way is cancelled) and closes the connections.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _engine?.Dispose();
        Buffer?.Dispose();
        _state?.Dispose();
        _transport.Dispose();
        _stop.Dispose();
    }

    // The config is the answer's object itself; node_invalid (false) is the protocol's, not the config's.
    private static string ConfigText(JsonElement root)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name != "node_invalid")
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private void Refresh(Action configChanged)
    {
        if (FetchConfig(_stop.Token) is { } text && text != Volatile.Read(ref _served))
        {
            Volatile.Write(ref _served, text);
            configChanged();
        }
    }

    // Each turn runs work and then waits the seconds delay() gives; an exception other than a cancellation is a bug
    // the daemon must not die of, so it is logged and the turn repeats after the wait.
    private void StartThread(string name, Action work, Func<long> delay)
    {
        var thread = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    work();
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _status.Error($"{name}: {e.GetType().Name}: {e.Message}");
                }

                _stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(delay()));
            }
        })
        { IsBackground = true, Name = name };
        _threads.Add(thread);
        thread.Start();
    }

    private static long Now() => Environment.TickCount64 / 1000;

    private QueryResult? HostQuery(string sql)
    {
        var results = new QueryResultCollector();
        return RunRemote(sql, results) is null && results.Results.Count > 0 ? results.Results[^1] : null;
    }

    private string? RunRemote(string sql, IQueryResultSink sink)
    {
        lock (_sqlLock)
        {
            try
            {
                if (_engine is null)
                {
                    _engine = _openEngine();
                    _engine.Restrict(_settings.Budget);
                    _engine.Watch = _watch;
                }

                _engine.Execute(sql, sink);
                return null;
            }
            catch (SqlException e)
            {
                return e.Message;
            }
        }
    }
}
