using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Vigil.Logging;

namespace Vigil.Remote;

/// <summary>The TLS logger's status log: each line buffered as osquery's status JSON (<see cref="StatusLineJson"/>) for <see cref="TlsLogSender"/>.</summary>
public sealed class TlsStatusLog(TlsLogBuffer buffer, string hostIdentifier) : IStatusLog
{
    /// <inheritdoc/>
    public void Info(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Buffer(StatusSeverity.Info, message, file, line);

    /// <inheritdoc/>
    public void Warning(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Buffer(StatusSeverity.Warning, message, file, line);

    /// <inheritdoc/>
    public void Error(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Buffer(StatusSeverity.Error, message, file, line);

    // A status line that cannot be buffered (a full disk, the buffer closed at the stop) is in the glog files still;
    // the status log never throws.
    private void Buffer(StatusSeverity severity, string message, string file, int line)
    {
        try
        {
            buffer.InsertStatus(StatusLineJson.Format(hostIdentifier, DateTimeOffset.Now, severity, file, line, message));
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException or ObjectDisposedException)
        {
        }
    }
}
