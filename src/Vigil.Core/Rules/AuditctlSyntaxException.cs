namespace Vigil.Rules;

/// <summary>An auditctl line that auditctl would refuse before talking to the kernel.</summary>
public sealed class AuditctlSyntaxException : FormatException
{
    /// <summary>Creates the error for <paramref name="line"/> (number <paramref name="lineNumber"/>) failing for <paramref name="reason"/>.</summary>
    public AuditctlSyntaxException(int lineNumber, string line, string reason)
        : base($"line {lineNumber}: {reason}: {line}")
    {
        LineNumber = lineNumber;
        Line = line;
        Reason = reason;
    }

    /// <summary>The 1-based line number.</summary>
    public int LineNumber { get; }

    /// <summary>The offending line.</summary>
    public string Line { get; }

    /// <summary>Why it is refused, worded like auditctl's message.</summary>
    public string Reason { get; }
}
