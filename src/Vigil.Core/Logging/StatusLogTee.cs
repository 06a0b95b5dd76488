using System.Runtime.CompilerServices;

namespace Vigil.Logging;

/// <summary>One status log that writes each line to several (the glog files, and the tls or syslog logger's copy), keeping its file and line.</summary>
public sealed class StatusLogTee(IReadOnlyList<IStatusLog> logs) : IStatusLog
{
    /// <inheritdoc/>
    public void Info(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        foreach (var log in logs)
        {
            log.Info(message, file, line);
        }
    }

    /// <inheritdoc/>
    public void Warning(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        foreach (var log in logs)
        {
            log.Warning(message, file, line);
        }
    }

    /// <inheritdoc/>
    public void Error(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        foreach (var log in logs)
        {
            log.Error(message, file, line);
        }
    }
}
