using System.Runtime.CompilerServices;

namespace Vigil.Logging;

/// <summary>Vigil's own status messages (osquery's glog INFO/WARNING/ERROR lines): start, stop, reload, warnings, errors.</summary>
public interface IStatusLog
{
    /// <summary>Logs an informational message.</summary>
    void Info(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>Logs a warning.</summary>
    void Warning(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);

    /// <summary>Logs an error.</summary>
    void Error(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0);
}
