namespace Vigil.Cli;

/// <summary>A mistake or condition the user can fix; printed as one line <c>vigil: message</c>, exit code 1.</summary>
public sealed class CliException(string message) : Exception(message);
