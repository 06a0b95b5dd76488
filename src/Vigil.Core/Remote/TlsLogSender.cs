using System.Globalization;
using Vigil.Logging;

namespace Vigil.Remote;

/// <summary>
/// Sends the buffered lines (status first, then results), each request at most <c>--logger_tls_max_lines</c> lines of
/// one type, oldest first, and deletes them once the server accepted the request. Before a request the id of its last
/// line is stored: after an unclean stop, the lines of that batch are sent again (the server may have had them) and
/// counted in the status log; no other line is sent twice. After a failure the next try waits twice as long as the
/// last, up to <c>--logger_tls_backoff_max</c>.
/// </summary>
public sealed class TlsLogSender
{
    private static readonly TimeSpan FailureReportInterval = TimeSpan.FromMinutes(1);

    private readonly RemoteSettings _settings;
    private readonly NodeSession _session;
    private readonly TlsLogBuffer _buffer;
    private readonly RemoteState _state;
    private readonly IStatusLog _status;
    private (TlsLogType Type, long LastId)? _resend;
    private int _failures;
    private DateTimeOffset? _lastFailureReport;

    public TlsLogSender(RemoteSettings settings, NodeSession session, TlsLogBuffer buffer, RemoteState state, IStatusLog status)
    {
        _settings = settings;
        _session = session;
        _buffer = buffer;
        _state = state;
        _status = status;
        _resend = ParseInFlight(state.Get(RemoteState.InFlight));
    }

    /// <summary>Seconds to wait before the next send: the period, or the back-off after failures.</summary>
    public long NextDelay => _failures == 0
        ? _settings.LoggerPeriod
        : (long)Math.Min(_settings.LoggerBackoffMax, _settings.LoggerPeriod * Math.Pow(2, Math.Min(_failures, 20)));

    /// <summary>Sends until the buffer is empty or a request fails (reported at most once a minute).</summary>
    public void SendAll(CancellationToken cancel)
    {
        ReportDrops();
        try
        {
            foreach (var type in (ReadOnlySpan<TlsLogType>)[TlsLogType.Status, TlsLogType.Result])
            {
                while (!cancel.IsCancellationRequested && _buffer.Next(type, _settings.LoggerMaxLines) is { } batch)
                {
                    Send(batch, cancel);
                }
            }

            if (_failures > 0)
            {
                _status.Info($"Sending logs to the TLS server works again after {_failures} failed attempts");
                _failures = 0;
            }
        }
        catch (RemoteException e)
        {
            _failures++;
            var now = DateTimeOffset.UtcNow;
            if (_lastFailureReport is not { } last || now - last >= FailureReportInterval)
            {
                _lastFailureReport = now;
                _status.Error($"Sending logs to the TLS server failed: {e.Message}; {_buffer.Count} lines stay buffered and are retried (reported at most once a minute)");
            }
        }
    }

    private void Send(TlsLogBatch batch, CancellationToken cancel)
    {
        _state.Set(RemoteState.InFlight, string.Create(CultureInfo.InvariantCulture, $"{(int)batch.Type}:{batch.LastId}"));
        using (_session.Request(_settings.LoggerEndpoint, writer =>
        {
            writer.WriteString("log_type", batch.Type == TlsLogType.Result ? "result" : "status");
            writer.WriteStartArray("data");
            foreach (var line in batch.Lines)
            {
                writer.WriteRawValue(line, skipInputValidation: true);
            }

            writer.WriteEndArray();
        }, _settings.LoggerCompress, maxAttempts: 1, cancel))
        {
        }

        _buffer.Acknowledge(batch);
        _state.Set(RemoteState.InFlight, null);
        if (_resend is { } resend && resend.Type == batch.Type)
        {
            var again = 0;
            foreach (var id in batch.Ids)
            {
                again += id <= resend.LastId ? 1 : 0;
            }

            _resend = null;
            if (again > 0)
            {
                _status.Warning($"Sent again {again} {(batch.Type == TlsLogType.Result ? "result" : "status")} lines whose request was unanswered at an unclean stop (the server may have them twice)");
            }
        }
    }

    private void ReportDrops()
    {
        var (tooLong, overflow) = _buffer.TakeDrops();
        if (tooLong > 0)
        {
            _status.Warning($"Dropped {tooLong} log lines longer than --logger_tls_max_linesize={_settings.LoggerMaxLineSize}");
        }

        if (overflow > 0)
        {
            _status.Warning($"Dropped the {overflow} oldest buffered log lines to stay within --buffered_log_max={_settings.BufferedLogMax}");
        }
    }

    private static (TlsLogType, long)? ParseInFlight(string? text)
    {
        var colon = text?.IndexOf(':') ?? -1;
        return colon > 0
            && int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var type)
            && long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? ((TlsLogType)type, id)
            : null;
    }
}
