using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Vigil.Logging;

/// <summary>
/// osquery's <c>syslog</c> logger plugin: each result line at LOG_INFO as the raw JSON (after <c>@cee:</c> with
/// <c>--logger_syslog_prepend_cee</c>), each status line at NOTICE, WARNING or ERR as
/// <c>severity=N location=file:line message=...</c>, under <c>--logger_syslog_facility</c>, in the C library's
/// format (<c>&lt;PRI&gt;Mmm dd hh:mm:ss vigil[pid]: message</c>, as <c>openlog("vigil", LOG_PID, facility)</c> gives)
/// to the local syslog socket. A message longer than <c>--logger_syslog_max_linesize</c> is not sent but reported
/// (syslog daemons cut long messages silently), as is one the socket refuses; neither stops the others.
/// </summary>
public sealed class SyslogLogger : IResultSink, IStatusLog, IDisposable
{
    private const int LogErr = 3;
    private const int LogWarning = 4;
    private const int LogNotice = 5;
    private const int LogInfo = 6;
    private const int DefaultFacility = 19;
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMinutes(1);

    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint _endpoint;
    private readonly int _facility;
    private readonly bool _prependCee;
    private readonly int _maxLineSize;
    private readonly IStatusLog _report;
    private readonly string _tag = $"vigil[{Environment.ProcessId}]: ";
    private readonly Lock _lock = new();
    private DateTimeOffset? _lastReport;

    /// <param name="options">The socket, facility (outside 0-23 it is 19, LOCAL3, as in osquery), @cee: prefix and longest message, header included.</param>
    /// <param name="report">Where messages not sent are reported (the glog files: never this logger itself).</param>
    public SyslogLogger(SyslogOptions options, IStatusLog report)
    {
        _endpoint = new UnixDomainSocketEndPoint(options.Path);
        _facility = options.Facility is >= 0 and <= 23 ? (int)options.Facility : DefaultFacility;
        _prependCee = options.PrependCee;
        _maxLineSize = (int)Math.Clamp(options.MaxLineSize, 64, int.MaxValue);
        _report = report;
    }

    /// <summary>Messages not sent (too long, or refused by the socket).</summary>
    public long Dropped { get; private set; }

    /// <inheritdoc/>
    public void LogResults(Utf8Lines lines) => SendResults(lines);

    /// <inheritdoc/>
    public void LogSnapshots(Utf8Lines lines) => SendResults(lines);

    /// <inheritdoc/>
    public void Info(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => SendStatus(LogNotice, 0, message, file, line);

    /// <inheritdoc/>
    public void Warning(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => SendStatus(LogWarning, 1, message, file, line);

    /// <inheritdoc/>
    public void Error(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => SendStatus(LogErr, 2, message, file, line);

    public void Dispose() => _socket.Dispose();

    private void SendResults(Utf8Lines lines)
    {
        foreach (var line in lines.Lines())
        {
            Send(LogInfo, line.Span, result: true);
        }
    }

    private void SendStatus(int priority, int severity, string message, string file, int line) =>
        Send(priority, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"severity={severity} location={Path.GetFileName(file)}:{line} message={message}")), result: false);

    private void Send(int priority, ReadOnlySpan<byte> body, bool result)
    {
        var now = DateTime.Now;
        var header = string.Create(CultureInfo.InvariantCulture, $"<{_facility * 8 + priority}>{now.ToString("MMM", CultureInfo.InvariantCulture)} {now.Day,2} {now:HH':'mm':'ss} {_tag}{(result && _prependCee ? "@cee:" : "")}");
        var length = Encoding.UTF8.GetByteCount(header) + body.Length;
        lock (_lock)
        {
            if (length > _maxLineSize)
            {
                Drop(always: result, $"a {(result ? "result" : "status")} message of {length} bytes is longer than --logger_syslog_max_linesize={_maxLineSize}; not sent");
                return;
            }

            var message = new byte[length];
            var at = Encoding.UTF8.GetBytes(header, message);
            body.CopyTo(message.AsSpan(at));
            try
            {
                _socket.SendTo(message, _endpoint);
            }
            catch (SocketException e)
            {
                Drop(always: false, $"the syslog socket {_endpoint} refused a message of {length} bytes: {e.Message}");
            }
        }
    }

    // Each result line too long is reported (it is data lost); other failures at most once a minute.
    private void Drop(bool always, string why)
    {
        Dropped++;
        var now = DateTimeOffset.UtcNow;
        if (always || _lastReport is not { } last || now - last >= ReportInterval)
        {
            _lastReport = now;
            _report.Warning($"syslog logger: {why} ({Dropped} messages not sent so far)");
        }
    }
}
