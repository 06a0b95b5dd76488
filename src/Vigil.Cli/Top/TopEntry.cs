namespace Vigil.Cli.Top;

/// <summary>How many events one executable caused through one syscall (or socket action).</summary>
/// <param name="Count">Events counted.</param>
/// <param name="Syscall">The syscall name (connect, execve, …).</param>
/// <param name="Exe">The executable's path.</param>
public sealed record TopEntry(long Count, string Syscall, string Exe);
