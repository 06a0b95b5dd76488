using System.Text.Json;
using Vigil.Logging;
using Vigil.Sql;

namespace Vigil.Remote;

/// <summary>
/// Requests under a node key (osquery's <c>TLSRequestHelper</c> with its enroll plugin): the key is read from the
/// store, or obtained by enrolling (<c>--enroll_always</c> enrolls once at start whatever is stored); a
/// <c>node_invalid</c> answer drops it and, unless <c>--disable_reenrollment</c>, enrolls again and retries. Each
/// request is tried a bounded number of times with a doubling pause. The key and the secret are never logged.
/// </summary>
public sealed class NodeSession
{
    // osquery's platform_type for Linux: the POSIX and LINUX bits (platform_type.h).
    private const string LinuxPlatformType = "9";
    private static readonly string[] HostDetailTables = ["os_version", "osquery_info", "system_info", "platform_info"];

    private readonly RemoteSettings _settings;
    private readonly TlsTransport _transport;
    private readonly RemoteState _state;
    private readonly Func<string, QueryResult?> _hostQuery;
    private readonly IStatusLog _status;
    private readonly Lock _lock = new();
    private string? _nodeKey;
    private bool _enrolledThisRun;

    /// <param name="settings">The flags.</param>
    /// <param name="transport">The connection to the server.</param>
    /// <param name="state">Where the node key is kept.</param>
    /// <param name="hostQuery">Runs a host-details query; null when it fails (a table this build lacks).</param>
    /// <param name="status">Hears about enrollments and failures.</param>
    public NodeSession(RemoteSettings settings, TlsTransport transport, RemoteState state, Func<string, QueryResult?> hostQuery, IStatusLog status)
    {
        _settings = settings;
        _transport = transport;
        _state = state;
        _hostQuery = hostQuery;
        _status = status;
        _nodeKey = settings.EnrollAlways ? null : state.Get(RemoteState.NodeKey);
    }

    /// <summary>
    /// POSTs to <paramref name="endpoint"/> an object holding <c>node_key</c> and what <paramref name="writeBody"/> writes,
    /// up to <paramref name="maxAttempts"/> times; returns the answer or throws the last <see cref="RemoteException"/>.
    /// </summary>
    public JsonDocument Request(string endpoint, Action<Utf8JsonWriter> writeBody, bool compress, int maxAttempts, CancellationToken cancel)
    {
        RemoteException? last = null;
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                Pause(attempt - 1, TimeSpan.FromSeconds(60), cancel);
            }

            var key = NodeKey(cancel);
            try
            {
                return _transport.Post(endpoint, key, writer =>
                {
                    writer.WriteString("node_key", key);
                    writeBody(writer);
                }, compress, cancel);
            }
            catch (RemoteException e) when (e.NodeInvalid)
            {
                last = e;
                Forget(key);
                if (_settings.DisableReenrollment)
                {
                    throw new RemoteException($"{e.Message}; not enrolling again (--disable_reenrollment)", nodeInvalid: true, e);
                }
            }
            catch (RemoteException e)
            {
                last = e;
            }
        }

        throw last!;
    }

    private string NodeKey(CancellationToken cancel)
    {
        lock (_lock)
        {
            if (_nodeKey is { } key)
            {
                return key;
            }

            _nodeKey = Enroll(cancel);
            _state.Set(RemoteState.NodeKey, _nodeKey);
            return _nodeKey;
        }
    }

    private void Forget(string key)
    {
        lock (_lock)
        {
            if (_nodeKey == key)
            {
                _nodeKey = null;
                _state.Set(RemoteState.NodeKey, null);
                _status.Warning("The server does not know this node's key; enrolling again");
            }
        }
    }

    private string Enroll(CancellationToken cancel)
    {
        var secret = EnrollSecret.Read(_settings);
        var details = HostDetails();
        RemoteException? last = null;
        for (var attempt = 1; attempt <= _settings.EnrollMaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                Pause(attempt - 1, _settings.EnrollMaxInterval, cancel);
            }

            try
            {
                using var answer = _transport.Post(_settings.EnrollEndpoint, null, writer =>
                {
                    writer.WriteString("enroll_secret", secret);
                    writer.WriteString("host_identifier", _settings.HostIdentifier);
                    writer.WriteString("platform_type", LinuxPlatformType);
                    writer.WriteStartObject("host_details");
                    foreach (var (table, row) in details)
                    {
                        writer.WriteStartObject(table);
                        foreach (var (column, value) in row)
                        {
                            writer.WriteString(column, value);
                        }

                        writer.WriteEndObject();
                    }

                    writer.WriteEndObject();
                }, compress: false, cancel);
                var root = answer.RootElement;
                if ((root.TryGetProperty("node_key", out var key) || root.TryGetProperty("id", out key)) && key.ValueKind == JsonValueKind.String && key.GetString() is { Length: > 0 } nodeKey)
                {
                    _status.Info(_enrolledThisRun ? "Enrolled again with the TLS server" : $"Enrolled with the TLS server {_settings.Hostname} as {_settings.HostIdentifier}");
                    _enrolledThisRun = true;
                    return nodeKey;
                }

                last = new RemoteException($"{_settings.EnrollEndpoint}: the answer has no node_key");
            }
            catch (RemoteException e) when (!e.NodeInvalid)
            {
                last = e;
            }
            catch (RemoteException e)
            {
                last = new RemoteException($"{_settings.EnrollEndpoint}: enrollment refused: {e.Message}", inner: e);
            }

            _status.Warning($"Enrollment attempt {attempt} of {_settings.EnrollMaxAttempts} failed: {last.Message}");
        }

        throw new RemoteException($"enrollment failed after {_settings.EnrollMaxAttempts} attempts: {last!.Message}", inner: last);
    }

    // osquery sends the first row of each table with every value as a string; a table that fails is left out.
    private List<(string Table, List<(string Column, string Value)> Row)> HostDetails()
    {
        var details = new List<(string, List<(string, string)>)>();
        foreach (var table in HostDetailTables)
        {
            if (_hostQuery($"SELECT * FROM {table} LIMIT 1") is { Rows.Count: > 0 } result)
            {
                var row = new List<(string, string)>();
                for (var i = 0; i < result.Columns.Count; i++)
                {
                    row.Add((result.Columns[i], result.Rows[0][i] ?? ""));
                }

                details.Add((table, row));
            }
        }

        return details;
    }

    /// <summary>Waits 2^(<paramref name="failures"/>-1) seconds, at most <paramref name="max"/>; throws when cancelled.</summary>
    internal static void Pause(int failures, TimeSpan max, CancellationToken cancel)
    {
        var seconds = Math.Min(max.TotalSeconds, Math.Pow(2, Math.Min(failures - 1, 20)));
        if (cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(seconds)))
        {
            throw new OperationCanceledException(cancel);
        }
    }
}
