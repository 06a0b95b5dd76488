namespace Vigil.Events;

/// <summary>Rebuilds a command line from an event's EXECVE records.</summary>
public static class ExecveArguments
{
    /// <summary>
    /// The arguments in their real order (a0, a1, … a10), split arguments (<c>aN_len</c>, <c>aN[k]</c>)
    /// and EXECVE records spread over several records joined, each value decoded, joined with single spaces.
    /// </summary>
    public static string JoinCommandLine(AuditEvent auditEvent) => throw new NotImplementedException();
}
