namespace Vigil.Schedule;

/// <summary>One problem found in a config or pack file: where it is and why it is wrong.</summary>
/// <param name="File">The file the problem is in.</param>
/// <param name="KeyPath">The key path (<c>schedule.proc.interval</c>), or null for a JSON syntax error.</param>
/// <param name="Line">The 1-based line of a JSON syntax error, or 0.</param>
/// <param name="Column">The 1-based byte column of a JSON syntax error, or 0.</param>
/// <param name="Reason">What is wrong.</param>
public sealed record ConfigError(string File, string? KeyPath, int Line, int Column, string Reason)
{
    /// <summary><c>file:line:column: reason</c> for syntax errors, <c>file: key.path: reason</c> otherwise.</summary>
    public override string ToString()
    {
        if (Line > 0)
        {
            return $"{File}:{Line}:{Column}: {Reason}";
        }

        return KeyPath is null ? $"{File}: {Reason}" : $"{File}: {KeyPath}: {Reason}";
    }
}
