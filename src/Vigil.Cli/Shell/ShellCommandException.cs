namespace Vigil.Cli.Shell;

/// <summary>A meta-command the shell cannot run; the message is shown after <c>Error: </c>.</summary>
public sealed class ShellCommandException(string message) : Exception(message);
