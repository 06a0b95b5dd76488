using System.Runtime.CompilerServices;

namespace Vigil.Logging;

/// <summary>A status log that drops everything.</summary>
public sealed class NullStatusLog : IStatusLog
{
    /// <summary>The shared instance.</summary>
    public static NullStatusLog Instance { get; } = new();

    /// <inheritdoc />
    public void Info(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
    }

    /// <inheritdoc />
    public void Warning(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
    }

    /// <inheritdoc />
    public void Error(string message, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
    }
}
